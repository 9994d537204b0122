#!/usr/bin/env bash
# The benchmark of issue 6 (and the signed path of issue 20), from a fresh clone, in one command:
#
#   bench/run.sh                  # full run (about an hour on 2 cores: most of it fills 1,000,000 events)
#   BENCH_QUICK=1 bench/run.sh    # smoke run: short durations, small counts (a few minutes)
#
# It builds the service and the load generator when needed, installs pgbench and wrk when missing
# (Debian/Ubuntu, as root; without wrk its maximum-throughput part is N/A), then runs the Java driver
# (bench/src/main/java/com/qiledger/bench/Bench.java), which starts the service on a fresh embedded PostgreSQL, measures, stops it, and writes bench/results/<timestamp>/.
# Then (unless BENCH_SIGNED=0) it measures OpenSSL's P-521 rate (`openssl speed`; N/A without openssl) and
# starts the service again with signed deliveries (--ledger.webhook.auth=qitech-es512) for the signed phase.
# Every BENCH_* setting is listed in bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

service_jar=api/target/app/qi-ledger.jar
bench_jar=bench/target/qi-ledger-bench-all.jar

command -v java >/dev/null || { echo "bench: Java 17+ is required (java not on PATH)" >&2; exit 1; }

pgbench_works() {
  # On Debian /usr/bin/pgbench is a wrapper that exists without any client version installed.
  "${BENCH_PGBENCH_COMMAND:-pgbench}" --version >/dev/null 2>&1
}

if [ "${BENCH_PGBENCH:-1}" != 0 ] && ! pgbench_works; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing pgbench (package postgresql-client)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql-client >/dev/null
  fi
  if ! pgbench_works; then
    echo "bench: pgbench is missing; install it (Debian/Ubuntu: apt-get install postgresql-client)," \
         "point BENCH_PGBENCH_COMMAND at it, or skip that phase with BENCH_PGBENCH=0" >&2
    exit 1
  fi
fi

wrk_works() {
  # wrk -v prints its version (and the usage) and exits 1
  local out
  out=$("${BENCH_WRK_COMMAND:-wrk}" -v 2>&1) || true
  case "$out" in wrk\ *) return 0 ;; *) return 1 ;; esac
}

# wrk drives a second maximum-throughput part (beside the Java client's); without it that part is N/A.
if [ "${BENCH_WRK:-1}" != 0 ] && ! wrk_works; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing wrk (package wrk)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || true
    apt-get install -y -qq --no-install-recommends wrk >/dev/null || true
  fi
  if ! wrk_works; then
    echo "bench: wrk is missing, so the wrk maximum-throughput part will be N/A; install it (Debian/Ubuntu:" \
         "apt-get install wrk), point BENCH_WRK_COMMAND at it, or switch it off with BENCH_WRK=0" >&2
  fi
fi

# Maven leaves an up-to-date jar's time alone, so a stamp written after each build marks when it ran.
stamp=bench/target/.built-by-run-sh

needs_build() {
  case "${BENCH_BUILD:-auto}" in
    always) return 0 ;;
    never) return 1 ;;
  esac
  [ -f "$service_jar" ] && [ -f "$bench_jar" ] && [ -f "$stamp" ] || return 0
  # A source or build file changed since the last build.
  [ -n "$(find pom.xml api/pom.xml command/pom.xml query/pom.xml bench/pom.xml embedded-postgres/pom.xml \
            api/src/main command/src/main query/src/main bench/src/main embedded-postgres/src/main \
            -newer "$stamp" -type f -print -quit 2>/dev/null)" ]
}

if needs_build; then
  echo "bench: building the service and the load generator (./mvnw -q -B -DskipTests package)"
  mkdir -p bench/target
  touch "$stamp.new"   # sources changed during the build count as changed next time
  # shellcheck disable=SC2086
  ./mvnw -q -B -DskipTests ${BENCH_MAVEN_ARGS:-} package
  mv "$stamp.new" "$stamp"
fi

export BENCH_CLK_TCK="${BENCH_CLK_TCK:-$(getconf CLK_TCK 2>/dev/null || echo 100)}"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xms256m -Xmx1g} -jar "$bench_jar" "$repo"

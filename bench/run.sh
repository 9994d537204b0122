#!/usr/bin/env bash
# The benchmark of issue 6 (and the signed path of issue 20), from a fresh clone, in one command:
#
#   bench/run.sh                  # full run (about an hour on 2 cores: most of it fills 1,000,000 events)
#   BENCH_QUICK=1 bench/run.sh    # smoke run: short durations, small counts (a few minutes)
#
# It builds the service and the load generator when needed, installs pgbench when missing (Debian/Ubuntu,
# as root), then runs the Java driver (bench/src/main/java/com/qiledger/bench/Bench.java), which starts
# the service on a fresh embedded PostgreSQL, measures, stops it, and writes bench/results/<timestamp>/.
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

# Maven leaves an up-to-date jar's time alone, so a stamp written after each build marks when it ran.
stamp=bench/target/.built-by-run-sh

needs_build() {
  case "${BENCH_BUILD:-auto}" in
    always) return 0 ;;
    never) return 1 ;;
  esac
  [ -f "$service_jar" ] && [ -f "$bench_jar" ] && [ -f "$stamp" ] || return 0
  # A source or build file changed since the last build.
  [ -n "$(find pom.xml api/pom.xml command/pom.xml query/pom.xml bench/pom.xml \
            api/src/main command/src/main query/src/main bench/src/main \
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

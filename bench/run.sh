#!/usr/bin/env bash
# The benchmark of issue 6, from a fresh clone, in one command:
#
#   bench/run.sh                  # full run (about an hour on 2 cores: most of it fills 1,000,000 events)
#   BENCH_QUICK=1 bench/run.sh    # smoke run: short durations, small counts (a few minutes)
#
# It builds the service and the load generator when needed, installs pgbench when missing (Debian/Ubuntu,
# as root), then runs the Java driver (bench/src/main/java/com/qiledger/bench/Bench.java), which starts
# the service on a fresh embedded PostgreSQL, measures, stops it, and writes bench/results/<timestamp>/.
# Every BENCH_* setting is listed in bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

service_jar=api/target/app/qi-ledger.jar
bench_jar=bench/target/qi-ledger-bench.jar

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
    apt-get install -y -qq postgresql-client >/dev/null
  fi
  if ! pgbench_works; then
    echo "bench: pgbench is missing; install it (Debian/Ubuntu: apt-get install postgresql-client)," \
         "point BENCH_PGBENCH_COMMAND at it, or skip that phase with BENCH_PGBENCH=0" >&2
    exit 1
  fi
fi

needs_build() {
  case "${BENCH_BUILD:-auto}" in
    always) return 0 ;;
    never) return 1 ;;
  esac
  [ -f "$service_jar" ] && [ -f "$bench_jar" ] || return 0
  # A source or build file changed since the jars were made.
  [ -n "$(find pom.xml api/pom.xml command/pom.xml query/pom.xml api/src/main command/src/main query/src/main \
            -newer "$service_jar" -type f -print -quit 2>/dev/null)" ] && return 0
  [ -n "$(find bench/pom.xml bench/src -newer "$bench_jar" -type f -print -quit 2>/dev/null)" ] && return 0
  return 1
}

if needs_build; then
  echo "bench: building the service and the load generator (./mvnw -q -B -DskipTests package)"
  # shellcheck disable=SC2086
  ./mvnw -q -B -DskipTests ${BENCH_MAVEN_ARGS:-} package
fi

export BENCH_CLK_TCK="${BENCH_CLK_TCK:-$(getconf CLK_TCK 2>/dev/null || echo 100)}"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xms256m -Xmx1g} -jar "$bench_jar" "$repo"

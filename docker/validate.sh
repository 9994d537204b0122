#!/usr/bin/env bash
# Validates docker/compose.yaml without a Docker engine: `docker compose config` (or the
# standalone docker-compose) only parses and resolves the file. Installs docker-compose from the
# distribution when neither is present (needs root on Debian/Ubuntu).
set -euo pipefail
cd "$(dirname "$0")"
export LEDGER_DB_PASSWORD="${LEDGER_DB_PASSWORD:-validate-only}"
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  apt-get update -qq && apt-get install -y -qq docker-compose >/dev/null
  compose=(docker-compose)
fi
"${compose[@]}" -f compose.yaml config --quiet
echo "docker/compose.yaml is valid"

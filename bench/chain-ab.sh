#!/usr/bin/env bash
# Issue 21: what the audit hash chain adds to a webhook, end to end. Six bench/run.sh runs, chain
# on/off/off/on/on/off (ABBAAB: a drift of the machine falls on both arms), the same fixed load in each
# (BENCH_RATE), then one table of CPU per webhook per run and per arm. Run it on a quiet machine;
# about 22 minutes on 2 cores. Any BENCH_* setting given here overrides the defaults below.
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_WORKLOADS="${BENCH_WORKLOADS:-bank-slip-paid}" BENCH_MILLION="${BENCH_MILLION:-0}" \
  BENCH_SIGNED="${BENCH_SIGNED:-0}" BENCH_FLOOR="${BENCH_FLOOR:-0}" BENCH_WRK="${BENCH_WRK:-0}" \
  BENCH_WARMUP_SECONDS="${BENCH_WARMUP_SECONDS:-60}" BENCH_SETTLE_MAX_SECONDS="${BENCH_SETTLE_MAX_SECONDS:-40}" \
  BENCH_DURATION_SECONDS="${BENCH_DURATION_SECONDS:-30}" BENCH_RATE_DURATION_SECONDS="${BENCH_RATE_DURATION_SECONDS:-30}" \
  BENCH_RATE="${BENCH_RATE:-400}"
runs=()
for arm in on off off on on off; do
  before=$(ls bench/results 2>/dev/null | sort | tail -1)
  if [ "$arm" = on ]; then opts=""; else opts="-Dledger.audit.chain=false"; fi
  BENCH_SERVICE_JAVA_OPTS="$opts" bench/run.sh
  after=$(ls bench/results | sort | tail -1)
  [ "$after" != "$before" ] || { echo "chain-ab: no new results folder" >&2; exit 1; }
  runs+=("$arm:$after")
done
python3 - "${runs[@]}" <<'PY'
import json, sys, statistics
rows = {"on": [], "off": []}
print("| results folder | chain | max webhooks/s | CPU ms/webhook at max | CPU ms/webhook at the fixed rate |")
print("|---|---|---|---|---|")
for arg in sys.argv[1:]:
    arm, folder = arg.split(":", 1)
    b = json.load(open(f"bench/results/{folder}/results.json"))["ingestion"]["bank-slip-paid"]
    def per_webhook(run):
        u = run["usage"]
        return (u["service_cpu_cores"] - u["service_jit_compiler_cpu_cores"] + u["postgres_cpu_cores"]) \
            / run["acknowledged_per_second"] * 1000
    m, c = b["max_throughput"], b["constant_rate"]
    rows[arm].append((per_webhook(m), per_webhook(c)))
    print(f"| {folder} | {arm} | {m['acknowledged_per_second']:.0f} | {per_webhook(m):.3f} | {per_webhook(c):.3f} |")
for i, where in ((0, "at max"), (1, "at the fixed rate")):
    on = statistics.mean(r[i] for r in rows["on"]); off = statistics.mean(r[i] for r in rows["off"])
    print(f"chain {where}: on {on:.3f} ms, off {off:.3f} ms per webhook, share {100 * (on - off) / off:+.1f} %")
PY

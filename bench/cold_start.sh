#!/usr/bin/env bash
# Cold command-line start: a whole `rebalance plan --json` process per run,
# knowledge-base load included. Prints the median and the slowest of N runs.
#   bench/cold_start.sh [BUILD_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build}/rebalance
n=${2:-30}
times=()
for _ in $(seq "$n"); do
  start=$(date +%s%N)
  "$bin" plan examples/office-worker.json --json --start 2026-11-30 >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "cold start, rebalance plan --json (office-worker), $n runs: median $(( sorted[n / 2] / 1000 )).$(( (sorted[n / 2] % 1000) / 100 )) ms, max $(( sorted[n - 1] / 1000 )).$(( (sorted[n - 1] % 1000) / 100 )) ms"

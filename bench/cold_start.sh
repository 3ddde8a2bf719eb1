#!/usr/bin/env bash
# Cold command-line start: a whole `rebalance plan --json` process per run,
# knowledge-base load included, against /bin/true started the same way in
# the same loop (what starting any process costs on this machine at this
# moment). Prints the median and the slowest of N runs of each; with a second
# build directory, its binary runs in the same loop too, so a before/after
# comparison sees the same load on a shared machine.
#   bench/cold_start.sh [BUILD_DIR] [N] [OTHER_BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bins=("${1:-build}/rebalance")
n=${2:-30}
[[ -n "${3:-}" ]] && bins+=("$3/rebalance")

# Microseconds one run of "$@" takes, wall clock.
run_us() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}

# "median M ms, max X ms" of microsecond figures.
summary() {
  local sorted count
  sorted=($(printf '%s\n' "$@" | sort -n))
  count=${#sorted[@]}
  printf 'median %d.%d ms, max %d.%d ms' $((sorted[count / 2] / 1000)) $(((sorted[count / 2] % 1000) / 100)) \
    $((sorted[count - 1] / 1000)) $(((sorted[count - 1] % 1000) / 100))
}

declare -A times
for _ in $(seq "$n"); do
  for i in "${!bins[@]}"; do
    times[$i]+="$(run_us "${bins[$i]}" plan examples/office-worker.json --json --start 2026-11-30) "
  done
  times[true]+="$(run_us /bin/true) "
done
for i in "${!bins[@]}"; do
  echo "cold start, ${bins[$i]} plan --json (office-worker), $n runs: $(summary ${times[$i]})"
done
echo "/bin/true in the same loop, $n runs: $(summary ${times[true]})"

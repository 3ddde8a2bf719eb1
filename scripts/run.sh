#!/usr/bin/env bash
# Builds Rebalance and runs the main job: a corrective program for an example intake.
# Extra arguments go to `rebalance plan`; without an intake, examples/office-worker.json is planned.
set -euo pipefail
cd "$(dirname "$0")/.."
# Build progress goes to stderr, so that `scripts/run.sh ... --json > program.json` stays clean.
scripts/deps.sh >&2
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREBALANCE_TESTS=OFF -DREBALANCE_BENCH=OFF >&2
cmake --build build --target rebalance >&2
# Without an intake among the arguments, plan the example one (flags still apply).
intake_given=no
for arg in "$@"; do
  case "$arg" in -) intake_given=yes ;; -*) ;; *.json) intake_given=yes ;; esac
done
if [ "$intake_given" = no ]; then set -- examples/office-worker.json "$@"; fi
exec build/rebalance plan "$@"

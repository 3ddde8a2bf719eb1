#!/usr/bin/env bash
# Builds Rebalance and runs the main job: the web service on an embedded SQLite
# database (var/rebalance.db), listening on http://127.0.0.1:8080. It prints the
# address and how to log in (on first start: a one-time admin setup command).
# Extra arguments go to `rebalance serve` (e.g. --port 9000, --bind 0.0.0.0).
set -euo pipefail
cd "$(dirname "$0")/.."
# Build progress goes to stderr, so that standard output is the server's own.
scripts/deps.sh >&2
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREBALANCE_TESTS=OFF -DREBALANCE_BENCH=OFF >&2
cmake --build build --target rebalance >&2
exec build/rebalance serve "$@"

#!/usr/bin/env bash
# Builds Rebalance and runs the main job: the web app and its API on an
# embedded SQLite database (var/rebalance.db), at http://127.0.0.1:8080. It
# prints the address and, on first start, the one-time admin setup token.
# Extra arguments go to `rebalance serve` (e.g. --port 9000, --bind 0.0.0.0).
set -euo pipefail
cd "$(dirname "$0")/.."
# Build progress goes to stderr, so that standard output is the server's own.
scripts/deps.sh >&2
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREBALANCE_TESTS=OFF -DREBALANCE_BENCH=OFF >&2
cmake --build build --target rebalance >&2
scripts/build-web.sh
exec build/rebalance serve "$@"

#!/usr/bin/env bash
# Builds and runs every test:
#  1. the whole tree with g++ (warnings as errors) and the browser app, then
#     CTest: unit, golden, property, storage, API, HTTP and command-line
#     tests, the app's Vitest tests and its end-to-end test in Chromium, with
#     a throwaway PostgreSQL server (scripts/with-postgres.sh) so that the
#     storage suite and the two-process test also run on PostgreSQL;
#  2. the engine and its tests with clang 14 under AddressSanitizer and
#     UndefinedBehaviorSanitizer;
#  3. the intake-parser fuzzer (libFuzzer) for FUZZ_SECONDS (default 60) seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
jobs=$(nproc)

echo "== build and test (g++)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREBALANCE_TESTS=ON -DREBALANCE_BENCH=ON \
  -DREBALANCE_WEB_TESTS=ON >/dev/null
cmake --build build -j "$jobs"
scripts/build-web.sh
scripts/with-postgres.sh ctest --test-dir build --output-on-failure -j "$jobs"

echo "== engine tests under ASan + UBSan, and the fuzzer (clang 14)"
CC=clang-14 CXX=clang++-14 cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DREBALANCE_ENGINE_ONLY=ON -DREBALANCE_SANITIZE=ON -DREBALANCE_FUZZ=ON -DREBALANCE_BENCH=OFF >/dev/null
cmake --build build-san -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-san --output-on-failure -j "$jobs"

echo "== fuzzer regressions, then fuzzing the intake parser for ${FUZZ_SECONDS:-60} s"
build-san/fuzz/fuzz_intake fuzz/regressions/* 2>&1 | tail -n 1
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
cp examples/*.json fuzz/corpus/*.json "$corpus"/
build-san/fuzz/fuzz_intake -max_total_time="${FUZZ_SECONDS:-60}" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$corpus" 2>&1 | tail -n 12
echo "== all tests passed"

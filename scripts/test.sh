#!/usr/bin/env bash
# Builds and runs every test:
#  1. the whole tree with g++ (warnings as errors) and the browser app, then
#     CTest: unit, golden, property, storage, API, HTTP and command-line
#     tests, the app's Vitest tests and its end-to-end test in Chromium, with
#     a throwaway PostgreSQL server (scripts/with-postgres.sh) so that the
#     storage suite and the two-process test also run on PostgreSQL;
#  2. the engine and its tests with clang 14 under AddressSanitizer and
#     UndefinedBehaviorSanitizer, with the service libraries the fuzzers need;
#  3. the fuzzers (libFuzzer, same sanitizers): their regression inputs, then
#     each for a while: the intake parser for FUZZ_SECONDS (default 45)
#     seconds, HTTP parsing and routing and each JSON body of the service
#     (log, review, revision, program request) for FUZZ_SERVICE_SECONDS
#     (default 20) seconds each.
# Both builds treat warnings as errors (REBALANCE_WERROR): the project's own
# CI only; a user's build never does.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
jobs=$(nproc)

echo "== build and test (g++)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREBALANCE_TESTS=ON -DREBALANCE_BENCH=ON \
  -DREBALANCE_WEB_TESTS=ON -DREBALANCE_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
scripts/build-web.sh
scripts/with-postgres.sh ctest --test-dir build --output-on-failure -j "$jobs"

echo "== engine tests under ASan + UBSan, and the fuzzer (clang 14)"
CC=clang-14 CXX=clang++-14 cmake -S . -B build-san -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DREBALANCE_ENGINE_ONLY=ON -DREBALANCE_SANITIZE=ON -DREBALANCE_FUZZ=ON -DREBALANCE_BENCH=OFF -DREBALANCE_WERROR=ON >/dev/null
cmake --build build-san -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-san --output-on-failure -j "$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# fuzz TARGET SECONDS: its regression inputs (fuzz/regressions/TARGET), then
# fuzzing from its corpus (fuzz/corpus/TARGET) in a scratch copy.
fuzz() {
  local target=$1 seconds=$2 corpus
  corpus=$(mktemp -d)
  if compgen -G "fuzz/regressions/$target/*" >/dev/null; then
    "build-san/fuzz/fuzz_$target" "fuzz/regressions/$target"/* 2>&1 | tail -n 1
  fi
  cp "fuzz/corpus/$target"/* "$corpus"/
  [ "$target" = intake ] && cp examples/*.json "$corpus"/
  echo "-- fuzz_$target for $seconds s"
  # A finding is kept in build-san/fuzz-findings/ to reproduce: build-san/fuzz/fuzz_TARGET FILE.
  mkdir -p build-san/fuzz-findings
  "build-san/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=build-san/fuzz-findings/ -print_final_stats=1 "$corpus" 2>&1 | tail -n 30
  rm -rf "$corpus"
}
echo "== fuzzers: regressions, then fuzzing"
fuzz intake "${FUZZ_SECONDS:-45}"
for target in http api_log api_review api_revision api_program; do
  fuzz "$target" "${FUZZ_SERVICE_SECONDS:-20}"
done
echo "== all tests passed"

#!/usr/bin/env bash
# Installs the Debian 12 packages Rebalance needs, only those missing.
#   scripts/deps.sh        what building and running needs (Node.js and npm build the browser app)
#   scripts/deps.sh test   plus what the tests need (GoogleTest, Benchmark, clang 14 for fuzzing and
#                          sanitizers, PostgreSQL, Chromium for the browser tests, pdftotext, and
#                          dpkg-shlibdeps and file for the .deb: CPack's shlibdeps step runs both)
set -euo pipefail
packages=(g++ cmake ninja-build pkg-config git ca-certificates
          nlohmann-json3-dev libcli11-dev libfmt-dev libcairo2-dev fonts-dejavu-core
          libboost1.74-dev libsodium-dev libsqlite3-dev libpq-dev libgoogle-perftools-dev)
if [ "${1:-}" = test ]; then
  packages+=(libgtest-dev libgmock-dev libbenchmark-dev clang-14 libclang-rt-14-dev python3 postgresql chromium poppler-utils
             dpkg-dev file)
fi
# Debian's nodejs and npm, unless a Node.js with npm is already there (a
# NodeSource nodejs bundles npm and conflicts with Debian's npm package).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  if [ "$(id -u)" != 0 ]; then sudo=sudo; else sudo=; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

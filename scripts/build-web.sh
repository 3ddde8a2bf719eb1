#!/usr/bin/env bash
# Builds the browser app (web/ -> web/dist) with the npm packages pinned in
# web/package-lock.json. `npm ci` runs only when the lock file changed since
# the last install, so a rebuild takes seconds.
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.rebalance-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "web: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" > "$stamp"
fi
npm run --silent build >&2

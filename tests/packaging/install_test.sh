#!/usr/bin/env bash
# The installed layout: `cmake --install` into a scratch DESTDIR, for the
# Debian prefix /usr and for /usr/local, yields the binary, the knowledge
# base, the built app (when web/dist is built), the systemd unit naming the
# prefix's paths and the config file; the installed binary loads its
# installed data and serves its installed app; `rebalance serve` takes its
# settings from flag > environment > config file.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$1
src=$2
tmp=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
has_file() { [ -f "$1" ] || fail "not installed: ${1#"$tmp"}"; }
has_line() { grep -qxF -- "$2" "$1" || fail "${1#"$tmp"} lacks the line '$2'"; }

# The environment of the caller must not choose for the installed binary.
unset REBALANCE_DATA REBALANCE_WEB REBALANCE_CONFIG
for v in $(env | sed -n 's/^\(REBALANCE_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done

DESTDIR=$tmp/deb cmake --install "$build" --prefix /usr >"$tmp/install.log" 2>&1 || fail "cmake --install --prefix /usr: $(tail -5 "$tmp/install.log")"
DESTDIR=$tmp/local cmake --install "$build" --prefix /usr/local >"$tmp/install-local.log" 2>&1 || fail "cmake --install --prefix /usr/local: $(tail -5 "$tmp/install-local.log")"

# The Debian layout (the .deb's files, from the same rules).
d=$tmp/deb
for f in usr/bin/rebalance usr/share/rebalance/data/kb.json usr/share/doc/rebalance/README.md \
         lib/systemd/system/rebalance.service etc/rebalance/rebalance.conf; do
  has_file "$d/$f"
done
[ -x "$d/usr/bin/rebalance" ] || fail "usr/bin/rebalance is not executable"
[ -e "$d/usr/bin/pose_fit" ] && fail "pose_fit (an authoring aid) is installed"
unit=$d/lib/systemd/system/rebalance.service
has_line "$unit" "ExecStart=/usr/bin/rebalance serve --config /etc/rebalance/rebalance.conf"
for line in User=rebalance StateDirectory=rebalance Restart=on-failure NoNewPrivileges=yes ProtectSystem=strict \
            "CapabilityBoundingSet=" "WantedBy=multi-user.target"; do
  has_line "$unit" "$line"
done
cmp -s "$d/etc/rebalance/rebalance.conf" "$src/packaging/rebalance.conf" || fail "etc/rebalance/rebalance.conf differs from packaging/"
if [ -f "$src/web/dist/index.html" ]; then
  has_file "$d/usr/share/rebalance/web/index.html"
fi

# Any other prefix: everything under it, and the unit names that prefix.
l=$tmp/local
for f in usr/local/bin/rebalance usr/local/share/rebalance/data/kb.json usr/local/lib/systemd/system/rebalance.service \
         usr/local/etc/rebalance/rebalance.conf; do
  has_file "$l/$f"
done
has_line "$l/usr/local/lib/systemd/system/rebalance.service" \
  "ExecStart=/usr/local/bin/rebalance serve --config /usr/local/etc/rebalance/rebalance.conf"
[ -e "$l/etc" ] && fail "--prefix /usr/local wrote outside the prefix: $(find "$l/etc" | head -3)"

# An existing config file is the administrator's: a second install keeps it.
echo "port = 9999" >"$l/usr/local/etc/rebalance/rebalance.conf"
DESTDIR=$l cmake --install "$build" --prefix /usr/local >/dev/null 2>&1 || fail "second cmake --install"
has_line "$l/usr/local/etc/rebalance/rebalance.conf" "port = 9999"

# The installed binary loads the installed knowledge base, not the source
# tree's: it works, and a broken installed copy is what it reports.
bin=$d/usr/bin/rebalance
"$bin" muscles >"$tmp/out" 2>"$tmp/err" || fail "installed rebalance muscles: $(head -c 400 "$tmp/err")"
grep -q "^  iliopsoas " "$tmp/out" || fail "installed rebalance muscles lists no iliopsoas"
cp "$d/usr/share/rebalance/data/kb.json" "$tmp/kb.json"
echo "{" >"$d/usr/share/rebalance/data/kb.json"
"$bin" muscles >/dev/null 2>"$tmp/err" && fail "a broken installed kb.json went unnoticed"
grep -qF "$d/usr/share/rebalance/data" "$tmp/err" || fail "the installed binary did not load its installed data: $(head -c 400 "$tmp/err")"
cp "$tmp/kb.json" "$d/usr/share/rebalance/data/kb.json"

# serve --help names the config file and the variables.
"$bin" serve --help >"$tmp/help" 2>&1 || fail "serve --help"
for word in --config /etc/rebalance/rebalance.conf REBALANCE_CONFIG REBALANCE_PORT REBALANCE_MAX_CONNECTIONS_PER_ADDRESS; do
  grep -qF -- "$word" "$tmp/help" || fail "serve --help does not mention $word"
done

# serve VAR=VALUE... -- ARGS...: starts the installed server, waits for its
# first line; $tmp/serve.out holds its output. Returns non-zero if it exits.
serve() {
  local vars=()
  while [ "$1" != -- ]; do vars+=("$1"); shift; done
  shift
  env "${vars[@]}" "$bin" serve --no-access-log "$@" >"$tmp/serve.out" 2>"$tmp/serve.err" &
  server=$!
  for _ in $(seq 200); do
    grep -q "listening on" "$tmp/serve.out" && return 0
    kill -0 "$server" 2>/dev/null || { server=; return 1; }
    sleep 0.05
  done
  return 1
}
stop() { [ -n "$server" ] && kill "$server" && wait "$server" 2>/dev/null; server=; }
http_get() {
  python3 -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=10).read())' "$1"
}

conf=$tmp/rebalance.conf
printf '# test\nport = 0\ndb = %s\nworkers = 4\n' "$tmp/from-file.db" >"$conf"
# The app is read at start: mark the installed copy first.
[ -f "$src/web/dist/index.html" ] && echo "<!-- installed copy -->" >>"$d/usr/share/rebalance/web/index.html"
if serve -- --config "$conf"; then
  address=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$tmp/serve.out")
  grep -qF "SQLite $tmp/from-file.db" "$tmp/serve.out" || fail "the config file's db was not used: $(head -1 "$tmp/serve.out")"
  http_get "$address/healthz" >"$tmp/health" || fail "GET /healthz of the installed server"
  if [ -f "$src/web/dist/index.html" ]; then
    http_get "$address/" >"$tmp/index" || fail "GET / of the installed server"
    grep -qF "<!-- installed copy -->" "$tmp/index" || fail "the installed server does not serve the installed app"
  fi
  stop
else
  fail "installed serve with a config file did not start: $(head -c 400 "$tmp/serve.err")"
fi
serve REBALANCE_DB="$tmp/from-env.db" -- --config "$conf" &&
  { grep -qF "SQLite $tmp/from-env.db" "$tmp/serve.out" || fail "the environment did not win over the file"; }
stop
serve REBALANCE_DB="$tmp/from-env.db" REBALANCE_CONFIG="$conf" -- --db "$tmp/from-flag.db" &&
  { grep -qF "SQLite $tmp/from-flag.db" "$tmp/serve.out" || fail "the flag did not win over the environment"; }
stop

# Every setting in one file (PostgreSQL, which excludes db, from the
# environment: an unreachable server is bad input, exit 2, not a crash).
cat >"$tmp/all.conf" <<EOF
db = $tmp/all.db
bind = 127.0.0.1
port = 0
threads = 2
workers = 4
data = $d/usr/share/rebalance/data
web = $src/web/dist
public_url = https://rebalance.example.org
access_log = false
trusted_proxies = 127.0.0.1, ::1
max_connections = 100
max_connections_per_address = 10
EOF
[ -f "$src/web/dist/index.html" ] || sed -i '/^web = /d' "$tmp/all.conf"
serve -- --config "$tmp/all.conf" || fail "serve with every setting in the file did not start: $(head -c 400 "$tmp/serve.err")"
stop
REBALANCE_POSTGRES=postgresql://127.0.0.1:1/none timeout 20 "$bin" serve --config /dev/null >/dev/null 2>"$tmp/err"
[ $? = 2 ] || fail "REBALANCE_POSTGRES with no server: exit code not 2: $(head -c 400 "$tmp/err")"

# A bad config file stops serve before it starts, naming FILE:LINE and the key.
printf 'port = 0\nprot = 80\n' >"$tmp/bad.conf"
timeout 20 "$bin" serve --config "$tmp/bad.conf" >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] || fail "a bad config file: exit code not 2"
grep -qF "$tmp/bad.conf:2: prot: " "$tmp/err" || fail "a bad config file: $(head -c 400 "$tmp/err")"
[ -s "$tmp/out" ] && fail "a bad config file: something on stdout"
REBALANCE_PORT=http timeout 20 "$bin" serve --config "$conf" >/dev/null 2>"$tmp/err"
[ $? = 2 ] || fail "a bad variable: exit code not 2"
grep -qF "REBALANCE_PORT: port: " "$tmp/err" || fail "a bad variable: $(head -c 400 "$tmp/err")"
timeout 20 "$bin" serve --config "$tmp/missing.conf" >/dev/null 2>"$tmp/err"
[ $? = 2 ] || fail "a missing --config file: exit code not 2"

[ "$failures" = 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "install layout and installed binary: ok"

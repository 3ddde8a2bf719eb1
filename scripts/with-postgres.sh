#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server:
#   scripts/with-postgres.sh CMD...
# Installs Debian's postgresql when it is missing, creates a cluster in a
# temporary directory under /tmp (owned by and run as the postgres user when
# run as root; the server refuses to run as root), starts it on a free port
# of 127.0.0.1 with trust authentication, creates the database rebalance_test
# and runs CMD with
#   REBALANCE_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:PORT/rebalance_test
# The server is stopped and the directory removed however CMD ends; the exit
# status is CMD's (or 1 when the server could not be set up).
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: $0 CMD..." >&2
  exit 2
fi

if [ "$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi

# Newest installed server version's binaries (Debian: /usr/lib/postgresql/N/bin).
server_bin() {
  local dir
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

if ! bin=$(server_bin); then
  echo "with-postgres: installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Debian's package creates and starts a system-wide cluster; a policy-rc.d
  # that forbids starting services keeps anything from being left running.
  policy=/usr/sbin/policy-rc.d
  added_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    added_policy=1
  fi
  status=0
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null; } || status=$?
  if [ -n "$added_policy" ]; then $sudo rm -f "$policy"; fi
  [ "$status" = 0 ] || { echo "with-postgres: installing postgresql failed" >&2; exit 1; }
  bin=$(server_bin) || { echo "with-postgres: no initdb under /usr/lib/postgresql/*/bin" >&2; exit 1; }
fi

tmp=$(mktemp -d /tmp/rebalance-postgres.XXXXXX)
data="$tmp/data"

# Runs a server program as the cluster's owner, from a directory it can read.
if [ "$(id -u)" = 0 ]; then
  # The postgres user must reach its programs. A root directory only root may
  # enter (a chroot made with mktemp -d, say) stops every program it runs;
  # a normal system's / is 755, so open it that far and say so.
  if ! runuser -u postgres -- "$bin/initdb" --version >/dev/null 2>&1; then
    mode=$(stat -c %a /)
    if [ $((8#$mode & 8#005)) -ne 5 ]; then
      echo "with-postgres: / is closed to other users (mode $mode); setting 755 as on a normal system" >&2
      chmod 755 /
    fi
    runuser -u postgres -- "$bin/initdb" --version >/dev/null 2>&1 || {
      echo "with-postgres: the postgres user cannot run $bin/initdb" >&2
      exit 1
    }
  fi
  chown postgres:postgres "$tmp"
  as_owner() { (cd "$tmp" && runuser -u postgres -- "$@"); }
else
  as_owner() { (cd "$tmp" && "$@"); }
fi

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  local pid
  pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 || kill -KILL "$pid" 2>/dev/null || true
    # pg_ctl returns once the pid file is gone; the postmaster exits just after.
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_owner "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$tmp/initdb.log" 2>&1 || {
  cat "$tmp/initdb.log" >&2
  exit 1
}

# True when something accepts connections on 127.0.0.1:$1.
in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A random port nothing listens on; if another process takes it before the
# server binds, the start fails and the next candidate is tried.
port=
for _ in $(seq 1 20); do
  candidate=$((20000 + RANDOM % 40000))
  in_use "$candidate" && continue
  if as_owner "$bin/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 60 \
      -o "-p $candidate -c listen_addresses=127.0.0.1 -c unix_socket_directories=$tmp -c fsync=off" start >/dev/null 2>&1; then
    port=$candidate
    break
  fi
  # pg_ctl may give up while the server still runs; stop it before the next try.
  as_owner "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
done
if [ -z "$port" ]; then
  echo "with-postgres: could not start a server; its log:" >&2
  cat "$tmp/server.log" >&2 2>/dev/null || true
  exit 1
fi

for _ in $(seq 1 100); do
  as_owner "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
  sleep 0.1
done
as_owner "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" || { echo "with-postgres: server on port $port does not answer" >&2; exit 1; }
as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres rebalance_test

export REBALANCE_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/rebalance_test"
echo "with-postgres: $REBALANCE_TEST_POSTGRES_URL" >&2
status=0
"$@" || status=$?
exit "$status"

#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the test suite.
#   start   start (or reuse) a cluster; prints the SQLAlchemy URL on stdout
#   stop    stop it and delete its data
#   status  exit 0 if the recorded cluster is running
# State (URL, data dir) lives in .pgtest/state so stop/reuse work across shells.
set -euo pipefail
cd "$(dirname "$0")/.."

STATE_DIR="$PWD/.pgtest"
STATE="$STATE_DIR/state"
DB=dossier_test

# Highest installed server version, e.g. /usr/lib/postgresql/15/bin.
# shellcheck disable=SC2012  # fixed, well-formed paths; ls|sort -V is clearest here
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "pg-test-server: no /usr/lib/postgresql/*/bin/initdb; run scripts/system-deps.sh" >&2
  exit 1
fi

# postgres refuses to run as root, so as root everything runs as the 'postgres' user.
# cd / first: the caller's cwd (e.g. /root) may be unreadable for that user.
as_pg() {
  if [ "$(id -u)" -ne 0 ]; then
    "$@"
  elif command -v runuser >/dev/null; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && su -s /bin/sh postgres -c "$(printf '%q ' "$@")")
  fi
}

# shellcheck source=/dev/null
load_state() { [ -f "$STATE" ] && . "$STATE"; }

is_running() {
  load_state || return 1
  [ -d "${PGTEST_DATA:-}" ] && as_pg "$BIN/pg_ctl" status -D "$PGTEST_DATA" >/dev/null 2>&1
}

stop() {
  load_state || { echo "pg-test-server: not running" >&2; return 0; }
  if [ -d "${PGTEST_DATA:-}" ]; then
    # Throwaway data: immediate shutdown is fine and fast.
    as_pg "$BIN/pg_ctl" stop -D "$PGTEST_DATA" -m immediate -w >/dev/null 2>&1 || true
  fi
  [ -n "${PGTEST_DIR:-}" ] && rm -rf -- "$PGTEST_DIR"
  rm -f -- "$STATE"
  echo "pg-test-server: stopped" >&2
}

start() {
  if is_running; then
    echo "pg-test-server: reusing cluster on port $PGTEST_PORT" >&2
    echo "$PGTEST_URL"
    return 0
  fi
  [ -f "$STATE" ] && stop  # stale state from a crashed run

  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "pg-test-server: running as root but there is no 'postgres' user" >&2
    exit 1
  fi

  local base="${TMPDIR:-/tmp}" dir data port
  # As root, use /tmp: the postgres user must be able to reach the directory.
  [ "$(id -u)" -eq 0 ] && base=/tmp
  dir="$(mktemp -d "$base/dossier-pgtest.XXXXXX")"
  data="$dir/data"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"

  # Record state right away so 'stop' can clean up even if start fails halfway.
  mkdir -p "$STATE_DIR"
  printf 'PGTEST_DIR=%q\nPGTEST_DATA=%q\n' "$dir" "$data" > "$STATE"

  # initdb needs C.UTF-8 in libc; minimal images may lack it, so fall back to no locale.
  if ! as_pg "$BIN/initdb" -D "$data" --auth=trust -U postgres --encoding=UTF8 \
         --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    rm -rf -- "$data"
    as_pg "$BIN/initdb" -D "$data" --auth=trust -U postgres --encoding=UTF8 \
      --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; stop; exit 1; }
  fi

  # Ask the kernel for a free port unless PGTEST_PORT is given.
  port="${PGTEST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"

  # Speed over durability: this cluster is deleted after the run.
  cat >> "$data/postgresql.conf" <<CONF

# --- dossier test settings ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF

  if ! as_pg "$BIN/pg_ctl" start -D "$data" -l "$dir/server.log" -w -t 60 >/dev/null; then
    cat "$dir/server.log" >&2 || true
    stop; exit 1
  fi
  as_pg "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB"

  # Through the Unix socket, not TCP on 127.0.0.1: a test run makes hundreds of thousands of
  # round trips, and one over the socket costs about half as much (measured: ~100 µs against
  # ~190 µs for SELECT 1 on this 2-core machine), CPU that both test runs share.
  local url="postgresql+psycopg://postgres@/$DB?host=$dir&port=$port"
  printf 'PGTEST_PORT=%q\nPGTEST_URL=%q\n' "$port" "$url" >> "$STATE"
  echo "pg-test-server: started on $dir (socket) and 127.0.0.1:$port (data $data)" >&2
  echo "$url"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) is_running ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

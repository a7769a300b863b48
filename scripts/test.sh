#!/usr/bin/env bash
# THE test command: runs the pytest suite against SQLite, then against a throwaway
# PostgreSQL. Extra arguments go to pytest (both runs), e.g. scripts/test.sh -k login -x
# TEST_BACKENDS="sqlite" or "postgres" (or both, space/comma separated) limits the runs.
# With both, the two runs go side by side (TEST_PARALLEL=0 runs them one after the other):
# SQLite's output streams, PostgreSQL's is printed when it ends.
# TEST_WORKERS=N spreads each run over N pytest-xdist workers, a file at a time (0: one
# process). By default each run gets the cores left to it: with both backends side by side on
# 2 cores that is one each, and xdist would only add its workers' start-up (measured).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh
bash scripts/setup.sh

# Lint and format first: a style failure fails CI as a test would, in seconds.
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Import layers (pyproject.toml [tool.importlinter]): views → operations → engine → tables.
.venv/bin/lint-imports

if [ -n "${TEST_WORKERS:-}" ] && ! [[ "$TEST_WORKERS" =~ ^[0-9]+$ ]]; then
  echo "test.sh: TEST_WORKERS must be a number (0: no xdist), not '$TEST_WORKERS'" >&2
  exit 2
fi

backends="${TEST_BACKENDS:-sqlite postgres}"
backends="${backends//,/ }"
for b in $backends; do
  case "$b" in
    sqlite|postgres|postgresql) ;;
    *) echo "test.sh: unknown backend '$b' in TEST_BACKENDS (use sqlite, postgres)" >&2; exit 2 ;;
  esac
done

summary=()
failed=0
work="$(mktemp -d)"

# Runs pytest with the given env assignments (env -u/VAR=...) and writes its verdict to
# $work/<label>.result (a file, so that a run in the background can report too).
run_pytest() {
  local label="$1"; shift
  local envargs=("$@")
  echo "===== $label =====" >&2
  local rc=0
  # Each run its own temporary tree: two pytest sessions must not clean up each other's.
  env "${envargs[@]}" .venv/bin/python -m pytest --basetemp="$work/tmp-$label" \
    "${XDIST_ARGS[@]}" "${PYTEST_ARGS[@]}" || rc=$?
  if [ "$rc" -eq 0 ]; then
    echo "$label: passed" > "$work/$label.result"
  elif [ "$rc" -eq 5 ]; then
    # pytest exit 5 = no tests collected; a suite that tests nothing must not look green.
    echo "$label: failed (no tests collected, exit 5)" > "$work/$label.result"
  else
    echo "$label: failed (exit $rc)" > "$work/$label.result"
  fi
}

collect() {
  local label="$1"
  local line
  line="$(cat "$work/$label.result" 2>/dev/null || echo "$label: failed (no result)")"
  summary+=("$line")
  [[ "$line" == *": passed" ]] || failed=1
}

PYTEST_ARGS=("$@")
pg_started=0
pg_job=""
# shellcheck disable=SC2329  # invoked via trap
cleanup() {
  [ -n "$pg_job" ] && kill "$pg_job" 2>/dev/null
  [ "$pg_started" -eq 1 ] && bash scripts/pg-test-server.sh stop
  rm -rf "$work"
  true
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # make Ctrl-C go through the EXIT trap

want_sqlite=0; want_pg=0
for b in $backends; do
  case "$b" in
    sqlite) want_sqlite=1 ;;
    postgres|postgresql) want_pg=1 ;;
  esac
done

pg_url=""
if [ "$want_pg" -eq 1 ]; then
  # Leave a cluster someone started by hand running; only stop what we start.
  bash scripts/pg-test-server.sh status || pg_started=1
  if ! pg_url="$(bash scripts/pg-test-server.sh start)"; then
    echo "PostgreSQL: failed (could not start server)" > "$work/PostgreSQL.result"
    want_pg=0
  fi
fi

side_by_side=0
if [ "$want_sqlite" -eq 1 ] && [ "$want_pg" -eq 1 ] && [ "${TEST_PARALLEL:-1}" != 0 ]; then
  side_by_side=1
fi
if [ -n "${TEST_WORKERS:-}" ]; then
  workers="$TEST_WORKERS"
else
  workers=$(($(nproc) / (1 + side_by_side)))
  [ "$workers" -ge 2 ] || workers=0 # a single worker would only add xdist's start-up
fi
XDIST_ARGS=()
if [ "$workers" -gt 0 ]; then XDIST_ARGS=(-n "$workers" --dist loadfile); fi

# Tests whose outcome does not depend on the database (marked one_backend(group) in tests/)
# run in one backend's run only when both run: the Chromium page sweeps (accessibility, CSP,
# forms on a phone, the dashboard) in PostgreSQL's, the Chromium flows (with each role's
# tasks and home page) and the header, control-character, malformed-input and server sweeps
# in SQLite's;
# the groups are sized so that the two runs side by side end together (PostgreSQL's own
# tests are the slower half). A single backend's run runs them all.
sqlite_env=(-u TEST_DATABASE_URL)
pg_env=("TEST_DATABASE_URL=$pg_url")
if [ "$want_sqlite" -eq 1 ] && [ "$want_pg" -eq 1 ]; then
  sqlite_env+=("TEST_LEAVE_OUT=pages")
  pg_env+=("TEST_LEAVE_OUT=neutral flows")
fi
# Bytecode and pytest's rewritten test modules kept between runs (this machine sets
# PYTHONDONTWRITEBYTECODE, which made every run compile ~1,400 modules again: 8 s CPU each).
sqlite_env=(-u PYTHONDONTWRITEBYTECODE "${sqlite_env[@]}")
pg_env=(-u PYTHONDONTWRITEBYTECODE "${pg_env[@]}")

if [ "$side_by_side" -eq 1 ]; then
  run_pytest "PostgreSQL" "${pg_env[@]}" > "$work/PostgreSQL.log" 2>&1 &
  pg_job=$!
  run_pytest "SQLite" "${sqlite_env[@]}"
  wait "$pg_job" || true
  pg_job=""
  cat "$work/PostgreSQL.log"
else
  if [ "$want_sqlite" -eq 1 ]; then run_pytest "SQLite" "${sqlite_env[@]}"; fi
  if [ "$want_pg" -eq 1 ]; then run_pytest "PostgreSQL" "${pg_env[@]}"; fi
fi
for b in $backends; do
  case "$b" in
    sqlite) collect "SQLite" ;;
    postgres|postgresql) collect "PostgreSQL" ;;
  esac
done

echo >&2
printf '%s\n' "${summary[@]}"
exit "$failed"

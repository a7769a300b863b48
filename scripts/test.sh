#!/usr/bin/env bash
# THE test command: runs the pytest suite against SQLite, then against a throwaway
# PostgreSQL. Extra arguments go to pytest (both runs), e.g. scripts/test.sh -k login -x
# TEST_BACKENDS="sqlite" or "postgres" (or both, space/comma separated) limits the runs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh
bash scripts/setup.sh

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

# Runs pytest with the given env assignments (env -u/VAR=...) and records the result.
run_pytest() {
  local label="$1"; shift
  local envargs=("$@")
  echo "===== $label =====" >&2
  local rc=0
  env "${envargs[@]}" .venv/bin/python -m pytest "${PYTEST_ARGS[@]}" || rc=$?
  if [ "$rc" -eq 0 ]; then
    summary+=("$label: passed")
  elif [ "$rc" -eq 5 ]; then
    # pytest exit 5 = no tests collected; a suite that tests nothing must not look green.
    summary+=("$label: failed (no tests collected, exit 5)")
    failed=1
  else
    summary+=("$label: failed (exit $rc)")
    failed=1
  fi
}

PYTEST_ARGS=("$@")
pg_started=0
# shellcheck disable=SC2329  # invoked via trap
stop_pg() { [ "$pg_started" -eq 1 ] && bash scripts/pg-test-server.sh stop || true; }
trap stop_pg EXIT
trap 'exit 130' INT TERM  # make Ctrl-C go through the EXIT trap

for b in $backends; do
  case "$b" in
    sqlite)
      run_pytest "SQLite" -u TEST_DATABASE_URL ;;
    postgres|postgresql)
      # Leave a cluster someone started by hand running; only stop what we start.
      bash scripts/pg-test-server.sh status || pg_started=1
      if url="$(bash scripts/pg-test-server.sh start)"; then
        run_pytest "PostgreSQL" "TEST_DATABASE_URL=$url"
      else
        summary+=("PostgreSQL: failed (could not start server)")
        failed=1
      fi ;;
  esac
done

echo >&2
printf '%s\n' "${summary[@]}"
exit "$failed"

#!/usr/bin/env bash
# Serve the application with gunicorn (settings: gunicorn.conf.py) on $HOST:$PORT.
# The database must be migrated first (scripts/run.sh does it). GUNICORN overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
# Compile the app's bytecode once here rather than in every worker at each start (a no-op
# when it is up to date; PYTHONDONTWRITEBYTECODE would keep the workers from saving it).
"$(dirname "${GUNICORN:-.venv/bin/gunicorn}")/python" -m compileall -q dossier workflows wsgi.py \
  >/dev/null 2>&1 || true
exec "${GUNICORN:-.venv/bin/gunicorn}" --config gunicorn.conf.py wsgi:app

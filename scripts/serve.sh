#!/usr/bin/env bash
# Serve the application with gunicorn (settings: gunicorn.conf.py) on $HOST:$PORT.
# The database must be migrated first (scripts/run.sh does it). GUNICORN overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${GUNICORN:-.venv/bin/gunicorn}" --config gunicorn.conf.py wsgi:app

#!/usr/bin/env bash
# THE run command: install, migrate, load demo data, serve on http://$HOST:$PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

# Graphviz draws the workflow diagram; without root the page shows the table alone.
bash scripts/system-deps.sh run || echo "run.sh: Graphviz not installed; diagram page shows a table" >&2
bash scripts/setup.sh

export FLASK_APP=wsgi
.venv/bin/flask --app wsgi db upgrade
.venv/bin/flask --app wsgi demo
# gunicorn, not Flask's development server (see gunicorn.conf.py; HOST/PORT honoured).
exec bash scripts/serve.sh

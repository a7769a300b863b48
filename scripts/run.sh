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
exec .venv/bin/flask --app wsgi run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"

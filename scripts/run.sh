#!/usr/bin/env bash
# THE run command: install, migrate, load demo data, serve on http://$HOST:$PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

export FLASK_APP=wsgi
.venv/bin/flask --app wsgi db upgrade
.venv/bin/flask --app wsgi demo
exec .venv/bin/flask --app wsgi run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"

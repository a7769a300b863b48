#!/usr/bin/env bash
# THE run command: install, migrate, load demo data, serve on http://$HOST:$PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

# Liberation Serif sets every PDF (Times New Roman metrics); Graphviz draws the workflow
# diagram. Without root: the diagram page shows the table alone, and the PDFs need the
# fonts installed by hand (or DOSSIER_FONT_DIR pointing at LiberationSerif-*.ttf).
bash scripts/system-deps.sh run \
  || echo "run.sh: fonts-liberation2/graphviz not installed: PDFs need Liberation Serif" >&2
bash scripts/setup.sh

export FLASK_APP=wsgi
.venv/bin/flask --app wsgi db upgrade
.venv/bin/flask --app wsgi demo
# gunicorn, not Flask's development server (see gunicorn.conf.py; HOST/PORT honoured).
exec bash scripts/serve.sh

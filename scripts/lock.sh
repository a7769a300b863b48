#!/usr/bin/env bash
# Regenerate requirements.lock: every package the app and its tests install, pinned, with the
# sha256 of each of its files on PyPI (`pip install --require-hashes` refuses anything else).
# Run it after changing a dependency in pyproject.toml; tests/test_lock.py fails until you do.
# uv resolves for Python 3.11 on any platform, so the lock installs on x86_64 and aarch64 alike.
set -euo pipefail
cd "$(dirname "$0")/.."
tool="$(mktemp -d)"
trap 'rm -rf "$tool"' EXIT
"${PYTHON:-python3.11}" -m venv "$tool/venv"
"$tool/venv/bin/python" -m pip install -q uv
"$tool/venv/bin/uv" pip compile pyproject.toml --extra test --generate-hashes \
  --python-version 3.11 --universal --no-header --quiet \
  --custom-compile-command "bash scripts/lock.sh" -o requirements.lock
# uv names pyproject.toml in "via" comments with an absolute path on some versions.
sed -i "s#$(pwd)/##g" requirements.lock
echo "lock: requirements.lock ($(grep -c '^[a-z0-9]' requirements.lock) packages)"

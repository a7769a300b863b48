#!/usr/bin/env bash
# Create/refresh the project virtualenv (.venv) and install the app with test extras.
# Idempotent: re-running only reinstalls when pyproject.toml or requirements.lock changed
# (or FORCE=1).
set -euo pipefail
cd "$(dirname "$0")/.."

# Prefer an explicit python3.11 (the project's baseline); else whatever python3 is.
PYTHON="${PYTHON:-$(command -v python3.11 || echo python3)}"

# The venv starts without pip: uv installs into it (ensurepip alone took ~5 s). pip is
# added only where uv cannot be used (ensure_pip below).
if [ ! -x .venv/bin/python ]; then
  rm -rf .venv
  "$PYTHON" -m venv --without-pip .venv
fi

# pip in the venv: ensurepip, which Debian ships apart (python3-venv); installed if we can.
ensure_pip() {
  [ -e .venv/bin/pip ] && return 0
  if ! .venv/bin/python -m ensurepip --default-pip >/dev/null 2>&1; then
    if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
      echo "setup: no ensurepip; installing python3-venv via apt" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt_install() { apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends python3-venv; }
      # On a fresh image the package lists may be empty: update and retry once.
      apt_install || { apt-get -o DPkg::Lock::Timeout=600 update && apt_install; }
      rm -rf .venv
      "$PYTHON" -m venv .venv
    else
      echo "setup: no ensurepip for $PYTHON; install the venv module (e.g. apt-get install python3-venv) and retry" >&2
      exit 1
    fi
  fi
}

stamp=.venv/.setup-stamp
want="$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)"
if [ "${FORCE:-0}" = 1 ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  # The local pip config lists extra index locations that do not exist here;
  # pip warns "Location ... is ignored" for each one. Those lines are harmless noise,
  # as is setuptools' generic "Editable installation" warning (silenced via PYTHONWARNINGS).
  quiet_pip() {
    PYTHONWARNINGS=ignore "$@" 2>&1 | { grep -v "^WARNING: Location '.*' is ignored" || true; }
    return "${PIPESTATUS[0]}"
  }
  # Exactly the versions that passed CI, each file checked against its sha256
  # (requirements.lock, made by scripts/lock.sh); then the app itself, adding nothing.
  # uv installs them (~10 s on a fresh machine, bytecode compiled in parallel; pip took
  # ~40 s); uv itself comes from the lock's own pinned, hashed entry. Where uv cannot run
  # or reach an index (pip's own configuration, e.g. a local mirror, is pip's only), pip
  # installs the same lock.
  uv_pin="$(awk '/^uv==/{keep=1; print; next} keep && /^ /{print; next} {keep=0}' requirements.lock)"
  tool="$(mktemp -d)"
  trap 'rm -rf "$tool"' EXIT
  # uv from the lock's entry: the venv's own (a re-run), or put aside by the interpreter's
  # pip, or by the venv's pip once it has one.
  uv=""
  if [ "${SETUP_PIP_ONLY:-0}" != 1 ] && [ -n "$uv_pin" ]; then
    echo "$uv_pin" > "$tool/uv.txt"
    if [ -x .venv/bin/uv ]; then
      uv=.venv/bin/uv
    elif quiet_pip "$PYTHON" -m pip install -q --root-user-action=ignore --no-deps --require-hashes \
      --target "$tool/uv" -r "$tool/uv.txt" >/dev/null 2>&1; then
      uv="$tool/uv/bin/uv"
    elif ensure_pip && quiet_pip .venv/bin/python -m pip install -q --no-deps --require-hashes \
      -r "$tool/uv.txt"; then
      uv=.venv/bin/uv
    fi
  fi
  installed=0
  if [ -n "$uv" ]; then
    if "$uv" pip install -q --python .venv/bin/python --compile-bytecode \
      --require-hashes -r requirements.lock \
      && "$uv" pip install -q --python .venv/bin/python --no-deps -e .; then
      installed=1
    else
      echo "setup: uv could not install requirements.lock; pip will" >&2
    fi
  fi
  if [ "$installed" -eq 0 ]; then
    ensure_pip
    quiet_pip .venv/bin/python -m pip install -q --upgrade pip
    quiet_pip .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
    quiet_pip .venv/bin/python -m pip install -q --no-deps -e .
  fi
  echo "$want" > "$stamp"
  echo "setup: .venv ready ($(.venv/bin/python --version))"
fi
# Bytecode compiled once at install: where PYTHONDONTWRITEBYTECODE is set (as on these
# machines) every server start would otherwise compile the app's ~170 modules again
# (issue 17: part of the 2-4 s to the first 200). Cheap when already up to date.
.venv/bin/python -m compileall -q dossier workflows wsgi.py >/dev/null
# The templates too (dossier/template_cache.py): the app reads .template-cache/, never
# writes it; a template edited since is compiled on first use as before.
.venv/bin/python -m dossier.template_install >/dev/null

#!/usr/bin/env bash
# Install OS packages the app and its tests need (Debian/Ubuntu, as root).
# Fast no-op when everything is already present.
#   system-deps.sh        what the tests need (browser, PDF tools, PostgreSQL, fonts, Graphviz)
#   system-deps.sh run    what the running app needs: Liberation Serif (the metric twin of
#                         Times New Roman) for every PDF, Graphviz for the workflow diagram,
#                         libcairo2 for the charts' PNG (CairoSVG)
#   system-deps.sh bench  wrk, the HTTP load generator of bench/http_compare.py, and ss
#                         (iproute2), which shows how its connections sit on the workers
set -euo pipefail

MODE="${1:-test}"
if [ "$MODE" = "run" ]; then
  PKGS=(fonts-liberation2 graphviz libcairo2)
elif [ "$MODE" = "bench" ]; then
  PKGS=(wrk iproute2)
else
  PKGS=(chromium poppler-utils postgresql fonts-liberation2 fonts-noto-core graphviz libcairo2)
fi

have_fonts() {
  # Fonts have no binary to probe; look for the files the app registers.
  [ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-BoldItalic.ttf ]
}

have_all() {
  if [ "$MODE" = "bench" ]; then
    command -v wrk >/dev/null && command -v ss >/dev/null
    return
  fi
  command -v dot >/dev/null || return 1
  have_fonts || return 1
  ldconfig -p 2>/dev/null | grep -q 'libcairo\.so\.2' || return 1
  [ "$MODE" = "run" ] && return 0
  [ -x /usr/bin/chromium ] || return 1
  command -v pdftotext >/dev/null || return 1
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || return 1
  dpkg-query -W -f='${Status}\n' fonts-noto-core 2>/dev/null \
    | grep -q 'install ok installed' || return 1
}

if have_all; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing system packages; as root run: apt-get install -y ${PKGS[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "system-deps: apt-get not found; install manually: ${PKGS[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Wait (up to 10 min) for any other apt/dpkg run instead of failing on the lock.
APT=(apt-get -o DPkg::Lock::Timeout=600)
echo "system-deps: installing ${PKGS[*]} (first run can take several minutes)" >&2
"${APT[@]}" update
"${APT[@]}" install -y --no-install-recommends "${PKGS[@]}"

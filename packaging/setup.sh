#!/usr/bin/env bash
# Set up KitStation on a Debian/Ubuntu machine: system packages (apt, with sudo when not root)
# and the Python packages into the project-local virtual environment .venv.
#   bash packaging/setup.sh          # what the station needs to run
#   bash packaging/setup.sh --dev    # + what the test suite needs (PostgreSQL, Xvfb, poppler...)
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[[ "${1:-}" == "--dev" ]] && DEV=1

RUNTIME_PKGS=(python3 python3-venv python3-pip adb libusb-1.0-0 fonts-noto-cjk fonts-ipafont-gothic
  libegl1 libgl1 libdbus-1-3 libxkbcommon0 libfontconfig1
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1)
DEV_PKGS=(postgresql poppler-utils poppler-data xvfb xauth imagemagick libimobiledevice-utils zbar-tools apksigner)

pkgs=("${RUNTIME_PKGS[@]}")
[[ $DEV == 1 ]] && pkgs+=("${DEV_PKGS[@]}")

if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if (( ${#missing[@]} )); then
    SUDO=""
    [[ $(id -u) != 0 ]] && SUDO="sudo"
    echo "setup: installing system packages: ${missing[*]}"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
else
  echo "setup: no apt-get here; install these yourself if missing: ${pkgs[*]}" >&2
fi

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "setup: KitStation needs Python 3.11 or newer ($PY is $("$PY" --version 2>&1))" >&2
  exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip setuptools wheel
if [[ $DEV == 1 ]]; then
  .venv/bin/python -m pip install -q -e ".[dev]"
else
  .venv/bin/python -m pip install -q -e .
fi
# Compile the Qt Linguist translations (.ts -> .qm); the GUI also does it on start when needed.
if .venv/bin/python -c 'import kitstation.ui.translations' 2>/dev/null; then
  .venv/bin/python -m kitstation.ui.translations
fi
echo "setup: ready (.venv)"

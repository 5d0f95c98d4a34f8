#!/usr/bin/env bash
# Set up KitStation on a Debian/Ubuntu machine: system packages (apt, with sudo when not root),
# the udev rules that let the technician's account reach the phones, and the Python packages into
# the project-local virtual environment .venv, at the versions CI passed with (constraints.txt).
#   bash packaging/setup.sh          # what the station needs to run
#   bash packaging/setup.sh --dev    # + what the test suite needs (PostgreSQL, Xvfb, poppler...)
# PYTHON=python3.13 picks the interpreter; VENV=.venv-3.13 another environment folder.
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[[ "${1:-}" == "--dev" ]] && DEV=1

# usbmuxd: the daemon through which every iPhone/iPad is reached (without it no iOS device is seen).
# android-sdk-platform-tools-common: adb's udev rules (a "recommends" of adb, which
# --no-install-recommends would otherwise drop).
RUNTIME_PKGS=(python3 python3-venv python3-pip adb android-sdk-platform-tools-common usbmuxd libusb-1.0-0
  fonts-noto-cjk fonts-ipafont-gothic
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

# The project's own rules (Samsung 04e8, Apple 05ac), wherever udev is; see packaging/linux/.
SUDO=""
[[ $(id -u) != 0 ]] && SUDO="sudo"
if [[ -d /etc/udev ]]; then
  rules=/etc/udev/rules.d/51-kitstation.rules
  if ! cmp -s packaging/linux/51-android.rules "$rules" 2>/dev/null; then
    echo "setup: installing USB rules for Galaxy and iPhone ($rules)"
    $SUDO install -D -m 0644 packaging/linux/51-android.rules "$rules"
    # No running udev (a container, CI): the rules apply from the next boot or plug-in.
    $SUDO udevadm control --reload-rules 2>/dev/null && $SUDO udevadm trigger --subsystem-match=usb 2>/dev/null || true
  fi
else
  echo "setup: no udev on this machine (a container?): USB rules not installed, real phones need them"
fi
who=${SUDO_USER:-$(id -un)}
if [[ $who != root ]] && getent group plugdev >/dev/null && ! id -nG "$who" | tr ' ' '\n' | grep -qx plugdev; then
  echo "setup: $who is not in the plugdev group, so adb cannot open Galaxy phones from a remote or"
  echo "       headless session (a desktop session at the machine gets access through uaccess)."
  echo "       To add it: sudo usermod -aG plugdev $who   (then log out and in again)"
fi
if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
  # usbmuxd is started by udev when an Apple device is plugged in; say if it is masked/disabled.
  state=$(systemctl is-enabled usbmuxd 2>/dev/null || true)
  [[ $state == masked ]] && echo "setup: usbmuxd is masked: iPhones will not be seen (sudo systemctl unmask usbmuxd)"
fi

PY=${PYTHON:-python3}
VENV=${VENV:-.venv}
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "setup: KitStation needs Python 3.11 or newer ($PY is $("$PY" --version 2>&1))" >&2
  exit 1
fi
if [[ ! -x $VENV/bin/python ]]; then
  "$PY" -m venv "$VENV"
fi
# The exact versions CI passed with (packaging/constraints.txt); pyproject.toml has the ranges.
CONSTRAINTS=(-c packaging/constraints.txt)
"$VENV/bin/python" -m pip install -q --upgrade "${CONSTRAINTS[@]}" pip setuptools wheel
if [[ $DEV == 1 ]]; then
  "$VENV/bin/python" -m pip install -q "${CONSTRAINTS[@]}" -e ".[dev,bundle]"
else
  "$VENV/bin/python" -m pip install -q "${CONSTRAINTS[@]}" -e .
fi
# Compile the Qt Linguist translations (.ts -> .qm) beside their sources (the editable install's
# build step does it too; a wheel carries them compiled).
"$VENV/bin/python" -m kitstation.ui.translations >/dev/null
echo "setup: ready ($VENV)"

#!/usr/bin/env bash
# Test what users install: build the sdist and the wheel from the checkout's tracked files (not its
# compiled translations or caches), install the wheel into a fresh venv outside the checkout at the
# versions CI passed with, and smoke-test it from an empty folder: the CLI (--version, examples,
# blueprint validate, simulate, prepare --simulate --json) and the GUI offscreen in Japanese and
# English (title, menus, demo blueprints). Prints one line per check; exits non-zero on the first
# failure.
#   bash packaging/smoke_wheel.sh                 # python3.11 (or $PYTHON)
#   KEEP=1 bash packaging/smoke_wheel.sh          # keep the temp folder to look at
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PY=${PYTHON:-$( [[ -x .venv/bin/python ]] && .venv/bin/python -c 'import sys; print(sys._base_executable)' || echo python3)}
WORK=$(mktemp -d /tmp/kitstation-wheel.XXXXXX)
cleanup() {
  [[ -n ${SIM_PID:-} ]] && kill "$SIM_PID" 2>/dev/null || true
  if [[ ${KEEP:-0} == 1 ]]; then echo "smoke-wheel: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
# The build environment and the installed station both use the tested versions.
export PIP_CONSTRAINT=$REPO/packaging/constraints.txt
step() { echo "smoke-wheel: $*"; }
fail() { echo "smoke-wheel: FAIL $*" >&2; exit 1; }

step "copying the tracked files to $WORK/src (what a fresh clone has, plus files not yet committed)"
mkdir -p "$WORK/src"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -c -f - | tar -x -f - -C "$WORK/src"
t0=$(date +%s)
step "python -m build (sdist, then the wheel from the sdist) with $PY"
"$PY" -m venv "$WORK/buildenv"
"$WORK/buildenv/bin/python" -m pip install -q build
"$WORK/buildenv/bin/python" -m build --outdir "$WORK/dist" "$WORK/src" >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; fail "build"; }
wheel=$(ls "$WORK"/dist/kitstation-*.whl)
step "built $(basename "$wheel") and $(basename "$WORK"/dist/kitstation-*.tar.gz) in $(( $(date +%s) - t0 )) s"
for f in kitstation/data/translations/kitstation_ja.qm kitstation/data/translations/kitstation_en.qm \
         kitstation/data/examples/ios-supervised-dep.toml kitstation/data/examples/android-device-owner.toml \
         kitstation/data/examples/files/android/kitstation-demo-agent.apk kitstation/data/icons/kitstation.svg \
         kitstation/log/migrations/env.py kitstation/log/migrations/script.py.mako; do
  unzip -l "$wheel" "$f" >/dev/null || fail "the wheel lacks $f"
done
step "ok   the wheel carries the translations (.qm), examples, icon and migrations"

t0=$(date +%s)
"$PY" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q "$wheel" >"$WORK/install.log" 2>&1 || { tail -30 "$WORK/install.log"; fail "pip install the wheel"; }
step "installed into a fresh venv in $(( $(date +%s) - t0 )) s"
mkdir -p "$WORK/empty" "$WORK/home"
cd "$WORK/empty"
# Nothing from the checkout: its own HOME and data folders, no PYTHONPATH, an empty working folder.
export HOME=$WORK/home XDG_DATA_HOME=$WORK/home/.local/share XDG_CONFIG_HOME=$WORK/home/.config
export KITSTATION_DATA_DIR=$WORK/home/data KITSTATION_CONFIG_DIR=$WORK/home/config KITSTATION_LOG_DIR=$WORK/home/logs
unset PYTHONPATH KITSTATION_DB || true
export QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1
KS=$WORK/venv/bin/kitstation
where=$("$WORK/venv/bin/python" -I -c 'import kitstation; print(kitstation.__file__)')
[[ $where == "$WORK/venv/"* ]] || fail "kitstation imported from $where, not the fresh venv"
step "ok   kitstation imports from the fresh venv ($where)"

out=$("$KS" --version) && [[ $out == "kitstation "* ]] || fail "--version: $out"
step "ok   kitstation --version: $out"

"$KS" examples --out blueprints >/dev/null || fail "kitstation examples --out"
"$KS" blueprint validate blueprints/*.toml >"$WORK/validate.log" || { cat "$WORK/validate.log"; fail "blueprint validate"; }
step "ok   kitstation examples --out blueprints; blueprint validate: $(grep -c ': OK' "$WORK/validate.log") valid"

# `simulate` runs until stopped: wait for its ready line, then stop it as Ctrl-C would.
"$KS" simulate --ios 1 --android 1 >"$WORK/simulate.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 600); do
  grep -q "Ctrl-C" "$WORK/simulate.log" && break
  kill -0 "$SIM_PID" 2>/dev/null || break
  sleep 0.2
done
grep -q "Ctrl-C" "$WORK/simulate.log" || { cat "$WORK/simulate.log"; fail "simulate never became ready"; }
kill -INT "$SIM_PID"
wait "$SIM_PID" && rc=0 || rc=$?
SIM_PID=
[[ $rc == 0 ]] || { cat "$WORK/simulate.log"; fail "simulate exited $rc after Ctrl-C"; }
step "ok   kitstation simulate --ios 1 --android 1 (ready, stopped cleanly)"

"$KS" identity new --name acme-kitting --org "Demo customer" >/dev/null || fail "identity new"
# The example's Wi-Fi password comes from the environment, as on a station (never an argument).
KITSTATION_SECRET_KITTING_WIFI=demo-only-password "$KS" prepare --simulate 4 -b blueprints/ios-supervise.toml -b blueprints/android-device-owner.toml --json \
  >"$WORK/prepare.json" 2>"$WORK/prepare.err" && rc=0 || rc=$?
[[ $rc == 0 ]] || { cat "$WORK/prepare.json" "$WORK/prepare.err"; fail "prepare --simulate 4 exited $rc"; }
n=$("$WORK/venv/bin/python" -I -c '
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
# Until --json keeps progress off stdout, the JSON document starts at a line "[" alone.
start = lines.index("[") if "[" in lines else 0
data = json.loads("\n".join(lines[start:]))
print(sum(1 for d in data if d["state"] == "done"))' "$WORK/prepare.json") || fail "prepare --json output is not JSON"
[[ $n == 4 ]] || { cat "$WORK/prepare.json"; fail "prepare --simulate 4: $n of 4 devices done"; }
step "ok   kitstation prepare --simulate 4 --json: 4 of 4 devices done"

for lang in ja en; do
  locale=$([[ $lang == ja ]] && echo ja_JP.UTF-8 || echo en_US.UTF-8)
  LANG=$locale LC_ALL= "$WORK/venv/bin/python" -I "$REPO/packaging/smoke_gui.py" "$lang" 4 || fail "GUI in $lang"
done
step "all checks passed"

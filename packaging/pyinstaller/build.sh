#!/usr/bin/env bash
# Build the one-folder PyInstaller bundle from kitstation.spec and smoke-test it offscreen:
# `kitstation --version`, the examples it carries, then `kitstation --simulate 4` (the GUI, in
# Japanese) until its simulated bench has logged devices, stopped with SIGTERM as a service
# manager would. Prints the build time and the bundle's size (the figures in packaging/README.md).
#   bash packaging/pyinstaller/build.sh            # with .venv (pip install -e ".[bundle]")
#   PY=/path/to/python bash packaging/pyinstaller/build.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
PY=${PY:-.venv/bin/python}
# Absolute: the smoke test runs from an empty folder elsewhere.
PY=$(command -v "$PY" 2>/dev/null || echo "$PY")
[[ $PY == /* ]] || PY=$REPO/$PY
OUT=${OUT:-$(mktemp -d /tmp/kitstation-bundle.XXXXXX)}
mkdir -p "$OUT"
GUI_PID=
cleanup() { [[ -n $GUI_PID ]] && kill "$GUI_PID" 2>/dev/null || true; }
trap cleanup EXIT
step() { echo "bundle: $*"; }
fail() { echo "bundle: FAIL $*" >&2; exit 1; }

"$PY" -c 'import PyInstaller' 2>/dev/null || fail "PyInstaller is not installed in $PY's environment (pip install -e \".[bundle]\" -c packaging/constraints.txt)"
t0=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$OUT/dist" --workpath "$OUT/work" \
  packaging/pyinstaller/kitstation.spec >"$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log"; fail "pyinstaller"; }
secs=$(( $(date +%s) - t0 ))
size=$(du -sm "$OUT/dist/kitstation" | cut -f1)
step "built $OUT/dist/kitstation in ${secs} s, ${size} MB ($(find "$OUT/dist/kitstation" -type f | wc -l) files)"

BIN=$OUT/dist/kitstation/kitstation
mkdir -p "$OUT/empty" "$OUT/home"
cd "$OUT/empty"
export HOME=$OUT/home KITSTATION_DATA_DIR=$OUT/home/data KITSTATION_CONFIG_DIR=$OUT/home/config KITSTATION_LOG_DIR=$OUT/home/logs
unset PYTHONPATH KITSTATION_DB || true
export QT_QPA_PLATFORM=offscreen

out=$("$BIN" --version) && [[ $out == "kitstation "* ]] || fail "--version: $out"
step "ok   --version: $out"
"$BIN" examples --out blueprints >/dev/null && "$BIN" blueprint validate blueprints/*.toml >/dev/null || fail "examples / blueprint validate"
step "ok   examples --out, blueprint validate ($(ls blueprints/*.toml | wc -l) blueprints)"

# The GUI on 4 simulated devices, in Japanese; the log (migrated by alembic from the bundle's files)
# fills as the bench prepares them with its demo blueprints.
LANG=ja_JP.UTF-8 "$BIN" --simulate 4 >"$OUT/gui.log" 2>&1 &
GUI_PID=$!
done_runs=0
# `log --json` exits 2 until the GUI has created the log (a loaded machine takes a while); with
# pipefail that would end this script, so a failed poll counts as nothing logged yet.
for _ in $(seq 1 900); do
  kill -0 "$GUI_PID" 2>/dev/null || break
  done_runs=$("$BIN" log --json 2>/dev/null | "$PY" -c 'import json,sys
try:
    rows = json.load(sys.stdin)
except ValueError:
    rows = []
print(sum(1 for r in rows if r.get("status") in ("ok", "waiting_external")))') || done_runs=0
  (( done_runs >= 4 )) && break
  sleep 0.5
done
kill -0 "$GUI_PID" 2>/dev/null || { cat "$OUT/gui.log"; fail "the GUI exited on its own"; }
(( done_runs >= 4 )) || { cat "$OUT/gui.log"; fail "the simulated bench finished $done_runs of 4 devices"; }
kill -TERM "$GUI_PID"
wait "$GUI_PID" && rc=0 || rc=$?
GUI_PID=
[[ $rc == 0 ]] || { cat "$OUT/gui.log"; fail "the GUI exited $rc after SIGTERM"; }
grep -qi "traceback" "$OUT/gui.log" && { cat "$OUT/gui.log"; fail "tracebacks in the GUI's output"; }
grep -q "stays in English" "$OUT/gui.log" && { cat "$OUT/gui.log"; fail "the bundle's translations were not found"; }
step "ok   --simulate 4 (offscreen, Japanese): 4 devices prepared and logged; closed cleanly on SIGTERM"
step "all checks passed (bundle in $OUT/dist/kitstation)"

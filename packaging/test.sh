#!/usr/bin/env bash
# Run every check CI runs: ruff, mypy, the import contract, the example blueprints, the tests.
# Needs `bash packaging/setup.sh --dev` first (the README's test command does both).
#   bash packaging/test.sh [PYTEST ARGS]      # everything, with .venv
#   VENV=.venv-3.13 bash packaging/test.sh --fast
#       the fast part of the suite only, with another interpreter's environment
#       (PYTHON=python3.13 VENV=.venv-3.13 bash packaging/setup.sh --dev): what depends on the
#       interpreter (asyncio, sockets and TLS in the simulators, the adapters, the log); not the
#       GUI and the reports (pure Python on abi3 wheels), nor slow or PostgreSQL tests; no lint.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
VENV=${VENV:-.venv}
FAST=0
if [[ ${1:-} == --fast ]]; then
  FAST=1
  shift
fi
[[ -x $VENV/bin/python ]] || { echo "test: no $VENV: run packaging/setup.sh --dev first" >&2; exit 2; }
echo "== $("$VENV/bin/python" --version) ($VENV)"
# Translations are build products: a checkout compiles them beside their sources.
"$VENV/bin/python" -m kitstation.ui.translations >/dev/null

if [[ $FAST == 0 ]]; then
  echo "== ruff"
  "$VENV/bin/ruff" check kitstation tests benchmarks
  echo "== mypy"
  "$VENV/bin/mypy" kitstation
  echo "== import contract"
  "$VENV/bin/lint-imports"
  echo "== example blueprints"
  shopt -s nullglob
  examples=(kitstation/data/examples/*.toml)
  if (( ${#examples[@]} )); then
    "$VENV/bin/kitstation" blueprint validate "${examples[@]}"
  fi
  echo "== tests"
  "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
else
  echo "== tests (fast part: no GUI, reports, slow or PostgreSQL tests)"
  "$VENV/bin/python" -m pytest -q -p no:cacheprovider -m "not slow and not postgres" \
    --ignore=tests/ui --ignore=tests/reports "$@"
fi

#!/usr/bin/env bash
# Run every check CI runs: ruff, mypy, the import contract, the example blueprints, the tests.
# Needs `bash packaging/setup.sh --dev` first (the README's test command does both).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1

echo "== ruff"
.venv/bin/ruff check kitstation tests benchmarks
echo "== mypy"
.venv/bin/mypy kitstation
echo "== import contract"
.venv/bin/lint-imports
echo "== example blueprints"
shopt -s nullglob
examples=(examples/*.toml)
if (( ${#examples[@]} )); then
  .venv/bin/kitstation blueprint validate "${examples[@]}"
fi
echo "== tests"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"

"""The import contract is enforced: the real tree keeps it, and a core module importing Qt breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = str(Path(sys.executable).with_name("lint-imports"))


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(cwd))
    return subprocess.run([LINT, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_tree_keeps_the_contract() -> None:
    res = _lint(ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "broken" in res.stdout and " 0 broken" in res.stdout


def test_a_core_module_importing_qt_breaks_the_build(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "kitstation", tmp_path / "kitstation", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "kitstation" / "core" / "sneaky.py").write_text('"""Not allowed."""\n\nfrom PySide6 import QtCore  # noqa: F401\n')
    res = _lint(tmp_path)
    assert res.returncode != 0
    assert "The core imports neither Qt nor a device library BROKEN" in res.stdout
    assert "kitstation.core.sneaky" in res.stdout

"""The import contracts are enforced: the real tree keeps them; a core module importing Qt, the log
importing the core (the layers) and a UI module importing PySide6 directly each break them."""

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


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "kitstation", tmp_path / "kitstation", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path / "kitstation"


def test_the_log_importing_the_core_breaks_the_layers(tmp_path: Path) -> None:
    pkg = _copy(tmp_path)
    (pkg / "log" / "upward.py").write_text('"""Not allowed."""\n\nfrom kitstation.core import bench  # noqa: F401\n')
    res = _lint(tmp_path)
    assert res.returncode != 0
    assert "The layers: each imports only those below it BROKEN" in res.stdout
    assert "kitstation.log.upward" in res.stdout


def test_a_ui_module_importing_pyside6_directly_breaks_the_build(tmp_path: Path) -> None:
    pkg = _copy(tmp_path)
    (pkg / "ui" / "direct.py").write_text('"""Not allowed."""\n\nfrom PySide6 import QtWidgets  # noqa: F401\n')
    res = _lint(tmp_path)
    assert res.returncode != 0
    assert "Qt only through kitstation.ui.qt (qasync also in kitstation.ui.app) BROKEN" in res.stdout
    assert "kitstation.ui.direct" in res.stdout

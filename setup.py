"""Build step: compile the Qt Linguist translations (.ts -> .qm) into the wheel.

Everything else about the package is declared in pyproject.toml. The .qm files are build
products (not committed): ``build_py`` compiles each ``kitstation/data/translations/*.ts`` with
pyside6-lrelease (PySide6-Essentials is a build requirement) into the build directory, so a
wheel carries them and the installed station never writes into its install directory. An
editable install compiles them beside their sources instead (a checkout is the developer's).
A build without lrelease fails here, rather than shipping a station that is half English.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
TS_DIR = Path("kitstation", "data", "translations")


def find_lrelease() -> str:
    """The lrelease of the PySide6 in the build environment (else one on the PATH)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for name in ("lrelease", "lrelease.exe", "Qt/libexec/lrelease"):
                candidate = Path(folder) / name
                if candidate.is_file():
                    return str(candidate)
    here = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe"):
        if (here / name).is_file():
            return str(here / name)
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if found is None:
        raise SystemExit("build: pyside6-lrelease not found; install PySide6-Essentials to build KitStation")
    return found


class BuildWithTranslations(build_py):  # type: ignore[misc]  # setuptools ships no type hints here
    """build_py that also compiles the translations."""

    def run(self) -> None:
        super().run()
        sources = sorted((HERE / TS_DIR).glob("kitstation_*.ts"))
        if not sources:
            raise SystemExit(f"build: no translation sources in {TS_DIR}")
        out_dir = HERE / TS_DIR if self.editable_mode else Path(self.build_lib) / TS_DIR
        out_dir.mkdir(parents=True, exist_ok=True)
        tool = find_lrelease()
        for ts in sources:
            qm = out_dir / (ts.stem + ".qm")
            subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)
            if not qm.is_file() or qm.stat().st_size == 0:
                raise SystemExit(f"build: lrelease produced no {qm}")
            print(f"build: compiled {ts.name} -> {qm}")


setup(cmdclass={"build_py": BuildWithTranslations})

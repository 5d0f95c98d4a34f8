"""Qt Linguist translations: compile the .ts sources to .qm (at build time), install the translators.

The .ts files in ``kitstation/data/translations`` are the sources (reviewed like code); the compiled
.qm files are build products, not committed. A wheel (and a PyInstaller bundle) carries them:
the build compiles them with pyside6-lrelease (see ``setup.py``). In a source checkout,
``python -m kitstation.ui.translations`` compiles them beside their sources (the set-up script and
the test script run it). The running app only reads them as package data: it never writes into
its install directory, which may be read-only; a missing .qm leaves the UI in its English sources
and says so in the log.
Qt's own ``qtbase_ja.qm`` translates the standard buttons (OK, Cancel, wizard Back/Next).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from kitstation import paths
from kitstation.i18n import Language, current_language, set_language
from kitstation.ui.qt import QCoreApplication, QLibraryInfo, QTranslator

log = logging.getLogger(__name__)

LANGUAGES: tuple[Language, ...] = ("ja", "en")


def translations_dir() -> Path:
    """The package's translations folder (the .ts sources and, once built, the compiled .qm)."""
    return paths.resource("translations")


def lrelease() -> str | None:
    """pyside6-lrelease beside this interpreter (a venv), else on the PATH."""
    here = Path(sys.executable).parent / "pyside6-lrelease"
    if here.exists():
        return str(here)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compile_ts(ts: Path, qm: Path, tool: str | None = None) -> None:
    """Compile one .ts to .qm with lrelease; raises RuntimeError with the reason when it cannot."""
    tool = tool or lrelease()
    if tool is None:
        raise RuntimeError("pyside6-lrelease not found (it comes with PySide6-Essentials)")
    qm.parent.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RuntimeError(f"compiling {ts.name} failed: {exc}") from exc
    if not qm.is_file() or qm.stat().st_size == 0:
        raise RuntimeError(f"compiling {ts.name} produced no {qm.name}")


def compile_translations(force: bool = False, folder: Path | None = None) -> list[Path]:
    """Compile every kitstation_*.ts whose .qm is missing or older; returns the .qm files present.

    A developer's step (a source checkout) and the build's, never the running app's.
    """
    out: list[Path] = []
    folder = folder or translations_dir()
    for ts in sorted(folder.glob("kitstation_*.ts")):
        qm = ts.with_suffix(".qm")
        if force or not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            try:
                compile_ts(ts, qm)
            except RuntimeError as exc:
                log.warning("%s: %s stays uncompiled", exc, ts.name)
                continue
        if qm.exists():
            out.append(qm)
    return out


# Translators installed by any Translations object: an application has one language at a time,
# so a switch removes them all (a second window or a test must not leave Qt's Japanese buttons behind).
_INSTALLED: list[QTranslator] = []


class Translations:
    """The translators installed in the application; ``switch()`` changes language at once."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self._installed = _INSTALLED
        self.language: Language = "en"

    def clear(self) -> None:
        """Remove every installed translator (the UI falls back to its English sources)."""
        for t in self._installed:
            self.app.removeTranslator(t)
            t.deleteLater()
        self._installed.clear()

    def switch(self, language: str | None) -> Language:
        """Install the translators for "ja"/"en"/"system"; the core's Text follows the same choice."""
        set_language(None if language in (None, "", "system") else language)
        lang = current_language()
        self.clear()
        own = QTranslator(self.app)
        qm = translations_dir() / f"kitstation_{lang}.qm"
        if own.load(str(qm)):
            self.app.installTranslator(own)
            self._installed.append(own)
        else:
            # A checkout whose translations were never compiled (or a broken package).
            log.warning("%s not found or unreadable: the UI stays in English (python -m kitstation.ui.translations)", qm)
        if lang == "ja":
            base = QTranslator(self.app)
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if base.load("qtbase_ja", qt_dir):
                self.app.installTranslator(base)
                self._installed.append(base)
        self.language = lang
        return lang


def main() -> int:
    """Compile the translations (for the set-up script and packagers)."""
    produced = compile_translations(force="--force" in sys.argv)
    for qm in produced:
        print(qm)
    return 0 if produced else 1


__all__ = ["LANGUAGES", "Translations", "compile_translations", "compile_ts", "lrelease", "main", "translations_dir"]

if __name__ == "__main__":
    sys.exit(main())

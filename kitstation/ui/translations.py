"""Qt Linguist translations: compile the .ts sources to .qm when needed, install the translators.

The .ts files in ``resources/translations`` are the sources (reviewed like code); the compiled
.qm files are build products and not committed, so the app compiles them with pyside6-lrelease
at start when one is missing or older than its source. ``python -m kitstation.ui.translations``
does the same ahead of time (the set-up script runs it; a read-only install needs it).
Qt's own ``qtbase_ja.qm`` translates the standard buttons (OK, Cancel, wizard Back/Next).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from kitstation.i18n import Language, current_language, set_language
from kitstation.ui.qt import QCoreApplication, QLibraryInfo, QTranslator

log = logging.getLogger(__name__)

LANGUAGES: tuple[Language, ...] = ("ja", "en")


def translations_dir() -> Path:
    """resources/translations in a source checkout (the .ts and the compiled .qm live together)."""
    return Path(__file__).resolve().parents[2] / "resources" / "translations"


def _lrelease() -> str | None:
    here = Path(sys.executable).parent / "pyside6-lrelease"
    if here.exists():
        return str(here)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def compile_translations(force: bool = False) -> list[Path]:
    """Compile every kitstation_*.ts whose .qm is missing or older; returns the .qm files present."""
    out: list[Path] = []
    folder = translations_dir()
    for ts in sorted(folder.glob("kitstation_*.ts")):
        qm = ts.with_suffix(".qm")
        if force or not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            tool = _lrelease()
            if tool is None:
                log.warning("pyside6-lrelease not found: %s stays uncompiled", ts.name)
                continue
            try:
                subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True)
            except (OSError, subprocess.CalledProcessError) as exc:
                # A read-only install or a broken tool: the UI falls back to its English sources.
                log.warning("compiling %s failed: %s", ts.name, exc)
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
        compile_translations()
        own = QTranslator(self.app)
        if own.load(str(translations_dir() / f"kitstation_{lang}.qm")):
            self.app.installTranslator(own)
            self._installed.append(own)
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


__all__ = ["LANGUAGES", "Translations", "compile_translations", "main", "translations_dir"]

if __name__ == "__main__":
    sys.exit(main())

"""Settings, blueprint library and reports: the station's smaller windows.

Every dialog is shown with ``open()`` (never ``exec()``: a nested event loop inside a qasync
coroutine re-enters the asyncio loop), and reports are written on a worker thread with progress.
"""

from __future__ import annotations

import inspect
import threading
from pathlib import Path
from typing import Any

from kitstation.blueprints.loader import BlueprintError, load_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.i18n import current_language
from kitstation.log.store import KitLog, RunFilter
from kitstation.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QObject,
    QProgressBar,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from kitstation.ui.settings import Settings
from kitstation.ui.wizard import blueprints_dir


class SettingsDialog(QDialog):
    """Language applies at once; the database takes effect when the bench is next started."""

    def __init__(self, settings: Settings, slot_names: dict[str, str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Settings"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.language = QComboBox(self)
        self.language.addItem(self.tr("System language"), "system")
        self.language.addItem("日本語", "ja")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        form.addRow(self.tr("Language:"), self.language)
        self.database = QLineEdit(settings.database, self)
        self.database.setPlaceholderText(self.tr("Default: the SQLite file in the data folder"))
        form.addRow(self.tr("Database URL:"), self.database)
        self.technician = QLineEdit(settings.technician, self)
        form.addRow(self.tr("Technician:"), self.technician)
        self.erase = QSpinBox(self)
        self.erase.setRange(1, 64)
        self.erase.setValue(int(settings.limits.get("erase", 8)))
        form.addRow(self.tr("Erases at once:"), self.erase)
        self.downloads = QSpinBox(self)
        self.downloads.setRange(1, 64)
        self.downloads.setValue(int(settings.limits.get("apk_download", 4)))
        form.addRow(self.tr("APK downloads at once:"), self.downloads)
        self.max_ios = QSpinBox(self)
        self.max_ios.setRange(1, 64)
        self.max_ios.setValue(settings.max_ios)
        form.addRow(self.tr("iOS devices worked on at once:"), self.max_ios)
        self.max_android = QSpinBox(self)
        self.max_android.setRange(1, 64)
        self.max_android.setValue(settings.max_android)
        form.addRow(self.tr("Android devices worked on at once:"), self.max_android)
        layout.addLayout(form)
        self.slot_names = QLineEdit(self)
        if slot_names:
            self.slot_names.setText(", ".join(f"{k}={v}" for k, v in slot_names.items()))
        self.slot_names.setPlaceholderText(self.tr("slot=label, … (e.g. 1-1.2=Hub A port 2)"))
        layout.addWidget(QLabel(self.tr("Slot names:"), self))
        layout.addWidget(self.slot_names)
        note = QLabel(self.tr("The language changes at once; the database and limits apply when the bench starts."))
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def apply(self) -> dict[str, str]:
        """Copy the fields into the settings and save; returns the slot names typed."""
        s = self.settings
        s.language = str(self.language.currentData())
        s.database = self.database.text().strip()
        s.technician = self.technician.text().strip()
        s.limits = dict(s.limits, erase=self.erase.value(), apk_download=self.downloads.value())
        s.max_ios = self.max_ios.value()
        s.max_android = self.max_android.value()
        s.save()
        names = {}
        for part in self.slot_names.text().split(","):
            if "=" in part:
                k, v = part.split("=", 1)
                if k.strip():
                    names[k.strip()] = v.strip()
        return names


class LibraryDialog(QDialog):
    """Blueprint files in the data folder's blueprints folder plus the ones opened before."""

    chosen = Signal(object)  # a validated Blueprint

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Blueprint library"))
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        layout.addWidget(self.list, 1)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color:#c62828")
        layout.addWidget(self.problem)
        row = QHBoxLayout()
        open_button = QPushButton(self.tr("Open file…"), self)
        open_button.clicked.connect(self._open_file)
        use = QPushButton(self.tr("Use for the bench"), self)
        use.clicked.connect(self._use)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        row.addWidget(open_button)
        row.addStretch(1)
        row.addWidget(use)
        row.addWidget(close)
        layout.addLayout(row)
        self.list.itemDoubleClicked.connect(lambda _i: self._use())
        self.refresh()

    def files(self) -> list[Path]:
        seen: dict[str, Path] = {}
        for p in sorted(blueprints_dir().glob("*.toml")):
            seen[str(p.resolve())] = p
        for r in self.settings.recent_blueprints:
            p = Path(r)
            if p.is_file():
                seen.setdefault(str(p.resolve()), p)
        return list(seen.values())

    def refresh(self) -> None:
        self.list.clear()
        for p in self.files():
            try:
                bp = load_blueprint(p, check_files=False)
                platforms = " + ".join(x for x, s in (("iOS", bp.ios), ("Android", bp.android)) if s is not None)
                text = f"{bp.name}  [{platforms}]\n{p}"
            except BlueprintError:
                text = f"{p.name}  ⚠\n{p}"
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, str(p))

    def _open_file(self) -> None:
        dlg = QFileDialog(self, self.tr("Open blueprint"), str(blueprints_dir()), "*.toml")
        dlg.fileSelected.connect(self._opened)
        dlg.open()

    def _opened(self, path: str) -> None:
        self.settings.remember(Path(path))
        self.settings.save()
        self.refresh()

    def _use(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        try:
            bp = load_blueprint(str(item.data(Qt.ItemDataRole.UserRole)))
        except BlueprintError as exc:
            self.problem.setText(exc.render(current_language()))
            return
        self.chosen.emit(bp)
        self.accept()


class _Worker(QObject):
    progress = Signal(int, int)
    finished = Signal(object, str)


class ReportsDialog(QDialog):
    """Export the log (the history's current filter) with the reports package, on a worker thread."""

    def __init__(self, kitlog: KitLog | None, flt: RunFilter | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kitlog = kitlog
        self.filter = flt or RunFilter()
        self.setWindowTitle(self.tr("Export a kitting report"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.format = QComboBox(self)
        for key, label in (("pdf", "PDF"), ("xlsx", "Excel (XLSX)"), ("csv", "CSV"), ("json", "JSON"),
                           ("kme-csv", self.tr("KME device list (CSV)")), ("abm-csv", self.tr("ABM serial list (CSV)"))):
            self.format.addItem(label, key)
        form.addRow(self.tr("Format:"), self.format)
        self.path = QLineEdit(self)
        form.addRow(self.tr("File:"), self.path)
        layout.addLayout(form)
        self.bar = QProgressBar(self)
        layout.addWidget(self.bar)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.worker = _Worker(self)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.format.currentIndexChanged.connect(self._default_path)
        self._default_path()

    def _default_path(self, *_: object) -> None:
        from kitstation import paths

        ext = {"kme-csv": "csv", "abm-csv": "csv"}.get(str(self.format.currentData()), str(self.format.currentData()))
        self.path.setText(str(paths.data_dir() / "reports" / f"kitting-report.{ext}"))

    def export(self) -> None:
        fn = _export_function()
        if fn is None or self.kitlog is None:
            self.status.setText(self.tr("Reports are not available in this installation."))
            return
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Exporting…"))
        fmt, out = str(self.format.currentData()), Path(self.path.text())
        out.parent.mkdir(parents=True, exist_ok=True)
        threading.Thread(target=self._run, args=(fn, fmt, out), daemon=True, name="report").start()

    def _run(self, fn: Any, fmt: str, out: Path) -> None:
        try:
            kwargs: dict[str, Any] = {}
            params = inspect.signature(fn).parameters
            if "progress" in params:
                kwargs["progress"] = lambda done, total: self.worker.progress.emit(int(done), int(total))
            if "options" in params:
                from kitstation.reports.model import ReportOptions

                kwargs["options"] = ReportOptions(language=current_language())
            result = fn(self.kitlog, fmt, out, self.filter, **kwargs)
        except Exception as exc:  # shown in the dialog; the traceback goes to the log file
            import logging

            logging.getLogger(__name__).exception("report export failed")
            self.worker.finished.emit(None, str(exc))
            return
        self.worker.finished.emit(result, "")

    def _progress(self, done: int, total: int) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)

    def _finished(self, result: Any, error: str) -> None:
        self.export_button.setEnabled(True)
        if error:
            self.status.setText(self.tr("The report could not be written: %1").replace("%1", error))
            return
        self.bar.setValue(self.bar.maximum())
        path = getattr(result, "path", self.path.text())
        self.status.setText(self.tr("Report written: %1").replace("%1", str(path)))


def _export_function() -> Any:
    """The reports package's export entry point (None where an installation leaves reports out)."""
    try:
        from kitstation.reports import export_report
    except ImportError:
        return None
    return export_report


def open_blueprint(path: str) -> Blueprint:
    return load_blueprint(path)

"""Settings, blueprint library and reports: the station's smaller windows.

Every dialog is shown with ``open()`` (never ``exec()``: a nested event loop inside a qasync
coroutine re-enters the asyncio loop), and reports are written off the GUI thread (:mod:`kitstation.ui.ops`) with progress.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kitstation.blueprints.loader import BlueprintError, load_blueprint
from kitstation.blueprints.wizard import duplicate
from kitstation.i18n import current_language
from kitstation.log.store import KitLog, RunFilter
from kitstation.ui.confirm import ask
from kitstation.ui.ops import Op, database_executor
from kitstation.ui.qt import (
    QCheckBox,
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

log = logging.getLogger(__name__)


class SettingsDialog(QDialog):
    """Language applies at once; the database takes effect when the bench is next started."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
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
        self.sounds = QCheckBox(self.tr("Sound when a device is done, fails or needs you"), self)
        self.sounds.setChecked(settings.sounds)
        form.addRow("", self.sounds)
        self.notifications = QCheckBox(self.tr("Desktop notifications for the same"), self)
        self.notifications.setChecked(settings.notifications)
        form.addRow("", self.notifications)
        layout.addLayout(form)
        note = QLabel(self.tr("The language changes at once; the database and limits apply when the bench starts."))
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def apply(self) -> None:
        """Copy the fields into the settings and save (slot names: Station → Hubs and ports)."""
        s = self.settings
        s.language = str(self.language.currentData())
        s.database = self.database.text().strip()
        s.technician = self.technician.text().strip()
        s.limits = dict(s.limits, erase=self.erase.value(), apk_download=self.downloads.value())
        s.max_ios = self.max_ios.value()
        s.max_android = self.max_android.value()
        s.sounds = self.sounds.isChecked()
        s.notifications = self.notifications.isChecked()
        s.save()


class LibraryDialog(QDialog):
    """Blueprint files in the data folder's blueprints folder plus the ones opened before.

    The ones the bench uses are marked; *Edit* reopens the wizard on a blueprint (``edit(path)``),
    *Duplicate* copies it next to itself, *Delete* asks first and removes the file.
    """

    chosen = Signal(object)  # a validated Blueprint
    edit = Signal(str)  # the path of the blueprint to reopen in the wizard

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Blueprint library"))
        self.resize(760, 460)
        self.setSizeGripEnabled(True)
        layout = QVBoxLayout(self)
        self.list = QListWidget(self)
        layout.addWidget(self.list, 1)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color:#c62828")
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.problem)
        row = QHBoxLayout()
        open_button = QPushButton(self.tr("Open file…"), self)
        open_button.clicked.connect(self._open_file)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.edit_button.clicked.connect(self._edit)
        self.duplicate_button = QPushButton(self.tr("Duplicate"), self)
        self.duplicate_button.clicked.connect(self._duplicate)
        self.delete_button = QPushButton(self.tr("Delete…"), self)
        self.delete_button.clicked.connect(self._delete)
        use = QPushButton(self.tr("Use for the bench"), self)
        use.clicked.connect(self._use)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)
        for w in (open_button, self.edit_button, self.duplicate_button, self.delete_button):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(use)
        row.addWidget(close)
        layout.addLayout(row)
        self.list.itemDoubleClicked.connect(lambda _i: self._use())
        self.confirm: Any = None
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

    def active(self) -> dict[str, list[str]]:
        """Resolved path → the platforms the bench uses it for."""
        out: dict[str, list[str]] = {}
        for platform, path in (("iOS", self.settings.blueprint_ios), ("Android", self.settings.blueprint_android)):
            if path:
                out.setdefault(str(Path(path).resolve()), []).append(platform)
        return out

    def refresh(self) -> None:
        self.list.clear()
        active = self.active()
        for p in self.files():
            try:
                bp = load_blueprint(p, check_files=False)
                platforms = " + ".join(x for x, s in (("iOS", bp.ios), ("Android", bp.android)) if s is not None)
                text = f"{bp.name}  [{platforms}]\n{p}"
            except BlueprintError:
                text = f"{p.name}  ⚠\n{p}"
            used = active.get(str(p.resolve()))
            if used:
                text = "● " + self.tr("In use on the bench (%1)").replace("%1", ", ".join(used)) + " — " + text
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, str(p))
            if used:
                f = item.font()
                f.setBold(True)
                item.setFont(f)

    def current_path(self) -> Path | None:
        item = self.list.currentItem()
        return None if item is None else Path(str(item.data(Qt.ItemDataRole.UserRole)))

    def _open_file(self) -> None:
        dlg = QFileDialog(self, self.tr("Open blueprint"), str(blueprints_dir()), "*.toml")
        dlg.fileSelected.connect(self._opened)
        dlg.open()

    def _opened(self, path: str) -> None:
        self.settings.remember(Path(path))
        self.settings.save()
        self.refresh()

    def _use(self) -> None:
        path = self.current_path()
        if path is None:
            return
        try:
            bp = load_blueprint(path)
        except BlueprintError as exc:
            self.problem.setText(exc.render(current_language()))
            return
        self.chosen.emit(bp)
        self.accept()

    def _edit(self) -> None:
        path = self.current_path()
        if path is not None:
            self.edit.emit(str(path))
            self.accept()

    def _duplicate(self) -> None:
        path = self.current_path()
        if path is None:
            return
        try:
            copy = duplicate(path)
        except (BlueprintError, OSError) as exc:
            self.problem.setText(exc.render(current_language()) if isinstance(exc, BlueprintError) else str(exc))
            return
        self.settings.remember(copy)
        self.settings.save()
        self.refresh()
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == str(copy):
                self.list.setCurrentRow(i)

    def _delete(self) -> None:
        path = self.current_path()
        if path is None:
            return
        if str(path.resolve()) in self.active():
            self.problem.setText(self.tr("This blueprint is in use on the bench: choose another one first."))
            return
        self.confirm = ask(
            self, self.tr("Delete this blueprint?"),
            self.tr("%1 is deleted from the disk. Runs already in the log keep their record of it.").replace(
                "%1", str(path)),
            self.tr("Delete"), self.tr("Keep it"), lambda: self._deleted(path),
        )

    def _deleted(self, path: Path) -> None:
        try:
            path.unlink()
        except OSError as exc:
            self.problem.setText(str(exc))
            return
        self.settings.recent_blueprints = [r for r in self.settings.recent_blueprints if Path(r) != path]
        self.settings.save()
        self.refresh()


class ReportsDialog(QDialog):
    """Export the log (the history's current filter) with the reports package, through an Op.

    Nothing here can hang the dialog: every failure of the export (a folder that cannot be
    created, a full disk, a database error) arrives as ``exported(None, reason)`` and is shown.
    """

    progressed = Signal(int, int)  # emitted from the worker; Qt queues it to the GUI thread
    exported = Signal(object, str)  # the ReportResult (None on failure), the reason ("" when written)

    def __init__(self, kitlog: KitLog | None, flt: RunFilter | None = None, parent: QWidget | None = None,
                 customer: str = "", order_ref: str = "") -> None:
        super().__init__(parent)
        self.kitlog = kitlog
        self.filter = flt or RunFilter()
        self.setWindowTitle(self.tr("Export a kitting report"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.format = QComboBox(self)
        for key, label in (("pdf", "PDF"), ("xlsx", "Excel (XLSX)"), ("csv", "CSV"), ("json", "JSON"),
                           ("kme-csv", self.tr("KME device list (CSV)")), ("abm-csv", self.tr("ABM serial list (CSV)"))):
            self.format.addItem(label, key)
        form.addRow(self.tr("Format:"), self.format)
        file_row = QHBoxLayout()
        self.path = QLineEdit(self)
        file_row.addWidget(self.path, 1)
        self.browse_button = QPushButton(self.tr("Browse…"), self)
        self.browse_button.clicked.connect(self._browse)
        file_row.addWidget(self.browse_button)
        form.addRow(self.tr("File:"), file_row)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("Kitting report"))
        self.title.setMaxLength(200)
        form.addRow(self.tr("Title:"), self.title)
        self.customer = QLineEdit(customer, self)
        self.customer.setPlaceholderText(self.tr("Default: the customers of the selected runs"))
        self.customer.setMaxLength(200)
        form.addRow(self.tr("Customer:"), self.customer)
        self.order_ref = QLineEdit(order_ref, self)
        self.order_ref.setMaxLength(200)
        form.addRow(self.tr("Order reference:"), self.order_ref)
        layout.addLayout(form)
        self.bar = QProgressBar(self)
        layout.addWidget(self.bar)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.progressed.connect(self._progress)
        self.exported.connect(self._finished)
        self.format.currentIndexChanged.connect(self._default_path)
        self._default_path()

    def _ext(self) -> str:
        fmt = str(self.format.currentData())
        return {"kme-csv": "csv", "abm-csv": "csv"}.get(fmt, fmt)

    def _default_path(self, *_: object) -> None:
        from kitstation import paths

        current = self.path.text().strip()
        if current:  # keep the folder and name the technician chose; follow the format's extension
            self.path.setText(str(Path(current).with_suffix("." + self._ext())))
            return
        self.path.setText(str(paths.data_dir() / "reports" / f"kitting-report.{self._ext()}"))

    def _browse(self) -> None:
        dlg = QFileDialog(self, self.tr("Save the report as"), self.path.text(), f"*.{self._ext()}")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.fileSelected.connect(self.path.setText)
        dlg.open()

    def options(self) -> Any:
        from kitstation.reports.model import ReportOptions

        return ReportOptions(language=current_language(), title=self.title.text().strip(),
                             customer=self.customer.text().strip(), order_ref=self.order_ref.text().strip())

    def export(self) -> None:
        fn = _export_function()
        if fn is None or self.kitlog is None:
            self.status.setText(self.tr("Reports are not available in this installation."))
            return
        text = self.path.text().strip()
        if not text:
            self.status.setText(self.tr("File: give the path of the report to write"))
            return
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Exporting…"))
        fmt, out, kitlog, flt, options = str(self.format.currentData()), Path(text), self.kitlog, self.filter, self.options()

        def work() -> Any:
            # The folder is made here, off the GUI thread: a folder that cannot be made is a failure
            # the dialog shows, not an exception that leaves it on "Exporting…".
            out.parent.mkdir(parents=True, exist_ok=True)
            return fn(kitlog, fmt, out, flt, options=options,
                      progress=lambda done, total: self.progressed.emit(int(done), int(total)))

        Op(self, work, database_executor(kitlog)).success(lambda r: self.exported.emit(r, "")).failure(
            self._failed
        ).run()

    def _failed(self, exc: BaseException) -> None:
        log.warning("report export failed", exc_info=(type(exc), exc, exc.__traceback__))
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        where = f" ({exc.filename})" if isinstance(exc, OSError) and exc.filename else ""
        self.exported.emit(None, f"{reason}{where}")

    def _progress(self, done: int, total: int) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)

    def _finished(self, result: Any, error: str) -> None:
        self.export_button.setEnabled(True)
        if error:
            text = self.tr("The report could not be written: %1").replace("%1", error)
            self.status.setText(text)
            self.status.setToolTip(text)
            return
        self.bar.setValue(self.bar.maximum())
        path = getattr(result, "path", self.path.text())
        text = self.tr("Report written: %1").replace("%1", str(path))
        self.status.setText(text)
        self.status.setToolTip(text)


def _export_function() -> Any:
    """The reports package's export entry point (None where an installation leaves reports out)."""
    try:
        from kitstation.reports import export_report
    except ImportError:
        return None
    return export_report


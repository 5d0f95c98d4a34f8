"""*Log → Print labels…*: a PDF of device labels for one bench session (batch), written off the GUI thread.

The dialog asks for the session (the bench's current one when a bench runs), the label size and
the output file; the log is read and the PDF rendered on the log's executor through
:class:`~kitstation.ui.ops.Op`. The renderer is ``kitstation.reports.labels.render_labels(rows,
size, out_path)``; a build without it says so when *Print* is pressed (never a silent nothing).
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

from kitstation.log import KitLog, RunFilter
from kitstation.ui.ops import Op, database_executor
from kitstation.ui.qt import (
    QComboBox,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

LABELS_MODULE = "kitstation.reports.labels"
# Label stock a kitting bench prints on (the renderer's size names).
SIZES = ("62x29mm", "50x30mm", "a4-3x8")


def action_text() -> str:
    """The menu item's text (translated in this module's context, with the dialog's strings)."""
    return QCoreApplication.translate("LabelsDialog", "Print labels…")


def labels_available() -> bool:
    return importlib.util.find_spec(LABELS_MODULE) is not None


class NoRuns(Exception):
    """The session has no runs: there is nothing to put on a label."""


def print_labels(kitlog: KitLog, session_id: int, size: str, out: Path) -> int:
    """On the log's executor: the session's devices (latest run each) → the labels PDF; how many labels."""
    renderer: Any = importlib.import_module(LABELS_MODULE)
    if not kitlog.session_exists(session_id):
        raise NoRuns(session_id)
    rows = list(kitlog.iter_history(RunFilter(session_id=session_id, latest_only=True)))
    if not rows:
        raise NoRuns(session_id)
    renderer.render_labels(rows, size, out)
    return len(rows)


class LabelsDialog(QDialog):
    printed = Signal(str)  # the outcome shown in the dialog (success or the reason), for tests and the log

    def __init__(self, kitlog: KitLog | None, session_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kitlog = kitlog
        self.setWindowTitle(self.tr("Print labels"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.session = QSpinBox(self)
        self.session.setRange(1, 2**31 - 1)
        if session_id is not None:
            self.session.setValue(session_id)
        form.addRow(self.tr("Session (batch) number:"), self.session)
        self.label_size = QComboBox(self)
        for key, label in zip(SIZES, (self.tr("62 × 29 mm label roll"), self.tr("50 × 30 mm label roll"),
                                      self.tr("A4 sheet, 3 × 8 labels")), strict=True):
            self.label_size.addItem(label, key)
        form.addRow(self.tr("Label size:"), self.label_size)
        row = QHBoxLayout()
        self.path = QLineEdit(self)
        row.addWidget(self.path, 1)
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        form.addRow(self.tr("PDF file:"), row)
        layout.addLayout(form)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = self.buttons.addButton(self.tr("Print"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        dlg = QFileDialog(self, self.tr("Labels PDF"), "", "*.pdf")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.fileSelected.connect(self.path.setText)
        dlg.open()

    def _say(self, text: str, error: bool) -> None:
        self.status.setStyleSheet("color:#c62828" if error else "")
        self.status.setText(text)
        self.print_button.setEnabled(True)
        self.printed.emit(text)

    def start(self) -> None:
        if not labels_available():
            self._say(self.tr("Labels are not available in this build."), True)
            return
        if self.kitlog is None:
            self._say(self.tr("No log is open: start the bench or open the history first."), True)
            return
        text = self.path.text().strip()
        out = Path(text).expanduser()
        if not text or out.suffix.lower() != ".pdf":
            self._say(self.tr("PDF file: give a file name ending in .pdf"), True)
            return
        if not out.parent.is_dir():
            self._say(self.tr("PDF file: the folder %1 does not exist").replace("%1", str(out.parent)), True)
            return
        session, size, kitlog = self.session.value(), str(self.label_size.currentData()), self.kitlog
        self.print_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Printing…"))
        Op(self, lambda: print_labels(kitlog, session, size, out), database_executor(kitlog)).success(
            lambda n: self._say(
                (self.tr("1 label written to %2") if n == 1 else self.tr("%1 labels written to %2"))
                .replace("%1", str(n)).replace("%2", str(out)),
                False,
            )
        ).failure(self._failed).run()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, NoRuns):
            self._say(self.tr("Session %1 has no devices to label.").replace("%1", str(self.session.value())), True)
        elif isinstance(exc, ModuleNotFoundError) and exc.name == LABELS_MODULE:
            self._say(self.tr("Labels are not available in this build."), True)
        else:
            self._say(self.tr("The labels could not be written: %1").replace("%1", str(exc)), True)

"""The bench page: header (blueprints, counters, start/stop, auto-apply, scan field) over the tiles.

The page shows whatever :class:`SlotModel` holds; it never talks to devices. Clicking a tile opens
the device's timeline of steps read from the log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kitstation.core.bench import SlotView
from kitstation.i18n import current_language
from kitstation.log.store import KitLog
from kitstation.ui.bench_model import SlotModel, TileDelegate, detail_line, state_text
from kitstation.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFont,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QModelIndex,
    QPushButton,
    QSize,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)


class TimelineDialog(QDialog):
    """One device's steps from the log (oldest first), opened with ``open()`` (never ``exec()``)."""

    def __init__(self, view: SlotView, kitlog: KitLog | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lang = current_language()
        title = view.device.label if view.device else view.label
        self.setWindowTitle(self.tr("Timeline: %1").replace("%1", title))
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{view.label}</b> — {state_text(view.state)}<br>{detail_line(view, lang)}")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Step"), self.tr("Attempt"), self.tr("Started"), self.tr("Outcome"), self.tr("Reason")]
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        rows: list[dict[str, Any]] = []
        if kitlog is not None and view.run_id is not None:
            rows = kitlog.steps(view.run_id)
        if not rows:
            layout.addWidget(QLabel(self.tr("No steps recorded for this device yet.")))
        for r in rows:
            i = self.table.rowCount()
            self.table.insertRow(i)
            started = r.get("started_at")
            reason = r.get("message_ja" if lang == "ja" else "message_en") or r.get("message_en") or ""
            if r.get("error_code"):
                reason = f"{reason} [{r['error_code']}]".strip()
            cells = [
                str(r.get("step_id", "")),
                str(r.get("attempt", "")),
                started.strftime("%H:%M:%S") if started is not None else "",
                str(r.get("outcome") or self.tr("running")),
                str(reason),
            ]
            for c, text in enumerate(cells):
                self.table.setItem(i, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class CounterLabel(QLabel):
    """A big number with its caption, readable from the other side of the bench."""

    def __init__(self, caption: str, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.colour = colour
        self.setTextFormat(Qt.TextFormat.RichText)
        self.set_value("0")

    def set_value(self, value: str) -> None:
        self.setText(
            f"<div style='text-align:center'><span style='font-size:22pt;font-weight:bold;color:{self.colour}'>"
            f"{value}</span><br><span style='font-size:10pt'>{self.caption}</span></div>"
        )


class BenchPage(QWidget):
    startRequested = Signal()
    stopRequested = Signal()
    autoApplyChanged = Signal(bool)
    scanned = Signal(str)
    simulateRequested = Signal()

    def __init__(self, model: SlotModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.kitlog: KitLog | None = None
        self.open_dialogs: list[QDialog] = []
        outer = QVBoxLayout(self)
        header = QFrame(self)
        header.setFrameShape(QFrame.Shape.StyledPanel)
        h = QHBoxLayout(header)
        left = QVBoxLayout()
        self.blueprints_label = QLabel(self)
        self.blueprints_label.setWordWrap(True)
        f = QFont(self.blueprints_label.font())
        f.setPointSizeF(f.pointSizeF() * 1.1)
        self.blueprints_label.setFont(f)
        left.addWidget(self.blueprints_label)
        row = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Start"), self)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.auto_apply = QCheckBox(self.tr("Apply automatically"), self)
        self.auto_apply.setChecked(True)
        self.start_button.clicked.connect(self.startRequested)
        self.stop_button.clicked.connect(self.stopRequested)
        self.auto_apply.toggled.connect(self.autoApplyChanged)
        row.addWidget(self.start_button)
        row.addWidget(self.stop_button)
        row.addWidget(self.auto_apply)
        row.addStretch(1)
        left.addLayout(row)
        scan_row = QHBoxLayout()
        scan_row.addWidget(QLabel(self.tr("Scan box label:"), self))
        self.scan_field = QLineEdit(self)
        self.scan_field.setPlaceholderText(self.tr("IMEI or serial number from the box barcode"))
        self.scan_field.returnPressed.connect(self._on_scan)
        scan_row.addWidget(self.scan_field, 1)
        left.addLayout(scan_row)
        self.scan_result = QLabel(self)
        self.scan_result.setWordWrap(True)
        left.addWidget(self.scan_result)
        h.addLayout(left, 3)
        self.counters = {
            "attached": CounterLabel(self.tr("Attached"), "#37474f", self),
            "working": CounterLabel(self.tr("Working"), "#1f6fb2", self),
            "waiting_user": CounterLabel(self.tr("Your turn"), "#d98c00", self),
            "done": CounterLabel(self.tr("Done"), "#1e8a3c", self),
            "waiting_external": CounterLabel(self.tr("Awaiting ABM/KME"), "#2a8a7a", self),
            "failed": CounterLabel(self.tr("Failed"), "#c62828", self),
            "per_hour": CounterLabel(self.tr("Per hour"), "#37474f", self),
        }
        for c in self.counters.values():
            h.addWidget(c)
        outer.addWidget(header)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#fff3cd;color:#5c4400;padding:6px;border:1px solid #d9b44a")
        self.banner.hide()
        outer.addWidget(self.banner)
        self.empty = QWidget(self)
        e = QVBoxLayout(self.empty)
        self.empty_label = QLabel(self.tr("No devices attached. Plug devices into the hubs, or try the simulated bench."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.simulate_button = QPushButton(self.tr("Start the simulated bench"), self)
        self.simulate_button.clicked.connect(self.simulateRequested)
        e.addStretch(1)
        e.addWidget(self.empty_label)
        e.addWidget(self.simulate_button, 0, Qt.AlignmentFlag.AlignCenter)
        e.addStretch(1)
        outer.addWidget(self.empty)
        self.tiles = QListView(self)
        self.tiles.setViewMode(QListView.ViewMode.IconMode)
        self.tiles.setResizeMode(QListView.ResizeMode.Adjust)
        self.tiles.setMovement(QListView.Movement.Static)
        self.tiles.setUniformItemSizes(True)
        self.tiles.setSpacing(4)
        self.tiles.setGridSize(QSize(304, 190))
        self.tiles.setWordWrap(True)
        self.tiles.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tiles.setItemDelegate(TileDelegate(self.tiles))
        self.tiles.setModel(model)
        self.tiles.clicked.connect(self.open_timeline)
        outer.addWidget(self.tiles, 1)
        model.countersChanged.connect(self.update_counters)
        model.rowsInserted.connect(self._update_empty)
        model.modelReset.connect(self._update_empty)
        self.on_scan: Callable[[str], str] | None = None
        self._update_empty()
        self.set_running(False)
        self.set_blueprints({})

    def set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)

    def set_blueprints(self, names: dict[str, str]) -> None:
        ios = names.get("ios") or self.tr("(none)")
        android = names.get("android") or self.tr("(none)")
        self.blueprints_label.setText(
            self.tr("Blueprint — iOS: %1  |  Android: %2").replace("%1", ios).replace("%2", android)
        )

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _update_empty(self, *_: object) -> None:
        has = self.model.rowCount() > 0
        self.empty.setVisible(not has)
        self.tiles.setVisible(has)

    def update_counters(self) -> None:
        c = self.model.counters
        for key, label in self.counters.items():
            value = getattr(c, key)
            label.set_value(f"{value:.0f}" if isinstance(value, float) else str(value))

    def _on_scan(self) -> None:
        line = self.scan_field.text()
        self.scan_field.clear()
        if not line.strip():
            return
        self.scanned.emit(line)
        if self.on_scan is not None:
            self.scan_result.setText(self.on_scan(line))

    def open_timeline(self, index: QModelIndex) -> None:
        view = self.model.view_at(index.row())
        dlg = TimelineDialog(view, self.kitlog, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.open_dialogs = [d for d in self.open_dialogs if d.isVisible()] + [dlg]
        dlg.open()

"""The bench page: header (blueprints, counters, start/stop, auto-apply, order, scan field) over the tiles.

The page shows whatever :class:`SlotModel` holds; it never talks to devices. Tiles are selected
as files are (click, Ctrl/Shift-click, Ctrl+A); a right-click opens the actions for the
selection (:mod:`kitstation.ui.tile_actions`), a double-click or Enter the device's timeline.
The page turns those into requests (``tileAction(action, slots)``) the window hands to the bench.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from kitstation.core.bench import SlotView
from kitstation.ui.bench_model import COMPACT_TILE, SLOT_ROLE, TILE, SlotModel, tally
from kitstation.ui.handoff import install as install_handoff
from kitstation.ui.ops import Op
from kitstation.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFont,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QModelIndex,
    QPoint,
    QPushButton,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from kitstation.ui.tile_actions import TileAction, TileActions
from kitstation.ui.tile_delegate import TileDelegate
from kitstation.ui.tile_order import TileOrder, TileOrderProxy, order_label
from kitstation.ui.timeline import TimelineDialog


class CounterLabel(QLabel):
    """A big number with its caption, readable from the other side of the bench."""

    def __init__(self, caption: str, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.colour = colour
        self.value = ""
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setToolTip(caption)
        self.set_value("0")

    def set_value(self, value: str) -> None:
        self.value = value
        self.setText(
            f"<div style='text-align:center'><span style='font-size:18pt;font-weight:bold;color:{self.colour}'>"
            f"{value}</span><br><span style='font-size:9pt'>{self.caption}</span></div>"
        )


# The counters, in reading order; each tile is in exactly one of the state counters (they add up
# to "Devices"), and the rate is the devices finished in the last hour, not an extrapolation.
COUNTER_KEYS = (
    "total", "identifying", "ready", "queued", "working", "waiting_user", "done", "waiting_external",
    "failed", "stopped", "unplugged", "last_hour",
)  # fmt: skip


def _without_platform(name: str, platform: str) -> str:
    """A blueprint name without a leading "iOS:" the header already says ("iOS: iOS: manual DEP")."""
    head = name.strip()
    if head.lower().startswith(platform.lower()):
        rest = head[len(platform):].lstrip()
        if rest[:1] in (":", "-", "—", "·"):
            return rest[1:].strip() or head
    return head


class BenchPage(QWidget):
    startRequested = Signal()
    stopRequested = Signal()
    autoApplyChanged = Signal(bool)
    scanned = Signal(str)
    simulateRequested = Signal()
    importNamesRequested = Signal()  # "Import names CSV…": the window asks for the file
    tileAction = Signal(str, list)  # a TileAction value, the slots it applies to

    def __init__(self, model: SlotModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.kitlog: Any = None
        self.open_dialogs: list[QDialog] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
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
        self.preflight_label = QLabel(self)
        self.preflight_label.setWordWrap(True)
        self.preflight_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preflight_label.hide()
        left.addWidget(self.preflight_label)
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
        row.addSpacing(12)
        self.order = QComboBox(self)
        for o in TileOrder:
            self.order.addItem(order_label(o), o.value)
        self.order.setToolTip(self.tr("Which tiles come first"))
        row.addWidget(self.order)
        self.compact = QCheckBox(self.tr("Compact tiles"), self)
        self.compact.setToolTip(self.tr("Smaller tiles: more devices on the screen"))
        row.addWidget(self.compact)
        self.handoff_row = row
        self.handoff = install_handoff(self, model)
        row.addStretch(1)
        left.addLayout(row)
        scan_row = QHBoxLayout()
        scan_row.addWidget(QLabel(self.tr("Scan box label:"), self))
        self.scan_field = QLineEdit(self)
        self.scan_field.setPlaceholderText(self.tr("IMEI or serial number from the box barcode"))
        self.scan_field.returnPressed.connect(self._on_scan)
        scan_row.addWidget(self.scan_field, 1)
        # The batch's names CSV beside the box scan: both are what the technician brings per batch.
        self.names_button = QPushButton(self.tr("Import names CSV…"), self)
        self.names_button.setToolTip(self.tr("A CSV of device names for this batch (replaces the blueprint's own)"))
        self.names_button.clicked.connect(self.importNamesRequested)
        scan_row.addWidget(self.names_button)
        self.names_label = QLabel(self)
        self.names_label.hide()
        scan_row.addWidget(self.names_label)
        left.addLayout(scan_row)
        self.scan_result = QLabel(self)
        self.scan_result.setWordWrap(True)
        left.addWidget(self.scan_result)
        h.addLayout(left, 3)
        captions = {
            "total": (self.tr("Devices"), "#37474f"),
            "identifying": (self.tr("Identifying"), "#1f6fb2"),
            "ready": (self.tr("Ready"), "#5b6770"),
            "queued": (self.tr("Queued"), "#5b6770"),
            "working": (self.tr("Working"), "#1f6fb2"),
            "waiting_user": (self.tr("Your turn"), "#d98c00"),
            "done": (self.tr("Done"), "#1e8a3c"),
            "waiting_external": (self.tr("Awaiting ABM/KME"), "#2a8a7a"),
            "failed": (self.tr("Failed"), "#c62828"),
            "stopped": (self.tr("Stopped"), "#8e5a00"),
            "unplugged": (self.tr("Unplugged"), "#7d7d7d"),
            "last_hour": (self.tr("Done in the last hour"), "#37474f"),
        }
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        self.counters: dict[str, CounterLabel] = {}
        for i, key in enumerate(COUNTER_KEYS):
            caption, colour = captions[key]
            c = CounterLabel(caption, colour, self)
            self.counters[key] = c
            grid.addWidget(c, i // 6, i % 6)
        h.addLayout(grid, 4)
        outer.addWidget(header)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        self.proxy = TileOrderProxy(self)
        self.proxy.setSourceModel(model)
        self.tiles = QListView(self)
        self.tiles.setViewMode(QListView.ViewMode.IconMode)
        self.tiles.setResizeMode(QListView.ResizeMode.Adjust)
        self.tiles.setMovement(QListView.Movement.Static)
        self.tiles.setUniformItemSizes(True)
        self.tiles.setSpacing(4)
        self.tiles.setGridSize(QSize(304, 190))
        self.tiles.setWordWrap(True)
        self.tiles.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.delegate = TileDelegate(self.tiles)
        self.tiles.setItemDelegate(self.delegate)
        self.tiles.setModel(self.proxy)
        self.tiles.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tiles.customContextMenuRequested.connect(self._context_menu)
        self.tiles.doubleClicked.connect(self._open_index)
        self.tiles.activated.connect(self._open_index)  # Enter on the current tile
        outer.addWidget(self.tiles, 1)
        self.tile_actions = TileActions(self.tiles, self.selected_views)
        self.tile_actions.triggered.connect(self._on_action)
        self.tiles.selectionModel().selectionChanged.connect(lambda *_: self.tile_actions.sync())
        self.order.currentIndexChanged.connect(lambda _i: self.proxy.set_order(TileOrder(self.order.currentData())))
        self.menu: Any = None
        self.compact.toggled.connect(self.set_compact)
        model.countersChanged.connect(self.update_counters)
        model.rowsInserted.connect(self._update_empty)
        model.modelReset.connect(self._update_empty)
        self.on_scan: Callable[[str], Coroutine[Any, Any, str]] | None = None
        self._update_empty()
        self.set_running(False)
        self.set_blueprints({})
        self.tile_actions.sync()

    def set_compact(self, on: bool) -> None:
        size = COMPACT_TILE if on else TILE
        self.delegate.size = size
        self.tiles.setGridSize(QSize(size.width() + 4, size.height() + 4))
        self.tiles.doItemsLayout()

    def set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)

    def set_blueprints(self, names: dict[str, str]) -> None:
        ios = _without_platform(names.get("ios", ""), "iOS") or self.tr("(none)")
        android = _without_platform(names.get("android", ""), "Android") or self.tr("(none)")
        self.blueprints_label.setText(
            self.tr("Blueprint — iOS: %1  |  Android: %2").replace("%1", ios).replace("%2", android)
        )

    def set_names(self, file_name: str, rows: int, keys: str, path: str) -> None:
        """The batch's names CSV as "Names: assets.csv (64 rows)"; its key column and path in the tooltip."""
        count = self.tr("1 row") if rows == 1 else self.tr("%1 rows").replace("%1", str(rows))
        self.names_label.setText(self.tr("Names: %1 (%2)").replace("%1", file_name).replace("%2", count))
        key = self.tr("Key column: %1 (matched against each device's serial number or IMEI)").replace("%1", keys)
        self.names_label.setToolTip(f"{key}\n{path}")
        self.names_label.show()

    def show_preflight(self, text: str, ok: bool) -> None:
        """The blueprint's preflight result under its name (red when something would fail)."""
        colour = "#1e8a3c" if ok else "#c62828"
        self.preflight_label.setStyleSheet(f"color:{colour}")
        self.preflight_label.setText(text)
        self.preflight_label.setToolTip(text)
        self.preflight_label.setVisible(bool(text))

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setToolTip(text)
        self.banner.setVisible(bool(text))

    def _update_empty(self, *_: object) -> None:
        has = self.model.rowCount() > 0
        self.empty.setVisible(not has)
        self.tiles.setVisible(has)

    def update_counters(self) -> None:
        t = tally(self.model.views())
        t["last_hour"] = self.model.done_in_last_hour()
        for key, label in self.counters.items():
            label.set_value(str(t.get(key, 0)))

    def _on_scan(self) -> None:
        line = self.scan_field.text()
        self.scan_field.clear()
        if not line.strip():
            return
        self.scanned.emit(line)
        if self.on_scan is not None:
            Op.coroutine(self, self.on_scan(line)).success(self.scan_result.setText).run()

    # --- tiles: selection, menu, timeline ---------------------------------------------------------
    def selected_views(self) -> list[SlotView]:
        rows = sorted(self.tiles.selectionModel().selectedIndexes(), key=lambda i: i.row())
        views = [i.data(SLOT_ROLE) for i in rows]
        return [v for v in views if isinstance(v, SlotView)]

    def tile_rect(self, slot: str) -> Any:
        """Where a slot's tile is in the view (tests click it as a person would)."""
        for row in range(self.proxy.rowCount()):
            idx = self.proxy.index(row, 0)
            v = idx.data(SLOT_ROLE)
            if isinstance(v, SlotView) and v.slot == slot:
                return self.tiles.visualRect(idx)
        raise KeyError(slot)

    def _context_menu(self, pos: QPoint) -> None:
        idx = self.tiles.indexAt(pos)
        if idx.isValid() and not self.tiles.selectionModel().isSelected(idx):
            self.tiles.setCurrentIndex(idx)  # a right-click on an unselected tile acts on that tile
        self.menu = self.tile_actions.menu(self.tiles)
        self.menu.popup(self.tiles.viewport().mapToGlobal(pos))

    def _on_action(self, action: str, slots: list[str]) -> None:
        if action == TileAction.TIMELINE:
            for v in self.selected_views():
                if v.slot in slots:
                    self.open_timeline(v)
            return
        if action == TileAction.COPY:
            return  # done by TileActions (the clipboard)
        self.tileAction.emit(action, slots)

    def _open_index(self, index: QModelIndex) -> None:
        v = index.data(SLOT_ROLE)
        if isinstance(v, SlotView):
            self.open_timeline(v)

    def open_timeline(self, view: SlotView) -> TimelineDialog:
        dlg = TimelineDialog.for_slot(view, self.kitlog, self)
        # Forget the dialog when it closes, then delete it: a closed dialog is never touched again
        # (keeping it and asking isVisible() later raised "C++ object already deleted").
        self.open_dialogs.append(dlg)
        dlg.finished.connect(lambda _r, d=dlg: self._dialog_closed(d))
        dlg.open()
        return dlg

    def _dialog_closed(self, dlg: QDialog) -> None:
        if dlg in self.open_dialogs:
            self.open_dialogs.remove(dlg)
        dlg.deleteLater()

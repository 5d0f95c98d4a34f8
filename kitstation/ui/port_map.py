"""The hub / port map: every slot of this station by hub and port, its name editable, labels printable.

A slot is a physical USB location (``1-1.4.2``: bus 1, hub path 1.4, port 2); the name is what is
written on the hub's sticker ("Hub A · 2"). Names are kept in the log per station through the
bench's slot-name API (``Bench.rename_slot``), so every tile, report and History row shows the
place. The table lists the slots the bench sees now plus the ones named before (read from the
log off the GUI thread). *Print labels* writes a PDF of stickers, one per slot, to cut out.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kitstation.core.bench import SlotView
from kitstation.ui.ops import Op, background_executor, database_executor
from kitstation.ui.places import hub_and_port, place_key
from kitstation.ui.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFont,
    QHBoxLayout,
    QLabel,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPushButton,
    QRect,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

COL_LOCATION, COL_HUB, COL_PORT, COL_NAME, COL_DEVICE = range(5)


def write_labels(path: Path, labels: list[tuple[str, str]]) -> Path:
    """A PDF of slot stickers (name large, location small), 3 across on A4 (blocking: run it in an Op)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    writer = QPdfWriter(str(tmp))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(300)
    writer.setTitle("KitStation slot labels")
    p = QPainter(writer)
    try:
        page_w, page_h = writer.width(), writer.height()
        cols, w, h = 3, page_w // 3, 300  # one inch high at 300 dpi
        per_page = cols * max(1, page_h // h)
        big, small = QFont("sans-serif", 18), QFont("sans-serif", 9)
        big.setBold(True)
        for i, (name, location) in enumerate(labels):
            if i and i % per_page == 0:
                writer.newPage()
            k = i % per_page
            box = QRect((k % cols) * w, (k // cols) * h, w - 20, h - 20)
            p.drawRect(box)
            p.setFont(big)
            p.drawText(box.adjusted(20, 10, -20, -h // 2), int(Qt.AlignmentFlag.AlignCenter), name)
            p.setFont(small)
            p.drawText(box.adjusted(20, h // 2, -20, -10), int(Qt.AlignmentFlag.AlignCenter), location)
    finally:
        p.end()
    tmp.replace(path)
    return path


class PortMapDialog(QDialog):
    """Slots by hub and port; edit a name, OK keeps the changed ones (``renamed(dict)``)."""

    renamed = Signal(dict)  # {location: new name}
    loaded = Signal()
    printed = Signal(str, str)  # the PDF path ("" on failure), the error text

    def __init__(self, views: list[SlotView], kitlog: Any | None, station_id: int | None,
                 rename: Callable[[str, str], None] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hubs and ports"))
        self.resize(820, 560)
        self.setSizeGripEnabled(True)
        self.rename = rename
        self.views = {v.slot: v for v in views}
        self.original: dict[str, str] = {}
        layout = QVBoxLayout(self)
        note = QLabel(self.tr("Name each slot as its hub's sticker says (e.g. “Hub A · 2”); the names are kept in "
                              "the log for this station and shown on the tiles."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("USB location"), self.tr("Hub"), self.tr("Port"), self.tr("Name"), self.tr("Device now")]
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print labels…"), self)
        self.print_button.clicked.connect(self._print)
        row.addWidget(self.print_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if rename is None:
            self.status.setText(self.tr("Start the bench to rename slots (names are kept per station in the log)."))
        if kitlog is not None and station_id is not None:
            sid = station_id
            Op(self, lambda: kitlog.slot_names(sid), database_executor(kitlog)).success(self._fill).failure(
                lambda exc: self._fill({}, str(exc))
            ).run()
        else:
            self._fill({})

    def _fill(self, names: dict[str, str], error: str = "") -> None:
        for slot, view in self.views.items():
            if view.label != slot:
                names.setdefault(slot, view.label)
        self.original = dict(names)
        slots = sorted(set(self.views) | set(names), key=place_key)
        self.table.setRowCount(0)
        for slot in slots:
            r = self.table.rowCount()
            self.table.insertRow(r)
            hp = hub_and_port(slot)
            v = self.views.get(slot)
            device = ""
            if v is not None and v.device is not None:
                d = v.device
                device = " · ".join(x for x in (d.marketing_name or d.model_id, d.serial) if x)
            cells = [slot, hp[0] if hp else "", str(hp[1]) if hp else "", names.get(slot, ""), device]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c != COL_NAME or self.rename is None:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(COL_NAME, max(self.table.columnWidth(COL_NAME), 180))
        if error:
            self.status.setText(self.tr("The saved names could not be read: %1").replace("%1", error))
        self.loaded.emit()

    def names(self) -> dict[str, str]:
        """Location → name as the table shows it now."""
        out: dict[str, str] = {}
        for r in range(self.table.rowCount()):
            loc, name = self.table.item(r, COL_LOCATION), self.table.item(r, COL_NAME)
            if loc is not None and name is not None:
                out[loc.text()] = name.text().strip()
        return out

    def changed(self) -> dict[str, str]:
        return {k: v for k, v in self.names().items() if v != self.original.get(k, "")}

    def _save(self) -> None:
        changes = self.changed()
        if changes and self.rename is not None:
            for slot, name in changes.items():
                self.rename(slot, name)
            self.renamed.emit(changes)
        self.accept()

    def _print(self) -> None:
        dlg = QFileDialog(self, self.tr("Save the slot labels as"), str(Path.home() / "slot-labels.pdf"), "*.pdf")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.fileSelected.connect(lambda path: self.print_to(Path(path)))
        dlg.open()

    def print_to(self, path: Path) -> None:
        labels = [(name or loc, loc) for loc, name in self.names().items()]
        self.print_button.setEnabled(False)
        Op(self, lambda: write_labels(path, labels), background_executor()).success(
            lambda p: self._printed(str(p), "")
        ).failure(lambda exc: self._printed("", str(exc) or type(exc).__name__)).run()

    def _printed(self, path: str, error: str) -> None:
        self.print_button.setEnabled(True)
        if error:
            self.status.setText(self.tr("The labels could not be written: %1").replace("%1", error))
        else:
            self.status.setText(self.tr("Labels written: %1").replace("%1", path))
        self.printed.emit(path, error)

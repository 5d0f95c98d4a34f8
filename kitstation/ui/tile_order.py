"""Which tiles come first: by hub and port, or what needs the technician first; and the attention filter.

With 64 devices only a third of the tiles fit on a 1600×1000 screen, so the bench can put the
devices that need a person (your turn, then failed, then interrupted) at the top, or show only
them. The default order is the physical one: hub, then port, read from the slot's USB location
(``1-1.4.2`` is bus 1, hub path 1.4, port 2), so the screen matches the bench.
"""

from __future__ import annotations

import enum

from kitstation.core.bench import SlotState, SlotView
from kitstation.ui.bench_model import SLOT_ROLE
from kitstation.ui.places import place_key
from kitstation.ui.qt import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    QTimer,
)


class TileOrder(enum.StrEnum):
    PLACE = "place"  # hub and port
    ATTENTION = "attention"  # your turn, failed, interrupted first; then the rest by place
    ATTENTION_ONLY = "attention_only"  # only the tiles that need the technician


def order_label(order: TileOrder) -> str:
    return {
        TileOrder.PLACE: QCoreApplication.translate("TileOrder", "By hub and port"),
        TileOrder.ATTENTION: QCoreApplication.translate("TileOrder", "Needs attention first"),
        TileOrder.ATTENTION_ONLY: QCoreApplication.translate("TileOrder", "Only what needs attention"),
    }[order]


# Lower is more urgent. Your turn first: the device waits for a hand; then failures to look at.
ATTENTION_RANK: dict[SlotState, int] = {
    SlotState.WAITING_USER: 0,
    SlotState.FAILED: 1,
    SlotState.INTERRUPTED: 2,
    SlotState.DETACHED: 3,
}


def needs_attention(view: SlotView) -> bool:
    return view.state in ATTENTION_RANK and (view.state != SlotState.DETACHED or view.run_id is not None)


class TileOrderProxy(QSortFilterProxyModel):
    """Sorts and filters the bench model's tiles; re-sorts only when an order key changed.

    Qt's dynamic sort re-sorts on every ``dataChanged`` — ten times a second with a busy bench,
    each time calling :meth:`lessThan` (Python) hundreds of times on the GUI thread. The keys
    rarely change: a slot's place never does, its attention rank only when its state crosses
    into or out of "needs attention". So the proxy sorts statically and invalidates itself (once
    per loop pass) when rows are added or a changed row's key differs from the one it sorted by.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.order = TileOrder.PLACE
        self._ranks: dict[str, int] = {}  # slot -> the attention rank the current order used
        self._pending = False
        self.setDynamicSortFilter(False)
        self.sort(0)

    def setSourceModel(self, model: QAbstractItemModel) -> None:  # noqa: N802 (Qt's name)
        old = self.sourceModel()
        if old is not None:
            old.rowsInserted.disconnect(self._on_rows_inserted)
            old.dataChanged.disconnect(self._on_data_changed)
            old.modelReset.disconnect(self._resort_soon)
        super().setSourceModel(model)
        model.rowsInserted.connect(self._on_rows_inserted)
        model.dataChanged.connect(self._on_data_changed)
        model.modelReset.connect(self._resort_soon)
        self._resort()

    def set_order(self, order: TileOrder) -> None:
        self.order = order
        self._resort()

    def _rank(self, v: SlotView) -> int:
        return ATTENTION_RANK.get(v.state, 9) if needs_attention(v) else 9

    def _on_rows_inserted(self, _parent: QModelIndex, _first: int, _last: int) -> None:
        self._resort_soon()

    def _on_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles: object = None) -> None:
        if self.order == TileOrder.PLACE or self._pending:
            return  # places never change: the physical order stays as sorted
        src = self.sourceModel()
        for row in range(top_left.row(), bottom_right.row() + 1):
            v = self._view(src.index(row, 0))
            if v is not None and self._ranks.get(v.slot) != self._rank(v):
                self._resort_soon()
                return

    def _resort_soon(self) -> None:
        # After the signal that caused it has reached the view: one re-sort per loop pass.
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._resort)

    def _resort(self) -> None:
        self._pending = False
        src = self.sourceModel()
        if src is not None:
            ranks = {}
            for row in range(src.rowCount()):
                v = self._view(src.index(row, 0))
                if v is not None:
                    ranks[v.slot] = self._rank(v)
            self._ranks = ranks
        self.invalidate()
        self.sort(0)

    def _view(self, index: QModelIndex | QPersistentModelIndex) -> SlotView | None:
        v = self.sourceModel().data(index, SLOT_ROLE)
        return v if isinstance(v, SlotView) else None

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self.order != TileOrder.ATTENTION_ONLY:
            return True
        v = self._view(self.sourceModel().index(source_row, 0, source_parent))
        return v is not None and needs_attention(v)

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:
        a, b = self._view(left), self._view(right)
        if a is None or b is None:
            return False
        if self.order != TileOrder.PLACE:
            ra, rb = self._rank(a), self._rank(b)
            if ra != rb:
                return ra < rb
        return place_key(a.slot) < place_key(b.slot)

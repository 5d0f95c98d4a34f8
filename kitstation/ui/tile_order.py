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
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
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
    """Sorts and filters the bench model's tiles; re-sorts as states change (dynamic sort)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.order = TileOrder.PLACE
        self.setDynamicSortFilter(True)
        self.sort(0)

    def set_order(self, order: TileOrder) -> None:
        self.order = order
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
            ra = ATTENTION_RANK.get(a.state, 9) if needs_attention(a) else 9
            rb = ATTENTION_RANK.get(b.state, 9) if needs_attention(b) else 9
            if ra != rb:
                return ra < rb
        return place_key(a.slot) < place_key(b.slot)

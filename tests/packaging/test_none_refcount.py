"""Regression test: the PySide6 the station installs must not drain None's reference count.

PySide6-Essentials 6.12.0 on Python 3.11 decrements None's refcount on every wrapped call that
returns nothing (1,000 ``QPainter.setBrush`` calls: -803); painting bench tiles for about a
minute then crashed the GUI with "Fatal Python error: none_dealloc". 6.11.3 is fine on 3.11, and
from 3.12 None is immortal (PEP 683) so the count never moves. pyproject.toml keeps 6.12 off 3.11.
"""

from __future__ import annotations

import gc
import sys

import pytest

from kitstation.core.bench import SlotState, SlotView
from kitstation.domain.model import Platform
from kitstation.i18n import Text
from kitstation.ui.bench_model import SlotModel
from kitstation.ui.qt import QColor, QImage, QPainter, QStyleOptionViewItem
from kitstation.ui.tile_delegate import TileDelegate

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 (PEP 683): its refcount never changes"
)

# A fall this large is the bug (it is about 0.8 per call, i.e. thousands here); ordinary Python
# activity moves the count by a few dozen either way.
TOLERATED_FALL = 100


def _views() -> dict[str, SlotView]:
    views = {}
    for i, state in enumerate(list(SlotState) * 5):
        platform = Platform.IOS if i % 2 else Platform.ANDROID
        views[f"s{i}"] = SlotView(
            slot=f"s{i}",
            label=f"Phone {i}",
            platform=platform,
            connection_id=f"c{i}",
            state=state,
            step_title=Text("Erasing", "消去中"),
            step_index=2,
            step_total=5,
            fraction=0.4,
            reason=Text("Unplugged", "取り外されました") if state is SlotState.FAILED else None,
        )
    return views


def _paint_tiles(model: SlotModel, delegate: TileDelegate, img: QImage) -> None:
    delegate.forget()  # the delegate keeps each tile's picture: draw every tile again, not a blit
    for row in range(model.rowCount()):
        p = QPainter(img)
        opt = QStyleOptionViewItem()
        opt.rect = img.rect()
        delegate.paint(p, opt, model.index(row))
        p.end()


def test_painting_tiles_does_not_drain_none(qapp: object) -> None:
    model = SlotModel()
    model.set_views(_views())
    delegate = TileDelegate()
    img = QImage(320, 180, QImage.Format.Format_ARGB32)
    _paint_tiles(model, delegate, img)  # warm-up: first-use caches are not the bug
    # The plain calls first: on a broken build they fail this test before the count reaches 0
    # and the interpreter aborts.
    gc.collect()
    before = sys.getrefcount(None)
    painter = QPainter(img)
    colour = QColor("#2e7d32")
    for _ in range(1000):
        painter.setBrush(colour)
    painter.end()
    gc.collect()
    fall = before - sys.getrefcount(None)
    assert fall < TOLERATED_FALL, f"1,000 QPainter.setBrush calls lowered None's refcount by {fall}: the GUI would crash"
    before = sys.getrefcount(None)
    for _ in range(3):
        _paint_tiles(model, delegate, img)
    gc.collect()
    fall = before - sys.getrefcount(None)
    assert fall < TOLERATED_FALL, f"painting {3 * model.rowCount()} tiles lowered None's refcount by {fall}"

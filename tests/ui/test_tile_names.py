"""A tile shows the name the station gave its device: after the rename step, for that device only."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kitstation.android.naming import RenameStep as AndroidRename
from kitstation.core.bench import SlotState, SlotView
from kitstation.domain.events import DeviceAttached, StepFinished
from kitstation.domain.model import Device, Outcome, Platform
from kitstation.ios.naming import RenameStep as IOSRename
from kitstation.ui.bench_model import COMPACT_TILE, NAME_ROLE, RENAME_STEPS, TILE, SlotModel
from kitstation.ui.bench_view import BenchPage
from kitstation.ui.qt import QImage, QPainter, QStyleOptionViewItem

from .test_bench_view import _StubBench

NAME = "ACME-営業部-0042-とても長い名前のデバイス"


def _paint(page: BenchPage, model: SlotModel, compact: bool = False) -> QImage:
    page.set_compact(compact)
    size = COMPACT_TILE if compact else TILE
    img = QImage(size.width(), size.height(), QImage.Format.Format_ARGB32)
    img.fill(0)
    p = QPainter(img)
    opt = QStyleOptionViewItem()
    opt.rect = img.rect()
    page.tiles.itemDelegate().paint(p, opt, model.index(0))
    p.end()
    return img


def test_the_adapters_rename_steps_are_the_ones_the_tile_listens_to() -> None:
    assert {IOSRename.id, AndroidRename.id} == RENAME_STEPS


def test_tile_shows_the_name_after_the_rename_step_for_that_device_only(qtbot: QtBot) -> None:
    runs = {7: {"device_name": NAME}, 8: {"device_name": None}}
    stub = _StubBench()
    model = SlotModel(interval_ms=20)
    model.set_run_reader(runs.get)
    model.attach(stub)
    page = BenchPage(model)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    device = Device(Platform.IOS, key="udid-1", serial="F2LX12AB", marketing_name="iPhone 15")
    working = SlotView("0x01100000", "0x01100000", Platform.IOS, "udid-1", device=device, state=SlotState.WORKING,
                       run_id=7, step_total=5, step_index=4)
    stub.emit(working, DeviceAttached("0x01100000", platform=Platform.IOS, connection_id="udid-1"))
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    before, before_compact = _paint(page, model), _paint(page, model, compact=True)
    assert model.index(0).data(NAME_ROLE) == ""
    # Another step ending says nothing about the name; a failed rename step neither.
    stub.emit(working, StepFinished("0x01100000", run_id=7, step_id="ios.erase", outcome=Outcome.OK))
    stub.emit(working, StepFinished("0x01100000", run_id=7, step_id="ios.name", outcome=Outcome.FAILED))
    stub.emit(working, StepFinished("0x01100000", run_id=8, step_id="ios.name", outcome=Outcome.OK))
    stub.emit(working, StepFinished("0x01100000", run_id=7, step_id="ios.name", outcome=Outcome.OK))
    qtbot.waitUntil(lambda: model.index(0).data(NAME_ROLE) == NAME)
    # Painted on the tile (both sizes), which keep their size: the grid at 1366×768 is unchanged.
    assert _paint(page, model) != before
    assert page.delegate.sizeHint(QStyleOptionViewItem(), model.index(0)) == TILE
    assert _paint(page, model, compact=True) != before_compact
    assert page.delegate.sizeHint(QStyleOptionViewItem(), model.index(0)) == COMPACT_TILE
    # A different phone plugged into the slot is not called by the last one's name.
    other = Device(Platform.IOS, key="udid-2", serial="G7QX99ZZ", marketing_name="iPhone 15")
    stub.emit(SlotView("0x01100000", "0x01100000", Platform.IOS, "udid-2", device=other, state=SlotState.READY),
              DeviceAttached("0x01100000", platform=Platform.IOS, connection_id="udid-2"))
    qtbot.waitUntil(lambda: model.view_at(0).device is other)
    assert model.index(0).data(NAME_ROLE) == ""
    model.attach(None)

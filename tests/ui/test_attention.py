"""What needs the technician: attention ordering and filter chosen as a person does, counters that
add up, a rolling "done in the last hour", and sounds that can be switched off."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace

from pytestqt.qtbot import QtBot

from kitstation.core.bench import Counters, SlotState, SlotView
from kitstation.domain.events import DeviceAttached, Event
from kitstation.domain.model import Device, Platform
from kitstation.ui.bench_model import SLOT_ROLE, SlotModel, tally
from kitstation.ui.bench_view import COUNTER_KEYS, BenchPage
from kitstation.ui.notify import Notifier
from kitstation.ui.places import display_name, hub_and_port, place_key, usb_path
from kitstation.ui.qt import Qt
from kitstation.ui.settings import Settings
from kitstation.ui.tile_order import TileOrder


class StubBench:
    """Feeds the model as Bench does: views replaced, then the callback with an event."""

    def __init__(self) -> None:
        self.views: dict[str, SlotView] = {}
        self.callbacks: list[Callable[[Event], None]] = []

    @property
    def slots(self) -> Mapping[str, SlotView]:
        return dict(self.views)

    def subscribe(self, cb: Callable[[Event], None]) -> Callable[[], None]:
        self.callbacks.append(cb)
        return lambda: self.callbacks.remove(cb)

    def counters(self) -> Counters:
        return Counters()

    def set(self, slot: str, state: SlotState, **kw: object) -> None:
        old = self.views.get(slot)
        base = old or SlotView(slot, slot, Platform.ANDROID, slot, device=Device(Platform.ANDROID, slot, serial=slot))
        self.views[slot] = replace(base, state=state, **kw)  # type: ignore[arg-type]
        for cb in self.callbacks:
            cb(DeviceAttached(slot, platform=Platform.ANDROID, connection_id=slot))


def shown_slots(page: BenchPage) -> list[str]:
    out = []
    for row in range(page.proxy.rowCount()):
        v = page.proxy.index(row, 0).data(SLOT_ROLE)
        assert isinstance(v, SlotView)
        out.append(v.slot)
    return out


def test_every_state_is_counted_once() -> None:
    views = [SlotView(f"s{i}", f"s{i}", Platform.IOS, f"c{i}", state=s) for i, s in enumerate(SlotState)]
    t = tally(views)
    assert t["total"] == len(SlotState)
    assert sum(v for k, v in t.items() if k != "total") == t["total"]  # the counters add up
    assert set(t) | {"last_hour"} == set(COUNTER_KEYS)


def test_attention_order_and_filter(qtbot: QtBot) -> None:
    stub = StubBench()
    model = SlotModel(interval_ms=10)
    page = BenchPage(model)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    model.attach(stub)
    stub.set("1-1.10", SlotState.DONE)
    stub.set("1-1.2", SlotState.FAILED, run_id=1)
    stub.set("1-1.9", SlotState.WAITING_USER)
    stub.set("1-2.1", SlotState.WORKING, run_id=2)
    qtbot.waitUntil(lambda: model.rowCount() == 4)
    assert shown_slots(page) == ["1-1.2", "1-1.9", "1-1.10", "1-2.1"]  # hub, then port as a number
    page.order.setCurrentIndex(page.order.findData(TileOrder.ATTENTION.value))
    assert shown_slots(page) == ["1-1.9", "1-1.2", "1-1.10", "1-2.1"]  # your turn, failed, then the rest
    page.order.setCurrentIndex(page.order.findData(TileOrder.ATTENTION_ONLY.value))
    assert shown_slots(page) == ["1-1.9", "1-1.2"]
    stub.set("1-2.1", SlotState.FAILED, run_id=2)  # a new failure joins the list by itself
    qtbot.waitUntil(lambda: len(shown_slots(page)) == 3)
    assert shown_slots(page)[0] == "1-1.9"
    values = {k: c.value for k, c in page.counters.items()}
    assert values["total"] == "4" and values["failed"] == "2" and values["waiting_user"] == "1"
    assert values["done"] == "1" and values["working"] == "0"
    model.attach(None)


def test_done_in_the_last_hour_is_counted_not_extrapolated(qtbot: QtBot) -> None:
    stub = StubBench()
    model = SlotModel(interval_ms=10)
    model.attach(stub)
    now = time.time()
    for i in range(3):
        stub.set(f"1-1.{i + 1}", SlotState.WORKING, run_id=i)
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    stub.set("1-1.1", SlotState.DONE, run_id=0, finished_at=now - 4000)  # over an hour ago
    stub.set("1-1.2", SlotState.DONE, run_id=1, finished_at=now - 60)
    stub.set("1-1.3", SlotState.WAITING_EXTERNAL, run_id=2, finished_at=now - 5)
    qtbot.waitUntil(lambda: model.views()[2].state == SlotState.WAITING_EXTERNAL)
    assert model.done_in_last_hour(now) == 2
    assert model.done_in_last_hour(now + 3600) == 0  # an hour later nothing is left, not "2/h forever"
    model.attach(None)


def test_sounds_and_notifications_follow_the_settings(qtbot: QtBot) -> None:
    settings = Settings(sounds=True, notifications=False)
    notifier = Notifier(settings)
    stub = StubBench()
    model = SlotModel(interval_ms=10)
    model.viewChanged.connect(notifier.on_view_changed)
    model.attach(stub)
    stub.set("1-1.1", SlotState.WORKING, run_id=1)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    kinds: list[str] = []
    notifier.notified.connect(lambda kind, _label: kinds.append(kind))
    stub.set("1-1.1", SlotState.WAITING_USER, run_id=1)
    qtbot.waitUntil(lambda: kinds == ["your_turn"])
    assert notifier.sounds_made == 1 and notifier.messages_shown == 0
    settings.sounds = False
    stub.set("1-1.1", SlotState.FAILED, run_id=1)
    qtbot.waitUntil(lambda: kinds == ["your_turn", "failed"])
    assert notifier.sounds_made == 1  # switched off: no new sound
    model.attach(None)


def test_hub_and_port_from_usb_locations() -> None:
    assert hub_and_port("1-1.4.2") == ("1-1.4", 2)
    assert hub_and_port("3-2") == ("3", 2)
    assert hub_and_port("R58N123ABC") is None
    assert sorted(["1-1.10", "1-1.9", "R5", "1-1.2"], key=place_key) == ["1-1.2", "1-1.9", "1-1.10", "R5"]


def test_compact_tiles_fit_more_and_keep_the_identity_in_the_tooltip(qtbot: QtBot) -> None:
    stub = StubBench()
    model = SlotModel(interval_ms=10)
    page = BenchPage(model)
    qtbot.addWidget(page)
    page.resize(1600, 1000)
    page.show()
    model.attach(stub)
    for i in range(64):
        stub.set(f"1-1.{i + 1}", SlotState.WORKING, run_id=i)
    qtbot.waitUntil(lambda: model.rowCount() == 64)

    def visible() -> int:
        vp = page.tiles.viewport().rect()
        return sum(vp.contains(page.tiles.visualRect(page.proxy.index(r, 0))) for r in range(64))

    large = visible()
    page.compact.setChecked(True)  # as the technician ticks it
    qtbot.waitUntil(lambda: visible() > large)
    assert visible() >= large * 1.4, (large, visible())
    tip = model.data(model.index(0), int(Qt.ItemDataRole.ToolTipRole))
    assert "1-1.1" in tip  # the serial (the stub's device key) is one hover away
    model.attach(None)


def test_slots_head_with_their_place_not_the_raw_id(qtbot: QtBot) -> None:

    # usbmuxd's LocationID: bus byte, then one nibble per port from the root hub down.
    assert usb_path("0x01120000") == "1-1.2"
    assert usb_path("0x02134000") == "2-1.3.4"
    assert hub_and_port("0x01120000") == ("1-1", 2)
    assert usb_path("127.0.0.1:40129") is None
    assert display_name("0x01120000", "0x01120000") == "Hub 1-1 · Port 2"
    assert display_name("1-2.3", "1-2.3") == "Hub 1-2 · Port 3"
    assert display_name("1-2.3", "Hub A · 3") == "Hub A · 3"  # the port map's name wins
    assert display_name("127.0.0.1:40129", "127.0.0.1:40129") == "127.0.0.1:40129"  # no place known
    assert sorted(["0x01130000", "0x01120000", "0x011a0000"], key=place_key) == ["0x01120000", "0x01130000", "0x011a0000"]
    model = SlotModel()
    model.set_views({"0x01120000": SlotView("0x01120000", "0x01120000", Platform.IOS, "7")})
    index = model.index(0)
    assert index.data(int(Qt.ItemDataRole.DisplayRole)) == "Hub 1-1 · Port 2"
    assert "0x01120000" in index.data(int(Qt.ItemDataRole.ToolTipRole))  # the raw id stays reachable
    page = BenchPage(model)
    qtbot.addWidget(page)
    page.set_blueprints({"ios": "iOS: manual DEP", "android": "Android — KME"})
    assert page.blueprints_label.text().count("iOS") == 1
    assert "manual DEP" in page.blueprints_label.text() and page.blueprints_label.text().count("Android") == 1


def test_a_changed_tile_repaints_alone_and_place_order_never_resorts(qtbot: QtBot, monkeypatch: object) -> None:
    import pytest

    from kitstation.ui.qt import QApplication
    from kitstation.ui.tile_delegate import TileDelegate
    from kitstation.ui.tile_order import TileOrderProxy

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    painted: list[str] = []
    compared = [0]
    paint, less = TileDelegate.paint, TileOrderProxy.lessThan

    def counting_paint(self: TileDelegate, painter: object, option: object, index: object) -> None:
        painted.append(index.data(SLOT_ROLE).slot)  # type: ignore[attr-defined]
        paint(self, painter, option, index)  # type: ignore[arg-type]

    def counting_less(self: TileOrderProxy, a: object, b: object) -> bool:
        compared[0] += 1
        return less(self, a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(TileDelegate, "paint", counting_paint)
    monkeypatch.setattr(TileOrderProxy, "lessThan", counting_less)
    stub = StubBench()
    model = SlotModel(interval_ms=10)
    page = BenchPage(model)
    qtbot.addWidget(page)
    page.resize(1600, 1000)
    page.show()
    model.attach(stub)
    for i in range(1, 13):
        stub.set(f"1-1.{i}", SlotState.DONE)
    qtbot.waitUntil(lambda: model.rowCount() == 12 and len(set(painted)) == 12)
    assert shown_slots(page)[:3] == ["1-1.1", "1-1.2", "1-1.3"]

    def settle() -> None:
        for _ in range(20):
            QApplication.processEvents()

    settle()
    painted.clear()
    compared[0] = 0
    # Two tiles far apart change: those two repaint, not every tile between them; no re-sort by place.
    stub.set("1-1.2", SlotState.FAILED, run_id=1)
    stub.set("1-1.11", SlotState.WORKING, run_id=2)
    qtbot.waitUntil(lambda: {"1-1.2", "1-1.11"} <= set(painted))
    settle()
    # (Qt repaints the items a tile's update rectangle touches: at most its grid neighbours.)
    assert {"1-1.2", "1-1.11"} <= set(painted) and len(set(painted)) <= 6, painted
    assert not set(painted) & {"1-1.4", "1-1.5", "1-1.9", "1-1.10"}, painted
    assert compared[0] == 0
    # Needs attention first: a change that moves a tile re-sorts, one that does not move it does not.
    page.order.setCurrentIndex(page.order.findData(TileOrder.ATTENTION.value))
    assert shown_slots(page)[0] == "1-1.2"
    settle()
    compared[0] = 0
    stub.set("1-1.11", SlotState.DONE, run_id=2)  # working -> done: still "the rest"
    qtbot.waitUntil(lambda: model.view_at(10).state == SlotState.DONE)
    settle()
    assert compared[0] == 0
    stub.set("1-1.7", SlotState.WAITING_USER)  # your turn: to the top
    qtbot.waitUntil(lambda: shown_slots(page)[0] == "1-1.7")
    assert shown_slots(page)[:2] == ["1-1.7", "1-1.2"] and compared[0] > 0
    model.attach(None)

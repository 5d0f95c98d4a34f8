"""The bench view over a real Bench on simulated Galaxy phones: plug-in to done, a failure, a
device waiting for the technician; tile painting, the timeline, and coalesced repaints."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from pytestqt.qtbot import QtBot

from kitstation.android import AndroidAdapter
from kitstation.blueprints.loader import loads_blueprint
from kitstation.core.bench import Bench, BenchConfig, Counters, SlotState, SlotView
from kitstation.core.boxmatch import PhoneIds, match_box
from kitstation.core.pipeline import RetryPolicy
from kitstation.core.slots import apply_event
from kitstation.domain.events import BoxUnmatched, DeviceAttached, DeviceIdentified, Event, StepProgress
from kitstation.domain.model import Device, Platform, UserAction
from kitstation.log import KitLog
from kitstation.simulator.android import AndroidSimulator
from kitstation.ui.bench_model import SLOT_ROLE, SlotModel, detail_line
from kitstation.ui.bench_view import BenchPage
from kitstation.ui.qt import QImage, QPainter, QStyleOptionViewItem
from kitstation.ui.timeline import TimelineDialog

from .helpers import cell, double_click


def _blueprint(apk: Path) -> object:
    return loads_blueprint(
        f"""
name = "DO"
[android]
method = "device_owner"
[android.agent]
file = "{apk}"
package = "jp.kitstation.demoagent"
admin_receiver = "jp.kitstation.demoagent/.AdminReceiver"
"""
    )


def _paint_all(page: BenchPage, model: SlotModel) -> None:
    """Paint every tile into an image: the delegate must cope with every state."""
    delegate = page.tiles.itemDelegate()
    img = QImage(320, 180, QImage.Format.Format_ARGB32)
    for row in range(model.rowCount()):
        img.fill(0)
        p = QPainter(img)
        opt = QStyleOptionViewItem()
        opt.rect = img.rect()
        delegate.paint(p, opt, model.index(row))
        p.end()


async def test_bench_view_follows_a_real_bench(
    android_sim_factory: Callable[..., AndroidSimulator], kitlog: KitLog, demo_apk: Path, qtbot: QtBot
) -> None:
    sim = android_sim_factory(faults=["1:account"])  # the second phone has an account: dpm refuses
    sim.plug("SM-A525F")
    sim.plug("SM-S911B")
    waiting = sim.plug("SM-A305J", authorized=False)
    adapter = AndroidAdapter(adb_port=sim.adb_port)
    config = BenchConfig(
        blueprints={Platform.ANDROID: _blueprint(demo_apk)},  # type: ignore[dict-item]
        retry=RetryPolicy(attempts=2, backoff=0.05),
        identify_retry=0.2,
    )
    bench = Bench(kitlog, [adapter], config)
    model = SlotModel()
    page = BenchPage(model)
    qtbot.addWidget(page)
    page.kitlog = kitlog
    seen: list[Event] = []
    bench.subscribe(seen.append)
    model.attach(bench)
    try:
        await bench.start()
        assert await bench.wait_until(
            lambda b: len(b.slots) == 3
            and sum(v.state.is_final for v in b.slots.values()) == 2
            and any(v.state == SlotState.WAITING_USER for v in b.slots.values()),
            timeout=60,
        ), bench.slots
        model.refresh()
        states = sorted(v.state.value for v in model.views())
        assert states == ["done", "failed", "waiting_user"]
        wait_view = next(v for v in model.views() if v.state == SlotState.WAITING_USER)
        assert wait_view.action == UserAction.ACCEPT_USB_DEBUGGING
        assert "USB" in detail_line(wait_view, "en")
        assert "USBデバッグ" in detail_line(wait_view, "ja")
        failed = next(v for v in model.views() if v.state == SlotState.FAILED)
        assert detail_line(failed, "en")  # a short failure reason on the tile
        assert model.counters.done == 1 and model.counters.failed == 1 and model.counters.waiting_user == 1
        assert page.counters["failed"].value == "1"
        _paint_all(page, model)

        # A double-click on the failed tile opens its timeline, read from the log (off the GUI thread).
        page.resize(1300, 700)
        page.show()
        rect = page.tile_rect(failed.slot)
        double_click(qtbot, page.tiles.viewport(), rect.center())
        dlg = page.open_dialogs[-1]
        assert isinstance(dlg, TimelineDialog) and dlg.isVisible()
        # The account is found by the Device Owner check, before anything is installed: one step.
        # The timeline is read off the GUI thread: wait for its rows.
        qtbot.waitUntil(lambda: dlg.table.rowCount() >= 1, timeout=60_000)
        outcomes = [cell(dlg.table, r, 3) for r in range(dlg.table.rowCount())]
        assert "Failed" in outcomes
        steps = [cell(dlg.table, r, 0) for r in range(dlg.table.rowCount())]
        assert not any(s.startswith("android.") for s in steps), steps  # titles, not step ids

        waiting.accept_usb_debugging()
        assert await bench.wait_until(
            lambda b: sum(v.state == SlotState.DONE for v in b.slots.values()) == 2, timeout=60
        ), bench.slots
        model.refresh()
        assert sorted(v.state.value for v in model.views()) == ["done", "done", "failed"]
        assert model.rowCount() == 3  # the tile stayed in place; no new row
        _paint_all(page, model)
        assert any(isinstance(e, StepProgress) or e.__class__.__name__ == "StepStarted" for e in seen)
    finally:
        model.attach(None)
        await bench.stop()
        await adapter.aclose()


class _StubBench:
    """Feeds the model the way Bench does: views replaced, then the callback with a real Event."""

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
        return Counters(attached=len(self.views))

    def emit(self, view: SlotView, event: Event) -> None:
        self.views[view.slot] = view
        for cb in self.callbacks:
            cb(event)


def test_updates_are_coalesced(qtbot: QtBot) -> None:
    stub = _StubBench()
    model = SlotModel(interval_ms=50)
    model.attach(stub)
    for i in range(60):
        stub.emit(SlotView(f"s{i}", f"s{i}", Platform.ANDROID, f"c{i}"), DeviceAttached(f"s{i}", platform=Platform.ANDROID, connection_id=f"c{i}"))
    assert model.rowCount() == 0  # nothing until the timer fires
    qtbot.waitUntil(lambda: model.rowCount() == 60)
    changes: list[int] = []
    model.dataChanged.connect(lambda a, b, roles: changes.extend(range(a.row(), b.row() + 1)))
    for step in range(20):  # 20 progress events on each of 60 slots: 1200 events
        for i in range(60):
            v = stub.views[f"s{i}"]
            stub.emit(SlotView(v.slot, v.label, v.platform, v.connection_id, state=SlotState.WORKING, fraction=step / 20,
                               step_total=4), StepProgress(v.slot, run_id=1, step_id="x", fraction=step / 20))
    qtbot.waitUntil(lambda: bool(changes))
    # One repaint of each tile (or two at a tick boundary), not 1200; one signal per tile, so the
    # view repaints those tiles only.
    assert sorted(set(changes)) == list(range(60)) and max(changes.count(r) for r in range(60)) <= 2
    assert model.index(59).data(SLOT_ROLE).fraction == 19 / 20
    model.attach(None)


def test_tile_says_what_to_scan_when_no_box_matches() -> None:
    device = Device(Platform.ANDROID, key="R5CW1234567", serial="R5CW1234567", facts={"imei_source": "hidden"})
    found = match_box(PhoneIds.of(device), [])
    view = apply_event(None, DeviceAttached("1-1", platform=Platform.ANDROID, connection_id="R5CW1234567"))
    view = apply_event(view, DeviceIdentified("1-1", device=device))
    view = apply_event(view, BoxUnmatched("1-1", reason=found.reason, code=found.code))
    assert view is not None and view.state == SlotState.READY
    assert "*#06#" in detail_line(view, "en") and "IMEI" in detail_line(view, "ja")
    # Identified again (re-plugged after the IMEI was scanned): the note goes until re-emitted.
    view = apply_event(view, DeviceIdentified("1-1", device=device))
    assert view is not None and view.box_note is None and detail_line(view, "en") == ""

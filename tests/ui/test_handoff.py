"""The bench window's hand-off: the state per tile, and the batch-level "Assign N devices" button."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from kitstation.blueprints.loader import load_blueprint
from kitstation.core.bench import BenchConfig, SlotState
from kitstation.domain.model import Outcome, Platform
from kitstation.station import SimulationPlan, Station
from kitstation.ui.bench_model import HANDOFF_ROLE, SlotModel
from kitstation.ui.bench_view import BenchPage
from kitstation.ui.handoff import HandoffPanel
from kitstation.ui.qt import QCoreApplication, Qt

ROOT = Path(__file__).resolve().parents[2]


async def _until(panel: HandoffPanel, predicate: Callable[[], bool], timeout: float = 120) -> None:
    """Wait for the panel to change until ``predicate`` holds (no fixed sleep).

    The panel reads the log off the GUI thread and hears back through a queued Qt signal: this
    asyncio loop is not Qt's, so Qt's events are let through while waiting.
    """
    changed = asyncio.Event()
    panel.changed.connect(changed.set)
    try:
        async with asyncio.timeout(timeout):
            while not predicate():
                changed.clear()
                QCoreApplication.processEvents()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), 0.05)
    finally:
        panel.changed.disconnect(changed.set)


async def test_tiles_show_the_hand_off_and_the_button_assigns_the_late_device(qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    station = Station(db=str(db), simulate=SimulationPlan(ios=2, speed=100, cloud=True))
    await station.start()
    model = SlotModel()
    page = BenchPage(model)
    qtbot.addWidget(page)
    panel = page.handoff
    bp = load_blueprint(ROOT / "examples/ios-dep-abm.toml")
    try:
        # One serial the organization does not know yet (the reseller's upload comes later).
        late = station.ios_sim.devices[1].serial
        record = station.cloud_sim.abm.devices.pop(late)
        bench = station.bench(BenchConfig(blueprints={Platform.IOS: bp}))
        panel.attach(bench, station, {Platform.IOS: bp})
        model.attach(bench)
        await bench.start()
        try:
            assert await bench.wait_until(
                lambda b: len(b.slots) == 2 and all(v.state.is_final for v in b.slots.values()), 120
            )
            await _until(panel, lambda: len(panel.states) == 2)
            views = {v.device.serial: v for v in bench.slots.values() if v.device is not None}
            assert views[late].state == SlotState.WAITING_EXTERNAL
            (on_time,) = (s for s in views if s != late)
            assert panel.text_for(views[on_time]).startswith("Assigned in ABM (")  # with the activity id
            assert panel.text_for(views[late]) == "Awaiting ABM assignment"
            model.refresh()
            row = next(i for i in range(model.rowCount()) if model.view_at(i).slot == views[on_time].slot)
            assert "Assigned in ABM" in model.data(model.index(row), HANDOFF_ROLE)
            assert panel.button.isEnabled() and panel.button.text() == "Assign 1 device"

            station.cloud_sim.abm.devices[late] = record  # now it is in the organization
            qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
            await _until(panel, lambda: bool(panel.last))
        finally:
            await bench.stop()
            panel.attach(None, None, {})
    finally:
        await station.aclose()
    (answer,) = panel.last
    assert answer.device.serial == late and answer.outcome == Outcome.OK and answer.step_id == "abm.assign"
    assert panel.text_for(views[late]) == "Assigned in ABM"
    assert not panel.button.isEnabled()
    with contextlib.closing(sqlite3.connect(db)) as c:
        rows = c.execute("select d.serial, d.external_state, r.status from run r join device d on d.id = r.device_id")
        assert {(s, st, status) for s, st, status in rows} == {
            (late, "abm_assigned", "ok"),
            (on_time, "abm_assigned", "ok"),
        }


def test_the_button_speaks_japanese(qtbot: QtBot, ui_language: Callable[[str], str]) -> None:
    from kitstation.ui.qt import QPushButton

    ui_language("ja")
    button = QPushButton()
    qtbot.addWidget(button)
    panel = HandoffPanel(button)
    assert button.text() == "0 台を割り当て" and "Knox Mobile Enrollment" in button.toolTip()
    assert not button.isEnabled() and panel.candidates() == []

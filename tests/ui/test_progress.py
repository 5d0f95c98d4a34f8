"""Erase and restart shown as their own phases on the tile, with an ETA from this model's history in the log."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot
from sqlalchemy import update

from kitstation.blueprints.loader import loads_blueprint
from kitstation.core.bench import Counters, SlotState, SlotView
from kitstation.domain.events import Event, StepProgress, StepStarted
from kitstation.domain.model import Device, Outcome, Platform
from kitstation.i18n import Text
from kitstation.log import KitLog
from kitstation.log.schema import StepEvent
from kitstation.ui.bench_model import SlotModel, detail_line
from kitstation.ui.ops import database_executor

ERASE = Text("Erase and restart", "消去と再起動")


class Bench:
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

    def emit(self, view: SlotView, event: Event) -> None:
        self.views[view.slot] = view
        for cb in self.callbacks:
            cb(event)


def _history(kitlog: KitLog, model: str, spans: list[tuple[float, Outcome]]) -> None:
    """Past runs of ``ios.erase`` on ``model`` that took ``spans`` seconds (times set in the log)."""
    bp = kitlog.blueprint(loads_blueprint('name = "b"\n[ios]\nmethod = "dep"\n'))
    station = kitlog.station("bench-1")
    step_t = StepEvent.__table__  # type: ignore[attr-defined]
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for i, (secs, outcome) in enumerate(spans):
        dev = kitlog.upsert_device(Device(Platform.IOS, key=f"UDID{model}{i}", serial=f"F{i}", model_id=model))
        run = kitlog.start_run(dev, bp, station, "ios")
        ev = kitlog.step_started(run, "ios.erase")
        kitlog.step_ended(ev, outcome)
        with kitlog.engine.begin() as conn:
            conn.execute(update(step_t).where(step_t.c.id == ev).values(
                started_at=base, ended_at=base + timedelta(seconds=secs)))


def test_step_medians_per_model_count_only_finished_steps(kitlog: KitLog) -> None:
    _history(kitlog, "iPhone15,2", [(100, Outcome.OK), (120, Outcome.OK), (200, Outcome.OK), (5, Outcome.FAILED)])
    _history(kitlog, "iPhone12,8", [(30, Outcome.OK)])
    assert kitlog.step_medians("iPhone15,2") == {"ios.erase": 120.0}
    assert kitlog.step_medians("iPhone12,8") == {"ios.erase": 30.0}
    assert kitlog.step_medians("iPad13,1") == {}


def test_erase_and_restart_are_phases_with_an_eta_read_off_the_gui_thread(qtbot: QtBot, kitlog: KitLog) -> None:
    _history(kitlog, "iPhone15,2", [(100, Outcome.OK), (120, Outcome.OK), (200, Outcome.OK)])
    threads: list[threading.Thread] = []

    def medians(model: str) -> dict[str, float]:
        threads.append(threading.current_thread())
        return kitlog.step_medians(model)

    bench = Bench()
    model = SlotModel(interval_ms=10)
    model.set_history(medians, database_executor(kitlog))
    model.attach(bench)
    device = Device(Platform.IOS, key="U1", serial="F9", model_id="iPhone15,2")
    working = SlotView("0x01120000", "0x01120000", Platform.IOS, "1", state=SlotState.WORKING, device=device,
                       run_id=1, step_id="ios.erase", step_title=ERASE, step_index=1, step_total=7)
    started = StepStarted(working.slot, run_id=1, step_id="ios.erase", title=ERASE, index=1, total=7)
    bench.emit(working, started)
    bench.emit(working, StepProgress(working.slot, run_id=1, step_id="ios.erase", fraction=0.05,
                                     note=Text("Erasing", "消去しています")))
    qtbot.waitUntil(lambda: "iPhone15,2" in model.medians)
    assert threads and threads[0] is not threading.main_thread()  # the log was read off the GUI thread
    phase = model.phase(working, now=started.at + 20)
    assert phase.eta is not None and abs(phase.eta - 100) < 1e-6  # median 120 s, 20 s in
    line = detail_line(working, "en", phase)
    assert "Erase and restart" in line and "Erasing" in line and "about 1:40 left" in line
    assert "消去しています" in detail_line(working, "ja", phase)
    restarting = replace(working, fraction=0.5)
    bench.emit(restarting, StepProgress(working.slot, run_id=1, step_id="ios.erase", fraction=0.5,
                                        note=Text("Waiting for the device to restart", "デバイスの再起動を待っています")))
    qtbot.waitUntil(lambda: model.phase(restarting).note is not None
                    and model.phase(restarting).note == Text("Waiting for the device to restart", "デバイスの再起動を待っています"))
    assert "restart" in detail_line(restarting, "en", model.phase(restarting, now=started.at + 60))
    # Past the median: no countdown that would lie; the phase still shows.
    late = model.phase(restarting, now=started.at + 500)
    assert late.eta is None and late.note is not None
    model.attach(None)

"""A run's transitions as single writer calls: what each commits, and before which event.

The pipeline makes one writer call per transition (the run's start; a step's end with the next
step's start or the run's end). These tests hold it to the promises the GUI and a crash rely on:
every event is sent only once what it reports is committed, and a step's start is committed
before the step runs. They run on SQLite and on the suite's PostgreSQL cluster.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

import pytest
from sqlalchemy import event, text

from kitstation.blueprints import loads_blueprint
from kitstation.core.pipeline import FINISHED, RESUMABLE, Pipeline, RetryPolicy, RunRequest, despite_cancel
from kitstation.domain.events import Event, RunFinished, StepFinished, StepStarted
from kitstation.domain.model import Device, Outcome, Platform, RunStatus
from kitstation.i18n import Text
from kitstation.log import KitLog, RunOpening, StepEnd
from kitstation.log.store import AsyncKitLog
from tests.core.scripted import ScriptedAdapter, ScriptedDevice

BP = loads_blueprint('name = "t"\n[ios]\nmethod = "dep"\n')
P = ParamSpec("P")
T = TypeVar("T")


@pytest.fixture
def log(any_url: str) -> Iterator[KitLog]:
    kitlog = KitLog(any_url)
    yield kitlog
    kitlog.close()


class CountingLog(AsyncKitLog):
    """The station's writer, noting the name of every call it runs."""

    def __init__(self, log: KitLog) -> None:
        super().__init__(log)
        self.names: list[str] = []

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        self.names.append(getattr(fn, "__name__", "?"))
        return await super().call(fn, *args, **kwargs)


async def test_each_event_is_sent_after_what_it_reports_is_committed(log: KitLog) -> None:
    adapter = ScriptedAdapter(Platform.IOS, steps=("one", "two", "handoff"))
    dev = ScriptedDevice("S1", "1-1")
    adapter.plug(dev)
    device = await adapter.identify(dev.serial)
    seen: list[tuple[str, Any]] = []

    def emit(e: Event) -> None:
        # Read on the loop thread, as the GUI's model does (through its own connection).
        if isinstance(e, StepStarted):
            rows = [s for s in log.steps(e.run_id) if s["step_id"] == e.step_id]
            seen.append(("started", (e.step_id, rows[-1]["outcome"] if rows else None)))
        elif isinstance(e, StepFinished):
            row = [s for s in log.steps(e.run_id) if s["step_id"] == e.step_id][-1]
            state = log.device_row(device_id)["external_state"]
            seen.append(("finished", (e.step_id, row["outcome"], row["ended_at"] is not None, state)))
        elif isinstance(e, RunFinished):
            run = log.history()[0]
            seen.append(("run", (run["status"], run["ended_at"] is not None)))

    device_id = log.upsert_device(device)
    alog = CountingLog(log)
    try:
        request = RunRequest(device, BP, adapter.plan(BP, device), log.station("s"))
        status = await Pipeline(alog, emit, RetryPolicy(attempts=1)).run(request)
    finally:
        alog.close()
    assert status == RunStatus.WAITING_EXTERNAL
    assert seen == [
        ("started", ("t.one", "running")),
        ("finished", ("t.one", "ok", True, "")),
        ("started", ("t.two", "running")),
        ("finished", ("t.two", "ok", True, "")),
        ("started", ("t.handoff", "running")),
        ("finished", ("t.handoff", "waiting_external", True, "awaiting_abm")),
        ("run", ("waiting_external", True)),
    ]
    # One writer call per transition: the run's start with its first step's, each step's end
    # with what follows (before: 4 calls to start the run, 2 per step and 1 to end it, 11 here).
    assert alog.names == ["open_run", "step_ended_then_started", "step_ended_then_started",
                          "step_ended_then_run_ended"]


async def test_a_failed_step_and_its_run_end_together_with_the_step_s_reason(log: KitLog) -> None:
    adapter = ScriptedAdapter(Platform.IOS, steps=("one", "two", "three"))
    dev = ScriptedDevice("S1", "1-1", fail_permanent={"two"})
    adapter.plug(dev)
    device = await adapter.identify(dev.serial)
    alog = CountingLog(log)
    try:
        request = RunRequest(device, BP, adapter.plan(BP, device), log.station("s"))
        assert await Pipeline(alog, lambda _e: None).run(request) == RunStatus.FAILED
    finally:
        alog.close()
    run = log.history()[0]
    assert (run["status"], run["error_code"]) == ("failed", "two_refused")
    assert [(s["step_id"], s["outcome"]) for s in log.steps(run["run_id"])] == [("t.one", "ok"), ("t.two", "failed")]
    assert alog.names[-1] == "step_ended_then_run_ended" and "end_run" not in alog.names


def test_open_run_starts_leaves_done_or_reopens_as_the_caller_says(log: KitLog) -> None:
    station = log.station("s")
    device = Device(Platform.IOS, "UDID-1", serial="F2L1", udid="UDID-1")
    first = log.open_run(device, BP, station, slot="1-1", done=FINISHED, resume=RESUMABLE)
    assert (first.action, first.found) == ("new", None)
    assert log.device_row(first.device_id)["serial"] == "F2L1"
    # Killed mid-step: the step is left running; the next open reopens the run and closes it.
    ev = log.step_ended_then_started(StepEnd(log.step_started(first.run_id, "a"), Outcome.OK), first.run_id, "b")
    again = log.open_run(device, BP, station, slot="1-2", done=FINISHED, resume=RESUMABLE)
    assert (again.action, again.run_id, again.blueprint_id) == ("resumed", first.run_id, first.blueprint_id)
    assert again.found is not None and again.found.in_flight == ("b",) and set(again.found.done_steps) == {"a"}
    assert [s["outcome"] for s in log.steps(first.run_id) if s["id"] == ev] == ["interrupted"]
    assert log.history()[0]["slot"] == "1-2"
    log.step_ended_then_run_ended(StepEnd(log.step_started(first.run_id, "b", 2), Outcome.OK), first.run_id,
                                  RunStatus.OK)
    done = log.open_run(device, BP, station, done=FINISHED, resume=RESUMABLE)
    assert (done.action, done.run_id) == ("done", first.run_id)
    forced = log.open_run(device, BP, station)  # force: neither done nor resumed
    assert forced.action == "new" and forced.run_id != first.run_id
    assert len(log.history()) == 2


def test_the_blueprint_row_is_shared_by_stations_and_remembered_per_content(log: KitLog) -> None:
    other = KitLog(log.engine)  # a second station's log object on the same database
    device = Device(Platform.IOS, "UDID-1", udid="UDID-1")
    a = log.open_run(device, BP, log.station("a"))
    b = other.open_run(device, BP, other.station("b"))
    assert a.blueprint_id == b.blueprint_id and a.device_id == b.device_id
    changed = loads_blueprint('name = "t2"\n[ios]\nmethod = "dep"\n')
    c = log.open_run(device, changed, log.station("a"))
    assert c.blueprint_id != a.blueprint_id
    assert log.blueprint(BP) == a.blueprint_id and log.blueprint(changed) == c.blueprint_id


def test_a_new_run_s_first_step_starts_with_it_and_a_resumed_run_s_does_not(log: KitLog) -> None:
    device = Device(Platform.IOS, "UDID-1", udid="UDID-1")
    station = log.station("s")
    new = log.open_run(device, BP, station, done=FINISHED, resume=RESUMABLE, first_step="erase")
    assert new.first_event is not None
    assert [(s["id"], s["step_id"], s["outcome"]) for s in log.steps(new.run_id)] == [
        (new.first_event, "erase", "running")]
    assert log.history()[0]["current_step"] == "erase"
    # The station was killed before the step ended: the erase is in flight, not started again.
    resumed = log.open_run(device, BP, station, done=FINISHED, resume=RESUMABLE, first_step="erase")
    assert (resumed.action, resumed.first_event) == ("resumed", None)
    assert resumed.found is not None and resumed.found.in_flight == ("erase",)
    assert [s["outcome"] for s in log.steps(new.run_id)] == ["interrupted"]


def test_a_step_end_with_its_hand_off_state_is_one_commit(log: KitLog) -> None:
    device = Device(Platform.IOS, "UDID-1", udid="UDID-1")
    opening = log.open_run(device, BP, log.station("s"))
    ev = log.step_started(opening.run_id, "dep")
    reason = Text("Waiting for ABM", "ABM 待ち")
    end = StepEnd(ev, Outcome.WAITING_EXTERNAL, "awaiting_abm", reason, {"x": 1}, (opening.device_id, "awaiting_abm"))
    log.end_step(end)
    step = log.steps(opening.run_id)[0]
    assert (step["outcome"], step["error_code"], step["message_ja"]) == ("waiting_external", "awaiting_abm", "ABM 待ち")
    assert log.device_row(opening.device_id)["external_state"] == "awaiting_abm"


class HeldOpenLog(AsyncKitLog):
    """The station's writer, holding the run's start inside the writer thread until told.

    A cancel that reaches the pipeline then finds the start neither dropped (it is running) nor
    answered -- the window CI hit under load when SIGTERM left a run *running*.
    """

    def __init__(self, log: KitLog) -> None:
        super().__init__(log)
        self.entered = threading.Event()
        self.release = threading.Event()

    async def open_run(self, *args: Any, **kwargs: Any) -> RunOpening:
        def held() -> RunOpening:
            self.entered.set()
            assert self.release.wait(120), "never released"
            return self.sync.open_run(*args, **kwargs)

        return await self.call(held)


async def test_a_cancel_while_the_run_s_start_is_being_written_ends_that_run(log: KitLog) -> None:
    adapter = ScriptedAdapter(Platform.IOS, steps=("one", "two"))
    dev = ScriptedDevice("S1", "1-1")
    adapter.plug(dev)
    device = await adapter.identify(dev.serial)
    alog = HeldOpenLog(log)
    seen: list[Event] = []
    try:
        request = RunRequest(device, BP, adapter.plan(BP, device), log.station("s"))
        task = asyncio.ensure_future(Pipeline(alog, seen.append, RetryPolicy(attempts=1)).run(request))
        assert await asyncio.to_thread(alog.entered.wait, 120)  # the start is in the writer's hands
        task.cancel()  # reaches the pipeline at once: the start is still unanswered
        alog.release.set()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        alog.close()
    (run,) = log.history()
    assert run["status"] == "interrupted" and run["ended_at"] is not None
    assert [s["outcome"] for s in log.steps(run["run_id"])] == ["interrupted"]  # its first step, started with it
    assert dev.done_log == []  # nothing ran on the device
    assert [(type(e).__name__, getattr(e, "status", None)) for e in seen] == [("RunFinished", RunStatus.INTERRUPTED)]


def test_a_run_s_end_closes_a_step_left_running_in_it(log: KitLog) -> None:
    station = log.station("s")
    device = Device(Platform.IOS, "UDID-1", serial="F2L1", udid="UDID-1")
    opening = log.open_run(device, BP, station, first_step="a")
    log.end_run(opening.run_id, RunStatus.INTERRUPTED, "interrupted")
    assert [s["outcome"] for s in log.steps(opening.run_id)] == ["interrupted"]
    again = log.open_run(device, BP, station, done=FINISHED, resume=RESUMABLE)
    assert again.action == "resumed" and again.found is not None and again.found.in_flight == ("a",)


async def test_a_run_s_end_is_written_even_when_cancelled_twice() -> None:
    gate = asyncio.Event()
    written: list[str] = []

    async def end_write() -> str:
        await gate.wait()
        written.append("end")
        return "end"

    entered = asyncio.Event()

    async def unwinding() -> str:
        entered.set()
        return await despite_cancel(end_write())

    task = asyncio.ensure_future(unwinding())
    await entered.wait()
    task.cancel()  # the cable pulled ...
    await asyncio.sleep(0)
    task.cancel()  # ... then the station stopped, while the end is still being written
    await asyncio.sleep(0)
    assert not task.done() and written == []
    gate.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert written == ["end"]


@pytest.mark.parametrize("table", ["device", "blueprint"])
def test_open_run_raced_by_another_station_finds_its_rows(log: KitLog, table: str) -> None:
    """Another station inserts the device (or the blueprint) between this one's look-up and its
    insert: the unique constraint refuses the second row, the whole opening is rolled back and
    done again, and both stations share one row."""
    if table == "blueprint" and log.engine.dialect.name == "sqlite":
        pytest.skip("SQLite: the device row, written first, holds the write lock; no one can insert meanwhile")
    other = KitLog(log.engine.url.render_as_string(hide_password=False))  # its own engine and connections
    station, other_station = log.station("s"), other.station("s2")
    device = Device(Platform.IOS, "UDID-1", serial="F2L1", udid="UDID-1")
    raced: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not raced and statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()} "):
            raced.append(statement)
            # The other station's own commit, now, on its own connection.
            if table == "device":
                other.upsert_device(device)
            else:
                other.open_run(Device(Platform.IOS, "UDID-2", udid="UDID-2"), BP, other_station)

    event.listen(log.engine, "before_cursor_execute", before)
    try:
        opening = log.open_run(device, BP, station, done=FINISHED, resume=RESUMABLE)
    finally:
        event.remove(log.engine, "before_cursor_execute", before)
        other.close()
    assert raced, "the race was not staged"
    assert opening.action == "new"
    with log.engine.connect() as conn:
        assert conn.execute(text(f"select count(*) from {table} where id = :i"), {"i": (
            opening.device_id if table == "device" else opening.blueprint_id)}).scalar() == 1
        (rows,) = conn.execute(text("select count(*) from blueprint")).one()
        assert rows == 1
        runs = conn.execute(text("select device_id, status from run order by id")).all()
    assert [r.status for r in runs][-1] == "running" and runs[-1].device_id == opening.device_id
    assert len([r for r in runs if r.device_id == opening.device_id]) == 1  # one run, not two

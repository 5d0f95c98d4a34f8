"""The pipeline: steps logged as they happen, retries, permanent failures, resume, no redo."""

from __future__ import annotations

import asyncio

import pytest

from kitstation.blueprints import loads_blueprint
from kitstation.core.pipeline import Pipeline, RetryPolicy, RunHandle, RunRequest
from kitstation.domain.events import Event, RunFinished, StepStarted
from kitstation.domain.model import Outcome, Platform, RunStatus
from kitstation.log import KitLog
from kitstation.log.store import AsyncKitLog
from tests.core.scripted import ScriptedAdapter, ScriptedDevice

BP = loads_blueprint('name = "t"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "p"\n')


async def _run(kitlog: KitLog, adapter: ScriptedAdapter, dev: ScriptedDevice, events: list[Event] | None = None,
               force: bool = False, handle: RunHandle | None = None,
               started: tuple[str, asyncio.Event] | None = None, alog: AsyncKitLog | None = None) -> RunStatus:
    """One run; ``started`` = (step id, event) sets the event when that step starts."""

    def emit(e: Event) -> None:
        if events is not None:
            events.append(e)
        if started is not None and isinstance(e, StepStarted) and e.step_id == started[0]:
            started[1].set()

    pipe = Pipeline(alog or AsyncKitLog(kitlog), emit, RetryPolicy(attempts=3, backoff=0.001))
    device = await adapter.identify(dev.serial)
    st = kitlog.station("s")
    req = RunRequest(device, BP, adapter.plan(BP, device), st, force=force)
    return await pipe.run(req, handle)


async def test_all_steps_ok_are_logged_in_order(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    dev = ScriptedDevice("S1", "1-1")
    a.plug(dev)
    events: list[Event] = []
    assert await _run(kitlog, a, dev, events) == RunStatus.OK
    run = kitlog.history()[0]
    assert run["status"] == "ok" and run["ended_at"] is not None
    assert [(s["step_id"], s["outcome"]) for s in kitlog.steps(run["run_id"])] == [
        ("t.one", "ok"), ("t.two", "ok"), ("t.three", "ok")]
    assert [e.step_id for e in events if isinstance(e, StepStarted)] == ["t.one", "t.two", "t.three"]


async def test_transient_errors_are_retried_and_each_attempt_logged(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    dev = ScriptedDevice("S1", "1-1", fail_transient={"two": 2})
    a.plug(dev)
    assert await _run(kitlog, a, dev) == RunStatus.OK
    steps = kitlog.steps(kitlog.history()[0]["run_id"])
    assert [(s["step_id"], s["attempt"], s["outcome"]) for s in steps] == [
        ("t.one", 1, "ok"), ("t.two", 1, "failed"), ("t.two", 2, "failed"), ("t.two", 3, "ok"), ("t.three", 1, "ok")]


async def test_transient_errors_give_up_after_the_policy(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    dev = ScriptedDevice("S1", "1-1", fail_transient={"two": 5})
    a.plug(dev)
    assert await _run(kitlog, a, dev) == RunStatus.FAILED
    assert dev.done_log == ["one"]


async def test_permanent_error_fails_the_run_at_once_with_its_reason(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    dev = ScriptedDevice("S1", "1-1", fail_permanent={"two"})
    a.plug(dev)
    assert await _run(kitlog, a, dev) == RunStatus.FAILED
    run = kitlog.history()[0]
    assert run["error_code"] == "two_refused" and run["reason_ja"] == "two 拒否" and run["current_step"] == "t.two"
    assert len(kitlog.steps(run["run_id"])) == 2  # not retried
    assert dev.done_log == ["one"]


async def test_finished_device_is_not_redone_unless_forced(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    dev = ScriptedDevice("S1", "1-1")
    a.plug(dev)
    await _run(kitlog, a, dev)
    events: list[Event] = []
    assert await _run(kitlog, a, dev, events) == RunStatus.OK
    assert dev.done_log == ["one", "two", "three"]
    assert any(isinstance(e, RunFinished) and e.code == "already_done" for e in events)
    assert await _run(kitlog, a, dev, force=True) == RunStatus.OK
    assert dev.done_log == ["one", "two", "three"] * 2
    assert kitlog.count() == 2


async def test_unplug_interrupts_and_replug_resumes_at_the_step_reached(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    dev = ScriptedDevice("S1", "1-1", hang_in={"two"})
    a.plug(dev)
    in_two = asyncio.Event()
    task = asyncio.create_task(_run(kitlog, a, dev, started=("t.two", in_two)))
    await in_two.wait()
    dev.disconnect()
    assert await task == RunStatus.INTERRUPTED
    dev.hang_in.clear()
    a.plug(dev)
    assert await _run(kitlog, a, dev) == RunStatus.OK
    assert dev.done_log == ["one", "two", "three"]  # "one" not repeated
    assert kitlog.count() == 1  # the same run, resumed
    outcomes = [(s["step_id"], s["outcome"]) for s in kitlog.steps(kitlog.history()[0]["run_id"])]
    assert outcomes == [("t.one", "ok"), ("t.two", "interrupted"), ("t.two", "ok"), ("t.three", "ok")]


async def test_a_killed_station_leaves_a_running_step_that_a_restart_resumes(kitlog: KitLog) -> None:
    a = ScriptedAdapter()
    dev = ScriptedDevice("S1", "1-1", hang_in={"two"})
    a.plug(dev)
    in_two = asyncio.Event()
    alog = AsyncKitLog(kitlog)
    task = asyncio.create_task(_run(kitlog, a, dev, started=("t.two", in_two), alog=alog))
    await in_two.wait()
    # Simulate kill -9: the run's end is never written. Rewind the log to the moment of the kill.
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # A write the cancelled run had handed to the log's writer thread may still be landing:
    # wait for it (close drains the writer), or it could overwrite the rewind below.
    alog.close()
    with kitlog.engine.begin() as conn:
        conn.exec_driver_sql("update run set status='running', ended_at=NULL")
        conn.exec_driver_sql("update step_event set outcome='running', ended_at=NULL where step_id='t.two'")
    dev.hang_in.clear()
    assert await _run(kitlog, a, dev) == RunStatus.OK
    assert dev.done_log == ["one", "two", "three"]
    outcomes = [s["outcome"] for s in kitlog.steps(kitlog.history()[0]["run_id"])]
    assert outcomes == ["ok", "interrupted", "ok", "ok"]


async def test_an_unsafe_step_in_flight_is_not_run_twice(kitlog: KitLog) -> None:
    a = ScriptedAdapter(steps=("one", "unsafe_erase", "three"))
    dev = ScriptedDevice("S1", "1-1", hang_in={"unsafe_erase"})
    a.plug(dev)
    in_erase = asyncio.Event()
    task = asyncio.create_task(_run(kitlog, a, dev, started=("t.unsafe_erase", in_erase)))
    await in_erase.wait()
    dev.disconnect()
    assert await task == RunStatus.INTERRUPTED
    dev.hang_in.clear()
    a.plug(dev)
    assert await _run(kitlog, a, dev) == RunStatus.FAILED
    run = kitlog.history()[0]
    assert run["error_code"] == "unsafe_to_repeat"
    assert "unsafe_erase" not in dev.done_log


async def test_a_step_that_can_check_itself_is_confirmed_instead_of_rerun(kitlog: KitLog) -> None:
    a = ScriptedAdapter(steps=("one", "checked_erase", "three"))
    dev = ScriptedDevice("S1", "1-1")
    a.plug(dev)
    # The step completed on the device but the station died before logging its end.
    handle = RunHandle()
    await _run(kitlog, a, dev, handle=handle)
    with kitlog.engine.begin() as conn:
        conn.exec_driver_sql("update run set status='running', ended_at=NULL")
        conn.exec_driver_sql("update step_event set outcome='running', ended_at=NULL where step_id='t.checked_erase'")
        conn.exec_driver_sql("delete from step_event where step_id='t.three'")
    dev.done_log.remove("three")
    assert await _run(kitlog, a, dev) == RunStatus.OK
    assert dev.done_log.count("checked_erase") == 1
    steps = kitlog.steps(kitlog.history()[0]["run_id"])
    assert any(s["error_code"] == "confirmed_after_resume" and s["outcome"] == Outcome.OK.value for s in steps)


async def test_waiting_external_sets_the_device_handoff_state(kitlog: KitLog) -> None:
    a = ScriptedAdapter(Platform.IOS, steps=("one", "handoff"))
    dev = ScriptedDevice("S1", "1-1")
    a.plug(dev)
    assert await _run(kitlog, a, dev) == RunStatus.WAITING_EXTERNAL
    row = kitlog.history()[0]
    assert row["status"] == "waiting_external" and row["external_state"] == "awaiting_abm"


async def test_a_step_waiting_for_a_replug_without_a_bench_fails_with_a_clear_reason(kitlog: KitLog) -> None:
    # Nothing reports the device's plugs outside a bench: ctx.wait_detached() says so instead of hanging.
    a = ScriptedAdapter(steps=("one", "reboot"))
    dev = ScriptedDevice("S1", "1-1")
    a.plug(dev)
    assert await _run(kitlog, a, dev) == RunStatus.FAILED
    run = kitlog.history()[0]
    assert run["error_code"] == "no_presence" and "bench" in run["reason_en"]
    assert dev.done_log == ["one"]

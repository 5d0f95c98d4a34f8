"""An iPhone is logged as erased only on evidence: interrupted at every point of the erase step, never a false "erased".

Every trial starts from a new-in-box device (in Setup Assistant, no configuration: what an erased
device also looks like, so inference would be fooled) and interrupts the erase step one way at one
point: the cable pulled at the Nth request (``unplug-at=N``), the request dropped unhandled
(``drop=N``), handled with its answer lost (``lose-answer=N``), or the station stopped (its run
cancelled) once the device has handled N requests. The station then starts
again (a new adapter: nothing remembered in memory), re-identifies the device and resumes, until the
run ends. After every run the log is read: an ``ios.erase`` recorded done while the device was never
erased is a false statement, and there must be none.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kitstation.core.protocols import DictSecrets, StepContext
from kitstation.domain.model import Device, DeviceGone, RunStatus, TransientError, UserActionRequired
from kitstation.ios import IdentityStore, IOSAdapter
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from tests.fixtures.waiting import until
from tests.ios.conftest import ERASE_BLUEPRINT, FAST, blueprint, run

BLUEPRINT = ERASE_BLUEPRINT

# The device's requests during identify and the erase step (pair, values, sessions, MCInstall,
# EraseDevice) are the first dozen or so after it is plugged; a few more reach into the wait.
POINTS = range(1, 15)
TRIALS = (
    [f"unplug-at={n}" for n in POINTS]
    + [f"drop={n}" for n in POINTS]
    + [f"lose-answer={n}" for n in POINTS]  # carried out, answer lost: EraseDevice's is the hard one
    + ["lose-answer=erase", "drop=erase", "unplug-at=erase"]
    + [f"kill@{n}" for n in POINTS]
)


def _all_steps(kitlog: KitLog) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    for r in kitlog.history(limit=50):
        out += [(s["step_id"], s["outcome"], s["error_code"]) for s in kitlog.steps(r["run_id"])]
    return out


async def _identify(adapter: IOSAdapter, sim: IOSSimulatorThread, udid: str) -> Device:
    for _ in range(10):
        await _until(lambda: sim.device(udid).attached)  # the technician puts the cable back
        with contextlib.suppress(DeviceGone, TransientError, UserActionRequired):
            return await adapter.identify(udid)
    raise AssertionError("the device could not be identified")


async def _until(cond: Callable[[], bool]) -> None:
    await until(cond, "the simulated device")  # with the tests' budget (tests/fixtures/waiting.py)


async def _stop_after(task: asyncio.Task[RunStatus], dev: Any, requests: int) -> None:
    """The station stops (its run is cancelled) once the device has handled ``requests`` requests."""
    await _until(lambda: dev.requests >= requests or task.done())
    task.cancel()


@pytest.mark.parametrize("trial", TRIALS)
async def test_no_false_erased(
    trial: str, ios_sim_factory: Callable[..., IOSSimulatorThread], kitlog: KitLog, tmp_path: Path
) -> None:
    kill_at = int(trial.partition("@")[2]) if trial.startswith("kill@") else None
    sim = ios_sim_factory(faults=[] if kill_at else [f"0:{trial}"])
    sim_dev = sim.plug()
    assert sim_dev.in_setup_assistant and sim_dev.cloud_configuration is None and sim_dev.erase_count == 0
    bp = blueprint(tmp_path, BLUEPRINT)
    status: Any = None

    async def technician() -> None:
        # Puts the cable back whenever it is out and the device is on (an erase finishes on battery).
        while True:
            await _until(lambda: not sim_dev.attached and sim_dev.power == "on")
            sim.replug(sim_dev.udid)

    helper = asyncio.create_task(technician())
    try:
        for attempt in range(6):  # each attempt is a fresh station process
            adapter = IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
            try:
                device = await _identify(adapter, sim, sim_dev.udid)
                task = asyncio.create_task(run(adapter, kitlog, device, bp))
                if kill_at is not None and attempt == 0:
                    await _stop_after(task, sim_dev, kill_at)
                    with contextlib.suppress(asyncio.CancelledError):
                        status = await task
                else:
                    status = await task
            finally:
                await adapter.aclose()
            steps = _all_steps(kitlog)
            logged_erased = [s for s in steps if s[0] == "ios.erase" and s[1] == "ok"]
            # The one thing that must never happen: the erase in the log of a device that never took
            # it (neither erased nor erasing: the simulator's own state, which the station cannot see).
            never_erased = sim_dev.erase_count == 0 and sim_dev.power == "on"
            assert not (logged_erased and never_erased), (trial, steps)
            if status == RunStatus.OK:
                break
    finally:
        helper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await helper
    assert status == RunStatus.OK, (trial, _all_steps(kitlog))
    assert sim_dev.erase_count >= 1 and sim_dev.supervised
    if trial == "lose-answer=erase":
        # The erase happened and its answer never came: proven from the device, not redone.
        assert ("ios.erase", "ok", "confirmed_after_resume") in _all_steps(kitlog)
        assert sim_dev.erase_count == 1
    assert [s for s in _all_steps(kitlog) if s[0] == "ios.erase" and s[1] == "ok"]


async def test_a_device_erased_while_the_station_was_down_is_confirmed_from_its_own_state(
    ios_sim: IOSSimulatorThread, kitlog: KitLog, tmp_path: Path
) -> None:
    """The true positive: the device forgot this station's pairing and sits in Setup Assistant."""
    sim_dev = ios_sim.plug()
    bp = blueprint(tmp_path, BLUEPRINT)
    adapter = IOSAdapter(ios_sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    try:
        device = await adapter.identify(sim_dev.udid)
        task = asyncio.create_task(run(adapter, kitlog, device, bp))
        await _until(lambda: sim_dev.erase_count == 1 or task.done())
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    finally:
        await adapter.aclose()
    await _until(lambda: sim_dev.attached)
    adapter = IOSAdapter(ios_sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    try:
        device = await adapter.identify(sim_dev.udid)
        assert await run(adapter, kitlog, device, bp) == RunStatus.OK
    finally:
        await adapter.aclose()
    assert sim_dev.erase_count == 1  # not erased twice
    assert ("ios.erase", "ok", None) in _all_steps(kitlog) or (
        "ios.erase",
        "ok",
        "confirmed_after_resume",
    ) in _all_steps(kitlog)


async def test_without_a_pairing_to_ask_about_the_station_asks_the_technician(
    ios_sim: IOSSimulatorThread, kitlog: KitLog, tmp_path: Path
) -> None:
    """No proof either way (this station's pair record is gone): unknown, so the pipeline asks."""
    sim_dev = ios_sim.plug()
    bp = blueprint(tmp_path, BLUEPRINT)
    adapter = IOSAdapter(ios_sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    try:
        device = await adapter.identify(sim_dev.udid)
        step = adapter.plan(bp, device)[0]
        assert step.id == "ios.erase" and not step.idempotent
        ctx = StepContext(device=device, blueprint=bp, secrets=DictSecrets({}), run_id=0)
        assert await step.check_done(ctx) is False  # it still knows us: never erased
        for record in (tmp_path / "pairing").glob("*.plist"):
            record.unlink()  # the host lost its records (a new station machine, a wiped profile)
        assert await step.check_done(ctx) is None
        assert sim_dev.erase_count == 0
    finally:
        await adapter.aclose()

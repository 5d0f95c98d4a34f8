"""An iPhone that erased is never sent EraseDevice again, even when the station missed its trip off the bus.

Finding 3 of docs/RELIABILITY.md (an iPhone erased twice, seen once on a loaded machine): after the
device carried out EraseDevice, the station could miss the evidence of it and send the request a
second time. Two ways, both reproduced here deterministically (by name, not by request number):

* the answer arrives, but the station's view of the bus lags behind the device, which erased,
  rebooted and came back before the station looked: the wait for it to leave timed out
  (``erase_not_started``), the run failed, and the technician's redo erased it again;
* the answer is lost (``lose-answer=erase``: carried out, the connection closed unanswered, as
  pymobiledevice3's ``erase_device`` says a device does) while the station still sees the device on
  the bus: a "lost link", retried, and the retry reached the erased device and erased it again.

The lag is the station's, not the device's: its usbmuxd Listen view is fed by the test, and only
once the device is back (the Detached and the Attached arrive together, as a busy loop reads them).
The device itself is the wire-level simulator, unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest

from kitstation.blueprints import Blueprint
from kitstation.core.protocols import DictSecrets, StepContext
from kitstation.domain.model import Device, DeviceGone, RunStatus, TransientError, UserActionRequired
from kitstation.ios import IdentityStore, IOSAdapter, IOSTiming
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from kitstation.simulator.ios.device import SimulatedIOSDevice
from tests.fixtures.waiting import until
from tests.ios.conftest import ERASE_BLUEPRINT, blueprint, run

BLUEPRINT = ERASE_BLUEPRINT
# The wait for the device to leave is bounded; the lag below hides its leaving for good.
TIMING = IOSTiming(poll_interval=0.01, detach_timeout=3.0)


async def _lagging_view(adapter: IOSAdapter, dev: SimulatedIOSDevice) -> None:
    """The station's Listen view of the bus, told of the device only once it is on the bus again."""
    connector = adapter.connector
    connector.listening(True)
    seen = dev.device_id
    connector.device_attached(dev.udid, seen)
    while True:
        await until(lambda s=seen: dev.attached and dev.device_id != s, "the device back on the bus")  # type: ignore[misc]
        seen = dev.device_id
        # Both events in one go, as a station that was busy reads them from its socket.
        connector.device_detached(dev.udid)
        connector.device_attached(dev.udid, seen)


def _erase_steps(kitlog: KitLog) -> list[tuple[str, str | None]]:
    return [
        (s["outcome"], s["error_code"])
        for r in reversed(kitlog.history(limit=20))
        for s in kitlog.steps(r["run_id"])
        if s["step_id"] == "ios.erase"
    ]


@pytest.mark.parametrize("fault", [None, "lose-answer=erase"], ids=["answered", "answer-lost"])
async def test_a_station_that_missed_the_erase_does_not_erase_again(
    fault: str | None, ios_sim_factory: Callable[..., IOSSimulatorThread], kitlog: KitLog, tmp_path: Path
) -> None:
    sim = ios_sim_factory(faults=[f"0:{fault}"] if fault else [])
    dev = sim.plug()
    bp = blueprint(tmp_path, BLUEPRINT)
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), TIMING)
    view = asyncio.create_task(_lagging_view(adapter, dev))
    status: RunStatus | None = None
    try:
        for _attempt in range(3):  # the technician redoes a device whose run did not end ok
            await until(lambda: dev.attached, "the device on the bus")
            with contextlib.suppress(DeviceGone, TransientError, UserActionRequired):
                device = await adapter.identify(dev.udid)
                status = await run(adapter, kitlog, device, bp)
            if status == RunStatus.OK:
                break
    finally:
        view.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await view
        await adapter.aclose()
    assert dev.erase_count == 1, (dev.erase_count, _erase_steps(kitlog))
    assert status == RunStatus.OK, _erase_steps(kitlog)
    assert dev.supervised
    # Recorded done once, on the device's own evidence: it forgot this station's pairing.
    assert [o for o in _erase_steps(kitlog) if o[0] == "ok"] == [("ok", None)], _erase_steps(kitlog)


async def _interrupted_by_a_lost_erase_answer(
    sim: IOSSimulatorThread, dev: SimulatedIOSDevice, ids: IdentityStore, kitlog: KitLog, bp: Blueprint, tmp_path: Path
) -> Device:
    """A first station's run, interrupted when EraseDevice's answer is lost (the device erased);
    returns once the device is back on the bus, with the device the station identified."""
    first = IOSAdapter(sim.address, tmp_path / "pairing", ids, TIMING)
    try:
        device = await first.identify(dev.udid)
        assert await run(first, kitlog, device, bp) == RunStatus.INTERRUPTED
    finally:
        await first.aclose()
    await until(lambda: dev.erase_count == 1 and dev.attached, "the device back after its erase")
    return device


async def test_a_re_pair_by_another_tool_after_the_erase_stops_and_asks(
    ios_sim_factory: Callable[..., IOSSimulatorThread], kitlog: KitLog, tmp_path: Path
) -> None:
    """The answer is lost and the device leaves: the run is interrupted with the erase in flight.
    Before the station resumes, another tool on the same host (``kitstation devices``, a second
    station process) connects to the erased device and re-pairs, replacing the pair record with one
    the device accepts: asked with it, the device "still knows this station", and the erase step
    used to run again. Neither record proves anything now (the device accepts the old record's
    HostID again after the re-pair), so the resumed run stops and asks the technician.
    """
    sim = ios_sim_factory(faults=["0:lose-answer=erase"])
    dev = sim.plug()
    bp = blueprint(tmp_path, BLUEPRINT)
    ids = IdentityStore(tmp_path / "ids")
    device = await _interrupted_by_a_lost_erase_answer(sim, dev, ids, kitlog, bp, tmp_path)
    other = IOSAdapter(sim.address, tmp_path / "pairing", ids, TIMING)
    try:
        await other.identify(dev.udid)  # re-pairs: the erased device forgot the old pairing
    finally:
        await other.aclose()
    station = IOSAdapter(sim.address, tmp_path / "pairing", ids, TIMING)
    try:
        device = await station.identify(dev.udid)
        assert await run(station, kitlog, device, bp) == RunStatus.FAILED
    finally:
        await station.aclose()
    assert dev.erase_count == 1, _erase_steps(kitlog)
    assert _erase_steps(kitlog) == [("interrupted", "erase_unanswered"), ("failed", "unsafe_to_repeat")]
    reason = kitlog.history(limit=1)[0]
    assert reason["error_code"] == "unsafe_to_repeat", reason


async def test_without_a_re_pair_the_kept_record_confirms_the_erase(
    ios_sim_factory: Callable[..., IOSSimulatorThread], kitlog: KitLog, tmp_path: Path
) -> None:
    """The same interruption, resumed by a new station process that asks before anything re-pairs:
    the device rejects the pairing kept from before EraseDevice, so the erase is confirmed, not redone."""
    sim = ios_sim_factory(faults=["0:lose-answer=erase"])
    dev = sim.plug()
    bp = blueprint(tmp_path, BLUEPRINT)
    ids = IdentityStore(tmp_path / "ids")
    device = await _interrupted_by_a_lost_erase_answer(sim, dev, ids, kitlog, bp, tmp_path)
    station = IOSAdapter(sim.address, tmp_path / "pairing", ids, TIMING)
    try:
        assert not dev.paired_hosts  # nothing re-paired since the erase
        step = station.plan(bp, device)[0]
        ctx = StepContext(
            device=device, blueprint=bp, secrets=DictSecrets({}), run_id=kitlog.history(limit=1)[0]["run_id"]
        )
        assert step.id == "ios.erase" and await step.check_done(ctx) is True
    finally:
        await station.aclose()
    assert dev.erase_count == 1

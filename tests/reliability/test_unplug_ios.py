"""Pull the cable (or drop the connection) at every request of the iPhone flows; nothing false in the log.

For each flow a clean run first counts the device's requests R; then each case N in 1..R plugs a
device whose N-th request pulls the cable halfway (``unplug-at=N``) or closes the connection
unanswered (``drop=N``). The technician plugs it back in whenever it is out; the run is started
again while it ends interrupted. After every attempt, each step the log records done must be true
on the device (the simulator's state); at the end the run is ok, the device was erased exactly once
when the flow erases, and it is supervised. CI runs a seeded sample of the cases
(``KITSTATION_RELIABILITY_TRIALS`` x 2 per flow and fault); a soak run with a large value covers all.
"""

from __future__ import annotations

import asyncio
import gc
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kitstation.domain.model import DeviceGone, RunStatus, StepError
from kitstation.ios import IdentityStore, IOSAdapter
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from kitstation.simulator.ios.device import SimulatedIOSDevice
from tests.fixtures.waiting import until
from tests.ios.conftest import FAST, blueprint, run
from tests.reliability.conftest import SEED, trials

FLOW = """
name = "supervise"
[ios]
method = "supervise"
erase = {erase}
[ios.organization]
name = "ACME"
[ios.mdm_server]
name = "CLOMO"
url = "https://mdm.example.jp/acme/"
[ios.wifi]
ssid = "bench"
password_secret = "wifi"
"""
SECRETS = {"wifi": "pw-12345678"}


def _false_statements(kitlog: KitLog, dev: SimulatedIOSDevice) -> list[str]:
    """Steps the log records done that did not happen on the device."""
    wrong = []
    for r in kitlog.history(limit=50):
        for s in kitlog.steps(r["run_id"]):
            if s["outcome"] != "ok":
                continue
            step = s["step_id"]
            if step == "ios.erase" and dev.erase_count < 1:
                wrong.append("erase recorded, device never erased")
            if step == "ios.supervise" and not dev.supervised:
                wrong.append("supervision recorded, device not supervised")
            if step == "ios.cloud_config" and dev.cloud_config is None:
                wrong.append("cloud configuration recorded, device has none")
            if step == "ios.profile.wifi" and not dev.profiles:
                wrong.append("Wi-Fi profile recorded, device has no profile")
    return wrong


async def _until(cond: Callable[[], bool]) -> None:
    await until(cond, "the simulated device")  # with the tests' budget (tests/fixtures/waiting.py)


async def _case(sim: IOSSimulatorThread, tmp_path: Path, erase: bool) -> tuple[SimulatedIOSDevice, list[str], int]:
    """One device through the flow with the technician replugging; (device, false statements, attempts)."""
    bp = blueprint(tmp_path, FLOW.format(erase=str(erase).lower()))
    kitlog = KitLog(f"sqlite:///{tmp_path / 'log.sqlite3'}")
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    wrong: list[str] = []
    try:
        dev = sim.plug()
        status: RunStatus | None = None
        attempts = 0
        while status != RunStatus.OK and attempts < 6:
            attempts += 1
            await _until(lambda: dev.power == "on")
            if not dev.cabled:
                sim.replug(dev.udid)
            try:
                device = await adapter.identify(dev.udid)
            except (DeviceGone, StepError, OSError, ConnectionError):
                continue  # the fault hit while reading the device: plug it back in, read again
            task = asyncio.ensure_future(run(adapter, kitlog, device, bp, SECRETS))
            while not task.done():
                await _until(lambda t=task: t.done() or (not dev.cabled and dev.power == "on"))  # type: ignore[misc]
                if not task.done():
                    sim.replug(dev.udid)  # back in: a run waiting for the device goes on
            status = await task
            wrong += _false_statements(kitlog, dev)
        assert status == RunStatus.OK, (
            attempts,
            [(s["step_id"], s["outcome"]) for s in kitlog.steps(kitlog.history(limit=1)[0]["run_id"])],
        )
        return dev, wrong, attempts
    finally:
        await adapter.aclose()
        kitlog.close()


def _close_open_transports() -> list[str]:
    """Close (and name) connections the station left open: each one is a finding.

    The station's: on this loop, or on a loop already closed (the activation worker's
    ``asyncio.run``). The simulator's own ends live on its running loop, in its thread, and close
    when they see the station's side go: not counted (nor touched from this thread).
    """
    gc.collect()
    here = asyncio.get_running_loop()
    left = [
        o
        for o in gc.get_objects()
        if isinstance(o, asyncio.BaseTransport)
        and not o.is_closing()
        and (getattr(o, "_loop", None) is here or getattr(getattr(o, "_loop", None), "is_closed", lambda: False)())
    ]
    for transport in left:
        if getattr(transport, "_loop", None) is here:
            transport.close()
    return [type(t).__name__ for t in left]


async def _requests_of_clean_run(sim_factory: Callable[..., IOSSimulatorThread], tmp_path: Path, erase: bool) -> int:
    dev, wrong, _ = await _case(sim_factory(), tmp_path / "clean", erase)
    assert not wrong
    return dev.requests


@pytest.mark.slow
@pytest.mark.parametrize("erase", [True, False], ids=["erase", "no-erase"])
@pytest.mark.parametrize("kind", ["unplug-at", "drop"])
async def test_fault_at_every_request(
    ios_sim_factory: Callable[..., IOSSimulatorThread], tmp_path: Path, kind: str, erase: bool
) -> None:
    (tmp_path / "clean").mkdir()
    total = await _requests_of_clean_run(ios_sim_factory, tmp_path, erase)
    assert total > 5
    cases = list(range(1, total + 1))
    budget = trials() * 2
    if budget < len(cases):
        cases = sorted(random.Random(f"{SEED}/{kind}/{erase}").sample(cases, budget))
    report: dict[str, Any] = {"requests": total, "cases": len(cases), "false": 0, "left_open": {}}
    for n in cases:
        folder = tmp_path / f"n{n}"
        folder.mkdir()
        dev, wrong, _attempts = await _case(ios_sim_factory(faults=[f"0:{kind}={n}"]), folder, erase)
        # Closed as well as counted, so that one finding does not fail every later case too.
        left = _close_open_transports()
        if left:
            report["left_open"][n] = left
        assert not left, (n, dev.request_names[n - 1], left)
        assert not wrong, (n, wrong)
        assert dev.erase_count == (1 if erase else 0), (n, dev.erase_count)
        assert dev.supervised, n
    print(f"ios {kind} erase={erase}", report)


def _start_session_before_supervised_pairing(names: list[str]) -> int:
    """The request number of the StartSession just before the supervised pairing's first Pair."""
    pair = names.index("pair", names.index("set-cloud-config"))
    return max(i for i, name in enumerate(names[:pair]) if name == "session") + 1


async def test_dropped_start_session_leaves_no_connection_open(
    ios_sim_factory: Callable[..., IOSSimulatorThread], tmp_path: Path
) -> None:
    """Found by test_fault_at_every_request[drop-no-erase]: two TLS lockdown connections stayed open.

    pymobiledevice3 answers the dropped StartSession by reconnecting inside the lockdown client
    (``areestablish_connection``): the client's connection is then a new one, which the connector
    must close when the session still fails (kitstation/ios/connect.py ``_connect``).
    """
    (tmp_path / "clean").mkdir()
    clean, wrong, _ = await _case(ios_sim_factory(), tmp_path / "clean", False)
    assert not wrong
    n = _start_session_before_supervised_pairing(clean.request_names)
    assert not _close_open_transports()
    dev, wrong, _ = await _case(ios_sim_factory(faults=[f"0:drop={n}"]), tmp_path, False)
    assert dev.request_names[n - 1] == "session"  # the fault hit the StartSession it was aimed at
    assert not wrong and dev.supervised
    assert _close_open_transports() == []


def _around_the_erase(names: list[str]) -> dict[str, int]:
    """Request numbers named by what they are in the clean run: the StartService that opens MCInstall
    for EraseDevice, EraseDevice itself, and the first request after it (the wait for Setup Assistant)."""
    erase = names.index("erase") + 1
    return {"start-service": erase - 1, "erase": erase, "after": erase + 1}


@pytest.mark.parametrize(
    "fault",
    [
        "unplug-at@start-service",
        "drop@start-service",
        "unplug-at@erase",
        "drop@erase",
        "lose-answer@erase",
        "unplug-at@after",
        "drop@after",
    ],
)
async def test_faults_around_the_erase_erase_once(
    ios_sim_factory: Callable[..., IOSSimulatorThread], tmp_path: Path, fault: str
) -> None:
    """Finding 3 (an iPhone erased twice) aimed by name, not by a number that moves with the timing:
    the cable pulled, the connection dropped, or the answer lost just before, at and just after
    EraseDevice. The device is erased exactly once and the run ends ok, with nothing false logged."""
    (tmp_path / "clean").mkdir()
    clean, wrong, _ = await _case(ios_sim_factory(), tmp_path / "clean", True)
    assert not wrong
    kind, _, target = fault.partition("@")
    n = _around_the_erase(clean.request_names)[target]
    assert not _close_open_transports()
    dev, wrong, _ = await _case(ios_sim_factory(faults=[f"0:{kind}={n}"]), tmp_path, True)
    assert target == "after" or dev.request_names[n - 1] == target  # the fault hit the request it was aimed at
    assert not wrong, wrong
    assert dev.erase_count == 1, (fault, dev.erase_count)
    assert dev.supervised
    assert _close_open_transports() == []

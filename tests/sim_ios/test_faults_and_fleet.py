"""Fault injection by device, the fault grammar, the catalogue, the CLI helpers, and 16 devices at once."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

import pytest
from pymobiledevice3 import usbmux
from pymobiledevice3.exceptions import (
    CloudConfigurationAlreadyPresentError,
    ConnectionTerminatedError,
    PairingDialogResponsePendingError,
    PasswordRequiredError,
    UserDeniedPairingError,
)
from pymobiledevice3.services.mobile_config import MobileConfigService

from kitstation.core.barcode import luhn_check_digit
from kitstation.simulator.ios import MODELS, FaultSpecError, IOSSimulatorThread, luhn_valid, parse_fault, parse_faults
from kitstation.simulator.ios.catalogue import make_identity, releases_for
from kitstation.simulator.ios.cli import add_ios_arguments, describe, run_ios, simulator_kwargs, usbmux_kwargs
from kitstation.simulator.ios.faults import Timing
from tests.fixtures.waiting import BUDGET
from tests.sim_ios.conftest import connect, make_profile, wait_until

# ----- grammar ---------------------------------------------------------------------------------


def test_fault_grammar() -> None:
    f = parse_fault("0:unplug-at=erase")
    assert (f.device, f.kind, f.arg) == ("0", "unplug-at", "erase")
    assert parse_fault("ios:00008110-001A:trust=refused").device == "00008110-001A"
    assert (parse_fault("*:trust-pending").kind, parse_fault("*:trust-pending").arg) == ("trust", "pending")
    assert parse_fault("2:locked").kind == "passcode-locked"
    assert parse_fault("1:error=install-profile/4009").arg == "install-profile/4009"
    assert parse_fault("1:unplug-at=7").matches_step("anything", 7)
    assert parse_fault("3:slow").kind == "slow"
    for bad in (
        "nonsense",
        "0:",
        "0:unplug-at",
        "0:unplug-at=nowhere",
        "0:trust=maybe",
        "0:slow=-1",
        "0:error=pair",
        "0:error=erase/abc",
        "0:drop=erase/3",
        "0:frobnicate",
    ):
        with pytest.raises(FaultSpecError):
            parse_fault(bad)


def test_shared_fault_list_skips_android_specs() -> None:
    specs = ["android:0:unauthorized", "0:unauthorized", "1:trust=refused"]
    assert [f.kind for f in parse_faults(specs, strict=False)] == ["trust"]
    with pytest.raises(FaultSpecError):
        parse_faults(specs, strict=True)
    with pytest.raises(FaultSpecError):
        parse_faults(["ios:0:unauthorized"], strict=False)


def test_catalogue_identities() -> None:
    import random

    assert luhn_check_digit("49015420323751") == "8"  # the textbook IMEI 490154203237518
    for model in MODELS:
        assert releases_for(model), model
        ident = make_identity(model, random.Random(1))
        assert ident.udid == f"{model.chip_id:08X}-{ident.ecid:016X}"
        assert len(ident.serial) == 10
        if model.cellular:
            assert ident.imei is not None and len(ident.imei) == 15 and luhn_valid(ident.imei)
            assert ident.imei.startswith(model.tac)
        else:
            assert ident.imei is None
        assert all(int(v.split(".")[0]) in (15, 16, 17, 18) for v, _ in releases_for(model))


def test_timing_scales_with_speed() -> None:
    import random

    slow = Timing(1.0, random.Random(0)).delay("erase")
    fast = Timing(1000.0, random.Random(0)).delay("erase")
    assert 48 <= slow <= 72 and fast == pytest.approx(slow / 1000)


def test_timing_without_jitter_is_the_same_for_every_device() -> None:
    # What bench_batch runs: with no spread, every device's erase takes the modelled time exactly.
    import random

    delays = [Timing(10.0, random.Random(seed), jitter=0.0).delay("erase") for seed in range(20)]
    assert all(d == pytest.approx(6.0) for d in delays)
    spread = {Timing(10.0, random.Random(seed)).delay("erase") for seed in range(20)}
    assert len(spread) > 1 and all(4.8 <= d <= 7.2 for d in spread)
    with pytest.raises(ValueError):
        Timing(10.0, random.Random(0), jitter=1.0)


def test_cli_helpers(ios_sim: IOSSimulatorThread) -> None:
    parser = argparse.ArgumentParser()
    add_ios_arguments(parser)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fault", action="append", default=[])
    args = parser.parse_args(["--ios", "2", "--usbmux", "127.0.0.1:0", "--fault", "0:trust=refused", "--speed", "9"])
    kwargs = simulator_kwargs(args)
    assert kwargs == {"speed": 9.0, "seed": 0, "jitter": 0.2, "faults": ["0:trust=refused"], "tcp_port": 0}
    assert usbmux_kwargs("UNIX:/tmp/x.sock") == {"socket_path": "/tmp/x.sock"}
    with pytest.raises(ValueError):
        usbmux_kwargs("10.0.0.1:27015")
    with pytest.raises(FaultSpecError):
        simulator_kwargs(parser.parse_args(["--fault", "0:trust=sometimes"]))
    dev = ios_sim.plug()
    lines = describe(ios_sim)
    assert dev.udid in lines[0] and dev.serial in lines[0]
    assert lines[-3:] == [f"{k}={v}" for k, v in ios_sim.env.items()]
    assert lines[-3] == f"USBMUXD_SOCKET_ADDRESS={ios_sim.address}"


def test_same_seed_same_fleet(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    a = ios_sim_factory(seed=7)
    b = ios_sim_factory(seed=7)
    assert [a.plug().udid for _ in range(3)] == [b.plug().udid for _ in range(3)]


# ----- faults on the wire ------------------------------------------------------------------------


async def test_fault_trust_refused_and_pending_and_locked(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    sim = ios_sim_factory(faults=["0:trust=refused", "1:trust-pending", "2:passcode-locked"])
    refused, pending, locked = (sim.plug() for _ in range(3))
    with pytest.raises(UserDeniedPairingError):
        await connect(refused.udid)
    with pytest.raises(PairingDialogResponsePendingError):
        await connect(pending.udid)
    with pytest.raises(PasswordRequiredError):
        await connect(locked.udid)


async def test_fault_unplug_during_profile_install(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    sim = ios_sim_factory(faults=["0:unplug-at=install-profile"])
    dev = sim.plug()
    lockdown = await connect(dev.udid)
    mc = MobileConfigService(lockdown)
    try:
        with pytest.raises((ConnectionTerminatedError, ConnectionError, OSError)):
            await mc.install_profile(make_profile("com.example.p"))
    finally:
        await mc.close()
        await lockdown.close()
    assert not dev.attached and dev.pending_profiles == []
    assert await usbmux.list_devices() == []
    sim.replug(dev.udid)
    lockdown = await connect(dev.udid)
    mc = MobileConfigService(lockdown)
    try:
        await mc.install_profile(make_profile("com.example.p"))  # the fault fires once
        assert len(dev.pending_profiles) == 1
    finally:
        await mc.close()
        await lockdown.close()


async def test_fault_unplug_during_erase(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    sim = ios_sim_factory(faults=["0:unplug-at=erase"])
    dev = sim.plug()
    lockdown = await connect(dev.udid)
    mc = MobileConfigService(lockdown)
    await mc.erase_device(False, True)
    await mc.close()
    await lockdown.close()
    # The erase finishes on battery, but the cable is out: nothing re-attaches until replug.
    await wait_until(lambda: dev.erase_count == 1, "the erase to finish")
    assert not dev.attached and await usbmux.list_devices() == []
    sim.replug(dev.udid)
    assert [d.serial for d in await usbmux.list_devices()] == [dev.udid]
    assert dev.in_setup_assistant


async def test_fault_unplug_at_request_number(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    sim = ios_sim_factory(faults=["0:unplug-at=1"])
    dev = sim.plug()
    with pytest.raises(Exception):  # noqa: B017 - the pipe breaks under pymobiledevice3, whatever it raises
        await connect(dev.udid)
    assert not dev.attached


async def test_fault_dropped_service(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    sim = ios_sim_factory(faults=["0:drop=set-cloud-config"])
    dev = sim.plug(activation_state="Activated")
    lockdown = await connect(dev.udid)
    mc = MobileConfigService(lockdown)
    try:
        with pytest.raises((ConnectionTerminatedError, ConnectionError, OSError)):
            await mc.set_cloud_configuration({"IsSupervised": True})
    finally:
        await mc.close()
    assert dev.attached and dev.cloud_configuration is None
    mc = MobileConfigService(lockdown)  # a retry on a new service connection succeeds
    try:
        await mc.set_cloud_configuration({"IsSupervised": True})
        assert dev.supervised
    finally:
        await mc.close()
        await lockdown.close()


async def test_fault_error_chain(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    sim = ios_sim_factory(faults=["0:error=set-cloud-config/14002", "1:error=install-profile"])
    a, b = sim.plug(), sim.plug()
    lockdown = await connect(a.udid)
    mc = MobileConfigService(lockdown)
    try:
        with pytest.raises(CloudConfigurationAlreadyPresentError):
            await mc.set_cloud_configuration({"IsSupervised": True})
    finally:
        await mc.close()
        await lockdown.close()
    lockdown = await connect(b.udid)
    mc = MobileConfigService(lockdown)
    try:
        response: Any = await mc.service.send_recv_plist(
            {"RequestType": "InstallProfile", "Payload": make_profile("x.y")}
        )
        assert response["ErrorChain"][0]["ErrorCode"] == 4001
    finally:
        await mc.close()
        await lockdown.close()


async def test_fault_slow_device(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    sim = ios_sim_factory(speed=1000, faults=["0:slow=4"])
    slow, normal = sim.plug(), sim.plug()
    # The model, not the clock: the slow device's steps are four times longer.
    assert slow.timing.slow == 4 and normal.timing.slow == 1
    lockdown = await connect(slow.udid)
    await lockdown.close()


async def test_fault_by_serial_applies_to_that_device_only(ios_sim_factory) -> None:  # type: ignore[no-untyped-def]
    probe = ios_sim_factory(seed=3)
    second_serial = [probe.plug() for _ in range(2)][1].serial
    sim = ios_sim_factory(seed=3, faults=[f"{second_serial}:trust=refused"])
    first, second = sim.plug(), sim.plug()
    assert second.serial == second_serial
    await (await connect(first.udid)).close()  # pairs fine
    with pytest.raises(UserDeniedPairingError):
        await connect(second.udid)


# ----- a fleet -----------------------------------------------------------------------------------


async def test_sixteen_devices_at_once(ios_sim: IOSSimulatorThread, keybag: Path) -> None:
    from tests.sim_ios.conftest import supervisor_der

    devices = [ios_sim.plug(activation_state="Activated") for _ in range(16)]
    assert len({d.udid for d in devices}) == 16 and len({d.location_id for d in devices}) == 16
    assert len(await usbmux.list_devices()) == 16
    cert = supervisor_der(keybag)

    async def prepare(udid: str) -> str:
        lockdown = await connect(udid)
        mc = MobileConfigService(lockdown)
        try:
            await mc.set_cloud_configuration({"IsSupervised": True, "SupervisorHostCertificates": [cert]})
            await mc.install_profile_silent(keybag, make_profile(f"com.example.{udid}"))
            with pytest.raises(CloudConfigurationAlreadyPresentError):
                await mc.set_cloud_configuration({"IsSupervised": True})
            return str(await lockdown.get_value(key="SerialNumber"))
        finally:
            await mc.close()
            await lockdown.close()

    serials = await asyncio.gather(*(prepare(d.udid) for d in devices))
    assert serials == [d.serial for d in devices]
    assert all(d.supervised and len(d.profiles) == 1 for d in devices)


async def test_run_ios_on_the_current_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``run_ios`` (IOSSimulator on the caller's loop) plugs N devices, serves them, stops on the event."""
    from pymobiledevice3 import common as pmd3_common

    monkeypatch.setattr(pmd3_common, "_HOMEFOLDER", Path.home() / ".pymobiledevice3")
    sock = tmp_path / "run.sock"
    monkeypatch.setenv("USBMUXD_SOCKET_ADDRESS", str(sock))
    args = argparse.Namespace(ios=3, usbmux=str(sock), speed=2000.0, seed=0, fault=[])
    stop = asyncio.Event()
    task = asyncio.create_task(run_ios(args, stop))
    try:
        await wait_until(sock.exists, "the socket")
        devices: list[usbmux.MuxDevice] = []

        async def three_plugged() -> bool:  # plugging happens right after the socket appears
            nonlocal devices
            devices = await usbmux.list_devices()
            return len(devices) == 3

        deadline = asyncio.get_running_loop().time() + BUDGET
        while not await three_plugged():
            assert asyncio.get_running_loop().time() < deadline, devices
            await asyncio.sleep(0.01)
        lockdown = await connect(devices[0].serial)
        await lockdown.close()
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
    assert not sock.exists()

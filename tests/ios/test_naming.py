"""``ios.name``: lockdown's DeviceName set and read back, checked with pymobiledevice3 and idevicename (I-21)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kitstation.core.naming import NAME_SCRATCH_KEY
from kitstation.core.protocols import DictSecrets, StepContext
from kitstation.domain.model import PermanentError, RunStatus
from kitstation.ios import IdentityStore, IOSAdapter
from kitstation.ios.naming import RenameStep
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from tests.ios.conftest import FAST, blueprint, last_steps, run

ENROLL = Path(__file__).resolve().parents[2] / "examples" / "files" / "ios" / "enroll-sample.mobileconfig"
PMD3 = str(Path(sys.executable).with_name("pymobiledevice3"))
NAMED = """
name = "named"
[ios]
method = "direct_profile"
erase = false
supervise = false
enrollment_profile = "enroll.mobileconfig"
min_battery_percent = 10
[naming]
pattern = "{asset_tag}-{n:03}"
start = 5
csv = "assets.csv"
"""


def _named(tmp_path: Path, rows: str):  # type: ignore[no-untyped-def]
    (tmp_path / "assets.csv").write_text("serial,asset_tag\n" + rows, encoding="utf-8")
    (tmp_path / "enroll.mobileconfig").write_bytes(b"")
    return blueprint(tmp_path, NAMED)


async def test_the_step_names_the_device_and_other_tools_read_the_name(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, tmp_path: Path
) -> None:
    sim_dev = ios_sim.plug("iPhone15,2")
    bp = _named(tmp_path, f"{sim_dev.serial},営業-A\n")
    device = await adapter.identify(sim_dev.udid)
    plan = [s.id for s in adapter.plan(bp, device)]
    assert plan[-2:] == ["ios.name", "ios.battery"]  # after the method's steps, before the battery gate
    ctx = StepContext(device=device, blueprint=bp, secrets=DictSecrets({}), run_id=1)
    ctx.scratch[NAME_SCRATCH_KEY] = "営業-A-005"
    result = await adapter._step(RenameStep).run(ctx)
    assert result.detail == {"device_name": "営業-A-005"}
    assert sim_dev.device_name == "営業-A-005"
    env = dict(os.environ, **ios_sim.env)
    shown = subprocess.run(
        [PMD3, "lockdown", "device-name", "--udid", sim_dev.udid], env=env, capture_output=True, text=True, timeout=120
    )
    assert shown.returncode == 0 and shown.stdout.strip() == "営業-A-005", shown.stderr
    if shutil.which("idevicename"):
        env["USBMUXD_SOCKET_ADDRESS"] = f"UNIX:{ios_sim.address}"
        subprocess.run(["idevicepair", "-u", sim_dev.udid, "pair"], env=env, capture_output=True, timeout=60)
        read = subprocess.run(
            ["idevicename", "-u", sim_dev.udid], env=env, capture_output=True, text=True, timeout=60
        )
        assert read.stdout.strip() == "営業-A-005", read.stderr


async def test_a_run_without_a_name_made_fails_instead_of_pretending(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, tmp_path: Path
) -> None:
    sim_dev = ios_sim.plug()
    before = sim_dev.device_name
    bp = _named(tmp_path, "X,Y\n")
    device = await adapter.identify(sim_dev.udid)
    ctx = StepContext(device=device, blueprint=bp, secrets=DictSecrets({}), run_id=1)
    with pytest.raises(PermanentError) as err:
        await adapter._step(RenameStep).run(ctx)
    assert err.value.code == "name_missing" and sim_dev.device_name == before


async def test_pipeline_names_each_device_once_and_keeps_the_name_on_the_run(
    ios_sim_factory: Callable[..., IOSSimulatorThread], kitlog: KitLog, tmp_path: Path
) -> None:
    sim = ios_sim_factory()
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", IdentityStore(tmp_path / "ids"), FAST)
    try:
        first, second, stranger = sim.plug(), sim.plug(), sim.plug()
        bp = _named(tmp_path, f"{first.serial},ACME\n{second.serial},ACME\n")
        (tmp_path / "enroll.mobileconfig").write_bytes(ENROLL.read_bytes())
        station = kitlog.station("t")
        session = kitlog.start_session(station, order_ref="PO-9")
        names = {}
        for sim_dev in (second, first, second):
            device = await adapter.identify(sim_dev.udid)
            task = asyncio.create_task(run(adapter, kitlog, device, bp, session_id=session, force=True))
            while not sim_dev.pending_profiles and not task.done():
                await asyncio.sleep(0.01)
            if sim_dev.pending_profiles:
                sim_dev.confirm_profile()
            assert await task == RunStatus.OK, last_steps(kitlog)
            names[sim_dev.serial] = sim_dev.device_name
            row = kitlog.history(limit=1)[0]
            assert row["device_name"] == sim_dev.device_name and isinstance(row["battery_percent"], int)
        # Numbered from 5 in the order first seen; the re-run kept its number.
        assert names == {second.serial: "ACME-005", first.serial: "ACME-006"}
        before = stranger.device_name
        device = await adapter.identify(stranger.udid)
        assert await run(adapter, kitlog, device, bp, session_id=session) == RunStatus.FAILED
        failed = kitlog.history(limit=1)[0]
        assert failed["error_code"] == "name_no_row" and kitlog.steps(failed["run_id"]) == []
        assert stranger.device_name == before and stranger.pending_profiles == []
    finally:
        await adapter.aclose()


async def test_i21_device_name_in_a_session_and_an_erase_restores_the_factory_name(ios_sim: IOSSimulatorThread) -> None:
    """I-21: DeviceName is written in a paired session (no supervision) and an erase resets it."""
    from pymobiledevice3.services.mobile_config import MobileConfigService

    from tests.sim_ios.conftest import connect, wait_until

    dev = ios_sim.plug("iPhone15,2", activation_state="Activated", setup_assistant=False)
    assert not dev.supervised
    ld = await connect(dev.udid)
    try:
        await ld.set_value("ACME-001", key="DeviceName")
        assert await ld.get_value(key="DeviceName") == "ACME-001"
        async with MobileConfigService(ld) as mc:
            await mc.erase_device(preserve_data_plan=False, disallow_proximity_setup=True)
    finally:
        await ld.close()
    await wait_until(lambda: dev.erase_count == 1 and dev.attached, "the device to come back")
    ld = await connect(dev.udid)
    try:
        assert await ld.get_value(key="DeviceName") == "iPhone"
    finally:
        await ld.close()

"""The shipped iOS example blueprints validate and run end to end on the simulator."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kitstation.blueprints.loader import load_blueprint
from kitstation.blueprints.skipkeys import unknown_keys
from kitstation.domain.model import RunStatus
from kitstation.ios import IdentityStore, IOSAdapter
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from tests.fixtures.waiting import until
from tests.ios.conftest import FAST, last_steps, run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PMD3 = str(Path(sys.executable).with_name("pymobiledevice3"))
EXPECTED = {
    "ios-dep.toml": RunStatus.OK,
    "ios-supervised-dep.toml": RunStatus.WAITING_EXTERNAL,
    "ios-supervise.toml": RunStatus.OK,
    "ios-direct-profile.toml": RunStatus.OK,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
async def test_example_runs(
    name: str, ios_sim_factory: Callable[..., IOSSimulatorThread], kitlog: KitLog, tmp_path: Path
) -> None:
    bp = load_blueprint(EXAMPLES / name)
    assert bp.ios is not None
    assert not unknown_keys([] if bp.ios.skip_setup == "all" else list(bp.ios.skip_setup))
    sim = ios_sim_factory(abm_assignments={"F2LEXAMPLE01": {"IsSupervised": True, "ConfigurationURL": "https://x/"}})
    store = IdentityStore(tmp_path / "ids")
    store.generate("acme-kitting", "ACME Corporation")
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", store, FAST)
    try:
        sim_dev = sim.plug(serial="F2LEXAMPLE01", setup_assistant=bp.ios.method != "direct_profile")
        device = await adapter.identify(sim_dev.udid)
        task = asyncio.create_task(run(adapter, kitlog, device, bp, {"kitting_wifi": "example-pass"}))
        if bp.ios.method == "direct_profile":
            await until(lambda: sim_dev.pending_profiles or task.done(), "the profile on the device")
            assert not task.done(), last_steps(kitlog)
            sim_dev.confirm_profile()
        assert await task == EXPECTED[name], last_steps(kitlog)
        steps = [st[0] for st in last_steps(kitlog)]
        if bp.ios.method != "direct_profile":  # method 4's device is set up (activated) already
            assert steps.index("ios.activate") < steps.index(
                "ios.dep_verify" if bp.ios.method == "dep" else "ios.cloud_config"
            )
        # After the run, pymobiledevice3 and libimobiledevice both read the device as activated.
        env = dict(os.environ, **sim.env)
        info = subprocess.run(
            [PMD3, "lockdown", "info", "--udid", sim_dev.udid], env=env, capture_output=True, text=True, timeout=120
        )
        assert info.returncode == 0 and json.loads(info.stdout)["ActivationState"] == "Activated", info.stderr
        if shutil.which("ideviceinfo"):
            env["USBMUXD_SOCKET_ADDRESS"] = f"UNIX:{sim.address}"
            subprocess.run(["idevicepair", "-u", sim_dev.udid, "pair"], env=env, capture_output=True, timeout=60)
            state = subprocess.run(
                ["ideviceinfo", "-u", sim_dev.udid, "-k", "ActivationState"],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert state.stdout.strip() == "Activated", state.stderr
    finally:
        await adapter.aclose()

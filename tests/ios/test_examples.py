"""The shipped iOS example blueprints validate and run end to end on the simulator."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from kitstation.blueprints.loader import load_blueprint
from kitstation.blueprints.skipkeys import unknown_keys
from kitstation.domain.model import RunStatus
from kitstation.ios import IdentityStore, IOSAdapter
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from tests.ios.conftest import FAST, last_steps, run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
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
            while not sim_dev.pending_profiles:
                assert not task.done(), last_steps(kitlog)
                await asyncio.sleep(0.01)
            sim_dev.confirm_profile()
        assert await task == EXPECTED[name], last_steps(kitlog)
    finally:
        await adapter.aclose()

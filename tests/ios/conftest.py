"""Helpers for the iOS adapter tests: an adapter on the simulator, blueprints, pipeline runs.

pymobiledevice3 falls back to the system's lockdown records (/var/lib/lockdown) when usbmuxd has
none; these tests must never read them, so that lookup is disabled for every test here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pymobiledevice3 import pair_records

from kitstation.blueprints.loader import loads_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.core.domain import Device, RunStatus
from kitstation.core.pipeline import Pipeline, RetryPolicy, RunRequest
from kitstation.core.protocols import DictSecrets
from kitstation.ios import IOSAdapter, IOSTiming, IdentityStore
from kitstation.log.store import AsyncKitLog, KitLog
from kitstation.simulator.ios import IOSSimulatorThread

FAST = IOSTiming(poll_interval=0.01, detach_timeout=20.0)


@pytest.fixture(autouse=True)
def _no_system_pair_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pair_records, "get_itunes_pairing_record", lambda identifier: None)


@pytest.fixture
async def adapter(ios_sim: IOSSimulatorThread, tmp_path: Path) -> AsyncIterator[IOSAdapter]:
    a = IOSAdapter(
        usbmux_address=ios_sim.address,
        pairing_dir=tmp_path / "pairing",
        identities=IdentityStore(tmp_path / "identities"),
        timing=FAST,
    )
    yield a
    await a.aclose()


def blueprint(tmp_path: Path, text: str) -> Blueprint:
    path = tmp_path / "bp.toml"
    path.write_text(text)
    return loads_blueprint(text, str(path), path)


async def run(
    adapter: IOSAdapter,
    kitlog: KitLog,
    device: Device,
    bp: Blueprint,
    secrets: dict[str, str] | None = None,
    **req: Any,
) -> RunStatus:
    alog = AsyncKitLog(kitlog)
    try:
        station = await alog.station("t")
        pipeline = Pipeline(alog, retry=RetryPolicy(attempts=3, backoff=0.01))
        return await pipeline.run(
            RunRequest(device, bp, adapter.plan(bp, device), station, secrets=DictSecrets(secrets or {}), **req)
        )
    finally:
        alog.close()


def last_steps(kitlog: KitLog) -> list[tuple[str, str, str | None]]:
    r = kitlog.history(limit=1)[0]
    return [(s["step_id"], s["outcome"], s["error_code"]) for s in kitlog.steps(r["run_id"])]

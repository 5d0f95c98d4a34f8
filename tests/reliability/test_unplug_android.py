"""Pull a Galaxy's cable at every adb request of the device_owner flow; nothing false in the log.

A clean run first counts the phone's adb requests R (identify, the Device Owner check, the agent's
push and install, ``dpm set-device-owner``, the verify, settings, display, battery) and names
them. Then each case N in 1..R plugs a phone whose N-th request pulls the cable before it is
carried out (``unplug-at-request=N``) or after it was carried out, before its answer leaves
(``lose-answer-at=N``). The technician plugs it back whenever it is out; the run is started again
while it ends interrupted. After every attempt each step the log records done must be true on the
phone (the simulator's state); at the end the run is ok, the phone is the agent's Device Owner, no
step reason holds a traceback, no error was logged and no thread or process is left behind. CI
runs a seeded sample (``KITSTATION_RELIABILITY_TRIALS`` x 2 per fault); a soak run covers all.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import pytest

from kitstation.android import AndroidAdapter
from kitstation.blueprints.loader import loads_blueprint
from kitstation.core.pipeline import Pipeline, RetryPolicy, RunRequest
from kitstation.domain.model import DeviceGone, RunStatus, TransientError, UserActionRequired
from kitstation.log.store import AsyncKitLog, KitLog
from kitstation.simulator.android import AndroidSimulator
from kitstation.simulator.android.device import SimulatedGalaxy
from tests.fixtures.waiting import until
from tests.reliability.conftest import SEED, trials

PKG = "jp.kitstation.demoagent"
COMPONENT = "jp.kitstation.demoagent/.AdminReceiver"
FLOW = """
name = "device owner"
[android]
method = "device_owner"
min_battery_percent = 50
[android.agent]
file = "{apk}"
package = "{pkg}"
admin_receiver = "{component}"
[[android.settings]]
namespace = "global"
key = "stay_on_while_plugged_in"
value = "7"
[android.setup]
screen_off_timeout_seconds = 600
"""


def _false_statements(kitlog: KitLog, g: SimulatedGalaxy) -> list[str]:
    """Steps the log records done that are not true on the phone."""
    wrong = []
    for r in kitlog.history(limit=50):
        for s in kitlog.steps(r["run_id"]):
            if s["outcome"] != "ok":
                continue
            step = s["step_id"]
            if step == "android.agent.install" and PKG not in g.installed_packages:
                wrong.append("agent install recorded, agent not installed")
            if step in ("android.device_owner", "android.verify") and not (g.device_owner or "").startswith(PKG):
                wrong.append(f"{step} recorded, the agent is not Device Owner")
            if step == "android.settings" and g.settings["global"].get("stay_on_while_plugged_in") != "7":
                wrong.append("settings recorded, the phone does not have them")
            if step == "android.setup.display" and g.settings["system"].get("screen_off_timeout") != "600000":
                wrong.append("display recorded, the phone does not have it")
            if step == "android.battery":
                level = json.loads(s["detail"] or "{}").get("battery_percent")
                if not isinstance(level, int) or level < 50 or level > g.battery_level():
                    wrong.append(f"battery recorded at {level} %, the phone is at {g.battery_level()} %")
    return wrong


def _tracebacks(kitlog: KitLog) -> list[str]:
    found = []
    for r in kitlog.history(limit=50):
        for s in kitlog.steps(r["run_id"]):
            text = " ".join(str(s.get(k) or "") for k in ("reason_en", "reason_ja", "detail"))
            if "Traceback" in text or "Internal error" in text:
                found.append(f"{s['step_id']}: {text[:200]}")
    return found


async def _case(sim: AndroidSimulator, tmp_path: Path) -> tuple[SimulatedGalaxy, list[str], int, KitLog]:
    """One phone through the flow with the technician replugging; (phone, false statements, attempts, log)."""
    apk = tmp_path / "agent.apk"
    from kitstation.simulator.android import demo_agent_apk

    apk.write_bytes(demo_agent_apk())
    bp = loads_blueprint(FLOW.format(apk=apk, pkg=PKG, component=COMPONENT))
    kitlog = KitLog(f"sqlite:///{tmp_path / 'log.sqlite3'}")
    adapter = AndroidAdapter(adb_port=sim.adb_port, apk_cache=tmp_path / "cache")
    alog = AsyncKitLog(kitlog)
    wrong: list[str] = []
    try:
        station = await alog.station("t")
        g = await asyncio.to_thread(sim.plug, "SM-S911B")
        status: RunStatus | None = None
        attempts = 0
        while status != RunStatus.OK and attempts < 8:
            attempts += 1
            if not g.plugged:
                await asyncio.to_thread(sim.replug, g)  # the technician plugs it back in
            await asyncio.to_thread(sim.wait_ready, g)
            try:
                device = await adapter.identify(g.adb_serial)
            except (DeviceGone, TransientError, UserActionRequired):
                continue  # the fault hit while reading the phone: plug it back in, read again
            pipeline = Pipeline(alog, retry=RetryPolicy(attempts=3, backoff=0.01))
            status = await pipeline.run(RunRequest(device, bp, adapter.plan(bp, device), station))
            wrong += _false_statements(kitlog, g)
        assert status == RunStatus.OK, (
            attempts,
            [(s["step_id"], s["outcome"], s["error_code"]) for s in kitlog.steps(kitlog.history(limit=1)[0]["run_id"])],
        )
        return g, wrong, attempts, kitlog
    finally:
        alog.close()
        await adapter.aclose()


async def _clean_run(sim: AndroidSimulator, tmp_path: Path) -> list[str]:
    folder = tmp_path / "clean"
    folder.mkdir()
    g, wrong, attempts, kitlog = await _case(sim, folder)
    kitlog.close()
    assert not wrong and attempts == 1
    return list(g.requests.names)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["unplug-at-request", "lose-answer-at"])
async def test_cable_pulled_at_every_request(
    android_sim_factory: Callable[..., AndroidSimulator],
    tmp_path: Path,
    kind: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    names = await _clean_run(android_sim_factory(), tmp_path)
    for needed in ("pm install", "dpm set-device-owner", "settings put", "dumpsys battery"):
        assert needed in names, names  # the flow reaches every kind of request the brief names
    # lose-answer-at aims at commands (a sync push answers as it goes: simulator/android/requests.py).
    cases = [n for n in range(1, len(names) + 1) if kind == "unplug-at-request" or names[n - 1] != "sync"]
    budget = trials() * 2
    if budget < len(cases):
        # Always the install and dpm requests, then a seeded sample of the rest.
        must = [names.index("pm install") + 1, names.index("dpm set-device-owner") + 1]
        rest = sorted(set(cases) - set(must))
        cases = sorted(must + random.Random(f"{SEED}/android/{kind}").sample(rest, max(0, budget - len(must))))
    children = {p.pid for p in psutil.Process().children(recursive=True)}
    report: dict[str, Any] = {"requests": len(names), "cases": len(cases), "attempts": {}}
    caplog.set_level(logging.ERROR)
    for n in cases:
        folder = tmp_path / f"n{n}"
        folder.mkdir()
        g, wrong, attempts, kitlog = await _case(android_sim_factory(faults=[f"0:{kind}={n}"]), folder)
        try:
            assert not any(f.kind == kind for f in g.faults), (n, "the fault never fired")
            assert not wrong, (n, names[n - 1], wrong)
            assert not _tracebacks(kitlog), (n, _tracebacks(kitlog))
            assert (g.device_owner or "").startswith(PKG), n
        finally:
            kitlog.close()
        report["attempts"][f"{n}:{names[n - 1]}"] = attempts
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    await until(lambda: not [t for t in threading.enumerate() if t.name.startswith("adb-track")], "tracking threads")
    left = {p.pid for p in psutil.Process().children(recursive=True)} - children
    assert not left, [psutil.Process(p).cmdline() for p in left]
    print(f"android {kind}", report)

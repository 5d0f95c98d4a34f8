"""The iPhone battery gate: lockdown's battery domain through unmodified pymobiledevice3, on the simulator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kitstation.blueprints.loader import load_blueprint
from kitstation.core.protocols import DictSecrets, StepContext
from kitstation.domain.model import PermanentError, RunStatus
from kitstation.i18n import Text
from kitstation.ios import IdentityStore, IOSAdapter
from kitstation.ios.battery import BatteryStep
from kitstation.log.store import KitLog
from kitstation.simulator.ios import IOSSimulatorThread
from tests.ios.conftest import FAST, blueprint, last_steps, run

GATED = """
name = "battery"
[ios]
method = "direct_profile"
erase = false
supervise = false
enrollment_profile = "enroll.mobileconfig"
min_battery_percent = 50
"""


async def test_battery_gate_is_planned_last_waits_while_charging_and_records_the_level(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, tmp_path: Path
) -> None:
    bp = blueprint(tmp_path, GATED)
    sim_dev = ios_sim.plug("iPhone15,2")
    sim_dev.set_battery(34, charging=False)
    device = await adapter.identify(sim_dev.udid)
    plan = adapter.plan(bp, device)
    assert plan[-1].id == "ios.battery"
    notes: list[Text] = []
    ctx = StepContext(device=device, blueprint=bp, secrets=DictSecrets({}), run_id=1)

    def progress(_f: float | None, note: Text | None) -> None:
        if note is not None:
            if not notes:
                # The slot shows the wait: only now does the cable start charging (~33 % a second
                # at the test speed), so the first reading is below the minimum however slow the host.
                sim_dev.set_battery(34, charging=True)
            notes.append(note)

    ctx._progress = progress
    step = adapter._step(BatteryStep, poll_seconds=0.02)
    result = await step.run(ctx)
    assert result.detail is not None and result.detail["battery_percent"] >= 50
    assert result.detail["waited"] is True and result.detail["battery_percent_at_start"] < 50
    assert notes and notes[0].en.startswith("charging: ") and notes[0].en == "charging: 34 % of 50 %"
    assert notes[0].ja == "充電中: 34 %（必要 50 %）"


async def test_battery_gate_fails_with_the_level_reached_when_not_charging(
    ios_sim: IOSSimulatorThread, adapter: IOSAdapter, tmp_path: Path
) -> None:
    bp = blueprint(tmp_path, GATED)
    sim_dev = ios_sim.plug("iPhone15,2")
    sim_dev.set_battery(12, charging=False)
    device = await adapter.identify(sim_dev.udid)
    ctx = StepContext(device=device, blueprint=bp, secrets=DictSecrets({}), run_id=1)
    step = adapter._step(BatteryStep, poll_seconds=0.02, budget_seconds=0.1)
    with pytest.raises(PermanentError) as err:
        await step.run(ctx)
    assert err.value.code == "battery_low"
    assert "only 12 % of the 50 %" in err.value.reason.en and "not charging" in err.value.reason.en
    assert "12 %" in err.value.reason.ja


def test_without_a_minimum_there_is_no_gate(tmp_path: Path) -> None:
    bp = blueprint(tmp_path, GATED.replace("min_battery_percent = 50\n", ""))
    assert bp.ios is not None and bp.ios.min_battery_percent is None
    with pytest.raises(Exception, match="less than or equal to 100"):
        blueprint(tmp_path, GATED.replace("= 50", "= 101"))


def test_the_example_blueprint_has_the_gate() -> None:
    root = Path(__file__).resolve().parents[2]
    bp = load_blueprint(root / "examples" / "ios-supervise-battery.toml")
    assert bp.ios is not None and bp.ios.min_battery_percent == 50 and bp.ios.battery_wait_minutes == 120


async def test_the_example_runs_through_the_pipeline_and_logs_the_level(
    ios_sim_factory: Callable[..., IOSSimulatorThread], kitlog: KitLog, tmp_path: Path
) -> None:
    root = Path(__file__).resolve().parents[2]
    bp = load_blueprint(root / "examples" / "ios-supervise-battery.toml")
    sim = ios_sim_factory()
    store = IdentityStore(tmp_path / "ids")
    store.generate("acme-kitting", "ACME Corporation")
    adapter = IOSAdapter(sim.address, tmp_path / "pairing", store, FAST)
    try:
        sim_dev = sim.plug(setup_assistant=True, serial="F2LDEMO0001")  # a serial in the example's names CSV
        sim_dev.set_battery(20)  # charging: ~33 % a second at the test speed
        device = await adapter.identify(sim_dev.udid)
        status = await run(adapter, kitlog, device, bp, {"kitting_wifi": "example-pass"})
        assert status == RunStatus.OK, last_steps(kitlog)
        assert last_steps(kitlog)[-1] == ("ios.battery", "ok", None)
        run_id = kitlog.history(limit=1)[0]["run_id"]
        detail = [s["detail"] for s in kitlog.steps(run_id) if s["step_id"] == "ios.battery"][0]
        level = (json.loads(detail) if isinstance(detail, str) else detail)["battery_percent"]
        assert 50 <= level <= 100
        # [naming]: the device's name from its CSV row, read back, on the run with the level.
        assert sim_dev.device_name == "IP-0001 営業部 001"
        row = kitlog.history(limit=1)[0]
        assert (row["device_name"], row["battery_percent"]) == ("IP-0001 営業部 001", level)
        # [ios.apps]: the pinned .ipa is on the device, read back and recorded.
        apps = sim_dev._control(lambda: {k: dict(v) for k, v in sim_dev.app_state.apps.items()})
        assert apps["jp.kitstation.demo.scanner"]["CFBundleShortVersionString"] == "1.2.0"
        app_detail = [s["detail"] for s in kitlog.steps(run_id) if s["step_id"] == "ios.app.jp.kitstation.demo.scanner"]
        recorded = json.loads(app_detail[0]) if isinstance(app_detail[0], str) else app_detail[0]
        assert "1.2.0" in json.dumps(recorded)
    finally:
        await adapter.aclose()

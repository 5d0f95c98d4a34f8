"""The bench's own preflight refuses a batch without credentials; a successful assignment ends the run ok."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from kitstation.abm.steps import AbmHandoff
from kitstation.blueprints.loader import load_blueprint, loads_blueprint
from kitstation.cloudapi.assign import AssignmentFollows
from kitstation.core.bench import Bench, BenchConfig
from kitstation.core.protocols import FunctionStep, NoSecrets, StepContext
from kitstation.domain.handoff import HANDOFF_KEY
from kitstation.domain.model import Device, Outcome, Platform, StepResult
from kitstation.i18n import Text
from kitstation.station import SimulationPlan, Station

ROOT = Path(__file__).resolve().parents[2]
ABM_BP = loads_blueprint(
    'name = "abm"\n[customer]\nname = "ACME"\n[ios]\nmethod = "dep"\nerase = false\n[abm]\nmdm_server = "CLOMO MDM"\n'
)
PLAIN_BP = loads_blueprint('name = "plain"\n[ios]\nmethod = "dep"\nerase = false\n')


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(db)) as c:
        return list(c.execute(sql).fetchall())


def _final(bench: Bench, n: int) -> bool:
    return len(bench.slots) >= n and all(v.state.is_final for v in bench.slots.values())


async def _waiting_handoff(ctx: StepContext) -> StepResult:
    return StepResult.waiting_external(
        Text("assign it yourself", "ご自身で割り当ててください"),
        "abm_assignment",
        detail={HANDOFF_KEY: "awaiting_abm", "serial": ctx.device.serial},
    )


async def test_the_platform_hand_off_step_says_the_assignment_follows_only_with_the_section() -> None:
    handoff = AbmHandoff(accounts=lambda c: (_ for _ in ()).throw(AssertionError("no credentials needed")))
    step = FunctionStep("ios.abm_handoff", Text("Hand off", "引き継ぎ"), _waiting_handoff)
    other = FunctionStep("ios.verify", Text("Verify", "検証"), _waiting_handoff)
    device = Device(Platform.IOS, key="udid-1", serial="F2LXK0AAHG7F")
    ctx = StepContext(device=device, blueprint=ABM_BP, secrets=NoSecrets(), run_id=1)

    wrapped = handoff.wrap(ABM_BP, [other, step])
    assert wrapped[0] is other and isinstance(wrapped[1], AssignmentFollows) and wrapped[1].id == "ios.abm_handoff"
    result = await wrapped[1].run(ctx)
    assert result.outcome == Outcome.OK
    assert result.reason is not None and "F2LXK0AAHG7F" in result.reason.en and "CLOMO MDM" in result.reason.ja
    assert "yourself" not in result.reason.en
    assert result.detail is not None and result.detail[HANDOFF_KEY] == "awaiting_abm"  # until the assignment
    assert handoff.wrap(PLAIN_BP, [step]) == [step]  # no [abm]: the step still says who does what


async def test_the_bench_refuses_a_batch_without_credentials_before_touching_a_device(tmp_path: Path) -> None:
    # No stand-ins and nothing imported: the credential store (in the test's HOME) is empty.
    db = tmp_path / "log.sqlite3"
    station = Station(db=str(db), simulate=SimulationPlan(ios=1, android=1, speed=100))
    await station.start()
    try:
        bench = station.bench(
            BenchConfig(
                blueprints={
                    Platform.IOS: load_blueprint(ROOT / "examples/ios-dep-abm.toml"),
                    Platform.ANDROID: load_blueprint(ROOT / "examples/android-kme-assign.toml"),
                }
            )
        )
        await bench.start()
        try:
            assert await bench.wait_until(lambda b: _final(b, 2), 120)
            views = list(bench.slots.values())
            ios = bench.preflight(Platform.IOS)
            android = bench.preflight(Platform.ANDROID)
        finally:
            await bench.stop()
    finally:
        await station.aclose()
    assert ios is not None and [p.code for p in ios.problems] == ["abm_no_credentials"]
    assert android is not None and [p.code for p in android.problems] == ["kme_no_credentials"]
    assert {v.code for v in views} == {"preflight_failed"}
    reasons = " ".join(v.reason.en for v in views if v.reason is not None)
    assert "No Apple Business API account" in reasons and "No Knox API client" in reasons
    assert _rows(db, "select count(*) from step_event") == [(0,)]  # no step ran on any device


@pytest.mark.slow
async def test_runs_whose_assignment_succeeded_end_ok_and_a_failed_one_fails(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    station = Station(db=str(db), simulate=SimulationPlan(ios=2, android=1, speed=100, cloud=True))
    await station.start()
    try:
        failing = station.ios_sim.devices[1].serial
        station.cloud_sim.abm.faults.fail_serials = {failing}
        bench = station.bench(
            BenchConfig(
                blueprints={
                    Platform.IOS: load_blueprint(ROOT / "examples/ios-dep-abm.toml"),
                    Platform.ANDROID: load_blueprint(ROOT / "examples/android-kme-assign.toml"),
                }
            )
        )
        await bench.start()
        try:
            assert await bench.wait_until(lambda b: _final(b, 3), 180)
        finally:
            await bench.stop()
    finally:
        await station.aclose()
    runs = _rows(
        db,
        "select d.serial, d.external_state, r.status from run r join device d on d.id = r.device_id order by d.serial",
    )
    by_serial = {serial: (state, status) for serial, state, status in runs}
    assert by_serial.pop(failing)[1] == "failed"
    assert sorted(by_serial.values()) == [("abm_assigned", "ok"), ("kme_assigned", "ok")]
    said = _rows(
        db,
        "select step_id, outcome, message_en from step_event where step_id in ('ios.dep_verify', 'android.kme.record')",
    )
    assert {(s, o) for s, o, _ in said} == {("ios.dep_verify", "ok"), ("android.kme.record", "ok")}
    assert len(said) == 3 and all("the station now assigns" in str(m) for _, _, m in said)
    (reason,) = _rows(db, "select message_en from step_event where step_id = 'abm.assign' and outcome = 'failed'")
    assert failing in str(reason[0]) and "did not assign" in str(reason[0])

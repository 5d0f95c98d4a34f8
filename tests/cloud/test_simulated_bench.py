"""The examples on the simulated bench: devices end assigned in the stand-ins, and the log says so."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest

from kitstation.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def _steps(db: Path, step_id: str) -> list[tuple[str, str, dict[str, object]]]:
    with contextlib.closing(sqlite3.connect(db)) as c:
        rows = c.execute(
            "select d.key, d.external_state, s.detail from step_event s join run r on r.id = s.run_id"
            " join device d on d.id = r.device_id where s.step_id = ? and s.outcome = 'ok'",
            (step_id,),
        ).fetchall()
    return [(k, st, json.loads(detail)) for k, st, detail in rows]


def _run_statuses(db: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(db)) as c:
        return {r[0] for r in c.execute("select status from run")}


@pytest.mark.slow
def test_ios_dep_example_ends_assigned_in_apple_business(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "log.sqlite3"
    code = main(
        ["--db", str(db), "prepare", "--simulate", "3", "--simulate-cloud", "--platform", "ios", "--speed", "100",
         "-b", str(ROOT / "examples/ios-dep-abm.toml"), "--json"]
    )  # fmt: skip
    assert code == 0
    rows = _steps(db, "abm.assign")
    assert len(rows) == 3
    activity_ids = {d["abm_activity_id"] for _, _, d in rows}
    assert len(activity_ids) == 1 and all(activity_ids)  # the three serials went in one activity
    assert {st for _, st, _ in rows} == {"abm_assigned"}
    assert {d["abm_server"] for _, _, d in rows} == {"CLOMO MDM"}
    assert _run_statuses(db) == {"ok"}  # assigned: nothing left for anyone else to do
    out = tmp_path / "report.csv"
    assert main(["report", "--db", str(db), "--format", "csv", "--out", str(out)]) == 0
    (activity_id,) = activity_ids
    # The hand-off column: assigned, with the activity that did it.
    assert out.read_text(encoding="utf-8").count(f"abm_assigned (activity {activity_id})") == 3


@pytest.mark.slow
def test_ios_manual_dep_example_prepares_then_assigns(tmp_path: Path) -> None:
    db = tmp_path / "log.sqlite3"
    code = main(
        ["--db", str(db), "prepare", "--simulate", "2", "--simulate-cloud", "--platform", "ios", "--speed", "100",
         "-b", str(ROOT / "examples/ios-manual-dep-abm.toml")]
    )  # fmt: skip
    assert code == 0
    rows = _steps(db, "abm.assign")
    assert len(rows) == 2 and {st for _, st, _ in rows} == {"abm_assigned"}
    assert _run_statuses(db) == {"ok"}
    with contextlib.closing(sqlite3.connect(db)) as c:
        order = [r[0] for r in c.execute("select step_id from step_event where run_id = 1 order by id")]
    assert order[0] == "ios.erase" and order[-1] == "abm.assign"  # after the device side of Prepare


@pytest.mark.slow
def test_android_kme_example_ends_with_the_profile_assigned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "log.sqlite3"
    code = main(
        ["--db", str(db), "prepare", "--simulate", "2", "--simulate-cloud", "--platform", "android", "--speed", "100",
         "-b", str(ROOT / "examples/android-kme-assign.toml"), "--json"]
    )  # fmt: skip
    assert code == 0
    rows = _steps(db, "kme.assign")
    assert len(rows) == 2
    assert {st for _, st, _ in rows} == {"kme_assigned"}
    assert all(d["kme_request_id"] and d["kme_profile"] == "SMSM Agent" for _, _, d in rows)
    assert _run_statuses(db) == {"ok"}
    out = tmp_path / "report.json"
    assert main(["report", "--db", str(db), "--format", "json", "--out", str(out)]) == 0
    (request_id,) = {d["kme_request_id"] for _, _, d in rows}
    assert out.read_text(encoding="utf-8").count(f"kme_assigned (request {request_id})") == 2


def test_missing_credentials_stop_the_batch_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "log.sqlite3"
    code = main(["--db", str(db), "prepare", "--platform", "ios", "-b", str(ROOT / "examples/ios-dep-abm.toml")])
    assert code == 2
    err = capsys.readouterr().err
    assert "No Apple Business API account for customer 'ACME Corporation'" in err
    assert "kitstation abm credentials import" in err and "Traceback" not in err


@pytest.mark.slow
async def test_the_simulated_iphone_then_gets_the_servers_configuration(tmp_path: Path) -> None:
    from kitstation.blueprints.loader import load_blueprint
    from kitstation.core.bench import BenchConfig
    from kitstation.domain.model import Platform
    from kitstation.station import SimulationPlan, Station

    station = Station(db=str(tmp_path / "log.sqlite3"), simulate=SimulationPlan(ios=1, speed=100, cloud=True))
    await station.start()
    try:
        (device,) = station.ios_sim.devices
        assert device.serial not in station.ios_sim.abm_assignments
        bp = load_blueprint(ROOT / "examples/ios-dep-abm.toml")
        bench = station.bench(BenchConfig(blueprints={Platform.IOS: bp}))
        await bench.start()
        try:
            assert await bench.wait_until(
                lambda b: bool(b.slots) and all(v.state.is_final for v in b.slots.values()), 120
            )
        finally:
            await bench.stop()
        # Apple's side of the assignment: the device would now download the server's configuration.
        assert station.ios_sim.abm_assignments[device.serial]["IsSupervised"] is True
        assert station.cloud_sim.abm.assigned_server(device.serial) is not None
    finally:
        await station.aclose()
    assert station.cloud_sim is None  # stopped with the station

"""The kitting log on SQLite and on a real PostgreSQL server: schema, writes, reads, concurrency."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from kitstation.blueprints import loads_blueprint
from kitstation.domain.model import Device, Outcome, Platform, RunStatus
from kitstation.i18n import Text
from kitstation.log import KitLog
from kitstation.log.db import alembic_config, create
from kitstation.log.store import RunFilter

BP = """
name = "Galaxy DO"
[android]
method = "kme"
[android.kme]
profile_name = "KDDI KME"
"""


@pytest.fixture(params=["sqlite", "postgres"])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'log.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


def _device(i: int) -> Device:
    return Device(Platform.ANDROID, f"R58M{i:07d}", serial=f"R58M{i:07d}", imeis=(f"35693803564{i:04d}",), model_id="SM-A305J")


def test_migrations_create_every_table_and_match_the_models(any_url: str) -> None:
    log = KitLog(any_url)
    tables = set(inspect(log.engine).get_table_names())
    assert {"station", "technician", "blueprint", "device", "bench_session", "run", "step_event", "intake_scan",
            "slot_name", "alembic_version"} <= tables
    with log.engine.connect() as conn:
        head = ScriptDirectory.from_config(alembic_config(any_url)).get_current_head()
        assert conn.execute(text("select version_num from alembic_version")).scalar() == head
    # Opening again is a no-op (already at head), not an error.
    KitLog(any_url).close()
    log.close()


def test_autogenerate_finds_no_drift_between_models_and_migrations(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'drift.sqlite3'}"
    KitLog(url).close()
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kitstation.log.schema import metadata

    with create(url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_sqlite_default_is_wal_with_foreign_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KITSTATION_DATA_DIR", str(tmp_path / "data"))
    log = KitLog()  # the default: an SQLite file in the data directory
    path = tmp_path / "data" / "kitlog.sqlite3"
    assert path.exists()
    with log.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    log.close()


def test_run_and_steps_are_committed_as_they_happen(any_url: str) -> None:
    log = KitLog(any_url)
    st = log.station("bench-1")
    bp = log.blueprint(loads_blueprint(BP))
    dev = log.upsert_device(_device(1))
    run = log.start_run(dev, bp, st, "android", slot="1-1.3")
    ev = log.step_started(run, "android.install")
    # A second connection (another process, a report) already sees the step in flight.
    other = KitLog(any_url)
    rp = other.resume_point(dev, bp)
    assert rp is not None and rp.in_flight == ("android.install",) and rp.status == RunStatus.RUNNING
    log.step_ended(ev, Outcome.FAILED, "dpm_accounts", Text("remove the account", "アカウントを削除"), {"stdout": "x"})
    log.end_run(run, RunStatus.FAILED, "dpm_accounts", Text("remove the account", "アカウントを削除"))
    row = other.run(run)
    assert row is not None
    assert row["status"] == "failed" and row["reason_ja"] == "アカウントを削除" and row["slot"] == "1-1.3"
    steps = other.steps(run)
    assert [s["outcome"] for s in steps] == ["failed"]
    assert json.loads(steps[0]["detail"]) == {"stdout": "x"}
    log.close()
    other.close()


def test_device_upsert_keeps_known_fields_and_blueprint_is_deduplicated_by_hash(any_url: str) -> None:
    log = KitLog(any_url)
    a = log.upsert_device(Device(Platform.IOS, "UDID1", udid="UDID1", serial="F2LX", os_version="17.5"))
    b = log.upsert_device(Device(Platform.IOS, "UDID1", udid="UDID1", marketing_name="iPhone 15"))
    assert a == b
    row = log.device_row(a)
    assert row["serial"] == "F2LX" and row["os_version"] == "17.5" and row["marketing_name"] == "iPhone 15"
    bp = loads_blueprint(BP)
    assert log.blueprint(bp) == log.blueprint(loads_blueprint(BP))
    changed = loads_blueprint(BP.replace("KDDI KME", "Other profile"))
    assert log.blueprint(changed) != log.blueprint(bp)
    log.close()


def test_history_filters_paging_and_streaming(any_url: str) -> None:
    log = KitLog(any_url)
    st = log.station("bench-1")
    tech = log.technician("山田")
    bp = log.blueprint(loads_blueprint(BP))
    session = log.start_session(st, tech, customer="ACME", order_ref="PO-1")
    for i in range(25):
        dev = log.upsert_device(_device(i))
        run = log.start_run(dev, bp, st, "android", session_id=session, technician_id=tech)
        log.end_run(run, RunStatus.OK if i % 5 else RunStatus.FAILED)
    assert log.count() == 25
    assert log.count(RunFilter(status=["failed"])) == 5
    assert log.count(RunFilter(order_ref="PO-1", technician="山田")) == 25
    assert log.count(RunFilter(text="R58M0000003")) == 1
    assert log.count(RunFilter(since=datetime.now(UTC) + timedelta(hours=1))) == 0
    page = log.history(limit=10, offset=10, order_by="serial", descending=False)
    assert [r["serial"] for r in page] == [f"R58M{i:07d}" for i in range(10, 20)]
    assert [r["run_id"] for r in log.iter_history(batch=7)] == sorted(r["run_id"] for r in log.history(limit=None))
    log.close()


def _writer(url: str, worker: int, n: int) -> None:
    log = KitLog(url)
    st = log.station(f"station-{worker}")
    bp = log.blueprint(loads_blueprint(BP))
    for i in range(n):
        dev = log.upsert_device(_device(worker * 1000 + i))
        run = log.start_run(dev, bp, st, "android")
        ev = log.step_started(run, "android.install")
        log.step_ended(ev, Outcome.OK)
        log.end_run(run, RunStatus.OK)
    log.close()


def test_two_processes_write_one_log_and_nothing_is_lost(any_url: str) -> None:
    KitLog(any_url).close()  # migrate once; the writers open it concurrently afterwards
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(any_url, w, 40)) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    log = KitLog(any_url)
    assert log.count() == 80
    assert log.count(RunFilter(station="station-1")) == 40
    with log.engine.connect() as conn:
        assert conn.execute(text("select count(*) from step_event where outcome = 'ok'")).scalar() == 80
    log.close()


def test_two_processes_migrating_a_fresh_database_at_once(any_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(any_url, w, 3)) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    log = KitLog(any_url)
    assert log.count() == 6
    log.close()


def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'down.sqlite3'}"
    KitLog(url).close()
    cfg = alembic_config(url)
    command.downgrade(cfg, "base")
    names = {r[0] for r in sqlite3.connect(tmp_path / "down.sqlite3").execute("select name from sqlite_master where type='table'")}
    assert "run" not in names
    KitLog(url).close()
    names = {r[0] for r in sqlite3.connect(tmp_path / "down.sqlite3").execute("select name from sqlite_master where type='table'")}
    assert "run" in names

"""The run's copy of its device's serial / IMEI / model (migration 0004), on SQLite and PostgreSQL.

The History sorts and counts by these copies, so they must equal the device row's values after
every write that changes either side: a new run, a device's values changing (adb fills in what a
box label lacked), a duplicate device merged into another (its runs move), a log migrated from
before the copies existed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import insert, select

from kitstation.blueprints import loads_blueprint
from kitstation.domain.model import Device, Platform, RunStatus
from kitstation.log import KitLog
from kitstation.log.db import alembic_config
from kitstation.log.store import RunFilter
from kitstation.log.tables import device_t, run_t

BP = 'name = "Galaxy"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "KME"\n'
PAIRS = (("device_serial", "serial"), ("device_imei", "imei"), ("device_model_id", "model_id"),
         ("device_marketing_name", "marketing_name"))


def _copies(log: KitLog) -> list[tuple[object, ...]]:
    """Every run's copies beside its device's values: (run id, copy..., device value...)."""
    cols = [run_t.c[r] for r, _ in PAIRS] + [device_t.c[d] for _, d in PAIRS]
    stmt = select(run_t.c.id, *cols).select_from(run_t.join(device_t, device_t.c.id == run_t.c.device_id))
    with log.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(stmt.order_by(run_t.c.id))]


def _assert_in_step(log: KitLog) -> int:
    rows = _copies(log)
    for r in rows:
        assert r[1:5] == r[5:9], r
    return len(rows)


def test_copies_follow_new_runs_changed_devices_and_merges(any_url: str) -> None:
    log = KitLog(any_url)
    st, bp = log.station("bench-1"), log.blueprint(loads_blueprint(BP))
    phone = log.upsert_device(Device(Platform.ANDROID, "R58MAAA", serial="R58MAAA", model_id="SM-S911C"))
    log.end_run(log.start_run(phone, bp, st, "android"), RunStatus.OK)
    # A box label scanned at intake (IMEI only), kitted before adb identified it.
    box, _key, _known = log.register_box_device(None, ["356938035643809"])
    log.end_run(log.start_run(box, bp, st, "android"), RunStatus.FAILED)
    assert _copies(log)[1][1:5] == (None, "356938035643809", None, None)
    # adb fills in the model and marketing name: the phone's runs follow.
    log.upsert_device(Device(Platform.ANDROID, "R58MAAA", serial="R58MAAA", model_id="SM-S911C",
                             marketing_name="Galaxy S23"))
    assert _copies(log)[0][1:5] == ("R58MAAA", None, "SM-S911C", "Galaxy S23")
    assert log.count(RunFilter(model="Galaxy S23")) == 1
    # The phone turns out to be the box: the box's run moves to the phone and takes its values.
    kept = log.reconcile_device(Device(Platform.ANDROID, "R58MAAA", serial="R58MAAA", imeis=("356938035643809",)))
    assert kept == phone
    rows = _copies(log)
    assert [r[1:5] for r in rows] == [("R58MAAA", "356938035643809", "SM-S911C", "Galaxy S23")] * 2
    assert _assert_in_step(log) == 2
    # Counted and sorted on the copies: the same as on the device rows.
    assert log.count(RunFilter(text="35")) == log.count(RunFilter(text="R5")) == 2
    assert log.count(RunFilter(text="35", status=["failed"])) == 1
    page = log.history_page(RunFilter(status=["failed"]), order_by="imei", descending=False)
    assert [r["imei"] for r in page] == ["356938035643809"]
    # An identify that changes nothing leaves the runs alone (and they stay in step).
    log.upsert_device(Device(Platform.ANDROID, "R58MAAA", serial="R58MAAA"))
    assert _assert_in_step(log) == 2
    log.close()


def test_migration_fills_the_copies_of_an_existing_log(any_url: str) -> None:
    cfg = alembic_config(any_url)
    command.upgrade(cfg, "0003_names")  # a log written before the copies existed
    old = KitLog(any_url, migrate=False)
    st, bp = old.station("bench-1"), old.blueprint(loads_blueprint(BP))
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with old.engine.begin() as conn:
        for i in range(30):
            dev = conn.execute(
                insert(device_t).values(platform="android", key=f"K{i}", serial=f"R58M{i:04d}" if i % 3 else None,
                                        imei=f"35{i:013d}", model_id="SM-A546E", marketing_name=None,
                                        external_state="", first_seen=at, last_seen=at)
            ).inserted_primary_key
            assert dev is not None
            conn.execute(insert(run_t).values(device_id=dev[0], blueprint_id=bp, station_id=st, platform="android",
                                              status="ok", started_at=at))
    old.close()
    log = KitLog(any_url)  # migrated to head: 0004 fills the copies
    assert _assert_in_step(log) == 30
    assert log.count(RunFilter(text="R5")) == 20
    assert log.count(RunFilter(model="SM-A546E")) == 30
    serials = [r["serial"] for r in log.history_page(order_by="serial", descending=False, limit=30)]
    assert serials == [None] * 10 + sorted(s for s in serials if s)
    log.close()


def test_a_short_text_matching_two_columns_of_one_run_counts_it_once(any_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # "iP" starts both the model id and the marketing name of every iPhone: the disjoint parts
    # (largest range first, empty ranges left out) still count each run once.
    monkeypatch.setattr("kitstation.log.history_terms._FEW_DEVICES", 1)  # the many-devices path
    monkeypatch.setattr("kitstation.log.history_counts._SIZE_CAP", 2)  # ranges of 2 and 3 runs tie at the cap
    log = KitLog(any_url)
    st, bp = log.station("bench-1"), log.blueprint(loads_blueprint(BP))
    devices = [("IPX1", "iPhone15,2", "iPhone 14 Pro"), ("IPX2", "iPad13,18", None), ("ipx3", None, "iPhone SE"),
               ("R58M1", "SM-S911C", "Galaxy S23"), ("R58M2", "SM-S911C", "iPhone-like")]
    for serial, model, name in devices:
        dev = log.upsert_device(Device(Platform.IOS, serial, serial=serial, model_id=model, marketing_name=name))
        for _ in range(2):
            log.end_run(log.start_run(dev, bp, st, "ios"), RunStatus.OK)
    rows = list(log.iter_history())

    def starts(value: str) -> int:
        variants = {value, value.upper()}
        return sum(1 for r in rows if any(str(r[c] or "").startswith(v) for c in ("serial", "imei", "model_id",
                                                                                   "marketing_name") for v in variants))

    for value in ("iP", "IP", "ip", "i", "R5", "Ga", "zz"):
        assert log.count(RunFilter(text=value)) == starts(value), value
    assert starts("iP") == 8 and starts("ip") == 6
    assert log.count(RunFilter(model="SM-S911C", text="iP")) == 2
    log.close()

"""The runs per (model id, marketing name) pair (migration 0005), on SQLite and PostgreSQL.

The History counts a text or a model filter alone from these pairs, so they must equal a count of
the runs' own values after every write that changes them: a new run, a device's model changing
(adb fills in what a box label lacked), a duplicate device merged into another (its runs move),
a run deleted, a log migrated from before the pairs existed (and back). The counts built on them
must equal the rows the History shows.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import delete, insert, inspect, select

from kitstation.blueprints import loads_blueprint
from kitstation.domain.model import Device, Platform, RunStatus
from kitstation.log import KitLog
from kitstation.log.db import alembic_config
from kitstation.log.store import RunFilter
from kitstation.log.tables import device_t, model_count_t, run_t

BP = 'name = "Galaxy"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "KME"\n'
TEXT_COLUMNS = ("serial", "imei", "imei2", "device_key", "model_id", "marketing_name")


def _pairs(log: KitLog) -> Counter[tuple[str, str]]:
    """The pairs table, without the pairs left with no run."""
    with log.engine.connect() as conn:
        rows = conn.execute(select(model_count_t.c.model_id, model_count_t.c.marketing_name, model_count_t.c.runs))
        return Counter({(m, n): runs for m, n, runs in rows if runs})


def _expected(log: KitLog) -> Counter[tuple[str, str]]:
    """The pairs counted from the runs' devices, NULL as ''."""
    return Counter((r["model_id"] or "", r["marketing_name"] or "") for r in log.iter_history())


def _matches(log: KitLog, value: str, *, fold: bool) -> int:
    """The runs a text matches, as the History promises: a substring of three characters or
    more (SQLite ignores ASCII case), else the start of a serial, IMEI or model (or in capitals)."""
    rows = list(log.iter_history())
    if len(value) >= 3:
        def norm(x: object) -> str:
            return str(x).lower() if fold else str(x)

        return sum(1 for r in rows if any(r[c] and norm(value) in norm(r[c]) for c in TEXT_COLUMNS))
    starts = {value, value.upper()}
    return sum(1 for r in rows if any(str(r[c] or "").startswith(v) for c in ("serial", "imei", "model_id",
                                                                              "marketing_name") for v in starts))


def _check_counts(log: KitLog, sqlite: bool) -> None:
    for value in ("S23", "s23", "Galaxy", "iP", "IP", "R5", "35", "SM-", "X S2", "zzz", "9"):
        assert log.count(RunFilter(text=value)) == _matches(log, value, fold=sqlite), value
    rows = list(log.iter_history())
    for model in ("SM-S911C", "Galaxy S23", "iPhone15,2", "nothing"):
        assert log.count(RunFilter(model=model)) == sum(1 for r in rows if model in (r["model_id"],
                                                                                     r["marketing_name"])), model


def test_pairs_follow_new_runs_changed_devices_merges_and_deletes(any_url: str) -> None:
    sqlite = any_url.startswith("sqlite")
    log = KitLog(any_url)
    st, bp = log.station("bench-1"), log.blueprint(loads_blueprint(BP))
    # A serial that contains a model's text ("S23"), a device matching "iP" only by serial, one
    # by its name only, one with no model at all, one matching "iP" by serial and model both.
    devices = [("R58MS2301", "SM-S911C", "Galaxy S23"), ("IPS230", "SM-A546E", "Galaxy A54 5G"),
               ("F2LX0001", "iPhone15,2", "iPhone 14 Pro"), ("F2LX0002", None, "iPhone SE"), ("R58M0003", None, None),
               ("IPHX0004", "iPhone14,5", "iPhone 13")]  # "IP" starts its serial, "iP" its model
    ids = []
    for serial, model, name in devices:
        dev = log.upsert_device(Device(Platform.ANDROID, serial, serial=serial, model_id=model, marketing_name=name))
        ids.append(dev)
        for status in (RunStatus.OK, RunStatus.FAILED):
            log.end_run(log.start_run(dev, bp, st, "android"), status)
    assert _pairs(log) == _expected(log) and _pairs(log)[("SM-S911C", "Galaxy S23")] == 2
    _check_counts(log, sqlite)
    # A box label scanned at intake (IMEI only), kitted before adb identified it: no model yet.
    box, _key, _known = log.register_box_device(None, ["356938035643809"])
    log.end_run(log.start_run(box, bp, st, "android"), RunStatus.FAILED)
    assert _pairs(log) == _expected(log) and _pairs(log)[("", "")] == 3
    # adb fills in the first phone's name: its runs move to the new pair.
    log.upsert_device(Device(Platform.ANDROID, "R58MS2301", serial="R58MS2301", model_id="SM-S911C",
                             marketing_name="Galaxy S23 X S23"))
    assert _pairs(log) == _expected(log) and ("SM-S911C", "Galaxy S23") not in _pairs(log)
    # The phone turns out to be the box: the box's run moves to the phone and takes its model.
    assert log.reconcile_device(Device(Platform.ANDROID, "R58MS2301", serial="R58MS2301",
                                       imeis=("356938035643809",))) == ids[0]
    assert _pairs(log) == _expected(log) and _pairs(log)[("SM-S911C", "Galaxy S23 X S23")] == 3
    _check_counts(log, sqlite)
    # A run deleted (by whoever: the triggers keep the pairs).
    with log.engine.begin() as conn:
        last = conn.execute(select(run_t.c.id).where(run_t.c.device_id == ids[2]).order_by(run_t.c.id.desc())).first()
        assert last is not None
        conn.execute(delete(run_t).where(run_t.c.id == last[0]))
    assert _pairs(log) == _expected(log) and _pairs(log)[("iPhone15,2", "iPhone 14 Pro")] == 1
    _check_counts(log, sqlite)
    log.close()


def test_migration_fills_the_pairs_and_downgrades(any_url: str) -> None:
    cfg = alembic_config(any_url)
    command.upgrade(cfg, "0004_history")  # a log written before the pairs existed
    old = KitLog(any_url, migrate=False)
    st, bp = old.station("bench-1"), old.blueprint(loads_blueprint(BP))
    at = datetime(2026, 1, 1, tzinfo=UTC)
    models = [("SM-A546E", "Galaxy A54 5G"), ("iPhone15,2", "iPhone 14 Pro"), ("iPad13,18", None)]
    with old.engine.begin() as conn:
        for i in range(30):
            model, name = models[i % 3]
            dev = conn.execute(
                insert(device_t).values(platform="android", key=f"K{i}", serial=f"R58M{i:04d}", imei=f"35{i:013d}",
                                        model_id=model, marketing_name=name, external_state="",
                                        first_seen=at, last_seen=at)
            ).inserted_primary_key
            assert dev is not None
            for _ in range(1 + i % 2):
                conn.execute(insert(run_t).values(device_id=dev[0], blueprint_id=bp, station_id=st,
                                                  platform="android", status="ok", started_at=at))
    old.close()
    log = KitLog(any_url)  # migrated to head: 0005 fills the pairs
    assert _pairs(log) == _expected(log) == Counter({models[0]: 15, models[1]: 15, ("iPad13,18", ""): 15})
    _check_counts(log, any_url.startswith("sqlite"))
    log.close()
    command.downgrade(cfg, "0004_history")
    old = KitLog(any_url, migrate=False)
    assert "run_model_count" not in inspect(old.engine).get_table_names()
    dev = old.upsert_device(Device(Platform.ANDROID, "R58MNEW", serial="R58MNEW", model_id="SM-S911C"))
    old.end_run(old.start_run(dev, bp, st, "android"), RunStatus.OK)  # no trigger left behind
    old.close()
    log = KitLog(any_url)  # and up again, with the run written meanwhile
    assert _pairs(log) == _expected(log) and _pairs(log)[("SM-S911C", "")] == 1
    assert log.count(RunFilter(text="SM-S")) == log.count(RunFilter(model="SM-S911C")) == 1
    log.close()

"""Migrations 0006 and 0007 on SQLite and PostgreSQL: the device sorts' indexes NULLS FIRST, the prefix
indexes; the model pairs' serial index.

PostgreSQL only: its btrees keep NULLs last unless told, and the History sorts NULLs first; the
short-text counts read an index of the serial / IMEI copy alone. SQLite's indexes stay as 0005
left them. Up and down again, with runs in the log, and the pages still in the History's order.
0007 adds one index on both (its serial NULLS FIRST on PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import insert, inspect, text

from kitstation.blueprints import loads_blueprint
from kitstation.log import KitLog
from kitstation.log.db import alembic_config
from kitstation.log.store import RunFilter
from kitstation.log.tables import device_t, run_t

BP = 'name = "Galaxy"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "KME"\n'
SORTED = ("ix_run_serial_seq", "ix_run_imei_seq", "ix_run_model_seq", "ix_run_status_serial", "ix_run_status_imei",
          "ix_run_status_model")
PREFIX = ("ix_run_serial_prefix", "ix_run_imei_prefix")


def _indexes(log: KitLog) -> dict[str, str]:
    """The run table's indexes: name -> definition (PostgreSQL) or its columns (SQLite)."""
    if log.engine.dialect.name == "postgresql":
        with log.engine.connect() as conn:
            rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'run'"))
            return {str(n): str(d) for n, d in rows}
    return {str(ix["name"]): ",".join(str(c) for c in ix["column_names"]) for ix in inspect(log.engine).get_indexes("run")}


def test_migration_0006_up_and_down(any_url: str) -> None:
    cfg = alembic_config(any_url)
    command.upgrade(cfg, "0005_model_counts")  # a log written before 0006
    old = KitLog(any_url, migrate=False)
    st, bp = old.station("bench-1"), old.blueprint(loads_blueprint(BP))
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with old.engine.begin() as conn:
        for i in range(12):
            dev = conn.execute(
                insert(device_t).values(platform="android", key=f"K{i}", serial=None if i % 4 == 0 else f"R58M{i % 5:04d}",
                                        imei=None if i % 3 == 0 else f"35{i:013d}", model_id="SM-A546E",
                                        external_state="", first_seen=at, last_seen=at)
            ).inserted_primary_key
            assert dev is not None
            conn.execute(insert(run_t).values(device_id=dev[0], blueprint_id=bp, station_id=st, platform="android",
                                              status="failed" if i % 2 else "ok", started_at=at))
    before = _indexes(old)
    old.close()

    command.upgrade(cfg, "0006_pg_history")
    log = KitLog(any_url, migrate=False)
    after = _indexes(log)
    if any_url.startswith("sqlite"):
        assert after == before
    else:
        for name in SORTED:
            assert "NULLS FIRST" in after[name] and "NULLS FIRST" not in before[name], name
        assert set(after) - set(before) == set(PREFIX)
        assert "(device_serial)" in after["ix_run_serial_prefix"] and "(device_imei)" in after["ix_run_imei_prefix"]
    # NULLs first ascending, last descending; ties by device: the order the rows give.
    for flt in (RunFilter(), RunFilter(status=["failed"])):
        rows = list(log.iter_history(flt))
        for descending in (False, True):
            page = log.history_page(flt, order_by="serial", descending=descending, limit=50)
            values = [r["serial"] for r in page]
            expected = sorted((r["serial"] for r in rows), key=lambda v: (v is not None, v or ""), reverse=descending)
            assert values == expected, (flt, descending)
    assert log.count(RunFilter(text="R5")) == sum(1 for r in log.iter_history() if (r["serial"] or "").startswith("R5"))
    log.close()

    command.downgrade(cfg, "0005_model_counts")
    old = KitLog(any_url, migrate=False)
    assert _indexes(old) == before
    old.close()
    KitLog(any_url).close()  # and up again


def test_migration_0007_up_and_down(any_url: str) -> None:
    cfg = alembic_config(any_url)
    command.upgrade(cfg, "0006_pg_history")
    old = KitLog(any_url, migrate=False)
    before = _indexes(old)
    old.close()
    log = KitLog(any_url)  # migrated to head
    after = _indexes(log)
    log.close()
    assert set(after) - set(before) == {"ix_run_pair_serial"}
    if any_url.startswith("sqlite"):
        assert after["ix_run_pair_serial"].startswith("device_model_id,device_marketing_name,device_serial,device_id,id")
    else:
        assert "(device_model_id, device_marketing_name, device_serial NULLS FIRST, device_id, id" in after["ix_run_pair_serial"]
    command.downgrade(cfg, "0006_pg_history")
    old = KitLog(any_url, migrate=False)
    assert _indexes(old) == before
    old.close()
    KitLog(any_url).close()  # and up again

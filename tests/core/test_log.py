"""The kitting log on SQLite and on a real PostgreSQL server: schema, writes, reads, concurrency."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import event, inspect, text

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

    from kitstation.log.schema import in_models, metadata

    engine = create(url)
    try:
        with engine.connect() as conn:
            # The trigram index (FTS5 tables) is the migrations' own, outside the models: left out.
            diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": in_models}), metadata)
    finally:
        engine.dispose()  # its pooled connection closed here, not by the GC (Python 3.13 warns)
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


HISTORY_SORTS = ("run_id", "started_at", "status", "platform", "model_id", "serial", "imei", "blueprint_name",
                 "technician")


def _history_log(url: str) -> KitLog:
    """Runs with ties and NULLs in every sort column: re-runs of a device, no technician, no IMEI."""
    log = KitLog(url)
    st = log.station("bench-1")
    techs = [log.technician(n) for n in ("Sato", "山田", "Abe")]
    bps = [log.blueprint(loads_blueprint(BP)), log.blueprint(loads_blueprint(BP.replace("Galaxy DO", "A blueprint")))]
    for i in range(40):
        imeis = (f"35693803564{i % 13:04d}",) if i % 4 else ()
        model = None if i % 9 == 0 else ("SM-A305J", "SM-S911B", "iPhone15,2")[i % 3]
        serial = None if i % 11 == 0 else f"R58M{i % 17:07d}"
        # Two marketing names' pairs for one model id, and one name on two model ids: a model
        # filter matching several (model id, marketing name) pairs.
        name = "Galaxy S23" if model in ("SM-S911B", "iPhone15,2") and i % 2 else None
        dev = log.upsert_device(
            Device(Platform.ANDROID, f"K{i % 23:03d}", serial=serial, imeis=imeis, model_id=model, marketing_name=name)
        )
        run = log.start_run(dev, bps[i % 2], st, "android" if i % 3 else "ios", technician_id=None if i % 5 == 0 else techs[i % 3])
        log.end_run(run, (RunStatus.OK, RunStatus.FAILED, RunStatus.WAITING_EXTERNAL)[i % 3])
    return log


def _reference(log: KitLog, flt: RunFilter, order_by: str, descending: bool) -> list[int]:
    """The order History promises, computed in Python: NULLs smallest, then device id, then run id."""
    rows = list(log.iter_history(flt))
    device_sort = order_by in ("serial", "imei", "model_id")
    out = []
    for r in rows:
        value = None if order_by == "run_id" else r[order_by]
        tie = r["device_key"] if device_sort else ""
        out.append(((value is not None, value if value is not None else ""), tie, r["run_id"]))
    out.sort(reverse=descending)
    return [run_id for *_, run_id in out]


@pytest.mark.parametrize("flt", [RunFilter(), RunFilter(status=["failed", "ok"]), RunFilter(text="R58M00000"),
                                 RunFilter(text="35"), RunFilter(technician="Sato"), RunFilter(model="SM-S911B"),
                                 RunFilter(blueprint="A blueprint"), RunFilter(status=["failed"]),
                                 RunFilter(text="R5", status=["ok"]), RunFilter(blueprint="no such one"),
                                 RunFilter(model="Galaxy S23"), RunFilter(model="SM-S911B", status=["ok"])], ids=repr)
@pytest.mark.parametrize("few", [2000, 1], ids=["in-list", "probe"])
@pytest.mark.parametrize("few_runs", [20_000, 1], ids=["sorted-runs", "device-walk"])
def test_history_keyset_pages_follow_every_sort(
    any_url: str, flt: RunFilter, few: int, few_runs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A device filter matching many devices is probed per run instead of listed: both give one order.
    monkeypatch.setattr("kitstation.log.history_terms._FEW_DEVICES", few)
    # A device sort with a run filter sorts the few filtered runs, or walks the devices: one order.
    monkeypatch.setattr("kitstation.log.history._SORT_FEW_RUNS", few_runs)
    log = _history_log(any_url)
    for order_by in HISTORY_SORTS:
        for descending in (False, True):
            seen: list[int] = []
            after = None
            while True:
                page = log.history_page(flt, order_by=order_by, descending=descending, limit=7, after=after)
                if not page:
                    break
                seen += [r["run_id"] for r in page]
                after = page[-1]
            expected = _reference(log, flt, order_by, descending)
            assert len(seen) == len(set(seen)) == log.count(flt), (order_by, descending)
            if order_by in ("serial", "imei", "model_id"):
                # Ties of one value are grouped by device: compare the value sequence and the set.
                by_id = {r["run_id"]: r for r in log.iter_history(flt)}
                assert [by_id[i][order_by] for i in seen] == [by_id[i][order_by] for i in expected], order_by
                assert set(seen) == set(expected)
            else:
                assert seen == expected, (order_by, descending)
    log.close()


def _page_plans(log: KitLog, flt: RunFilter, order_by: str, descending: bool) -> list[str]:
    """EXPLAIN of each ordered key query on ``run`` a page sends (the run rows' read has no
    ORDER BY), with sorting disabled: a plan that still sorts has no index in the query's order."""
    sent: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        if "ORDER BY" in statement and "FROM run" in statement and not statement.startswith("EXPLAIN"):
            sent.append((statement, params))

    event.listen(log.engine, "before_cursor_execute", keep)
    try:
        log.history_page(flt, order_by=order_by, descending=descending, limit=7)
    finally:
        event.remove(log.engine, "before_cursor_execute", keep)
    plans = []
    with log.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_sort = off")
        for statement, params in sent:
            plans.append("\n".join(str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + statement, params)))
    return plans


@pytest.mark.parametrize("flt", [RunFilter(), RunFilter(status=["failed"])], ids=repr)
def test_postgresql_pages_are_read_in_index_order(pg_url: str, flt: RunFilter, monkeypatch: pytest.MonkeyPatch) -> None:
    # Walked, not sorted (the path of a million runs): with NULLs first on a NOT NULL column, or
    # an index keeping NULLs last, PostgreSQL sorted every run for each page. An incremental
    # sort (ties of an index's order, e.g. (status, started_at) then the run id) streams: allowed.
    monkeypatch.setattr("kitstation.log.history._SORT_FEW_RUNS", 1)
    log = _history_log(pg_url)
    for order_by in HISTORY_SORTS:
        for descending in (False, True):
            plans = _page_plans(log, flt, order_by, descending)
            assert plans, order_by
            for plan in plans:
                nodes = [line.strip().removeprefix("->").strip() for line in plan.splitlines()]
                assert not any(n.startswith("Sort  (") for n in nodes), (order_by, descending, plan)
    log.close()


def test_a_model_filter_sorted_by_serial_reads_its_pairs_ranges(any_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Many devices of the model (as at a million runs): each (model id, marketing name) pair's
    # runs are one range of the pair index in serial order, merged; nothing else is read in order.
    monkeypatch.setattr("kitstation.log.history_terms._FEW_DEVICES", 1)
    monkeypatch.setattr("kitstation.log.history._SORT_FEW_RUNS", 1)
    log = _history_log(any_url)
    sent: list[str] = []

    def keep(conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool) -> None:
        if "ORDER BY" in statement and "device_serial" in statement and "run.id IN" not in statement:
            sent.append(statement)  # the page's keys (not the rows' read, nor the pair lookup)

    event.listen(log.engine, "before_cursor_execute", keep)
    for descending in (False, True):
        sent.clear()
        page = log.history_page(RunFilter(model="SM-S911B"), order_by="serial", descending=descending, limit=7)
        assert page and len(sent) == 1, sent
        assert sent[0].count("UNION ALL") == 1  # (SM-S911B, NULL) and (SM-S911B, Galaxy S23)
        if any_url.startswith("sqlite"):
            assert sent[0].count("INDEXED BY ix_run_pair_serial") == 2
        else:
            event.remove(log.engine, "before_cursor_execute", keep)
            plan = _page_plans(log, RunFilter(model="SM-S911B"), "serial", descending)[0]
            event.listen(log.engine, "before_cursor_execute", keep)
            # The arms' ranges merged in order (which index each reads is the planner's call on
            # 40 runs): no node sorts.
            nodes = [line.strip().removeprefix("->").strip() for line in plan.splitlines()]
            assert any(n.startswith("Merge Append") for n in nodes), plan
            assert not any(n.startswith("Sort  (") for n in nodes), plan
    event.remove(log.engine, "before_cursor_execute", keep)
    log.close()


def test_postgresql_few_filtered_runs_are_sorted_not_walked(pg_url: str) -> None:
    # The runs a filter selects, read from its own index and sorted: the planner, given an index
    # in the sort's order, would walk it past every run the filter rejects.
    log = _history_log(pg_url)
    for order_by in ("serial", "imei", "model_id", "platform"):
        plans = _page_plans(log, RunFilter(status=["failed"], since=datetime(2000, 1, 1, tzinfo=UTC)), order_by, False)
        assert any("Sort" in plan for plan in plans), order_by
    log.close()


def _contains(log: KitLog, value: str, *, fold: bool) -> int:
    cols = ("serial", "imei", "imei2", "device_key", "model_id", "marketing_name")

    def norm(x: object) -> str:
        return str(x).lower() if fold else str(x)

    return sum(1 for r in log.iter_history() if any(r[c] and norm(value) in norm(r[c]) for c in cols))


@pytest.mark.parametrize("few", [2000, 1], ids=["in-list", "from-devices"])
def test_text_search_index_follows_device_changes(any_url: str, few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # Matching few devices: an id list; many: counted from the device side (disjoint index ranges).
    monkeypatch.setattr("kitstation.log.history_terms._FEW_DEVICES", few)
    log = _history_log(any_url)
    sqlite = any_url.startswith("sqlite")
    for value in ("R58M000001", "0000012", "SM-S9", "iPhone", "6380356400", "r58m00000"):
        expected = _contains(log, value, fold=sqlite)  # SQLite's LIKE and trigram ignore ASCII case
        assert log.count(RunFilter(text=value)) == expected, value
    assert log.count(RunFilter(text="0000012")) > 0
    # A device's serial changes (intake re-keys, adb fills it in): the index follows.
    dev = log.find_android_devices(serial="R58M0000012")[0]
    runs = log.count(RunFilter(text="R58M0000012"))
    log.upsert_device(Device(Platform.ANDROID, dev["key"], serial="R58MCHANGED1"))
    assert log.count(RunFilter(text="R58M0000012")) < runs
    assert log.count(RunFilter(text="CHANGED")) == _contains(log, "CHANGED", fold=sqlite) > 0
    # Short text (under 3 characters) matches the start of a serial, IMEI or model.
    assert log.count(RunFilter(text="R5")) == log.count(RunFilter(text="R58M")) > 0
    assert log.count(RunFilter(text="58")) == 0
    # A model id, or a name, alone and with text: the same as the rows that carry them.
    rows = list(log.iter_history())
    for model in ("SM-S911B", "iPhone15,2", "nothing"):
        assert log.count(RunFilter(model=model)) == sum(1 for r in rows if model in (r["model_id"], r["marketing_name"]))
        assert log.count(RunFilter(model=model, text="R5")) == sum(
            1 for r in rows if model in (r["model_id"], r["marketing_name"]) and (r["serial"] or "").startswith("R5")
        )
        assert log.count(RunFilter(model=model, text="R58M000001")) == sum(
            1 for r in rows if model == r["model_id"] and "R58M000001" in (r["serial"] or "")
        )
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


def _tables(path: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(path)) as con:  # closed, not left to the GC (3.13 warns)
        return {r[0] for r in con.execute("select name from sqlite_master where type='table'")}


def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'down.sqlite3'}"
    KitLog(url).close()
    cfg = alembic_config(url)
    command.downgrade(cfg, "base")
    assert "run" not in _tables(tmp_path / "down.sqlite3")
    KitLog(url).close()
    assert "run" in _tables(tmp_path / "down.sqlite3")


def test_every_database_failure_is_one_log_error_with_a_reason(tmp_path: Path) -> None:
    from kitstation.log import LogError

    def reason(url: str, **kw: bool) -> LogError:
        with pytest.raises(LogError) as info:
            KitLog(url, **kw)
        assert "\n" not in info.value.reason.en and info.value.reason.ja
        return info.value

    assert reason("foodb://x/y").code == "unknown_driver"
    assert reason(str(tmp_path)).code == "is_folder"
    junk = tmp_path / "notes.sqlite3"
    junk.write_bytes(b"this is not a database file at all, just some text" * 100)
    assert reason(str(junk)).code == "not_a_database"
    # A mistyped path for a read command: no new empty log appears.
    missing = tmp_path / "no" / "such.db"
    assert reason(str(missing), create=False).code == "no_log"
    assert "No log at" in reason(str(missing), create=False).reason.en
    assert not missing.parent.exists()


def test_postgresql_unreachable_is_a_log_error(tmp_path: Path) -> None:
    import socket as sk

    from kitstation.log import LogError

    with sk.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens on it once closed
    with pytest.raises(LogError) as info:
        KitLog(f"postgresql://kit@127.0.0.1:{port}/kitlog?connect_timeout=5")
    assert info.value.code == "unreachable" and str(port) in info.value.reason.en


def test_a_lock_held_too_long_is_a_log_error(tmp_path: Path) -> None:
    from kitstation.log import LogError

    path = tmp_path / "log.sqlite3"
    log = KitLog(str(path))
    log.station("bench-1")
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        log.engine.dispose()
        # The log waits busy_timeout (30 s) before giving up; a shorter wait keeps the test fast.
        from sqlalchemy import event

        event.listen(log.engine, "connect", lambda c, _r: c.execute("PRAGMA busy_timeout=100"))
        with pytest.raises(LogError) as info:
            log.station("bench-2")
        assert info.value.code == "locked"
    finally:
        holder.rollback()
        holder.close()
        log.close()


def test_an_archived_log_is_read_without_writing_beside_it(tmp_path: Path) -> None:
    from kitstation.log import LogError

    path = tmp_path / "archive.sqlite3"
    log = KitLog(str(path))
    log.start_run(log.upsert_device(_device(1)), log.blueprint(loads_blueprint(BP)), log.station("s"), "android")
    log.close()
    for extra in tmp_path.iterdir():
        if extra != path:
            extra.unlink()  # what an archive holds: the file alone
    ro = KitLog(str(path), create=False, read_only=True)
    try:
        assert ro.count() == 1 and ro.history()[0]["serial"] == "R58M0000001"
        with pytest.raises(LogError) as info:
            ro.station("another")
        assert info.value.code == "read_only"
    finally:
        ro.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.sqlite3"]  # no lock, WAL or index files


def test_streamed_pages_give_the_values_sqlalchemy_gives(any_url: str) -> None:
    # The pages read the driver's tuples and convert only the timestamps themselves: the rows
    # must equal what SQLAlchemy's own result processing makes of the same select.
    from kitstation.log.selections import history_select
    from kitstation.log.tables import run_t

    log = _history_log(any_url)
    with log.engine.connect() as conn:
        expected = [dict(r) for r in conn.execute(history_select(RunFilter()).order_by(run_t.c.id)).mappings()]
    got = list(log.iter_history(batch=7))
    assert got == expected
    assert all(r["started_at"].tzinfo is UTC for r in got)
    assert [type(v) for v in got[0].values()] == [type(v) for v in expected[0].values()]
    log.close()


def test_selection_columns_are_the_selection_rows_by_column(any_url: str) -> None:
    # The exports' column-wise pages: the same rows as iter_selection, column by column, and
    # with stamps_as_text the timestamps as the UTC text of the same instants in whole seconds.
    from kitstation.log.filters import HISTORY_COLUMNS
    from kitstation.log.queries import stamp_text

    log = _history_log(any_url)
    sel = log.pin(RunFilter())
    rows = list(log.iter_selection(sel))
    for as_text in (False, True):
        pages = list(log.selection_columns(sel, batch=7, stamps_as_text=as_text))
        assert [len(p[0]) for p in pages] == [7] * 5 + [5]
        got = [dict(zip(HISTORY_COLUMNS, t, strict=True)) for p in pages for t in zip(*p, strict=True)]
        if not as_text:
            assert got == rows
            continue
        for mine, theirs in zip(got, rows, strict=True):
            for key in ("started_at", "ended_at"):
                value = theirs[key]
                expected = None if value is None else value.replace(microsecond=0).isoformat()
                assert mine[key] == expected and (expected is None or expected.endswith("+00:00"))
                theirs[key] = mine[key]
            assert mine == theirs
    assert stamp_text("2026-11-02 09:15:02.999999") == "2026-11-02T09:15:02+00:00"
    assert stamp_text("2026-11-02 09:15:02") == "2026-11-02T09:15:02+00:00"
    assert stamp_text(datetime(2026, 11, 2, 18, 15, 2, 5, tzinfo=timezone(timedelta(hours=9)))) == (
        "2026-11-02T09:15:02+00:00"
    )
    log.close()


def test_a_migration_that_fails_oddly_leaves_no_connection_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error that is not a database error (here a bug in a migration) still closes the engine's
    pooled connection at once: none is left for the garbage collector (Python 3.13 warns of it)."""
    from kitstation.log import db

    made: list[Any] = []

    def recording_create(url: str, *, read_only: bool = False) -> Any:
        made.append(create(url, read_only=read_only))
        return made[-1]

    def broken_migrate(engine: Any) -> None:
        with engine.begin() as conn:
            conn.exec_driver_sql("select 1")
        raise RuntimeError("a migration bug")

    monkeypatch.setattr(db, "create", recording_create)
    monkeypatch.setattr(db, "migrate", broken_migrate)
    with pytest.raises(RuntimeError):
        db.open_engine(f"sqlite:///{tmp_path / 'odd.sqlite3'}")
    (engine,) = made
    assert engine.pool.checkedin() == 0 and engine.pool.checkedout() == 0

"""Device names: the CSV (encodings, keys, errors), the pattern, the running number kept in the log."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from kitstation.blueprints import loads_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.core.naming import (
    NAME_SCRATCH_KEY,
    DeviceNamer,
    NamingError,
    check_name,
    naming_problems,
    parse_names_csv,
)
from kitstation.core.pipeline import Pipeline, RunRequest
from kitstation.core.protocols import FunctionStep, StepContext
from kitstation.domain.model import Device, Platform, RunStatus, StepResult
from kitstation.i18n import Text
from kitstation.log import AsyncKitLog, KitLog


def _bp(tmp_path: Path, naming: str, csv: str | None = None) -> Blueprint:
    text = f'name = "n"\n[ios]\nmethod = "direct_profile"\nerase = false\nenrollment_profile = "e.mobileconfig"\n[naming]\n{naming}\n'
    path = tmp_path / "bp.toml"
    path.write_text(text, encoding="utf-8")
    if csv is not None:
        (tmp_path / "assets.csv").write_bytes(csv.encode("utf-8"))
    bp = loads_blueprint(text, str(path), path)
    return bp


def _dev(serial: str, imei: str | None = None, model: str = "iPhone 15") -> Device:
    return Device(Platform.IOS, f"udid-{serial}", serial=serial, imeis=(imei,) if imei else (), marketing_name=model)


def test_csv_with_and_without_bom_matches_serial_or_imei_ignoring_case_and_spaces() -> None:
    body = "serial,asset_tag,owner\r\n F2LX 12ab ,A-001,営業部\r\n356938035643809,A-002,経理部\r\n"
    for data in (body.encode("utf-8"), b"\xef\xbb\xbf" + body.encode("utf-8")):
        table = parse_names_csv(data, "serial")
        assert table.columns == ("serial", "asset_tag", "owner")
        row = table.row_for(_dev("f2lx12AB"))
        assert row is not None and row["asset_tag"] == "A-001" and row["owner"] == "営業部"
        by_imei = table.row_for(_dev("OTHER", "356938035643809"))
        assert by_imei is not None and by_imei["asset_tag"] == "A-002"
        assert table.row_for(_dev("NOPE")) is None


def test_semicolon_and_tab_separated_files_and_empty_excel_columns() -> None:
    table = parse_names_csv(b"serial;asset_tag;;\nS1;A1;;\n", "serial")
    assert table.columns == ("serial", "asset_tag") and table.rows["s1"]["asset_tag"] == "A1"
    table = parse_names_csv(b"serial\tasset_tag\nS1\tA1\n", "serial")
    assert table.rows["s1"]["asset_tag"] == "A1"


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"serial,tag\nS1,a\ns 1,b\n", "names_csv_duplicate_key", ["rows 2 and 3"]),
        (b"imei,tag\nS1,a\n", "names_csv_no_key", ["no column serial", "imei, tag"]),
        (b"serial,model\nS1,x\n", "names_csv_shadows", ["model", "built-in"]),
        ("serial,tag\nS1,営業\n".encode("cp932"), "names_csv_encoding", ["not UTF-8", "CSV UTF-8"]),
        (b"serial,tag,tag\nS1,a,b\n", "names_csv_duplicate_column", ["tag"]),
        (b"serial,tag\n,a\n", "names_csv_empty_key", ["row 2"]),
        (b"", "names_csv_empty", ["empty"]),
    ],
)
def test_bad_csv_files_are_clear_bilingual_errors(data: bytes, code: str, words: list[str]) -> None:
    with pytest.raises(NamingError) as info:
        parse_names_csv(data, "serial", "assets.csv")
    assert info.value.code == code
    for word in words:
        assert word in info.value.reason.en
    assert info.value.reason.ja and info.value.reason.ja != info.value.reason.en


def test_names_are_at_most_63_bytes_of_utf8_and_never_empty() -> None:
    assert check_name("営" * 21) == "営" * 21  # 63 bytes
    with pytest.raises(NamingError) as info:
        check_name("営" * 21 + "A")
    assert info.value.code == "name_too_long" and "64 bytes" in info.value.reason.en
    with pytest.raises(NamingError, match="empty"):
        check_name("  ")
    with pytest.raises(NamingError) as info:
        check_name("A\nB")
    assert info.value.code == "name_invalid"


def test_preflight_finds_missing_columns_duplicates_and_names_too_long(tmp_path: Path) -> None:
    ok = _bp(tmp_path, 'pattern = "ACME-{n:03}-{asset_tag}"\ncsv = "assets.csv"', "serial,asset_tag\nS1,A1\nS2,A2\n")
    assert naming_problems(ok) == []
    missing = _bp(tmp_path, 'pattern = "{n}-{room}"\ncsv = "assets.csv"', "serial,asset_tag\nS1,A1\n")
    assert [p.code for p in naming_problems(missing)] == ["name_unknown_variable"]
    assert "{room}" in naming_problems(missing)[0].reason.en
    no_csv = _bp(tmp_path, 'pattern = "{n}-{room}"')
    assert "needs a names CSV" in naming_problems(no_csv)[0].reason.en
    same = _bp(tmp_path, 'pattern = "{model}-{slot}"')
    assert [p.code for p in naming_problems(same)] == ["name_duplicates"]
    dup = _bp(tmp_path, 'pattern = "iPad-{room}"\ncsv = "assets.csv"', "serial,room\nS1,101\nS2,102\nS3,101\n")
    problems = naming_problems(dup)
    assert [p.code for p in problems] == ["name_duplicates"] and "S1 and S3" in problems[0].reason.en
    long = _bp(tmp_path, 'pattern = "{n}-{tag}"\ncsv = "assets.csv"', "serial,tag\nS1," + "x" * 70 + "\n")
    assert [p.code for p in naming_problems(long)] == ["name_too_long"]
    bad = _bp(tmp_path, 'pattern = "{n}-{tag}"\ncsv = "assets.csv"', "serial,serial2\n")
    (tmp_path / "assets.csv").write_bytes("serial,tag\nS1,営\n".encode("cp932"))
    assert [p.code for p in naming_problems(bad)] == ["names_csv_encoding"]
    # The technician's import replaces the blueprint's CSV.
    other = tmp_path / "batch.csv"
    other.write_text("serial,tag\nS9,Z\n", encoding="utf-8")
    assert naming_problems(bad, other) == []


async def test_a_device_name_from_the_pattern_and_its_row(tmp_path: Path) -> None:
    bp = _bp(tmp_path, 'pattern = "{asset_tag}-{model}-{slot}-{n:04}"\nstart = 7\ncsv = "assets.csv"',
             "serial,asset_tag\nS1,A-1\n")
    namer = DeviceNamer(bp)
    given: list[int] = []

    async def assign(start: int) -> int:
        given.append(start)
        return start + 1

    assert await namer.name_for(_dev("S1"), "Hub A-3", assign) == ("A-1-iPhone 15-Hub A-3-0008", 8)
    assert given == [7]
    with pytest.raises(NamingError) as info:
        await namer.name_for(_dev("S2"), "x", assign)
    assert info.value.code == "name_no_row" and given == [7]  # no number taken by a device that cannot be named
    imei = DeviceNamer(_bp(tmp_path, 'pattern = "P-{imei}"'))
    with pytest.raises(NamingError) as info:
        await imei.name_for(_dev("S1"), "x", assign)
    assert info.value.code == "name_no_imei"


def test_running_numbers_are_assigned_once_per_batch_and_survive_a_new_session(tmp_path: Path) -> None:
    log = KitLog(f"sqlite:///{tmp_path / 'log.sqlite3'}")
    st = log.station("s")
    devices = [log.upsert_device(_dev(f"S{i}")) for i in range(3)]
    first = log.start_session(st, order_ref="PO-1")
    assert [log.assign_number(first, d, 1) for d in devices] == [1, 2, 3]
    assert log.assign_number(first, devices[1], 1) == 2  # a re-run or a replug: the same number
    # The station crashed: a new session of the same order continues the same numbers.
    again = log.start_session(st, order_ref="PO-1")
    assert log.assign_number(again, devices[2], 1) == 3
    newcomer = log.upsert_device(_dev("S9"))
    assert log.assign_number(again, newcomer, 1) == 4
    # Another order is another batch, from its own start.
    other = log.start_session(st, order_ref="PO-2")
    assert log.assign_number(other, devices[0], 10) == 10
    assert log.claim_name(first, devices[0], "ACME-001") is None
    assert log.claim_name(first, devices[1], "ACME-001") == "udid-S0"
    assert [r["number"] for r in log.batch_numbers(first)] == [1, 2, 3, 4]
    log.close()


def test_two_stations_numbering_one_batch_at_once_never_share_a_number(any_url: str) -> None:
    url = any_url
    setup = KitLog(url)
    session = setup.start_session(setup.station("s"), order_ref="PO-7")
    ids = [setup.upsert_device(_dev(f"S{i}")) for i in range(40)]
    setup.close()
    got: list[int] = []
    lock = threading.Lock()

    def station(part: list[int]) -> None:
        log = KitLog(url)
        for d in part:
            n = log.assign_number(session, d, 1)
            with lock:
                got.append(n)
        log.close()

    threads = [threading.Thread(target=station, args=(ids[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(1, 41))


async def test_the_pipeline_names_before_the_first_step_and_keeps_the_number(tmp_path: Path) -> None:
    log = KitLog(f"sqlite:///{tmp_path / 'log.sqlite3'}")
    alog = AsyncKitLog(log)
    bp = _bp(tmp_path, 'pattern = "ACME-{n:03}-{asset_tag}"\ncsv = "assets.csv"', "serial,asset_tag\nS1,A1\nS2,A2\n")
    seen: list[str] = []

    async def rename(ctx: StepContext) -> StepResult:
        seen.append(ctx.scratch[NAME_SCRATCH_KEY])
        return StepResult.ok(Text("named", "named"), detail={"device_name": ctx.scratch[NAME_SCRATCH_KEY]})

    steps = [FunctionStep("t.name", Text("n", "n"), rename)]
    st = log.station("s")
    session = log.start_session(st, order_ref="PO-1")
    namer = DeviceNamer(bp)
    pipe = Pipeline(alog)
    for serial in ("S2", "S1", "S2"):
        req = RunRequest(_dev(serial), bp, steps, st, session_id=session, namer=namer, force=True)
        assert await pipe.run(req) == RunStatus.OK
    assert seen == ["ACME-001-A2", "ACME-002-A1", "ACME-001-A2"]
    assert sorted(r["device_name"] for r in log.history()) == ["ACME-001-A2", "ACME-001-A2", "ACME-002-A1"]
    req = RunRequest(_dev("S3"), bp, steps, st, session_id=session, namer=namer)
    assert await pipe.run(req) == RunStatus.FAILED
    failed = log.history()[0]
    assert failed["error_code"] == "name_no_row" and log.steps(failed["run_id"]) == []
    assert seen == ["ACME-001-A2", "ACME-002-A1", "ACME-001-A2"]
    await asyncio.sleep(0)
    alog.close()
    log.close()


def test_migration_0003_down_and_up_fills_the_battery_level_of_earlier_runs(any_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from kitstation.domain.model import Outcome
    from kitstation.log.db import alembic_config, create

    log = KitLog(any_url)
    st = log.station("s")
    dev = log.upsert_device(_dev("S1"))
    bp_id = log.blueprint(loads_blueprint('name = "b"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "p"\n'))
    run = log.start_run(dev, bp_id, st, "ios")
    ev = log.step_started(run, "ios.battery")
    log.step_ended(ev, Outcome.OK, detail={"battery_percent": 57, "min_battery_percent": 50})
    ev = log.step_started(run, "ios.name")
    log.step_ended(ev, Outcome.OK, detail={"device_name": "ACME-001"})
    assert (log.history()[0]["battery_percent"], log.history()[0]["device_name"]) == (57, "ACME-001")
    log.close()
    cfg = alembic_config(any_url)
    engine = create(any_url)  # one engine, disposed: alembic's own would leave connections open
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    probe = KitLog(any_url, migrate=False)
    assert "device_number" not in inspect(probe.engine).get_table_names()
    assert "battery_percent" not in {c["name"] for c in inspect(probe.engine).get_columns("run")}
    probe.close()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    engine.dispose()
    log = KitLog(any_url)
    row = log.history()[0]
    # The battery level comes back from the step's detail; the name was the run's own column.
    assert (row["battery_percent"], row["device_name"]) == (57, None)
    log.close()


async def test_a_galaxy_name_is_at_most_32_bytes_an_iphone_name_63(tmp_path: Path) -> None:
    bp = _bp(tmp_path, 'pattern = "{tag}"\ncsv = "assets.csv"', "serial,tag\nS1," + "営" * 11 + "\n")  # 33 bytes

    async def never(start: int) -> int:
        raise AssertionError("no number for a name that cannot be made")

    namer = DeviceNamer(bp)
    assert (await namer.name_for(_dev("S1"), "", never))[0] == "営" * 11
    galaxy = Device(Platform.ANDROID, "S1", serial="S1")
    with pytest.raises(NamingError) as info:
        await namer.name_for(galaxy, "", never)
    assert info.value.code == "name_too_long" and "at most 32" in info.value.reason.en


async def test_the_batch_csv_is_read_once_and_again_after_the_technician_fixes_it(tmp_path: Path) -> None:
    from kitstation.core.naming import Namers

    bp = _bp(tmp_path, 'pattern = "{tag}"\ncsv = "assets.csv"', "serial,tag\nS1,A\n")
    batch = tmp_path / "today.csv"
    batch.write_text("serial,tag\nS1,B\n", encoding="utf-8")
    chosen: list[Path | None] = [None]
    namers = Namers(lambda: chosen[0])

    async def no_number(start: int) -> int:
        raise AssertionError("no {n} in this pattern")

    namer = namers.get(bp)
    assert namer is not None and namers.get(bp) is namer
    assert (await namer.name_for(_dev("S1"), "", no_number))[0] == "A"
    with pytest.raises(NamingError, match="no row"):
        await namer.name_for(_dev("S2"), "", no_number)
    (tmp_path / "assets.csv").write_text("serial,tag\nS1,A\nS2,C2\n", encoding="utf-8")  # the row added
    assert (await namer.name_for(_dev("S2"), "", no_number))[0] == "C2"
    chosen[0] = batch  # the technician imports the batch's own list
    other = namers.get(bp)
    assert other is not None and other is not namer
    assert (await other.name_for(_dev("S1"), "", no_number))[0] == "B"


def test_serial_and_imei_columns_are_identifiers_not_shadows() -> None:
    table = parse_names_csv(b"serial,imei,tag\nS1,356938035643809,A\n", "serial")
    assert table.columns == ("serial", "imei", "tag")
    by_imei = parse_names_csv(b"serial,imei,tag\nS1,356938035643809,A\n", "imei")
    assert by_imei.row_for(_dev("OTHER", "356938035643809")) == {"serial": "S1", "imei": "356938035643809", "tag": "A"}
    for shadow in ("slot", "n", "model"):
        with pytest.raises(NamingError, match="built-in"):
            parse_names_csv(f"serial,{shadow}\nS1,x\n".encode(), "serial")

"""Box-label parsing (IMEI Luhn, serial, EAN-13) and the intake session's records in the log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kitstation.android import AndroidAdapter
from kitstation.blueprints.loader import loads_blueprint
from kitstation.core.barcode import is_valid_imei, luhn_check_digit, parse_scan
from kitstation.core.bench import Bench, BenchConfig, SlotState
from kitstation.core.intake import IntakeSession
from kitstation.domain.model import Device, Platform
from kitstation.log import KitLog
from kitstation.log.schema import IntakeScan
from kitstation.simulator.android import AndroidSimulator

IMEI1 = "356830100708726"  # from KDDI's KME console screenshot: a valid IMEI
IMEI2 = "356830100551993"
KME_BP = loads_blueprint('name = "KME"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "KME"\n')


def test_luhn_check_digit_of_known_imeis() -> None:
    assert luhn_check_digit(IMEI1[:14]) == "6"
    assert is_valid_imei(IMEI1) and is_valid_imei(IMEI2)
    assert not is_valid_imei("356830100708727")


@pytest.mark.parametrize(
    ("raw", "kinds"),
    [
        (IMEI1, [("imei", IMEI1)]),
        (f"IMEI: {IMEI1}", [("imei", IMEI1)]),
        (f"IMEI1 {IMEI1}", [("imei", IMEI1)]),
        ("35 683010 070872 6", [("imei", IMEI1)]),
        (f"IMEI1:{IMEI1} IMEI2:{IMEI2}", [("imei", IMEI1), ("imei", IMEI2)]),
        (IMEI1 + IMEI2, [("imei", IMEI1), ("imei", IMEI2)]),
        (f"IMEI1 {IMEI1} IMEI2 {IMEI1}", [("imei", IMEI1)]),  # duplicated on the label: once
        ("R58M62BJABX", [("serial", "R58M62BJABX")]),
        ("s/n: r58m57ccz7h", [("serial", "R58M57CCZ7H")]),
        ("4901234567894", [("ean", "4901234567894")]),
    ],
)
def test_accepted_scans(raw: str, kinds: list[tuple[str, str]]) -> None:
    parsed = parse_scan(raw)
    assert parsed.ok, parsed.error
    assert [(v.kind.value, v.value) for v in parsed.values] == kinds


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("356830100708727", "imei_check_digit"),  # wrong check digit
        ("35683010070872", "imei_length"),  # 14 digits
        ("3568301007087261", "imeisv"),  # 16 digits
        ("35683010070872A", "imei_letters"),  # letters
        ("IMEI: 3568301007O8726", "imei_letters"),
        ("4901234567895", "ean_check_digit"),
        ("hello", "unrecognised"),
        ("   ", "empty"),
    ],
)
def test_rejected_scans_say_why_in_both_languages(raw: str, code: str) -> None:
    parsed = parse_scan(raw)
    assert not parsed.ok and parsed.code == code
    assert parsed.error is not None and parsed.error.en and parsed.error.ja and parsed.error.en != parsed.error.ja


def test_check_digit_message_names_the_expected_digit() -> None:
    parsed = parse_scan("356830100708727")
    assert parsed.error is not None and "expected 6" in parsed.error.en and "6" in parsed.error.ja


def _scans(kitlog: KitLog) -> list[dict[str, object]]:
    t = IntakeScan.__table__  # type: ignore[attr-defined]
    with kitlog.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(t).order_by(t.c.id)).mappings()]


def test_intake_records_dedupes_and_rejects(kitlog: KitLog) -> None:
    station = kitlog.station("bench-1")
    session = kitlog.start_session(station, label="order 42")
    intake = IntakeSession(kitlog, session)
    a = intake.scan(f"IMEI1 {IMEI1} IMEI2 {IMEI2} S/N R58M62BJABX")
    assert a.accepted and a.device_key == "R58M62BJABX"
    dup = intake.scan(IMEI1)
    assert dup.accepted and dup.duplicate and dup.code == "duplicate"
    bad = intake.scan("356830100708727")
    assert not bad.accepted and bad.code == "imei_check_digit"
    b = intake.scan("353918057640324")
    assert b.accepted and b.device_key == "353918057640324"
    assert [o.code for o in intake.rejected] == ["imei_check_digit"]

    scans = _scans(kitlog)
    assert [(s["kind"], s["value"]) for s in scans] == [
        ("imei", IMEI1),
        ("imei", IMEI2),
        ("serial", "R58M62BJABX"),
        ("imei", "353918057640324"),
    ]
    assert all(s["session_id"] == session for s in scans)
    row = kitlog.device_row(a.device_id or 0)
    assert (row["key"], row["serial"], row["imei"], row["imei2"]) == ("R58M62BJABX", "R58M62BJABX", IMEI1, IMEI2)


def test_box_mode_groups_a_labels_barcodes(kitlog: KitLog) -> None:
    intake = IntakeSession(kitlog, box_mode=True)
    first = intake.scan(IMEI1)
    assert first.device_key == IMEI1
    intake.scan(IMEI2)
    last = intake.scan("R58M62BJABX")
    assert last.device_key == "R58M62BJABX" and last.device_id == first.device_id
    intake.end_box()
    other = intake.scan("353918057640324")
    assert other.device_id != first.device_id
    rows = kitlog.find_android_devices(imeis=(IMEI2,))
    assert len(rows) == 1 and rows[0]["key"] == "R58M62BJABX"


def test_adb_identity_joins_the_intake_record(kitlog: KitLog) -> None:
    intake = IntakeSession(kitlog)
    scanned = intake.scan(IMEI1)  # only the IMEI: the row is keyed by IMEI
    assert scanned.device_key == IMEI1
    kitlog.set_external_state(scanned.device_id or 0, "kme_registered")
    # adb later reads the serial and (old Android) the IMEI.
    device = Device(Platform.ANDROID, key="R58M62BJABX", serial="R58M62BJABX", imeis=(IMEI1,), model_id="SM-A305J")
    device_id = kitlog.reconcile_device(device)
    assert device_id == scanned.device_id
    assert kitlog.upsert_device(device) == device_id  # the pipeline's upsert finds the same row
    row = kitlog.device_row(device_id or 0)
    assert row["key"] == "R58M62BJABX" and row["imei"] == IMEI1 and row["external_state"] == "kme_registered"
    assert all(s["device_id"] == device_id for s in _scans(kitlog))


def test_reconcile_merges_when_both_rows_exist(kitlog: KitLog) -> None:
    # adb saw the device first (Android 10+: no IMEI), then its box was scanned with IMEI only,
    # then with S/N: the IMEI row is merged into the serial's row.
    serial_dev = Device(Platform.ANDROID, key="R58M62BJABX", serial="R58M62BJABX", model_id="SM-A305J")
    serial_id = kitlog.upsert_device(serial_dev)
    intake = IntakeSession(kitlog)
    imei_only = intake.scan(IMEI1)
    assert imei_only.device_id != serial_id
    both = intake.scan(f"IMEI {IMEI2} S/N R58M62BJABX")
    assert both.device_id == serial_id
    device = Device(Platform.ANDROID, key="R58M62BJABX", serial="R58M62BJABX", imeis=(IMEI1,))
    assert kitlog.reconcile_device(device) == serial_id
    assert len(kitlog.find_android_devices(imeis=(IMEI1, IMEI2))) == 1
    assert set(device.imeis) >= {IMEI1}


def test_reconcile_by_box_serial_when_serialno_differs(kitlog: KitLog) -> None:
    # Some Galaxy units report a hex ro.serialno (the key) and the box serial in ril.serialnumber.
    scanned = IntakeSession(kitlog).scan("S/N R58M62BJABX")
    device = Device(Platform.ANDROID, key="5200a1b2c3d4e5f6", serial="R58M62BJABX")
    assert kitlog.reconcile_device(device) == scanned.device_id
    assert kitlog.device_row(scanned.device_id or 0)["key"] == "5200a1b2c3d4e5f6"


def test_kme_batch_marks_devices_without_downgrading(kitlog: KitLog) -> None:
    enrolled = kitlog.upsert_device(Device(Platform.ANDROID, key="R58M62BJABX", serial="R58M62BJABX"))
    kitlog.set_external_state(enrolled, "enrolled")
    intake = IntakeSession(kitlog, mark_state="kme_registered")
    new = intake.scan(IMEI1)
    old = intake.scan("R58M62BJABX")
    assert kitlog.device_row(new.device_id or 0)["external_state"] == "kme_registered"
    assert old.device_id == enrolled and kitlog.device_row(enrolled)["external_state"] == "enrolled"


async def test_the_bench_joins_a_scanned_box_with_the_identified_phone(
    android_sim: AndroidSimulator, kitlog: KitLog
) -> None:
    # The box was scanned by IMEI only, so the log filed it under the IMEI. Once adb identifies the
    # phone (serial and, on Android 9, the IMEI), the bench reconciles it with the scan on the
    # log's writer before the run: one device row, keyed by the serial, carrying the scan.
    galaxy = android_sim.plug("SM-A305J")
    scanned = IntakeSession(kitlog, mark_state="kme_registered").scan(f"IMEI {galaxy.imeis[0]}")
    assert scanned.device_key == galaxy.imeis[0]
    adapter = AndroidAdapter(adb_port=android_sim.adb_port)
    bench = Bench(kitlog, [adapter], BenchConfig(blueprints={Platform.ANDROID: KME_BP}, identify_retry=0.2))
    try:
        await bench.start()
        assert await bench.wait_until(
            lambda b: any(v.state == SlotState.WAITING_EXTERNAL for v in b.slots.values()), timeout=60
        ), bench.slots
    finally:
        await bench.stop()
        await adapter.aclose()
    run = kitlog.history(limit=1)[0]
    assert run["device_key"] == galaxy.serial and run["imei"] == galaxy.imeis[0]
    assert len(kitlog.find_android_devices(serial=galaxy.serial, imeis=(galaxy.imeis[0],))) == 1
    assert kitlog.device_row(scanned.device_id or 0)["key"] == galaxy.serial
    assert all(s["device_id"] == scanned.device_id for s in _scans(kitlog))

"""``kitstation labels``: the PDF is rendered to pixels and every barcode read back with zbarimg;
the device name and battery level in every report format; the labels command's exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kitstation.blueprints import loads_blueprint
from kitstation.cli.main import main
from kitstation.domain.model import Device, Outcome, Platform, RunStatus
from kitstation.log import KitLog
from kitstation.reports import ReportOptions, export_report, verify_report
from kitstation.reports.labels import Label, LabelError, layout, render_labels, render_pdf
from tests.reports.test_formats import pdf_text, read_csv

needs_tools = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="pdftoppm (poppler-utils) and zbarimg (zbar-tools) come with packaging/setup.sh --dev",
)
BP = 'name = "b"\n[ios]\nmethod = "direct_profile"\nerase = false\nenrollment_profile = "e.mobileconfig"\n'
DEVICES = [
    # (platform, serial, imei, model, name read back, battery)
    (Platform.IOS, "F2LXDEMO0001", "356938035643809", "iPhone 15", "ACME-001 営業部", 81),
    (Platform.IOS, "F2LXDEMO0002", "", "iPad (10th generation)", "ACME-002 経理部", 64),
    (Platform.ANDROID, "R58TDEMO003", "351234567890123", "Galaxy S23", "GX-003", 55),
    (Platform.ANDROID, "R58TDEMO004", "351234567890124", "Galaxy A54 5G", None, None),  # a KME phone: no rename
]


@pytest.fixture
def batch(tmp_path: Path) -> tuple[str, int]:
    """A log with one batch of four devices: names read back (or only made), battery levels."""
    db = str(tmp_path / "k.sqlite3")
    log = KitLog(db)
    st = log.station("bench-1")
    session = log.start_session(st, customer="ACME Corporation", order_ref="PO-77")
    bp = log.blueprint(loads_blueprint(BP))
    for platform, serial, imei, model, name, battery in DEVICES:
        dev = Device(platform, serial, serial=serial, imeis=(imei,) if imei else (), marketing_name=model)
        dev_id = log.upsert_device(dev)
        run = log.start_run(dev_id, bp, st, platform.value, session_id=session)
        if name is not None:
            log.claim_name(session, dev_id, name)
            ev = log.step_started(run, f"{platform.value}.name")
            log.step_ended(ev, Outcome.OK, detail={"device_name": name})
        else:
            log.claim_name(session, dev_id, "GX-004")  # made for its label; the phone was never on adb
        if battery is not None:
            ev = log.step_started(run, f"{platform.value}.battery")
            log.step_ended(ev, Outcome.OK, detail={"battery_percent": battery, "min_battery_percent": 50})
        log.end_run(run, RunStatus.OK)
    log.close()
    return db, session


def _decode(pdf: Path, tmp_path: Path) -> list[str]:
    """Every barcode zbarimg finds on every page of ``pdf`` rendered at 300 dpi."""
    prefix = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(prefix)], check=True, timeout=120)
    pages = sorted(tmp_path.glob(f"{pdf.stem}-*.png"))
    assert pages
    found: list[str] = []
    for page in pages:
        read = subprocess.run(
            ["zbarimg", "-q", str(page)], capture_output=True, text=True, timeout=120, check=False,
            env=dict(os.environ, LANG="C.UTF-8"),
        )  # fmt: skip
        found += read.stdout.splitlines()
    return found


@needs_tools
@pytest.mark.parametrize(("size", "pages"), [("a4", 1), ("62x29", 4), ("50x25", 4)])
def test_every_label_scans_back_to_its_device(
    batch: tuple[str, int], tmp_path: Path, size: str, pages: int, capsys: pytest.CaptureFixture[str]
) -> None:
    db, session = batch
    out = tmp_path / f"labels-{size}.pdf"
    assert main(["labels", "--db", db, "--session", str(session), "--out", str(out), "--size", size]) == 0
    assert f"4 labels on {pages} pages" in capsys.readouterr().out
    codes = _decode(out, tmp_path)
    serials = sorted(d[1] for d in DEVICES)
    assert sorted(c.removeprefix("CODE-128:") for c in codes if c.startswith("CODE-128:")) == serials
    qrs = sorted(c.removeprefix("QR-Code:") for c in codes if c.startswith("QR-Code:"))
    assert qrs == sorted(
        [
            "F2LXDEMO0001,356938035643809,ACME-001 営業部",
            "F2LXDEMO0002,,ACME-002 経理部",
            "R58TDEMO003,351234567890123,GX-003",
            "R58TDEMO004,351234567890124,GX-004",
        ]
    )
    text = pdf_text(out)
    for word in ("ACME-001 営業部", "S/N F2LXDEMO0002", "IMEI 351234567890123", "Galaxy S23", "ACME Corporation / PO-77"):
        assert word in text


@needs_tools
def test_one_device_label_again(batch: tuple[str, int], tmp_path: Path) -> None:
    db, session = batch
    out = tmp_path / "one.pdf"
    assert main(["labels", "--db", db, "--session", str(session), "--out", str(out), "--size", "62x29",
                 "--device", "R58TDEMO003"]) == 0  # fmt: skip
    assert [c for c in _decode(out, tmp_path) if c.startswith("CODE-128:")] == ["CODE-128:R58TDEMO003"]


def test_bad_input_is_exit_2_with_one_line_and_nothing_replaced(
    batch: tuple[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, session = batch
    out = str(tmp_path / "l.pdf")
    cases = [
        (["--session", "999", "--out", out], "no batch 999"),
        (["--session", str(session), "--out", out, "--size", "a3"], "unknown label size"),
        (["--session", str(session), "--out", out, "--size", "5x5"], "unknown label size"),
        (["--session", str(session), "--out", out, "--device", "NOPE"], "has no device NOPE"),
        (["--session", str(session), "--out", str(tmp_path / "missing" / "l.pdf")], "does not exist"),
        (["--session", str(session), "--out", str(tmp_path)], "not a regular file"),
    ]
    fifo = tmp_path / "fifo.pdf"
    os.mkfifo(fifo)
    cases.append((["--session", str(session), "--out", str(fifo)], "not a regular file"))
    for args, words in cases:
        assert main(["labels", "--db", db, *args]) == 2, args
        err = capsys.readouterr().err
        assert words in err, err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert not Path(out).exists() and fifo.exists() and not fifo.is_file()
    missing = tmp_path / "nolog.sqlite3"
    assert main(["labels", "--db", str(missing), "--session", "1", "--out", out]) == 2
    assert not missing.exists()


def test_a_serial_too_long_for_the_label_is_refused_not_printed_unscannable() -> None:
    with pytest.raises(LabelError, match="choose a wider label"):
        render_pdf([Label("n", "X" * 40, "", "m", "")], "30x20")
    assert layout("62x29").per_page == 1 and layout("A4").per_page == 21


def test_name_and_battery_in_every_report_format_and_verify_passes(batch: tuple[str, int], tmp_path: Path) -> None:
    db, session = batch
    log = KitLog(db)
    try:
        from kitstation.log import RunFilter

        flt = RunFilter(session_id=session)
        expected = {d[1]: (d[4] or "", d[5]) for d in DEVICES}
        export_report(log, "csv", tmp_path / "r.csv", flt, ReportOptions(language="en", csv_column_ids=True))
        rows = read_csv(tmp_path / "r.csv")
        head = rows[0]
        assert head[-2:] == ["device_name", "battery_percent"] and head[:3] == ["run_id", "started_at", "ended_at"]
        got = {r[head.index("serial")]: (r[-2], int(r[-1]) if r[-1] else None) for r in rows[1:]}
        assert got == expected
        export_report(log, "json", tmp_path / "r.json", flt)
        data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
        assert {r["serial"]: (r["device_name"], r["battery_percent"]) for r in data["rows"]} == expected
        export_report(log, "xlsx", tmp_path / "r.xlsx", flt, ReportOptions(language="ja"))
        sheet = load_workbook(tmp_path / "r.xlsx").worksheets[1]
        table = list(sheet.iter_rows(values_only=True))
        assert table[0][-2:] == ("デバイス名", "電池残量 (%)")
        assert {r[9]: (r[-2] or "", r[-1]) for r in table[1:]} == expected
        export_report(log, "pdf", tmp_path / "r.pdf", flt, ReportOptions(language="ja"))
        text = pdf_text(tmp_path / "r.pdf")
        assert "ACME-001 営業部" in text and "81 %" in text and "デバイス名" in text
        for name in ("r.csv", "r.json", "r.xlsx", "r.pdf"):
            assert verify_report(tmp_path / name, log).ok, name
    finally:
        log.close()


@needs_tools
@pytest.mark.parametrize("size", ["62x29mm", "a4-3x8"])
def test_history_rows_as_the_window_passes_them(batch: tuple[str, int], tmp_path: Path, size: str) -> None:
    """The GUI's *Print labels…* hands the session's history rows (latest run each) and a path."""
    from kitstation.log import RunFilter

    db, session = batch
    log = KitLog(db)
    try:
        rows = list(log.iter_history(RunFilter(session_id=session, latest_only=True)))
    finally:
        log.close()
    out = tmp_path / "gui.pdf"
    assert render_labels(rows, size, out) == 4
    codes = _decode(out, tmp_path)
    assert sorted(c for c in codes if c.startswith("CODE-128:")) == sorted(f"CODE-128:{d[1]}" for d in DEVICES)
    assert "QR-Code:F2LXDEMO0001,356938035643809,ACME-001 営業部" in codes
    with pytest.raises(LabelError, match="not a regular file"):
        render_labels(rows, size, tmp_path)

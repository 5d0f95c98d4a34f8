"""Report digests: unchanged copies verify, tampered ones fail; no secret ever reaches a report."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from kitstation.domain.model import Device, Platform, RunStatus
from kitstation.log import KitLog
from kitstation.log.store import RunFilter
from kitstation.log.tables import run_t
from kitstation.reports import ReportOptions, export_report, verify_report
from kitstation.reports.model import file_sha256, scrub
from tests.reports.data import ORDER, SECRET, Filled

FORMATS = {"csv": "r.csv", "xlsx": "r.xlsx", "pdf": "r.pdf", "json": "r.json", "kme-csv": "k.csv", "abm-csv": "a.csv"}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_an_unchanged_report_verifies_and_its_sidecar_is_sha256sum_format(
    kitlog: KitLog, filled: Filled, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / FORMATS[fmt]
    res = export_report(kitlog, fmt, out, RunFilter(order_ref=ORDER), ReportOptions(language="ja"))
    assert res.sidecar is not None
    assert res.sidecar.read_text(encoding="utf-8") == f"{res.file_sha256}  {out.name}\n"
    assert file_sha256(out) == res.file_sha256
    # More kitting after the report does not change what the report's selection pinned.
    st = kitlog.station("bench-01")
    later = kitlog.start_run(kitlog.upsert_device(Device(Platform.IOS, "LATER", serial="LATER1")), 1, st, "ios",
                             session_id=filled.session_id)
    kitlog.end_run(later, RunStatus.OK)
    result = verify_report(out, kitlog)
    assert result.ok, result.checks
    assert {c.name: c.state for c in result.checks}["file"] == "passed"
    if fmt in ("xlsx", "json", "pdf"):
        assert result.embedded_sha256 == result.log_sha256 == res.rows_sha256


def test_a_changed_byte_fails_the_file_check(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    export_report(kitlog, "pdf", out)
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    out.write_bytes(bytes(data))
    result = verify_report(out, kitlog)
    assert not result.ok
    assert {c.name: c.state for c in result.checks}["file"] == "failed"


def test_an_edited_xlsx_cell_fails_without_the_sidecar(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    export_report(kitlog, "xlsx", out)
    (tmp_path / "r.xlsx.sha256").unlink()
    wb = load_workbook(out)
    ws = wb.worksheets[1]
    ws.cell(row=3, column=10).value = "F2LXKFORGED1"
    wb.save(out)
    result = verify_report(out, kitlog)
    states = {c.name: c.state for c in result.checks}
    assert not result.ok and states["file"] == "skipped" and states["content"] == "failed"


def test_an_edited_json_row_fails(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    export_report(kitlog, "json", out)
    (tmp_path / "r.json.sha256").unlink()
    data = json.loads(out.read_text(encoding="utf-8"))
    failed = next(r for r in data["rows"] if r["status"] == "failed")
    failed["status"] = "ok"
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert not verify_report(out, kitlog).ok


def test_an_edited_csv_fails_against_the_log(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    export_report(kitlog, "csv", out, options=ReportOptions(language="ja"))
    (tmp_path / "r.csv.sha256").unlink()
    text = out.read_text(encoding="utf-8-sig")
    out.write_text(text.replace(filled.android_serials[1], "R58MFORGED01"), encoding="utf-8-sig")
    result = verify_report(out, kitlog)
    assert not result.ok and {c.name: c.state for c in result.checks}["log"] == "failed"


def test_a_log_changed_after_the_report_fails_the_log_check(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    export_report(kitlog, "pdf", out)
    with kitlog.engine.begin() as conn:
        conn.execute(update(run_t).where(run_t.c.id == filled.run_ids[8]).values(status="ok"))
    result = verify_report(out, kitlog)
    states = {c.name: c.state for c in result.checks}
    assert states == {"file": "passed", "content": "skipped", "log": "failed"}
    assert not result.ok


def test_a_device_list_with_an_unknown_identifier_fails(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "k.csv"
    export_report(kitlog, "kme-csv", out, options=ReportOptions(write_sidecar=False))
    out.write_text(out.read_text(encoding="utf-8") + "359999999999999,,\n", encoding="utf-8")
    result = verify_report(out, kitlog)
    assert not result.ok and "359999999999999" in result.checks[-1].detail.en


def test_reason_texts_are_scrubbed() -> None:
    # Masked up to the next space, brackets included: a password may contain ")" too.
    assert scrub("join failed (password: Hunter2) again") == "join failed (password: *** again"
    assert scrub("PSK=abc def") == "PSK=*** def"
    assert scrub("passphrase is s3cr3t") == "passphrase is ***"
    assert scrub("Device Owner could not be set") == "Device Owner could not be set"
    assert scrub(None) == ""


def test_no_secret_reaches_any_report(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    for fmt, name in FORMATS.items():
        for lang in ("en", "ja"):
            out = tmp_path / f"{lang}-{name}"
            export_report(kitlog, fmt, out, options=ReportOptions(language=lang, kme_all_android=True))
            raw = out.read_bytes()
            blobs = [raw]
            if fmt == "xlsx":  # look inside the zip's XML, not at compressed bytes
                with zipfile.ZipFile(out) as z:
                    blobs = [z.read(n) for n in z.namelist()]
            if fmt == "pdf":
                from tests.reports.test_formats import pdf_text

                blobs.append(pdf_text(out).encode("utf-8"))
            for blob in blobs:
                assert SECRET.encode() not in blob, (fmt, lang)
                assert b"wifi_password" not in blob and b"kitting_wifi" not in blob, (fmt, lang)
    # The failed run's reason is in the report, with the secret masked.
    csv_text = (tmp_path / "ja-r.csv").read_text(encoding="utf-8-sig")
    assert "Wi-Fiプロファイルが拒否されました（password: ***" in csv_text

"""Each format's content read back: CSV, XLSX, PDF (pdftotext / pypdf), JSON, KME and ABM lists."""

from __future__ import annotations

import base64
import csv
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kitstation.log import KitLog
from kitstation.log.store import RunFilter
from kitstation.reports import COLUMN_IDS, ReportOptions, export_report
from kitstation.reports.fonts import CANDIDATES
from tests.reports.data import CUSTOMER, ORDER, Filled

JST = timezone(timedelta(hours=9))
BATCH = RunFilter(order_ref=ORDER)


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel on Japanese Windows needs
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def pdf_text(path: Path) -> str:
    """pdftotext when installed (what a customer's tools see), else pypdf."""
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                              text=True).stdout
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_csv_has_bom_stable_columns_japanese_headers_and_the_batch(kitlog: KitLog, filled: Filled,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    res = export_report(kitlog, "csv", out, BATCH, ReportOptions(language="ja", tz=JST))
    rows = read_csv(out)
    assert rows[0][0] == "実行ID" and rows[0][1] == "開始日時 (UTC+09:00)" and "シリアル番号" in rows[0]
    assert len(rows[0]) == len(COLUMN_IDS)
    body = [dict(zip(COLUMN_IDS, r, strict=True)) for r in rows[1:]]
    assert res.rows == len(body) == 10
    assert {r["serial"] for r in body} == set(filled.ios_serials + filled.android_serials)
    assert not set(filled.other_serials) & {r["serial"] for r in body}
    first = body[0]
    assert first["started_at"] == "2026-11-20T09:05:00+09:00"  # 00:05 UTC shown in the asked zone
    assert first["customer"] == CUSTOMER and first["order_ref"] == ORDER
    assert len(first["blueprint_hash"]) == 64
    failed = next(r for r in body if r["serial"] == "R58MFAIL0001")
    assert failed["status"] == "failed" and failed["status_label"] == "失敗"
    assert "アカウントが残っています" in failed["reason"] and failed["error_code"] == "dpm_accounts"
    android = next(r for r in body if r["serial"] == filled.android_serials[0])
    assert android["imei"] == filled.android_imeis[0] and android["imei"].startswith("0")  # leading zero kept
    # English titles, and machine ids on request.
    export_report(kitlog, "csv", out, BATCH, ReportOptions(language="en"))
    assert read_csv(out)[0][:3] == ["Run ID", read_csv(out)[0][1], "Ended" + read_csv(out)[0][2][5:]]
    assert read_csv(out)[0][1].startswith("Started (UTC")
    export_report(kitlog, "csv", out, BATCH, ReportOptions(csv_column_ids=True))
    assert tuple(read_csv(out)[0]) == COLUMN_IDS


def test_csv_guards_free_text_against_formula_injection(kitlog: KitLog, tmp_path: Path) -> None:
    from kitstation.blueprints import loads_blueprint
    from kitstation.domain.model import Device, Platform, RunStatus

    st = kitlog.station("s")
    sess = kitlog.start_session(st, customer="=HYPERLINK(\"http://x\")", order_ref="PO-9")
    run = kitlog.start_run(kitlog.upsert_device(Device(Platform.IOS, "U9", serial="SER9")),
                           kitlog.blueprint(loads_blueprint('name = "b"\n[ios]\nmethod = "dep"\n')), st, "ios",
                           session_id=sess)
    kitlog.end_run(run, RunStatus.OK)
    out = tmp_path / "g.csv"
    export_report(kitlog, "csv", out, options=ReportOptions(csv_column_ids=True))
    row = dict(zip(COLUMN_IDS, read_csv(out)[1], strict=True))
    assert row["customer"] == "'=HYPERLINK(\"http://x\")"


def test_xlsx_typed_cells_frozen_header_filter_and_matches_the_csv(kitlog: KitLog, filled: Filled,
                                                                  tmp_path: Path) -> None:
    export_report(kitlog, "csv", tmp_path / "r.csv", BATCH, ReportOptions(language="ja", tz=UTC))
    res = export_report(kitlog, "xlsx", tmp_path / "r.xlsx", BATCH, ReportOptions(language="ja", tz=UTC))
    wb = load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["概要", "デバイス一覧"]
    detail = wb["デバイス一覧"]
    assert detail.freeze_panes == "A2"
    assert detail.auto_filter.ref == f"A1:AA{res.rows + 1}"  # 27 columns: ... Y customer, Z device name, AA battery
    assert detail.column_dimensions["J"].width == 16
    head = [c.value for c in detail[1]]
    assert head[0] == "実行ID" and head[9] == "シリアル番号" and head[1] == "開始日時 (UTC+00:00)"
    ids = list(COLUMN_IDS)
    rows = list(detail.iter_rows(min_row=2, values_only=True))
    assert len(rows) == res.rows == 10
    r0 = dict(zip(ids, rows[0], strict=True))
    assert isinstance(r0["run_id"], int) and isinstance(r0["session_id"], int)
    assert r0["started_at"] == datetime(2026, 11, 20, 0, 5)  # a real date, not text
    assert detail.cell(row=2, column=2).is_date
    android = next(dict(zip(ids, r, strict=True)) for r in rows if r[9] == filled.android_serials[0])
    assert android["imei"] == filled.android_imeis[0] and isinstance(android["imei"], str)
    assert detail.cell(row=2, column=10).data_type == "s"
    # Same rows as the CSV, cell for cell (CSV text vs XLSX typed values).
    csv_rows = read_csv(tmp_path / "r.csv")[1:]
    for c_row, x_row in zip(csv_rows, rows, strict=True):
        for cid, c_val, x_val in zip(ids, c_row, x_row, strict=True):
            if isinstance(x_val, datetime):
                assert datetime.fromisoformat(c_val).replace(tzinfo=None) == x_val, cid
            else:
                assert c_val == ("" if x_val is None else str(x_val)), cid
    summary = wb["概要"]
    text = "\n".join(str(v) for r in summary.iter_rows(values_only=True) for v in r if v is not None)
    assert "キッティング作業報告書" in text and CUSTOMER in text and ORDER in text
    assert res.rows_sha256 in text and "kitstation-manifest" in text
    counts = {r[1]: r[2] for r in summary.iter_rows(values_only=True) if r and len(r) > 2 and r[1] in ("ok", "failed")}
    assert counts == {"ok": 4, "failed": 2}


def test_pdf_shows_japanese_headings_counts_every_serial_and_page_numbers(kitlog: KitLog, filled: Filled,
                                                                          tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    res = export_report(kitlog, "pdf", out, BATCH, ReportOptions(language="ja", tz=JST))
    text = pdf_text(out)
    for heading in ("キッティング作業報告書", "結果別台数", "機種別台数", "時間帯別の台数", "デバイス一覧", "検証情報"):
        assert heading in text, heading
    assert CUSTOMER in text and ORDER in text and "山田 太郎" in text
    for serial in filled.ios_serials + filled.android_serials:
        assert serial in text
    assert filled.other_serials[0] not in text
    assert "2026-11-20 09:05:00" in text  # JST
    pages = len(PdfReader(str(out)).pages)
    assert pages == 4
    assert f"1 / {pages} ページ" in text and f"{pages} / {pages} ページ" in text
    assert res.rows_sha256 in text
    lines = [ln for ln in text.splitlines() if "成功" in ln and "外部待ち" not in ln]
    assert any(ln.split()[1] == "4" for ln in lines if ln.split()[0] == "成功")
    meta = PdfReader(str(out)).metadata
    assert meta is not None and meta.title == "キッティング作業報告書"
    keywords = str(meta.get("/Keywords"))
    assert keywords.startswith("kitstation-manifest:b64:")
    manifest = json.loads(base64.b64decode(keywords.split(":", 2)[2]))
    assert manifest["rows_sha256"] == res.rows_sha256 and manifest["selection"]["filter"]["order_ref"] == ORDER


def test_pdf_in_english_with_the_builtin_cid_font(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "en.pdf"
    res = export_report(kitlog, "pdf", out, BATCH, ReportOptions(language="en", pdf_font="cid"))
    text = pdf_text(out)
    assert "Kitting report" in text and "Results" in text and "page 1 / 4" in text
    assert CUSTOMER in text  # Japanese data in an English report still renders
    assert any("not embedded" in w.en for w in res.warnings)


def _ttf_with_japanese() -> str | None:
    """A system Japanese TrueType font (or $KITSTATION_PDF_FONT, which the report also uses)."""
    env = os.environ.get("KITSTATION_PDF_FONT", "")
    if env and Path(env).is_file():
        return env
    for path, _ in CANDIDATES:
        if Path(path).is_file():
            return path
    return None


@pytest.mark.skipif(_ttf_with_japanese() is None, reason="no TrueType Japanese font (fonts-ipafont-gothic)")
def test_pdf_with_an_embedded_truetype_font_extracts_japanese(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "ttf.pdf"
    res = export_report(kitlog, "pdf", out, BATCH, ReportOptions(language="ja"))  # the system font is found
    assert any("(embedded)" in w.en for w in res.warnings)
    # The embedded subset carries a ToUnicode map: pypdf (no CMap data at all) reads Japanese back.
    text = "\n".join(p.extract_text() or "" for p in PdfReader(str(out)).pages)
    assert "キッティング作業報告書" in text and filled.android_serials[0] in text and CUSTOMER in text


DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


@pytest.mark.skipif(not DROID.is_file(), reason="needs fonts-droid-fallback (a CJK font without Latin letters)")
def test_a_font_without_latin_letters_is_refused(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(ValueError, match="cannot use"):
        export_report(kitlog, "pdf", out / "x.pdf", BATCH, ReportOptions(pdf_font=str(DROID)))
    assert not list(out.iterdir())  # no half-written report left behind


def test_pdf_caps_the_device_table_but_summarises_everything(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "cap.pdf"
    res = export_report(kitlog, "pdf", out, options=ReportOptions(language="en", pdf_max_rows=3))
    text = pdf_text(out)
    assert res.rows == 12
    assert "first 3 of 12" in text and "capped" in text
    assert filled.ios_serials[0] in text and filled.other_serials[-1] not in text


def test_json_streams_rows_summary_and_manifest(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    res = export_report(kitlog, "json", out, BATCH, ReportOptions(language="en", tz=UTC))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data) == ["report", "rows", "summary", "manifest"]
    assert data["report"]["columns"] == list(COLUMN_IDS)
    assert len(data["rows"]) == 10 and data["rows"][0]["started_at"] == "2026-11-20T00:05:00+00:00"
    assert data["summary"]["by_status"]["waiting_external"] == 4
    assert data["manifest"]["rows_sha256"] == res.rows_sha256
    assert data["manifest"]["selection"]["filter"]["order_ref"] == ORDER


def test_kme_list_follows_the_blueprint_layout(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "kme.csv"
    res = export_report(kitlog, "kme-csv", out, BATCH)
    lines = out.read_text(encoding="utf-8").splitlines()
    # Blueprint layout: IMEI, then empty user id and password columns, no header; only devices the
    # station listed for KME (the failed one never reached that state).
    assert lines == [f"{imei},," for imei in filled.android_imeis[:4]]
    assert res.rows == 4
    # Overrides: serial numbers, every Android device, a header.
    export_report(kitlog, "kme-csv", out, BATCH, ReportOptions(kme_identifier="serial", kme_all_android=True,
                                                               kme_header=True))
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["IMEI/Serial Number", "User ID", "Password"]
    assert [r[0] for r in rows[1:]] == filled.android_serials
    assert all(r[2] == "" for r in rows[1:])  # never a password


def test_abm_list_holds_ios_serials_awaiting_assignment(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "abm.csv"
    res = export_report(kitlog, "abm-csv", out, options=ReportOptions(abm_columns=("serial", "model", "order_ref")))
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["Serial Number", "Model", "Order Number"]
    assert [r[0] for r in rows[1:]] == filled.ios_serials
    assert rows[1][1:] == ["iPhone 14 Pro", ORDER]
    assert res.rows == 5
    export_report(kitlog, "abm-csv", out, options=ReportOptions(abm_header=False))
    assert out.read_text(encoding="utf-8").split() == filled.ios_serials


def test_the_blueprints_customer_reaches_the_batch_and_every_report(kitlog: KitLog, tmp_path: Path) -> None:
    # A batch started without a customer (the GUI's default): the blueprint's [customer] fills it.
    from kitstation.blueprints import loads_blueprint
    from kitstation.domain.model import Device, Platform, RunStatus
    from tests.reports.data import CUSTOMER, IOS_BP

    st = kitlog.station("bench-9")
    session = kitlog.start_session(st, label="no customer given")
    bp = kitlog.blueprint(loads_blueprint(IOS_BP.replace('name = "株式会社サンプル商事"',
                                                         'name = "株式会社サンプル商事"\norder_ref = "PO-BP-7"')))
    dev = kitlog.upsert_device(Device(Platform.IOS, "00008110-000B0001", serial="F2LBP0001"))
    kitlog.end_run(kitlog.start_run(dev, bp, st, "ios", session_id=session), RunStatus.OK)
    # A batch that named its own customer keeps it.
    other = kitlog.start_session(st, customer="Given Corp", order_ref="PO-GIVEN")
    kitlog.end_run(kitlog.start_run(dev, bp, st, "ios", session_id=other), RunStatus.OK)
    rows = {r["session_id"]: r for r in kitlog.history()}
    assert (rows[session]["customer"], rows[session]["order_ref"]) == (CUSTOMER, "PO-BP-7")
    assert (rows[other]["customer"], rows[other]["order_ref"]) == ("Given Corp", "PO-GIVEN")
    for fmt in ("csv", "json"):
        out = tmp_path / f"r.{fmt}"
        export_report(kitlog, fmt, out, RunFilter(session_id=session))
        assert CUSTOMER in out.read_text(encoding="utf-8-sig") and "PO-BP-7" in out.read_text(encoding="utf-8-sig")

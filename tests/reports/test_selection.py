"""Selections: filters, latest run per device, empty selections, pinning against later runs."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

from kitstation.domain.model import Device, Platform, RunStatus
from kitstation.log import KitLog
from kitstation.log.store import RunFilter
from kitstation.reports import COLUMN_IDS, ReportOptions, export_report
from tests.reports.data import ORDER, Filled


def serials(kitlog: KitLog, tmp_path: Path, flt: RunFilter, **opts: object) -> list[str]:
    out = tmp_path / "s.csv"
    export_report(kitlog, "csv", out, flt, ReportOptions(csv_column_ids=True, **opts))  # type: ignore[arg-type]
    with out.open(encoding="utf-8-sig", newline="") as fh:
        return [dict(zip(COLUMN_IDS, r, strict=True))["serial"] for r in list(csv.reader(fh))[1:]]


def test_each_filter_narrows_the_report(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    batch = filled.ios_serials + filled.android_serials
    assert sorted(serials(kitlog, tmp_path, RunFilter(session_id=filled.session_id))) == sorted(batch)
    assert sorted(serials(kitlog, tmp_path, RunFilter(order_ref=ORDER))) == sorted(batch)
    assert serials(kitlog, tmp_path, RunFilter(customer="Other Corp")) == filled.other_serials
    assert serials(kitlog, tmp_path, RunFilter(station="bench-02")) == filled.other_serials
    assert serials(kitlog, tmp_path, RunFilter(technician="Suzuki")) == filled.other_serials
    assert serials(kitlog, tmp_path, RunFilter(platform="ios")) == filled.ios_serials
    assert serials(kitlog, tmp_path, RunFilter(status=["failed"])) == filled.failed_serials
    assert serials(kitlog, tmp_path, RunFilter(blueprint="iPhone 手動DEP")) == filled.ios_serials
    assert serials(kitlog, tmp_path, RunFilter(model="Galaxy S23")) == filled.other_serials
    # Date range: runs are 17 minutes apart from 00:05 UTC; [01:00, 02:00) holds the 5th to 7th.
    window = RunFilter(since=datetime(2026, 11, 20, 1, 0, tzinfo=UTC), until=datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    assert serials(kitlog, tmp_path, window) == filled.android_serials[:3]


def test_latest_run_per_device(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    # The failed Android device is kitted again, successfully.
    dev = kitlog.upsert_device(Device(Platform.ANDROID, "R58MFAIL0001", serial="R58MFAIL0001"))
    first = kitlog.run(filled.run_ids[9])
    assert first is not None and first["serial"] == "R58MFAIL0001"
    run = kitlog.start_run(dev, 2, kitlog.station("bench-01"), "android", session_id=filled.session_id)
    kitlog.end_run(run, RunStatus.OK)
    again = kitlog.run(run)
    assert again is not None and again["blueprint_name"] == first["blueprint_name"] == "Galaxy KME"
    every = serials(kitlog, tmp_path, RunFilter(session_id=filled.session_id))
    latest = serials(kitlog, tmp_path, RunFilter(session_id=filled.session_id), latest_only=True)
    assert every.count("R58MFAIL0001") == 2 and latest.count("R58MFAIL0001") == 1
    assert len(latest) == len(every) - 1
    assert serials(kitlog, tmp_path, RunFilter(status=["failed"]), latest_only=True) == ["F2LXKFAILQ1GH"]


def test_empty_selection_writes_reports_that_say_so(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    nothing = RunFilter(order_ref="NO-SUCH-ORDER")
    for fmt in ("csv", "xlsx", "pdf", "json", "kme-csv", "abm-csv"):
        res = export_report(kitlog, fmt, tmp_path / f"e.{fmt}", nothing, ReportOptions(language="ja"))
        assert res.empty and res.rows == 0 and res.path.is_file(), fmt
    with (tmp_path / "e.csv").open(encoding="utf-8-sig") as fh:
        assert len(list(csv.reader(fh))) == 1  # the header only
    assert json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))["rows"] == []
    from tests.reports.test_formats import pdf_text

    text = pdf_text(tmp_path / "e.pdf")
    assert "この条件に該当する記録はありません" in text and "1 / 4 ページ" in text


def test_an_empty_log_exports_too(kitlog: KitLog, tmp_path: Path) -> None:
    res = export_report(kitlog, "xlsx", tmp_path / "e.xlsx")
    assert res.empty and res.rows_sha256 and res.sidecar is not None and res.sidecar.is_file()


def test_progress_reaches_the_total(kitlog: KitLog, filled: Filled, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    export_report(kitlog, "pdf", tmp_path / "p.pdf", progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1] == (24, 24)  # the PDF reads its 12 rows twice

"""Streaming exports: memory stays flat from 10,000 to 100,000 runs (tracemalloc peak, not time)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from benchmarks.bench_reports import fill_bulk
from kitstation.log import KitLog
from kitstation.log.store import RunFilter
from kitstation.reports import ReportOptions, export_report, verify_report

BASE = datetime(2026, 11, 2, tzinfo=UTC)
MB = 2**20


def first(n: int) -> RunFilter:
    """The first ``n`` runs of the bulk log (one run every 20 seconds from BASE)."""
    return RunFilter(until=BASE + timedelta(seconds=20 * n))


@pytest.fixture(scope="module")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KitLog]:
    log = KitLog(f"sqlite:///{tmp_path_factory.mktemp('big') / 'big.sqlite3'}")
    fill_bulk(log, 100_000, start=BASE)
    yield log
    log.close()


def peak_of(log: KitLog, fmt: str, out: Path, flt: RunFilter, options: ReportOptions) -> tuple[int, int]:
    # A first, untraced export of the format loads its modules (openpyxl, reportlab, fonts): their
    # one-off import cost is not what the comparison is about.
    export_report(log, fmt, out.with_name("warm-" + out.name), first(10), options)
    tracemalloc.start()
    try:
        res = export_report(log, fmt, out, flt, options)
        return res.rows, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# Rows are read in pages of 2,000 (KitLog.iter_selection): from there on the peak is
# flat, so every comparison starts at or above one page.


@pytest.mark.slow
def test_csv_of_100k_runs_in_constant_memory(big_log: KitLog, tmp_path: Path) -> None:
    rows_small, small = peak_of(big_log, "csv", tmp_path / "s.csv", first(4_000), ReportOptions())
    rows_big, big = peak_of(big_log, "csv", tmp_path / "b.csv", RunFilter(), ReportOptions())
    assert (rows_small, rows_big) == (4_000, 100_000)
    assert big < 30 * MB
    assert big < small + 2 * MB  # 25 times the rows, the same peak
    with (tmp_path / "b.csv").open(encoding="utf-8-sig") as fh:
        assert sum(1 for _ in fh) == 100_001
    # A big CSV verifies against the log (its runs looked up by id).
    assert verify_report(tmp_path / "s.csv", big_log).ok


@pytest.mark.slow
def test_xlsx_and_pdf_summary_stream_too(big_log: KitLog, tmp_path: Path) -> None:
    # XLSX: 2,000 vs 4,000 rows (openpyxl under tracemalloc is slow; the benchmark does 100k).
    _, small = peak_of(big_log, "xlsx", tmp_path / "s.xlsx", first(2_000), ReportOptions())
    _, big = peak_of(big_log, "xlsx", tmp_path / "b.xlsx", first(4_000), ReportOptions())
    assert big < small + 2 * MB
    # PDF: the cover and chart summarise 6,000 runs; the device table is capped at 100 rows.
    opts = ReportOptions(pdf_max_rows=100, language="ja")
    _, small = peak_of(big_log, "pdf", tmp_path / "s.pdf", first(2_000), opts)
    rows, big = peak_of(big_log, "pdf", tmp_path / "b.pdf", first(6_000), opts)
    assert rows == 6_000
    assert big < small + 2 * MB

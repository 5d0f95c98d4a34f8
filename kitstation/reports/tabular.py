"""CSV and JSON reports: one row per run, streamed straight from the log to the file.

CSV is UTF-8 *with* a byte-order mark: Excel on Japanese Windows otherwise reads it as Shift-JIS
and garbles every Japanese header and reason. Timestamps are ISO 8601 with the offset
(``2026-11-21T09:15:02+09:00``) so a machine never has to guess the zone.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from kitstation.reports.base import ExportJob
from kitstation.reports.model import (
    COLUMN_IDS,
    COLUMNS,
    MANIFEST_KIND,
    MANIFEST_VERSION,
    ReportFormat,
    header,
    local,
    manifest,
    with_export_gc,
    zone_label,
)
from kitstation.reports.pages import (
    Columns,
    LocalStamps,
    canonical_page,
    display_pages,
    int_text,
    is_utc,
    joined_rows,
    page_rows,
)
from kitstation.reports.summary import Summary

# Free-text columns a spreadsheet could take for a formula ("=HYPERLINK(...)" typed as a customer
# name): such a cell gets a leading apostrophe, the usual CSV-injection guard. Identifiers
# (serial, IMEI) never start with these characters, so they are written untouched.
_FREE_TEXT = frozenset(
    {"reason", "customer", "order_ref", "blueprint_name", "technician", "station", "slot", "marketing_name",
     "device_name"}  # fmt: skip
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DATES = frozenset(c.id for c in COLUMNS if c.kind == "datetime")


def guard(column: str, value: str) -> str:
    if column in _FREE_TEXT and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def unguard(value: str) -> str:
    """The value a guarded cell stood for (used when verifying a CSV)."""
    if value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def csv_cell(column: str, value: Any, job: ExportJob) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        stamp = local(value, job.zone)
        assert stamp is not None
        return stamp.isoformat()
    return guard(column, str(value))


_STARTED = COLUMN_IDS.index("started_at")
_ENDED = COLUMN_IDS.index("ended_at")
_FREE_CELLS = frozenset(i for i, cid in enumerate(COLUMN_IDS) if cid in _FREE_TEXT)
_INT_CELLS = frozenset(i for i, c in enumerate(COLUMNS) if c.kind == "int")
assert set(_DATES) == {"started_at", "ended_at"}  # the two timestamps the loop formats by position


@with_export_gc
def write_csv(job: ExportJob) -> Summary:
    """The detail rows as CSV; the header is the column titles (report language) or the ids.

    A page of rows at a time as display columns (:mod:`kitstation.reports.pages`): the summary
    counts the page column by column, its canonical lines are hashed in one block, and its CSV
    text is made column by column and joined. The timestamps' canonical UTC text is, in a UTC
    report, the cells' text too.
    """
    column_ids = job.options.csv_column_ids
    summary = Summary()
    zone = job.zone
    stamps = None if is_utc(zone) else LocalStamps(zone)
    language = job.language
    hash_block = summary.digest.update_block
    with job.out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.id if column_ids else header(c, language, zone) for c in COLUMNS])
        for cols in display_pages(job.kitlog, job.sel, job.kind, language):
            n = page_rows(cols)
            summary.add_columns(cols)
            hash_block(canonical_page(cols), n)
            write_page(fh, writer, _csv_columns(cols, stamps))
            job.tick_many(n)
    return summary


def write_page(fh: Any, writer: Any, text: Sequence[Sequence[Any]]) -> None:
    """A page's CSV cells (:func:`_csv_columns`) as ``writer`` writes them: one joined block, or
    row by row through :class:`_CsvLines` when some field needs the writer's quoting."""
    block = _csv_block(text)
    if block is not None:
        fh.write(block)
        return
    lines = _CsvLines(fh, writer)
    for row in zip(*text, strict=True):
        lines.write(list(row))
    lines.flush()


def _csv_columns(cols: Columns, stamps: LocalStamps | None) -> list[Sequence[Any]]:
    """A page's CSV cells column by column: ints as digits, local ISO times, free text guarded."""
    out: list[Sequence[Any]] = []
    for i, col in enumerate(cols):
        if i in _INT_CELLS:
            col = int_text(col)
        elif i == _STARTED or i == _ENDED:
            if stamps is not None:
                col = stamps.local_text(col)
        elif i in _FREE_CELLS:
            risky = {v for v in set(col) if v and v.startswith(_FORMULA_START)}
            if risky:
                col = ["'" + v if v in risky else v for v in col]
        out.append(col)
    return out


def _csv_block(cols: Sequence[Sequence[Any]]) -> str | None:
    """The page's lines as ``csv.writer`` writes them, joined; ``None`` if a field needs more than
    a comma's quoting (a double quote, CR or LF: left to the writer, see :class:`_CsvLines`)."""
    quoted: list[Sequence[Any]] = []
    for col in cols:
        try:
            joined = "".join(col)
        except TypeError:  # a value not text (not so in the log's columns)
            return None
        if '"' in joined or "\r" in joined or "\n" in joined:
            return None
        if "," in joined:  # a comma inside a field (an iPhone's model id, "iPhone15,2"): that field quoted
            col = ['"' + v + '"' if "," in v else v for v in col]
        quoted.append(col)
    if not quoted or not quoted[0] or len(quoted) < 2:
        return None
    return joined_rows(quoted, ",", "\r\n")


class _CsvLines:
    """Rows written as ``csv.writer`` (excel dialect, minimal quoting) writes them, joined directly.

    A row none of whose fields holds a double quote, CR or LF needs no quoting but of the fields
    with a comma, which are put in double quotes: its line is the fields joined by commas and
    ended by CRLF, which is what the writer makes of it (``None`` empty, ints as digits). Such
    lines are collected and written in blocks; any other row goes through the writer itself, after
    the block before it. ``tests/reports`` compares the bytes.
    """

    _BLOCK = 2000

    def __init__(self, fh: Any, writer: Any) -> None:
        self._fh = fh
        self._writer = writer
        self._block: list[str] = []

    def write(self, cells: list[Any]) -> None:
        fields = [v if type(v) is str else ("" if v is None else str(v)) for v in cells]
        line = ",".join(fields)
        # (A row of one empty field is written as "" by the writer: left to it.)
        if '"' in line or "\n" in line or "\r" in line or len(fields) < 2:
            self.flush()
            self._writer.writerow(cells)
            return
        if line.count(",") != len(fields) - 1:
            # A comma inside a field (an iPhone's model id, "iPhone15,2"): that field quoted.
            line = ",".join(['"' + v + '"' if "," in v else v for v in fields])
        self._block.append(line)
        if len(self._block) >= self._BLOCK:
            self.flush()

    def flush(self) -> None:
        if self._block:
            self._block.append("")
            self._fh.write("\r\n".join(self._block))
            self._block.clear()


def _json_value(value: Any, job: ExportJob) -> Any:
    if isinstance(value, datetime):
        stamp = local(value, job.zone)
        assert stamp is not None
        return stamp.isoformat()
    return value


@with_export_gc
def write_json(job: ExportJob) -> Summary:
    """``{"report": {...}, "rows": [...], "summary": {...}, "manifest": {...}}``, written row by row.

    The manifest (with the rows digest) comes last because the digest is known only once every
    row has gone by; JSON readers keep key order, and a streaming reader sees it at the end.
    """
    summary = Summary()
    with job.out.open("w", encoding="utf-8") as fh:
        head = {
            "kind": MANIFEST_KIND,
            "version": MANIFEST_VERSION,
            "language": job.language,
            "timezone": zone_label(job.zone),
            "customer": job.options.customer,
            "order_ref": job.options.order_ref,
            "columns": [c.id for c in COLUMNS],
        }
        fh.write('{"report": ' + json.dumps(head, ensure_ascii=False) + ',\n"rows": [')
        first = True
        for row in job.display_rows():
            summary.add(row)
            item = {c.id: _json_value(row[c.id], job) for c in COLUMNS}
            fh.write(("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False))
            first = False
        totals = {
            "rows": summary.rows,
            "by_status": dict(summary.statuses()),
            "by_model": dict(summary.by_model.most_common()),
            "by_platform": dict(summary.by_platform),
        }
        man = manifest(ReportFormat.JSON, job.sel, summary.rows, summary.digest.hexdigest(), job.zone, job.language)
        fh.write("\n],\n" + '"summary": ' + json.dumps(totals, ensure_ascii=False))
        fh.write(',\n"manifest": ' + json.dumps(man, ensure_ascii=False) + "}\n")
    return summary

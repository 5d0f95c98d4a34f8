"""CSV and JSON reports: one row per run, streamed straight from the log to the file.

CSV is UTF-8 *with* a byte-order mark: Excel on Japanese Windows otherwise reads it as Shift-JIS
and garbles every Japanese header and reason. Timestamps are ISO 8601 with the offset
(``2026-11-21T09:15:02+09:00``) so a machine never has to guess the zone.
"""

from __future__ import annotations

import csv
import itertools
import json
import operator
from datetime import datetime, timedelta, timezone
from typing import Any

from kitstation.reports.base import ExportJob
from kitstation.reports.model import (
    CANONICAL_FIELDS,
    COLUMN_IDS,
    COLUMNS,
    MANIFEST_KIND,
    MANIFEST_VERSION,
    ReportFormat,
    canonical_bytes,
    display_cells,
    header,
    local,
    manifest,
    with_export_gc,
    zone_label,
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


# Where the canonical fields sit among the cells, and which of them are not text already.
_CANON_CELLS = operator.itemgetter(*(COLUMN_IDS.index(f) for f in CANONICAL_FIELDS))
_CANON_RUN_ID = CANONICAL_FIELDS.index("run_id")
_CANON_SESSION = CANONICAL_FIELDS.index("session_id")
_STARTED = COLUMN_IDS.index("started_at")
_ENDED = COLUMN_IDS.index("ended_at")
_FREE_CELLS = tuple(i for i, cid in enumerate(COLUMN_IDS) if cid in _FREE_TEXT)
assert set(_DATES) == {"started_at", "ended_at"}  # the two timestamps the loop formats by position


@with_export_gc
def write_csv(job: ExportJob) -> Summary:
    """The detail rows as CSV; the header is the column titles (report language) or the ids.

    A page of rows at a time as lists of cells (no display dict): the summary counts the page
    column by column, then each row's canonical line is hashed and the row written. The
    timestamps' UTC text serves both the digest and, in a UTC report, the cells.
    """
    column_ids = job.options.csv_column_ids
    summary = Summary()
    zone = job.zone
    in_utc = isinstance(zone, timezone) and zone.utcoffset(None) == timedelta(0)
    language = job.language
    hash_line = summary.digest.update_line
    tick = job.tick
    with job.out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.id if column_ids else header(c, language, zone) for c in COLUMNS])
        lines = _CsvLines(fh, writer)
        write = lines.write
        rows = job.kitlog.iter_selection(job.sel, job.kind)
        # A page of rows at a time: the summary counts a page column by column (Summary.add_rows).
        while page := [display_cells(raw, language) for raw in itertools.islice(rows, _PAGE)]:
            summary.add_rows(page)
            for cells in page:
                start, end = cells[_STARTED], cells[_ENDED]
                # display_cells gives aware UTC in whole seconds: its isoformat() is the canonical text.
                cells[_STARTED] = start.isoformat() if start is not None else ""
                cells[_ENDED] = end.isoformat() if end is not None else ""
                canon = list(_CANON_CELLS(cells))
                canon[_CANON_RUN_ID] = str(canon[_CANON_RUN_ID])
                session = canon[_CANON_SESSION]
                canon[_CANON_SESSION] = "" if session is None else str(session)
                hash_line(canonical_bytes(canon))
                if not in_utc:
                    cells[_STARTED] = start.astimezone(zone).isoformat() if start is not None else ""
                    cells[_ENDED] = end.astimezone(zone).isoformat() if end is not None else ""
                for i in _FREE_CELLS:
                    value = cells[i]
                    if value and value.startswith(_FORMULA_START):
                        cells[i] = "'" + value
                write(cells)
                tick()
        lines.flush()
    return summary


_PAGE = 2000  # rows counted at once (the log's own page size): memory stays flat


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

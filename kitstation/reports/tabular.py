"""CSV and JSON reports: one row per run, streamed straight from the log to the file.

CSV is UTF-8 *with* a byte-order mark: Excel on Japanese Windows otherwise reads it as Shift-JIS
and garbles every Japanese header and reason. Timestamps are ISO 8601 with the offset
(``2026-11-21T09:15:02+09:00``) so a machine never has to guess the zone.
"""

from __future__ import annotations

import csv
import json
import operator
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
    zone_label,
)
from kitstation.reports.summary import Summary

# Free-text columns a spreadsheet could take for a formula ("=HYPERLINK(...)" typed as a customer
# name): such a cell gets a leading apostrophe, the usual CSV-injection guard. Identifiers
# (serial, IMEI) never start with these characters, so they are written untouched.
_FREE_TEXT = frozenset(
    {"reason", "customer", "order_ref", "blueprint_name", "technician", "station", "slot", "marketing_name"}
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


def write_csv(job: ExportJob) -> Summary:
    """The detail rows as CSV; the header is the column titles (report language) or the ids."""
    column_ids = job.options.csv_column_ids
    summary = Summary()
    zone = job.zone
    # Per column, how its cells are made; decided once, not per cell (100k rows x 25 columns).
    cells_of = operator.itemgetter(*COLUMN_IDS)
    dates = [i for i, cid in enumerate(COLUMN_IDS) if cid in _DATES]
    free = [i for i, cid in enumerate(COLUMN_IDS) if cid in _FREE_TEXT]
    add = summary.add
    with job.out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.id if column_ids else header(c, job.language, zone) for c in COLUMNS])
        write = writer.writerow
        for row in job.display_rows():
            add(row)
            cells = list(cells_of(row))
            for i in dates:
                value = cells[i]
                cells[i] = value.astimezone(zone).isoformat() if value is not None else ""
            for i in free:
                value = cells[i]
                if value and value.startswith(_FORMULA_START):
                    cells[i] = "'" + value
            # csv writes None as an empty field and ints as digits: no conversion needed.
            write(cells)
    return summary


def _json_value(value: Any, job: ExportJob) -> Any:
    if isinstance(value, datetime):
        stamp = local(value, job.zone)
        assert stamp is not None
        return stamp.isoformat()
    return value


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

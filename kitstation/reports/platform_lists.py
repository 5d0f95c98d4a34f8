"""The lists other consoles take: the KME bulk device upload and the ABM/reseller serial list.

*KME* (Samsung Knox Mobile Enrollment console, "Add devices > Bulk upload"): one device per row,
the IMEI or serial number, then optional user ID and password columns. The layout comes from the
blueprint's ``[android.kme_export]`` (:class:`KmeExport`), overridable in the options. The password
column is always written empty: the station never has, nor exports, a user's password.

*ABM* (Apple Business Manager / reseller DEP form): one "Serial Number" per row, optionally the
model and the order number, for iOS devices the station left *awaiting ABM assignment*.

Both lists hold one row per device (its latest run in the selection), in run order; the KME list
then adds the Android devices known only from their box scans (a KME batch's phones may never see
adb), in scan order.
"""

from __future__ import annotations

import csv
from typing import Any

from kitstation.blueprints.android import KmeExport
from kitstation.i18n import Text
from kitstation.log import KitLog
from kitstation.reports.base import ExportJob
from kitstation.reports.model import display_row
from kitstation.reports.summary import Summary

KME_TITLES = {
    "identifier": "IMEI/Serial Number",
    "imei": "IMEI",
    "imei2": "IMEI 2",
    "serial": "Serial Number",
    "model": "Model",
    "user_id": "User ID",
    "password": "Password",
}
ABM_TITLES = {"serial": "Serial Number", "model": "Model", "order_ref": "Order Number", "imei": "IMEI"}


def blueprint_kme_layout(kitlog: KitLog, content_hash: str) -> KmeExport | None:
    """The ``kme_export`` layout recorded in a blueprint's snapshot (``None`` when it has none)."""
    snap = kitlog.blueprint_snapshot(content_hash)
    if snap is None:
        return None
    try:
        data = snap["blueprint"]["android"]["kme_export"]
        return KmeExport.model_validate(data)
    except (KeyError, TypeError, ValueError):
        return None


def kme_identifier(row: dict[str, Any], choice: str) -> str:
    if choice == "imei":
        return str(row["imei"] or "")
    if choice == "serial":
        return str(row["serial"] or "")
    return str(row["imei"] or row["serial"] or "")


def _kme_cell(column: str, row: dict[str, Any], choice: str) -> str:
    if column == "identifier":
        return kme_identifier(row, choice)
    if column in ("imei", "imei2", "serial"):
        return str(row[column] or "")
    if column == "model":
        return str(row["model_id"] or "")
    # user_id, password and anything unknown: empty (the console treats them as optional).
    return ""


def write_kme(job: ExportJob) -> Summary:
    summary = Summary()
    opts = job.options
    layout: KmeExport | None = None
    layouts: set[str] = set()  # blueprint hashes: a handful, not one per device
    with job.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for raw in job.kitlog.iter_selection(job.sel, job.kind):
            job.tick()
            # One row per device: export_report pins these lists to each device's latest run.
            row = display_row(raw, job.language)
            if layout is None:
                # The first row's blueprint decides the layout; the options override any part of it.
                # A device known only from intake has no blueprint: the default layout.
                found = (row["blueprint_hash"] and blueprint_kme_layout(job.kitlog, row["blueprint_hash"])) or KmeExport()
                layout = KmeExport(
                    identifier=opts.kme_identifier or found.identifier,
                    columns=list(opts.kme_columns or found.columns),
                    header=found.header if opts.kme_header is None else opts.kme_header,
                )
                if layout.header:
                    writer.writerow([KME_TITLES.get(c, c) for c in layout.columns])
            if row["blueprint_hash"]:
                layouts.add(row["blueprint_hash"])
            ident = kme_identifier(row, layout.identifier)
            if not ident:
                continue  # a device without the chosen identifier cannot be uploaded
            summary.add(row)
            writer.writerow([_kme_cell(c, row, layout.identifier) for c in layout.columns])
    if len(layouts) > 1:
        job.warnings.append(
            Text(
                "The selection mixes blueprints; the KME list uses the first one's layout.",
                "複数のブループリントが含まれています。KMEリストは最初のブループリントの形式で出力しました。",
            )
        )
    return summary


def write_abm(job: ExportJob) -> Summary:
    summary = Summary()
    cols = job.options.abm_columns or ("serial",)
    with job.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        if job.options.abm_header:
            writer.writerow([ABM_TITLES.get(c, c) for c in cols])
        for raw in job.kitlog.iter_selection(job.sel, job.kind):
            job.tick()
            row = display_row(raw, job.language)
            if not row["serial"]:
                continue
            summary.add(row)
            values = {
                "serial": row["serial"],
                "model": row["marketing_name"] or row["model_id"],
                "order_ref": row["order_ref"],
                "imei": row["imei"],
            }
            writer.writerow([values.get(c, "") for c in cols])
    return summary

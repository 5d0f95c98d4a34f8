"""``export_report``: the one call the GUI's reports dialog and ``kitstation report`` make.

The file is written under a temporary name in the target folder and renamed into place when
complete, so a crash or an error never leaves a half-written report that looks like a real one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from kitstation.log import DeviceList, KitLog, RunFilter
from kitstation.reports.base import ExportJob
from kitstation.reports.model import (
    ProgressFn,
    ReportFormat,
    ReportOptions,
    ReportResult,
    file_sha256,
    write_sidecar,
)
from kitstation.reports.platform_lists import write_abm, write_kme
from kitstation.reports.summary import Summary
from kitstation.reports.tabular import write_csv, write_json

SUFFIXES = {
    ReportFormat.CSV: ".csv",
    ReportFormat.XLSX: ".xlsx",
    ReportFormat.PDF: ".pdf",
    ReportFormat.JSON: ".json",
    ReportFormat.KME_CSV: ".csv",
    ReportFormat.ABM_CSV: ".csv",
}


def _writer(fmt: ReportFormat) -> Callable[[ExportJob], Summary]:
    # Imported on use: a CSV export need not load openpyxl or reportlab.
    if fmt is ReportFormat.CSV:
        return write_csv
    if fmt is ReportFormat.JSON:
        return write_json
    if fmt is ReportFormat.XLSX:
        from kitstation.reports.xlsx import write_xlsx

        return write_xlsx
    if fmt is ReportFormat.PDF:
        from kitstation.reports.pdf import write_pdf

        return write_pdf
    if fmt is ReportFormat.KME_CSV:
        return write_kme
    return write_abm


def export_report(
    kitlog: KitLog,
    fmt: ReportFormat | str,
    out_path: str | os.PathLike[str],
    flt: RunFilter | None = None,
    options: ReportOptions | None = None,
    progress: ProgressFn | None = None,
) -> ReportResult:
    """Write one report of the runs ``flt`` selects; returns paths, counts and digests.

    ``progress(done, total)`` is called from the calling thread as rows are written (run it in a
    worker thread from a GUI). An empty selection writes a valid report that says it is empty.
    Raises ``ValueError`` for an unknown format or an unusable PDF font, ``OSError`` when the file
    cannot be written.
    """
    fmt = ReportFormat(fmt)
    options = options or ReportOptions()
    flt = flt or RunFilter()
    out = Path(out_path)
    # Platform lists hold one row per device: its latest run in the selection.
    platform_list = fmt in (ReportFormat.KME_CSV, ReportFormat.ABM_CSV)
    kind: DeviceList | None = None
    if fmt is ReportFormat.KME_CSV:
        kind = DeviceList.KME_ALL_ANDROID if options.kme_all_android else DeviceList.KME
    elif fmt is ReportFormat.ABM_CSV:
        kind = DeviceList.ABM
    sel = kitlog.pin(flt, latest_only=options.latest_only or platform_list, kind=kind)
    rows = kitlog.count_selection(sel, kind)
    total = rows
    if fmt is ReportFormat.PDF:  # the PDF reads its rows twice (summary, then table)
        total += rows if options.pdf_max_rows <= 0 else min(rows, options.pdf_max_rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    job = ExportJob(kitlog, sel, options, tmp, total=total, rows=rows, progress=progress, kind=kind)
    try:
        summary = _writer(fmt)(job)
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    job.finish()
    digest = file_sha256(out)
    sidecar = write_sidecar(out, digest) if options.write_sidecar else None
    return ReportResult(
        path=out,
        format=fmt,
        rows=summary.rows,
        file_sha256=digest,
        rows_sha256=summary.digest.hexdigest(),
        sidecar=sidecar,
        empty=summary.rows == 0,
        warnings=job.warnings,
    )

"""``export_report``: the one call the GUI's reports dialog and ``kitstation report`` make.

The file and its ``.sha256`` are written under temporary names in the target folder, flushed to
disk, and renamed into place when both are complete, so a crash, a full disk or an error never
leaves a half-written report (or a report beside an empty checksum) that looks like a real one.
A path whose folder is missing, or that holds anything but a regular file, is refused
(:class:`OutputError`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from kitstation.i18n import Text
from kitstation.log import DeviceList, KitLog, RunFilter
from kitstation.reports.base import ExportJob
from kitstation.reports.model import (
    ProgressFn,
    ReportFormat,
    ReportOptions,
    ReportResult,
    file_sha256,
    sidecar_path,
    write_sidecar_as,
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


class OutputError(Exception):
    """The report cannot be written at that path; ``reason`` says why in one line."""

    def __init__(self, reason: Text) -> None:
        self.reason = reason
        super().__init__(reason.en)


def check_output(path: Path) -> None:
    """Refuse a path whose folder is missing, or where something other than a regular file is
    (a FIFO, a symlink, a device node, a folder): the report never replaces one."""
    if not path.parent.is_dir():
        raise OutputError(
            Text(f"The folder {path.parent} does not exist", f"フォルダー {path.parent} がありません")
        )
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise OutputError(
            Text(
                f"{path} exists and is not a regular file: not replaced",
                f"{path} は通常のファイルではありません（置き換えません）",
            )
        )


def _fsync(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    """The renames themselves reach the disk (POSIX: fsync the folder; not possible on Windows)."""
    if os.name != "posix":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
    Raises :class:`OutputError` for a path it must not write (see :func:`check_output`),
    ``ValueError`` for an unknown format or an unusable PDF font, ``OSError`` when the file
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
    check_output(out)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    side_tmp: Path | None = None
    job = ExportJob(kitlog, sel, options, tmp, total=total, rows=rows, progress=progress, kind=kind)
    try:
        summary = _writer(fmt)(job)
        _fsync(tmp)
        digest = file_sha256(tmp)
        sidecar: Path | None = None
        if options.write_sidecar:
            # The pair is complete on disk before either takes its name: a full disk or a crash
            # leaves the previous pair (or nothing), never a report beside an empty checksum.
            sidecar = sidecar_path(out)
            side_tmp = tmp.with_name(tmp.name + ".sha256")
            write_sidecar_as(side_tmp, out.name, digest)
            _fsync(side_tmp)
            check_output(sidecar)
        check_output(out)  # still nothing but a regular file there
        os.replace(tmp, out)
        if side_tmp is not None and sidecar is not None:
            os.replace(side_tmp, sidecar)
        _fsync_dir(out.parent)
    except BaseException:
        for leftover in (tmp, side_tmp):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    leftover.unlink()
        raise
    job.finish()
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

"""XLSX report: a summary sheet and a detail sheet, openpyxl's write-only workbook around streamed rows.

The detail rows are written as sheet XML straight to a temporary file, in the form openpyxl's
write-only mode gives them (inline strings: no shared-string table growing in memory), and spliced
into the workbook openpyxl writes, so 100,000 rows take no more memory than 1,000 and a tenth of
the time of a cell object per value.
Cells are typed: timestamps are Excel dates (in the report's zone, named in the header, since
Excel has no time zones), ids are numbers, and serials/IMEIs are *text* -- as numbers Excel would
print a 15-digit IMEI as 3.56938E+14 and drop its leading zeros.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from kitstation.i18n import Text
from kitstation.reports.base import ExportJob
from kitstation.reports.model import (
    COLUMNS,
    EXTERNAL_TEXT,
    STATUS_TEXT,
    ReportFormat,
    header,
    manifest,
    with_export_gc,
    zone_label,
)
from kitstation.reports.pages import Columns, LocalStamps, canonical_page, display_pages, page_rows
from kitstation.reports.summary import Summary

SUMMARY_SHEET = Text("Summary", "概要")
DETAIL_SHEET = Text("Devices", "デバイス一覧")
MANIFEST_LABEL = "kitstation-manifest"  # the summary row holding the manifest JSON (read by verify)
DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
TEXT_FORMAT = "@"
# Identifier columns kept as text cells *and* text-formatted, so editing one keeps it text.
TEXT_IDS = frozenset({"serial", "imei", "imei2", "udid", "device_key", "blueprint_hash", "order_ref"})

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")


def _head(ws: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = _BOLD
    cell.fill = _HEAD_FILL
    cell.alignment = Alignment(vertical="center")
    return cell


def _naive(value: datetime | None, job: ExportJob) -> datetime | None:
    # Excel cells cannot hold a zone: the local wall time, with the zone in the column header.
    return value.astimezone(job.zone).replace(tzinfo=None) if value is not None else None


@with_export_gc
def write_xlsx(job: ExportJob) -> Summary:
    lang = job.language
    wb = Workbook(write_only=True)
    # Created first so it is the first tab a customer sees; filled after the detail rows.
    summary_ws = wb.create_sheet(SUMMARY_SHEET.get(lang))
    detail = wb.create_sheet(DETAIL_SHEET.get(lang))
    summary_ws.column_dimensions["A"].width = 28
    summary_ws.column_dimensions["B"].width = 40
    summary_ws.column_dimensions["C"].width = 66
    for i, col in enumerate(COLUMNS, start=1):
        dim = detail.column_dimensions[get_column_letter(i)]
        dim.width = col.width
        if col.id in TEXT_IDS:
            # A text-formatted column: an IMEI typed or pasted into it later stays text too.
            dim.number_format = TEXT_FORMAT
    detail.freeze_panes = "A2"
    detail.append([_head(detail, header(c, lang, job.zone)) for c in COLUMNS])

    summary = Summary()
    # The detail rows are streamed as sheet XML into a temporary file (openpyxl builds a cell
    # object per value: 17 s for 100k rows; this, about a tenth). openpyxl then writes the
    # workbook around one sample row, whose XML is replaced by the streamed rows (_splice).
    kinds = [(c.id, c.kind == "datetime") for c in COLUMNS]
    letters = [get_column_letter(i) for i in range(1, len(COLUMNS) + 1)]
    rows_tmp = job.out.with_name(job.out.name + ".rows")
    try:
        with rows_tmp.open("wb") as fh:
            sheet = _SheetRows(letters, [is_date for _, is_date in kinds], LocalStamps(job.zone))
            # A page of rows at a time: the summary counts it column by column, then its XML is
            # made column by column and written in one block.
            for cols in display_pages(job.kitlog, job.sel, job.kind, lang):
                n = page_rows(cols)
                summary.add_columns(cols)
                summary.digest.update_block(canonical_page(cols), n)
                fh.write(sheet.page_xml(cols).encode("utf-8"))
                job.tick_many(n)
        # The sample row: a value of each kind, so openpyxl registers the date style it uses.
        detail.append([datetime(2000, 1, 1) if is_date else None for _, is_date in kinds])
        last = get_column_letter(len(COLUMNS))
        detail.auto_filter.ref = f"A1:{last}{summary.rows + 1}"
        _fill_summary(summary_ws, job, summary)
        template = job.out.with_name(job.out.name + ".template")
        try:
            wb.save(template)
            _splice(template, job.out, rows_tmp, detail_index=2)
        finally:
            template.unlink(missing_ok=True)
    finally:
        rows_tmp.unlink(missing_ok=True)
    return summary


# Characters XML 1.0 cannot carry (openpyxl refuses them in a cell): dropped from a value.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DATE_STYLE = "\x00DATE_STYLE\x00"  # replaced by the date style's index once openpyxl has chosen it


_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_BLOCK = 2000  # rows per page: counted together, written in one block
_TAILS = 512  # distinct values cached per column; a column with more is not cached


def _text_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}' + _text_tail(value)


def _text_tail(value: str) -> str:
    """An inline-string cell after its reference: ``" t="inlineStr"><is><t>…</t></is></c>``."""
    if _NEEDS_ESCAPE.search(value) is None and value == value.strip():
        return '" t="inlineStr"><is><t>' + value + "</t></is></c>"  # nothing to drop, escape or keep
    value = _ILLEGAL.sub("", value)
    text = xml_escape(value)
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f'" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _row_xml(
    n: int,
    row: dict[str, Any],
    kinds: list[tuple[str, bool]],
    letters: list[str],
    job: ExportJob,
    tails: list[dict[str, str] | None] | None = None,
) -> str:
    """One detail row as openpyxl writes it: inline strings, numbers, dates as Excel serials.

    ``tails`` caches, per column, the XML of values seen before (status, station, blueprint,
    customer... repeat on every row); a column of mostly distinct values stops being cached.
    """
    num = str(n)
    parts = [f'<row r="{num}">']
    for i, (cid, is_date) in enumerate(kinds):
        value = row[cid]
        if value is None or value == "":
            continue  # openpyxl writes no cell for None (a blank cell)
        ref = letters[i] + num
        if is_date:
            parts.append(f'<c r="{ref}" s="{_DATE_STYLE}" t="n"><v>{to_excel(_naive(value, job))}</v></c>')
        elif type(value) is int:
            parts.append(f'<c r="{ref}" t="n"><v>{value}</v></c>')
        else:
            cache = tails[i] if tails is not None else None
            tail = cache.get(value) if cache is not None else None
            if tail is None:
                tail = _text_tail(str(value))
                if cache is not None and tails is not None:
                    if len(cache) < _TAILS:
                        cache[value] = tail
                    else:
                        tails[i] = None
            parts.append('<c r="' + ref + tail)
    parts.append("</row>\n")
    return "".join(parts)


class _SheetRows:
    """Detail rows as :func:`_row_xml` writes them, made a page of display columns at a time.

    Each column's cells are made by one comprehension (the cell reference, then the value's XML:
    a text cell's tail from a per-column cache of repeated values, or straight from the value
    when the whole column needs no escaping); the rows are the columns zipped and joined.
    """

    def __init__(self, letters: list[str], dates: list[bool], stamps: LocalStamps) -> None:
        self.letters = letters
        self.dates = dates
        self.stamps = stamps
        self.next_row = 2
        self.tails: list[dict[str, str] | None] = [{} for _ in letters]

    def page_xml(self, cols: Columns) -> str:
        n = page_rows(cols)
        first = self.next_row
        self.next_row += n
        nums = list(map(str, range(first, first + n)))
        cells: list[list[str]] = [['<row r="' + r + '">' for r in nums]]
        for i, col in enumerate(cols):
            ref = '<c r="' + self.letters[i]
            if self.dates[i]:
                cells.append([
                    f'{ref}{r}" s="{_DATE_STYLE}" t="n"><v>{v}</v></c>' if v else ""
                    for r, v in zip(nums, self.stamps.excel(col), strict=True)
                ])  # fmt: skip
            else:
                cells.append(self._cells(i, ref, nums, col))
        cells.append(["</row>\n"] * n)
        return "".join(chain.from_iterable(zip(*cells, strict=True)))  # no string per row: one join

    def _cells(self, i: int, ref: str, nums: list[str], col: Sequence[Any]) -> list[str]:
        try:
            joined = "".join(col)
        except TypeError:  # not all text: the int columns (ids, battery), or an odd value
            if set(map(type, col)) <= _INT_OR_NONE:
                return ["" if v is None else f'{ref}{r}" t="n"><v>{v}</v></c>'
                        for r, v in zip(nums, col, strict=True)]  # fmt: skip
            return [_cell_xml(ref + r, v) for r, v in zip(nums, col, strict=True)]
        tails = self._tails(i, col)
        if tails is not None:
            return [f"{ref}{r}{tails[v]}" if v else "" for r, v in zip(nums, col, strict=True)]
        if _NEEDS_ESCAPE.search(joined) is None and len(joined.split(None, 1)) <= 1:
            # No escaping and no whitespace at all (serials, IMEIs): each value as it is.
            return [f'{ref}{r}" t="inlineStr"><is><t>{v}</t></is></c>' if v else ""
                    for r, v in zip(nums, col, strict=True)]  # fmt: skip
        return [ref + r + _text_tail(v) if v else "" for r, v in zip(nums, col, strict=True)]

    def _tails(self, i: int, col: Sequence[str]) -> dict[str, str] | None:
        """The column's cached tails covering every value of this page, or ``None`` (too many values)."""
        cache = self.tails[i]
        if cache is None:
            return None
        new = set(col).difference(cache)
        if len(cache) + len(new) > _TAILS:
            self.tails[i] = None  # a column of mostly distinct values: not cached from now on
            return None
        for v in new:
            cache[v] = _text_tail(v)
        return cache


_INT_OR_NONE = frozenset({int, type(None)})


def _cell_xml(ref: str, value: Any) -> str:
    """One non-date cell as :func:`_row_xml` writes it (``ref`` ends with the row number)."""
    if value is None or value == "":
        return ""
    if type(value) is int:
        return ref + '" t="n"><v>' + str(value) + "</v></c>"
    return ref + _text_tail(str(value))


def _splice(template: Path, out: Path, rows: Path, detail_index: int) -> None:
    """``out``: the template workbook with its detail sheet's sample row replaced by ``rows``."""
    name = f"xl/worksheets/sheet{detail_index}.xml"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info.filename))
                continue
            sheet = src.read(name).decode("utf-8")
            start = sheet.index('<row r="2"')
            end = sheet.index("</row>", start) + len("</row>")
            style = re.search(r'<c r="B2" s="(\d+)"', sheet[start:end])
            assert style is not None, "the sample row carries the date style"
            entry = zipfile.ZipInfo(name, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(entry, "w", force_zip64=True) as fh:
                fh.write(sheet[:start].encode("utf-8"))
                placeholder, date_style = _DATE_STYLE.encode("utf-8"), style.group(1).encode("ascii")
                with rows.open("rb") as lines:
                    # Whole rows per chunk: the placeholder never straddles two chunks. Bytes as
                    # they were written (UTF-8): no decoding and encoding again.
                    while chunk := lines.read(1 << 20) + lines.readline():
                        fh.write(chunk.replace(placeholder, date_style))
                fh.write(sheet[end:].encode("utf-8"))


def _fill_summary(ws: WriteOnlyWorksheet, job: ExportJob, s: Summary) -> None:
    lang = job.language
    opts = job.options

    def t(en: str, ja: str) -> str:
        return Text(en, ja).get(lang)

    def joined(counter: Any) -> str:
        return ", ".join(str(k) for k, _ in counter.most_common())

    title = opts.title or t("Kitting report", "キッティング作業報告書")
    ws.append([_head(ws, title)])
    ws.append([])
    info: list[tuple[str, Any]] = [
        (t("Customer", "顧客"), opts.customer or joined(s.customers)),
        (t("Order reference", "注文番号"), opts.order_ref or joined(s.orders)),
        (t("Batch IDs", "バッチID"), ", ".join(str(k) for k in sorted(s.sessions))),
        (t("First run started", "最初の作業開始"), _naive(s.first_start, job)),
        (t("Last run ended", "最後の作業終了"), _naive(s.last_end, job)),
        (t("Time zone", "タイムゾーン"), zone_label(job.zone)),
        (t("Report generated", "報告書作成日時"), _naive(datetime.now(UTC).replace(microsecond=0), job)),
        (t("Stations", "ステーション"), joined(s.stations)),
        (t("Technicians", "作業者"), joined(s.technicians)),
        (t("Runs in this report", "記録件数"), s.rows),
    ]
    for label, value in info:
        ws.append([_head(ws, label), value])
    if s.rows == 0:
        ws.append([t("No runs match this selection.", "この条件に該当する記録はありません。")])
    ws.append([])
    ws.append([_head(ws, t("Result", "結果")), _head(ws, t("Status", "ステータス")), _head(ws, t("Devices", "台数"))])
    for status, n in s.statuses():
        ws.append([STATUS_TEXT.get(status, Text.plain(status)).get(lang), status, n])
    ws.append([])
    ws.append([_head(ws, t("Model", "機種")), None, _head(ws, t("Devices", "台数"))])
    for model, n in s.by_model.most_common():
        ws.append([model, None, n])
    ws.append([])
    ws.append([_head(ws, t("Blueprint", "ブループリント")), _head(ws, t("Runs", "件数")), _head(ws, "SHA-256")])
    for (name, digest), n in sorted(s.blueprints.items()):
        ws.append([name, n, digest])
    ws.append([])
    ws.append([_head(ws, t("Hand-off states", "引き渡し状態"))])
    for key, text in EXTERNAL_TEXT.items():
        if key:
            ws.append([text.get(lang), key])
    ws.append([])
    digest = s.digest.hexdigest()
    ws.append([_head(ws, t("Report digest (SHA-256 of the rows)", "報告書ダイジェスト（行のSHA-256）")), None, digest])
    man = manifest(ReportFormat.XLSX, job.sel, s.rows, digest, job.zone, lang)
    ws.append([MANIFEST_LABEL, None, json.dumps(man, ensure_ascii=False, separators=(",", ":"))])

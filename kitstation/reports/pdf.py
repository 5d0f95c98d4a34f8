"""PDF delivery report: cover, charts, device table, verification page; "page X / Y" on every page.

Laid out directly on a reportlab canvas rather than with platypus tables: rows have a fixed
height (long texts are shortened to fit their cell), so the page count is known before the
first page is drawn -- that gives "page X / Y" in one pass -- and drawing costs the same per row
however many rows there are.

Two passes over the selection: the first gathers the summary (counts, chart buckets, rows digest)
for the cover, the second draws the device table. The table is capped at
``ReportOptions.pdf_max_rows`` rows (default 5,000, about 190 pages; 0 = no cap): the cover, charts
and digest always cover *every* row, and the table says how many it shows; a complete list of a
larger selection belongs in the CSV/XLSX export. reportlab keeps a document's pages in memory
until it is saved, which is what the cap bounds.
"""

from __future__ import annotations

import base64
import json
import math
from datetime import UTC, datetime
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kitstation.i18n import Text
from kitstation.reports.base import ExportJob
from kitstation.reports.fonts import ReportFont, resolve_font
from kitstation.reports.model import (
    STATUS_TEXT,
    ReportFormat,
    display_row,
    manifest,
    with_export_gc,
    zone_label,
)
from kitstation.reports.pages import canonical_page, display_pages, page_rows
from kitstation.reports.summary import Summary

PAGE = landscape(A4)
MARGIN = 36.0
ROW_H = 15.0
TABLE_TOP = PAGE[1] - MARGIN - 40
ROWS_PER_PAGE = int((TABLE_TOP - MARGIN - 30) // ROW_H) - 1  # minus the header row
# The manifest goes into the document's Keywords as base64 of its JSON: pure ASCII, so no PDF string
# escaping applies and verify_report finds it in the raw bytes without a PDF parser (pypdf is only a
# development dependency).
MANIFEST_PREFIX = "kitstation-manifest:b64:"

STATUS_COLOURS = {
    "ok": colors.HexColor("#2E7D32"),
    "failed": colors.HexColor("#C62828"),
    "waiting_external": colors.HexColor("#F9A825"),
    "interrupted": colors.HexColor("#6D4C41"),
    "cancelled": colors.HexColor("#757575"),
    "running": colors.HexColor("#1565C0"),
}

# (column id, title, width in points); widths add up to the printable width of A4 landscape.
TABLE_COLUMNS: tuple[tuple[str, Text, float], ...] = (
    ("#", Text("#", "No."), 24),
    ("serial", Text("Serial number", "シリアル番号"), 84),
    ("imei", Text("IMEI", "IMEI"), 88),
    ("device_name", Text("Device name", "デバイス名"), 76),
    ("marketing_name", Text("Model", "機種"), 66),
    ("started_at", Text("Started", "開始"), 84),
    ("ended_at", Text("Ended", "終了"), 62),
    ("status_label", Text("Result", "結果"), 66),
    ("battery_percent", Text("Battery", "電池"), 34),
    ("blueprint", Text("Blueprint (SHA-256)", "ブループリント (SHA-256)"), 82),
    ("technician", Text("Technician", "作業者"), 50),
    ("reason", Text("Reason", "理由"), 54),
)

WHOLE = frozenset({"serial", "imei", "started_at", "ended_at"})
_HEAD_FILL = colors.HexColor("#DDE4EE")
_STRIPE_FILL = colors.HexColor("#F5F7FA")


def T(en: str, ja: str) -> Text:
    return Text(en, ja)


class _Doc:
    """The canvas, the font and the page numbering of one report."""

    def __init__(self, job: ExportJob, font: ReportFont, total_pages: int, title: str) -> None:
        self.job = job
        self.font = font.name
        self.total = total_pages
        self.page = 1
        self.title = title
        # The report font from the start: no stray reference to a non-embedded Helvetica.
        self.c = Canvas(str(job.out), pagesize=PAGE, pageCompression=1, initialFontName=font.name)
        # The fill colour and font last set on this page: a cell repeating them sets neither again
        # (each set is an operator in the page and float formatting in reportlab's Python; the
        # 5,000-row table set both for each of its 60,000 cells). Reset by every new page.
        self._fill: Any = None
        self._font_size: float | None = None
        self._fits: dict[tuple[str, float, float], str] = {}
        self.c.setTitle(title)
        self.c.setAuthor("KitStation")
        self.c.setCreator("KitStation")

    def t(self, text: Text) -> str:
        return text.get(self.job.language)

    def text(self, x: float, y: float, s: str, size: float = 9, colour: Any = colors.black) -> None:
        self.fill(colour)
        self.size(size)
        self.c.drawString(x, y, s)

    def fill(self, colour: Any) -> None:
        if colour is not self._fill:
            self.c.setFillColor(colour)
            self._fill = colour

    def size(self, size: float) -> None:
        if size != self._font_size:
            self.c.setFont(self.font, size)
            self._font_size = size

    def forget(self) -> None:
        """The canvas state is no longer known (a new page, a drawing rendered onto the canvas)."""
        self._fill = None
        self._font_size = None

    def fit_cached(self, s: str, width: float, size: float) -> str:
        """:meth:`fit`, remembered: table cells repeat (models, results, blueprints, technicians)."""
        key = (s, width, size)
        out = self._fits.get(key)
        if out is None:
            if len(self._fits) > 20_000:
                self._fits.clear()
            out = self._fits[key] = self.fit(s, width, size)
        return out

    def fit(self, s: str, width: float, size: float) -> str:
        """``s`` shortened with an ellipsis to fit ``width`` points."""
        if stringWidth(s, self.font, size) <= width:
            return s
        # The longest prefix that fits with the ellipsis, by binary search over its length (widths
        # only grow with length): trimming one character at a time measured a 10,560-character
        # batch line thousands of times (most of a 100k-run PDF's time; issue 18).
        lo, hi = 0, len(s) - 1  # s[:lo] + "…" fits (or lo is 0); s[:hi + 1] + "…" does not
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if stringWidth(s[:mid] + "…", self.font, size) <= width:
                lo = mid
            else:
                hi = mid - 1
        return s[:lo] + "…"

    def footer(self) -> None:
        page = self.t(T("page {x} / {y}", "{x} / {y} ページ")).format(x=self.page, y=self.total)
        self.size(8)
        self.fill(colors.grey)
        self.c.drawString(MARGIN, MARGIN - 18, self.fit(self.title, 400, 8))
        self.c.drawRightString(PAGE[0] - MARGIN, MARGIN - 18, page)

    def next_page(self) -> None:
        self.footer()
        self.c.showPage()
        self.forget()
        self.page += 1

    def heading(self, s: str, y: float, size: float = 16) -> None:
        self.text(MARGIN, y, s, size)


@with_export_gc
def write_pdf(job: ExportJob) -> Summary:
    opts = job.options
    font = resolve_font(opts.pdf_font)
    summary = Summary()
    # The first pass counts and hashes every row, a page of display columns at a time (no row objects).
    for cols in display_pages(job.kitlog, job.sel, job.kind, job.language):
        n = page_rows(cols)
        summary.add_columns(cols)
        summary.digest.update_block(canonical_page(cols), n)
        job.tick_many(n)
    shown = summary.rows if opts.pdf_max_rows <= 0 else min(summary.rows, opts.pdf_max_rows)
    table_pages = max(1, math.ceil(shown / ROWS_PER_PAGE))
    title = opts.title or Text("Kitting report", "キッティング作業報告書").get(job.language)
    doc = _Doc(job, font, 2 + table_pages + 1, title)
    digest = summary.digest.hexdigest()
    man = manifest(ReportFormat.PDF, job.sel, summary.rows, digest, job.zone, job.language)
    doc.c.setSubject(" / ".join(x for x in (_customer(job, summary), _order(job, summary)) if x))
    # The manifest in the document info, where verify_report (and any PDF tool) can read it.
    encoded = base64.b64encode(json.dumps(man, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    doc.c.setKeywords(MANIFEST_PREFIX + encoded.decode("ascii"))
    _cover(doc, summary, digest)
    _charts(doc, summary)
    _table(doc, summary, shown)
    _closing(doc, summary, digest, shown)
    doc.footer()
    doc.c.save()
    job.warnings.append(
        T(f"PDF font: {font.source} (embedded)", f"PDFフォント: {font.source}（埋め込み）")
        if font.embedded
        else T(
            f"PDF font: {font.source} (not embedded; the viewer supplies a Japanese font)",
            f"PDFフォント: {font.source}（非埋め込み。表示側の日本語フォントを使用）",
        )
    )
    return summary


def _customer(job: ExportJob, s: Summary) -> str:
    return job.options.customer or ", ".join(k for k, _ in s.customers.most_common())


def _order(job: ExportJob, s: Summary) -> str:
    return job.options.order_ref or ", ".join(k for k, _ in s.orders.most_common())


def _when(job: ExportJob, value: datetime | None) -> str:
    return value.astimezone(job.zone).strftime("%Y-%m-%d %H:%M:%S") if value is not None else "-"


def _cover(doc: _Doc, s: Summary, digest: str) -> None:
    job = doc.job
    top = PAGE[1] - MARGIN
    doc.heading(doc.title, top - 10, 22)
    doc.text(MARGIN, top - 30, doc.t(T("Delivery evidence: devices kitted", "納品証跡：キッティング実施記録")), 11, colors.grey)
    y = top - 64
    zone = zone_label(job.zone)
    period = f"{_when(job, s.first_start)} - {_when(job, s.last_end)} ({zone})"
    blueprints = "; ".join(f"{name} ({h[:16]}…)" for (name, h) in sorted(s.blueprints))
    info = [
        (T("Customer", "顧客"), _customer(job, s) or "-"),
        (T("Order reference", "注文番号"), _order(job, s) or "-"),
        (T("Batch", "バッチ"), ", ".join(f"#{k}" for k in sorted(s.sessions)) or "-"),
        (T("Period", "作業期間"), period),
        (T("Devices kitted (runs)", "キッティング台数（実行件数）"), str(s.rows)),
        (T("Stations", "ステーション"), ", ".join(k for k, _ in s.stations.most_common()) or "-"),
        (T("Technicians", "作業者"), ", ".join(k for k, _ in s.technicians.most_common()) or "-"),
        (T("Blueprints", "ブループリント"), blueprints or "-"),
        (T("Report generated", "報告書作成日時"), f"{_when(job, datetime.now(UTC))} ({zone})"),
    ]
    for label, value in info:
        doc.text(MARGIN, y, doc.t(label), 10, colors.HexColor("#37474F"))
        doc.text(MARGIN + 170, y, doc.fit(value, PAGE[0] - 2 * MARGIN - 170, 10), 10)
        y -= 17
    if s.rows == 0:
        y -= 6
        doc.text(MARGIN, y, doc.t(T("No runs match this selection: this report is empty.",
                                    "この条件に該当する記録はありません（空の報告書です）。")), 12, colors.HexColor("#C62828"))
        y -= 10
    # Counts by outcome (left) and by model (right).
    y -= 14
    doc.text(MARGIN, y, doc.t(T("Results", "結果別台数")), 13)
    doc.text(PAGE[0] / 2, y, doc.t(T("Devices by model", "機種別台数")), 13)
    y -= 18
    left_y = y
    for status, n in s.statuses():
        if n == 0 and status not in ("ok", "failed"):
            continue
        doc.fill(STATUS_COLOURS.get(status, colors.grey))
        doc.c.rect(MARGIN, left_y - 2, 8, 8, stroke=0, fill=1)
        doc.text(MARGIN + 14, left_y, STATUS_TEXT.get(status, Text.plain(status)).get(job.language), 10)
        doc.c.drawRightString(MARGIN + 230, left_y, str(n))
        left_y -= 15
    doc.text(MARGIN + 14, left_y, doc.t(T("Total", "合計")), 10)
    doc.c.drawRightString(MARGIN + 230, left_y, str(s.rows))
    models = s.by_model.most_common()
    shown, rest = models[:12], models[12:]
    right_y = y
    for model, n in shown:
        doc.text(PAGE[0] / 2, right_y, doc.fit(model, 220, 10), 10)
        doc.c.drawRightString(PAGE[0] / 2 + 260, right_y, str(n))
        right_y -= 15
    if rest:
        others = doc.t(T("{n} other models", "その他 {n} 機種")).format(n=len(rest))
        doc.text(PAGE[0] / 2, right_y, others, 10)
        doc.c.drawRightString(PAGE[0] / 2 + 260, right_y, str(sum(n for _, n in rest)))
    doc.text(MARGIN, MARGIN + 8, doc.t(T("Report digest (SHA-256 of the rows): ", "報告書ダイジェスト（行のSHA-256）: ")) + digest, 8, colors.grey)
    doc.next_page()


def _charts(doc: _Doc, s: Summary) -> None:
    job = doc.job
    lang = job.language
    unit, buckets = s.buckets(job.zone)
    heading = (
        T("Devices per hour, by result", "時間帯別の台数（結果別）")
        if unit == "hour"
        else T("Devices per day, by result", "日別の台数（結果別）")
    )
    top = PAGE[1] - MARGIN
    doc.heading(doc.t(heading) + f" ({zone_label(job.zone)})", top - 10)
    statuses = [st for st, n in s.statuses() if n > 0]
    if not buckets or not statuses:
        doc.text(MARGIN, top - 60, doc.t(T("No data to chart.", "グラフにするデータがありません。")), 11)
        doc.next_page()
        return
    width, height = PAGE[0] - 2 * MARGIN - 210, 330
    d = Drawing(width, height + 40)
    bc = VerticalBarChart()
    bc.x, bc.y, bc.width, bc.height = 40, 50, width - 50, height - 40
    bc.data = [[b[1].get(st, 0) for b in buckets] for st in statuses]
    bc.categoryAxis.style = "stacked"
    fmt = "%H:00" if unit == "hour" else "%m-%d"
    step = max(1, math.ceil(len(buckets) / 24))  # at most ~24 labels under the bars
    names = [b[0].strftime(fmt) if i % step == 0 else "" for i, b in enumerate(buckets)]
    if unit == "hour" and buckets:
        names[0] = buckets[0][0].strftime("%m-%d %H:00")
    bc.categoryAxis.categoryNames = names
    bc.categoryAxis.labels.angle = 45
    bc.categoryAxis.labels.boxAnchor = "ne"
    bc.categoryAxis.labels.fontName = doc.font
    bc.categoryAxis.labels.fontSize = 7
    bc.valueAxis.labels.fontName = doc.font
    bc.valueAxis.valueMin = 0
    bc.barSpacing = 0
    bc.groupSpacing = 2
    for i, st in enumerate(statuses):
        bc.bars[i].fillColor = STATUS_COLOURS.get(st, colors.grey)
        bc.bars[i].strokeColor = None
    d.add(bc)
    d.add(String(40, height + 20, doc.t(T("Devices", "台数")), fontName=doc.font, fontSize=9))
    renderPDF.draw(d, doc.c, MARGIN, MARGIN + 80)
    doc.forget()

    pie_d = Drawing(200, 300)
    pie = Pie()
    pie.x, pie.y, pie.width, pie.height = 30, 130, 140, 140
    pie.data = [s.by_status[st] for st in statuses]
    pie.labels = None
    for i, st in enumerate(statuses):
        pie.slices[i].fillColor = STATUS_COLOURS.get(st, colors.grey)
        pie.slices[i].strokeColor = colors.white
    pie_d.add(pie)
    legend = Legend()
    legend.x, legend.y = 20, 110
    legend.fontName = doc.font
    legend.fontSize = 9
    legend.alignment = "right"
    legend.colorNamePairs = [
        (STATUS_COLOURS.get(st, colors.grey), f"{STATUS_TEXT.get(st, Text.plain(st)).get(lang)}  {s.by_status[st]}")
        for st in statuses
    ]
    pie_d.add(legend)
    pie_d.add(String(30, 285, doc.t(T("Results", "結果")), fontName=doc.font, fontSize=11))
    renderPDF.draw(pie_d, doc.c, PAGE[0] - MARGIN - 200, MARGIN + 80)
    doc.forget()
    doc.next_page()


def _table_header(doc: _Doc, y: float) -> None:
    doc.fill(_HEAD_FILL)
    doc.c.rect(MARGIN, y - 4, PAGE[0] - 2 * MARGIN, ROW_H, stroke=0, fill=1)
    x = MARGIN + 2
    for _cid, title, width in TABLE_COLUMNS:
        doc.text(x, y, doc.fit(doc.t(title), width - 4, 8), 8)
        x += width


def _cell(doc: _Doc, cid: str, row: dict[str, Any], index: int) -> str:
    job = doc.job
    if cid == "#":
        return str(index)
    if cid in ("started_at", "ended_at"):
        value: datetime | None = row[cid]
        if value is None:
            return ""
        stamp = value.astimezone(job.zone)
        start = row["started_at"].astimezone(job.zone) if row["started_at"] is not None else None
        # The end shows only its time when it falls on the start's day (most runs take minutes).
        if cid == "ended_at" and start is not None and start.date() == stamp.date():
            return stamp.strftime("%H:%M:%S")
        return stamp.strftime("%Y-%m-%d %H:%M:%S" if cid == "started_at" else "%m-%d %H:%M:%S")
    if cid == "blueprint":
        return f"{row['blueprint_name']} ({row['blueprint_hash'][:8]})"
    if cid == "battery_percent":
        level = row.get(cid)
        return f"{level} %" if level is not None else ""
    return str(row.get(cid) or "")


def _table(doc: _Doc, s: Summary, shown: int) -> None:
    job = doc.job
    heading = doc.t(T("Devices", "デバイス一覧"))
    if shown < s.rows:
        heading += doc.t(T(" (first {n} of {m})", "（全 {m} 件中 先頭 {n} 件）")).format(n=shown, m=s.rows)
    table_pages = max(1, math.ceil(shown / ROWS_PER_PAGE))
    # A generator closed explicitly at the end: the capped table stops reading early.
    rows = job.kitlog.iter_selection(job.sel)
    index = 0
    for _page in range(table_pages):
        doc.heading(heading, PAGE[1] - MARGIN - 10, 14)
        y = TABLE_TOP
        _table_header(doc, y)
        y -= ROW_H
        if shown == 0:
            doc.text(MARGIN + 2, y, doc.t(T("No runs match this selection.", "この条件に該当する記録はありません。")), 10)
        for _ in range(ROWS_PER_PAGE):
            if index >= shown:
                break
            raw = next(rows, None)
            if raw is None:  # the log changed between the passes: fewer rows than counted
                index = shown
                break
            index += 1
            job.tick()
            row = display_row(raw, job.language)
            if index % 2 == 0:
                doc.fill(_STRIPE_FILL)
                doc.c.rect(MARGIN, y - 4, PAGE[0] - 2 * MARGIN, ROW_H, stroke=0, fill=1)
            x = MARGIN + 2
            for cid, _title, width in TABLE_COLUMNS:
                colour = STATUS_COLOURS.get(row["status"], colors.black) if cid == "status_label" else colors.black
                value = _cell(doc, cid, row, index)
                size = 8.0
                if cid in WHOLE:  # identifiers are evidence: a smaller size, never an ellipsis
                    while size > 5 and stringWidth(value, doc.font, size) > width - 4:
                        size -= 0.5
                doc.text(x, y, doc.fit_cached(value, width - 4, size), size, colour)
                x += width
            y -= ROW_H
        doc.next_page()
    rows.close()


def _closing(doc: _Doc, s: Summary, digest: str, shown: int) -> None:
    top = PAGE[1] - MARGIN
    doc.heading(doc.t(T("Verification", "検証情報")), top - 10)
    lines = [
        doc.t(T("Runs in this report: {n}", "本報告書の記録件数: {n}")).format(n=s.rows),
        doc.t(T("Rows shown in the device table: {n}", "デバイス一覧に掲載した件数: {n}")).format(n=shown),
        doc.t(T("Report digest (SHA-256 of the rows):", "報告書ダイジェスト（行のSHA-256）:")),
        "    " + digest,
        doc.t(T(
            "Check a copy against the kitting log with: kitstation report verify FILE",
            "キッティング記録との照合: kitstation report verify ファイル名",
        )),
        doc.t(T(
            "The SHA-256 of this file is written next to it as FILE.sha256.",
            "このファイル自体のSHA-256は同じ場所の「ファイル名.sha256」に記録されています。",
        )),
    ]
    y = top - 50
    for line in lines:
        doc.text(MARGIN, y, line, 10)
        y -= 18
    if shown < s.rows:
        doc.text(MARGIN, y, doc.t(T(
            "The device table is capped; the complete list is in the CSV or XLSX export of the same selection.",
            "デバイス一覧は件数を制限しています。全件は同じ条件のCSVまたはXLSX出力を参照してください。",
        )), 10, colors.HexColor("#C62828"))
        y -= 18
    y -= 40
    for label in (T("Delivered by", "納品者"), T("Received by", "受領者"), T("Date", "日付")):
        doc.text(MARGIN, y, doc.t(label), 11)
        doc.c.setStrokeColor(colors.black)
        doc.c.line(MARGIN + 110, y - 2, MARGIN + 400, y - 2)
        y -= 36

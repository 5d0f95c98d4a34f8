"""Device labels for a batch: a printable PDF with each device's name, identifiers and barcodes.

Each label carries the device name (as read back from the device, else the name made for it),
the serial number, the IMEI, the model and the customer order, a Code 128 of the serial number
and a QR code (``SERIAL,IMEI,NAME`` in UTF-8: one line an inventory system can take from a
scanner). Two
layouts:

* ``a4`` -- an A4 sheet of 3 × 7 labels of 70 × 42.3 mm (the common 21-up label sheets);
* ``WxH`` in millimetres (``62x29``, ``50x25``, ``62x100`` ...) -- one label per page, for label
  printers (Brother QL, Zebra), whose driver prints a page onto one label.

Barcodes are drawn with ``reportlab.graphics.barcode``; each Code 128's module width is chosen
so it fits its label with its quiet zones (a barcode cut by the edge scans as nothing). The file
is written like a report: refused where something other than a regular file is, written whole
under a temporary name and renamed (:mod:`kitstation.files`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import code128, qr, qrencoder
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kitstation.files import write_atomic
from kitstation.i18n import Text
from kitstation.log import KitLog
from kitstation.reports.api import OutputError, check_output
from kitstation.reports.fonts import resolve_font

_SIZE = re.compile(r"^\s*(\d{2,3}(?:\.\d)?)\s*[x×]\s*(\d{2,3}(?:\.\d)?)\s*(?:mm)?\s*$", re.IGNORECASE)
_GRID = re.compile(r"^a4-(\d{1,2})x(\d{1,2})$")
MIN_MM, MAX_MM = 20.0, 300.0
# Barcode modules narrower than this print as smudges on a 203 dpi label printer (0.125 mm a dot).
MIN_MODULE_MM = 0.25
QUIET_MODULES = 10  # Code 128's quiet zone on each side, in modules (ISO/IEC 15417)


class LabelError(Exception):
    """Labels cannot be made as asked; ``reason`` says why in one line."""

    def __init__(self, reason: Text) -> None:
        self.reason = reason
        super().__init__(reason.en)


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the labels go: page size, label size, grid and the grid's top-left corner (points)."""

    name: str
    page: tuple[float, float]
    label: tuple[float, float]
    columns: int = 1
    rows: int = 1
    left: float = 0.0
    top: float = 0.0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


def layout(size: str) -> Layout:
    """``a4``, ``a4-CxR`` or ``WxH`` (millimetres) as a :class:`Layout`; :class:`LabelError` otherwise."""
    key = size.strip().lower()
    if key == "a4":
        w, h = 70 * mm, 42.3 * mm
        return Layout("a4", A4, (w, h), 3, 7, (A4[0] - 3 * w) / 2, (A4[1] - 7 * h) / 2)
    grid = _GRID.match(key)
    if grid is not None:
        columns, rows = int(grid.group(1)), int(grid.group(2))
        if 1 <= columns <= 4 and 1 <= rows <= 12:
            # Edge to edge, as the common sheets are cut (3 × 8: 70 × 37.1 mm).
            return Layout(key, A4, (A4[0] / columns, A4[1] / rows), columns, rows)
    m = _SIZE.match(key)
    if m is not None:
        w_mm, h_mm = float(m.group(1)), float(m.group(2))
        if all(MIN_MM <= v <= MAX_MM for v in (w_mm, h_mm)):
            return Layout(f"{m.group(1)}x{m.group(2)}", (w_mm * mm, h_mm * mm), (w_mm * mm, h_mm * mm))
    raise LabelError(
        Text(
            f"unknown label size {size!r}: give a4 (3 × 7), a4-COLUMNSxROWS (a4-3x8), or WIDTHxHEIGHT in"
            f" millimetres ({MIN_MM:.0f}-{MAX_MM:.0f}), e.g. 62x29 or 50x25",
            f"ラベルサイズ {size!r} が不正です: a4（3 × 7）、a4-列x行（a4-3x8）、または 幅x高さ（mm、"
            f"{MIN_MM:.0f}〜{MAX_MM:.0f}）を指定してください（例: 62x29、50x25）",
        )
    )


@dataclass(frozen=True, slots=True)
class Label:
    """What one label shows."""

    name: str
    serial: str
    imei: str
    model: str
    order: str

    @property
    def qr_text(self) -> str:
        return ",".join((self.serial, self.imei, self.name))


def labels_from_rows(rows: Sequence[dict[str, Any]]) -> list[Label]:
    out: list[Label] = []
    for r in rows:
        serial = str(r.get("serial") or r.get("device_key") or "")
        order = " / ".join(str(v) for v in (r.get("customer"), r.get("order_ref")) if v)
        model = r.get("model") or r.get("marketing_name") or r.get("model_id") or ""  # label or history rows
        out.append(
            Label(
                name=str(r.get("device_name") or ""),
                serial=serial,
                imei=str(r.get("imei") or ""),
                model=str(model),
                order=order,
            )
        )
    return out


def _fit(text: str, font: str, size: float, width: float) -> tuple[str, float]:
    """``text`` at the largest size up to ``size`` that fits ``width`` (down to 4 pt, then cut)."""
    while size > 4 and stringWidth(text, font, size) > width:
        size -= 0.25
    while text and stringWidth(text, font, size) > width:
        text = text[:-1]
    return text, size


def _code128(value: str, width: float, height: float) -> code128.Code128 | None:
    """A Code 128 of ``value`` as wide as ``width`` allows with its quiet zones, or None if it cannot fit.

    The quiet zones (10 modules each side) may use the label's blank margin: only white is needed there.
    """
    modules = code128.Code128(value, barWidth=1.0, barHeight=height, quiet=False).width
    module = min(0.4 * mm, width / (modules + 2 * QUIET_MODULES))
    if module < MIN_MODULE_MM * mm:
        return None
    return code128.Code128(value, barWidth=module, barHeight=height, quiet=False)


def _draw_label(c: Canvas, font: str, label: Label, x: float, y: float, w: float, h: float) -> bool:
    """One label with its lower-left corner at (x, y); False when its Code 128 could not fit."""
    pad = max(1.5 * mm, min(w, h) * 0.06)
    inner_w, inner_h = w - 2 * pad, h - 2 * pad
    bar_h = min(10 * mm, inner_h * 0.28)
    gap = 1.2 * mm
    top_h = inner_h - bar_h - gap
    fitted = _code128(label.serial, w - 1 * mm, bar_h) if label.serial else None
    if fitted is not None:
        fitted.drawOn(c, x + (w - fitted.width) / 2, y + pad)
    side = min(top_h, inner_w * 0.42)
    if label.qr_text.strip(","):
        text = label.qr_text
        # Non-ASCII (a Japanese name) as UTF-8 with its ECI designator (26): without it, readers
        # guess the bytes' encoding (Shift_JIS, often) and show the name garbled.
        data: Any = text if text.isascii() else [qrencoder.QRECI(26), qrencoder.QR8bitByte(text)]
        widget = qr.QrCodeWidget(data, barLevel="M")
        bx0, by0, bx1, by1 = widget.getBounds()
        drawing = Drawing(side, side, transform=[side / (bx1 - bx0), 0, 0, side / (by1 - by0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, c, x + w - pad - side, y + h - pad - side)
    text_w = inner_w - side - 1.5 * mm
    lines = [
        (label.name or label.model or label.serial, 1.0),
        (f"S/N {label.serial}" if label.serial else "", 0.72),
        (f"IMEI {label.imei}" if label.imei else "", 0.72),
        (label.model if label.name else "", 0.66),
        (label.order, 0.66),
    ]
    shown = [(t, s) for t, s in lines if t]
    total = sum(s for _t, s in shown) * 1.2
    base = min(top_h / total if total else top_h, 14.0)
    cursor = y + h - pad
    for text, scale in shown:
        size = base * scale
        text, size = _fit(text, font, size, text_w)
        cursor -= size * 1.15
        c.setFont(font, size)
        c.drawString(x + pad, cursor, text)
    return fitted is not None or not label.serial


def render_pdf(labels: Sequence[Label], size: str = "a4", font: str | None = None) -> bytes:
    """The PDF of ``labels`` in the layout ``size`` (see :func:`layout`)."""
    place = layout(size)
    if not labels:
        raise LabelError(Text("no devices to label", "ラベルを作成するデバイスがありません"))
    chosen = resolve_font(font)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=place.page, pageCompression=1, initialFontName=chosen.name)
    c.setTitle("KitStation device labels")
    c.setCreator("KitStation")
    w, h = place.label
    too_narrow: list[str] = []
    for i, label in enumerate(labels):
        slot = i % place.per_page
        if i and slot == 0:
            c.showPage()
        col, row = slot % place.columns, slot // place.columns
        x = place.left + col * w
        y = place.page[1] - place.top - (row + 1) * h
        if not _draw_label(c, chosen.name, label, x, y, w, h):
            too_narrow.append(label.serial)
    if too_narrow:
        raise LabelError(
            Text(
                f"the serial number {too_narrow[0]} does not fit a scannable Code 128 on a {place.name} label:"
                " choose a wider label",
                f"シリアル番号 {too_narrow[0]} は {place.name} のラベルに読み取れる Code 128 として収まりません:"
                " 幅の広いラベルを選んでください",
            )
        )
    c.save()
    return buf.getvalue()


def _check(path: Path) -> None:
    """The output rules of ``report --out``: an existing folder, never replacing a non-regular file."""
    try:
        check_output(path)
    except OutputError as exc:
        raise LabelError(exc.reason) from exc


@dataclass(frozen=True, slots=True)
class LabelResult:
    path: Path
    count: int
    layout: str
    pages: int


def write_labels(
    kitlog: KitLog,
    session_id: int,
    out: str | Path,
    size: str = "a4",
    serial: str | None = None,
    font: str | None = None,
) -> LabelResult:
    """Labels for the devices of batch ``session_id`` (or the one device ``serial``) into ``out``."""
    place = layout(size)
    path = Path(out)
    _check(path)
    if not kitlog.session_exists(session_id):
        raise LabelError(
            Text(f"no batch {session_id} in the kitting log", f"キッティング記録にバッチ {session_id} がありません")
        )
    rows = kitlog.label_rows(session_id, serial)
    if not rows:
        if serial:
            raise LabelError(
                Text(
                    f"batch {session_id} has no device {serial}",
                    f"バッチ {session_id} にデバイス {serial} がありません",
                )
            )
        raise LabelError(Text(f"batch {session_id} has no devices", f"バッチ {session_id} にデバイスがありません"))
    labels = labels_from_rows(rows)
    render_labels(rows, size, path, font)
    pages = -(-len(labels) // place.per_page)
    return LabelResult(path, len(labels), place.name, pages)


def render_labels(rows: Sequence[Label | dict[str, Any]], size: str, out: str | Path, font: str | None = None) -> int:
    """Labels for ``rows`` (:class:`Label` s, label rows or history rows) written to ``out``; how many.

    ``out`` follows ``report --out``'s rules (:class:`LabelError` otherwise); the file appears whole.
    """
    path = Path(out)
    _check(path)
    labels = [r if isinstance(r, Label) else labels_from_rows([r])[0] for r in rows]
    data = render_pdf(labels, size, font)
    _check(path)  # still nothing but a regular file there
    write_atomic(path, data)
    return len(labels)


__all__ = [
    "render_pdf",
    "Label",
    "LabelError",
    "LabelResult",
    "Layout",
    "labels_from_rows",
    "layout",
    "render_labels",
    "write_labels",
]

"""Painting a bench tile: the state icon, the header, the device lines (one delegate, no widget per device)."""


from __future__ import annotations

from kitstation.core.bench import SlotState, SlotView
from kitstation.domain.model import Platform
from kitstation.i18n import Language, current_language
from kitstation.ui.bench_model import (
    HANDOFF_ROLE,
    NAME_ROLE,
    PHASE_ROLE,
    SLOT_ROLE,
    STATE_COLOURS,
    TILE,
    Phase,
    detail_line,
    elapsed_text,
    state_text,
)
from kitstation.ui.places import display_name
from kitstation.ui.qt import (
    QColor,
    QFont,
    QFontMetrics,
    QModelIndex,
    QObject,
    QPainter,
    QPainterPath,
    QPen,
    QPersistentModelIndex,
    QPixmap,
    QPoint,
    QRect,
    QRectF,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)


def _paint_icon(p: QPainter, state: SlotState, rect: QRect, colour: QColor) -> None:
    """A state icon drawn with shapes (no font glyph: no tofu, same look on every OS)."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawEllipse(rect)
    pen = QPen(QColor("white"), max(3.0, rect.width() / 9))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    r = QRectF(rect).adjusted(rect.width() * 0.27, rect.height() * 0.27, -rect.width() * 0.27, -rect.height() * 0.27)
    if state in (SlotState.DONE, SlotState.WAITING_EXTERNAL):
        path = QPainterPath()
        path.moveTo(r.left(), r.center().y())
        path.lineTo(r.left() + r.width() * 0.38, r.bottom() - r.height() * 0.1)
        path.lineTo(r.right(), r.top() + r.height() * 0.1)
        p.drawPath(path)
    elif state in (SlotState.FAILED, SlotState.CANCELLED):
        p.drawLine(r.topLeft(), r.bottomRight())
        p.drawLine(r.topRight(), r.bottomLeft())
    elif state in (SlotState.WAITING_USER, SlotState.INTERRUPTED):
        cx = r.center().x()
        p.drawLine(QPoint(int(cx), int(r.top())), QPoint(int(cx), int(r.bottom() - r.height() * 0.32)))
        p.drawPoint(QPoint(int(cx), int(r.bottom())))
    elif state in (SlotState.WORKING, SlotState.IDENTIFYING):
        p.drawArc(r, 90 * 16, -270 * 16)
    else:
        p.drawLine(QPoint(int(r.left()), int(r.center().y())), QPoint(int(r.right()), int(r.center().y())))
    p.restore()


class TileDelegate(QStyledItemDelegate):
    """Paints one slot tile: readable at arm's length (large model name and state, bold colour)."""

    size = TILE

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return self.size

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # slot -> (what the tile showed, that view, its picture). A tile is repainted whenever Qt repaints
        # the area around it (a neighbour changed, a menu closed, a scroll); redrawing ~40 shapes
        # and texts each time costs the GUI thread a millisecond or two, a cached picture a blit.
        self._cache: dict[str, tuple[tuple[object, ...], SlotView, QPixmap]] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        view = index.data(SLOT_ROLE)
        if not isinstance(view, SlotView):
            return
        lang = current_language()
        phase = index.data(PHASE_ROLE)
        detail = detail_line(view, lang, phase if isinstance(phase, Phase) else None)
        handoff = index.data(HANDOFF_ROLE)
        name = index.data(NAME_ROLE)
        name = name if isinstance(name, str) else ""
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        size = option.rect.size()
        ratio = painter.device().devicePixelRatioF()
        # Everything the picture depends on; the view is immutable, so "the same object" is enough.
        key = (id(view), selected, size.width(), size.height(), ratio, lang, handoff, detail,
               elapsed_text(view), display_name(view.slot, view.label), option.font.key(), name)
        cached = self._cache.get(view.slot)
        if cached is None or cached[0] != key:
            picture = QPixmap(size * ratio)
            picture.setDevicePixelRatio(ratio)
            picture.fill(Qt.GlobalColor.transparent)
            p = QPainter(picture)
            try:
                self._paint_tile(p, QRect(QPoint(0, 0), size), option.font, view, lang, selected, handoff, detail,
                                 name)
            finally:
                p.end()
            # The entry holds the view itself, so its id (in the key) cannot be reused meanwhile.
            cached = (key, view, picture)
            self._cache[view.slot] = cached
        painter.drawPixmap(option.rect.topLeft(), cached[2])

    def forget(self) -> None:
        """Drop the cached pictures (the language changed, the window was rebuilt)."""
        self._cache.clear()

    def _paint_tile(
        self, p: QPainter, cell: QRect, font: QFont, view: SlotView, lang: Language, selected: bool,
        handoff: object, detail: str, name: str = "",
    ) -> None:
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRect(cell).adjusted(4, 4, -4, -4)
        colour = QColor(STATE_COLOURS[view.state])
        p.setPen(QPen(QColor("#202020") if selected else colour, 3 if selected else 2))
        p.setBrush(QColor("#dcebff") if selected else QColor("#ffffff"))  # a selection is seen from afar
        p.drawRoundedRect(rect, 8, 8)
        band = QRect(rect.left(), rect.top(), rect.width(), 34)
        path = QPainterPath()
        path.addRoundedRect(QRectF(band), 8, 8)
        p.fillPath(path, colour)
        # Square off the band's lower corners: the tile body continues below it.
        p.fillRect(QRect(band.left(), band.top() + 17, band.width(), band.height() - 17), colour)
        base = QFont(font)
        big = QFont(base)
        big.setPointSizeF(max(base.pointSizeF(), 9.0) * 1.25)
        big.setBold(True)
        p.setFont(big)
        p.setPen(QColor("white"))
        _paint_icon(p, view.state, QRect(band.left() + 6, band.top() + 4, 26, 26), colour.darker(140))
        state_rect = band.adjusted(38, 0, -8, 0)
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF(), 9.0) * 1.0)
        elapsed = elapsed_text(view)
        room = state_rect.width() - (QFontMetrics(small).horizontalAdvance(elapsed) + 10 if elapsed else 0)
        # The slot name shortened in the middle rather than drawn under the elapsed time.
        label = p.fontMetrics().elidedText(display_name(view.slot, view.label), Qt.TextElideMode.ElideMiddle, max(room, 20))
        p.drawText(state_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), label)
        p.setFont(small)
        p.drawText(state_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), elapsed)
        # Body: model, identity, state, progress, the one line that says what happens or what to do.
        x, w = rect.left() + 10, rect.width() - 20
        y = band.bottom() + 6
        d = view.device
        platform = "iOS" if view.platform == Platform.IOS else "Android"
        model = (d.marketing_name or d.model_id or "") if d else ""
        compact = rect.height() < 150  # a compact tile leaves the identity to the tooltip and Copy
        p.setPen(QColor("#111111"))
        p.setFont(big)
        fm = p.fontMetrics()
        # The name the station gave the device is what is written on its label: on a compact tile
        # it takes the model's line (no line is added, so the grid fits 1366×768 as before).
        head = name if compact and name else f"{platform}  {model}".strip()
        p.drawText(QRect(x, y, w, fm.height()), int(Qt.AlignmentFlag.AlignLeft),
                   fm.elidedText(head, Qt.TextElideMode.ElideRight, w))
        y += fm.height() + 2
        p.setFont(small)
        fm = p.fontMetrics()
        ident = ""
        if d is not None:
            ident = " · ".join(x for x in (d.serial, d.imei) if x) or d.key
        if not compact:
            if name:  # the name first, bold: the serial is on the box, the name on the label
                bold_name = QFont(small)
                bold_name.setBold(True)
                p.setFont(bold_name)
                p.setPen(QColor("#111111"))
                nfm = p.fontMetrics()
                shown = nfm.elidedText(name, Qt.TextElideMode.ElideRight, w)
                p.drawText(QRect(x, y, w, fm.height()), int(Qt.AlignmentFlag.AlignLeft), shown)
                used = nfm.horizontalAdvance(shown + "  ")
                p.setFont(small)
                x_ident, w_ident = x + used, max(0, w - used)
            else:
                x_ident, w_ident = x, w
            p.setPen(QColor("#333333"))
            p.drawText(QRect(x_ident, y, w_ident, fm.height()), int(Qt.AlignmentFlag.AlignLeft),
                       fm.elidedText(ident or view.connection_id, Qt.TextElideMode.ElideMiddle, w_ident))
            y += fm.height() + 2
        bold = QFont(small)
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(colour.darker(115))
        p.drawText(QRect(x, y, w, fm.height()), int(Qt.AlignmentFlag.AlignLeft),
                   fm.elidedText(" · ".join(t for t in (state_text(view.state), handoff) if isinstance(t, str) and t),
                                 Qt.TextElideMode.ElideRight, w))
        y += fm.height() + 4
        # Progress: steps done plus the running step's fraction.
        frac = 0.0
        if view.state in (SlotState.DONE, SlotState.WAITING_EXTERNAL):
            frac = 1.0
        elif view.step_total:
            frac = (view.step_index + (view.fraction or 0.0)) / view.step_total
        bar = QRect(x, y, w, 8)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#e3e6e8"))
        p.drawRoundedRect(bar, 4, 4)
        if frac > 0:
            p.setBrush(colour)
            p.drawRoundedRect(QRect(x, y, max(8, int(w * min(frac, 1.0))), 8), 4, 4)
        y += 12
        p.setFont(small)
        fm = p.fontMetrics()
        p.setPen(QColor("#c62828") if view.state == SlotState.FAILED else QColor("#222222"))
        line = detail
        # Only whole lines: shorten the reason to what fits (the tooltip and the timeline have it all).
        lines = max(1, (rect.bottom() - y - 2) // fm.lineSpacing())
        line = fm.elidedText(line, Qt.TextElideMode.ElideRight, int(w * lines * 0.92))
        p.drawText(QRect(x, y, w, lines * fm.lineSpacing()),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), line)
        p.restore()

"""The Japanese-capable font a PDF report is set in.

An *embedded* TrueType font is preferred: the PDF then looks the same on any viewer, and its
ToUnicode map lets ``pdftotext``/search/copy give back the Japanese text with no extra data.
reportlab cannot embed OpenType/CFF fonts (Noto Sans CJK, Hiragino), so the search looks for
TrueType-outline Japanese fonts (IPA/IPAex Gothic on Linux -- Debian ``fonts-ipafont-gothic`` /
``fonts-ipaexfont-gothic`` --, Meiryo / Yu Gothic / MS Gothic on Windows, Arial Unicode on macOS).
Without one, the report uses reportlab's built-in CID font HeiseiKakuGo-W5: not embedded (the viewer
supplies a Japanese font, as Acrobat and every Japanese system do), and text extraction from it needs
the Adobe-Japan1 maps (Debian ``poppler-data`` for ``pdftotext``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

CID_FONT = "HeiseiKakuGo-W5"
FONT_ENV = "KITSTATION_PDF_FONT"

# (path, subfont index in a .ttc). Order: the look we prefer, per system.
CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", 0),
    ("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf", 0),
    ("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf", 0),
    ("/usr/share/fonts/truetype/ipafont-gothic/ipag.ttf", 0),
    ("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf", 0),
    ("/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf", 0),
    ("/usr/share/fonts/truetype/vlgothic/VL-Gothic-Regular.ttf", 0),
    ("/usr/share/fonts/ipa-gothic/ipag.ttf", 0),  # Fedora
    ("C:/Windows/Fonts/meiryo.ttc", 0),
    ("C:/Windows/Fonts/YuGothM.ttc", 0),
    ("C:/Windows/Fonts/msgothic.ttc", 0),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
)


@dataclass(frozen=True, slots=True)
class ReportFont:
    name: str  # the name to set text in
    embedded: bool
    source: str  # file path, or the CID font's name


def _register_ttf(path: str, index: int = 0) -> ReportFont | None:
    name = f"KS-{Path(path).stem}-{index}"
    if name in pdfmetrics.getRegisteredFontNames():
        return ReportFont(name, True, path)
    try:
        font = TTFont(name, path, subfontIndex=index)
        # One font sets the whole report: it needs kana and kanji for the headings *and* Latin
        # letters and digits for serials (a CJK-only fallback font such as Droid Sans Fallback has none).
        if not all(ord(ch) in font.face.charToGlyph for ch in "あ日A0-"):
            return None
        pdfmetrics.registerFont(font)
    except (TTFError, OSError, KeyError, ValueError):
        return None
    return ReportFont(name, True, path)


def cid_font() -> ReportFont:
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return ReportFont(CID_FONT, False, CID_FONT)


def resolve_font(choice: str | None = None) -> ReportFont:
    """The font for a report: ``choice`` (a .ttf/.ttc path or "cid"), ``$KITSTATION_PDF_FONT``, a system font, CID.

    An explicit path that cannot be used is an error (``ValueError``); an automatic one is skipped.
    """
    choice = choice or os.environ.get(FONT_ENV) or None
    if choice:
        if choice.lower() == "cid":
            return cid_font()
        path, _, idx = choice.partition("#")  # "file.ttc#1" picks a face of a collection
        found = _register_ttf(path, int(idx or 0)) if Path(path).is_file() else None
        if found is None:
            raise ValueError(f"cannot use {choice!r} as the report font (a TrueType font with Japanese glyphs)")
        return found
    for path, index in CANDIDATES:
        if Path(path).is_file():
            found = _register_ttf(path, index)
            if found is not None:
                return found
    return cid_font()

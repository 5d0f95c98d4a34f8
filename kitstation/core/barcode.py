"""Box-label barcode parsing: IMEI (Luhn-checked), serial number and EAN-13, without any device library.

A factory-new Galaxy has USB debugging off, so the station learns its IMEI and serial from the
box label. A barcode scanner "types" each scan followed by Enter, so one scan is one line of
text. Labels and scanners vary, so a line may be:

* a bare 15-digit IMEI (``356830100708726``), possibly printed with spaces;
* labelled (``IMEI: 3568...``, ``IMEI1 3568...``, ``IMEI2:...``, ``S/N: R58M...``);
* both IMEIs of a dual-SIM label in one 2D code (``IMEI1:... IMEI2:...`` or 30 digits in a row);
* a Samsung serial (``R58M12345AB``: a letter, then letters and digits);
* the box's EAN-13/JAN product code (13 digits, its own check digit).

An IMEI is 15 digits whose last digit is the Luhn check digit of the first 14 (3GPP TS 23.003).
Anything that fails a check is rejected with a bilingual reason the technician can act on.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from kitstation.i18n import Text


class ScanKind(enum.StrEnum):
    IMEI = "imei"
    SERIAL = "serial"
    EAN = "ean"


@dataclass(frozen=True, slots=True)
class ScanValue:
    kind: ScanKind
    value: str


@dataclass(frozen=True, slots=True)
class ParsedScan:
    """One scanned line: the values read from it, or why it was rejected (``error``/``code``)."""

    raw: str
    values: tuple[ScanValue, ...] = ()
    error: Text | None = None
    code: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.values)

    def of(self, kind: ScanKind) -> tuple[str, ...]:
        return tuple(v.value for v in self.values if v.kind == kind)


class ScanError(ValueError):
    """A scan that cannot be accepted; ``reason`` is what the technician sees."""

    def __init__(self, reason: Text, code: str) -> None:
        super().__init__(reason.en)
        self.reason = reason
        self.code = code


# --- check digits ---------------------------------------------------------------------------------
def luhn_check_digit(body: str) -> str:
    """The Luhn check digit for a string of digits (for an IMEI: the first 14 digits)."""
    if not body.isdigit():
        raise ValueError("digits only")
    total = 0
    # Counting from the right of the body, every first digit is doubled (the check digit will
    # sit to its right, so it is "every second digit" of the full number).
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return len(number) >= 2 and number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]


def is_valid_imei(value: str) -> bool:
    return len(value) == 15 and luhn_valid(value)


def ean13_check_digit(body: str) -> str:
    """EAN-13 check digit of 12 digits: weights 1,3,1,3... from the left."""
    if len(body) != 12 or not body.isdigit():
        raise ValueError("12 digits")
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return str((10 - total % 10) % 10)


def is_valid_ean13(value: str) -> bool:
    return len(value) == 13 and value.isdigit() and ean13_check_digit(value[:12]) == value[12]


# --- parsing ----------------------------------------------------------------------------------------
# Labels printed before the numbers on box labels (and what some 2D codes contain).
_LABEL = re.compile(
    r"(?P<label>IMEI\s*/\s*MEID|IMEI\s*[12]?|MEID|S\s*/\s*N|SERIAL\s*(?:NO\.?|NUMBER)?|SN|EAN|JAN)\s*[:=#.]?\s*",
    re.IGNORECASE,
)
# A serial starts with a letter (Samsung: R58M12345AB, RF8N..., R3CN...); 8 to 14 characters.
_SERIAL = re.compile(r"^[A-Z][A-Z0-9]{7,13}$")
_SEPARATORS = re.compile(r"[,;|/\t]+")

_BAD_IMEI_CHECK = Text(
    "{v}: wrong IMEI check digit (expected {d}) - rescan the label or check the digits",
    "{v}: IMEI のチェックディジットが正しくありません（正しくは {d}）。ラベルを再スキャンするか数字を確認してください",
)
_BAD_EAN_CHECK = Text(
    "{v}: wrong EAN-13 check digit (expected {d}) - rescan the label",
    "{v}: EAN-13 のチェックディジットが正しくありません（正しくは {d}）。ラベルを再スキャンしてください",
)
_BAD_LENGTH = Text(
    "{v}: {n} digits - an IMEI has 15 digits (EAN-13: 13); rescan the IMEI barcode",
    "{v}: {n} 桁です。IMEI は 15 桁（EAN-13 は 13 桁）です。IMEI のバーコードを再スキャンしてください",
)
_IMEISV = Text(
    "{v}: 16 digits looks like an IMEISV (software version), not the IMEI - scan the barcode labelled IMEI",
    "{v}: 16 桁は IMEISV（ソフトウェアバージョン）で IMEI ではありません。「IMEI」と書かれたバーコードをスキャンしてください",
)
_LETTERS = Text(
    "{v}: an IMEI has digits only - rescan the IMEI barcode",
    "{v}: IMEI は数字のみです。IMEI のバーコードを再スキャンしてください",
)
_UNKNOWN = Text(
    "{v}: not an IMEI, a serial number or an EAN-13 - scan the IMEI or S/N barcode",
    "{v}: IMEI・シリアル番号・EAN-13 のいずれでもありません。IMEI または S/N のバーコードをスキャンしてください",
)
_EMPTY = Text("Empty scan", "スキャン内容が空です")


def _classify_number(digits: str, labelled_imei: bool) -> list[ScanValue]:
    n = len(digits)
    if n == 15:
        if not is_valid_imei(digits):
            raise ScanError(_BAD_IMEI_CHECK.format(v=digits, d=luhn_check_digit(digits[:14])), "imei_check_digit")
        return [ScanValue(ScanKind.IMEI, digits)]
    if n == 30:  # both IMEIs of a dual-SIM label printed or encoded back to back
        return _classify_number(digits[:15], True) + _classify_number(digits[15:], True)
    if n == 13 and not labelled_imei:
        if not is_valid_ean13(digits):
            raise ScanError(_BAD_EAN_CHECK.format(v=digits, d=ean13_check_digit(digits[:12])), "ean_check_digit")
        return [ScanValue(ScanKind.EAN, digits)]
    if n == 16:
        raise ScanError(_IMEISV.format(v=digits), "imeisv")
    raise ScanError(_BAD_LENGTH.format(v=digits, n=n), "imei_length")


def _classify_token(token: str, label: str) -> list[ScanValue]:
    imei_label = label.startswith("IMEI") or label == "MEID"
    compact = re.sub(r"[\s\-]", "", token)
    if not compact:
        return []
    if compact.isdigit():
        return _classify_number(compact, imei_label)
    if imei_label or (compact[0].isdigit() and sum(c.isdigit() for c in compact) >= 12):
        # Digits mixed with letters where an IMEI is expected (a misread, or a typo at the keyboard).
        raise ScanError(_LETTERS.format(v=compact), "imei_letters")
    if _SERIAL.match(compact) and sum(c.isdigit() for c in compact) >= 2:
        return [ScanValue(ScanKind.SERIAL, compact)]
    raise ScanError(_UNKNOWN.format(v=compact), "unrecognised")


def _segments(text: str) -> list[tuple[str, str]]:
    """Split a line at its labels: [(label, text after it)]; text before any label has label ''."""
    out: list[tuple[str, str]] = []
    pos = 0
    label = ""
    for m in _LABEL.finditer(text):
        # A label must start a word: "R58MSN12" must not be split at "SN".
        if m.start() > 0 and text[m.start() - 1].isalnum():
            continue
        out.append((label, text[pos : m.start()]))
        label = re.sub(r"\s+", "", m.group("label").upper())
        pos = m.end()
    out.append((label, text[pos:]))
    return [(lab, seg) for lab, seg in out if seg.strip()]


def parse_scan(raw: str) -> ParsedScan:
    """Parse one scanned line. Never raises: a rejected scan has ``error`` and ``code`` set."""
    text = raw.strip().upper()
    if not text:
        return ParsedScan(raw, error=_EMPTY, code="empty")
    values: list[ScanValue] = []
    try:
        for label, segment in _segments(text):
            for part in _SEPARATORS.split(segment):
                part = part.strip()
                if not part:
                    continue
                if re.fullmatch(r"[\d\s\-]+", part):
                    # Digits with spaces: one number printed in groups (35 683010 070872 6),
                    # or several numbers in a row; grouping decides by the total length.
                    values += _classify_token(part, label)
                else:
                    for token in part.split():
                        values += _classify_token(token, label)
    except ScanError as exc:
        return ParsedScan(raw, error=exc.reason, code=exc.code)
    if not values:
        return ParsedScan(raw, error=_UNKNOWN.format(v=text), code="unrecognised")
    unique: list[ScanValue] = []
    for v in values:
        if v not in unique:  # both IMEIs the same on a mis-printed label: keep one
            unique.append(v)
    return ParsedScan(raw, tuple(unique))


__all__ = [
    "ParsedScan",
    "ScanError",
    "ScanKind",
    "ScanValue",
    "ean13_check_digit",
    "is_valid_ean13",
    "is_valid_imei",
    "luhn_check_digit",
    "luhn_valid",
    "parse_scan",
]

"""Matching a scanned box label to a phone on the bench, with the identities real Galaxies expose.

A box label carries the IMEI(s) and the serial number (S/N). What adb shows of a phone varies:

* the IMEI is readable over adb only up to Android 9; Android 10+ refuses it to the shell
  (``service call iphonesubinfo``: "does not meet the requirements to access device identifiers");
* Samsung keeps the label's S/N in ``ril.serialnumber``, which is empty on some models (Galaxy S8,
  S20, S22, S23 among those reported), while ``ro.serialno`` (the adb serial) usually equals it;
* some tablets have an ``ro.serialno`` that differs from the S/N on the box.

So a phone matches a box by IMEI where adb gave one, else by any serial property the phone
exposes (``facts["serials"]``, filled by the Android adapter). When nothing matches, the result
says so plainly, with what the technician can do: scan the phone's IMEI from its box, or from the
screen that ``*#06#`` shows. Pure logic: the log's lookups feed it the scanned labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kitstation.core.barcode import ParsedScan, ScanKind
from kitstation.domain.model import Device
from kitstation.i18n import Text

if TYPE_CHECKING:
    from kitstation.core.runlog import RunLog

# The system properties that may hold a Galaxy's serial number, in the order Samsung's tools use.
SERIAL_PROPERTIES = ("ril.serialnumber", "ro.serialno", "ro.boot.serialno", "sys.serialnumber")

MatchBy = Literal["imei", "serial"]


@dataclass(frozen=True, slots=True)
class BoxLabel:
    """One scanned box: its S/N and IMEIs (either may be missing), and the row it is filed under."""

    serial: str | None
    imeis: tuple[str, ...] = ()
    ref: int | None = None  # the log's device row id for this box, when it has one

    @classmethod
    def from_scans(cls, scans: Sequence[ParsedScan], ref: int | None = None) -> BoxLabel:
        """One box from the lines scanned off its label (IMEI 1, IMEI 2, S/N, EAN...)."""
        serials = [v for s in scans for v in s.of(ScanKind.SERIAL)]
        imeis = list(dict.fromkeys(v for s in scans for v in s.of(ScanKind.IMEI)))
        return cls(serials[0] if serials else None, tuple(imeis), ref)


@dataclass(frozen=True, slots=True)
class PhoneIds:
    """What adb showed of one phone: IMEIs (may be none) and every serial property value."""

    imeis: tuple[str, ...]
    serials: Mapping[str, str]  # property -> value, non-empty values only
    imei_hidden: bool  # Android 10+: the phone has IMEIs, adb may not read them

    @classmethod
    def of(cls, device: Device) -> PhoneIds:
        raw = device.facts.get("serials")
        serials: dict[str, str] = {}
        if isinstance(raw, Mapping):
            serials = {str(k): str(v) for k, v in raw.items() if v}
        else:
            # A device identified before the adapter recorded every property: key and serial.
            serials = {"ro.serialno": device.key}
            if device.serial and device.serial != device.key:
                serials["ril.serialnumber"] = device.serial
        return cls(device.imeis, serials, device.facts.get("imei_source") == "hidden")


@dataclass(frozen=True, slots=True)
class BoxMatch:
    """The box a phone belongs to, or why none could be chosen."""

    box: BoxLabel | None
    by: MatchBy | None
    code: str  # matched_imei | matched_serial | no_box | ambiguous
    reason: Text
    prop: str | None = None  # the serial property that matched


_NO_BOX = Text(
    "No scanned box matches this phone ({seen}){why}. Scan its IMEI from the box label, or dial *#06# on the"
    " phone and scan or type the IMEI it shows.",
    "この端末に一致するスキャン済みの箱がありません（{seen}）{why_ja}。箱のラベルの IMEI をスキャンするか、端末で"
    " *#06# をダイヤルして表示された IMEI をスキャンまたは入力してください。",
)
_WHY_HIDDEN = Text(
    ": Android 10 and later do not give the IMEI to adb, and no serial it shows is on a scanned label",
    "。Android 10 以降は adb に IMEI を渡さず、端末が示すシリアルはどのラベルにもありません",
)
_WHY_SERIAL = Text(
    ": none of the serials it shows is on a scanned label",
    "。端末が示すシリアルはどのラベルにもありません",
)
_AMBIGUOUS = Text(
    "This phone matches several scanned boxes ({boxes}): rescan the right box, or its IMEI from *#06#.",
    "この端末は複数のスキャン済みの箱に一致します（{boxes}）: 正しい箱をスキャンし直すか、*#06# の IMEI をスキャンしてください。",
)


def _seen(phone: PhoneIds) -> str:
    parts = [f"IMEI {', '.join(phone.imeis)}"] if phone.imeis else ["IMEI not readable over adb"]
    parts += [f"{prop} {value}" for prop, value in phone.serials.items()]
    if "ril.serialnumber" not in phone.serials:
        parts.append("ril.serialnumber empty")
    return "; ".join(parts)


def _unique(found: list[BoxLabel]) -> list[BoxLabel]:
    out: list[BoxLabel] = []
    for box in found:
        if box not in out:
            out.append(box)
    return out


def match_box(phone: PhoneIds, boxes: Sequence[BoxLabel]) -> BoxMatch:
    """The scanned box of ``phone``: by IMEI where adb read one, else by any of its serials."""
    if phone.imeis:
        by_imei = _unique([b for b in boxes if set(b.imeis) & set(phone.imeis)])
        if len(by_imei) == 1:
            return BoxMatch(by_imei[0], "imei", "matched_imei", Text("Matched by IMEI", "IMEI で一致しました"))
        if len(by_imei) > 1:
            return _ambiguous(by_imei)
    hits: list[tuple[BoxLabel, str]] = []
    for prop, value in phone.serials.items():
        for box in boxes:
            if box.serial and box.serial.upper() == value.upper() and all(box != h[0] for h in hits):
                hits.append((box, prop))
    if len(hits) == 1:
        box, prop = hits[0]
        return BoxMatch(
            box,
            "serial",
            "matched_serial",
            Text("Matched by serial ({p})", "シリアル（{p}）で一致しました").format(p=prop),
            prop,
        )
    if len(hits) > 1:
        return _ambiguous([h[0] for h in hits])
    why = _WHY_HIDDEN if phone.imei_hidden and not phone.imeis else _WHY_SERIAL
    return BoxMatch(None, None, "no_box", _NO_BOX.format(seen=_seen(phone), why=why.en, why_ja=why.ja))


def _ambiguous(found: list[BoxLabel]) -> BoxMatch:
    boxes = ", ".join(b.serial or (b.imeis[0] if b.imeis else "?") for b in found)
    return BoxMatch(None, None, "ambiguous", _AMBIGUOUS.format(boxes=boxes))


async def join_scanned_box(log: RunLog, device: Device) -> BoxMatch | None:
    """Join an adb-identified phone with its scanned box in the log, chosen by :func:`match_box`.

    The log offers the box rows that share an IMEI or a serial with the phone; the match picks
    one (IMEI first, else any serial property) and the log makes it the phone's row. Returns the
    match, or ``None`` when no box concerns this phone and no scanned box waits for a phone (a
    bench used without intake: nothing to tell the technician).
    """
    phone = PhoneIds.of(device)
    keys = list(dict.fromkeys([device.key, *([device.serial] if device.serial else []), *phone.serials.values()]))
    rows, open_box = await log.intake_boxes(keys, device.imeis)
    boxes = [
        BoxLabel(r.get("serial"), tuple(v for v in (r.get("imei"), r.get("imei2")) if v), int(r["id"]))
        for r in rows
        if r.get("scanned")
    ]
    if not boxes:
        if rows:  # only the phone's own row, from an earlier identification: nothing to join
            return None
        return match_box(phone, boxes) if open_box else None
    found = match_box(phone, boxes)
    if found.box is not None and found.box.ref is not None:
        await log.join_box(device, found.box.ref)
    return found

"""Barcode-scanner intake: box labels scanned into the kitting log, before (or without) adb.

A scanner types like a keyboard, one scan per line. Each accepted scan is recorded in the log
(``intake_scan``) and attached to a device row: the device's key is its serial when the label
gave one, else its (first) IMEI -- the same key the adb adapter uses (``ro.serialno``), so a box
scanned with its S/N and later plugged in with USB debugging on is one device.

When only IMEIs were scanned, the device's row is keyed by IMEI. Once adb identifies it, the
bench joins the phone with its box (:func:`kitstation.core.boxmatch.join_scanned_box`: by IMEI
where adb read one, else by any serial property the phone shows): that row is re-keyed to the
phone's ``ro.serialno``, or merged into the phone's row when both exist, so the log keeps one
device with its scans and runs; a phone no box matches is told on its slot (scan its IMEI from the
box or ``*#06#``). Every lookup and merge is the log's (``KitLog.register_box_device``,
``intake_boxes``, ``join_box``); this module only decides what a scanned line means.

Two ways to group scans into devices:

* default: every line is one device (a line may carry both IMEIs and the S/N of a 2D code);
* ``box_mode``: consecutive lines belong to the same box (IMEI1, IMEI2, S/N, EAN barcodes of one
  label) until :meth:`IntakeSession.end_box` (a blank line in the CLI) or until a value that the
  current box already has (a second serial, a third IMEI) starts the next box.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kitstation.core.barcode import ParsedScan, ScanKind, ScanValue, parse_scan
from kitstation.i18n import Text
from kitstation.log import KitLog

ACCEPTED = Text("Accepted: {what}", "登録しました: {what}")
DUPLICATE = Text("Already scanned in this batch: {what}", "このバッチでスキャン済みです: {what}")
KNOWN = Text("Accepted: {what} (device already in the log)", "登録しました: {what}（ログに登録済みの端末）")
EAN_ONLY = Text(
    "Product code {ean} recorded - it does not identify the phone: scan its IMEI or S/N too",
    "製品コード {ean} を記録しました。端末の識別にはなりません: IMEI または S/N もスキャンしてください",
)


@dataclass(frozen=True, slots=True)
class IntakeOutcome:
    """What became of one scanned line."""

    raw: str
    accepted: bool
    values: tuple[ScanValue, ...]
    reason: Text
    code: str
    device_id: int | None = None
    device_key: str | None = None
    duplicate: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "accepted": self.accepted,
            "duplicate": self.duplicate,
            "code": self.code,
            "values": [{"kind": v.kind.value, "value": v.value} for v in self.values],
            "device_id": self.device_id,
            "device_key": self.device_key,
            "reason_en": self.reason.en,
            "reason_ja": self.reason.ja,
        }


@dataclass
class _Box:
    serial: str | None = None
    imeis: list[str] = field(default_factory=list)
    ean: str | None = None
    device_id: int | None = None

    def fits(self, values: tuple[ScanValue, ...]) -> bool:
        serials = [v.value for v in values if v.kind == ScanKind.SERIAL]
        imeis = [v.value for v in values if v.kind == ScanKind.IMEI and v.value not in self.imeis]
        eans = [v.value for v in values if v.kind == ScanKind.EAN]
        if serials and self.serial and serials[0] != self.serial:
            return False
        if len(self.imeis) + len(imeis) > 2:
            return False
        return not (eans and self.ean and eans[0] != self.ean)


def _describe(values: tuple[ScanValue, ...]) -> str:
    return ", ".join(f"{v.kind.value.upper()} {v.value}" for v in values)


class IntakeSession:
    """Scans for one batch (bench session) at one station, recorded in the log as they come."""

    def __init__(
        self,
        kitlog: KitLog,
        session_id: int | None = None,
        *,
        box_mode: bool = False,
        mark_state: str | None = None,
    ) -> None:
        """``mark_state``: hand-off state for every device scanned (``"kme_registered"`` for a KME
        batch: its IMEIs go to the KME upload list); a device already further on keeps its state.
        """
        self.kitlog = kitlog
        self.session_id = session_id
        self.box_mode = box_mode
        self.mark_state = mark_state
        self._seen: set[ScanValue] = set()
        self._box: _Box | None = None
        self.outcomes: list[IntakeOutcome] = []

    @property
    def rejected(self) -> list[IntakeOutcome]:
        return [o for o in self.outcomes if not o.accepted]

    def end_box(self) -> None:
        """The current box is complete; the next scan starts a new device (box mode)."""
        self._box = None

    def scan(self, raw: str) -> IntakeOutcome:
        parsed = parse_scan(raw)
        outcome = self._accept(parsed)
        self.outcomes.append(outcome)
        return outcome

    def _accept(self, parsed: ParsedScan) -> IntakeOutcome:
        if not parsed.ok:
            assert parsed.error is not None
            return IntakeOutcome(parsed.raw, False, parsed.values, parsed.error, parsed.code or "rejected")
        new = tuple(v for v in parsed.values if v not in self._seen)
        if not new:
            return IntakeOutcome(
                parsed.raw,
                True,
                parsed.values,
                DUPLICATE.format(what=_describe(parsed.values)),
                "duplicate",
                duplicate=True,
            )
        identifying = tuple(v for v in new if v.kind != ScanKind.EAN)
        if self.box_mode:
            if self._box is None or not self._box.fits(new):
                self._box = _Box()
            box = self._box
        else:
            box = _Box()
        for v in new:
            if v.kind == ScanKind.SERIAL:
                box.serial = v.value
            elif v.kind == ScanKind.IMEI and v.value not in box.imeis:
                box.imeis.append(v.value)
            elif v.kind == ScanKind.EAN:
                box.ean = v.value
        self._seen.update(new)

        device_id: int | None = box.device_id
        key: str | None = None
        known = False
        if box.serial or box.imeis:
            device_id, key, known = self.kitlog.register_box_device(box.serial, tuple(box.imeis))
            box.device_id = device_id
            if self.mark_state:
                self.kitlog.mark_external_state(device_id, self.mark_state)
        for v in new:
            self.kitlog.record_scan(
                v.kind.value, v.value, parsed.raw.strip()[:512], session_id=self.session_id, device_id=device_id
            )
        if not identifying and device_id is None:
            ean = next(v.value for v in new if v.kind == ScanKind.EAN)
            return IntakeOutcome(parsed.raw, True, new, EAN_ONLY.format(ean=ean), "ean_only")
        text = (KNOWN if known else ACCEPTED).format(what=_describe(new))
        return IntakeOutcome(parsed.raw, True, new, text, "accepted", device_id, key)


__all__ = ["IntakeOutcome", "IntakeSession"]

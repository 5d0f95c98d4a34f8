"""Barcode-scanner intake: box labels scanned into the kitting log, before (or without) adb.

A scanner types like a keyboard, one scan per line. Each accepted scan is recorded in the log
(``intake_scan``) and attached to a device row: the device's key is its serial when the label
gave one, else its (first) IMEI -- the same key the adb adapter uses (``ro.serialno``), so a box
scanned with its S/N and later plugged in with USB debugging on is one device.

When only IMEIs were scanned, the device's row is keyed by IMEI. Once adb identifies it (serial
known, IMEI read where Android allows it), :func:`reconcile_device` re-keys that row to the
serial, or merges it into the serial's row when both exist, so the log keeps one device with its
scans and runs. The log's own API (``KitLog``) has no lookup by IMEI, so the queries here use
SQLAlchemy Core on the log's tables.

Two ways to group scans into devices:

* default: every line is one device (a line may carry both IMEIs and the S/N of a 2D code);
* ``box_mode``: consecutive lines belong to the same box (IMEI1, IMEI2, S/N, EAN barcodes of one
  label) until :meth:`IntakeSession.end_box` (a blank line in the CLI) or until a value that the
  current box already has (a second serial, a third IMEI) starts the next box.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.engine import Connection

from kitstation.core.barcode import ParsedScan, ScanKind, ScanValue, parse_scan
from kitstation.domain.handoff import HANDOFF_ORDER
from kitstation.domain.model import Device, Platform
from kitstation.i18n import Text
from kitstation.log.schema import DeviceRecord, IntakeScan, RunRecord
from kitstation.log.store import KitLog

device_t = DeviceRecord.__table__  # type: ignore[attr-defined]
scan_t = IntakeScan.__table__  # type: ignore[attr-defined]
run_t = RunRecord.__table__  # type: ignore[attr-defined]

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
            device_id, key, known = register_box_device(self.kitlog, box.serial, tuple(box.imeis))
            box.device_id = device_id
            if self.mark_state and not self.kitlog.device_row(device_id)["external_state"]:
                self.kitlog.set_external_state(device_id, self.mark_state)
        for v in new:
            self.kitlog.record_scan(
                v.kind.value, v.value, parsed.raw.strip()[:512], session_id=self.session_id, device_id=device_id
            )
        if not identifying and device_id is None:
            ean = next(v.value for v in new if v.kind == ScanKind.EAN)
            return IntakeOutcome(parsed.raw, True, new, EAN_ONLY.format(ean=ean), "ean_only")
        text = (KNOWN if known else ACCEPTED).format(what=_describe(new))
        return IntakeOutcome(parsed.raw, True, new, text, "accepted", device_id, key)


# --- the log side (SQLAlchemy Core on the log's tables) ----------------------------------------------
def find_android_device(
    kitlog: KitLog, *, serial: str | None = None, imeis: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """Android device rows matching a serial (key or serial column) or any of the IMEIs."""
    conds = []
    if serial:
        conds += [device_t.c.key == serial, device_t.c.serial == serial]
    for imei in imeis:
        conds += [device_t.c.key == imei, device_t.c.imei == imei, device_t.c.imei2 == imei]
    if not conds:
        return []
    stmt = (
        select(device_t).where(and_(device_t.c.platform == Platform.ANDROID.value, or_(*conds))).order_by(device_t.c.id)
    )
    with kitlog.engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


def _merged_imeis(rows: list[dict[str, Any]], imeis: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for value in [*(x for r in rows for x in (r.get("imei"), r.get("imei2"))), *imeis]:
        if value and value not in out:
            out.append(value)
    return tuple(out[:2])


def _merge_into(conn: Connection, keep_id: int, drop_id: int) -> None:
    """Move a duplicate device row's scans and runs to ``keep_id`` and delete it."""
    conn.execute(update(scan_t).where(scan_t.c.device_id == drop_id).values(device_id=keep_id))
    conn.execute(update(run_t).where(run_t.c.device_id == drop_id).values(device_id=keep_id))
    dropped = conn.execute(select(device_t).where(device_t.c.id == drop_id)).mappings().first()
    kept = conn.execute(select(device_t).where(device_t.c.id == keep_id)).mappings().first()
    conn.execute(delete(device_t).where(device_t.c.id == drop_id))
    if dropped is not None and kept is not None:
        # Keep the furthest hand-off state known (kme_registered from intake, enrolled from adb).
        order = [state.value for state in HANDOFF_ORDER]
        states = [kept["external_state"] or "", dropped["external_state"] or ""]
        best = max(states, key=lambda s: order.index(s) if s in order else 0)
        fill = {
            col: dropped[col]
            for col in ("serial", "model_id", "marketing_name", "os_version")
            if kept[col] is None and dropped[col] is not None
        }
        conn.execute(update(device_t).where(device_t.c.id == keep_id).values(external_state=best, **fill))


def _unify(kitlog: KitLog, rows: list[dict[str, Any]], key: str) -> int | None:
    """Make the rows one device keyed ``key``: re-key one, merge the others into it."""
    if not rows:
        return None
    target = next((r for r in rows if r["key"] == key), None)
    with kitlog.engine.begin() as conn:
        if target is None:
            target = rows[0]
            conn.execute(update(device_t).where(device_t.c.id == target["id"]).values(key=key))
        for r in rows:
            if r["id"] != target["id"]:
                _merge_into(conn, int(target["id"]), int(r["id"]))
    return int(target["id"])


def register_box_device(kitlog: KitLog, serial: str | None, imeis: tuple[str, ...]) -> tuple[int, str, bool]:
    """The device row for a box label (created or found and completed); (id, key, already known)."""
    rows = find_android_device(kitlog, serial=serial, imeis=imeis)
    all_imeis = _merged_imeis(rows, imeis)
    known_serial = serial or next((r["serial"] for r in rows if r.get("serial")), None)
    key = known_serial or next((r["key"] for r in rows), None) or all_imeis[0]
    _unify(kitlog, rows, key)
    device = Device(Platform.ANDROID, key=key, serial=known_serial, imeis=all_imeis)
    return kitlog.upsert_device(device), key, bool(rows)


def reconcile_device(kitlog: KitLog, device: Device) -> int | None:
    """Join an adb-identified device with what intake recorded of it (same IMEI or serial).

    Call before the pipeline upserts ``device``: rows filed under its IMEI become the row keyed
    by its serial (``device.key``). Returns the device's row id, or ``None`` when intake knew
    nothing of it. The device's IMEIs are completed from the intake's (Android 10+ hides them
    from adb), so the log and the KME export have them.
    """
    if device.platform != Platform.ANDROID:
        return None
    rows = find_android_device(kitlog, serial=device.key, imeis=device.imeis)
    if device.serial and device.serial != device.key:
        # Samsung: the box's serial (ril.serialnumber) may differ from ro.serialno (the key).
        seen = {r["id"] for r in rows}
        rows += [r for r in find_android_device(kitlog, serial=device.serial) if r["id"] not in seen]
    if not rows:
        return None
    device.imeis = _merged_imeis(rows, device.imeis)
    _unify(kitlog, rows, device.key)
    return kitlog.upsert_device(device)


__all__ = [
    "IntakeOutcome",
    "IntakeSession",
    "find_android_device",
    "reconcile_device",
    "register_box_device",
]

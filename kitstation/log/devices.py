"""Device rows: upsert, hand-off state, and joining what barcode intake and adb know of one phone.

A box label scanned at intake files the device under its serial when the label gave one, else
its (first) IMEI. Once adb identifies the phone (serial known, IMEI read where Android allows it),
:meth:`DeviceWrites.join_box` (the box chosen by ``kitstation.core.boxmatch`` among the rows
:meth:`Reads.intake_boxes` offers; the bench's way) or :meth:`DeviceWrites.reconcile_device` (by
key, box serial or IMEI alone) re-keys that row to the phone's key, or merges it into the phone's
row when both exist, so the log keeps one device with its scans and runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from kitstation.domain.handoff import HANDOFF_ORDER
from kitstation.domain.model import Device, Platform
from kitstation.log.queries import Reads, Row
from kitstation.log.tables import device_t, now, pk, run_t, scan_t


def merged_imeis(rows: Sequence[Row], imeis: Sequence[str]) -> tuple[str, ...]:
    """The rows' IMEIs then the new ones, without repeats, at most two (a phone has two slots)."""
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


# Built once, as the step writes in writes.py are (issue 18): every run's start looks its device
# up, and each statement built anew cost SQLAlchemy more CPU than SQLite's own work. An update's
# SET clause is the parameters' columns.
_FIND_DEVICE = select(device_t.c.id).where(
    and_(device_t.c.platform == bindparam("b_platform"), device_t.c.key == bindparam("b_key"))
)
_UPDATE_DEVICE = update(device_t).where(device_t.c.id == bindparam("b_id"))
_INSERT_DEVICE = insert(device_t)


def upsert_in(conn: Connection, device: Device) -> int:
    """The device's row in ``conn``'s transaction, updated or created (IntegrityError: raced)."""
    values: dict[str, Any] = {
        "udid": device.udid,
        "serial": device.serial,
        "imei": device.imeis[0] if device.imeis else None,
        "imei2": device.imeis[1] if len(device.imeis) > 1 else None,
        "ecid": device.ecid,
        "model_id": device.model_id,
        "marketing_name": device.marketing_name,
        "os_version": device.os_version,
        "last_seen": now(),
    }
    # Keep what we knew when a later source knows less (a box scan has no OS version).
    values = {k: v for k, v in values.items() if v is not None}
    found = conn.execute(_FIND_DEVICE, {"b_platform": device.platform.value, "b_key": device.key}).scalar()
    if found is not None:
        conn.execute(_UPDATE_DEVICE, {"b_id": found, **values})
        return int(found)
    res = conn.execute(
        _INSERT_DEVICE,
        {"platform": device.platform.value, "key": device.key, "first_seen": now(), "external_state": "", **values},
    )
    return pk(res)


def set_state_in(conn: Connection, device_id: int, state: str) -> None:
    conn.execute(_UPDATE_DEVICE, {"b_id": device_id, "external_state": state})


class DeviceWrites(Reads):
    """Device rows (mixed into :class:`kitstation.log.KitLog`)."""

    def upsert_device(self, device: Device) -> int:
        try:
            with self.engine.begin() as conn:
                return upsert_in(conn, device)
        except IntegrityError:  # another station inserted it meanwhile: now it is found
            with self.engine.begin() as conn:
                return upsert_in(conn, device)

    def set_external_state(self, device_id: int, state: str) -> None:
        with self.engine.begin() as conn:
            set_state_in(conn, device_id, state)

    def mark_external_state(self, device_id: int, state: str) -> None:
        """Set a hand-off state on a device that has none yet (one further on keeps its own)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(device_t)
                .where(and_(device_t.c.id == device_id, device_t.c.external_state == ""))
                .values(external_state=state)
            )

    def _unify(self, rows: Sequence[Row], key: str) -> int | None:
        """Make the rows one device keyed ``key``: re-key one, merge the others into it."""
        if not rows:
            return None
        target = next((r for r in rows if r["key"] == key), None)
        with self.engine.begin() as conn:
            if target is None:
                target = rows[0]
                conn.execute(update(device_t).where(device_t.c.id == target["id"]).values(key=key))
            for r in rows:
                if r["id"] != target["id"]:
                    _merge_into(conn, int(target["id"]), int(r["id"]))
        return int(target["id"])

    def register_box_device(self, serial: str | None, imeis: Sequence[str]) -> tuple[int, str, bool]:
        """The device row for a box label (created or found and completed); (id, key, already known)."""
        rows = self.find_android_devices(serial=serial, imeis=imeis)
        all_imeis = merged_imeis(rows, imeis)
        known_serial = serial or next((r["serial"] for r in rows if r.get("serial")), None)
        key = known_serial or next((r["key"] for r in rows), None) or all_imeis[0]
        self._unify(rows, key)
        device = Device(Platform.ANDROID, key=key, serial=known_serial, imeis=all_imeis)
        return self.upsert_device(device), key, bool(rows)

    def reconcile_device(self, device: Device) -> int | None:
        """Join an adb-identified device with what intake recorded of it (same IMEI or serial).

        Call before the pipeline upserts ``device``: rows filed under its IMEI become the row keyed
        by its serial (``device.key``). Returns the device's row id, or ``None`` when intake knew
        nothing of it. The device's IMEIs are completed from the intake's (Android 10+ hides them
        from adb), so the log and the KME export have them.
        """
        if device.platform != Platform.ANDROID:
            return None
        rows = self.find_android_devices(serial=device.key, imeis=device.imeis)
        if device.serial and device.serial != device.key:
            # Samsung: the box's serial (ril.serialnumber) may differ from ro.serialno (the key).
            seen = {r["id"] for r in rows}
            rows += [r for r in self.find_android_devices(serial=device.serial) if r["id"] not in seen]
        if not rows:
            return None
        device.imeis = merged_imeis(rows, device.imeis)
        self._unify(rows, device.key)
        return self.upsert_device(device)

    def join_box(self, device: Device, box_id: int) -> int:
        """Make the scanned box row ``box_id`` this adb-identified phone's row (with its own, if any).

        The box's scans and runs stay with the phone; its IMEIs complete the phone's (Android 10+
        hides them from adb). Returns the phone's row id.
        """
        rows = self._rows(
            select(device_t).where(
                and_(
                    device_t.c.platform == Platform.ANDROID.value,
                    (device_t.c.id == box_id) | (device_t.c.key == device.key),
                )
            )
        )
        device.imeis = merged_imeis(rows, device.imeis)
        self._unify(rows, device.key)
        return self.upsert_device(device)

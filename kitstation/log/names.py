"""Device names in the log: each device's running number in its batch, the names, the label rows.

A batch's numbers live in ``device_number``: :meth:`NameWrites.assign_number` gives a device the
number it already has in the batch, or the next free one, under two unique constraints, so a
re-run, a replug or a restart (a new session of the same order) finds the same number and two
devices -- on two stations of one PostgreSQL log too -- never share one. What a run left on the
device (its name read back, the battery level at hand-over) is copied from its steps' details onto
the run by :func:`run_facts` when the step ends, in the same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from kitstation.log.tables import device_t, now, number_t, run_t, session_t

Row = dict[str, Any]

# The step-detail keys the log keeps on the run (the rename steps', the battery gates').
NAME_KEY = "device_name"
BATTERY_KEY = "battery_percent"
_ASSIGN_ATTEMPTS = 50  # each failed attempt is another station having taken a number: progress


def run_facts(detail: dict[str, Any] | None) -> dict[str, Any]:
    """The run columns a step's detail sets (``device_name``, ``battery_percent``), if any."""
    if not detail:
        return {}
    facts: dict[str, Any] = {}
    name = detail.get(NAME_KEY)
    if isinstance(name, str) and name:
        facts["device_name"] = name[:200]
    level = detail.get(BATTERY_KEY)
    if isinstance(level, int) and not isinstance(level, bool) and 0 <= level <= 100:
        facts["battery_percent"] = level
    return facts


def _batch(conn: Connection, session_id: int | None) -> str:
    """The numbering scope of a session: its order reference, else its label, else itself."""
    if session_id is None:
        return "station"
    sess = conn.execute(select(session_t.c.order_ref, session_t.c.label).where(session_t.c.id == session_id)).first()
    if sess is not None and sess.order_ref:
        return f"order:{sess.order_ref}"
    if sess is not None and sess.label:
        return f"label:{sess.label}"
    return f"session:{session_id}"


class NameWrites:
    """The log's device-name API (mixed into :class:`kitstation.log.KitLog`)."""

    engine: Engine

    def batch_key(self, session_id: int | None) -> str:
        with self.engine.connect() as conn:
            return _batch(conn, session_id)

    def assign_number(self, session_id: int | None, device_id: int, start: int) -> int:
        """The device's running number in the session's batch: the one it has, else the next free."""
        for _attempt in range(_ASSIGN_ATTEMPTS):
            try:
                with self.engine.begin() as conn:
                    batch = _batch(conn, session_id)
                    mine = conn.execute(
                        select(number_t.c.id, number_t.c.number).where(
                            and_(number_t.c.batch == batch, number_t.c.device_id == device_id)
                        )
                    ).first()
                    if mine is not None and mine.number is not None:
                        return int(mine.number)
                    top = conn.execute(select(func.max(number_t.c.number)).where(number_t.c.batch == batch)).scalar()
                    number = max(start, int(top) + 1) if top is not None else start
                    if mine is not None:
                        conn.execute(update(number_t).where(number_t.c.id == mine.id).values(number=number))
                    else:
                        conn.execute(
                            insert(number_t).values(
                                batch=batch,
                                device_id=device_id,
                                number=number,
                                name="",
                                session_id=session_id,
                                assigned_at=now(),
                            )
                        )
                    return number
            except IntegrityError:
                continue  # another station took that number (or this device's row) just now: look again
        raise RuntimeError(f"no running number could be assigned in {_ASSIGN_ATTEMPTS} attempts")

    def claim_name(self, session_id: int | None, device_id: int, name: str) -> str | None:
        """Record ``name`` as the device's in its batch; the key of another device holding it, if one does."""
        with self.engine.begin() as conn:
            batch = _batch(conn, session_id)
            other = conn.execute(
                select(device_t.c.key)
                .select_from(number_t.join(device_t, device_t.c.id == number_t.c.device_id))
                .where(and_(number_t.c.batch == batch, number_t.c.name == name, number_t.c.device_id != device_id))
            ).first()
            if other is not None:
                return str(other.key)
            mine = conn.execute(
                select(number_t.c.id).where(and_(number_t.c.batch == batch, number_t.c.device_id == device_id))
            ).scalar()
            if mine is not None:
                conn.execute(update(number_t).where(number_t.c.id == mine).values(name=name))
            else:
                conn.execute(
                    insert(number_t).values(
                        batch=batch, device_id=device_id, name=name, session_id=session_id, assigned_at=now()
                    )
                )
            return None

    def batch_numbers(self, session_id: int | None) -> list[Row]:
        """The batch's numbers and names (``device_key``, ``number``, ``name``), by number."""
        with self.engine.connect() as conn:
            batch = _batch(conn, session_id)
            rows = conn.execute(
                select(device_t.c.key.label("device_key"), number_t.c.number, number_t.c.name)
                .select_from(number_t.join(device_t, device_t.c.id == number_t.c.device_id))
                .where(number_t.c.batch == batch)
                .order_by(number_t.c.number, number_t.c.id)
            )
            return [dict(r._mapping) for r in rows]

    def label_rows(self, session_id: int, serial: str | None = None) -> list[Row]:
        """One row per device of a session (its latest run there) for labels, in run order.

        Columns: ``device_name`` (read back from the device, else the name made for it),
        ``serial``, ``imei``, ``model``, ``platform``, ``order_ref``, ``customer``, ``device_key``.
        """
        latest = (
            select(func.max(run_t.c.id).label("run_id"))
            .where(run_t.c.session_id == session_id)
            .group_by(run_t.c.device_id)
            .subquery("latest")
        )
        with self.engine.connect() as conn:
            batch = _batch(conn, session_id)
            named = select(number_t.c.device_id, number_t.c.name).where(number_t.c.batch == batch).subquery("named")
            stmt = (
                select(
                    run_t.c.id.label("run_id"),
                    run_t.c.device_name,
                    named.c.name.label("made_name"),
                    run_t.c.platform,
                    device_t.c.key.label("device_key"),
                    device_t.c.serial,
                    device_t.c.imei,
                    func.coalesce(device_t.c.marketing_name, device_t.c.model_id).label("model"),
                    session_t.c.order_ref,
                    session_t.c.customer,
                )
                .select_from(
                    latest.join(run_t, run_t.c.id == latest.c.run_id)
                    .join(device_t, device_t.c.id == run_t.c.device_id)
                    .outerjoin(session_t, session_t.c.id == run_t.c.session_id)
                    .outerjoin(named, named.c.device_id == run_t.c.device_id)
                )
                .order_by(run_t.c.id)
            )
            if serial:
                stmt = stmt.where((device_t.c.serial == serial) | (device_t.c.key == serial))
            out: list[Row] = []
            for r in conn.execute(stmt):
                row = dict(r._mapping)
                row["device_name"] = row["device_name"] or row.pop("made_name") or ""
                row.pop("made_name", None)
                out.append(row)
            return out

    def session_exists(self, session_id: int) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(session_t.c.id).where(session_t.c.id == session_id)).first() is not None


__all__ = ["BATTERY_KEY", "NAME_KEY", "NameWrites", "run_facts"]

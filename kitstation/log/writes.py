"""The log's writes: reference rows, sessions, runs, steps, later checks, scans and slot names.

Every write commits at once (a crash loses at most the step in flight).
"""

from __future__ import annotations

import json
import socket
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from kitstation.blueprints.loader import content_hash, snapshot
from kitstation.blueprints.model import Blueprint
from kitstation.domain.handoff import HANDOFF_KEY
from kitstation.domain.model import Outcome, RunStatus
from kitstation.i18n import Text
from kitstation.log.names import run_facts
from kitstation.log.tables import (
    bp_t,
    device_t,
    now,
    pk,
    run_t,
    scan_t,
    session_t,
    slot_t,
    station_t,
    step_t,
    tech_t,
    to_json,
)

# The writes of every run's start and end and of every step's, as statements built once (issue
# 18): a statement built per call spent most of the writer's CPU in SQLAlchemy building it and
# hashing its new cache key (`values()` coercions, `_generate_cache_key`); built once, its memoized
# key finds the compiled form at once and the values come as parameters. Measured with
# benchmarks/bench_writer.py (docs/BENCHMARKS.md, "Bench, sixth round").
_INSERT_RUN = insert(run_t)
_INSERT_STEP = insert(step_t)
_SET_CURRENT_STEP = update(run_t).where(run_t.c.id == bindparam("b_run")).values(current_step=bindparam("b_step"))
# An update's SET clause is the parameters' columns (status or outcome, error_code, reason or
# messages, detail, ended_at).
_FINISH_RUN = update(run_t).where(run_t.c.id == bindparam("b_id"))
_FINISH_STEP = update(step_t).where(step_t.c.id == bindparam("b_id"))


def _customer_from_blueprint(conn: Connection, session_id: int, blueprint_id: int) -> None:
    """Fill a batch's empty customer / order reference from the blueprint's ``[customer]``."""
    sess = conn.execute(
        select(session_t.c.customer, session_t.c.order_ref).where(session_t.c.id == session_id)
    ).first()
    if sess is None or (sess.customer and sess.order_ref):
        return
    snap = conn.execute(select(bp_t.c.snapshot).where(bp_t.c.id == blueprint_id)).scalar()
    try:
        customer = json.loads(snap or "{}").get("blueprint", {}).get("customer") or {}
    except (ValueError, AttributeError):
        return
    values = {}
    if not sess.customer and isinstance(customer.get("name"), str) and customer["name"]:
        values["customer"] = customer["name"][:200]
    if not sess.order_ref and isinstance(customer.get("order_ref"), str) and customer["order_ref"]:
        values["order_ref"] = customer["order_ref"][:200]
    if values:
        conn.execute(update(session_t).where(session_t.c.id == session_id).values(**values))


def insert_run(
    conn: Connection,
    device_id: int,
    blueprint_id: int,
    station_id: int,
    platform: str,
    *,
    session_id: int | None = None,
    technician_id: int | None = None,
    slot: str = "",
) -> int:
    """A new run in ``conn``'s transaction; its batch takes the blueprint's ``[customer]``."""
    if session_id is not None:
        _customer_from_blueprint(conn, session_id, blueprint_id)
    res = conn.execute(
        _INSERT_RUN,
        {
            "device_id": device_id,
            "blueprint_id": blueprint_id,
            "station_id": station_id,
            "session_id": session_id,
            "technician_id": technician_id,
            "platform": platform,
            "slot": slot,
            "status": RunStatus.RUNNING.value,
            "current_step": "",
            "started_at": now(),
        },
    )
    return pk(res)


def reopen(conn: Connection, run_id: int, *, slot: str | None = None, session_id: int | None = None) -> None:
    values: dict[str, Any] = {"status": RunStatus.RUNNING.value, "ended_at": None}
    if slot is not None:
        values["slot"] = slot
    if session_id is not None:
        values["session_id"] = session_id
    conn.execute(update(run_t).where(run_t.c.id == run_id).values(**values))


def close_steps_in_flight(conn: Connection, run_id: int) -> None:
    """Steps left 'running' by a killed process become 'interrupted'."""
    conn.execute(
        update(step_t)
        .where(and_(step_t.c.run_id == run_id, step_t.c.outcome == "running"))
        .values(
            outcome=Outcome.INTERRUPTED.value,
            ended_at=now(),
            message_en="Interrupted (the station stopped during this step)",
            message_ja="中断されました（このステップの実行中にステーションが停止しました）",
        )
    )


def finish_run(
    conn: Connection, run_id: int, status: RunStatus, code: str | None = None, reason: Text | None = None
) -> None:
    conn.execute(
        _FINISH_RUN,
        {"b_id": run_id, "status": status.value, **_ended(code, reason, "reason")},
    )


def _ended(code: str | None, reason: Text | None, text_column: str) -> dict[str, Any]:
    """The columns an end sets on a run or a step: its error code, its reason (``text_column``
    ``_en`` / ``_ja``) and its time."""
    return {
        "error_code": code,
        f"{text_column}_en": reason.en if reason else None,
        f"{text_column}_ja": reason.ja if reason else None,
        "ended_at": now(),
    }


def insert_step(conn: Connection, run_id: int, step_id: str, attempt: int = 1) -> int:
    res = conn.execute(
        _INSERT_STEP,
        {"run_id": run_id, "step_id": step_id, "attempt": attempt, "started_at": now(), "outcome": "running"},
    )
    conn.execute(_SET_CURRENT_STEP, {"b_run": run_id, "b_step": step_id})
    return pk(res)


def finish_step(
    conn: Connection,
    event_id: int,
    outcome: Outcome,
    code: str | None = None,
    reason: Text | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        _FINISH_STEP,
        {"b_id": event_id, "outcome": outcome.value, "detail": to_json(detail), **_ended(code, reason, "message")},
    )
    facts = run_facts(detail)
    if facts:
        # The device's name and battery level at hand-over, on the run for the reports.
        run_id = select(step_t.c.run_id).where(step_t.c.id == event_id).scalar_subquery()
        conn.execute(update(run_t).where(run_t.c.id == run_id).values(**facts))


def blueprint_values(bp: Blueprint) -> dict[str, Any]:
    """A blueprint row's columns but its content hash."""
    return {
        "name": bp.name,
        "platforms": ",".join(p for p in ("ios", "android") if getattr(bp, p) is not None),
        "snapshot": json.dumps(snapshot(bp), ensure_ascii=False, sort_keys=True),
        "created_at": now(),
    }


class Writes:
    """The log's write API for runs and their context (mixed into :class:`kitstation.log.KitLog`)."""

    engine: Engine
    # Blueprint row ids by content hash: a row is never changed or deleted once made, so one
    # look-up per blueprint serves the station's whole life (filled only after a commit).
    blueprint_rows: dict[str, int]

    # --- reference rows ----------------------------------------------------------------------------
    def _get_or_create(self, table: Table, key_col: str, key: Any, values: dict[str, Any]) -> int:
        with self.engine.begin() as conn:
            found = conn.execute(select(table.c.id).where(table.c[key_col] == key)).scalar()
            if found is not None:
                return int(found)
        try:
            with self.engine.begin() as conn:
                return pk(conn.execute(insert(table).values(**{key_col: key}, **values)))
        except IntegrityError:  # another station created it meanwhile
            with self.engine.begin() as conn:
                return int(conn.execute(select(table.c.id).where(table.c[key_col] == key)).scalar_one())

    def station(self, name: str | None = None) -> int:
        name = name or socket.gethostname()
        return self._get_or_create(station_t, "name", name, {"hostname": socket.gethostname(), "created_at": now()})

    def technician(self, name: str) -> int:
        return self._get_or_create(tech_t, "name", name, {"created_at": now()})

    def blueprint(self, bp: Blueprint) -> int:
        """The blueprint's row (by content hash), created on first use; cached per digest."""
        digest = content_hash(bp)
        found = self.blueprint_rows.get(digest)
        if found is None:
            found = self.blueprint_rows[digest] = self._get_or_create(bp_t, "content_hash", digest, blueprint_values(bp))
        return found

    # --- sessions ----------------------------------------------------------------------------------
    def start_session(
        self,
        station_id: int,
        technician_id: int | None = None,
        label: str = "",
        customer: str = "",
        order_ref: str = "",
    ) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(
                insert(session_t).values(
                    station_id=station_id,
                    technician_id=technician_id,
                    label=label,
                    customer=customer,
                    order_ref=order_ref,
                    started_at=now(),
                )
            )
            return pk(res)

    def end_session(self, session_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(session_t).where(session_t.c.id == session_id).values(ended_at=now()))

    # --- runs and steps ----------------------------------------------------------------------------
    def start_run(
        self,
        device_id: int,
        blueprint_id: int,
        station_id: int,
        platform: str,
        *,
        session_id: int | None = None,
        technician_id: int | None = None,
        slot: str = "",
    ) -> int:
        """A new run, committed at once. Its batch takes the blueprint's ``[customer]`` (name,
        order) where the batch itself named none, so every report of the run shows them."""
        with self.engine.begin() as conn:
            return insert_run(
                conn,
                device_id,
                blueprint_id,
                station_id,
                platform,
                session_id=session_id,
                technician_id=technician_id,
                slot=slot,
            )

    def reopen_run(self, run_id: int, *, slot: str | None = None, session_id: int | None = None) -> None:
        with self.engine.begin() as conn:
            reopen(conn, run_id, slot=slot, session_id=session_id)

    def end_run(self, run_id: int, status: RunStatus, code: str | None = None, reason: Text | None = None) -> None:
        """The run's end; a step still 'running' in it (its start committed by the writer after a
        cancel reached the caller) becomes 'interrupted' in the same commit: an ended run has
        no running step."""
        with self.engine.begin() as conn:
            close_steps_in_flight(conn, run_id)
            finish_run(conn, run_id, status, code, reason)

    def step_started(self, run_id: int, step_id: str, attempt: int = 1) -> int:
        with self.engine.begin() as conn:
            return insert_step(conn, run_id, step_id, attempt)

    def step_ended(
        self,
        event_id: int,
        outcome: Outcome,
        code: str | None = None,
        reason: Text | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        with self.engine.begin() as conn:
            finish_step(conn, event_id, outcome, code, reason, detail)

    def close_in_flight(self, run_id: int) -> None:
        """Steps left 'running' by a killed process become 'interrupted'."""
        with self.engine.begin() as conn:
            close_steps_in_flight(conn, run_id)

    def record_check(
        self,
        device_id: int,
        step_id: str,
        outcome: Outcome,
        code: str | None = None,
        reason: Text | None = None,
        detail: dict[str, Any] | None = None,
    ) -> int | None:
        """A later check on a device (e.g. "is it assigned in ABM yet?"), added to its latest run.

        The hand-off state in ``detail["external_state"]`` is applied to the device; a run that
        was waiting on the outside world and is now confirmed (``outcome`` ok) becomes ok.
        Returns the run the check was filed under (None when the device has no run yet).
        """
        with self.engine.begin() as conn:
            state = (detail or {}).get(HANDOFF_KEY)
            if isinstance(state, str):
                conn.execute(update(device_t).where(device_t.c.id == device_id).values(external_state=state))
            row = conn.execute(
                select(run_t.c.id, run_t.c.status)
                .where(run_t.c.device_id == device_id)
                .order_by(run_t.c.id.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            at = now()
            conn.execute(
                insert(step_t).values(
                    run_id=row.id,
                    step_id=step_id,
                    attempt=1,
                    started_at=at,
                    ended_at=at,
                    outcome=outcome.value,
                    error_code=code,
                    message_en=reason.en if reason else None,
                    message_ja=reason.ja if reason else None,
                    detail=to_json(detail),
                )
            )
            if outcome == Outcome.OK and row.status == RunStatus.WAITING_EXTERNAL.value:
                conn.execute(
                    update(run_t)
                    .where(run_t.c.id == row.id)
                    .values(status=RunStatus.OK.value, error_code=None, reason_en=None, reason_ja=None)
                )
            return int(row.id)

    # --- intake and slots --------------------------------------------------------------------------
    def record_scan(
        self,
        kind: str,
        value: str,
        raw: str = "",
        *,
        session_id: int | None = None,
        device_id: int | None = None,
        platform: str = "android",
    ) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(
                insert(scan_t).values(
                    session_id=session_id,
                    device_id=device_id,
                    platform=platform,
                    kind=kind,
                    value=value,
                    raw=raw,
                    scanned_at=now(),
                )
            )
            return pk(res)

    def set_slot_name(self, station_id: int, location: str, label: str) -> None:
        with self.engine.begin() as conn:
            cond = and_(slot_t.c.station_id == station_id, slot_t.c.location == location)
            if conn.execute(select(slot_t.c.id).where(cond)).scalar() is None:
                conn.execute(insert(slot_t).values(station_id=station_id, location=location, label=label))
            else:
                conn.execute(update(slot_t).where(cond).values(label=label))

"""The log's API: what the pipeline, the bench, the CLI and the GUI read and write.

Every write commits at once (a crash loses at most the step in flight). Bulk reads (history,
exports) are Core ``select`` statements over indexed columns, never per-row ORM loads.
:class:`AsyncKitLog` runs the same calls on one writer thread so the event loop never waits on
the database.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from kitstation.blueprints.loader import content_hash, snapshot
from kitstation.blueprints.model import Blueprint
from kitstation.domain.model import Device, Outcome, RunStatus
from kitstation.i18n import Text
from kitstation.log.db import open_engine
from kitstation.log.schema import (
    BenchSession,
    BlueprintRecord,
    DeviceRecord,
    IntakeScan,
    RunRecord,
    SlotName,
    Station,
    StepEvent,
    Technician,
)

T = TypeVar("T")

run_t = RunRecord.__table__  # type: ignore[attr-defined]
step_t = StepEvent.__table__  # type: ignore[attr-defined]
device_t = DeviceRecord.__table__  # type: ignore[attr-defined]
bp_t = BlueprintRecord.__table__  # type: ignore[attr-defined]
station_t = Station.__table__  # type: ignore[attr-defined]
tech_t = Technician.__table__  # type: ignore[attr-defined]
session_t = BenchSession.__table__  # type: ignore[attr-defined]
scan_t = IntakeScan.__table__  # type: ignore[attr-defined]
slot_t = SlotName.__table__  # type: ignore[attr-defined]


def now() -> datetime:
    """Timestamps are timezone-aware UTC (sqlmodel's UTCDateTime refuses naive ones)."""
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """A filter bound given without a zone is taken as UTC."""
    return value if value.utcoffset() is not None else value.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ResumePoint:
    """Where an unfinished run stands: its id and the steps already done (by step id)."""

    run_id: int
    status: RunStatus
    done_steps: dict[str, tuple[Outcome, str | None]]  # step id -> (outcome, detail json)
    in_flight: tuple[str, ...]  # steps started and never ended (station killed mid-step)


@dataclass(frozen=True)
class RunFilter:
    """Selection of runs for history views and exports. Every field is optional."""

    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None  # serial / IMEI / UDID / model (substring)
    platform: str | None = None
    status: Sequence[str] | None = None
    blueprint: str | None = None  # name or hash prefix
    model: str | None = None
    technician: str | None = None
    station: str | None = None
    session_id: int | None = None
    order_ref: str | None = None
    customer: str | None = None
    latest_only: bool = False  # one row per device (its latest run)


HISTORY_COLUMNS = (
    "run_id",
    "started_at",
    "ended_at",
    "status",
    "current_step",
    "error_code",
    "reason_en",
    "reason_ja",
    "slot",
    "platform",
    "device_key",
    "serial",
    "imei",
    "imei2",
    "udid",
    "model_id",
    "marketing_name",
    "os_version",
    "external_state",
    "blueprint_name",
    "blueprint_hash",
    "technician",
    "station",
    "session_id",
    "order_ref",
    "customer",
)

SORTABLE = {
    "run_id": run_t.c.id,
    "started_at": run_t.c.started_at,
    "ended_at": run_t.c.ended_at,
    "status": run_t.c.status,
    "serial": device_t.c.serial,
    "imei": device_t.c.imei,
    "model_id": device_t.c.model_id,
    "blueprint_name": bp_t.c.name,
    "technician": tech_t.c.name,
    "platform": run_t.c.platform,
}


def history_select(flt: RunFilter) -> Any:
    """A Core ``select`` of history rows (columns :data:`HISTORY_COLUMNS`) for a filter."""
    stmt = select(
        run_t.c.id.label("run_id"),
        run_t.c.started_at,
        run_t.c.ended_at,
        run_t.c.status,
        run_t.c.current_step,
        run_t.c.error_code,
        run_t.c.reason_en,
        run_t.c.reason_ja,
        run_t.c.slot,
        run_t.c.platform,
        device_t.c.key.label("device_key"),
        device_t.c.serial,
        device_t.c.imei,
        device_t.c.imei2,
        device_t.c.udid,
        device_t.c.model_id,
        device_t.c.marketing_name,
        device_t.c.os_version,
        device_t.c.external_state,
        bp_t.c.name.label("blueprint_name"),
        bp_t.c.content_hash.label("blueprint_hash"),
        tech_t.c.name.label("technician"),
        station_t.c.name.label("station"),
        run_t.c.session_id,
        session_t.c.order_ref,
        session_t.c.customer,
    ).select_from(
        run_t.join(device_t, device_t.c.id == run_t.c.device_id)
        .join(bp_t, bp_t.c.id == run_t.c.blueprint_id)
        .join(station_t, station_t.c.id == run_t.c.station_id)
        .outerjoin(tech_t, tech_t.c.id == run_t.c.technician_id)
        .outerjoin(session_t, session_t.c.id == run_t.c.session_id)
    )
    conds = []
    if flt.since is not None:
        conds.append(run_t.c.started_at >= aware(flt.since))
    if flt.until is not None:
        conds.append(run_t.c.started_at < aware(flt.until))
    if flt.text:
        like = f"%{flt.text}%"
        conds.append(
            or_(
                device_t.c.serial.like(like),
                device_t.c.imei.like(like),
                device_t.c.imei2.like(like),
                device_t.c.key.like(like),
                device_t.c.model_id.like(like),
                device_t.c.marketing_name.like(like),
            )
        )
    if flt.platform:
        conds.append(run_t.c.platform == flt.platform)
    if flt.status:
        conds.append(run_t.c.status.in_(list(flt.status)))
    if flt.blueprint:
        conds.append(or_(bp_t.c.name == flt.blueprint, bp_t.c.content_hash.like(f"{flt.blueprint}%")))
    if flt.model:
        conds.append(or_(device_t.c.model_id == flt.model, device_t.c.marketing_name == flt.model))
    if flt.technician:
        conds.append(tech_t.c.name == flt.technician)
    if flt.station:
        conds.append(station_t.c.name == flt.station)
    if flt.session_id is not None:
        conds.append(run_t.c.session_id == flt.session_id)
    if flt.order_ref:
        conds.append(session_t.c.order_ref == flt.order_ref)
    if flt.customer:
        conds.append(session_t.c.customer == flt.customer)
    if flt.latest_only:
        latest = select(func.max(run_t.c.id)).group_by(run_t.c.device_id).scalar_subquery()
        conds.append(run_t.c.id.in_(latest))
    if conds:
        stmt = stmt.where(and_(*conds))
    return stmt


def _pk(result: Any) -> int:
    """The new row's id from an INSERT result."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _json(detail: dict[str, Any] | None) -> str | None:
    if detail is None:
        return None
    return json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True)


class KitLog:
    """Synchronous access to the log. Open with a URL (``None``: the default SQLite file)."""

    def __init__(self, url_or_engine: str | Engine | None = None, *, migrate: bool = True) -> None:
        if isinstance(url_or_engine, Engine):
            self.engine = url_or_engine
        else:
            self.engine = open_engine(url_or_engine, migrate_schema=migrate)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    # --- reference rows ----------------------------------------------------------------------------
    def _get_or_create(self, table: Any, key_col: str, key: Any, values: dict[str, Any]) -> int:
        with self.engine.begin() as conn:
            found = conn.execute(select(table.c.id).where(table.c[key_col] == key)).scalar()
            if found is not None:
                return int(found)
        try:
            with self.engine.begin() as conn:
                return _pk(conn.execute(insert(table).values(**{key_col: key}, **values)))
        except IntegrityError:  # another station created it meanwhile
            with self.engine.begin() as conn:
                return int(conn.execute(select(table.c.id).where(table.c[key_col] == key)).scalar_one())

    def station(self, name: str | None = None) -> int:
        name = name or socket.gethostname()
        return self._get_or_create(station_t, "name", name, {"hostname": socket.gethostname(), "created_at": now()})

    def technician(self, name: str) -> int:
        return self._get_or_create(tech_t, "name", name, {"created_at": now()})

    def blueprint(self, bp: Blueprint) -> int:
        digest = content_hash(bp)
        platforms = ",".join(p for p in ("ios", "android") if getattr(bp, p) is not None)
        values = {
            "name": bp.name,
            "platforms": platforms,
            "snapshot": json.dumps(snapshot(bp), ensure_ascii=False, sort_keys=True),
            "created_at": now(),
        }
        return self._get_or_create(bp_t, "content_hash", digest, values)

    def blueprint_hash(self, blueprint_id: int) -> str:
        with self.engine.connect() as conn:
            return str(conn.execute(select(bp_t.c.content_hash).where(bp_t.c.id == blueprint_id)).scalar_one())

    def upsert_device(self, device: Device) -> int:
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
        cond = and_(device_t.c.platform == device.platform.value, device_t.c.key == device.key)
        with self.engine.begin() as conn:
            found = conn.execute(select(device_t.c.id).where(cond)).scalar()
            if found is not None:
                conn.execute(update(device_t).where(device_t.c.id == found).values(**values))
                return int(found)
        try:
            with self.engine.begin() as conn:
                res = conn.execute(
                    insert(device_t).values(
                        platform=device.platform.value, key=device.key, first_seen=now(), external_state="", **values
                    )
                )
                return _pk(res)
        except IntegrityError:
            with self.engine.begin() as conn:
                found = conn.execute(select(device_t.c.id).where(cond)).scalar_one()
                conn.execute(update(device_t).where(device_t.c.id == found).values(**values))
                return int(found)

    def set_external_state(self, device_id: int, state: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(device_t).where(device_t.c.id == device_id).values(external_state=state))

    def device_row(self, device_id: int) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return dict(conn.execute(select(device_t).where(device_t.c.id == device_id)).mappings().one())

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
            return _pk(res)

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
        with self.engine.begin() as conn:
            res = conn.execute(
                insert(run_t).values(
                    device_id=device_id,
                    blueprint_id=blueprint_id,
                    station_id=station_id,
                    session_id=session_id,
                    technician_id=technician_id,
                    platform=platform,
                    slot=slot,
                    status=RunStatus.RUNNING.value,
                    current_step="",
                    started_at=now(),
                )
            )
            return _pk(res)

    def reopen_run(self, run_id: int, *, slot: str | None = None, session_id: int | None = None) -> None:
        values: dict[str, Any] = {"status": RunStatus.RUNNING.value, "ended_at": None}
        if slot is not None:
            values["slot"] = slot
        if session_id is not None:
            values["session_id"] = session_id
        with self.engine.begin() as conn:
            conn.execute(update(run_t).where(run_t.c.id == run_id).values(**values))

    def end_run(self, run_id: int, status: RunStatus, code: str | None = None, reason: Text | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(run_t)
                .where(run_t.c.id == run_id)
                .values(
                    status=status.value,
                    error_code=code,
                    reason_en=reason.en if reason else None,
                    reason_ja=reason.ja if reason else None,
                    ended_at=now(),
                )
            )

    def step_started(self, run_id: int, step_id: str, attempt: int = 1) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(
                insert(step_t).values(
                    run_id=run_id, step_id=step_id, attempt=attempt, started_at=now(), outcome="running"
                )
            )
            conn.execute(update(run_t).where(run_t.c.id == run_id).values(current_step=step_id))
            return _pk(res)

    def step_ended(
        self,
        event_id: int,
        outcome: Outcome,
        code: str | None = None,
        reason: Text | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(step_t)
                .where(step_t.c.id == event_id)
                .values(
                    outcome=outcome.value,
                    error_code=code,
                    message_en=reason.en if reason else None,
                    message_ja=reason.ja if reason else None,
                    detail=_json(detail),
                    ended_at=now(),
                )
            )

    def resume_point(self, device_id: int, blueprint_id: int) -> ResumePoint | None:
        """The latest run of this blueprint on this device, with its finished steps.

        ``in_flight`` lists the steps whose last attempt never finished: still 'running' (the
        station was killed) or 'interrupted' (the cable was pulled).
        """
        with self.engine.connect() as conn:
            row = conn.execute(
                select(run_t.c.id, run_t.c.status)
                .where(and_(run_t.c.device_id == device_id, run_t.c.blueprint_id == blueprint_id))
                .order_by(run_t.c.id.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            last: dict[str, tuple[str, str | None]] = {}
            for ev in conn.execute(
                select(step_t.c.step_id, step_t.c.outcome, step_t.c.detail)
                .where(step_t.c.run_id == row.id)
                .order_by(step_t.c.id)
            ):
                last[ev.step_id] = (ev.outcome, ev.detail)
        done: dict[str, tuple[Outcome, str | None]] = {}
        in_flight: list[str] = []
        for step_id, (outcome, detail) in last.items():
            if outcome in ("running", Outcome.INTERRUPTED.value):
                in_flight.append(step_id)
            elif Outcome(outcome).is_done:
                done[step_id] = (Outcome(outcome), detail)
        return ResumePoint(int(row.id), RunStatus(row.status), done, tuple(in_flight))

    def close_in_flight(self, run_id: int) -> None:
        """Steps left 'running' by a killed process become 'interrupted'."""
        with self.engine.begin() as conn:
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

    def unfinished_runs(self, station_id: int) -> list[dict[str, Any]]:
        """Runs of this station not final (running or interrupted), with their device keys."""
        stmt = (
            select(
                run_t.c.id,
                run_t.c.status,
                run_t.c.slot,
                run_t.c.current_step,
                device_t.c.platform,
                device_t.c.key,
                run_t.c.blueprint_id,
            )
            .select_from(run_t.join(device_t, device_t.c.id == run_t.c.device_id))
            .where(
                and_(
                    run_t.c.station_id == station_id,
                    run_t.c.status.in_([RunStatus.RUNNING.value, RunStatus.INTERRUPTED.value]),
                )
            )
        )
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def steps(self, run_id: int) -> list[dict[str, Any]]:
        """A run's timeline, oldest first."""
        with self.engine.connect() as conn:
            return [
                dict(r)
                for r in conn.execute(select(step_t).where(step_t.c.run_id == run_id).order_by(step_t.c.id)).mappings()
            ]

    def run(self, run_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(history_select(RunFilter()).where(run_t.c.id == run_id)).mappings().first()
            return dict(row) if row else None

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
            state = (detail or {}).get("external_state")
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
                    detail=_json(detail),
                )
            )
            if outcome == Outcome.OK and row.status == RunStatus.WAITING_EXTERNAL.value:
                conn.execute(
                    update(run_t)
                    .where(run_t.c.id == row.id)
                    .values(status=RunStatus.OK.value, error_code=None, reason_en=None, reason_ja=None)
                )
            return int(row.id)

    # --- history -----------------------------------------------------------------------------------
    def history(
        self,
        flt: RunFilter | None = None,
        *,
        order_by: str = "run_id",
        descending: bool = True,
        limit: int | None = 100,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        stmt = history_select(flt or RunFilter())
        col = SORTABLE.get(order_by, run_t.c.id)
        stmt = stmt.order_by(col.desc() if descending else col.asc(), run_t.c.id.desc() if descending else run_t.c.id)
        if limit is not None:
            stmt = stmt.limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def iter_history(self, flt: RunFilter | None = None, batch: int = 2000) -> Iterator[dict[str, Any]]:
        """Every matching row, oldest first, streamed in id-keyed pages (constant memory)."""
        last = 0
        base = history_select(flt or RunFilter())
        while True:
            stmt = base.where(run_t.c.id > last).order_by(run_t.c.id).limit(batch)
            with self.engine.connect() as conn:
                rows = [dict(r) for r in conn.execute(stmt).mappings()]
            if not rows:
                return
            yield from rows
            last = rows[-1]["run_id"]

    def count(self, flt: RunFilter | None = None) -> int:
        sub = history_select(flt or RunFilter()).subquery()
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(sub)).scalar_one())

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
            return _pk(res)

    def slot_names(self, station_id: int) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {
                r.location: r.label
                for r in conn.execute(
                    select(slot_t.c.location, slot_t.c.label).where(slot_t.c.station_id == station_id)
                )
            }

    def set_slot_name(self, station_id: int, location: str, label: str) -> None:
        with self.engine.begin() as conn:
            cond = and_(slot_t.c.station_id == station_id, slot_t.c.location == location)
            if conn.execute(select(slot_t.c.id).where(cond)).scalar() is None:
                conn.execute(insert(slot_t).values(station_id=station_id, location=location, label=label))
            else:
                conn.execute(update(slot_t).where(cond).values(label=label))


class AsyncKitLog:
    """The log for coroutines: every call runs on one writer thread, in order.

    One thread keeps SQLite's single writer happy and preserves the order of a run's events.
    """

    def __init__(self, log: KitLog) -> None:
        self.sync = log
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kitlog")

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: fn(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.sync, name)
        if not callable(attr):
            return attr

        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            return await self.call(attr, *args, **kwargs)

        return wrapper

    def close(self) -> None:
        self._executor.shutdown(wait=True)

"""The log's reads: history, counts, timelines, resume points, export selections, intake lookups.

Bulk reads (history, exports) are Core ``select`` statements over indexed columns, streamed in
id-keyed pages, never per-row ORM loads. Rows come back as plain dicts keyed by
:data:`~kitstation.log.filters.HISTORY_COLUMNS`.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, exists, false, func, literal, null, or_, select

from kitstation.domain.handoff import HandoffState
from kitstation.domain.model import Outcome, Platform, RunStatus
from kitstation.log.filters import DeviceList, RunFilter, Selection
from kitstation.log.handoff_reads import assignment_detail
from kitstation.log.tables import (
    aware,
    bp_t,
    device_t,
    run_t,
    scan_t,
    session_t,
    slot_t,
    station_t,
    step_t,
    tech_t,
)

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ResumePoint:
    """Where an unfinished run stands: its id and the steps already done (by step id)."""

    run_id: int
    status: RunStatus
    done_steps: dict[str, tuple[Outcome, str | None]]  # step id -> (outcome, detail json)
    in_flight: tuple[str, ...]  # steps started and never ended (station killed mid-step)


SORTABLE: dict[str, ColumnElement[Any]] = {
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


def _history_columns() -> list[Any]:
    return [
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
        assignment_detail().label("assignment_detail"),
    ]


def _text_condition(text: str) -> ColumnElement[bool]:
    like = f"%{text}%"
    return or_(
        device_t.c.serial.like(like),
        device_t.c.imei.like(like),
        device_t.c.imei2.like(like),
        device_t.c.key.like(like),
        device_t.c.model_id.like(like),
        device_t.c.marketing_name.like(like),
    )


def filter_conditions(flt: RunFilter) -> list[ColumnElement[bool]]:
    """The WHERE terms of a filter over the history join (``latest_only`` included)."""
    conds: list[ColumnElement[bool]] = []
    if flt.since is not None:
        conds.append(run_t.c.started_at >= aware(flt.since))
    if flt.until is not None:
        conds.append(run_t.c.started_at < aware(flt.until))
    if flt.text:
        conds.append(_text_condition(flt.text))
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
    return conds


def history_select(flt: RunFilter) -> Select[Any]:
    """A Core ``select`` of history rows (columns :data:`HISTORY_COLUMNS`) for a filter."""
    stmt = select(*_history_columns()).select_from(
        run_t.join(device_t, device_t.c.id == run_t.c.device_id)
        .join(bp_t, bp_t.c.id == run_t.c.blueprint_id)
        .join(station_t, station_t.c.id == run_t.c.station_id)
        .outerjoin(tech_t, tech_t.c.id == run_t.c.technician_id)
        .outerjoin(session_t, session_t.c.id == run_t.c.session_id)
    )
    conds = filter_conditions(flt)
    if conds:
        stmt = stmt.where(and_(*conds))
    return stmt


def list_condition(kind: DeviceList | None) -> ColumnElement[bool] | None:
    """The extra WHERE term of a device list over the history join."""
    if kind is None:
        return None
    if kind is DeviceList.ABM:
        return and_(run_t.c.platform == Platform.IOS.value, device_t.c.external_state == HandoffState.AWAITING_ABM.value)
    cond: ColumnElement[bool] = run_t.c.platform == Platform.ANDROID.value
    if kind is DeviceList.KME:
        cond = and_(cond, device_t.c.external_state == HandoffState.KME_REGISTERED.value)
    return cond


def selection_select(sel: Selection, kind: DeviceList | None = None) -> Select[Any]:
    """The pinned runs of a selection (optionally one device list's)."""
    stmt = history_select(replace(sel.flt, latest_only=False)).where(run_t.c.id <= sel.max_run_id)
    if sel.latest_only:
        # The latest run per device among the pinned runs (a later run must not change the set):
        # no later pinned run of the same device exists. NOT EXISTS probes the device_id index per
        # row, where "id IN (SELECT max(id) ... GROUP BY device_id)" would scan every run per page.
        later = run_t.alias("later")
        stmt = stmt.where(
            ~exists().where(
                and_(
                    later.c.device_id == run_t.c.device_id,
                    later.c.id > run_t.c.id,
                    later.c.id <= sel.max_run_id,
                )
            )
        )
    extra = list_condition(kind)
    if extra is not None:
        stmt = stmt.where(extra)
    return stmt


def intake_only_select(sel: Selection, kind: DeviceList) -> Select[Any] | None:
    """Android devices known only from intake scans (no pinned run), as history-shaped rows.

    A KME batch's phones may never see adb: their box scans are all the log has, and they still
    belong on the KME upload list. A filter on what only a run has (status, blueprint) leaves
    them out. Ordered by their latest matching scan.
    """
    flt = sel.flt
    if kind is DeviceList.ABM or sel.max_scan_id <= 0 or flt.status or flt.blueprint:
        return None
    if flt.platform and flt.platform != Platform.ANDROID.value:
        return None
    scan_conds: list[ColumnElement[bool]] = [scan_t.c.device_id == device_t.c.id, scan_t.c.id <= sel.max_scan_id]
    if flt.since is not None:
        scan_conds.append(scan_t.c.scanned_at >= aware(flt.since))
    if flt.until is not None:
        scan_conds.append(scan_t.c.scanned_at < aware(flt.until))
    if flt.session_id is not None:
        scan_conds.append(scan_t.c.session_id == flt.session_id)
    if flt.order_ref:
        scan_conds.append(session_t.c.order_ref == flt.order_ref)
    if flt.customer:
        scan_conds.append(session_t.c.customer == flt.customer)
    if flt.station:
        scan_conds.append(station_t.c.name == flt.station)
    if flt.technician:
        scan_conds.append(tech_t.c.name == flt.technician)
    scans = (
        scan_t.outerjoin(session_t, session_t.c.id == scan_t.c.session_id)
        .outerjoin(station_t, station_t.c.id == session_t.c.station_id)
        .outerjoin(tech_t, tech_t.c.id == session_t.c.technician_id)
    )
    latest_scan = select(func.max(scan_t.c.id)).select_from(scans).where(and_(*scan_conds)).scalar_subquery()
    has_run = exists().where(and_(run_t.c.device_id == device_t.c.id, run_t.c.id <= sel.max_run_id))
    dev_conds: list[ColumnElement[bool]] = [device_t.c.platform == Platform.ANDROID.value, ~has_run]
    if kind is DeviceList.KME:
        dev_conds.append(device_t.c.external_state == HandoffState.KME_REGISTERED.value)
    if flt.text:
        dev_conds.append(_text_condition(flt.text))
    if flt.model:
        dev_conds.append(or_(device_t.c.model_id == flt.model, device_t.c.marketing_name == flt.model))
    inner = (
        select(device_t.c.id.label("device_id"), latest_scan.label("scan_id"))
        .where(and_(*dev_conds))
        .subquery("intake_only")
    )
    return (
        select(
            null().label("run_id"),
            scan_t.c.scanned_at.label("started_at"),
            null().label("ended_at"),
            literal("").label("status"),
            literal("").label("current_step"),
            null().label("error_code"),
            null().label("reason_en"),
            null().label("reason_ja"),
            literal("").label("slot"),
            device_t.c.platform,
            device_t.c.key.label("device_key"),
            device_t.c.serial,
            device_t.c.imei,
            device_t.c.imei2,
            device_t.c.udid,
            device_t.c.model_id,
            device_t.c.marketing_name,
            device_t.c.os_version,
            device_t.c.external_state,
            null().label("blueprint_name"),
            null().label("blueprint_hash"),
            tech_t.c.name.label("technician"),
            station_t.c.name.label("station"),
            scan_t.c.session_id,
            session_t.c.order_ref,
            session_t.c.customer,
            inner.c.scan_id,
        )
        .select_from(
            inner.join(device_t, device_t.c.id == inner.c.device_id)
            .join(scan_t, scan_t.c.id == inner.c.scan_id)
            .outerjoin(session_t, session_t.c.id == scan_t.c.session_id)
            .outerjoin(station_t, station_t.c.id == session_t.c.station_id)
            .outerjoin(tech_t, tech_t.c.id == session_t.c.technician_id)
        )
        .where(inner.c.scan_id.is_not(None))
    )


class Reads:
    """The log's read API (mixed into :class:`kitstation.log.KitLog`)."""

    engine: Engine

    def _rows(self, stmt: Select[Any]) -> list[Row]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def _count(self, stmt: Select[Any]) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one())

    # --- single rows -------------------------------------------------------------------------------
    def blueprint_hash(self, blueprint_id: int) -> str:
        with self.engine.connect() as conn:
            return str(conn.execute(select(bp_t.c.content_hash).where(bp_t.c.id == blueprint_id)).scalar_one())

    def blueprint_snapshot(self, content_hash: str) -> dict[str, Any] | None:
        """The redacted snapshot recorded for a blueprint (``None`` when unknown or unreadable)."""
        with self.engine.connect() as conn:
            snap = conn.execute(select(bp_t.c.snapshot).where(bp_t.c.content_hash == content_hash)).scalar()
        if not snap:
            return None
        try:
            data = json.loads(snap)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def device_row(self, device_id: int) -> Row:
        with self.engine.connect() as conn:
            return dict(conn.execute(select(device_t).where(device_t.c.id == device_id)).mappings().one())

    def session_exists(self, session_id: int) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(session_t.c.id).where(session_t.c.id == session_id)).first() is not None

    def run(self, run_id: int) -> Row | None:
        rows = self._rows(history_select(RunFilter()).where(run_t.c.id == run_id))
        return rows[0] if rows else None

    def steps(self, run_id: int) -> list[Row]:
        """A run's timeline, oldest first."""
        return self._rows(select(step_t).where(step_t.c.run_id == run_id).order_by(step_t.c.id))

    def slot_names(self, station_id: int) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {
                r.location: r.label
                for r in conn.execute(
                    select(slot_t.c.location, slot_t.c.label).where(slot_t.c.station_id == station_id)
                )
            }

    def step_medians(self, model_id: str, limit: int = 400) -> dict[str, float]:
        """Median seconds of each step that ended ``ok`` on this model, over its latest ``limit`` runs.

        The bench shows it as the ETA of a running step (an erase and restart takes minutes on a
        real phone): measured on this station's own devices, not a guess. Steps never seen: absent.
        """
        stmt = (
            select(step_t.c.step_id, step_t.c.started_at, step_t.c.ended_at)
            .join(run_t, run_t.c.id == step_t.c.run_id)
            .join(device_t, device_t.c.id == run_t.c.device_id)
            .where(device_t.c.model_id == model_id, step_t.c.outcome == Outcome.OK.value,
                   step_t.c.ended_at.is_not(None))
            .order_by(step_t.c.id.desc())
            .limit(limit * 16)
        )
        spans: dict[str, list[float]] = {}
        with self.engine.connect() as conn:
            for r in conn.execute(stmt):
                samples = spans.setdefault(r.step_id, [])
                if len(samples) < limit:
                    samples.append(max(0.0, (aware(r.ended_at) - aware(r.started_at)).total_seconds()))
        return {step: statistics.median(v) for step, v in spans.items() if v}

    # --- runs in progress --------------------------------------------------------------------------
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

    def unfinished_runs(self, station_id: int) -> list[Row]:
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
        return self._rows(stmt)

    # --- history -----------------------------------------------------------------------------------
    def history(
        self,
        flt: RunFilter | None = None,
        *,
        order_by: str = "run_id",
        descending: bool = True,
        limit: int | None = 100,
        offset: int = 0,
    ) -> list[Row]:
        stmt = history_select(flt or RunFilter())
        col = SORTABLE.get(order_by, run_t.c.id)
        stmt = stmt.order_by(col.desc() if descending else col.asc(), run_t.c.id.desc() if descending else run_t.c.id)
        if limit is not None:
            stmt = stmt.limit(limit).offset(offset)
        return self._rows(stmt)

    def iter_history(self, flt: RunFilter | None = None, batch: int = 2000) -> Iterator[Row]:
        """Every matching row, oldest first, streamed in id-keyed pages (constant memory)."""
        yield from self._pages(history_select(flt or RunFilter()), batch)

    def _pages(self, base: Select[Any], batch: int) -> Iterator[Row]:
        last = 0
        while True:
            stmt = base.where(run_t.c.id > last).order_by(run_t.c.id).limit(batch)
            with self.engine.connect() as conn:
                result = conn.execute(stmt)
                keys = tuple(result.keys())
                # Plain tuples zipped into dicts: a third of the cost of RowMapping copies.
                rows = [dict(zip(keys, r, strict=True)) for r in result]
            if not rows:
                return
            yield from rows
            last = rows[-1]["run_id"]
            # Let the page go before the next one is read: otherwise two pages are alive at once.
            del rows

    # --- export selections -------------------------------------------------------------------------
    def pin(self, flt: RunFilter, latest_only: bool = False, kind: DeviceList | None = None) -> Selection:
        """The filter pinned to the runs that exist now (and the intake scans, for the KME list)."""
        with self.engine.connect() as conn:
            top = conn.execute(select(func.max(run_t.c.id))).scalar()
            scans = 0
            if kind in (DeviceList.KME, DeviceList.KME_ALL_ANDROID):
                scans = int(conn.execute(select(func.max(scan_t.c.id))).scalar() or 0)
        return Selection(flt, int(top or 0), latest_only or flt.latest_only, scans)

    def count_selection(self, sel: Selection, kind: DeviceList | None = None) -> int:
        n = self._count(selection_select(sel, kind))
        intake = intake_only_select(sel, kind) if kind is not None else None
        if intake is not None:
            n += self._count(intake)
        return n

    def iter_selection(
        self, sel: Selection, kind: DeviceList | None = None, batch: int = 2000
    ) -> Generator[Row, None, None]:
        """The selection's rows, oldest run first, in id-keyed pages: memory stays flat for any size.

        A KME list then adds the devices known only from intake scans (``run_id`` ``None``).
        """
        yield from self._pages(selection_select(sel, kind), batch)
        intake = intake_only_select(sel, kind) if kind is not None else None
        if intake is None:
            return
        last = 0
        while True:
            rows = self._rows(intake.where(scan_t.c.id > last).order_by(scan_t.c.id).limit(batch))
            if not rows:
                return
            last = rows[-1]["scan_id"]
            for r in rows:
                del r["scan_id"]
            yield from rows

    def runs_by_id(self, run_ids: Sequence[int], batch: int = 500) -> Iterator[Row]:
        """History rows for given run ids (for verifying a report that lists its runs), in id order."""
        ids = sorted(set(run_ids))
        for i in range(0, len(ids), batch):
            chunk = ids[i : i + batch]
            yield from self._rows(history_select(RunFilter()).where(run_t.c.id.in_(chunk)).order_by(run_t.c.id))

    def known_identifiers(self, values: Sequence[str], batch: int = 500) -> set[str]:
        """Which of these serials / IMEIs a device in the log carries."""
        known: set[str] = set()
        for i in range(0, len(values), batch):
            chunk = list(values[i : i + batch])
            stmt = select(device_t.c.serial, device_t.c.imei, device_t.c.imei2).where(
                or_(device_t.c.serial.in_(chunk), device_t.c.imei.in_(chunk), device_t.c.imei2.in_(chunk))
            )
            with self.engine.connect() as conn:
                known |= {v for r in conn.execute(stmt) for v in r if v}
        return known & set(values)

    # --- intake lookups ----------------------------------------------------------------------------
    def find_android_devices(
        self, *, serial: str | None = None, imeis: Sequence[str] = (), serials: Sequence[str] = ()
    ) -> list[Row]:
        """Android device rows matching a serial (key or serial column) or any of the IMEIs."""
        conds: list[ColumnElement[bool]] = []
        for value in dict.fromkeys([*([serial] if serial else []), *(s for s in serials if s)]):
            conds += [device_t.c.key == value, device_t.c.serial == value]
        for imei in imeis:
            conds += [device_t.c.key == imei, device_t.c.imei == imei, device_t.c.imei2 == imei]
        cond = or_(*conds) if conds else false()
        return self._rows(
            select(device_t).where(and_(device_t.c.platform == Platform.ANDROID.value, cond)).order_by(device_t.c.id)
        )


    def intake_boxes(self, keys: Sequence[str], imeis: Sequence[str] = ()) -> tuple[list[Row], bool]:
        """Box rows a phone may belong to, and whether any box still waits for its phone.

        The rows: Android devices with intake scans whose key or serial is one of ``keys`` (every
        serial property the phone shows) or whose IMEI is one of ``imeis``; each carries
        ``scanned`` (it has box scans). The flag: some scanned box has no phone identified by adb
        yet (no model), so a phone matching none of them is worth telling the technician about.
        """
        rows = self.find_android_devices(serials=keys, imeis=imeis)
        scanned: set[int] = set()
        if rows:
            ids = [int(r["id"]) for r in rows]
            with self.engine.connect() as conn:
                stmt = select(scan_t.c.device_id).where(scan_t.c.device_id.in_(ids)).distinct()
                scanned = {int(v) for v in conn.execute(stmt).scalars() if v is not None}
        for r in rows:
            r["scanned"] = int(r["id"]) in scanned
        waiting = (
            select(device_t.c.id)
            .where(
                and_(
                    device_t.c.platform == Platform.ANDROID.value,
                    device_t.c.model_id.is_(None),
                    exists().where(scan_t.c.device_id == device_t.c.id),
                )
            )
            .limit(1)
        )
        with self.engine.connect() as conn:
            open_box = conn.execute(waiting).first() is not None
        return rows, open_box

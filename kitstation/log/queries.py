"""The log's reads: history, counts, timelines, resume points, export selections, intake lookups.

Bulk reads (history, exports) are Core ``select`` statements over indexed columns, streamed in
id-keyed pages, never per-row ORM loads. Rows come back as plain dicts keyed by
:data:`~kitstation.log.filters.HISTORY_COLUMNS`.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    Engine,
    Select,
    TypeDecorator,
    and_,
    exists,
    false,
    func,
    or_,
    select,
)

from kitstation.domain.model import Outcome, Platform, RunStatus
from kitstation.log.filters import HISTORY_COLUMNS, DeviceList, RunFilter, Selection
from kitstation.log.selections import (
    history_select,
    intake_only_select,
    selection_select,
)
from kitstation.log.tables import (
    aware,
    bp_t,
    device_t,
    run_t,
    scan_t,
    session_t,
    slot_t,
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


def resume_point_in(conn: Connection, device_id: int, blueprint_id: int) -> ResumePoint | None:
    """The latest run of this blueprint on this device, with its finished steps.

    ``in_flight`` lists the steps whose last attempt never finished: still 'running' (the
    station was killed) or 'interrupted' (the cable was pulled).
    """
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
        select(step_t.c.step_id, step_t.c.outcome, step_t.c.detail).where(step_t.c.run_id == row.id).order_by(step_t.c.id)
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
        """The latest run of this blueprint on this device, with its finished steps (see
        :func:`resume_point_in`)."""
        with self.engine.connect() as conn:
            return resume_point_in(conn, device_id, blueprint_id)

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
        for keys, cols in self._column_pages(base, batch, stamps_as_text=False):
            rows = [dict(zip(keys, t, strict=True)) for t in zip(*cols, strict=True)]
            del cols
            yield from rows
            # Let the page go before the next one is read: otherwise two pages are alive at once.
            del rows

    def _column_pages(
        self, base: Select[Any], batch: int, *, stamps_as_text: bool
    ) -> Iterator[tuple[tuple[str, ...], list[Sequence[Any]]]]:
        """``base``'s rows in run-id pages, each as (column names, one sequence per column).

        The driver's tuples in one C call, turned into columns in another, and only the columns
        that need it converted (the timestamps; ints and text come back as they are): a page of
        2,000 export rows took about 20 ms through SQLAlchemy's rows and processors, of which 9 ms
        is SQLite's own.
        """
        last = 0
        while True:
            stmt = base.where(run_t.c.id > last).order_by(run_t.c.id).limit(batch)
            with self.engine.connect() as conn:
                result = conn.execute(stmt)
                keys = tuple(result.keys())
                converters = _converters(stmt, self.engine, stamps_as_text)
                raw = result.cursor.fetchall() if result.cursor is not None else []
                result.close()
            if not raw:
                return
            cols: list[Sequence[Any]] = list(zip(*raw, strict=True))
            del raw
            for i, convert in converters:  # column by column: one tight loop per converted column
                cols[i] = _convert_column(cols[i], convert)
            last = cols[keys.index("run_id")][-1]
            yield keys, cols
            del cols

    def selection_columns(
        self, sel: Selection, kind: DeviceList | None = None, batch: int = 2000, *, stamps_as_text: bool = False
    ) -> Iterator[list[Sequence[Any]]]:
        """:meth:`iter_selection`'s rows a page at a time, as columns in :data:`HISTORY_COLUMNS` order.

        For the exports' column-wise passes: no dict (or tuple) per row; ``cols[i][j]`` is column
        ``i`` of the page's row ``j``. With ``stamps_as_text`` the timestamps come as UTC ISO 8601
        text in whole seconds (``2026-11-02T09:15:02+00:00``, what :func:`stamp_text` gives;
        ``None`` when empty) instead of aware datetimes: from SQLite's own UTC text that is a
        slice, where a datetime costs a parse and later an ``isoformat()``.
        """
        for keys, cols in self._column_pages(selection_select(sel, kind), batch, stamps_as_text=stamps_as_text):
            if keys != HISTORY_COLUMNS:  # (not so today: the selects list HISTORY_COLUMNS in order)
                cols = [cols[keys.index(k)] for k in HISTORY_COLUMNS]
            yield cols
        for rows in self._intake_pages(sel, kind, batch):
            # Shaped as iter_selection gives them: no scan id, hence no assignment detail.
            yield [
                [stamp_text(r.get(k)) for r in rows] if stamps_as_text and k in _STAMP_COLUMNS else [r.get(k) for r in rows]
                for k in HISTORY_COLUMNS
            ]

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
        for rows in self._intake_pages(sel, kind, batch):
            yield from rows

    def _intake_pages(self, sel: Selection, kind: DeviceList | None, batch: int) -> Iterator[list[Row]]:
        """The devices known only from intake scans (a KME list's tail), in scan-id pages, without
        the scan id (one pager for the row and the column readers)."""
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
            yield rows

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


_STAMP_COLUMNS = frozenset({"started_at", "ended_at"})


def stamp_text(value: Any) -> str | None:
    """A log timestamp as UTC ISO 8601 text in whole seconds (``None`` stays ``None``).

    What an aware UTC datetime truncated to seconds gives from ``isoformat()``; SQLite's UTC text
    (``2026-11-02 09:15:02.123456``) is sliced to it directly.
    """
    if type(value) is str and len(value) == 26 and value[19] == ".":
        return value[:10] + "T" + value[11:19] + "+00:00"
    if value is None:
        return None
    stamp = _utc_datetime(value)
    if not isinstance(stamp, datetime):
        return str(stamp)
    return stamp.replace(microsecond=0).isoformat()


def _utc_datetime(value: Any) -> Any:
    """A timestamp as the log's own type gives it: aware UTC (SQLite stores UTC text without a zone)."""
    if type(value) is str:
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)
    return value


def _convert_column(values: Sequence[Any], convert: Callable[[Any], Any]) -> list[Any]:
    if convert is stamp_text:
        # SQLite's UTC text "YYYY-MM-DD HH:MM:SS.ffffff", sliced: the common case in one comprehension.
        return [
            f"{v[:10]}T{v[11:19]}+00:00" if type(v) is str and len(v) == 26 and v[19] == "." else stamp_text(v)
            for v in values
        ]
    if convert is _utc_datetime:
        parse = datetime.fromisoformat
        # SQLite's UTC text, parsed with its offset appended: that gives datetime.UTC itself.
        return [
            (parse(v + "+00:00") if len(v) <= 26 else _utc_datetime(v))
            if type(v) is str
            else (convert(v) if v is not None else None)
            for v in values
        ]
    return [convert(v) if v is not None else None for v in values]


def _converters(
    stmt: Select[Any], engine: Engine, stamps_as_text: bool = False
) -> list[tuple[int, Callable[[Any], Any]]]:
    """For each selected column whose type converts driver values, its position and converter.

    A timestamp column (sqlmodel's aware-UTC ``DateTime``) gets :func:`_utc_datetime`, which gives
    the same value as the type's own processors (or :func:`stamp_text`); any other converting
    type keeps its processor.
    """
    out: list[tuple[int, Callable[[Any], Any]]] = []
    dialect = engine.dialect
    for i, col in enumerate(stmt.selected_columns):
        kind = col.type
        if isinstance(kind, TypeDecorator) and isinstance(kind.impl_instance, DateTime):
            out.append((i, stamp_text if stamps_as_text else _utc_datetime))
            continue
        processor = kind._cached_result_processor(dialect, None)
        if processor is not None:
            out.append((i, processor))
    return out

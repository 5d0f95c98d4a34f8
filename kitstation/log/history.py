"""The History view's pages, fast at a million runs: keyset pages, index-driven sorts.

* **Pages** are keyset pages: the next page starts after the last row shown (its sort value and
  run id), never at an ``OFFSET`` the database would have to walk.
* **Sorts** by a device column (serial, IMEI, model) read the run's own copy of it (kept by
  triggers, migration 0004): one index ``(device_serial, device_id, id)``, and with an outcome
  filter ``(status, device_serial, device_id, id)``; by a technician or blueprint name (a handful
  of rows) each name's runs come from ``(technician_id, id)`` / ``(blueprint_id, id)`` in turn.
* The filters' terms are :mod:`kitstation.log.history_terms`'s, the counts
  :mod:`kitstation.log.history_counts`'s.

NULLs sort as the smallest value on both databases (SQLite's own order), so keyset cursors
behave the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, func, literal_column, or_, select, union_all
from sqlalchemy.sql.expression import BinaryExpression, UnaryExpression

from kitstation.log.filters import RunFilter
from kitstation.log.history_counts import HistoryCounts
from kitstation.log.history_terms import COPY
from kitstation.log.queries import Row
from kitstation.log.selections import _history_columns
from kitstation.log.tables import bp_t, device_t, model_count_t, run_t, session_t, station_t, tech_t

# A device sort with a run filter selecting fewer runs than this sorts those runs (a temporary
# index of at most this many rows, about 50 ms) instead of walking every device in order.
_SORT_FEW_RUNS = 20_000
# Run filter fields and their (column, id) index, the most selective kinds first.
_RUN_INDEXES = (
    ("session_id", "ix_run_session_seq"),
    ("status", "ix_run_status_seq"),
    ("since", "ix_run_started_seq"),
    ("until", "ix_run_started_seq"),
    ("technician", "ix_run_technician_seq"),
    ("blueprint", "ix_run_blueprint_seq"),
    ("station", "ix_run_station_seq"),
    ("order_ref", "ix_run_session_seq"),
    ("customer", "ix_run_session_seq"),
    ("platform", "ix_run_platform_seq"),
)


def _joined() -> Any:
    return (
        run_t.join(device_t, device_t.c.id == run_t.c.device_id)
        .join(bp_t, bp_t.c.id == run_t.c.blueprint_id)
        .join(station_t, station_t.c.id == run_t.c.station_id)
        .outerjoin(tech_t, tech_t.c.id == run_t.c.technician_id)
        .outerjoin(session_t, session_t.c.id == run_t.c.session_id)
    )


@dataclass(frozen=True)
class _Order:
    """A sort: its key columns (most significant first), the row fields holding their values."""

    columns: tuple[ColumnElement[Any], ...]
    fields: tuple[str, ...]


# Run columns sort with the run id as tie-break; device columns with the device id, then the run.
_RUN_SORTS = {
    "run_id": (),
    "started_at": ("started_at",),
    "ended_at": ("ended_at",),
    "status": ("status",),
    "platform": ("platform",),
}
_DEVICE_SORTS = ("serial", "imei", "model_id")
# Sorts walked on an index that carries every column the History's filters read (migration
# 0004), and the index for one outcome, already in order (None: the walk's own has it first).
_WALKED = {
    "serial": ("ix_run_serial_seq", "ix_run_status_serial"),
    "imei": ("ix_run_imei_seq", "ix_run_status_imei"),
    "model_id": ("ix_run_model_seq", "ix_run_status_model"),
    "platform": ("ix_run_platform_seq", None),
}
# Device sorts whose walk a model filter reads as one range per (model id, marketing name) pair of
# this index (migration 0007): a Galaxy's runs come after every iPhone's in the serial order.
_PAIR_WALKED = frozenset({"serial"})
_PAIR_INDEX = "ix_run_pair_serial"
_MAX_PAIRS = 16  # a model filter matches a pair or two; more ranges than this: the walk instead
# Sorts by a name of a small table: the name's rows walked in name order, their runs by index.
_GROUP_SORTS = {"technician": (tech_t, run_t.c.technician_id), "blueprint_name": (bp_t, run_t.c.blueprint_id)}


def _order(order_by: str) -> _Order:
    if order_by in _DEVICE_SORTS:
        return _Order((COPY[order_by], run_t.c.device_id, run_t.c.id), (order_by, "_device_id", "run_id"))
    cols = _RUN_SORTS.get(order_by, ())
    return _Order((*(run_t.c[c] for c in cols), run_t.c.id), (*cols, "run_id"))


def _opaque(col: ColumnElement[Any]) -> ColumnElement[Any]:
    """``col`` as an expression no index is ordered by (same values, same order, NULL stays NULL)."""
    return col + 0 if isinstance(col.type, Integer) else col.concat("")


def _order_by(
    order: _Order, descending: bool, dialect: str, *, sort_here: bool = False
) -> list[UnaryExpression[Any]]:
    """The ORDER BY of a sort, NULLs smallest (SQLite's own order) on every database.

    On PostgreSQL only a nullable column says where its NULLs go: on a NOT NULL column
    ``id DESC NULLS LAST`` is not the order of the index ``(id)`` read backwards (that is
    ``NULLS FIRST``), so the planner sorted every run for a page (a parallel scan of 1,000,000
    runs, 107 ms for the first page of the newest runs). The nullable sort columns have
    ``NULLS FIRST`` indexes there (migration 0006).

    ``sort_here``: by expressions no index gives, so the planner reads the filter's runs from
    the filter's index and sorts them (see :meth:`HistoryReads.history_page`).
    """
    out = []
    for col in order.columns:
        key = _opaque(col) if sort_here else col
        term = key.desc() if descending else key.asc()
        if dialect != "sqlite" and getattr(col, "nullable", True):
            term = term.nulls_last() if descending else term.nulls_first()
        out.append(term)
    return out


class HistoryReads(HistoryCounts):
    """History pages (and, through its bases, counts; mixed into :class:`kitstation.log.KitLog`)."""

    def history_page(
        self,
        flt: RunFilter | None = None,
        *,
        order_by: str = "run_id",
        descending: bool = True,
        limit: int = 100,
        after: Row | None = None,
    ) -> list[Row]:
        """One page of history rows in this order, starting after the row ``after`` (a row of
        the previous page; ``None``: the first page). Unknown sort keys sort by run id.

        The page's run ids are found first on the sorted table's index, then their rows read.
        """
        flt = flt or RunFilter()
        dialect = self.engine.dialect.name
        if order_by in _GROUP_SORTS:
            return self._grouped_page(order_by, self._run_terms(flt), descending, limit, after)
        order = _order(order_by)
        base = select(*order.columns).select_from(run_t)
        sort_here = walked = False
        if order_by in _WALKED:
            conds = self._run_terms(flt, copies=True)
            index = self._walk_index(flt, order_by, conds)
            walked = index is not None
            if index is not None:  # SQLite without statistics may take another index and sort
                base = base.with_hint(run_t, f"INDEXED BY {index}", "sqlite")
            else:
                # Few runs pass: sort them. PostgreSQL's planner, given an index in the sort's
                # order (migration 0006), walked it and tested each entry's run, assuming the
                # matches spread evenly; "failed + 30 days" by serial (6,437 runs, all at the
                # far end of the serial order) read 43,563 runs first: 52 ms, where reading them
                # from (status, started_at) and sorting them takes a few.
                sort_here = dialect != "sqlite"
        else:
            conds = self._run_terms(flt)
        # A model filter on a walk: its pairs' ranges of the pair index instead (see _PAIR_WALKED).
        pairs = self._model_pairs(flt) if order_by in _PAIR_WALKED and walked else None
        keys: list[tuple[Any, ...]] = []
        for extra in _after_ranges(order, after, descending):
            if pairs is not None:
                keys += self._pairs_range(order, pairs, [*extra, *conds], descending, limit - len(keys))
            else:
                # The keyset range first: of two bounds on one column (a text prefix's and the
                # page's), SQLite takes the first for the index range and tests the other on every entry.
                stmt = base.where(and_(*extra, *conds)) if conds or extra else base
                stmt = stmt.order_by(*_order_by(order, descending, dialect, sort_here=sort_here))
                with self.engine.connect() as conn:
                    keys += [tuple(r) for r in conn.execute(stmt.limit(limit - len(keys)))]
            if len(keys) >= limit:
                break
        return self._rows_for(order, keys)

    def _model_pairs(self, flt: RunFilter) -> list[tuple[str | None, str | None]] | None:
        """A model filter's (model id, marketing name) pairs that have runs (``None``: no model
        filter, or more pairs than a page merges); ``''`` in ``run_model_count`` is NULL."""
        if not flt.model:
            return None
        pair = model_count_t.c
        stmt = (
            select(pair.model_id, pair.marketing_name)
            .where(or_(pair.model_id == flt.model, pair.marketing_name == flt.model), pair.runs > 0)
            .limit(_MAX_PAIRS + 1)
        )
        with self.engine.connect() as conn:
            found = [(m or None, n or None) for m, n in conn.execute(stmt)]
        return found if len(found) <= _MAX_PAIRS else None

    def _pairs_range(
        self,
        order: _Order,
        pairs: Sequence[tuple[str | None, str | None]],
        conds: Sequence[ColumnElement[bool]],
        descending: bool,
        limit: int,
    ) -> list[tuple[Any, ...]]:
        """The first ``limit`` keys of one keyset range of a sort by serial with a model filter: each
        pair's runs are one range of the pair index, in order; the page is those ranges merged."""
        if not pairs:
            return []
        dialect = self.engine.dialect.name
        arms = []
        for model_id, name in pairs:
            match = [
                COPY["model_id"].is_(None) if model_id is None else COPY["model_id"] == model_id,
                COPY["marketing_name"].is_(None) if name is None else COPY["marketing_name"] == name,
            ]
            arm = (
                select(*order.columns)
                .select_from(run_t)
                .with_hint(run_t, f"INDEXED BY {_PAIR_INDEX}", "sqlite")
                .where(and_(*match, *conds))
                .order_by(*_order_by(order, descending, dialect))
                .limit(limit)
            )
            arms.append(select(arm.subquery()))
        merged = union_all(*arms).subquery()
        outer = _Order(tuple(merged.c[c.name] for c in order.columns), order.fields)  # (their nullability kept)
        stmt = select(merged).order_by(*_order_by(outer, descending, dialect)).limit(limit)
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(stmt)]

    def _walk_index(self, flt: RunFilter, order_by: str, conds: Sequence[ColumnElement[bool]]) -> str | None:
        """The index a sort by a device column or the platform reads.

        A few devices' runs (an id list), or few runs passing the run filter: no hint, the
        planner reads them from the filter's best index and sorts them. One outcome: ``(status, <column>, device_id, id)``, already in
        order. Else the sort's own index, walked in order, each entry checked on the index
        itself: where the filter and the order are correlated (every failed run a Galaxy's, the
        serial order starting with iPhones) the walk passes half the table before the first match.
        """
        sort_index, status_index = _WALKED[order_by]
        if any(isinstance(c, BinaryExpression) and c.left is run_t.c.device_id for c in conds):
            return None
        if _run_index(flt) is not None and self._fewer_runs_than(flt, _SORT_FEW_RUNS):
            # (status, started_at) for an outcome and a date, say: the (column, id) one would
            # read every failed run's row to test its date.
            return None
        if status_index is not None and flt.status and len(flt.status) == 1:
            return status_index
        return sort_index

    def _fewer_runs_than(self, flt: RunFilter, cap: int) -> bool:
        """Whether the filter's terms on ``run`` alone select fewer than ``cap`` runs (reads at most ``cap``)."""
        conds = self._run_terms(replace(flt, text=None, model=None))
        capped = select(literal_column("1")).select_from(run_t).where(and_(*conds)).limit(cap).subquery()
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(capped)).scalar_one()) < cap

    def _rows_for(self, order: _Order, keys: Sequence[tuple[Any, ...]]) -> list[Row]:
        """History rows for the keys found, in their order, carrying the keys' fields."""
        if not keys:
            return []
        ids = [int(k[-1]) for k in keys]
        stmt = select(*_history_columns(), device_t.c.id.label("_device_id")).select_from(_joined())
        found = {r["run_id"]: r for r in self._hrows(stmt.where(run_t.c.id.in_(ids)))}
        return [found[i] for i in ids if i in found]

    def _grouped_page(
        self, order_by: str, conds: Sequence[ColumnElement[bool]], descending: bool, limit: int, after: Row | None
    ) -> list[Row]:
        """Sort by a technician's or blueprint's name: each name's runs in turn (NULL first)."""
        table, fk = _GROUP_SORTS[order_by]
        with self.engine.connect() as conn:
            names = conn.execute(select(table.c.id, table.c.name).order_by(table.c.name, table.c.id)).all()
        groups: list[int | None] = [None, *(int(i) for i, _ in names)]
        if descending:
            groups.reverse()
        start = 0
        if after is not None:
            start = groups.index(after.get("_group_id")) if after.get("_group_id") in groups else 0
        keys: list[tuple[Any, ...]] = []
        group_of: dict[int, int | None] = {}
        for index in range(start, len(groups)):
            gid = groups[index]
            where = [*conds, fk.is_(None) if gid is None else fk == gid]
            if after is not None and index == start:
                where.append(run_t.c.id < after["run_id"] if descending else run_t.c.id > after["run_id"])
            stmt = (
                select(run_t.c.id)
                .where(and_(*where))
                .order_by(run_t.c.id.desc() if descending else run_t.c.id.asc())
                .limit(limit - len(keys))
            )
            with self.engine.connect() as conn:
                found = [int(i) for i in conn.execute(stmt).scalars()]
            keys += [(i,) for i in found]
            group_of.update(dict.fromkeys(found, gid))
            if len(keys) >= limit:
                break
        rows = self._rows_for(_order("run_id"), keys)
        for r in rows:
            r["_group_id"] = group_of[r["run_id"]]
        return rows


def _run_index(flt: RunFilter) -> str | None:
    """The ``(column, id)`` index (migration 0002) of one of the filter's terms on ``run``, if any."""
    for field, index in _RUN_INDEXES:
        if getattr(flt, field):
            return index
    return None



def _after_ranges(order: _Order, after: Row | None, descending: bool) -> list[list[ColumnElement[bool]]]:
    """The rows after ``after`` as a sequence of index ranges, in order (NULLs smallest).

    For keys (k1, k2, k3) after (v1, v2, v3) ascending: k1 = v1 AND k2 = v2 AND k3 > v3, then
    k1 = v1 AND k2 > v2, then k1 > v1. One range each: a row-value comparison or an OR would
    make SQLite scan from the start of the first key.
    """
    if after is None:
        return [[]]
    values = [after[f] for f in order.fields]
    out: list[list[ColumnElement[bool]]] = []
    for i in range(len(order.columns) - 1, -1, -1):
        prefix: list[ColumnElement[bool]] = [
            c.is_(None) if v is None else c == v for c, v in zip(order.columns[:i], values[:i], strict=True)
        ]
        col, value = order.columns[i], values[i]
        if value is None:
            if not descending:
                out.append([*prefix, col.is_not(None)])
            continue  # descending: nothing comes after NULL
        out.append([*prefix, col < value if descending else col > value])
        if descending and col is not run_t.c.id and col is not run_t.c.device_id:
            out.append([*prefix, col.is_(None)])  # NULLs (smallest) come last when descending
    return out

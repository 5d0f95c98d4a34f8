"""The History view's reads, fast at a million runs: join-free counts, keyset pages, index-driven sorts.

* **Counts** never join: every filter is a term on ``run`` itself (``device_id IN (...)`` for a
  device's serial / IMEI / model, ``technician_id IN (...)`` for a name...), which equals the count
  over the history join because each run has exactly one device, blueprint, station and at most
  one technician and session.
* **Pages** are keyset pages: the next page starts after the last row shown (its sort value and
  run id), never at an ``OFFSET`` the database would have to walk.
* **Sorts** by a device column (serial, IMEI, model) read the run's own copy of it (kept by
  triggers, migration 0004): one index ``(device_serial, device_id, id)``, and with an outcome
  filter ``(status, device_serial, device_id, id)``; by a technician or blueprint name (a handful
  of rows) each name's runs come from ``(technician_id, id)`` / ``(blueprint_id, id)`` in turn.
* **Text** (serial, IMEI, model): three characters or more are a substring search through a
  trigram index (SQLite FTS5 ``device_fts``; PostgreSQL ``pg_trgm`` where installed); shorter
  text matches the start of a serial, IMEI or model, from their indexes; its count (and a model
  filter's) reads the indexes of the run's copies alone, no device row.

NULLs sort as the smallest value on both databases (SQLite's own order), so keyset cursors
behave the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, exists, false, func, literal_column, not_, or_, select, text
from sqlalchemy.sql.expression import BinaryExpression, UnaryExpression

from kitstation.log.filters import RunFilter
from kitstation.log.queries import Row
from kitstation.log.selections import _history_columns
from kitstation.log.tables import aware, bp_t, device_t, run_t, session_t, station_t, tech_t

# Shorter text cannot use a trigram index: it matches the start of these indexed columns instead.
TRIGRAM = 3
_PREFIX_COLUMNS = ("serial", "imei", "model_id", "marketing_name")
# The run's copy of its device's columns (migration 0004; triggers keep them equal to the device's).
_COPY: dict[str, ColumnElement[Any]] = {
    "serial": run_t.c.device_serial,
    "imei": run_t.c.device_imei,
    "model_id": run_t.c.device_model_id,
    "marketing_name": run_t.c.device_marketing_name,
}
_DEVICE_COLS: dict[str, ColumnElement[Any]] = {c: device_t.c[c] for c in _PREFIX_COLUMNS}
# A device filter matching fewer devices than this is an IN list of their ids; more, a probe per run.
_FEW_DEVICES = 2000
# A device sort with a run filter selecting fewer runs than this sorts those runs (a temporary
# index of at most this many rows, about 50 ms) instead of walking every device in order.
_SORT_FEW_RUNS = 20_000
# A short text's count reads at most this many entries of each prefix range to order its parts.
_SIZE_CAP = 10_000
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
# The device columns the trigram index covers (migration 0002 creates it).
TEXT_COLUMNS = ("serial", "imei", "imei2", "key", "model_id", "marketing_name")
_MAX_CHAR = "\U0010ffff"  # above every character: the end of a prefix range


def _prefix(col: ColumnElement[Any], value: str) -> ColumnElement[bool]:
    """``col`` starts with ``value``, as a range an index answers (LIKE 'x%' is not, on SQLite)."""
    return and_(col >= value, col < value + _MAX_CHAR)


def _fts_phrase(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def device_text_ids(dialect: str, value: str) -> Select[Any]:
    """The ids of the devices whose serial / IMEI / key / model contains ``value``."""
    if len(value) >= TRIGRAM and dialect == "sqlite":
        return select(literal_column("rowid")).select_from(text("device_fts")).where(
            text("device_fts MATCH :phrase").bindparams(phrase=_fts_phrase(value))
        )
    if len(value) >= TRIGRAM:
        like = f"%{value}%"
        return select(device_t.c.id).where(or_(*(device_t.c[c].like(like) for c in TEXT_COLUMNS)))
    return select(device_t.c.id).where(or_(*_prefix_terms(value, _DEVICE_COLS)))


def _device_terms(flt: RunFilter, dialect: str) -> list[ColumnElement[bool]]:
    """The filter's terms on a device row (text, model), or none."""
    terms: list[ColumnElement[bool]] = []
    if flt.text:
        terms.append(device_t.c.id.in_(device_text_ids(dialect, flt.text)))
    if flt.model:
        terms.append(or_(*_model_terms(flt.model, _DEVICE_COLS)))
    return terms


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
# Sorts by a name of a small table: the name's rows walked in name order, their runs by index.
_GROUP_SORTS = {"technician": (tech_t, run_t.c.technician_id), "blueprint_name": (bp_t, run_t.c.blueprint_id)}


def _order(order_by: str) -> _Order:
    if order_by in _DEVICE_SORTS:
        return _Order((_COPY[order_by], run_t.c.device_id, run_t.c.id), (order_by, "_device_id", "run_id"))
    cols = _RUN_SORTS.get(order_by, ())
    return _Order((*(run_t.c[c] for c in cols), run_t.c.id), (*cols, "run_id"))


def _order_by(order: _Order, descending: bool, dialect: str) -> list[UnaryExpression[Any]]:
    out = []
    for col in order.columns:
        term = col.desc() if descending else col.asc()
        if dialect != "sqlite":  # SQLite's own NULL order everywhere: smallest
            term = term.nulls_last() if descending else term.nulls_first()
        out.append(term)
    return out


class HistoryReads:
    """History counts and pages (mixed into :class:`kitstation.log.KitLog`)."""

    engine: Engine

    def _hrows(self, stmt: Select[Any]) -> list[Row]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def _ids(self, table: Any, *conds: ColumnElement[bool]) -> list[int]:
        with self.engine.connect() as conn:
            return [int(i) for i in conn.execute(select(table.c.id).where(*conds)).scalars()]

    def _run_terms(self, flt: RunFilter, *, copies: bool = False) -> list[ColumnElement[bool]]:
        """A filter as terms on ``run`` alone.

        The small tables (blueprint, technician, station, session) are resolved to ids first: an
        equality on ``run`` that its ``(column, id)`` index answers in run order. A device filter
        matching few devices is an ``IN`` list; one matching many is probed per run in run order
        (the first page stops after a few hundred probes instead of building the whole set), or
        with ``copies`` (a device sort, which reads the run rows anyway) checked on the run's copy
        of the device's columns where it can be.
        """
        conds: list[ColumnElement[bool]] = []
        if flt.since is not None:
            conds.append(run_t.c.started_at >= aware(flt.since))
        if flt.until is not None:
            conds.append(run_t.c.started_at < aware(flt.until))
        if flt.platform:
            conds.append(run_t.c.platform == flt.platform)
        if flt.status:
            conds.append(run_t.c.status.in_(list(flt.status)))
        if flt.session_id is not None:
            conds.append(run_t.c.session_id == flt.session_id)
        if flt.blueprint:
            ids = self._ids(bp_t, or_(bp_t.c.name == flt.blueprint, bp_t.c.content_hash.like(f"{flt.blueprint}%")))
            conds.append(run_t.c.blueprint_id.in_(ids))
        if flt.technician:
            conds.append(run_t.c.technician_id.in_(self._ids(tech_t, tech_t.c.name == flt.technician)))
        if flt.station:
            conds.append(run_t.c.station_id.in_(self._ids(station_t, station_t.c.name == flt.station)))
        if flt.order_ref or flt.customer:
            sess = [session_t.c.order_ref == flt.order_ref] if flt.order_ref else []
            if flt.customer:
                sess.append(session_t.c.customer == flt.customer)
            conds.append(run_t.c.session_id.in_(self._ids(session_t, *sess)))
        if flt.latest_only:
            latest = select(func.max(run_t.c.id)).group_by(run_t.c.device_id).scalar_subquery()
            conds.append(run_t.c.id.in_(latest))
        if flt.text or flt.model:
            kind, cond = self._device_condition(flt)
            copy = self._copy_terms(flt) if copies and kind != "ids" else None
            conds += [cond] if copy is None else copy
        return conds

    def _device_condition(self, flt: RunFilter) -> tuple[str, ColumnElement[bool]]:
        """Runs of the devices a text / model filter matches: ("ids", their ids) when few, else
        ("probe", a check of each run's device row)."""
        terms = _device_terms(flt, self.engine.dialect.name)
        few = self._few_devices(flt).limit(_FEW_DEVICES)
        with self.engine.connect() as conn:
            ids = [int(i) for i in conn.execute(few).scalars()]
        if len(ids) < _FEW_DEVICES:
            # A literal list: the planner walks (device_id, id) for each, whatever it guesses.
            return "ids", run_t.c.device_id.in_(ids)
        probe = [t for t in terms if flt.text is None or t is not terms[0]]
        if flt.text:
            probe.append(_text_probe(flt.text))
        return "probe", exists().where(and_(device_t.c.id == run_t.c.device_id, *probe)).correlate(run_t)

    def _copy_terms(self, flt: RunFilter) -> list[ColumnElement[bool]] | None:
        """The filter's text / model terms on the run's copy of its device, or None for text of
        three characters or more (a substring: only the trigram index of devices answers it).

        A short text's prefix ranges that hold no run are left out (one index seek each): "F2"
        then is one range of the serial index, which a sort by serial walks as a range instead
        of checking eight prefixes on every entry it passes.
        """
        if flt.text and len(flt.text) >= TRIGRAM:
            return None
        terms = []
        if flt.text:
            with self.engine.connect() as conn:
                live = [t for t in _prefix_terms(flt.text, _COPY)
                        if conn.execute(select(literal_column("1")).select_from(run_t).where(t).limit(1)).first()]
            terms.append(or_(*live) if live else false())
        if flt.model:
            terms.append(or_(*_model_terms(flt.model, _COPY)))
        return terms

    def _few_devices(self, flt: RunFilter) -> Select[Any]:
        """The ids of the devices a text / model filter matches, as a select a LIMIT stops early.

        Not ``id IN (<text ids>)``: SQLite builds that whole set first (half a million ids for
        two characters) before the LIMIT applies.
        """
        dialect = self.engine.dialect.name
        if flt.text and not flt.model:
            return device_text_ids(dialect, flt.text)
        terms = _device_terms(replace(flt, text=None), dialect)
        if flt.text:
            terms.append(device_t.c.id.in_(device_text_ids(dialect, flt.text)))
        return select(device_t.c.id).where(and_(*terms))

    def count(self, flt: RunFilter | None = None) -> int:
        """How many runs a filter selects, counted on ``run`` alone (no join) where it can be.

        A short text or a model matching many devices is counted on the run's copies of the
        device's columns (their indexes alone when nothing else filters); a longer text from the
        trigram index of devices joined to their runs. Each run has one device, so counting runs
        by their device's values counts each run once.
        """
        flt = flt or RunFilter()
        conds = self._run_terms(replace(flt, text=None, model=None))
        if flt.text or flt.model:
            kind, cond = self._device_condition(flt)
            copy = self._copy_terms(flt)
            if kind != "ids" and not conds:
                return self._count_from_devices(flt)
            if kind != "ids":  # many devices, with other filters: their copies, or a set of ids
                conds += copy if copy is not None else [run_t.c.device_id.in_(self._few_devices(flt))]
            else:
                conds.append(cond)
        stmt = select(func.count()).select_from(run_t)
        if conds:
            stmt = stmt.where(and_(*conds))
        with self.engine.connect() as conn:
            return int(conn.execute(stmt).scalar_one())

    def _count_from_devices(self, flt: RunFilter) -> int:
        """The runs of the devices a text / model filter matches, when it matches many."""
        dialect = self.engine.dialect.name
        if flt.text and len(flt.text) >= TRIGRAM and dialect == "sqlite" and not flt.model:
            # The trigram index's rowids joined to runs directly: no set of ids is built.
            stmt = (
                select(func.count())
                .select_from(text("device_fts JOIN run ON run.device_id = device_fts.rowid"))
                .where(text("device_fts MATCH :phrase").bindparams(phrase=_fts_phrase(flt.text)))
            )
            with self.engine.connect() as conn:
                return int(conn.execute(stmt).scalar_one())
        if flt.text and len(flt.text) >= TRIGRAM:  # with a model, or PostgreSQL (its planner joins)
            stmt = (
                select(func.count())
                .select_from(device_t.join(run_t, run_t.c.device_id == device_t.c.id))
                .where(*_device_terms(flt, dialect))
            )
            with self.engine.connect() as conn:
                return int(conn.execute(stmt).scalar_one())
        # An OR of index ranges on the run's copies (prefixes in several columns, a model id or
        # name) as disjoint parts, each one range of one index: an OR would make SQLite collect
        # and de-duplicate every matching run. A part excludes the earlier parts' ranges, checked
        # on its index entries; so the largest ranges go first (the first is counted on its
        # index alone), and a range holding no run is left out, of the parts and the exclusions.
        if flt.text:
            alternatives = [(c, v, _prefix(_COPY[c], v)) for c in _PREFIX_COLUMNS for v in _variants(flt.text)]
            extra = [or_(*_model_terms(flt.model, _COPY))] if flt.model else []
        else:
            alternatives = [(c, flt.model or "", t) for c, t in zip(("model_id", "marketing_name"),
                                                                      _model_terms(flt.model or "", _COPY), strict=True)]
            extra = []
        total = 0
        with self.engine.connect() as conn:
            sizes: dict[tuple[str, str, ColumnElement[bool]], int] = {}
            for alt in alternatives:
                capped = select(literal_column("1")).select_from(run_t).where(alt[2]).limit(_SIZE_CAP).subquery()
                sizes[alt] = int(conn.execute(select(func.count()).select_from(capped)).scalar_one())
            parts = sorted((a for a in alternatives if sizes[a]), key=lambda a: -sizes[a])
            for k, (col, value, term) in enumerate(parts):
                # Two prefixes of one column neither of which starts the other have no row in common.
                before = [
                    not_(func.coalesce(t, False))
                    for c, v, t in parts[:k]
                    if c != col or v.startswith(value) or value.startswith(v)
                ]
                stmt = select(func.count()).select_from(run_t).where(term, *before, *extra)
                total += int(conn.execute(stmt).scalar_one())
        return total

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
        if order_by in _WALKED:
            conds = self._run_terms(flt, copies=True)
            index = self._walk_index(flt, order_by, conds)
            if index is not None:  # SQLite without statistics may take another index and sort
                base = base.with_hint(run_t, f"INDEXED BY {index}", "sqlite")
        else:
            conds = self._run_terms(flt)
        keys: list[tuple[Any, ...]] = []
        for extra in _after_ranges(order, after, descending):
            # The keyset range first: of two bounds on one column (a text prefix's and the page's),
            # SQLite takes the first for the index range and tests the other on every entry.
            stmt = base.where(and_(*extra, *conds)) if conds or extra else base
            stmt = stmt.order_by(*_order_by(order, descending, dialect)).limit(limit - len(keys))
            with self.engine.connect() as conn:
                keys += [tuple(r) for r in conn.execute(stmt)]
            if len(keys) >= limit:
                break
        return self._rows_for(order, keys)

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


def _variants(value: str) -> list[str]:
    """The case variants a short text matches: as typed, and in capitals (serials are)."""
    return sorted({value, value.upper()})


def _prefix_terms(value: str, cols: dict[str, ColumnElement[Any]]) -> list[ColumnElement[bool]]:
    """Short text: a prefix range per indexed column and case variant (the OR of them matches);
    ``cols``: the device's columns or the run's copies of them."""
    return [_prefix(cols[c], v) for c in _PREFIX_COLUMNS for v in _variants(value)]


def _model_terms(model: str, cols: dict[str, ColumnElement[Any]]) -> list[ColumnElement[bool]]:
    return [cols["model_id"] == model, cols["marketing_name"] == model]


def _text_probe(value: str) -> ColumnElement[bool]:
    """The text condition checked on one device row (LIKE), for a search matching many devices."""
    if len(value) < TRIGRAM:
        return or_(*_prefix_terms(value, _DEVICE_COLS))
    like = f"%{value}%"
    return or_(*(device_t.c[c].like(like) for c in TEXT_COLUMNS))


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

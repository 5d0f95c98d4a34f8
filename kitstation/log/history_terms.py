"""The History's filters as SQL terms on ``run``: what a count and a page both start from.

The small tables (blueprint, technician, station, session) are resolved to ids first, so a
filter is an equality on ``run`` that its ``(column, id)`` index answers. Text (serial, IMEI,
model) of three characters or more is a substring search through a trigram index (SQLite FTS5
``device_fts``; PostgreSQL ``pg_trgm`` where installed); shorter text matches the start of a
serial, IMEI or model, on the device's indexes or on the run's copy of them (migration 0004).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, exists, false, func, literal_column, or_, select, text

from kitstation.log.filters import RunFilter
from kitstation.log.queries import Row
from kitstation.log.tables import aware, bp_t, device_t, run_t, session_t, station_t, tech_t

# Shorter text cannot use a trigram index: it matches the start of these indexed columns instead.
TRIGRAM = 3
PREFIX_COLUMNS = ("serial", "imei", "model_id", "marketing_name")
# The run's copy of its device's columns (migration 0004; triggers keep them equal to the device's).
COPY: dict[str, ColumnElement[Any]] = {
    "serial": run_t.c.device_serial,
    "imei": run_t.c.device_imei,
    "model_id": run_t.c.device_model_id,
    "marketing_name": run_t.c.device_marketing_name,
}
_DEVICE_COLS: dict[str, ColumnElement[Any]] = {c: device_t.c[c] for c in PREFIX_COLUMNS}
# A device filter matching fewer devices than this is an IN list of their ids; more, a probe per run.
_FEW_DEVICES = 2000
# The device columns the trigram index covers (migration 0002 creates it).
TEXT_COLUMNS = ("serial", "imei", "imei2", "key", "model_id", "marketing_name")
_MAX_CHAR = "\U0010ffff"  # above every character: the end of a prefix range


def prefix_range(col: ColumnElement[Any], value: str) -> ColumnElement[bool]:
    """``col`` starts with ``value``, as a range an index answers (LIKE 'x%' is not, on SQLite)."""
    return and_(col >= value, col < value + _MAX_CHAR)


def fts_phrase(value: str) -> str:
    """``value`` as one FTS5 phrase (a substring, for the trigram tokenizer)."""
    return '"' + value.replace('"', '""') + '"'


def device_text_ids(dialect: str, value: str) -> Select[Any]:
    """The ids of the devices whose serial / IMEI / key / model contains ``value``."""
    if len(value) >= TRIGRAM and dialect == "sqlite":
        return select(literal_column("rowid")).select_from(text("device_fts")).where(
            text("device_fts MATCH :phrase").bindparams(phrase=fts_phrase(value))
        )
    if len(value) >= TRIGRAM:
        like = f"%{value}%"
        return select(device_t.c.id).where(or_(*(device_t.c[c].like(like) for c in TEXT_COLUMNS)))
    return select(device_t.c.id).where(or_(*prefix_terms(value, _DEVICE_COLS)))


def device_terms(flt: RunFilter, dialect: str) -> list[ColumnElement[bool]]:
    """The filter's terms on a device row (text, model), or none."""
    terms: list[ColumnElement[bool]] = []
    if flt.text:
        terms.append(device_t.c.id.in_(device_text_ids(dialect, flt.text)))
    if flt.model:
        terms.append(or_(*model_terms(flt.model, _DEVICE_COLS)))
    return terms


def variants(value: str) -> list[str]:
    """The case variants a short text matches: as typed, and in capitals (serials are)."""
    return sorted({value, value.upper()})


def prefix_terms(value: str, cols: dict[str, ColumnElement[Any]]) -> list[ColumnElement[bool]]:
    """Short text: a prefix range per indexed column and case variant (the OR of them matches);
    ``cols``: the device's columns or the run's copies of them."""
    return [prefix_range(cols[c], v) for c in PREFIX_COLUMNS for v in variants(value)]


def model_terms(model: str, cols: dict[str, ColumnElement[Any]]) -> list[ColumnElement[bool]]:
    """A model filter: the model id or the marketing name equals it."""
    return [cols["model_id"] == model, cols["marketing_name"] == model]


def _text_probe(value: str) -> ColumnElement[bool]:
    """The text condition checked on one device row (LIKE), for a search matching many devices."""
    if len(value) < TRIGRAM:
        return or_(*prefix_terms(value, _DEVICE_COLS))
    like = f"%{value}%"
    return or_(*(device_t.c[c].like(like) for c in TEXT_COLUMNS))


class HistoryTerms:
    """The filter-to-terms half of the History reads (mixed into :class:`kitstation.log.KitLog`)."""

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
        terms = device_terms(flt, self.engine.dialect.name)
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
                live = [t for t in prefix_terms(flt.text, COPY)
                        if conn.execute(select(literal_column("1")).select_from(run_t).where(t).limit(1)).first()]
            terms.append(or_(*live) if live else false())
        if flt.model:
            terms.append(or_(*model_terms(flt.model, COPY)))
        return terms

    def _few_devices(self, flt: RunFilter) -> Select[Any]:
        """The ids of the devices a text / model filter matches, as a select a LIMIT stops early.

        Not ``id IN (<text ids>)``: SQLite builds that whole set first (half a million ids for
        two characters) before the LIMIT applies.
        """
        dialect = self.engine.dialect.name
        if flt.text and not flt.model:
            return device_text_ids(dialect, flt.text)
        terms = device_terms(replace(flt, text=None), dialect)
        if flt.text:
            terms.append(device_t.c.id.in_(device_text_ids(dialect, flt.text)))
        return select(device_t.c.id).where(and_(*terms))


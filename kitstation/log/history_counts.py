"""The History's counts at a million runs: exact, join-free where they can be, by model where they match one.

* Every filter is a term on ``run`` itself (``device_id IN (...)`` for a device's serial / IMEI /
  model, ``technician_id IN (...)`` for a name...), which equals the count over the history join
  because each run has exactly one device, blueprint, station and at most one technician and session.
* A text or a model filter alone is counted by model first: the runs per (model id, marketing
  name) pair are kept by triggers in ``run_model_count`` (migration 0005), a few dozen rows, so
  "iP" (every iPhone's model id and name, half the runs) is a sum over the pairs it matches; the
  runs it matches by serial / IMEI / key only are counted on their own indexes (usually none),
  excluding those whose model already matched.
* A text or model with other filters is counted on the run's copies of its device's values
  (their indexes), or as an ``IN`` list of the few devices it matches.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import ColumnElement, and_, func, literal_column, not_, or_, select, text

from kitstation.log.filters import RunFilter
from kitstation.log.history_terms import (
    COPY,
    PREFIX_COLUMNS,
    TRIGRAM,
    HistoryTerms,
    device_terms,
    fts_phrase,
    model_terms,
    prefix_range,
    variants,
)
from kitstation.log.tables import device_t, model_count_t, run_t

# A short text's count reads at most this many entries of each prefix range to order its parts.
_SIZE_CAP = 10_000
# The columns a pair of run_model_count holds, and the device columns the rest of a text matches.
_PAIR_COLUMNS = ("model_id", "marketing_name")
_OTHER_TEXT_COLUMNS = ("serial", "imei", "imei2", "key")


class HistoryCounts(HistoryTerms):
    """History counts (mixed into :class:`kitstation.log.KitLog`)."""

    def count(self, flt: RunFilter | None = None) -> int:
        """How many runs a filter selects, exactly, counted on ``run`` alone (no join) where it can be.

        A text or a model alone: by model pair (see the module). With other filters, a short
        text or a model matching many devices is counted on the run's copies of the device's
        columns; a longer text from the trigram index of devices.
        """
        flt = flt or RunFilter()
        conds = self._run_terms(replace(flt, text=None, model=None))
        if not conds and bool(flt.text) != bool(flt.model):
            return self._count_by_models(flt)
        if flt.text or flt.model:
            kind, cond = self._device_condition(flt)
            if kind != "ids" and not conds:
                return self._count_from_devices(flt)
            if kind != "ids":  # many devices, with other filters: their copies, or a set of ids
                copy = self._copy_terms(flt)
                conds += copy if copy is not None else [run_t.c.device_id.in_(self._few_devices(flt))]
            else:
                conds.append(cond)
        stmt = select(func.count()).select_from(run_t)
        if conds:
            stmt = stmt.where(and_(*conds))
        with self.engine.connect() as conn:
            return int(conn.execute(stmt).scalar_one())

    def _pair_runs(self, cond: ColumnElement[bool]) -> tuple[int, bool]:
        """The runs of the model pairs matching ``cond``, and whether any pair with runs matched."""
        stmt = select(func.coalesce(func.sum(model_count_t.c.runs), 0), func.count()).where(
            cond, model_count_t.c.runs > 0
        )
        with self.engine.connect() as conn:
            runs, pairs = conn.execute(stmt).one()
        return int(runs), int(pairs) > 0

    def _count_by_models(self, flt: RunFilter) -> int:
        """A text or a model filter alone: the runs of the model pairs it matches, plus the runs
        it matches only by serial / IMEI / key."""
        pair = model_count_t.c
        if flt.model:
            return self._pair_runs(or_(pair.model_id == flt.model, pair.marketing_name == flt.model))[0]
        value = flt.text or ""
        if len(value) >= TRIGRAM:
            return self._count_substring(value)
        by_model, matched = self._pair_runs(
            or_(*(prefix_range(pair[c], v) for c in _PAIR_COLUMNS for v in variants(value)))
        )
        # Runs whose model already matched are left out of the serial / IMEI parts, checked on
        # their indexes (which carry the model copies); no pair matched: nothing to leave out.
        model_match = or_(*(prefix_range(COPY[c], v) for c in _PAIR_COLUMNS for v in variants(value)))
        exclude = [not_(func.coalesce(model_match, False))] if matched else []
        alternatives = [(c, v, prefix_range(COPY[c], v)) for c in ("serial", "imei") for v in variants(value)]
        return by_model + self._count_parts(alternatives, exclude)

    def _count_substring(self, value: str) -> int:
        """Text of three characters or more alone: pairs whose model id or name contains it (the
        same trigram tokenizer, or LIKE, as the devices'), then the devices it matches only in
        their serial, IMEI or key, joined to their runs."""
        if self.engine.dialect.name == "sqlite":
            phrase = fts_phrase(value)
            by_model, matched = self._pair_runs(
                model_count_t.c.id.in_(
                    select(literal_column("rowid")).select_from(text("run_model_fts")).where(
                        text("run_model_fts MATCH :phrase").bindparams(phrase=phrase)
                    )
                )
            )
            others = "{" + " ".join(_OTHER_TEXT_COLUMNS) + "} : " + phrase
            if matched:  # one FTS5 query: in those columns and not in the model's
                others += " NOT {" + " ".join(_PAIR_COLUMNS) + "} : " + phrase
            stmt = (
                select(func.count())
                .select_from(text("device_fts JOIN run ON run.device_id = device_fts.rowid"))
                .where(text("device_fts MATCH :query").bindparams(query=others))
            )
        else:
            like = f"%{value}%"
            by_model, matched = self._pair_runs(or_(*(model_count_t.c[c].like(like) for c in _PAIR_COLUMNS)))
            terms = [or_(*(device_t.c[c].like(like) for c in _OTHER_TEXT_COLUMNS))]
            if matched:
                terms.append(not_(func.coalesce(or_(*(device_t.c[c].like(like) for c in _PAIR_COLUMNS)), False)))
            stmt = select(func.count()).select_from(device_t.join(run_t, run_t.c.device_id == device_t.c.id))
            stmt = stmt.where(*terms)
        with self.engine.connect() as conn:
            return by_model + int(conn.execute(stmt).scalar_one())

    def _count_from_devices(self, flt: RunFilter) -> int:
        """The runs of the devices a text and a model filter together match, when they match many."""
        dialect = self.engine.dialect.name
        if flt.text and len(flt.text) >= TRIGRAM:
            stmt = (
                select(func.count())
                .select_from(device_t.join(run_t, run_t.c.device_id == device_t.c.id))
                .where(*device_terms(flt, dialect))
            )
            with self.engine.connect() as conn:
                return int(conn.execute(stmt).scalar_one())
        alternatives = [(c, v, prefix_range(COPY[c], v)) for c in PREFIX_COLUMNS for v in variants(flt.text or "")]
        return self._count_parts(alternatives, [or_(*model_terms(flt.model or "", COPY))])

    def _count_parts(
        self, alternatives: list[tuple[str, str, ColumnElement[bool]]], extra: list[ColumnElement[bool]]
    ) -> int:
        """The runs in any of these index ranges on the run's copies (and matching ``extra``).

        An OR would make SQLite collect and de-duplicate every matching run: each range is
        counted as its own disjoint part, excluding the earlier parts' ranges, checked on its
        index entries; so the largest ranges go first (the first is counted on its index alone),
        and a range holding no run is left out, of the parts and the exclusions.
        """
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

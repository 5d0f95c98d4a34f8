"""The summary of a selection, gathered in one streaming pass: counts, period, per-hour buckets.

Its memory is bounded by the number of distinct models, stations, technicians, blueprints and
hours in the selection, never by the number of rows; that is what lets the PDF's cover and the
XLSX's summary sheet cover 100,000 devices.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from kitstation.reports.model import (
    COLUMN_IDS,
    STATUS_ORDER,
    RowsDigest,
)

_CELLS = operator.itemgetter(*COLUMN_IDS)
_AT = {cid: i for i, cid in enumerate(COLUMN_IDS)}
_STARTED, _ENDED, _STATUS, _PLATFORM = _AT["started_at"], _AT["ended_at"], _AT["status"], _AT["platform"]
_MARKETING, _MODEL, _CUSTOMER, _ORDER = _AT["marketing_name"], _AT["model_id"], _AT["customer"], _AT["order_ref"]
_SESSION, _STATION, _TECHNICIAN = _AT["session_id"], _AT["station"], _AT["technician"]
_BP_HASH, _BP_NAME = _AT["blueprint_hash"], _AT["blueprint_name"]

# Too many bars make an unreadable chart: past this many hours the chart groups by day.
MAX_HOUR_BARS = 72
_HOUR = timedelta(hours=1)
_parse = datetime.fromisoformat
_HOUR_TEXT = operator.itemgetter(slice(0, 13))  # "2026-11-02T09" of a canonical UTC stamp


@dataclass
class Summary:
    rows: int = 0
    first_start: datetime | None = None
    last_end: datetime | None = None
    by_status: Counter[str] = field(default_factory=Counter)
    by_platform: Counter[str] = field(default_factory=Counter)
    by_model: Counter[str] = field(default_factory=Counter)
    by_hour: dict[datetime, Counter[str]] = field(default_factory=dict)  # UTC hour -> status counts
    customers: Counter[str] = field(default_factory=Counter)
    orders: Counter[str] = field(default_factory=Counter)
    sessions: Counter[int] = field(default_factory=Counter)
    stations: Counter[str] = field(default_factory=Counter)
    technicians: Counter[str] = field(default_factory=Counter)
    _bp_runs: Counter[str] = field(default_factory=Counter)  # blueprint hash -> runs
    _bp_names: dict[str, str] = field(default_factory=dict)  # blueprint hash -> name
    devices_seen: int = 0
    _last_hour: datetime = field(default=datetime.min.replace(tzinfo=UTC), repr=False, compare=False)
    _last_bucket: Counter[str] | None = field(default=None, repr=False, compare=False)
    digest: RowsDigest = field(default_factory=RowsDigest)

    def add(self, row: dict[str, Any]) -> None:
        """Take one display row (see :func:`kitstation.reports.model.display_row`)."""
        self.digest.update(row)
        self.add_cells(_CELLS(row))

    def add_cells(self, cells: Sequence[Any]) -> None:
        """Count one row given as its cells in ``COLUMN_IDS`` order (the digest is the caller's).

        By position, not by name: this runs for every row of a 100k export.
        """
        self.rows += 1
        start: datetime | None = cells[_STARTED]
        end: datetime | None = cells[_ENDED] or start
        if start is not None and (self.first_start is None or start < self.first_start):
            self.first_start = start
        if end is not None and (self.last_end is None or end > self.last_end):
            self.last_end = end
        status = cells[_STATUS]
        self.by_status[status] += 1
        self.by_platform[cells[_PLATFORM]] += 1
        self.by_model[cells[_MARKETING] or cells[_MODEL] or cells[_PLATFORM]] += 1
        if start is not None:
            # Runs come in id order, so mostly in time order: the last row's hour usually holds this
            # one too, and two comparisons are cheaper than truncating every start time.
            bucket = self._last_bucket
            if bucket is None or not (self._last_hour <= start < self._last_hour + _HOUR):
                hour = start.replace(minute=0, second=0, microsecond=0)
                bucket = self.by_hour.get(hour)
                if bucket is None:  # not setdefault(): that would build a Counter for every row
                    bucket = self.by_hour[hour] = Counter()
                self._last_hour, self._last_bucket = hour, bucket
            bucket[status] += 1
        if cells[_CUSTOMER]:
            self.customers[cells[_CUSTOMER]] += 1
        if cells[_ORDER]:
            self.orders[cells[_ORDER]] += 1
        if cells[_SESSION] is not None:
            self.sessions[int(cells[_SESSION])] += 1
        self.stations[cells[_STATION]] += 1
        if cells[_TECHNICIAN]:
            self.technicians[cells[_TECHNICIAN]] += 1
        bp_hash = cells[_BP_HASH]
        self._bp_runs[bp_hash] += 1
        if bp_hash not in self._bp_names:
            self._bp_names[bp_hash] = cells[_BP_NAME]

    def add_columns(self, cols: Sequence[Sequence[Any]]) -> None:
        """Count a page given as display columns (:mod:`kitstation.reports.pages`; the digest is the caller's).

        The timestamps are canonical UTC text (``""`` when empty), which sorts as the times do:
        the period's ends are one ``min`` / ``max`` per page, and the hour buckets one ``Counter``
        of (hour text, status) pairs. The same counts as :meth:`add_cells` row by row.
        """
        starts, statuses = cols[_STARTED], cols[_STATUS]
        if not starts:
            return
        self.rows += len(starts)
        # Every step below is one C-level pass over a column (filter, map, all, min/max, Counter);
        # a comprehension only where a column has the empty values the fast path cannot take.
        first_text = min(filter(None, starts), default="")
        if first_text:
            first = _parse(first_text)
            if self.first_start is None or first < self.first_start:
                self.first_start = first
        ended = cols[_ENDED]
        if all(ended):  # "" sorts first, so max() of the ends is the latest end
            last_text = max(ended)
        else:  # a run without an end counts by its start
            last_text = max((e or s for e, s in zip(ended, starts, strict=True)), default="")
        if last_text:
            last = _parse(last_text)
            if self.last_end is None or last > self.last_end:
                self.last_end = last
        self.by_status.update(statuses)
        platforms = cols[_PLATFORM]
        self.by_platform.update(platforms)
        marketing, models = cols[_MARKETING], cols[_MODEL]
        if all(marketing):
            self.by_model.update(marketing)
        else:
            self.by_model.update([m or i or p for m, i, p in zip(marketing, models, platforms, strict=True)])
        self.customers.update(filter(None, cols[_CUSTOMER]))
        self.orders.update(filter(None, cols[_ORDER]))
        sessions = cols[_SESSION]
        if set(map(type, sessions)) == {int}:  # the log's ids: counted as they are
            self.sessions.update(sessions)
        else:
            self.sessions.update(int(v) for v in sessions if v is not None)
        self.stations.update(cols[_STATION])
        self.technicians.update(filter(None, cols[_TECHNICIAN]))
        hashes = cols[_BP_HASH]
        self._bp_runs.update(hashes)
        names = self._bp_names
        # Each hash's name from its first row: reversed, the first row's is the one dict() keeps.
        for bp_hash, name in dict(zip(reversed(hashes), reversed(cols[_BP_NAME]), strict=True)).items():
            if bp_hash not in names:
                names[bp_hash] = name
        # (hour text, status) pairs, a run without a start under the hour "" (skipped below).
        pairs = Counter(zip(map(_HOUR_TEXT, starts), statuses, strict=True))
        by_hour = self.by_hour
        for (hour_text, status), n in pairs.items():
            if not hour_text:
                continue
            hour = _parse(hour_text + ":00:00+00:00")
            bucket = by_hour.get(hour)
            if bucket is None:
                bucket = by_hour[hour] = Counter()
            bucket[status] += n

    @property
    def blueprints(self) -> dict[tuple[str, str], int]:
        """Runs per blueprint, keyed by (name, content hash)."""
        return {(self._bp_names[h], h): n for h, n in self._bp_runs.items()}

    def statuses(self) -> list[tuple[str, int]]:
        """Counts by outcome in a fixed order (every known status, then any unknown one)."""
        known = [(s, self.by_status.get(s, 0)) for s in STATUS_ORDER]
        extra = [(s, n) for s, n in sorted(self.by_status.items()) if s not in STATUS_ORDER]
        return known + extra

    def buckets(self, zone: tzinfo) -> tuple[str, list[tuple[datetime, Counter[str]]]]:
        """Chart bars in the display zone: ("hour", ...) or ("day", ...) when there are too many hours."""
        if not self.by_hour:
            return "hour", []
        hours = sorted(self.by_hour)
        span = int((hours[-1] - hours[0]).total_seconds() // 3600) + 1
        if span <= MAX_HOUR_BARS:
            out = []
            t = hours[0]
            while t <= hours[-1]:  # empty hours too: a gap in the bench's day shows as a gap
                out.append((t.astimezone(zone), self.by_hour.get(t, Counter())))
                t += timedelta(hours=1)
            return "hour", out
        days: dict[datetime, Counter[str]] = {}
        for t, counts in self.by_hour.items():
            local = t.astimezone(zone)
            day = local.replace(hour=0, minute=0, second=0, microsecond=0)
            days.setdefault(day, Counter()).update(counts)
        return "day", sorted(days.items())

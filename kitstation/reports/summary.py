"""The summary of a selection, gathered in one streaming pass: counts, period, per-hour buckets.

Its memory is bounded by the number of distinct models, stations, technicians, blueprints and
hours in the selection, never by the number of rows; that is what lets the PDF's cover and the
XLSX's summary sheet cover 100,000 devices.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from kitstation.reports.model import STATUS_ORDER, RowsDigest

# Too many bars make an unreadable chart: past this many hours the chart groups by day.
MAX_HOUR_BARS = 72


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
    digest: RowsDigest = field(default_factory=RowsDigest)

    def add(self, row: dict[str, Any]) -> None:
        """Take one display row (see :func:`kitstation.reports.model.display_row`)."""
        self.rows += 1
        self.digest.update(row)
        start: datetime | None = row["started_at"]
        end: datetime | None = row["ended_at"] or start
        if start is not None and (self.first_start is None or start < self.first_start):
            self.first_start = start
        if end is not None and (self.last_end is None or end > self.last_end):
            self.last_end = end
        status = row["status"]
        self.by_status[status] += 1
        self.by_platform[row["platform"]] += 1
        self.by_model[row["marketing_name"] or row["model_id"] or row["platform"]] += 1
        if start is not None:
            hour = start.replace(minute=0, second=0, microsecond=0)
            bucket = self.by_hour.get(hour)
            if bucket is None:  # not setdefault(): that would build a Counter for every row
                bucket = self.by_hour[hour] = Counter()
            bucket[status] += 1
        if row["customer"]:
            self.customers[row["customer"]] += 1
        if row["order_ref"]:
            self.orders[row["order_ref"]] += 1
        if row["session_id"] is not None:
            self.sessions[int(row["session_id"])] += 1
        self.stations[row["station"]] += 1
        if row["technician"]:
            self.technicians[row["technician"]] += 1
        self._bp_runs[row["blueprint_hash"]] += 1
        self._bp_names.setdefault(row["blueprint_hash"], row["blueprint_name"])

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

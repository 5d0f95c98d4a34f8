"""The exports' column-wise path: a page of the log's rows as display columns, hashed and counted.

:meth:`KitLog.selection_columns` gives a page of 2,000 rows as one sequence per history column,
timestamps as UTC ISO 8601 text. Here each display column (:data:`~kitstation.reports.model.COLUMN_IDS`
order) is made from them by one comprehension, or taken as it is when nothing in it needs
changing; the canonical lines of the rows digest are joined a page at a time, and the CSV/XLSX
writers make their text from the same columns. Nothing runs per row that can run per column: on
a 100k-run export the per-row Python (a dict per row, a list of cells per row, the digest line, the
timestamps' ``isoformat()``) was most of the time.

The values equal :func:`~kitstation.reports.model.display_row`'s, but for the timestamps, which
are the canonical text (``""`` when empty) instead of datetimes; ``tests/reports`` compares them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from kitstation.i18n import Language
from kitstation.log import DeviceList, KitLog, Selection
from kitstation.log.filters import HISTORY_COLUMNS
from kitstation.reports.model import (
    CANONICAL_FIELDS,
    COLUMN_IDS,
    _canon_value,
    _status_label,
    handoff_cell,
    scrub,
)

Columns = list[Sequence[Any]]
"""One page: ``cols[i][j]`` is column ``i`` (``COLUMN_IDS`` order) of row ``j``."""

PAGE_ROWS = 2000  # the log's page size: one page alive at a time keeps memory flat

_H = {k: i for i, k in enumerate(HISTORY_COLUMNS)}
_AT = {cid: i for i, cid in enumerate(COLUMN_IDS)}
# Display columns that are the history column of the same name with None as "".
_PLAIN_TEXT = (
    "error_code", "platform", "device_key", "serial", "imei", "imei2", "udid", "model_id", "marketing_name",
    "os_version", "blueprint_name", "blueprint_hash", "station", "technician", "slot", "order_ref", "customer",
    "device_name",
)  # fmt: skip
_AS_IS = ("run_id", "session_id", "battery_percent")  # ints (or None): taken as they are
_STAMPS = ("started_at", "ended_at")
_CANON_AT = tuple(_AT[f] for f in CANONICAL_FIELDS)
_INTS_IN_CANON = frozenset(_AT[f] for f in ("run_id", "session_id"))
_ESCAPED = ("\\", "\t", "\r", "\n")


def text_column(values: Sequence[Any]) -> Sequence[Any]:
    """A text column with ``None`` as ``""`` (the column itself when it holds no ``None``)."""
    try:
        # A column of text only is the common case: ``join`` proves it in C at a few ns a value,
        # where ``count(None)`` compares each string with None (~50 ns: a fifth of the pages' time).
        "".join(values)
        return values
    except TypeError:  # a None (or a value that is not text): counted as before
        pass
    nones = values.count(None)
    if not nones:
        return values
    if nones == len(values):  # (imei2, error codes, reasons: mostly all empty)
        return [""] * nones
    return [v or "" for v in values]


def int_text(values: Sequence[Any]) -> list[str]:
    """A column of ints (or ``None``) as their digits (``""`` for ``None``)."""
    nones = values.count(None)
    if not nones:
        return list(map(str, values))
    if nones == len(values):  # (battery levels, mostly not read)
        return [""] * nones
    return ["" if v is None else str(v) for v in values]


def display_pages(
    kitlog: KitLog, sel: Selection, kind: DeviceList | None, language: Language, batch: int = PAGE_ROWS
) -> Iterator[Columns]:
    """The selection as pages of display columns, oldest run first."""
    for raw in kitlog.selection_columns(sel, kind, batch, stamps_as_text=True):
        yield display_columns(raw, language)


def display_columns(raw: Sequence[Sequence[Any]], language: Language) -> Columns:
    """A page of history columns (``HISTORY_COLUMNS`` order) as display columns (``COLUMN_IDS`` order)."""
    cols: Columns = [()] * len(COLUMN_IDS)
    for cid in _PLAIN_TEXT:
        cols[_AT[cid]] = text_column(raw[_H[cid]])
    for cid in _AS_IS:
        cols[_AT[cid]] = raw[_H[cid]]
    for cid in _STAMPS:
        cols[_AT[cid]] = text_column(raw[_H[cid]])
    status = cols[_AT["status"]] = text_column(raw[_H["status"]])
    labels = {s: _status_label(s, language) for s in set(status)}
    cols[_AT["status_label"]] = list(map(labels.__getitem__, status))
    cols[_AT["reason"]] = _reasons(raw[_H["reason_en"]], raw[_H["reason_ja"]], language)
    external = text_column(raw[_H["external_state"]])
    details = raw[_H["assignment_detail"]]
    if any(details):
        external = [
            handoff_cell({"external_state": e, "assignment_detail": d}) if d else e
            for e, d in zip(external, details, strict=True)
        ]
    cols[_AT["external_state"]] = external
    return cols


def _reasons(en: Sequence[str | None], ja: Sequence[str | None], language: Language) -> Sequence[str]:
    if not any(en) and not any(ja):
        return [""] * len(en)
    scrubbed: dict[str | None, str] = {}  # reasons repeat (one failure, many devices): scrubbed once each

    def once(text: str | None) -> str:
        out = scrubbed.get(text)
        if out is None:
            out = scrubbed[text] = scrub(text)
        return out

    chosen = ja if language == "ja" else en
    return [(once(r) or once(e)) if (r or e) else "" for r, e in zip(chosen, en, strict=True)]


def canonical_columns(cols: Columns) -> list[Sequence[str]]:
    """The page's evidence fields (``CANONICAL_FIELDS`` order) as the canonical text, escaped."""
    out: list[Sequence[str]] = []
    for i in _CANON_AT:
        col = cols[i]
        if i in _INTS_IN_CANON:
            col = int_text(col)
        try:
            joined = "".join(col)
        except TypeError:  # a value that is not text (not so in the log's columns): as canonical_line has it
            col = [v if type(v) is str else _canon_value(v) for v in col]
            joined = "".join(col)
        if any(c in joined for c in _ESCAPED):
            col = [v.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n") for v in col]
        out.append(col)
    return out


def canonical_page(cols: Columns) -> bytes:
    """The canonical lines of a page's rows (:func:`~kitstation.reports.model.canonical_line`), joined."""
    canon = canonical_columns(cols)
    if not canon[0]:
        return b""
    return joined_rows(canon, "\t", "\n").encode("utf-8")


def joined_rows(cols: Sequence[Sequence[str]], sep: str, end: str) -> str:
    """The rows of text columns, each row's fields joined by ``sep`` and ended by ``end``, as one text.

    ``zip`` hands each row's fields to ``sep.join`` as one tuple (which it reuses from row to row,
    since ``join`` keeps no reference to it), and the lines are joined in turn: both joins in C.
    Measured on the 100k-run log's pages (2,000 rows of 27 fields, in-process, best of 5): 0.11 s
    per 100k rows this way, 0.24 s for one ``join`` over the fields interleaved with
    ``repeat(sep)`` (the ``list`` that ``join`` makes of such an iterator is 54 items a row).
    """
    if not cols or not cols[0]:
        return ""
    return end.join(map(sep.join, zip(*cols, strict=True))) + end


def page_rows(cols: Columns) -> int:
    return len(cols[0])


_parse = datetime.fromisoformat


def parse_stamp(text: str) -> datetime:
    """Canonical UTC text back to an aware datetime (``tzinfo`` ``datetime.UTC`` itself)."""
    return _parse(text)


# "MM:SS" -> seconds into the hour: one dict lookup instead of two int() per timestamp.
_MMSS = {f"{m:02d}:{sec:02d}": m * 60 + sec for m in range(60) for sec in range(60)}

_Entry = tuple[str, str, int, int]  # local text prefix, offset text, Excel day, local seconds at its start


class LocalStamps:
    """Canonical UTC text as the report zone's ISO text and as Excel serials, cached per hour.

    The zone's offset is looked up once per UTC hour (checked at both ends of it: a zone changes
    its offset far less often than twice an hour), and a stamp is that hour's local text with its
    own minutes and seconds: a 100k export has hundreds of hours, not 200,000 timestamps to
    convert. A zone whose offset is not whole hours (UTC+05:30) is cached per minute instead, and
    an hour or minute in which the offset changes is converted stamp by stamp.
    """

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._hours: dict[str, _Entry | None] = {}
        self._minutes: dict[str, _Entry | None] = {}

    def _entry(self, key: str, span: int, cache: dict[str, _Entry | None]) -> _Entry | None:
        if len(cache) > 100_000:
            cache.clear()  # a bound on memory, never reached by one selection's period
        start = _parse(key + (":00:00+00:00" if span == 3600 else ":00+00:00")).astimezone(self.zone)
        end = (start + timedelta(seconds=span - 1)).astimezone(self.zone)
        offset = start.utcoffset()
        entry: _Entry | None = None
        if offset is not None and offset == end.utcoffset() and not offset.total_seconds() % span:
            text = start.isoformat()  # YYYY-MM-DDTHH:MM:00+HH:MM
            naive = start.replace(tzinfo=None)
            days = (naive - _EXCEL_EPOCH).days
            if 0 < days <= 60:  # openpyxl's 1900 leap-year adjustment (to_excel)
                days -= 1
            cut = 13 if span == 3600 else 16
            entry = (text[:cut], text[19:], days, naive.hour * 3600 + (0 if span == 3600 else naive.minute * 60))
        cache[key] = entry
        return entry

    def _minute(self, t: str) -> _Entry | None:
        key = t[:16]
        minutes = self._minutes
        return minutes[key] if key in minutes else self._entry(key, 60, minutes)

    def local_text(self, col: Sequence[str]) -> list[str]:
        """Each stamp (``""`` stays ``""``) as ``datetime.astimezone(zone).isoformat()`` gives it."""
        hours = self._hours
        out: list[str] = []
        append = out.append
        for t in col:
            if not t:
                append("")
                continue
            key = t[:13]
            entry = hours[key] if key in hours else self._entry(key, 3600, hours)
            if entry is not None:
                append(entry[0] + t[13:19] + entry[1])
            elif (entry := self._minute(t)) is not None:
                append(entry[0] + t[16:19] + entry[1])
            else:
                append(_parse(t).astimezone(self.zone).isoformat())
        return out

    def excel(self, col: Sequence[str]) -> list[str]:
        """Each stamp's local wall time as openpyxl's ``to_excel`` serial, as text (``""`` stays ``""``).

        to_excel is ``days + (h*3600 + m*60 + s + microsecond/10**6) / 86400`` (microsecond 0
        here): the same integers, divided the same way, give the same float.
        """
        hours = self._hours
        mmss = _MMSS
        out: list[str] = []
        append = out.append
        for t in col:
            if not t:
                append("")
                continue
            key = t[:13]
            entry = hours[key] if key in hours else self._entry(key, 3600, hours)
            if entry is not None:
                append(str(entry[2] + (entry[3] + mmss[t[14:19]]) / 86400))
            elif (entry := self._minute(t)) is not None:
                append(str(entry[2] + (entry[3] + int(t[17:19])) / 86400))
            else:
                append(str(_to_excel(_parse(t).astimezone(self.zone).replace(tzinfo=None))))
        return out


_EXCEL_EPOCH = datetime(1899, 12, 30)


def _to_excel(naive: datetime) -> float:
    """openpyxl's ``to_excel`` of a naive datetime (Windows epoch), the same arithmetic."""
    days = (naive - _EXCEL_EPOCH).days
    if 0 < days <= 60:
        days -= 1
    return days + (naive.hour * 3600 + naive.minute * 60 + naive.second + naive.microsecond / 10**6) / 86400


def is_utc(zone: tzinfo) -> bool:
    """Whether the zone is UTC at every instant (its text is then the canonical text itself)."""
    return zone is UTC or (isinstance(zone, timezone) and zone.utcoffset(None) == timedelta(0))

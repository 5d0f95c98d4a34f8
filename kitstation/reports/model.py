"""What a report holds: its columns, options, the selection query and the canonical row digest.

Every format reads the same rows (``KitLog.iter_selection``) in run-id order, so a CSV, an XLSX and a PDF
of one selection agree row for row. The selection (:class:`kitstation.log.Selection`) is pinned at
export time by the highest run id seen: re-running it later (``verify_report``) finds the same runs
even after the station kitted more devices.

The rows digest (``rows_sha256``) is SHA-256 over a canonical text form of the *evidence fields*
of each row (:data:`CANONICAL_FIELDS`): identity of the device, what was applied, by whom, when,
with what result. Mutable device facts (OS version, hand-off state) are shown but not hashed,
because they legitimately change after delivery (an OS update, ABM assignment done later).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from kitstation.domain.handoff import HANDOFF_TEXT
from kitstation.i18n import Language, Text
from kitstation.log import Selection
from kitstation.log.store import aware

_W = TypeVar("_W", bound=Callable[..., Any])

ProgressFn = Callable[[int, int], None]
"""``progress(done, total)``: called every few hundred rows; ``total`` is the selection's size."""

MANIFEST_KIND = "kitstation-report"
MANIFEST_VERSION = 1


class ReportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    PDF = "pdf"
    JSON = "json"
    KME_CSV = "kme-csv"
    ABM_CSV = "abm-csv"


ColumnKind = Literal["int", "text", "datetime"]


@dataclass(frozen=True, slots=True)
class Column:
    """One report column: a stable machine id, its headers in both languages, its cell type."""

    id: str
    title: Text
    kind: ColumnKind = "text"
    width: int = 14  # XLSX column width (characters)


# The detail columns, in order. The ids are stable (documented in docs/REPORTS.md): add new
# columns at the end, never rename or reorder, so scripts reading the CSV by position keep working.
COLUMNS: tuple[Column, ...] = (
    Column("run_id", Text("Run ID", "実行ID"), "int", 9),
    Column("started_at", Text("Started", "開始日時"), "datetime", 20),
    Column("ended_at", Text("Ended", "終了日時"), "datetime", 20),
    Column("status", Text("Status", "ステータス"), "text", 16),
    Column("status_label", Text("Result", "結果"), "text", 14),
    Column("error_code", Text("Error code", "エラーコード"), "text", 16),
    Column("reason", Text("Reason", "理由"), "text", 40),
    Column("platform", Text("Platform", "プラットフォーム"), "text", 10),
    Column("device_key", Text("Device key", "デバイスキー"), "text", 26),
    Column("serial", Text("Serial number", "シリアル番号"), "text", 16),
    Column("imei", Text("IMEI", "IMEI"), "text", 17),
    Column("imei2", Text("IMEI 2", "IMEI 2"), "text", 17),
    Column("udid", Text("UDID", "UDID"), "text", 28),
    Column("model_id", Text("Model ID", "モデルID"), "text", 14),
    Column("marketing_name", Text("Model", "機種名"), "text", 20),
    Column("os_version", Text("OS version", "OSバージョン"), "text", 10),
    Column("external_state", Text("Hand-off state", "引き渡し状態"), "text", 16),
    Column("blueprint_name", Text("Blueprint", "ブループリント"), "text", 20),
    Column("blueprint_hash", Text("Blueprint SHA-256", "ブループリントSHA-256"), "text", 66),
    Column("station", Text("Station", "ステーション"), "text", 14),
    Column("technician", Text("Technician", "作業者"), "text", 14),
    Column("slot", Text("Slot", "スロット"), "text", 10),
    Column("session_id", Text("Batch ID", "バッチID"), "int", 9),
    Column("order_ref", Text("Order reference", "注文番号"), "text", 16),
    Column("customer", Text("Customer", "顧客"), "text", 20),
    # What the run left on the device: its name read back, the battery level at hand-over.
    Column("device_name", Text("Device name", "デバイス名"), "text", 22),
    Column("battery_percent", Text("Battery (%)", "電池残量 (%)"), "int", 10),
)
COLUMN_IDS: tuple[str, ...] = tuple(c.id for c in COLUMNS)
COLUMN_BY_ID: dict[str, Column] = {c.id: c for c in COLUMNS}

# The fields the rows digest covers (see the module docstring for why not every column).
CANONICAL_FIELDS: tuple[str, ...] = (
    "run_id",
    "platform",
    "device_key",
    "serial",
    "imei",
    "imei2",
    "udid",
    "model_id",
    "status",
    "error_code",
    "started_at",
    "ended_at",
    "blueprint_hash",
    "station",
    "technician",
    "session_id",
    "order_ref",
    "customer",
)

STATUS_TEXT: dict[str, Text] = {
    "ok": Text("OK", "成功"),
    "failed": Text("Failed", "失敗"),
    "waiting_external": Text("Waiting (ABM/KME)", "外部待ち (ABM/KME)"),
    "interrupted": Text("Interrupted", "中断"),
    "cancelled": Text("Cancelled", "キャンセル"),
    "running": Text("Running", "実行中"),
}
STATUS_ORDER: tuple[str, ...] = tuple(STATUS_TEXT)

EXTERNAL_TEXT: dict[str, Text] = {state.value: text for state, text in HANDOFF_TEXT.items()}

# Defence in depth: the log holds no secrets, but a reason text is free text written by a step.
# Anything shaped like "password: xyz" / "psk=xyz" is masked before it reaches a report, up to the
# next whitespace (a closing bracket too: a password may contain one, so masking more is the safe side).
_SECRET_RE = re.compile(
    r"(?i)\b(password|passwd|passphrase|passcode|psk|secret|private[ _-]?key|token|pin)\b(\s*[:=]\s*|\s+is\s+)(\S+)"
)


def scrub(text: str | None) -> str:
    """A reason text fit for a report: secret-looking assignments masked, whitespace kept single-line."""
    if not text:
        return ""
    masked = _SECRET_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    return " ".join(masked.split())


@dataclass(frozen=True)
class ReportOptions:
    """How a report is written (the selection itself is a :class:`RunFilter`)."""

    language: Language = "en"
    customer: str = ""  # cover/summary override; default: the selection's customers
    order_ref: str = ""
    title: str = ""
    tz: tzinfo | None = None  # display zone; None: the station's current local offset
    latest_only: bool = False  # one row per device: its latest run in the selection
    csv_column_ids: bool = False  # CSV header: the machine column ids instead of the titles
    pdf_max_rows: int = 5000  # device table rows in a PDF (0: no cap); the summary covers all rows
    pdf_font: str | None = None  # a TrueType (.ttf/.ttc) file, "cid" for the built-in CID font
    kme_all_android: bool = False  # KME list: every Android device, not only those listed for KME
    kme_identifier: Literal["imei", "serial", "imei_or_serial"] | None = None  # override the blueprint's
    kme_columns: tuple[str, ...] | None = None
    kme_header: bool | None = None
    abm_columns: tuple[str, ...] = ("serial",)  # add "model", "order_ref" for the reseller form
    abm_header: bool = True
    write_sidecar: bool = True  # FILE.sha256 next to the report

    def zone(self) -> tzinfo:
        if self.tz is not None:
            return self.tz
        offset = datetime.now().astimezone().utcoffset() or timedelta(0)
        return timezone(offset)


@dataclass
class ReportResult:
    """What an export wrote: paths, counts and both digests."""

    path: Path
    format: ReportFormat
    rows: int  # rows in the selection (runs, or devices for the platform lists)
    file_sha256: str  # SHA-256 of the file's bytes (also in FILE.sha256)
    rows_sha256: str  # canonical digest of the rows (inside PDF/XLSX/JSON)
    sidecar: Path | None = None
    empty: bool = False
    warnings: list[Text] = field(default_factory=list)


# --- cell values --------------------------------------------------------------------------------------
def utc(value: datetime | None) -> datetime | None:
    """A log timestamp as aware UTC, truncated to seconds (what every format shows)."""
    if value is None:
        return None
    if value.tzinfo is UTC:  # what the log returns: skip the zone conversion
        return value.replace(microsecond=0) if value.microsecond else value
    return aware(value).astimezone(UTC).replace(microsecond=0)


_STATUS_LABELS: dict[tuple[str, str], str] = {}


def _status_label(status: str, language: Language) -> str:
    key = (status, language)
    label = _STATUS_LABELS.get(key)
    if label is None:
        label = _STATUS_LABELS[key] = STATUS_TEXT.get(status, Text.plain(status)).get(language)
    return label


def handoff_cell(row: dict[str, Any]) -> str:
    """The hand-off state; for a cloud assignment, with its activity / request id ("abm_assigned (activity X)")."""
    state = str(row.get("external_state") or "")
    raw = row.get("assignment_detail")
    if not raw:
        return state
    try:
        detail = json.loads(raw)
    except ValueError:
        return state
    if not isinstance(detail, dict):
        return state
    if detail.get("abm_activity_id"):
        return f"{state} (activity {detail['abm_activity_id']})"
    if detail.get("kme_request_id"):
        return f"{state} (request {detail['kme_request_id']})"
    return state


def display_row(row: dict[str, Any], language: Language) -> dict[str, Any]:
    """A history row as report cells (typed: ints, aware UTC datetimes, strings; None where empty)."""
    get = row.get
    status = get("status") or ""
    reason_en = get("reason_en")
    reason = get("reason_ja") if language == "ja" else reason_en
    # One literal in COLUMN_IDS order (a dict keeps it): this runs for every row of a 100k export.
    return {
        "run_id": row["run_id"],
        "started_at": utc(get("started_at")),
        "ended_at": utc(get("ended_at")),
        "status": status,
        "status_label": _status_label(status, language),
        "error_code": get("error_code") or "",
        "reason": (scrub(reason) or scrub(reason_en)) if (reason or reason_en) else "",
        "platform": get("platform") or "",
        "device_key": get("device_key") or "",
        "serial": get("serial") or "",
        "imei": get("imei") or "",
        "imei2": get("imei2") or "",
        "udid": get("udid") or "",
        "model_id": get("model_id") or "",
        "marketing_name": get("marketing_name") or "",
        "os_version": get("os_version") or "",
        "external_state": handoff_cell(row),
        "blueprint_name": get("blueprint_name") or "",
        "blueprint_hash": get("blueprint_hash") or "",
        "station": get("station") or "",
        "technician": get("technician") or "",
        "slot": get("slot") or "",
        "session_id": get("session_id"),
        "order_ref": get("order_ref") or "",
        "customer": get("customer") or "",
        "device_name": get("device_name") or "",
        "battery_percent": get("battery_percent"),
    }


def _canon_value(value: Any) -> str:
    # Exact type checks first: this runs for every field of every row of a 100k export.
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if value is None:
        return ""
    if kind is int:
        return str(value)
    if isinstance(value, datetime):
        stamp: datetime = value
        if stamp.tzinfo is not UTC or stamp.microsecond:
            stamp = aware(stamp).astimezone(UTC).replace(microsecond=0)
        return stamp.isoformat()
    if isinstance(value, float) and value.is_integer():  # a number read back from a spreadsheet
        return str(int(value))
    return str(value)


_CANONICAL_GETTER = operator.itemgetter(*CANONICAL_FIELDS)


def canonical_line(row: dict[str, Any]) -> bytes:
    """One row's evidence fields as one canonical line: UTF-8, tab-separated, ``\\n``-terminated.

    Fields in :data:`CANONICAL_FIELDS` order, each as text (empty for none, decimal integers, UTC
    ISO 8601 timestamps in whole seconds); a backslash, tab, CR or LF inside a value is escaped
    as ``\\\\``, ``\\t``, ``\\r``, ``\\n``. Plain joins rather than JSON: this runs for every row.
    """
    try:
        fields = _CANONICAL_GETTER(row)
    except KeyError:  # a partial row (read back from a file): missing fields are empty
        fields = tuple(row.get(k) for k in CANONICAL_FIELDS)
    return canonical_bytes([v if type(v) is str else _canon_value(v) for v in fields])


def canonical_bytes(values: list[str]) -> bytes:
    """The canonical line of one row's evidence fields, already as text (see :func:`canonical_line`)."""
    line = "\t".join(values)
    if line.count("\t") != len(values) - 1 or "\n" in line or "\r" in line or "\\" in line:
        line = "\t".join(
            v.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n") for v in values
        )
    return (line + "\n").encode("utf-8")


class RowsDigest:
    """SHA-256 over the canonical lines of rows fed in run-id order."""

    def __init__(self) -> None:
        self._h = hashlib.sha256(f"{MANIFEST_KIND}/{MANIFEST_VERSION}\n".encode())
        self.count = 0

    def update(self, row: dict[str, Any]) -> None:
        self._h.update(canonical_line(row))
        self.count += 1

    def update_line(self, line: bytes) -> None:
        """Take a row's canonical line made by the caller (:func:`canonical_bytes`)."""
        self._h.update(line)
        self.count += 1

    def update_block(self, lines: bytes, count: int) -> None:
        """Take ``count`` rows' canonical lines joined (:func:`kitstation.reports.pages.canonical_page`)."""
        self._h.update(lines)
        self.count += count

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def rows_digest(rows: Iterable[dict[str, Any]]) -> str:
    d = RowsDigest()
    for r in sorted(rows, key=lambda r: int(r["run_id"])):
        d.update(r)
    return d.hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def write_sidecar(path: Path, digest: str) -> Path:
    """``FILE.sha256`` in ``sha256sum`` format, so ``sha256sum -c FILE.sha256`` checks it too."""
    side = sidecar_path(path)
    write_sidecar_as(side, path.name, digest)
    return side


def write_sidecar_as(side: Path, name: str, digest: str) -> None:
    """The ``sha256sum`` line for the file ``name``, written at ``side``."""
    side.write_text(f"{digest}  {name}\n", encoding="utf-8")


def manifest(fmt: ReportFormat, sel: Selection, rows: int, digest: str, zone: tzinfo, language: str) -> dict[str, Any]:
    """What a report says about itself (embedded in PDF/XLSX/JSON) so a copy can be re-checked."""
    offset = datetime.now(UTC).astimezone(zone).utcoffset() or timedelta(0)
    return {
        "kind": MANIFEST_KIND,
        "version": MANIFEST_VERSION,
        "format": fmt.value,
        "selection": sel.to_json(),
        "rows": rows,
        "rows_sha256": digest,
        "utc_offset_minutes": int(offset.total_seconds() // 60),
        "language": language,
        "canonical_fields": list(CANONICAL_FIELDS),
    }


def local(value: datetime | None, zone: tzinfo) -> datetime | None:
    return value.astimezone(zone) if value is not None else None


def zone_label(zone: tzinfo) -> str:
    """``UTC+09:00`` for the report's headers."""
    offset = datetime.now(UTC).astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def header(column: Column, language: Language, zone: tzinfo) -> str:
    title = column.title.get(language)
    return f"{title} ({zone_label(zone)})" if column.kind == "datetime" else title


@contextmanager
def export_gc() -> Iterator[None]:
    """Fewer, cheaper garbage collections while an export streams its rows.

    A 100k export allocates millions of short-lived rows; each full collection walked every
    object the process had before the export too (the interpreter, SQLAlchemy, openpyxl), a fifth
    of a CSV export's CPU. Those objects are frozen (``gc.freeze``: not walked) for the export and
    young collections run less often; both are undone afterwards. Rows are not cyclic: reference
    counting frees them either way, so memory stays as flat as before.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 10_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def with_export_gc(writer: _W) -> _W:
    """A report writer run inside :func:`export_gc`."""

    @functools.wraps(writer)
    def run(*args: Any, **kwargs: Any) -> Any:
        with export_gc():
            return writer(*args, **kwargs)

    return cast(_W, run)

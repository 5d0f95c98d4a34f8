"""``verify_report``: is this copy of a report the one the station wrote, and does it match the log?

Three independent checks, each reported (a check that cannot apply is *skipped*, not passed):

* **file** -- the bytes against ``FILE.sha256`` written next to the report (any change at all);
* **content** -- the rows read back from a CSV/XLSX/JSON against the digest embedded in the
  report (XLSX summary sheet, JSON manifest): an edited cell fails even without the sidecar;
* **log** -- the digest recomputed from the kitting log: the embedded selection (PDF/XLSX/JSON) is
  run again, pinned to the runs that existed at export time; for a CSV, the runs it lists are
  looked up by id. KME/ABM lists are checked device by device against the log.

The report is valid when no check failed and the log check ran.
"""

from __future__ import annotations

import base64
import csv
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

from kitstation.i18n import Text
from kitstation.log import KitLog, Selection
from kitstation.reports.model import (
    CANONICAL_FIELDS,
    COLUMNS,
    MANIFEST_KIND,
    RowsDigest,
    display_row,
    file_sha256,
    rows_digest,
    sidecar_path,
)

CheckState = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True, slots=True)
class Check:
    name: str  # file, content, log
    state: CheckState
    detail: Text


@dataclass
class VerifyResult:
    path: Path
    format: str
    checks: list[Check] = field(default_factory=list)
    rows: int = 0
    embedded_sha256: str | None = None  # the rows digest the report carries
    log_sha256: str | None = None  # the same digest recomputed from the log
    file_sha256: str = ""

    @property
    def ok(self) -> bool:
        states = {c.name: c.state for c in self.checks}
        return all(c.state != "failed" for c in self.checks) and states.get("log") == "passed"

    def add(self, name: str, state: CheckState, detail: Text) -> None:
        self.checks.append(Check(name, state, detail))


class ReportFormatError(ValueError):
    """The file is not a report this station can read back."""


def _header_map() -> dict[str, str]:
    """Every header a detail CSV/XLSX may carry (id, English or Japanese title) -> column id."""
    out: dict[str, str] = {}
    for c in COLUMNS:
        out[c.id] = c.id
        out[c.title.en] = c.id
        out[c.title.ja] = c.id
    return out


def _column_id(title: str, mapping: dict[str, str]) -> str | None:
    title = title.strip()
    if title in mapping:
        return mapping[title]
    base = title.rsplit(" (UTC", 1)[0]  # datetime headers carry the zone: "Started (UTC+09:00)"
    return mapping.get(base)


def _parse_dt(value: Any, offset_minutes: int = 0) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        dt = datetime.fromisoformat(str(value))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    # Spreadsheet dates are floats: round to the second they stood for.
    dt = (dt + timedelta(microseconds=500_000)).replace(microsecond=0) if dt.microsecond else dt
    return dt.astimezone(UTC)


def _canon_row(cells: dict[str, Any], offset_minutes: int = 0) -> dict[str, Any]:
    from kitstation.reports.tabular import unguard

    row: dict[str, Any] = {}
    for key in CANONICAL_FIELDS:
        value = cells.get(key)
        if key in ("started_at", "ended_at"):
            row[key] = _parse_dt(value, offset_minutes)
        elif isinstance(value, float) and value.is_integer():
            row[key] = int(value)
        elif isinstance(value, str):
            row[key] = unguard(value)
        else:
            row[key] = value
    return row


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".xlsx":
        return "xlsx"
    if suffix == ".json":
        return "json"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        first = next(csv.reader(fh), [])
    mapping = _header_map()
    if first and _column_id(first[0], mapping) == "run_id":
        return "csv"
    return "list"  # KME / ABM list


def _read_csv(path: Path) -> list[dict[str, Any]]:
    mapping = _header_map()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        head = [_column_id(h, mapping) for h in next(reader)]
        rows = []
        for values in reader:
            cells = {cid: v for cid, v in zip(head, values, strict=False) if cid}
            rows.append(_canon_row(cells))
    return rows


def _read_json(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or "rows" not in data:
        raise ReportFormatError("not a KitStation JSON report")
    return [_canon_row(r) for r in data["rows"]], data.get("manifest")


def _read_xlsx(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    from openpyxl import load_workbook

    from kitstation.reports.xlsx import MANIFEST_LABEL

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = wb.worksheets
        if len(sheets) < 2:
            raise ReportFormatError("not a KitStation XLSX report (needs a summary and a detail sheet)")
        man: dict[str, Any] | None = None
        for r in sheets[0].iter_rows(values_only=True):
            if r and r[0] == MANIFEST_LABEL and len(r) > 2 and r[2]:
                man = json.loads(str(r[2]))
        offset = int(man.get("utc_offset_minutes", 0)) if man else 0
        mapping = _header_map()
        it = sheets[1].iter_rows(values_only=True)
        head = [_column_id(str(h or ""), mapping) for h in next(it, ())]
        rows = []
        for values in it:
            if not any(v not in (None, "") for v in values):
                continue
            cells = {cid: v for cid, v in zip(head, values, strict=False) if cid}
            rows.append(_canon_row(cells, offset))
    finally:
        wb.close()
    return rows, man


def _read_pdf_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest from the PDF's Keywords, found in the raw bytes (the last one: a later update wins)."""
    from kitstation.reports.pdf import MANIFEST_PREFIX

    raw = path.read_bytes()
    if not raw.startswith(b"%PDF"):
        raise ReportFormatError("not a PDF file")
    found = re.findall(re.escape(MANIFEST_PREFIX.encode()) + rb"([A-Za-z0-9+/=]+)", raw)
    if not found:
        return None
    try:
        data = json.loads(base64.b64decode(found[-1], validate=True).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _log_digest_for(kitlog: KitLog, sel: Selection) -> tuple[str, int]:
    d = RowsDigest()
    for row in kitlog.iter_selection(sel):
        d.update(display_row(row, "en"))
    return d.hexdigest(), d.count


def verify_report(path: str | Path, kitlog: KitLog) -> VerifyResult:
    """Check a report file against its sidecar, its own embedded digest and the log."""
    p = Path(path)
    fmt = detect_format(p)
    result = VerifyResult(p, fmt, file_sha256=file_sha256(p))

    side = sidecar_path(p)
    if side.is_file():
        words = side.read_text(encoding="utf-8").split()
        if words and words[0].lower() == result.file_sha256:
            result.add("file", "passed", Text("The file matches its .sha256.", "ファイルは .sha256 と一致します。"))
        else:
            result.add("file", "failed", Text(
                "The file differs from the one written (its .sha256 does not match).",
                "ファイルが作成時から変更されています（.sha256 と一致しません）。",
            ))
    else:
        result.add("file", "skipped", Text("No .sha256 next to the file.", "同じ場所に .sha256 がありません。"))

    if fmt == "list":
        _verify_list(p, kitlog, result)
        return result

    rows: list[dict[str, Any]] | None = None
    man: dict[str, Any] | None = None
    if fmt == "csv":
        rows = _read_csv(p)
    elif fmt == "json":
        rows, man = _read_json(p)
    elif fmt == "xlsx":
        rows, man = _read_xlsx(p)
    else:
        man = _read_pdf_manifest(p)
    if man is not None and man.get("kind") != MANIFEST_KIND:
        man = None

    content_digest = rows_digest(rows) if rows is not None else None
    if rows is not None:
        result.rows = len(rows)
    if man is not None:
        result.embedded_sha256 = str(man.get("rows_sha256"))
        result.rows = int(man.get("rows", result.rows))
        if content_digest is None:
            result.add("content", "skipped", Text(
                "The PDF's table is not read back; its digest is checked against the log.",
                "PDFの表は読み戻さず、ダイジェストを記録と照合します。",
            ))
        elif content_digest == result.embedded_sha256:
            result.add("content", "passed", Text("The rows match the report's own digest.", "行は報告書内のダイジェストと一致します。"))
        else:
            result.add("content", "failed", Text(
                "The rows were changed after the report was written (digest mismatch).",
                "報告書の行が作成後に変更されています（ダイジェスト不一致）。",
            ))
    elif rows is not None:
        result.add("content", "skipped", Text("A CSV carries no digest of its own.", "CSVには報告書内のダイジェストがありません。"))
    else:
        result.add("content", "failed", Text("No KitStation manifest in this file.", "KitStationの検証情報がありません。"))
        result.add("log", "skipped", Text("Nothing to compare with the log.", "記録と照合する情報がありません。"))
        return result

    # The log's version of the same rows.
    if man is not None:
        sel = Selection.from_json(man["selection"])
        result.log_sha256, count = _log_digest_for(kitlog, sel)
        expected: str | None = result.embedded_sha256
    else:
        assert rows is not None
        ids = [int(r["run_id"]) for r in rows if r.get("run_id") not in (None, "")]
        result.log_sha256 = rows_digest(display_row(r, "en") for r in kitlog.runs_by_id(ids))
        count = len(ids)
        expected = content_digest
    if result.log_sha256 == expected:
        result.add("log", "passed", Text(
            f"The {count} runs match the kitting log.", f"{count} 件の記録はキッティング記録と一致します。"
        ))
    else:
        result.add("log", "failed", Text(
            "The report does not match the kitting log (runs missing, added or changed).",
            "報告書はキッティング記録と一致しません（記録の欠落・追加・変更）。",
        ))
    return result


def _verify_list(path: Path, kitlog: KitLog, result: VerifyResult) -> None:
    """KME/ABM lists: every identifier in the file is a device the log knows."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        lines = [r for r in csv.reader(fh) if r and r[0].strip()]
    titles = {"Serial Number", "IMEI/Serial Number", "IMEI", "identifier", "serial"}
    if lines and lines[0][0] in titles:
        lines = lines[1:]
    idents = [r[0].strip() for r in lines]
    known = kitlog.known_identifiers(idents)
    unknown = [x for x in idents if x not in known]
    result.rows = len(idents)
    result.add("content", "skipped", Text("A device list carries no digest of its own.", "デバイスリストには報告書内のダイジェストがありません。"))
    if unknown:
        result.add("log", "failed", Text(
            f"{len(unknown)} identifiers are not in the log: {', '.join(unknown[:5])}",
            f"記録にない識別子が {len(unknown)} 件あります: {', '.join(unknown[:5])}",
        ))
    else:
        result.add("log", "passed", Text(
            f"All {len(idents)} devices are in the kitting log.", f"{len(idents)} 台すべてがキッティング記録にあります。"
        ))

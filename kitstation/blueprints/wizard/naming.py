"""The wizard's *Names* answers: a pattern, the first running number, and an optional CSV of names.

The page shows what a sample device would be called while the pattern is typed
(:func:`preview_name`) and the first rows of an imported CSV (:func:`read_csv`), so a pattern that
names a column the CSV lacks, or a key column with repeated values, is explained before the
blueprint is saved, not when the tenth device of a batch fails.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kitstation.blueprints.naming import BUILTIN_VARIABLES, pattern_fields
from kitstation.i18n import Text

_COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# A CSV a person imports is small; a bigger one is almost surely the wrong file.
MAX_CSV_BYTES = 16 * 1024 * 1024
# What the preview shows for a device (the page says it is a sample).
SAMPLE_DEVICE = {"serial": "R58N12ABCDE", "imei": "356938035643809", "slot": "A3", "model": "SM-A536E"}


@dataclass
class NamingAnswers:
    pattern: str = ""
    start: int = 1
    csv: str = ""
    csv_key: str = "serial"

    def data(self) -> dict[str, Any] | None:
        """The ``[naming]`` table, or None when no pattern was given (the devices keep their names)."""
        if not self.pattern.strip():
            return None
        d: dict[str, Any] = {"pattern": self.pattern.strip(), "start": self.start}
        if self.csv.strip():
            d["csv"] = self.csv.strip()
            d["csv_key"] = self.csv_key.strip()
        return d


@dataclass
class CsvTable:
    headers: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)


class NamingError(ValueError):
    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


def read_csv(path: str | Path) -> CsvTable:
    """The CSV's header and rows (UTF-8, with or without Excel's BOM); NamingError explains a bad file."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_CSV_BYTES:
            raise NamingError(Text(f"{p.name}: too large for a list of names (over 16 MB)",
                                   f"{p.name}: 名前の一覧としては大きすぎます（16 MB 超）"))
        raw = p.read_bytes()
    except FileNotFoundError as exc:
        raise NamingError(Text(f"{p.name}: file not found", f"{p.name}: ファイルが見つかりません")) from exc
    except OSError as exc:
        raise NamingError(Text(f"{p.name}: cannot be read: {exc}", f"{p.name}: 読み取れません: {exc}")) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NamingError(Text(f"{p.name}: not UTF-8 text (save the CSV as UTF-8)",
                               f"{p.name}: UTF-8 のテキストではありません（CSV を UTF-8 で保存してください）")) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise NamingError(Text(f"{p.name}: the file is empty", f"{p.name}: ファイルが空です")) from exc
    except csv.Error as exc:
        raise NamingError(Text(f"{p.name}: not a CSV file: {exc}", f"{p.name}: CSV ファイルではありません: {exc}")) from exc
    bad = [h for h in headers if not _COLUMN.match(h)]
    if bad:
        shown = ", ".join(repr(h) for h in bad)
        raise NamingError(Text(
            f"{p.name}: column names must be letters, digits and _ (first row): {shown}",
            f"{p.name}: 列名（1 行目）は英数字と _ で指定してください: {shown}",
        ))
    dup = sorted({h for h in headers if headers.count(h) > 1})
    if dup:
        raise NamingError(Text(f"{p.name}: repeated column names: {', '.join(dup)}",
                               f"{p.name}: 列名が重複しています: {', '.join(dup)}"))
    builtin = [h for h in headers if h in BUILTIN_VARIABLES]
    if builtin and any(h != "serial" and h != "imei" for h in builtin):
        # serial/imei are key columns (matched against the device); slot, model and n are the station's.
        clash = ", ".join(h for h in builtin if h not in ("serial", "imei"))
        raise NamingError(Text(f"{p.name}: columns named like the station's variables: {clash}",
                               f"{p.name}: ステーションの変数と同じ名前の列があります: {clash}"))
    rows: list[dict[str, str]] = []
    try:
        for line, record in enumerate(reader, start=2):
            if not any(c.strip() for c in record):
                continue
            if len(record) != len(headers):
                raise NamingError(Text(
                    f"{p.name}: line {line} has {len(record)} values, the header {len(headers)}",
                    f"{p.name}: {line} 行目の値は {len(record)} 個で、見出しは {len(headers)} 個です",
                ))
            rows.append({h: v.strip() for h, v in zip(headers, record, strict=True)})
    except csv.Error as exc:
        raise NamingError(Text(f"{p.name}: not a CSV file: {exc}", f"{p.name}: CSV ファイルではありません: {exc}")) from exc
    return CsvTable(headers=headers, rows=rows)


def check_key(table: CsvTable, key: str) -> list[Text]:
    """Why ``key`` cannot match devices to rows (missing column, empty or repeated values)."""
    if key not in table.headers:
        return [Text(f"the CSV has no column {key!r}", f"CSV に列 {key!r} がありません")]
    out: list[Text] = []
    values = [r[key] for r in table.rows]
    empty = sum(1 for v in values if not v)
    if empty:
        out.append(Text(f"{empty} row(s) have no {key}", f"{key} が空の行が {empty} 行あります"))
    counts = Counter(values)
    dup = sorted(v for v, c in counts.items() if v and c > 1)
    if dup:
        out.append(Text(f"repeated {key}: {', '.join(dup[:5])}", f"{key} が重複しています: {', '.join(dup[:5])}"))
    return out


def preview_name(pattern: str, start: int, row: dict[str, str] | None = None,
                 device: dict[str, str] | None = None) -> str:
    """The name ``pattern`` gives the batch's first device (ValueError/KeyError explain a bad pattern)."""
    fields = pattern_fields(pattern)
    values: dict[str, Any] = dict(SAMPLE_DEVICE if device is None else device)
    values.update(row or {})
    values["n"] = start
    missing = [name for name, _spec in fields if name not in values]
    if missing:
        raise KeyError(", ".join(missing))
    return pattern.format(**values)


def naming_problems(answers: NamingAnswers, table: CsvTable | None) -> list[tuple[str, Text]]:
    """What the blueprint's own check cannot see: the pattern against the CSV's columns, the key column.

    As ``(field path, message)`` pairs, like the loader's problems, so the page labels them the same way.
    """
    if not answers.pattern.strip():
        return []
    out: list[tuple[str, Text]] = []
    known = set(BUILTIN_VARIABLES) | (set(table.headers) if table else set())
    try:
        unknown = sorted({n for n, _s in pattern_fields(answers.pattern) if n not in known})
    except ValueError:
        return []  # the blueprint's validator explains it
    if unknown:
        names = ", ".join("{" + n + "}" for n in unknown)
        hint = Text(" (import a CSV with that column)", "（その列のある CSV を読み込んでください）") if table is None \
            else Text(" (not a column of the CSV)", "（CSV の列にありません）")
        out.append(("naming.pattern", Text(f"unknown variable {names}", f"不明な変数 {names}") + hint))
    if table is not None:
        out += [("naming.csv_key", t) for t in check_key(table, answers.csv_key)]
    return out


__all__ = [
    "SAMPLE_DEVICE", "CsvTable", "NamingAnswers", "NamingError", "check_key", "naming_problems", "preview_name",
    "read_csv",
]  # fmt: skip

"""The wizard's *Names* answers: a pattern, the first running number, and an optional CSV of names.

The page shows what a sample device would be called while the pattern is typed
(:func:`preview_name`) and the first rows of an imported CSV (:func:`read_csv`, through the one
names-CSV reader, :mod:`kitstation.blueprints.names_csv`, so the page refuses what a run would), so a pattern that
names a column the CSV lacks, or a key column with repeated values, is explained before the
blueprint is saved, not when the tenth device of a batch fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kitstation.blueprints.names_csv import NamesCsv, NamingError, index_names, load_names_file
from kitstation.blueprints.naming import BUILTIN_VARIABLES, pattern_fields
from kitstation.i18n import Text

_COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
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
    """An imported CSV as the page shows it (read by the one names-CSV reader, with its rules)."""

    headers: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    source: NamesCsv | None = None


def read_csv(path: str | Path) -> CsvTable:
    """The CSV's header and rows; :class:`NamingError` explains a bad file as a run would."""
    table = load_names_file(Path(path))
    return CsvTable(headers=list(table.columns), rows=table.rows, source=table)


def check_key(table: CsvTable, key: str) -> list[Text]:
    """Why ``key`` cannot match devices to rows (missing column, an empty or a repeated value)."""
    source = table.source or NamesCsv("names.csv", tuple(table.headers),
                                      tuple((line, row) for line, row in enumerate(table.rows, start=2)))
    try:
        index_names(source, key)
    except NamingError as exc:
        return [exc.reason]
    return []


def variable_columns(table: CsvTable) -> list[str]:
    """The columns a pattern can name (``{asset_tag}``): a header that is not a variable name is data only."""
    return [h for h in table.headers if _COLUMN.match(h) and h not in BUILTIN_VARIABLES]


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
    "read_csv", "variable_columns",
]  # fmt: skip

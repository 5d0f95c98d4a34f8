"""The one reader of a names CSV: the wizard's preview, the preflight and the rename steps all use it.

A names CSV is what a blueprint's ``[naming] csv`` names or what the technician imports for a batch
(the bench's *Import names CSV…*, ``kitstation prepare --names-csv``): UTF-8 with or without a BOM
(what Excel's "CSV UTF-8" writes), comma, semicolon or tab separated, a header row naming the
columns. :func:`read_names_csv` reads the file and checks what does not depend on the key column;
:func:`index_names` matches rows to devices by the ``csv_key`` column (its values compared ignoring
case and spaces). Every way a file can be wrong is a :class:`NamingError` with a bilingual reason,
so the wizard says exactly what a run would say, before the blueprint is saved.

It sits in ``blueprints`` (below ``core``) so both the wizard's answers and the core import it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from kitstation.blueprints.naming import BUILTIN_VARIABLES
from kitstation.domain.model import Device, PermanentError
from kitstation.i18n import Text

# CSV headers refused: the station's own variables (a serial or IMEI column is the device's identifier).
SHADOWING = frozenset(BUILTIN_VARIABLES) - {"serial", "imei"}
# A list of names is small; a bigger file is almost surely the wrong one.
MAX_CSV_BYTES = 16 * 1024 * 1024


class NamingError(PermanentError):
    """The name cannot be made (a bad CSV, no row for the device, a name too long)."""


def _err(en: str, ja: str, code: str, **values: object) -> NamingError:
    return NamingError(Text(en, ja).format(**values), code=code)


def normalise_key(value: str) -> str:
    """A CSV key or a device identifier as compared: no spaces, case-folded."""
    return "".join(value.split()).casefold()


@dataclass(frozen=True)
class NamesCsv:
    """A names CSV as read: its named columns and its rows (with their line numbers), in file order."""

    source: str
    columns: tuple[str, ...]
    records: tuple[tuple[int, dict[str, str]], ...] = ()

    @property
    def rows(self) -> list[dict[str, str]]:
        return [row for _line, row in self.records]


@dataclass(frozen=True)
class NameTable:
    """A names CSV indexed by its key column: its columns and its rows by normalised key."""

    source: str
    key_column: str
    columns: tuple[str, ...]
    rows: dict[str, dict[str, str]] = field(default_factory=dict)

    def row_for(self, device: Device) -> dict[str, str] | None:
        """The row whose key is the device's serial number or one of its IMEIs (None: no row)."""
        for ident in (device.serial, *device.imeis):
            if ident:
                row = self.rows.get(normalise_key(ident))
                if row is not None:
                    return row
        return None


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_names_csv(data: bytes, source: str = "names.csv") -> NamesCsv:
    """The CSV's columns and rows; :class:`NamingError` for anything a technician must fix in the file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _err(
            '{f} is not UTF-8 text (byte {at}): save it as "CSV UTF-8" (Excel: Save As › CSV UTF-8)',
            "{f} は UTF-8 のテキストではありません（{at} バイト目）: 「CSV UTF-8」形式で保存してください"
            "（Excel: 名前を付けて保存 › CSV UTF-8）",
            "names_csv_encoding",
            f=source,
            at=exc.start,
        ) from None
    if "\x00" in text:
        raise _err(
            "{f} is not a CSV file (it holds NUL bytes)",
            "{f} は CSV ファイルではありません（NUL バイトを含みます）",
            "names_csv_invalid",
            f=source,
        )
    try:
        records = list(enumerate(csv.reader(io.StringIO(text, newline=""), _dialect(text[:4096])), start=1))
    except csv.Error as exc:
        raise _err("{f}: {e}", "{f}: {e}", "names_csv_invalid", f=source, e=str(exc)) from None
    records = [(n, r) for n, r in records if any(cell.strip() for cell in r)]
    if not records:
        raise _err("{f} is empty", "{f} は空です", "names_csv_empty", f=source)
    header = [h.strip() for h in records[0][1]]
    # Excel leaves empty header cells for columns that once held something: they name nothing.
    named = [(i, h) for i, h in enumerate(header) if h]
    seen: set[str] = set()
    for _i, h in named:
        if h in seen:
            raise _err(
                "{f}: the column {c} appears twice in the header",
                "{f}: 見出しに列 {c} が 2 回あります",
                "names_csv_duplicate_column",
                f=source,
                c=h,
            )
        seen.add(h)
        # serial / imei columns are the device's own identifiers (keys): the built-ins always win.
        if h in SHADOWING:
            raise _err(
                "{f}: the column {c} has the name of a built-in variable {{{c}}}: rename the column",
                "{f}: 列 {c} は組み込み変数 {{{c}}} と同じ名前です。列名を変更してください",
                "names_csv_shadows",
                f=source,
                c=h,
            )
    rows: list[tuple[int, dict[str, str]]] = []
    for line, record in records[1:]:
        extra = [cell for cell in record[len(header) :] if cell.strip()]
        if extra:
            # Values beyond the header: most often a name with an unquoted comma, split in two.
            raise _err(
                "{f} row {r} has {v} values but the header {h} columns (a comma inside a value? quote it)",
                "{f} の {r} 行目の値は {v} 個ですが、見出しは {h} 列です（値の中のカンマは引用符で囲んでください）",
                "names_csv_extra_values",
                f=source,
                r=line,
                v=len(header) + len(extra),
                h=len(header),
            )
        rows.append((line, {h: (record[i].strip() if i < len(record) else "") for i, h in named}))
    return NamesCsv(source, tuple(h for _i, h in named), tuple(rows))


def load_names_file(path: Path) -> NamesCsv:
    """:func:`read_names_csv` of the file at ``path`` (too large or unreadable: :class:`NamingError`)."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise _err(
                "The names CSV {f} is over 16 MB: not a list of names",
                "名前の CSV {f} は 16 MB を超えています（名前の一覧ではありません）",
                "names_csv_too_large",
                f=str(path),
            )
        data = path.read_bytes()
    except OSError as exc:
        raise _err(
            "Cannot read the names CSV {f}: {e}",
            "名前の CSV {f} を読み込めません: {e}",
            "names_csv_unreadable",
            f=str(path),
            e=exc.strerror or type(exc).__name__,
        ) from None
    return read_names_csv(data, path.name)


def index_names(table: NamesCsv, key_column: str) -> NameTable:
    """The rows by their ``key_column`` value; :class:`NamingError` if a row cannot be matched to one device."""
    if key_column not in table.columns:
        raise _err(
            "{f} has no column {k} (csv_key); its columns are: {cols}",
            "{f} に列 {k}（csv_key）がありません。列: {cols}",
            "names_csv_no_key",
            f=table.source,
            k=key_column,
            cols=", ".join(table.columns) or "-",
        )
    rows: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    for line, row in table.records:
        key = normalise_key(row[key_column])
        if not key:
            raise _err(
                "{f} row {r}: the {k} cell is empty",
                "{f} の {r} 行目: {k} のセルが空です",
                "names_csv_empty_key",
                f=table.source,
                r=line,
                k=key_column,
            )
        if key in rows:
            raise _err(
                "{f}: {v} is in rows {a} and {b}: one row per device",
                "{f}: {v} が {a} 行目と {b} 行目にあります。デバイスごとに 1 行にしてください",
                "names_csv_duplicate_key",
                f=table.source,
                v=row[key_column],
                a=first_line[key],
                b=line,
            )
        rows[key] = row
        first_line[key] = line
    return NameTable(table.source, key_column, table.columns, rows)


def parse_names_csv(data: bytes, key_column: str, source: str = "names.csv") -> NameTable:
    """:func:`read_names_csv` then :func:`index_names`."""
    return index_names(read_names_csv(data, source), key_column)


def load_names_csv(path: Path, key_column: str) -> NameTable:
    """:func:`load_names_file` then :func:`index_names`."""
    return index_names(load_names_file(path), key_column)


__all__ = [
    "MAX_CSV_BYTES",
    "SHADOWING",
    "NameTable",
    "NamesCsv",
    "NamingError",
    "index_names",
    "load_names_csv",
    "load_names_file",
    "normalise_key",
    "parse_names_csv",
    "read_names_csv",
]

"""``[naming]``: each device renamed from a pattern (both platforms), optionally with a CSV column.

::

    [naming]
    pattern = "ACME-{n:03}-{asset_tag}"
    start = 1                    # the first running number of a batch (session)
    csv = "files/assets.csv"     # optional; the technician can also import one per batch
    csv_key = "serial"           # the CSV column matched against the device's serial or IMEI

Variables: ``{serial}``, ``{imei}``, ``{slot}``, ``{model}``, ``{n}`` (the running number in the
batch, with a width such as ``{n:03}``) and every column of the CSV by its header (a column named
like a built-in variable is refused). A device with no CSV row (when the pattern uses a column),
or a name empty or over 63 bytes of UTF-8 (32 on a Galaxy), fails before it is touched: see
:mod:`kitstation.core.naming`.
"""

from __future__ import annotations

import re
import string

from pydantic import Field, field_validator

from kitstation.blueprints.base import Section

BUILTIN_VARIABLES = ("serial", "imei", "slot", "model", "n")
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SPEC = re.compile(r"^0?\d{0,2}$")  # the width of {n}: "", "3", "03"


def pattern_fields(pattern: str) -> list[tuple[str, str]]:
    """The ``(name, format_spec)`` pairs of ``pattern``; ValueError for anything but plain fields."""
    out: list[tuple[str, str]] = []
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise ValueError(f"pattern: {exc}") from exc
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if conversion or not _FIELD.match(name):
            raise ValueError(f"pattern: {{{name}}} is not a variable name")
        if spec and (name != "n" or not _SPEC.match(spec)):
            raise ValueError(f"pattern: {{{name}:{spec}}}: only {{n}} takes a width, e.g. {{n:03}}")
        out.append((name, spec or ""))
    return out


class Naming(Section):
    pattern: str = Field(min_length=1, max_length=200)
    start: int = Field(default=1, ge=0, le=10**9)
    csv: str = ""
    csv_key: str = "serial"

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        if not pattern_fields(value):
            raise ValueError(
                "pattern: give at least one variable, e.g. {serial} or {n:03}: every device needs its own name"
            )
        return value

    @field_validator("csv_key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not _FIELD.match(value):
            raise ValueError("csv_key must be a column name (letters, digits, _)")
        return value


__all__ = ["BUILTIN_VARIABLES", "Naming", "pattern_fields"]

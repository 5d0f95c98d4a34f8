"""Device names from the blueprint's ``[naming]`` pattern: the CSV, the running number, the checks.

* :func:`load_names_csv` (from :mod:`kitstation.blueprints.names_csv`, the one reader the wizard
  uses too) reads the CSV a blueprint names (``[naming] csv``) or the technician imports for a
  batch (``kitstation prepare --names-csv``; the bench's ``names_csv``). Its ``csv_key`` column is
  matched against the device's serial number or any of its IMEIs, ignoring case and spaces. Every
  way it can be wrong is a :class:`NamingError` with a bilingual reason.
* :class:`DeviceNamer` gives one device its name: it asks the log for the device's running number
  ``{n}`` in the batch (assigned once and kept, so a re-run, a replug or a restart gives the same
  device the same number and two devices never share one), expands the pattern, and checks the
  result (not empty, at most :data:`MAX_NAME_BYTES` bytes of UTF-8, no control characters) --
  all before the device is touched.
* :func:`naming_problems` is the preflight part: the CSV loads, every variable of the pattern can
  be had, and the CSV cannot make two devices share a name.

Qt- and device-free: the adapters' rename steps only apply the name this module made.
"""

from __future__ import annotations

import asyncio
import string
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kitstation.blueprints.model import Blueprint
from kitstation.blueprints.names_csv import (
    MAX_CSV_BYTES,
    SHADOWING,
    NameTable,
    NamingError,
    load_names_csv,
    parse_names_csv,
)
from kitstation.blueprints.naming import BUILTIN_VARIABLES, Naming, pattern_fields
from kitstation.domain.events import Problem
from kitstation.domain.model import Device, Platform
from kitstation.i18n import Text
from kitstation.log.names import NAME_KEY

# A device name is also the host name the phone announces (Bonjour, DHCP): one DNS label is at
# most 63 octets (RFC 1035 §2.3.4), so a longer name would be cut differently by each protocol.
MAX_NAME_BYTES = 63
# A Galaxy's Settings › About phone editor takes only what is also a valid hotspot SSID (AOSP and
# Samsung Settings' WifiDeviceNameTextValidator: at most 32 bytes of UTF-8): nothing longer.
MAX_GALAXY_NAME_BYTES = 32


def name_limit(platform: Platform) -> int:
    """The longest name (UTF-8 bytes) a device of ``platform`` takes."""
    return MAX_GALAXY_NAME_BYTES if platform == Platform.ANDROID else MAX_NAME_BYTES


# What the rename steps put in their step detail (the log keeps it on the run for the reports).
NAME_DETAIL_KEY = NAME_KEY
# Where the pipeline leaves the name it made for the run's rename step.
NAME_SCRATCH_KEY = "naming.name"
UNIQUE_VARIABLES = frozenset({"serial", "imei", "n"})
# No device: a CSV row's name is checked in preflight with the device's own values empty.
_NO_DEVICE = Device(platform=Platform.IOS, key="")


def _err(en: str, ja: str, code: str, **values: object) -> NamingError:
    return NamingError(Text(en, ja).format(**values), code=code)


def csv_path(blueprint: Blueprint, override: Path | None) -> Path | None:
    """The CSV a batch uses: the technician's import, else the blueprint's ``[naming] csv``."""
    naming = blueprint.naming
    if override is not None:
        return override
    if naming is not None and naming.csv:
        return blueprint.resolve(naming.csv)
    return None


def check_name(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """``name`` if a device can take it (at most ``limit`` bytes); :class:`NamingError` otherwise."""
    if not name.strip():
        raise _err(
            "The device name would be empty: check the pattern and the CSV",
            "デバイス名が空になります。パターンと CSV を確認してください",
            "name_empty",
        )
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name):
        raise _err(
            "The device name {n!r} holds a control character (a line break in the CSV?)",
            "デバイス名 {n!r} に制御文字が含まれています（CSV のセル内改行など）",
            "name_invalid",
            n=name,
        )
    size = len(name.encode("utf-8"))
    if size > limit:
        raise _err(
            "The device name {n} is {b} bytes of UTF-8; at most {m} are allowed",
            "デバイス名 {n} は UTF-8 で {b} バイトです（最大 {m} バイト）",
            "name_too_long",
            n=name,
            b=size,
            m=limit,
        )
    return name


def expand(pattern: str, values: dict[str, object]) -> str:
    """The pattern with ``values`` filled in (``{n:03}`` formats the number)."""
    return string.Formatter().vformat(pattern, (), values)


def device_values(device: Device, slot: str, number: int | None) -> dict[str, object]:
    values: dict[str, object] = {
        "serial": device.serial or "",
        "imei": device.imei or "",
        "slot": slot,
        "model": device.marketing_name or device.model_id or "",
    }
    if number is not None:
        values["n"] = number
    return values


NumberSource = Callable[[int], Awaitable[int]]
"""``assign(start)``: the device's running number in its batch (the log assigns and keeps it)."""


class DeviceNamer:
    """Makes each device's name for one blueprint (and the batch's CSV, loaded once)."""

    def __init__(self, blueprint: Blueprint, names_csv: Path | None = None) -> None:
        assert blueprint.naming is not None
        self.naming: Naming = blueprint.naming
        self.fields = [name for name, _spec in pattern_fields(self.naming.pattern)]
        self._path = csv_path(blueprint, names_csv)
        self._table: NameTable | None = None
        self._stamp: tuple[int, int] | None = None

    def table(self) -> NameTable | None:
        """The CSV, loaded once -- and again when the file changed (a row fixed mid-batch)."""
        if self._path is None:
            return None
        try:
            st = self._path.stat()
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None  # load_names_csv says why it cannot be read
        if self._table is None or stamp != self._stamp:
            self._table = load_names_csv(self._path, self.naming.csv_key)
            self._stamp = stamp
        return self._table

    async def name_for(self, device: Device, slot: str, assign: NumberSource) -> tuple[str, int | None]:
        """``(name, number)`` for ``device`` (number None when the pattern has no ``{n}``)."""
        table = await asyncio.to_thread(self.table)  # a file read: off the bench's loop
        limit = name_limit(device.platform)
        values = device_values(device, slot, None)
        columns = [f for f in self.fields if f not in BUILTIN_VARIABLES]
        if table is not None:
            row = table.row_for(device)
            if row is None and columns:
                raise _err(
                    "{f} has no row for this device (serial {s}, IMEI {i}) in its {k} column",
                    "{f} の {k} 列にこのデバイス（シリアル {s}、IMEI {i}）の行がありません",
                    "name_no_row",
                    f=table.source,
                    s=device.serial or "-",
                    i=", ".join(device.imeis) or "-",
                    k=table.key_column,
                )
            values.update({k: v for k, v in (row or {}).items() if k not in BUILTIN_VARIABLES})
        for variable in self.fields:
            if variable == "imei" and not device.imei:
                raise _err(
                    "The pattern uses {{imei}} but this device reports no IMEI (Wi-Fi model, or Android 10+)",
                    "パターンに {{imei}} がありますが、このデバイスは IMEI を報告しません（Wi-Fi モデル、Android 10 以降など）",
                    "name_no_imei",
                )
            if variable == "serial" and not device.serial:
                raise _err(
                    "The pattern uses {{serial}} but this device reports no serial number",
                    "パターンに {{serial}} がありますが、このデバイスはシリアル番号を報告しません",
                    "name_no_serial",
                )
            if variable not in BUILTIN_VARIABLES and variable not in values:
                raise _err(
                    "The pattern uses {{{v}}}, which is neither a variable nor a column of the names CSV",
                    "パターンの {{{v}}} は変数でも名前の CSV の列でもありません",
                    "name_unknown_variable",
                    v=variable,
                )
        number: int | None = None
        if "n" in self.fields:
            # Checked with a stand-in first: a name that cannot be made takes no number.
            check_name(expand(self.naming.pattern, {**values, "n": self.naming.start}), limit)
            number = await assign(self.naming.start)
            values["n"] = number
        return check_name(expand(self.naming.pattern, values), limit), number


class Namers:
    """The bench's namers, one per blueprint (so each CSV is loaded once per batch)."""

    def __init__(self, names_csv: Callable[[], Path | None] = lambda: None) -> None:
        self.names_csv = names_csv  # read at each run: the technician may import a CSV mid-batch
        # By the blueprint object the bench holds (kept here, so its id is not reused): hashing
        # its content would read every file it names (an APK) on the bench's loop for each device.
        self._by_key: dict[tuple[int, Path | None], tuple[Blueprint, DeviceNamer]] = {}

    def get(self, blueprint: Blueprint) -> DeviceNamer | None:
        if blueprint.naming is None:
            return None
        key = (id(blueprint), self.names_csv())
        hit = self._by_key.get(key)
        if hit is None:
            hit = self._by_key[key] = (blueprint, DeviceNamer(blueprint, key[1]))
        return hit[1]


def naming_problems(blueprint: Blueprint, names_csv: Path | None = None) -> list[Problem]:
    """What is wrong with the blueprint's naming before any device: the preflight's part."""
    naming = blueprint.naming
    if naming is None:
        return []
    fields = [name for name, _spec in pattern_fields(naming.pattern)]
    path = csv_path(blueprint, names_csv)
    table: NameTable | None = None
    if path is not None:
        try:
            table = load_names_csv(path, naming.csv_key)
        except NamingError as exc:
            return [Problem("naming.csv", exc.reason, exc.code)]
    columns = [f for f in fields if f not in BUILTIN_VARIABLES]
    problems: list[Problem] = []
    known = set(table.columns) if table is not None else set()
    missing = [c for c in columns if c not in known]
    if missing:
        where = (
            Text("is not a column of {f}", "は {f} の列ではありません").format(f=table.source)
            if table is not None
            else Text(
                "needs a names CSV ([naming] csv, or --names-csv for the batch)",
                "には名前の CSV が必要です（[naming] csv またはバッチの --names-csv）",
            )
        )
        variables = ", ".join("{" + c + "}" for c in missing)
        reason = Text(f"The pattern's {variables} {where.en}", f"パターンの {variables} {where.ja}")
        return [Problem("naming.pattern", reason, "name_unknown_variable")]
    if not UNIQUE_VARIABLES & set(fields):
        if not columns:
            problems.append(
                Problem(
                    "naming.pattern",
                    Text(
                        "The pattern gives every device of a model (or a slot) the same name: add {serial}, {imei},"
                        " {n} or a CSV column",
                        "このパターンでは同じ機種（またはスロット）のデバイスが同じ名前になります:"
                        " {serial}、{imei}、{n} または CSV の列を加えてください",
                    ),
                    "name_duplicates",
                )
            )
            return problems
        assert table is not None
        seen: dict[str, str] = {}
        for row in table.rows.values():
            # Model and slot vary by device; with them empty, two rows alike are alike for any device.
            name = expand(naming.pattern, {**device_values(_NO_DEVICE, "", None), **row})
            if name in seen:
                problems.append(
                    Problem(
                        "naming.csv",
                        Text(
                            "{f}: the rows for {a} and {b} give the same name {n}",
                            "{f}: {a} と {b} の行から同じ名前 {n} になります",
                        ).format(f=table.source, a=seen[name], b=row[table.key_column], n=name),
                        "name_duplicates",
                    )
                )
                break
            seen[name] = row[table.key_column]
    if table is not None:
        # The strictest platform the blueprint names: a Galaxy takes fewer bytes than an iPhone.
        limit = min(
            name_limit(p)
            for p, section in ((Platform.IOS, blueprint.ios), (Platform.ANDROID, blueprint.android))
            if section is not None
        )
        for row in table.rows.values():
            values = {**device_values(_NO_DEVICE, "", naming.start), **row}
            try:
                check_name(expand(naming.pattern, values), limit)
            except NamingError as exc:
                if exc.code == "name_empty" and UNIQUE_VARIABLES & set(fields):
                    continue  # the device's own serial / IMEI / number fills it
                problems.append(
                    Problem(
                        "naming.csv",
                        Text(
                            f"{table.source}, {table.key_column} {row[table.key_column]}: {exc.reason.en}",
                            f"{table.source}、{table.key_column} {row[table.key_column]}: {exc.reason.ja}",
                        ),
                        exc.code,
                    )
                )
                break
    return problems


@dataclass(frozen=True)
class BatchCsv:
    """A names CSV the technician imported for a batch, checked against the chosen blueprints."""

    path: Path
    rows: int
    key_columns: tuple[str, ...]


def check_batch_csv(path: Path, blueprints: Iterable[Blueprint]) -> BatchCsv:
    """``path`` as the batch's names CSV for ``blueprints``; :class:`NamingError` saying why it cannot be.

    The same checks as the preflight (:func:`naming_problems`) with this file in place of the
    blueprints' own ``[naming] csv``, so a file accepted here does not fail the batch's first run.
    """
    named = [bp for bp in blueprints if bp.naming is not None]
    if not named:
        raise _err(
            "No chosen blueprint renames devices (a [naming] section): choose one before importing a names CSV",
            "デバイス名を変更するブループリント（[naming] セクション）が選ばれていません:"
            " 名前の CSV を読み込む前に選んでください",
            "names_csv_unused",
        )
    keys: list[str] = []
    rows = 0
    for bp in named:
        assert bp.naming is not None
        rows = len(load_names_csv(path, bp.naming.csv_key).rows)
        problems = naming_problems(bp, path)
        if problems:
            raise NamingError(problems[0].reason, code=problems[0].code)
        keys.append(bp.naming.csv_key)
    return BatchCsv(path.resolve(), rows, tuple(dict.fromkeys(keys)))


__all__ = [
    "MAX_CSV_BYTES",
    "MAX_GALAXY_NAME_BYTES",
    "MAX_NAME_BYTES",
    "NAME_DETAIL_KEY",
    "NAME_SCRATCH_KEY",
    "BatchCsv",
    "DeviceNamer",
    "NameTable",
    "Namers",
    "NamingError",
    "SHADOWING",
    "check_batch_csv",
    "check_name",
    "csv_path",
    "expand",
    "load_names_csv",
    "name_limit",
    "naming_problems",
    "parse_names_csv",
]

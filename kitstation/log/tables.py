"""The log's tables as SQLAlchemy Core objects, and the small helpers every query module shares.

Only modules of ``kitstation.log`` import this: the rest of the project reads and writes through
:class:`kitstation.log.KitLog` and never builds SQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import CursorResult

from kitstation.log.schema import (
    BenchSession,
    BlueprintRecord,
    DeviceNumber,
    DeviceRecord,
    IntakeScan,
    RunModelCount,
    RunRecord,
    SlotName,
    Station,
    StepEvent,
    Technician,
)


def _table(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


run_t = _table(RunRecord)
step_t = _table(StepEvent)
device_t = _table(DeviceRecord)
bp_t = _table(BlueprintRecord)
station_t = _table(Station)
tech_t = _table(Technician)
session_t = _table(BenchSession)
scan_t = _table(IntakeScan)
slot_t = _table(SlotName)
number_t = _table(DeviceNumber)
model_count_t = _table(RunModelCount)


def now() -> datetime:
    """Timestamps are timezone-aware UTC (sqlmodel's UTCDateTime refuses naive ones)."""
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    """A filter bound given without a zone is taken as UTC."""
    return value if value.utcoffset() is not None else value.replace(tzinfo=UTC)


def pk(result: CursorResult[Any]) -> int:
    """The new row's id from an INSERT result."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def to_json(detail: dict[str, Any] | None) -> str | None:
    if detail is None:
        return None
    return json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True)

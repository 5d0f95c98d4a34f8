"""What the rest of the project says to select runs: :class:`RunFilter`, sort keys and list kinds.

Plain data, no SQL: the CLI, the GUI and the reports build these; :mod:`kitstation.log.queries`
turns them into statements.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from kitstation.log.tables import aware


@dataclass(frozen=True)
class RunFilter:
    """Selection of runs for history views and exports. Every field is optional."""

    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None  # serial / IMEI / UDID / model (substring)
    platform: str | None = None
    status: Sequence[str] | None = None
    blueprint: str | None = None  # name or hash prefix
    model: str | None = None
    technician: str | None = None
    station: str | None = None
    session_id: int | None = None
    order_ref: str | None = None
    customer: str | None = None
    latest_only: bool = False  # one row per device (its latest run)


HISTORY_COLUMNS = (
    "run_id",
    "started_at",
    "ended_at",
    "status",
    "current_step",
    "error_code",
    "reason_en",
    "reason_ja",
    "slot",
    "platform",
    "device_key",
    "serial",
    "imei",
    "imei2",
    "udid",
    "model_id",
    "marketing_name",
    "os_version",
    "external_state",
    "blueprint_name",
    "blueprint_hash",
    "technician",
    "station",
    "session_id",
    "order_ref",
    "customer",
    "assignment_detail",  # JSON of the run's cloud assignment step (its activity / request id), or None
    "device_name",  # the name the run's rename step read back from the device, or None
    "battery_percent",  # the battery gate's last reading (the level at hand-over), or None
)

# The history's sort keys (a column id of HISTORY_COLUMNS each).
SORT_KEYS = (
    "run_id",
    "started_at",
    "ended_at",
    "status",
    "serial",
    "imei",
    "model_id",
    "blueprint_name",
    "technician",
    "platform",
)


class DeviceList(enum.StrEnum):
    """The device lists other consoles take (one row per device, its latest run)."""

    KME = "kme"  # Android devices listed for KME upload (hand-off state kme_registered)
    KME_ALL_ANDROID = "kme_all_android"  # every Android device
    ABM = "abm"  # iOS devices awaiting ABM assignment


def filter_to_json(flt: RunFilter) -> dict[str, Any]:
    """A filter as plain JSON (absolute UTC times), to record in a report's manifest."""
    data = asdict(flt)
    for key in ("since", "until"):
        if data[key] is not None:
            data[key] = aware(data[key]).astimezone(UTC).isoformat()
    if data["status"] is not None:
        data["status"] = list(data["status"])
    return data


def filter_from_json(data: dict[str, Any]) -> RunFilter:
    values = dict(data)
    for key in ("since", "until"):
        if values.get(key):
            values[key] = datetime.fromisoformat(values[key])
    known = set(RunFilter.__dataclass_fields__)
    return RunFilter(**{k: v for k, v in values.items() if k in known})


@dataclass(frozen=True)
class Selection:
    """A filter pinned to the runs (and intake scans) that existed at export time.

    Re-running it later (a report being verified) finds the same rows even after the station
    kitted more devices. ``max_scan_id`` pins the devices known only from intake scans (the KME
    list includes them); a selection recorded before it existed has 0 and includes none.
    """

    flt: RunFilter
    max_run_id: int
    latest_only: bool
    max_scan_id: int = 0

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "filter": filter_to_json(self.flt),
            "max_run_id": self.max_run_id,
            "latest_only": self.latest_only,
        }
        if self.max_scan_id:  # only the KME list pins scans: other manifests keep their bytes
            data["max_scan_id"] = self.max_scan_id
        return data

    @staticmethod
    def from_json(data: dict[str, Any]) -> Selection:
        return Selection(
            filter_from_json(data["filter"]),
            int(data["max_run_id"]),
            bool(data["latest_only"]),
            int(data.get("max_scan_id", 0)),
        )

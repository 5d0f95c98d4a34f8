"""Typed events the adapters and the bench emit; the GUI and the CLI render them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from kitstation.domain.model import Device, Outcome, Platform, RunStatus, UserAction
from kitstation.i18n import Text


# --- what a platform adapter's discovery stream yields -------------------------------------------
@dataclass(frozen=True, slots=True)
class Attached:
    """A device appeared. ``connection_id`` is the adapter's handle (UDID, adb serial)."""

    platform: Platform
    connection_id: str
    usb_location: str | None = None


@dataclass(frozen=True, slots=True)
class Detached:
    platform: Platform
    connection_id: str


@dataclass(frozen=True, slots=True)
class Changed:
    """The device's state changed without an unplug (e.g. adb ``unauthorized`` -> ``device``)."""

    platform: Platform
    connection_id: str
    state: str = ""


DiscoveryEvent = Attached | Detached | Changed


# --- what the bench emits per device --------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class BenchEvent:
    slot: str
    at: float = field(default_factory=time.time, kw_only=True)


@dataclass(frozen=True, slots=True)
class DeviceAttached(BenchEvent):
    """A device is on the bus in this slot (the first one creates the slot, named ``label``)."""

    platform: Platform
    connection_id: str
    label: str = ""  # the slot's name on the hub label ("" = the slot id itself)


@dataclass(frozen=True, slots=True)
class DeviceIdentified(BenchEvent):
    device: Device


@dataclass(frozen=True, slots=True)
class DeviceDetached(BenchEvent):
    pass


@dataclass(frozen=True, slots=True)
class IdentifyStarted(BenchEvent):
    """The bench is reading the device (it may wait for the technician on the way)."""


@dataclass(frozen=True, slots=True)
class WaitingForUser(BenchEvent):
    action: UserAction
    reason: Text


@dataclass(frozen=True, slots=True)
class IdentifyFailed(BenchEvent):
    """The device could not be read (or a run could not start): the slot shows failed."""

    reason: Text
    code: str = "identify_failed"


@dataclass(frozen=True, slots=True)
class BoxUnmatched(BenchEvent):
    """An identified Android phone matches no scanned box (or several): what the technician scans."""

    reason: Text
    code: str = "no_box"


@dataclass(frozen=True, slots=True)
class SlotRemoved(BenchEvent):
    """The slot is gone from the bench (a USB notice whose phone left before any adapter saw it)."""


@dataclass(frozen=True, slots=True)
class SlotRenamed(BenchEvent):
    label: str


@dataclass(frozen=True, slots=True)
class RunHeld(BenchEvent):
    """A run was not started and waits for the technician (no blueprint chosen for the platform)."""

    reason: Text
    code: str = "no_blueprint"


@dataclass(frozen=True, slots=True)
class RunRefused(BenchEvent):
    """A run was refused before it touched the device (its blueprint failed the preflight)."""

    reason: Text
    code: str = "preflight_failed"


@dataclass(frozen=True, slots=True)
class RunQueued(BenchEvent):
    """A run waits for a place under its platform's cap (nothing logged yet)."""


@dataclass(frozen=True, slots=True)
class RunWithdrawn(BenchEvent):
    """A queued run ended before its first step (unplugged, cancelled, station stopped)."""

    status: RunStatus
    reason: Text | None = None


@dataclass(frozen=True, slots=True)
class RunStarted(BenchEvent):
    run_id: int
    blueprint: str
    steps: tuple[str, ...]
    resumed_from: str | None = None


@dataclass(frozen=True, slots=True)
class StepStarted(BenchEvent):
    run_id: int
    step_id: str
    title: Text
    index: int
    total: int
    attempt: int = 1


@dataclass(frozen=True, slots=True)
class StepProgress(BenchEvent):
    run_id: int
    step_id: str
    fraction: float | None
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class StepFinished(BenchEvent):
    run_id: int
    step_id: str
    outcome: Outcome
    reason: Text | None = None
    code: str | None = None


@dataclass(frozen=True, slots=True)
class RunFinished(BenchEvent):
    run_id: int
    status: RunStatus
    reason: Text | None = None
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a blueprint, found without a device (``field`` is the blueprint key)."""

    field: str
    reason: Text
    code: str


@dataclass(frozen=True, slots=True)
class PreflightResult(BenchEvent):
    """A blueprint was checked for a platform (``slot`` is empty: it concerns no one device)."""

    platform: Platform
    blueprint: str
    blueprint_hash: str
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


Event = (
    DeviceAttached
    | DeviceIdentified
    | DeviceDetached
    | IdentifyStarted
    | WaitingForUser
    | IdentifyFailed
    | BoxUnmatched
    | SlotRemoved
    | SlotRenamed
    | RunHeld
    | RunRefused
    | RunQueued
    | RunWithdrawn
    | PreflightResult
    | RunStarted
    | StepStarted
    | StepProgress
    | StepFinished
    | RunFinished
)

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
    platform: Platform
    connection_id: str


@dataclass(frozen=True, slots=True)
class DeviceIdentified(BenchEvent):
    device: Device


@dataclass(frozen=True, slots=True)
class DeviceDetached(BenchEvent):
    pass


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


Event = (
    DeviceAttached
    | DeviceIdentified
    | DeviceDetached
    | WaitingForUser
    | IdentifyFailed
    | RunStarted
    | StepStarted
    | StepProgress
    | StepFinished
    | RunFinished
)

"""How many at once, and which devices: the bench's settings, resource limits, per-platform caps,
the ``only`` filter, and each slot's working state (its tasks and run).

A step holds one of K places for a resource (``async with ctx.limit("erase")``) so the host
and the network are not swamped; a run holds one of N places for its platform (Apple's usbmuxd
is unreliable beyond ~28 devices), the others wait *queued*. ``only`` restricts the bench to
some devices (``prepare --device``); everything else is identified and shown, never started.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kitstation.blueprints.model import Blueprint
from kitstation.core.pipeline import RetryPolicy, RunHandle
from kitstation.core.protocols import DevicePresence, PlatformAdapter
from kitstation.domain.model import Platform


@dataclass
class BenchConfig:
    blueprints: dict[Platform, Blueprint] = field(default_factory=dict)
    auto_apply: bool = True
    # At most this many steps holding each resource at once (``ctx.limit(name)``).
    limits: dict[str, int] = field(default_factory=lambda: {"erase": 8, "apk_download": 4, "install": 8})
    # At most this many devices worked on at once per platform (the rest wait, queued).
    max_active: dict[Platform, int] = field(default_factory=lambda: {Platform.IOS: 28, Platform.ANDROID: 32})
    technician: str | None = None
    customer: str = ""
    order_ref: str = ""
    label: str = ""
    station_name: str | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    identify_retry: float = 1.0  # seconds between identify attempts while waiting for the user
    identify_attempts: int = 5  # transient identify errors before the slot shows failed
    # Only these connection ids / UDIDs / serials (None: every device attached).
    only: frozenset[str] | None = None
    presence_interval: float = 2.0  # seconds between USB presence polls
    # A passed (or failed) blueprint check is reused this long before a run checks again.
    preflight_max_age: float = 60.0
    # The batch's names CSV imported by the technician (``prepare --names-csv``, the GUI's import):
    # it replaces the blueprint's ``[naming] csv`` for this bench.
    names_csv: Path | None = None
    # False (``prepare``): when a blueprint fails its first check, no device is identified (an
    # iPhone is paired to be identified) until the bench stops. The GUI still shows what is plugged.
    identify_when_refused: bool = True


class Limits:
    """The bench's semaphores: one per resource (steps) and one per platform (runs)."""

    def __init__(self, resources: Mapping[str, int], platforms: Mapping[Platform, int]) -> None:
        self._resources = {name: asyncio.Semaphore(max(1, n)) for name, n in resources.items()}
        self._platforms = {p: asyncio.Semaphore(max(1, n)) for p, n in platforms.items()}

    def resource(self, name: str) -> contextlib.AbstractAsyncContextManager[object]:
        """A place for ``name`` (no limit when the bench has none for it)."""
        sem = self._resources.get(name)
        if sem is None:
            return contextlib.nullcontext()
        return sem

    def platform(self, platform: Platform) -> contextlib.AbstractAsyncContextManager[object]:
        """A place for one run on ``platform`` (no cap when the bench has none for it)."""
        sem = self._platforms.get(platform)
        if sem is None:
            return contextlib.nullcontext()
        return sem


@dataclass
class SlotWork:
    """The bench's working state for one slot: its adapter, tasks and run (what it shows is on the board)."""

    adapter: PlatformAdapter
    identify_task: asyncio.Task[None] | None = None
    run_task: asyncio.Task[None] | None = None
    handle: RunHandle | None = None
    # Set when the device may have become readable (adb "unauthorized" -> "device").
    identify_wake: asyncio.Event = field(default_factory=asyncio.Event)
    presence: DevicePresence = field(default_factory=DevicePresence)
    force_next: bool = False
    # The run task was told to stop (unplug, cancel) or has ended its run: it is no longer a
    # run in progress even while its task finishes writing the log.
    run_ending: bool = False

    def run_in_progress(self) -> bool:
        return self.run_task is not None and not self.run_task.done() and not self.run_ending

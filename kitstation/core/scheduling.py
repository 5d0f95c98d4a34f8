"""How many at once, and which devices: resource limits, per-platform caps, the ``only`` filter.

A step holds one of K places for a resource (``async with ctx.limit("erase")``) so the host
and the network are not swamped; a run holds one of N places for its platform (Apple's usbmuxd
is unreliable beyond ~28 devices), the others wait *queued*. ``only`` restricts the bench to
some devices (``prepare --device``); everything else is identified and shown, never started.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping

from kitstation.domain.model import Device, Platform


def matches_only(only: frozenset[str] | None, connection_id: str, device: Device | None) -> bool:
    """True when a device is one of ``only`` (by connection id, key, UDID, serial or an IMEI).

    ``None`` means every device. The CLI filters its summary with the same rule the bench uses to
    decide whom to start.
    """
    if only is None:
        return True
    ids = {connection_id}
    if device is not None:
        ids |= {x for x in (device.key, device.udid, device.serial, *device.imeis) if x}
    return bool(ids & only)


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

"""Phones on the bus that no adapter sees (adb off, recovery mode), shown as slots waiting for you.

A :class:`~kitstation.core.protocols.PresenceSource` (pyusb in production) lists USB phones;
:class:`PresenceWatcher` polls it with what the adapters already see (:class:`KnownDevices`), and
tells its host -- the bench -- when a notice appears, changes or goes away. The host owns the
slots: it turns a notice into a slot waiting for the technician and back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Protocol

from kitstation.core.protocols import KnownDevices, PresenceNotice, PresenceSource
from kitstation.core.slots import SlotView
from kitstation.domain.model import Platform

log = logging.getLogger(__name__)

NOTICE_PREFIX = "usb:"  # the connection id of a slot held by a notice, not by an adapter


def is_notice(view: SlotView) -> bool:
    return view.connection_id.startswith(NOTICE_PREFIX)


def known_devices(views: Iterable[SlotView], watch_ios: bool) -> KnownDevices:
    """What the adapters see now: attached slots that an adapter (not a notice) holds."""
    seen = [v for v in views if v.attached and not is_notice(v)]
    android = [v for v in seen if v.platform == Platform.ANDROID]
    return KnownDevices(
        android_serials=frozenset(v.connection_id for v in android)
        | frozenset(v.device.key for v in android if v.device is not None),
        android_locations=frozenset(v.slot for v in android),
        ios_udids=frozenset(v.connection_id for v in seen if v.platform == Platform.IOS) if watch_ios else None,
    )


class PresenceHost(Protocol):
    """What the watcher needs of the bench."""

    def known(self) -> KnownDevices: ...

    def adapter_holds(self, location: str) -> bool:
        """True when an adapter's device is attached in that slot now (the notice is moot)."""
        ...

    def show_notice(self, notice: PresenceNotice) -> None: ...

    def drop_notice(self, location: str) -> None: ...


class PresenceWatcher:
    def __init__(self, source: PresenceSource, host: PresenceHost, interval: float) -> None:
        self.source = source
        self.host = host
        self.interval = interval
        self.notices: dict[str, PresenceNotice] = {}

    async def run(self) -> None:
        """Poll until cancelled (a failing source is logged and the watch ends; the bench stays up)."""
        while True:
            try:
                found = {n.location: n for n in await self.source.poll(self.host.known())}
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("USB presence polling stopped")
                return
            self.update(found)
            await asyncio.sleep(self.interval)

    def update(self, found: dict[str, PresenceNotice]) -> None:
        for loc in list(self.notices):
            if loc not in found:
                del self.notices[loc]
                self.host.drop_notice(loc)
        for loc, notice in found.items():
            if self.host.adapter_holds(loc) or self.notices.get(loc) == notice:
                continue
            self.notices[loc] = notice
            self.host.show_notice(notice)

    def forget(self, location: str) -> None:
        """An adapter's device took the slot: the notice is no longer shown."""
        self.notices.pop(location, None)

"""Where a slot is: a USB location (adb's ``1-2.3`` or usbmuxd's LocationID) as hub, port and a readable name.

Tiles, the port map and the physical tile order all read the place from here, so an iPhone's
``0x01120000`` and a Galaxy's ``1-1.2`` both become "Hub 1-1 · Port 2" until the technician names
the slot in the port map.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kitstation.ui.qt import QCoreApplication

_LOCATION = re.compile(r"^(?:(\d+)-)?(\d+(?:\.\d+)*)$")
_LOCATION_ID = re.compile(r"^0x([0-9a-fA-F]{8})$")


@lru_cache(maxsize=4096)  # a bench has tens of slots; painting and sorting ask per tile
def usb_path(slot: str) -> str | None:
    """The slot as a USB path ``bus-p1.p2…``: adb's ``usb:``/devpath form as is, a LocationID decoded.

    usbmuxd reports the macOS IOKit LocationID (``0x01120000``): the top byte is the bus, then one
    nibble per port from the root hub down, ending at the first zero nibble — so ``0x01120000`` is
    bus 1, port 1, then port 2 (``1-1.2``). Anything else (an adb serial) has no place: ``None``.
    """
    m = _LOCATION_ID.match(slot)
    if m:
        value = int(m.group(1), 16)
        bus, ports = value >> 24, []
        for shift in range(20, -1, -4):
            nibble = (value >> shift) & 0xF
            if nibble == 0:
                break
            ports.append(str(nibble))
        return f"{bus}-{'.'.join(ports)}" if ports else None
    return slot if _LOCATION.match(slot) and "-" in slot else None


def place_name(slot: str) -> str | None:
    """A readable place for a slot nobody named: "Hub 1-1 · Port 2" (``None`` without a location)."""
    hp = hub_and_port(slot)
    if hp is None:
        return None
    return (
        QCoreApplication.translate("Places", "Hub %1 · Port %2").replace("%1", hp[0]).replace("%2", str(hp[1]))
    )


def display_name(slot: str, label: str) -> str:
    """What a tile heads with: the port-map name, else the derived place, else the raw id."""
    if label and label != slot:
        return label
    return place_name(slot) or slot


@lru_cache(maxsize=4096)  # a bench has tens of slots; painting and sorting ask per tile
def hub_and_port(slot: str) -> tuple[str, int] | None:
    """(hub, port) from a USB location ``bus-p1.p2…pn`` or a LocationID: the hub is all but the last port."""
    path = usb_path(slot)
    m = _LOCATION.match(path) if path is not None else None
    if not m:
        return None
    ports = m.group(2).split(".")
    bus = m.group(1)
    hub = ".".join(ports[:-1])
    hub = f"{bus}-{hub}" if bus and hub else (bus or hub or "")
    return hub, int(ports[-1])


@lru_cache(maxsize=4096)  # a bench has tens of slots; painting and sorting ask per tile
def place_key(slot: str) -> tuple[int, tuple[int, ...], str]:
    """Sort key in physical order: USB locations numerically (port 10 after port 9), then the rest."""
    path = usb_path(slot)
    m = _LOCATION.match(path) if path is not None else None
    if m:
        nums = ((int(m.group(1)) if m.group(1) else 0), *(int(p) for p in m.group(2).split(".")))
        return 0, nums, ""
    return 1, (), slot

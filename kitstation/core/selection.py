"""Which devices a bench run is limited to (``--device ID``): one rule for the bench and the CLI.

A device matches when any of its names -- the adapter's connection id, its key, UDID, serial or
IMEIs -- is in the chosen set; ``None`` chooses every device.
"""

from __future__ import annotations

from collections.abc import Collection

from kitstation.domain.model import Device


def device_ids(connection_id: str, device: Device | None) -> set[str]:
    """Every name a technician may use for a device on the bench."""
    ids = {connection_id}
    if device is not None:
        ids |= {x for x in (device.key, device.udid, device.serial, *device.imeis) if x}
    return ids


def matches_only(only: Collection[str] | None, connection_id: str, device: Device | None) -> bool:
    """True when the device is among ``only`` (or ``only`` is None: no restriction)."""
    if only is None:
        return True
    return bool(device_ids(connection_id, device) & set(only))

"""What Apple Business says about serials: in the organization? assigned to which MDM server?

Asked by ``kitstation abm status`` and by ``kitstation dep verify`` (beside the device's own
answer), without touching any device: ``GET /v1/orgDevices/{serial}`` (404: not in the
organization) and, for an assigned one, ``GET .../relationships/assignedServer``.
"""

from __future__ import annotations

from typing import Any

from kitstation.abm.client import AbmClient


async def serial_status(abm: AbmClient, serials: list[str]) -> list[dict[str, Any]]:
    """One row per serial (all the organization's devices when ``serials`` is empty)."""
    names = {s.id: s.name for s in await abm.servers()}
    wanted = list(serials) or [d.serial async for d in abm.devices()]
    rows: list[dict[str, Any]] = []
    for serial in wanted:
        device = await abm.device(serial)
        if device is None:
            rows.append(
                {
                    "serial": serial,
                    "in_organization": False,
                    "status": None,
                    "assigned_server_id": None,
                    "assigned_server": None,
                }
            )
            continue
        sid = await abm.assigned_server_id(serial) if device.status == "ASSIGNED" else None
        rows.append(
            {
                "serial": serial,
                "in_organization": True,
                "status": device.status,
                "product_type": device.product_type,
                "assigned_server_id": sid,
                "assigned_server": names.get(sid or ""),
            }
        )
    return rows

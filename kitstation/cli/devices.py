"""``kitstation devices``: list the devices attached now, identified, on every platform."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from kitstation.cli import argtypes
from kitstation.cli.common import EXIT_OK, add_db_option, print_json, run_async
from kitstation.cli.station_opts import add_station_options, station_for
from kitstation.i18n import Text, current_language

if TYPE_CHECKING:
    from kitstation.station import Station


def register(sub: Any) -> None:
    p = sub.add_parser("devices", help="list attached devices")
    add_db_option(p)
    add_station_options(p)
    p.add_argument(
        "--settle",
        type=argtypes.number(0.0, 600.0),
        default=1.5,
        help="seconds to listen for devices (default 1.5, at most 600)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=run)


async def usb_notices(station: Station, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Phones on the USB bus that neither adb nor usbmuxd lists (adb off, recovery mode)."""
    from kitstation.core.protocols import KnownDevices
    from kitstation.domain.model import Platform

    if station.presence is None:
        return []
    android = [r for r in rows if r["platform"] == "android"]
    known = KnownDevices(
        android_serials=frozenset(r["connection_id"] for r in android) | frozenset(r.get("key") or "" for r in android),
        android_locations=frozenset(r.get("usb_location") or "" for r in android),
        ios_udids=frozenset(r["connection_id"] for r in rows if r["platform"] == "ios")
        if any(a.platform == Platform.IOS for a in station.adapters)
        else None,
    )
    return [
        {
            "platform": n.platform.value,
            "connection_id": f"usb:{n.location}",
            "usb_location": n.location,
            "serial": n.serial,
            "state": "waiting_user",
            "action": n.action.value,
            "reason": {"en": n.reason.en, "ja": n.reason.ja},
        }
        for n in await station.presence.poll(known)
    ]


async def list_devices(station: Station, settle: float) -> list[dict[str, Any]]:
    import asyncio

    from kitstation.domain.model import USER_ACTION_TEXT, StepError, UserActionRequired
    from kitstation.station import collect_attached

    rows: list[dict[str, Any]] = []
    for adapter in station.adapters:
        for cid in await collect_attached(adapter, settle):
            row: dict[str, Any] = {"platform": adapter.platform.value, "connection_id": cid}
            try:
                dev = await asyncio.wait_for(adapter.identify(cid), 30)
                d = asdict(dev)
                d["platform"] = dev.platform.value
                d["imeis"] = list(dev.imeis)
                row.update(d)
                row["state"] = "ready"
            except UserActionRequired as exc:
                row["state"] = "waiting_user"
                row["action"] = exc.action.value
                row["reason"] = {"en": USER_ACTION_TEXT[exc.action].en, "ja": USER_ACTION_TEXT[exc.action].ja}
            except StepError as exc:
                row["state"] = "error"
                row["reason"] = {"en": exc.reason.en, "ja": exc.reason.ja}
            except Exception as exc:  # a device library's own error: one device's row, not a traceback
                said = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                row["state"] = "error"
                row["reason"] = {
                    "en": f"Could not read the device: {said}",
                    "ja": f"デバイス情報を読み取れません: {said}",
                }
            rows.append(row)
    return rows + await usb_notices(station, rows)


async def _main(args: argparse.Namespace) -> list[dict[str, Any]]:
    async with station_for(args) as station:
        return await list_devices(station, args.settle)


def run(args: argparse.Namespace) -> int:
    rows = run_async(_main(args))
    if args.json:
        print_json(rows)
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    ja = current_language() == "ja"
    table = Table()
    for h in (
        ("機種", "シリアル", "IMEI", "OS", "状態", "接続")
        if ja
        else ("Model", "Serial", "IMEI", "OS", "State", "Connection")
    ):
        table.add_column(h)
    for r in rows:
        state = r["state"]
        if "reason" in r:
            state += ": " + r["reason"]["ja" if ja else "en"]
        table.add_row(
            str(r.get("marketing_name") or r.get("model_id") or r["platform"]),
            str(r.get("serial") or ""),
            ", ".join(r.get("imeis") or []),
            str(r.get("os_version") or ""),
            state,
            r["connection_id"],
        )
    Console().print(table)
    if not rows:
        print(Text("No devices attached.", "接続されたデバイスはありません。"))
    return EXIT_OK

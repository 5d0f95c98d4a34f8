"""``kitstation dep verify``: has Apple Business Manager assigned the handed-off devices yet?

The station cannot add a serial to ABM (no public protocol: that happens in ABM, by the customer or
the reseller). After it has been done there, this command asks each attached iPhone/iPad to fetch its
cloud configuration from Apple and records the answer in the log: the device's hand-off state
becomes ``abm_assigned`` and its run, which was waiting on ABM, becomes ok.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from kitstation.cli.common import EXIT_DEVICE_FAILED, EXIT_OK, add_db_option, print_json
from kitstation.cli.devices import collect_attached
from kitstation.cli.station_opts import add_station_options, simulation_from
from kitstation.domain.model import Outcome, Platform, StepError, UserActionRequired
from kitstation.i18n import Text, current_language
from kitstation.station import Station


def register(sub: Any) -> None:
    p = sub.add_parser("dep", help="Apple Business Manager (DEP) hand-off")
    dsub = p.add_subparsers(dest="dep_command", metavar="ACTION", required=True)
    v = dsub.add_parser("verify", help="ask attached iOS devices whether ABM has assigned them, and log it")
    add_db_option(v)
    add_station_options(v)
    v.add_argument("--device", "-d", action="append", metavar="UDID|SERIAL", help="only these devices")
    v.add_argument("--settle", type=float, default=1.5, help="seconds to listen for devices")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=verify, platforms=["ios"])


async def _verify(args: argparse.Namespace) -> list[dict[str, Any]]:
    station = Station(
        db=getattr(args, "db", None),
        simulate=simulation_from(args),
        usbmux_address=args.usbmux,
        platforms=(Platform.IOS,),
    )
    await station.start()
    rows: list[dict[str, Any]] = []
    try:
        assert station.kitlog is not None
        adapter: Any = station.adapters[0]
        wanted = set(args.device or [])
        for cid in await collect_attached(adapter, args.settle):
            row: dict[str, Any] = {"connection_id": cid}
            try:
                device = await adapter.identify(cid)
                row.update(udid=device.udid, serial=device.serial, model=device.marketing_name)
                if wanted and not wanted & {cid, device.udid, device.serial}:
                    continue
                result = await adapter.verify_dep_assignment(device)
                outcome, code, reason, detail = result.outcome, result.code, result.reason, result.detail
            except UserActionRequired as exc:
                outcome, code, reason, detail = Outcome.FAILED, exc.action.value, exc.reason, None
                device = None
            except StepError as exc:
                outcome, code, reason, detail = Outcome.FAILED, exc.code, exc.reason, exc.detail
            if device is not None:
                device_id = station.kitlog.upsert_device(device)
                row["run_id"] = station.kitlog.record_check(device_id, "ios.dep_verify", outcome, code, reason, detail)
            row.update(
                outcome=outcome.value,
                code=code,
                external_state=(detail or {}).get("external_state"),
                reason={"en": reason.en, "ja": reason.ja} if reason else None,
            )
            rows.append(row)
    finally:
        await station.aclose()
    return rows


def verify(args: argparse.Namespace) -> int:
    rows = asyncio.run(_verify(args))
    if args.json:
        print_json(rows)
    else:
        lang = current_language()
        for r in rows:
            reason = r["reason"][lang] if r["reason"] else ""
            print(f"{r.get('serial') or r['connection_id']}: {r['external_state'] or r['outcome']} {reason}".rstrip())
        if not rows:
            print(Text("No iOS devices attached.", "iOS デバイスが接続されていません。"))
    return EXIT_DEVICE_FAILED if any(r["outcome"] == "failed" for r in rows) else EXIT_OK

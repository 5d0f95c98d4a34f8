"""``kitstation dep verify``: has Apple Business Manager assigned the handed-off devices yet?

The station cannot add a serial to ABM (no public protocol: that happens in ABM, by the customer or
the reseller). After it has been done there, this command runs the iOS adapter's DEP-verification
plan on each attached iPhone/iPad -- a logged pipeline run that asks the device to fetch its cloud
configuration from Apple. The device's hand-off state becomes ``abm_assigned`` and the runs that
were waiting on ABM become ok. With ``--blueprint`` the checks are filed under that blueprint
(and its ``erase_if_configured`` applies); without, under a built-in "DEP (ABM) assignment check".

When the customer (``--customer``, else the blueprint's ``[abm]`` / ``[customer]``) has an Apple
Business API account, the command also asks Apple Business about the same serials -- without
touching the device -- and shows both answers (``apple_business`` in ``--json``).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from kitstation.cli import argtypes
from kitstation.cli.common import (
    EXIT_DEVICE_FAILED,
    EXIT_OK,
    CliError,
    add_db_option,
    eprint,
    print_json,
    run_async,
    text_json,
)
from kitstation.cli.station_opts import add_station_options, station_for
from kitstation.i18n import Text, current_language

if TYPE_CHECKING:
    from kitstation.station import DepCheck


def register(sub: Any) -> None:
    p = sub.add_parser("dep", help="Apple Business Manager (DEP) hand-off")
    dsub = p.add_subparsers(dest="dep_command", metavar="ACTION", required=True)
    v = dsub.add_parser("verify", help="ask attached iOS devices whether ABM has assigned them, and log it")
    add_db_option(v)
    add_station_options(v, platforms=False)
    v.add_argument("--device", "-d", action="append", metavar="UDID|SERIAL", help="only these devices")
    v.add_argument("--blueprint", "-b", metavar="FILE", help="file the checks under this iOS blueprint")
    v.add_argument(
        "--customer", help="also ask Apple Business with this customer's API account (default: the blueprint's)"
    )
    v.add_argument(
        "--settle", type=argtypes.number(0.0, 600.0), default=1.5, help="seconds to listen for devices (at most 600)"
    )
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=verify, platforms=["ios"])


def _row(check: DepCheck, abm: dict[str, Any]) -> dict[str, Any]:
    d = check.device
    said = next((r for r in abm["devices"] if d is not None and r["serial"] == d.serial), None)
    return {
        "connection_id": check.connection_id,
        "udid": d.udid if d else None,
        "serial": d.serial if d else None,
        "model": d.marketing_name if d else None,
        "run_id": check.run_id,
        "outcome": check.outcome.value,
        "code": check.code,
        "external_state": check.external_state,
        "reason": text_json(check.reason),
        # Apple Business's own answer for the serial (None when it was not asked).
        "apple_business": said,
    }


async def _verify(args: argparse.Namespace) -> list[dict[str, Any]]:
    from kitstation.blueprints.loader import load_blueprint
    from kitstation.cli.secrets import cli_secrets
    from kitstation.domain.model import Platform

    blueprint = load_blueprint(args.blueprint) if args.blueprint else None
    if blueprint is not None and blueprint.ios is None:
        raise CliError(Text("The blueprint has no [ios] section", "ブループリントに [ios] がありません"))
    from kitstation.station.handoffs import ask_apple_business

    customer = args.customer or ""
    if not customer and blueprint is not None:
        customer = blueprint.cloud_customer(blueprint.abm) if blueprint.abm is not None else blueprint.customer.name
    async with station_for(args, (Platform.IOS,)) as station:
        checks = await station.verify_dep(
            settle=args.settle, only=args.device, blueprint=blueprint, secrets=cli_secrets()
        )
        serials = [c.device.serial for c in checks if c.device is not None and c.device.serial]
        abm = await ask_apple_business(station.handoffs, customer, serials)
    if abm["reason"] is not None and args.customer:
        # Asked for by name: say why Apple Business was not asked.
        eprint(abm["reason"])
    return [_row(c, abm) for c in checks]


def verify(args: argparse.Namespace) -> int:
    rows = run_async(_verify(args))
    if args.json:
        print_json(rows)
    else:
        lang = current_language()
        for r in rows:
            reason = r["reason"][lang] if r["reason"] else ""
            print(f"{r.get('serial') or r['connection_id']}: {r['external_state'] or r['outcome']} {reason}".rstrip())
            said = r["apple_business"]
            if said is not None:
                where = said["assigned_server"] or said["assigned_server_id"] or "-"
                answer = (
                    Text("  Apple Business: {st}, server {m}", "  Apple Business: {st}、サーバ {m}").format(
                        st=said["status"], m=where
                    )
                    if said["in_organization"]
                    else Text("  Apple Business: not in the organization", "  Apple Business: 組織にありません")
                )
                print(answer.get(lang))
    if not rows:
        eprint(Text("No iOS devices attached.", "iOS デバイスが接続されていません。"))
    return EXIT_DEVICE_FAILED if any(r["outcome"] == "failed" for r in rows) else EXIT_OK

"""``kitstation abm``: the customer's Apple Business (or Apple School Manager) organization, for scripts.

* ``abm credentials import --customer C --client-id ID --key-id KID KEYFILE`` (``-`` = stdin):
  the API account, once per customer; the key is read from the file, never from the command line.
* ``abm credentials list`` / ``remove``;
* ``abm servers`` -- the MDM servers; ``abm assign --server S SERIAL...`` (``--unassign``);
* ``abm status [SERIAL...]`` -- each serial's assignment (``--activity ID``: an activity's state).

All take ``--json``. The key is never printed; what is shown of an account is its client id,
key id and dates.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from kitstation.cli.cloud_common import (
    add_credentials_commands,
    add_customer_command,
    ask,
    imported,
    list_stored,
    read_secret,
    remove_stored,
    usable,
)
from kitstation.cli.common import EXIT_DEVICE_FAILED, EXIT_OK, CliError, print_json
from kitstation.i18n import Text

if TYPE_CHECKING:  # the client imports httpx: only when a command runs (kitstation --help stays fast)
    from kitstation.abm.client import AbmClient
    from kitstation.abm.credentials import AbmCredentialStore, StoredAbmAccount

_run = ask


def register(sub: Any) -> None:
    p = sub.add_parser("abm", help="Apple Business / Apple School Manager API: MDM servers and device assignment")
    abm = p.add_subparsers(dest="abm_command", metavar="ACTION", required=True)

    imp = add_credentials_commands(
        abm, what="API account", run_import=run_import, run_list=run_list, run_remove=run_remove
    )
    imp.add_argument("--client-id", required=True, help="as Apple Business shows it (BUSINESSAPI.…)")
    imp.add_argument("--key-id", required=True, help="the key's id, as Apple Business shows it")
    imp.add_argument("--service", choices=["business", "school"], default="business")
    imp.add_argument(
        "--expires", default="", metavar="YYYY-MM-DD", help="when the customer retires this key (optional)"
    )
    imp.add_argument("keyfile", metavar="KEYFILE", help="the .pem Apple Business generated, or - for stdin")

    add_customer_command(abm, "servers", help="the organization's MDM servers", func=run_servers)

    assign = add_customer_command(
        abm, "assign", help="assign serials to an MDM server (one activity), and wait for it", func=run_assign
    )
    assign.add_argument("--server", required=True, metavar="NAME|ID")
    assign.add_argument("--unassign", action="store_true", help="unassign them from that server instead")
    assign.add_argument("--no-wait", action="store_true", help="return once the activity is created")
    assign.add_argument("--timeout", type=float, default=1800.0, help="seconds to wait for the activity")
    assign.add_argument("serials", nargs="+", metavar="SERIAL")

    status = add_customer_command(
        abm, "status", help="which MDM server each serial is assigned to (all devices without serials)", func=run_status
    )
    status.add_argument("--activity", metavar="ID", help="show this activity's state instead")
    status.add_argument("serials", nargs="*", metavar="SERIAL")


EXPIRED = Text(
    "The API account of '{c}' expired on {d}: import a new key",
    "「{c}」の API アカウントは {d} に期限切れです: 新しい鍵をインポートしてください",
)


def _store() -> AbmCredentialStore:
    from kitstation.abm.credentials import AbmCredentialStore

    return AbmCredentialStore()


def _account(customer: str) -> StoredAbmAccount:
    return usable(_store(), customer, EXPIRED)


def run_import(args: argparse.Namespace) -> int:
    key = read_secret(args.keyfile, Text("Cannot read the key file {f}", "鍵ファイル {f} を読めません"))
    account = imported(
        lambda: _store().import_account(
            args.customer,
            client_id=args.client_id,
            key_id=args.key_id,
            private_key_pem=key,
            service=args.service,
            expires=args.expires,
        )
    )
    if args.json:
        print_json(account.public())
    else:
        print(
            Text(
                "Stored the API account of '{c}' (client id {i}); the key file can now be deleted.",
                "「{c}」の API アカウントを保存しました（クライアント ID {i}）。鍵ファイルは削除してかまいません。",
            ).format(c=account.customer, i=account.client_id)
        )
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    return list_stored(
        args,
        _store(),
        lambda a: Text(
            "{c}: client id {i}, key id {k} ({s}), imported {t}",
            "{c}: クライアント ID {i}、キー ID {k}（{s}）、インポート {t}",
        ).format(c=a["customer"], i=a["client_id"], k=a["key_id"], s=a["service"], t=a["imported_at"]),
    )


def run_remove(args: argparse.Namespace) -> int:
    return remove_stored(
        _store(), args.customer, Text("No API account stored for '{c}'", "「{c}」の API アカウントは保存されていません")
    )


def _client(account: StoredAbmAccount) -> AbmClient:
    from kitstation.abm.client import AbmClient, AbmEndpoints

    return AbmClient(
        account.credentials, AbmEndpoints.for_service("school" if account.service == "school" else "business")
    )


def run_servers(args: argparse.Namespace) -> int:
    account = _account(args.customer)

    async def go() -> list[dict[str, str]]:
        async with _client(account) as abm:
            return [{"id": s.id, "name": s.name, "type": s.server_type} for s in await abm.servers()]

    servers = _run(go())
    if args.json:
        print_json(servers)
    else:
        for s in servers:
            print(f"{s['id']}  {s['type']:<20} {s['name']}")
    return EXIT_OK


def run_assign(args: argparse.Namespace) -> int:
    account = _account(args.customer)

    async def go() -> dict[str, Any]:
        async with _client(account) as abm:
            server = await abm.find_server(args.server)
            missing = [s for s in args.serials if await abm.device(s) is None]
            if missing:
                raise CliError(
                    Text(
                        "Not in the organization: {s}. Only devices bought from Apple or an authorized reseller are there;"
                        " others enter Apple Business only through Apple Configurator.",
                        "組織にありません: {s}。Apple または正規販売店から購入したデバイスのみが登録されています。"
                        "それ以外は Apple Configurator でのみ Apple Business に追加できます。",
                    ).format(s=", ".join(missing))
                )
            act = await (abm.unassign if args.unassign else abm.assign)(server.id, list(args.serials))
            if not args.no_wait:
                act = await abm.wait_activity(act.id, timeout=args.timeout)
            result: dict[str, Any] = {
                "activity_id": act.id,
                "status": act.status,
                "sub_status": act.sub_status,
                "server": {"id": server.id, "name": server.name},
                "devices": [],
            }
            if act.finished:
                for s in args.serials:
                    sid = await abm.assigned_server_id(s)
                    done = (sid == server.id) != bool(args.unassign)
                    result["devices"].append({"serial": s, "assigned_server_id": sid, "done": done})
            return result

    result = _run(go())
    if args.json:
        print_json(result)
    else:
        print(f"{result['activity_id']}: {result['status']} {result['sub_status']}")
        for d in result["devices"]:
            state = Text("done", "完了") if d["done"] else Text("NOT done", "未完了")
            print(f"  {d['serial']}: {state} ({d['assigned_server_id'] or '-'})")
    if result["status"] != "COMPLETED" and not args.no_wait:
        return EXIT_DEVICE_FAILED
    return EXIT_DEVICE_FAILED if any(not d["done"] for d in result["devices"]) else EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    from kitstation.abm.status import serial_status

    account = _account(args.customer)

    async def go() -> Any:
        async with _client(account) as abm:
            if args.activity:
                act = await abm.activity(args.activity)
                return {
                    "activity_id": act.id,
                    "status": act.status,
                    "sub_status": act.sub_status,
                    "created": act.created,
                    "completed": act.completed or None,
                }
            return await serial_status(abm, list(args.serials))

    result = _run(go())
    if args.json:
        print_json(result)
    elif args.activity:
        print(f"{result['activity_id']}: {result['status']} {result['sub_status']}")
    else:
        for r in result:
            where = r["assigned_server"] or r["assigned_server_id"] or "-"
            state = r["status"] if r["in_organization"] else str(Text("not in the organization", "組織にありません"))
            print(f"{r['serial']}: {state} {where if r['in_organization'] else ''}".rstrip())
    return EXIT_OK

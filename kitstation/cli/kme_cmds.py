"""``kitstation kme``: the customer's Knox Mobile Enrollment profiles and devices, for scripts.

* ``kme credentials import --customer C --client-id ID SECRETFILE`` (``-`` = stdin): the Knox API
  client, once per customer; the secret is read from the file, never from the command line;
* ``kme credentials list`` / ``remove``;
* ``kme profiles``; ``kme assign --profile P ID...`` (IMEIs or serials; ``--approve`` first;
  ``--unassign``); ``kme status [ID...]`` (``--changed-after``).

All take ``--json``. The client secret is never printed.
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
    from kitstation.kme.client import KmeClient
    from kitstation.kme.credentials import KmeCredentialStore, StoredKmeClient

_run = ask


def register(sub: Any) -> None:
    p = sub.add_parser("kme", help="Knox Mobile Enrollment API: profiles, approval and profile assignment")
    kme = p.add_subparsers(dest="kme_command", metavar="ACTION", required=True)

    imp = add_credentials_commands(
        kme, what="Knox API client", run_import=run_import, run_list=run_list, run_remove=run_remove
    )
    imp.add_argument("--client-id", required=True, help="the cloud app's client id (Knox Admin Portal)")
    imp.add_argument("--api-url", default="", help="the customer's regional Knox API URL (default: Samsung's)")
    imp.add_argument("--expires", default="", metavar="YYYY-MM-DD", help="the client secret's expiry date (optional)")
    imp.add_argument("secretfile", metavar="SECRETFILE", help="a file holding the client secret, or - for stdin")

    add_customer_command(kme, "profiles", help="the customer's KME profiles", func=run_profiles)

    assign = add_customer_command(
        kme, "assign", help="assign a KME profile to devices (IMEIs or serials)", func=run_assign
    )
    assign.add_argument("--profile", metavar="NAME|ID", help="the profile to assign (not with --unassign)")
    assign.add_argument("--approve", action="store_true", help="approve the reseller's pending upload first")
    assign.add_argument("--unassign", action="store_true", help="remove the profile from these devices instead")
    assign.add_argument("ids", nargs="+", metavar="ID")

    status = add_customer_command(kme, "status", help="the KME list: status and profile per device", func=run_status)
    status.add_argument("--changed-after", metavar="WHEN", help="only devices changed after this time")
    status.add_argument("ids", nargs="*", metavar="ID")


EXPIRED = Text(
    "The Knox API client secret of '{c}' expired on {d}: import a new one",
    "「{c}」の Knox クライアントシークレットは {d} に期限切れです: 新しいものをインポートしてください",
)
UNREADABLE = Text("Cannot read the secret file {f}", "シークレットファイル {f} を読めません")


def _store() -> KmeCredentialStore:
    from kitstation.kme.credentials import KmeCredentialStore

    return KmeCredentialStore()


def _stored(customer: str) -> StoredKmeClient:
    return usable(_store(), customer, EXPIRED)


def _read_secret(name: str) -> str:
    raw = read_secret(name, UNREADABLE)
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise CliError(UNREADABLE.format(f=name)) from exc


def run_import(args: argparse.Namespace) -> int:
    secret = _read_secret(args.secretfile)
    stored = imported(
        lambda: _store().import_client(
            args.customer, client_id=args.client_id, client_secret=secret, api_url=args.api_url, expires=args.expires
        )
    )
    if args.json:
        print_json(stored.public())
    else:
        print(
            Text(
                "Stored the Knox API client of '{c}' (client id {i}).",
                "「{c}」の Knox API クライアントを保存しました（クライアント ID {i}）。",
            ).format(c=stored.customer, i=stored.client_id)
        )
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    return list_stored(
        args,
        _store(),
        lambda c: Text("{c}: client id {i}, imported {t}", "{c}: クライアント ID {i}、インポート {t}").format(
            c=c["customer"], i=c["client_id"], t=c["imported_at"]
        ),
    )


def run_remove(args: argparse.Namespace) -> int:
    return remove_stored(
        _store(),
        args.customer,
        Text("No Knox API client stored for '{c}'", "「{c}」の Knox API クライアントは保存されていません"),
    )


def _client(stored: StoredKmeClient) -> KmeClient:
    from kitstation.kme.client import KmeClient, KmeEndpoints

    return KmeClient(stored.credentials, KmeEndpoints.from_env(stored.api_url or None))


def run_profiles(args: argparse.Namespace) -> int:
    stored = _stored(args.customer)

    async def go() -> list[dict[str, str]]:
        async with _client(stored) as kme:
            return [{"id": p.id, "name": p.name} for p in await kme.profiles()]

    profiles = _run(go())
    if args.json:
        print_json(profiles)
    else:
        for p in profiles:
            print(f"{p['id']}  {p['name']}")
    return EXIT_OK


def run_assign(args: argparse.Namespace) -> int:
    if not args.unassign and not args.profile:
        raise CliError(
            Text("--profile is required (or --unassign)", "--profile を指定してください（または --unassign）")
        )
    stored = _stored(args.customer)

    async def go() -> dict[str, Any]:
        async with _client(stored) as kme:
            ids = list(args.ids)
            out: dict[str, Any] = {}
            if args.unassign:
                res = await kme.unassign_profile(ids)
                out["profile"] = None
            else:
                profile = await kme.find_profile(args.profile)
                out["profile"] = {"id": profile.id, "name": profile.name}
                if args.approve:
                    await kme.approve(ids)
                res = await kme.assign_profile(profile.id, ids)
            out.update(
                request_id=res.request_id or None,
                valid=list(res.valid),
                not_found=list(res.not_found),
                invalid=list(res.invalid),
            )
            return out

    result = _run(go())
    if args.json:
        print_json(result)
    else:
        print(
            f"request {result['request_id'] or '-'}: ok {len(result['valid'])}, not found {len(result['not_found'])}, invalid {len(result['invalid'])}"
        )
        for i in result["not_found"]:
            print(
                Text(
                    "  {i}: not on the KME list (has the reseller uploaded it?)",
                    "  {i}: KME の端末リストにありません（販売店はアップロード済みですか?）",
                ).format(i=i)
            )
        for i in result["invalid"]:
            print(Text("  {i}: refused (pending approval?)", "  {i}: 拒否されました（承認待ちですか?）").format(i=i))
    return EXIT_DEVICE_FAILED if result["not_found"] or result["invalid"] else EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    stored = _stored(args.customer)

    async def go() -> list[dict[str, Any]]:
        async with _client(stored) as kme:
            devices = await kme.devices(changed_after=args.changed_after)
        rows = []
        wanted = list(args.ids)
        for d in devices:
            if wanted and not any(d.known_as(i) for i in wanted):
                continue
            rows.append(
                {
                    "id": d.id,
                    "imei": d.imei,
                    "serial": d.serial,
                    "status": d.status,
                    "profile_id": d.profile_id or None,
                    "profile": d.profile_name or None,
                }
            )
        for i in wanted:
            if not any(i in (r["id"], r["imei"], r["serial"]) for r in rows):
                rows.append(
                    {
                        "id": None,
                        "imei": None,
                        "serial": None,
                        "requested": i,
                        "status": None,
                        "profile_id": None,
                        "profile": None,
                    }
                )
        return rows

    rows = _run(go())
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            if r["id"] is None:
                print(Text("{i}: not on the KME list", "{i}: KME の端末リストにありません").format(i=r["requested"]))
            else:
                print(f"{r['imei'] or '-'} {r['serial'] or '-'}: {r['status']} {r['profile'] or ''}".rstrip())
    return EXIT_OK

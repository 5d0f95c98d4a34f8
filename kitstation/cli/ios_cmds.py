"""iOS commands: supervision identities, Wi-Fi profiles and MDM trust anchors.

``kitstation identity new|import|list``, ``kitstation profile wifi``, ``kitstation certs fetch``.
Passphrases and Wi-Fi passwords are prompted for (getpass) or read from a named environment
variable; they are never accepted on the command line, where the shell history would keep them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from kitstation.cli import argtypes
from kitstation.cli.common import EXIT_OK, CliError, print_json
from kitstation.i18n import Text


def register(sub: Any) -> None:
    ident = sub.add_parser("identity", help="supervision identities (iOS)")
    isub = ident.add_subparsers(dest="identity_command", metavar="ACTION", required=True)
    new = isub.add_parser("new", help="generate a new supervision identity")
    new.add_argument("--name", required=True, type=argtypes.text(128), help="name in this station's identity store")
    # X.509 caps organizationName at 64 characters (RFC 5280, ub-organization-name).
    new.add_argument(
        "--org", required=True, type=argtypes.text(64), help="organisation named in the certificate (at most 64)"
    )
    new.set_defaults(func=identity_new)
    imp = isub.add_parser("import", help="import a .p12, or a PEM/DER certificate with its key")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--key", type=Path, metavar="KEYFILE", help="private key file (PEM/DER) for a certificate")
    imp.add_argument("--name", type=argtypes.text(128), help="name in the store (default: the file name)")
    imp.add_argument("--passphrase-env", metavar="VAR", help="read the passphrase from this environment variable")
    imp.add_argument("--no-passphrase", action="store_true", help="the file is not encrypted: do not ask")
    imp.set_defaults(func=identity_import)
    lst = isub.add_parser("list", help="list the station's supervision identities")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=identity_list)

    prof = sub.add_parser("profile", help="configuration profiles (iOS)")
    psub = prof.add_subparsers(dest="profile_command", metavar="KIND", required=True)
    wifi = psub.add_parser("wifi", help="write a Wi-Fi .mobileconfig to standard output")
    wifi.add_argument("--ssid", required=True, type=argtypes.ssid)
    wifi.add_argument("--security", default="WPA2", choices=["None", "WEP", "WPA", "WPA2", "WPA3", "Any"])
    wifi.add_argument("--password-env", metavar="VAR", help="read the password from this environment variable")
    wifi.add_argument("--hidden", action="store_true")
    wifi.add_argument("--no-auto-join", action="store_true")
    wifi.add_argument("--proxy-host")
    wifi.add_argument("--proxy-port", type=argtypes.port)
    wifi.add_argument("--proxy-pac-url")
    wifi.add_argument("--org", type=argtypes.text(200), default="")
    wifi.set_defaults(func=profile_wifi)

    certs = sub.add_parser("certs", help="MDM server trust anchors (iOS)")
    csub = certs.add_subparsers(dest="certs_command", metavar="ACTION", required=True)
    fetch = csub.add_parser("fetch", help="show (and save) the certificate chain an HTTPS server presents")
    fetch.add_argument("url")
    fetch.add_argument("--out", type=Path, metavar="DIR", help="save each certificate as DIR/NN-<sha>.pem")
    fetch.add_argument("--json", action="store_true")
    fetch.set_defaults(func=certs_fetch)


def _secret_from(var: str | None, prompt: Text, ask: bool = True) -> str | None:
    if var:
        value = os.environ.get(var)
        if value is None:
            raise CliError(
                Text("Environment variable {v} is not set", "環境変数 {v} が設定されていません").format(v=var)
            )
        return value
    if not ask:
        return None
    from kitstation.cli.secrets import NO_TTY, NoTerminal, ask_on_terminal
    from kitstation.core.secrets import SecretUnavailable

    try:
        return ask_on_terminal("passphrase", prompt)
    except SecretUnavailable as exc:
        if isinstance(exc, NoTerminal):  # say which option gives it without a terminal
            raise CliError(
                prompt
                + Text(": ", "：")
                + NO_TTY
                + Text(
                    " (use --passphrase-env / --password-env VAR)",
                    "（--passphrase-env / --password-env で環境変数を指定してください）",
                )
            ) from None
        raise CliError(exc.reason) from None


def identity_new(args: argparse.Namespace) -> int:
    from kitstation.domain.model import StepError
    from kitstation.ios.identities import IdentityStore

    try:
        ident = IdentityStore().generate(args.name, args.org)
    except StepError as exc:
        raise CliError(exc.reason) from None
    print(
        Text("Created {n} ({s}), SHA-256 {h}", "{n} を作成しました（{s}）SHA-256 {h}").format(
            n=ident.name, s=ident.subject, h=ident.sha256
        )
    )
    return EXIT_OK


def identity_import(args: argparse.Namespace) -> int:
    from kitstation.domain.model import StepError
    from kitstation.ios.identities import IdentityStore

    encrypted = args.file.suffix.lower() in (".p12", ".pfx") or args.passphrase_env
    passphrase = _secret_from(
        args.passphrase_env,
        Text("Passphrase for {f}", "{f} のパスフレーズ").format(f=args.file.name),
        ask=bool(encrypted) and not args.no_passphrase,
    )
    store = IdentityStore()
    try:
        try:
            ident = store.import_file(args.file, name=args.name, passphrase=passphrase, key_path=args.key)
        except StepError as exc:
            if exc.code != "passphrase_needed" or args.no_passphrase or args.passphrase_env:
                raise
            # An encrypted PEM/DER key: only now is it known that a passphrase is needed.
            passphrase = _secret_from(None, Text("Passphrase for {f}", "{f} のパスフレーズ").format(f=args.file.name))
            ident = store.import_file(args.file, name=args.name, passphrase=passphrase, key_path=args.key)
    except StepError as exc:
        raise CliError(exc.reason) from None
    print(Text("Imported {n} ({s})", "{n} をインポートしました（{s}）").format(n=ident.name, s=ident.subject))
    return EXIT_OK


def identity_list(args: argparse.Namespace) -> int:
    from kitstation.ios.identities import IdentityStore

    idents = IdentityStore().list()
    if args.json:
        print_json([i.as_dict() for i in idents])
        return EXIT_OK
    if not idents:
        print(
            Text(
                "No supervision identities yet (kitstation identity new)",
                "監視IDはまだありません（kitstation identity new）",
            )
        )
    for i in idents:
        print(f"{i.name}\t{i.subject}\t{i.not_after.date()}\t{i.sha256[:16]}")
    return EXIT_OK


def profile_wifi(args: argparse.Namespace) -> int:
    from kitstation.ios.profiles import wifi_profile

    password = None
    if args.security != "None":
        password = _secret_from(
            args.password_env, Text("Wi-Fi password for {s}", "{s} のWi-Fiパスワード").format(s=args.ssid)
        )
    proxy_type = "manual" if args.proxy_host else "auto" if args.proxy_pac_url else "none"
    data = wifi_profile(
        args.ssid,
        args.security,
        password,
        hidden=args.hidden,
        auto_join=not args.no_auto_join,
        proxy_type=proxy_type,
        proxy_host=args.proxy_host or "",
        proxy_port=args.proxy_port,
        proxy_pac_url=args.proxy_pac_url or "",
        organization=args.org,
    )
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return EXIT_OK


def certs_fetch(args: argparse.Namespace) -> int:
    from kitstation.domain.model import StepError
    from kitstation.ios.certs import fetch_chain

    try:
        chain = fetch_chain(args.url)
    except StepError as exc:
        raise CliError(exc.reason) from None
    saved: list[str] = []
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        for n, cert in enumerate(chain):
            path = args.out / f"{n:02d}-{cert.sha256[:12].lower()}.pem"
            path.write_bytes(cert.pem)
            saved.append(str(path))
    if args.json:
        print_json([{**c.as_dict(), **({"file": saved[i]} if saved else {})} for i, c in enumerate(chain)])
        return EXIT_OK
    for i, c in enumerate(chain):
        print(f"[{i}] {c.subject}")
        print(Text("    issuer  {v}", "    発行者  {v}").format(v=c.issuer))
        print(Text("    expires {v}", "    有効期限 {v}").format(v=c.not_after.date().isoformat()))
        print(f"    SHA-256 {c.sha256}")
        if saved:
            print(Text("    saved   {v}", "    保存先  {v}").format(v=saved[i]))
    return EXIT_OK

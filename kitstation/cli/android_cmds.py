"""Android CLI commands: ``kitstation intake`` (box-label barcodes) and ``kitstation qr`` (provisioning code).

``kitstation intake [--session ID] [--box] [--json]`` reads scans from stdin, one per line (a
barcode scanner types each scan and Enter), records each accepted one in the log and says why a
rejected one was refused. With ``--box`` the lines of one box label (IMEI1, IMEI2, S/N) make one
device until a blank line; ``--kme`` marks the devices ``kme_registered`` (a KME batch whose
phones never see adb). Exit code 2 if any scan was rejected.

``kitstation qr --blueprint FILE --out qr.png|qr.svg [--apk FILE]`` writes the Android Enterprise
provisioning QR code of the blueprint's ``[android.qr]``; ``--apk`` computes the signature
checksum from the agent APK. A Wi-Fi password named by ``password_secret`` comes from
``KITSTATION_SECRET_<NAME>`` or a prompt, never from the blueprint.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kitstation.cli import argtypes
from kitstation.cli.common import EXIT_OK, EXIT_USAGE, CliError, add_db_option, print_json
from kitstation.i18n import Text


def register(sub: Any) -> None:
    p = sub.add_parser("intake", help="record box-label barcode scans (IMEI, serial) from stdin, one per line")
    add_db_option(p)
    p.add_argument(
        "--session", type=argtypes.row_id, metavar="ID", help="attach the scans to this bench session (batch)"
    )
    p.add_argument("--label", default="intake", help="label of the new session when --session is not given")
    p.add_argument("--station", metavar="NAME", help="station name (default: this host's name)")
    p.add_argument("--box", action="store_true", help="consecutive lines are one box's labels; a blank line ends a box")
    p.add_argument(
        "--kme",
        action="store_true",
        help="a KME batch: mark the scanned devices 'kme_registered' (their IMEIs go to the KME upload list)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output (one JSON list at the end)")
    p.set_defaults(func=intake)

    q = sub.add_parser("qr", help="write the Android Enterprise provisioning QR code of a blueprint")
    q.add_argument("--blueprint", "-b", required=True, metavar="FILE")
    q.add_argument("--out", "-o", required=True, metavar="FILE", help="output file: .png or .svg")
    q.add_argument("--apk", metavar="FILE", help="the agent APK: its signing certificate gives the checksum")
    q.add_argument("--json", action="store_true", help="also print the payload (Wi-Fi password hidden)")
    q.set_defaults(func=qr)


def intake(args: argparse.Namespace) -> int:
    from kitstation.core.intake import IntakeSession
    from kitstation.domain.handoff import HandoffState
    from kitstation.log import KitLog

    kitlog = KitLog(getattr(args, "db", None))
    try:
        session_id = args.session
        if session_id is not None and not kitlog.session_exists(session_id):
            raise CliError(
                Text("No bench session {s} in the log", "ログにベンチセッション {s} がありません").format(s=session_id)
            )
        if session_id is None:
            station = kitlog.station(args.station)
            session_id = kitlog.start_session(station, label=args.label)
        session = IntakeSession(
            kitlog, session_id, box_mode=args.box, mark_state=HandoffState.KME_REGISTERED if args.kme else None
        )
        if not args.json:
            print(
                Text(
                    "Scan box labels (session {s}); Ctrl-D to finish",
                    "箱のラベルをスキャンしてください（セッション {s}）。Ctrl-D で終了",
                ).format(s=session_id),
                file=sys.stderr,
            )
        for line in sys.stdin:
            if not line.strip():
                session.end_box()
                continue
            outcome = session.scan(line.rstrip("\r\n"))
            if not args.json:
                mark = "OK " if outcome.accepted and not outcome.duplicate else ("DUP" if outcome.duplicate else "NG ")
                stream = sys.stdout if outcome.accepted else sys.stderr
                print(f"{mark} {outcome.reason}", file=stream, flush=True)
        if args.json:
            print_json({"session_id": session_id, "scans": [o.as_dict() for o in session.outcomes]})
        elif session.outcomes:
            accepted = sum(1 for o in session.outcomes if o.accepted and not o.duplicate)
            print(
                Text("{a} accepted, {d} duplicates, {r} rejected", "受付 {a} 件、重複 {d} 件、拒否 {r} 件").format(
                    a=accepted,
                    d=sum(1 for o in session.outcomes if o.duplicate),
                    r=len(session.rejected),
                ),
                file=sys.stderr,
            )
        return EXIT_USAGE if session.rejected else EXIT_OK
    finally:
        kitlog.close()


def qr(args: argparse.Namespace) -> int:
    import asyncio

    from kitstation.android.qr import WIFI_PASSWORD, QrPayloadError, build_payload, render
    from kitstation.blueprints.loader import load_blueprint
    from kitstation.cli.secrets import cli_secrets
    from kitstation.core.secrets import SecretUnavailable

    bp = load_blueprint(args.blueprint)
    if bp.android is None:
        raise CliError(Text("The blueprint has no [android] section", "ブループリントに [android] がありません"))
    out = Path(args.out)
    if out.suffix.lower() not in (".png", ".svg"):
        raise CliError(Text("--out must end in .png or .svg", "--out は .png または .svg で指定してください"))
    apk: bytes | None = None
    if args.apk:
        try:
            apk = Path(args.apk).read_bytes()
        except OSError as exc:
            raise CliError(Text(f"Cannot read {args.apk}: {exc}", f"{args.apk} を読み込めません: {exc}")) from exc
    password: str | None = None
    wifi = bp.android.qr.wifi if bp.android.qr is not None else None
    if wifi is not None and wifi.password_secret and wifi.security != "NONE":
        prompt = Text(f"Wi-Fi password for {wifi.ssid}", f"{wifi.ssid} の Wi-Fi パスワード")
        try:
            password = asyncio.run(cli_secrets().get(wifi.password_secret, prompt))
        except SecretUnavailable as exc:  # say what to set
            raise CliError(exc.reason) from exc
    try:
        payload = build_payload(bp, apk=apk, wifi_password=password)
    except QrPayloadError as exc:
        raise CliError(
            Text("Cannot build the QR code:\n", "QR コードを作成できません:\n")
            + Text("\n".join(p.en for p in exc.problems), "\n".join(p.ja for p in exc.problems))
        ) from exc
    code = render(payload)
    code.save(out)
    if args.json:
        shown = {k: ("***" if k == WIFI_PASSWORD else v) for k, v in payload.items()}
        print_json({"file": str(out), "version": code.version, "payload": shown})
    else:
        print(
            Text(
                "Wrote {f} (QR version {v}); show it to a device at its welcome screen (tap six times)",
                "{f} を作成しました（QR バージョン {v}）。初期画面の端末（6 回タップ）に読み取らせてください",
            ).format(f=out, v=code.version)
        )
    return EXIT_OK

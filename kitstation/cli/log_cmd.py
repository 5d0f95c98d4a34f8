"""``kitstation log``: the kitting log's runs, newest first, with filters; ``--json`` for machines."""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from kitstation.cli import argtypes
from kitstation.cli.common import EXIT_OK, CliError, add_db_option, print_json
from kitstation.i18n import Text, current_language

if TYPE_CHECKING:
    from kitstation.log import KitLog
    from kitstation.log.store import RunFilter

_REL = re.compile(r"^(\d+)([mhdw])$")


def parse_when(value: str) -> datetime:
    """``2026-11-01``, ``2026-11-01T09:00``, or relative ``30m``/``12h``/``7d``/``2w`` ago."""
    m = _REL.match(value.strip())
    if m:
        n, unit = int(m.group(1)), m.group(2)
        try:
            delta = {
                "m": timedelta(minutes=n),
                "h": timedelta(hours=n),
                "d": timedelta(days=n),
                "w": timedelta(weeks=n),
            }[unit]
            return datetime.now(UTC) - delta
        except OverflowError:  # 999999999d: before year 1
            raise argparse.ArgumentTypeError(
                str(Text(f"too far back: {value!r}", f"さかのぼりすぎです: {value!r}"))
            ) from None
    try:
        dt = datetime.fromisoformat(value)
    except (ValueError, OverflowError) as exc:
        message = Text(
            f"not a date or duration: {value!r} (use 2026-11-01, 2026-11-01T09:00, 12h, 7d)",
            f"日付または期間として読めません: {value!r}（例: 2026-11-01, 2026-11-01T09:00, 12h, 7d）",
        )
        raise argparse.ArgumentTypeError(str(message)) from exc
    return dt if dt.tzinfo else dt.astimezone(UTC)


def add_filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", type=parse_when, help="runs started at or after (date, or 12h / 7d ago)")
    p.add_argument("--until", type=parse_when, help="runs started before")
    p.add_argument("--search", help="serial, IMEI, UDID or model contains")
    p.add_argument("--platform", choices=["ios", "android"])
    p.add_argument("--status", action="append", help="ok, failed, waiting_external, interrupted, cancelled, running")
    p.add_argument("--blueprint", help="blueprint name or hash prefix")
    p.add_argument("--model", help="model identifier or marketing name")
    p.add_argument("--technician")
    p.add_argument("--station")
    p.add_argument("--session", type=argtypes.row_id, help="bench session (batch) id")
    p.add_argument("--order", help="customer order reference")
    p.add_argument("--customer")


def filter_from_args(args: argparse.Namespace) -> RunFilter:
    from kitstation.log.store import RunFilter

    return RunFilter(
        since=args.since,
        until=args.until,
        text=args.search,
        platform=args.platform,
        status=args.status,
        blueprint=args.blueprint,
        model=args.model,
        technician=args.technician,
        station=args.station,
        session_id=args.session,
        order_ref=args.order,
        customer=args.customer,
    )


def register(sub: Any) -> None:
    p = sub.add_parser("log", help="show the kitting log")
    add_db_option(p)
    add_filter_options(p)
    p.add_argument(
        "--limit", type=argtypes.count(0, 10**9), default=100, help="at most this many runs (default 100; 0 = all)"
    )
    p.add_argument("--steps", action="store_true", help="include each run's steps")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=show)


def read_log(args: argparse.Namespace) -> KitLog:
    """The log for a read command: a mistyped ``--db`` path is an error, never a new empty log."""
    from kitstation.log import KitLog, LogError

    try:
        return KitLog(getattr(args, "db", None), create=False)
    except LogError as exc:
        raise CliError(exc.reason) from exc


def show(args: argparse.Namespace) -> int:
    from kitstation.log import LogError

    kitlog = read_log(args)
    try:
        rows = kitlog.history(filter_from_args(args), limit=args.limit or None)
        if args.steps:
            for r in rows:
                r["steps"] = kitlog.steps(r["run_id"])
    except LogError as exc:
        raise CliError(exc.reason) from exc
    finally:
        kitlog.close()
    if args.json:
        print_json(rows)
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    ja = current_language() == "ja"
    if not rows:
        print(Text("No runs in the log for this selection.", "この条件に該当する記録はありません。"))
        return EXIT_OK
    table = Table(show_lines=False)
    heads = ("Run", "Started (UTC)", "Status", "Device", "Serial/IMEI", "Blueprint", "Step", "Reason")
    heads_ja = ("実行", "開始 (UTC)", "結果", "デバイス", "シリアル/IMEI", "ブループリント", "ステップ", "理由")
    for h in heads_ja if ja else heads:
        table.add_column(h)
    for r in rows:
        table.add_row(
            str(r["run_id"]),
            r["started_at"].strftime("%Y-%m-%d %H:%M:%S") if r["started_at"] else "",
            r["status"],
            r["marketing_name"] or r["model_id"] or r["platform"],
            r["serial"] or r["imei"] or r["device_key"],
            r["blueprint_name"],
            r["current_step"] or "",
            (r["reason_ja"] if ja else r["reason_en"]) or "",
        )
    Console().print(table)
    return EXIT_OK

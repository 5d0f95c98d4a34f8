"""``kitstation prepare``: apply blueprints to attached devices, all at once, and wait for them.

Without ``--wait`` it prepares the devices attached when it starts and returns when they are
done; ``--wait N`` keeps the bench open until N devices have finished (plug them in as you go; a
device unplugged mid-step is waited for: plugged back, it resumes). Exit code 0 when every device
is prepared or waits only on ABM / the KME console, 1 when any failed or was interrupted, 2 on bad
input, a blueprint that fails its preflight (nothing is done to any device), or when usbmuxd / adb
cannot be reached, 130/143 on Ctrl-C / SIGTERM (runs logged as interrupted). With ``--json`` stdout
carries only the JSON result; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kitstation.cli import argtypes
from kitstation.cli.common import (
    EXIT_DEVICE_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    add_db_option,
    eprint,
    print_json,
    run_async,
    text_json,
)
from kitstation.cli.station_opts import add_station_options, platforms_from, station_for
from kitstation.i18n import Text, current_language

if TYPE_CHECKING:
    from kitstation.blueprints.model import Blueprint
    from kitstation.core.bench import Bench, SlotView
    from kitstation.domain.events import Event
    from kitstation.domain.model import Platform

RESOURCES = ("erase", "install", "apk_download")
PLATFORMS = ("ios", "android")
MAX_PARALLEL = 1024


def register(sub: Any) -> None:
    p = sub.add_parser("prepare", help="prepare attached devices with a blueprint")
    add_db_option(p)
    add_station_options(p)
    p.add_argument(
        "--blueprint",
        "-b",
        action="append",
        required=True,
        metavar="FILE",
        help="blueprint file (repeat for one iOS and one Android blueprint)",
    )
    who = p.add_mutually_exclusive_group()
    who.add_argument(
        "--device", "-d", action="append", metavar="ID", help="only this device (UDID, serial, IMEI, adb serial)"
    )
    who.add_argument("--all", action="store_true", help="every attached device (the default)")
    p.add_argument(
        "--wait", type=argtypes.count(1, 100_000), metavar="N", help="keep going until N devices have finished"
    )
    p.add_argument(
        "--timeout",
        type=argtypes.number(0.0, 7 * 86400.0, allow_low=False),
        default=3600.0,
        help="give up after this many seconds (default 3600, at most a week)",
    )
    p.add_argument(
        "--settle",
        type=argtypes.number(0.0, 600.0),
        default=2.0,
        help="seconds to wait for attached devices to show up (default 2, at most 600)",
    )
    p.add_argument("--force", action="store_true", help="redo devices already prepared with this blueprint")
    p.add_argument("--technician", type=argtypes.text(200), help="technician name recorded in the log")
    p.add_argument("--customer", type=argtypes.text(200), default="", help="customer recorded with the batch")
    p.add_argument(
        "--order", type=argtypes.text(200), default="", help="customer order reference recorded with the batch"
    )
    p.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="RESOURCE=K",
        help=f"at most K steps at once on a resource ({', '.join(RESOURCES)})",
    )
    p.add_argument(
        "--max-active",
        action="append",
        default=[],
        metavar="PLATFORM=K",
        help="at most K devices worked on at once per platform (ios=28, android=32)",
    )
    p.add_argument(
        "--names-csv",
        metavar="FILE",
        help="this batch's names CSV for [naming] (replaces the blueprint's csv; UTF-8, its csv_key column)",
    )
    p.add_argument(
        "--json", action="store_true", help="print each device's result as JSON at the end (only JSON on stdout)"
    )
    p.set_defaults(func=run)


def parse_pairs(items: list[str], option: str, names: tuple[str, ...]) -> dict[str, int]:
    """``NAME=K`` items, NAME among ``names`` and K in 1..MAX_PARALLEL; CliError naming the bad one."""
    out: dict[str, int] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        v = value.strip()
        ok = sep and name in names and v.isascii() and v.isdigit() and len(v) <= 5 and 1 <= int(v) <= MAX_PARALLEL
        if not ok:
            raise CliError(
                Text(
                    f"{option}: expected NAME=K with NAME one of {', '.join(names)} and K 1-{MAX_PARALLEL}, got {item!r}",
                    f"{option}: NAME=K の形式で指定してください（NAME は {', '.join(names)}、K は 1〜{MAX_PARALLEL}）: {item!r}",
                )
            )
        out[name] = int(v)
    return out


def load_blueprints(files: list[str]) -> dict[Platform, Blueprint]:
    from kitstation.blueprints.loader import load_blueprint
    from kitstation.domain.model import Platform

    chosen: dict[Platform, Blueprint] = {}
    for f in files:
        bp = load_blueprint(f)
        for platform, section in ((Platform.IOS, bp.ios), (Platform.ANDROID, bp.android)):
            if section is None:
                continue
            if platform in chosen:
                raise CliError(
                    Text(
                        f"two blueprints for {platform.value}: {chosen[platform].name!r} and {bp.name!r}",
                        f"{platform.value} のブループリントが2つ指定されています: {chosen[platform].name!r} と {bp.name!r}",
                    )
                )
            chosen[platform] = bp
    return chosen


def _names_csv(args: argparse.Namespace, blueprints: list[Blueprint]) -> Path | None:
    """``--names-csv`` as a path, once it is a readable file and some blueprint names devices."""
    if not args.names_csv:
        return None
    path = Path(args.names_csv).expanduser()
    if not path.is_file():
        raise CliError(Text(f"--names-csv: no such file: {path}", f"--names-csv: ファイルがありません: {path}"))
    if all(bp.naming is None for bp in blueprints):
        raise CliError(
            Text(
                "--names-csv needs a blueprint with a [naming] section (its pattern says how the CSV is used)",
                "--names-csv には [naming] セクションのあるブループリントが必要です（CSV の使い方はその pattern で決まります）",
            )
        )
    return path.resolve()


async def _prepare(args: argparse.Namespace, blueprints: dict[Platform, Blueprint]) -> list[SlotView]:
    import asyncio

    from kitstation.cli.bench_view import live_table, progress_line
    from kitstation.cli.secrets import cli_secrets
    from kitstation.core.bench import BenchConfig, SlotState
    from kitstation.core.selection import matches_only
    from kitstation.domain.model import Platform

    platforms = tuple(p for p in platforms_from(args) if p in blueprints)
    if not platforms:
        raise CliError(
            Text("no blueprint for the chosen platforms", "選択したプラットフォームのブループリントがありません")
        )
    defaults = BenchConfig()
    only = frozenset(args.device) if args.device else None
    names_csv = _names_csv(args, [blueprints[p] for p in platforms])
    config = BenchConfig(
        blueprints=blueprints,
        technician=args.technician,
        customer=args.customer,
        order_ref=args.order,
        limits=defaults.limits | parse_pairs(args.limit, "--limit", RESOURCES),
        max_active=defaults.max_active
        | {Platform(k): v for k, v in parse_pairs(args.max_active, "--max-active", PLATFORMS).items()},
        only=only,
        names_csv=names_csv,
        identify_when_refused=False,  # "no device was touched" must stay true
    )
    lang = current_language()
    # Missing or expired API credentials for an [abm]/[kme] hand-off stop the batch before it starts
    # (station_for runs the checks the bench would run before each first step).
    async with station_for(args, platforms, [blueprints[p] for p in platforms]) as station:
        station.freeze_startup_objects()  # a batch's full GC pauses then scan only the batch's objects
        bench = station.bench(config, secrets=cli_secrets())
        tty = sys.stdout.isatty() and not args.json
        if not tty:

            def show(e: Event) -> None:
                line = progress_line(bench, e, lang)
                if line:
                    # Progress is for people: stderr with --json, so stdout is the JSON alone.
                    print(line, file=sys.stderr if args.json else sys.stdout, flush=True)

            bench.subscribe(show)
        await bench.start()
        try:
            # start() checked each blueprint: one that fails its preflight starts nothing.
            refused(bench, platforms)
            deadline = time.monotonic() + args.timeout

            def relevant() -> list[SlotView]:
                views = list(bench.slots.values())
                if only is None:
                    return views
                return [v for v in views if v.device is not None and matches_only(only, v.connection_id, v.device)]

            def finished(b: Bench) -> bool:
                views = relevant()
                if args.wait:
                    # Only final states count: a device unplugged mid-step resumes when it is back.
                    return sum(1 for v in views if v.state.is_final) >= int(args.wait)
                done = sum(
                    1 for v in views if v.state.is_final or (v.state == SlotState.INTERRUPTED and not v.attached)
                )
                return bool(views) and done == len(views) and not b.busy()

            async def wait() -> bool:
                # Let the devices already attached show up before deciding there is nothing to do.
                await asyncio.sleep(args.settle)
                if not args.wait and not bench.slots:
                    return True
                return await bench.wait_until(finished, max(0.0, deadline - time.monotonic()))

            ok = await (live_table(bench, lang, wait()) if tty else wait())
            if not ok:
                eprint(
                    Text("Timed out before every device finished", "すべてのデバイスが完了する前にタイムアウトしました")
                )
            return relevant()
        finally:
            await bench.stop()


def refused(bench: Bench, platforms: tuple[Platform, ...]) -> None:
    """CliError (exit 2) listing each problem of a blueprint that failed its preflight, one a line."""
    message: Text | None = None
    for platform in platforms:
        result = bench.preflight(platform)
        if result is None:
            continue
        for problem in result.problems:
            line = Text(f"{platform.value} {result.blueprint!r}: ", f"{platform.value} {result.blueprint!r}: ")
            line = line + problem.reason
            message = line if message is None else message + "\n" + line
    if message is not None:
        head = Text(
            "The blueprint failed its check; no device was touched:\n",
            "ブループリントの事前チェックに失敗しました（デバイスには何もしていません）:\n",
        )
        raise CliError(head + message, EXIT_USAGE)


def _json_row(v: SlotView) -> dict[str, Any]:
    return {
        "slot": v.slot,
        "platform": v.platform.value,
        "device": v.device.key if v.device else None,
        "serial": v.device.serial if v.device else None,
        "model": (v.device.marketing_name or v.device.model_id) if v.device else None,
        "state": v.state.value,
        "run_id": v.run_id,
        "reason": text_json(v.reason),
    }


def run(args: argparse.Namespace) -> int:
    from kitstation.core.bench import SlotState

    blueprints = load_blueprints(args.blueprint)
    views = run_async(_prepare(args, blueprints))
    if args.json:
        print_json([_json_row(v) for v in views])
    if not views:
        eprint(Text("No devices attached: nothing prepared.", "接続されたデバイスがないため、何も準備していません。"))
        return EXIT_OK if not args.wait else EXIT_DEVICE_FAILED
    prepared = sum(1 for v in views if v.state == SlotState.DONE)
    awaiting = sum(1 for v in views if v.state == SlotState.WAITING_EXTERNAL)
    bad = len(views) - prepared - awaiting
    summary = Text(
        f"{prepared} prepared, {awaiting} awaiting ABM/KME, {bad} not",
        f"準備完了 {prepared} 台、ABM/KME 待ち {awaiting} 台、未完了 {bad} 台",
    )
    if args.json:
        eprint(summary)
    else:
        print(summary)
    return EXIT_DEVICE_FAILED if bad else EXIT_OK

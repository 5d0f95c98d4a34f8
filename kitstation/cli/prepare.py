"""``kitstation prepare``: apply blueprints to attached devices, all at once, and wait for them.

Without ``--wait`` it prepares the devices attached when it starts and returns when they are
done; ``--wait N`` keeps the bench open until N devices have finished (plug them in as you go).
Exit code 0 when every device is prepared (or waits only on ABM / the KME console), 1 when any
failed or was interrupted, 2 on bad input.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table

from kitstation.blueprints.loader import load_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.cli.common import EXIT_DEVICE_FAILED, EXIT_OK, CliError, add_db_option, print_json
from kitstation.cli.station_opts import CliSecrets, add_station_options, platforms_from, simulation_from
from kitstation.core.bench import Bench, BenchConfig, SlotState, SlotView
from kitstation.domain.events import (
    DeviceIdentified,
    Event,
    IdentifyFailed,
    RunFinished,
    StepFinished,
    StepStarted,
    WaitingForUser,
)
from kitstation.domain.model import Platform
from kitstation.i18n import Text, current_language
from kitstation.station import Station

_OK_STATES = (SlotState.DONE, SlotState.WAITING_EXTERNAL)


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
    p.add_argument("--wait", type=int, metavar="N", help="keep going until N devices have finished")
    p.add_argument("--timeout", type=float, default=3600.0, help="give up after this many seconds (default 3600)")
    p.add_argument("--settle", type=float, default=2.0, help="seconds to wait for attached devices to show up")
    p.add_argument("--force", action="store_true", help="redo devices already prepared with this blueprint")
    p.add_argument("--technician", help="technician name recorded in the log")
    p.add_argument("--customer", default="", help="customer recorded with the batch")
    p.add_argument("--order", default="", help="customer order reference recorded with the batch")
    p.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="RESOURCE=K",
        help="at most K steps at once on a resource (erase, install, apk_download)",
    )
    p.add_argument(
        "--max-active",
        action="append",
        default=[],
        metavar="PLATFORM=K",
        help="at most K devices worked on at once per platform (ios=28, android=32)",
    )
    p.add_argument("--json", action="store_true", help="print each device's result as JSON at the end")
    p.set_defaults(func=run)


def _kv(items: list[str], what: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            out[name.strip()] = int(value)
        except ValueError as exc:
            raise CliError(
                Text(
                    f"{what}: expected NAME=NUMBER, got {item!r}",
                    f"{what}: NAME=数値 の形式で指定してください（{item!r}）",
                )
            ) from exc
    return out


def load_blueprints(files: list[str]) -> dict[Platform, Blueprint]:
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


def _slot_row(v: SlotView, lang: str) -> tuple[str, ...]:
    dev = v.device
    model = (dev.marketing_name or dev.model_id or v.platform.value) if dev else v.platform.value
    ident = (dev.serial or dev.key) if dev else v.connection_id
    step = v.step_title.get(lang) if v.step_title else ""  # type: ignore[arg-type]
    if v.step_total and v.state == SlotState.WORKING:
        step = f"{v.step_index + 1}/{v.step_total} {step}"
    reason = v.reason.get(lang) if v.reason else ""  # type: ignore[arg-type]
    return (v.label, model, ident, v.state.value, step, reason)


def _table(bench: Bench, lang: str) -> Table:
    table = Table(expand=False)
    heads = (
        ("スロット", "機種", "シリアル", "状態", "ステップ", "理由")
        if lang == "ja"
        else ("Slot", "Model", "Serial", "State", "Step", "Reason")
    )
    for h in heads:
        table.add_column(h, overflow="fold")
    for v in sorted(bench.slots.values(), key=lambda s: s.label):
        table.add_row(*_slot_row(v, lang))
    c = bench.counters()
    table.caption = (
        f"接続 {c.attached} / 作業中 {c.working} / 操作待ち {c.waiting_user} / 完了 {c.done} / 外部待ち {c.waiting_external} / 失敗 {c.failed}"
        if lang == "ja"
        else f"attached {c.attached} / working {c.working} / waiting {c.waiting_user} / done {c.done}"
        f" / waiting external {c.waiting_external} / failed {c.failed}"
    )
    return table


def _line(bench: Bench, e: Event, lang: str) -> str | None:
    """A line of plain progress for non-terminal output (CI logs, pipes)."""
    v = bench.slots.get(e.slot)
    label = v.label if v else e.slot
    if isinstance(e, DeviceIdentified):
        d = e.device
        os_name = "iOS" if d.platform == Platform.IOS else "Android"
        return f"[{label}] {d.marketing_name or d.model_id} {d.serial or d.key} {os_name} {d.os_version or ''}".rstrip()
    if isinstance(e, WaitingForUser):
        return f"[{label}] {e.reason.get(lang)}"  # type: ignore[arg-type]
    if isinstance(e, StepStarted):
        return f"[{label}] {e.index + 1}/{e.total} {e.title.get(lang)}"  # type: ignore[arg-type]
    if isinstance(e, StepFinished) and not e.outcome.is_done:
        return f"[{label}] {e.step_id}: {e.outcome.value} {e.reason.get(lang) if e.reason else ''}"  # type: ignore[arg-type]
    if isinstance(e, RunFinished):
        return f"[{label}] => {e.status.value} {e.reason.get(lang) if e.reason else ''}".rstrip()  # type: ignore[arg-type]
    if isinstance(e, IdentifyFailed):
        return f"[{label}] => failed {e.reason.get(lang)}"  # type: ignore[arg-type]
    return None


async def _prepare(args: argparse.Namespace, blueprints: dict[Platform, Blueprint]) -> list[SlotView]:
    platforms = tuple(p for p in platforms_from(args) if p in blueprints)
    if not platforms:
        raise CliError(
            Text("no blueprint for the chosen platforms", "選択したプラットフォームのブループリントがありません")
        )
    station = Station(
        db=getattr(args, "db", None),
        simulate=simulation_from(args),
        usbmux_address=args.usbmux,
        adb_port=args.adb_port,
        platforms=platforms,
    )
    await station.start()
    # Missing or expired API credentials for an [abm]/[kme] hand-off stop the batch before it starts.
    problems = [p for bp in blueprints.values() for p in station.preflight(bp)]
    if problems:
        await station.aclose()
        raise CliError(Text("\n".join(p.reason.en for p in problems), "\n".join(p.reason.ja for p in problems)))
    lang = current_language()
    limits = BenchConfig().limits | _kv(args.limit, "--limit")
    max_active = BenchConfig().max_active | {Platform(k): v for k, v in _kv(args.max_active, "--max-active").items()}
    config = BenchConfig(
        blueprints=blueprints,
        technician=args.technician,
        customer=args.customer,
        order_ref=args.order,
        limits=limits,
        max_active=max_active,
        only=frozenset(args.device) if args.device else None,
    )
    bench = station.bench(config, secrets=CliSecrets())
    console = Console()
    tty = sys.stdout.isatty() and not args.json
    if not tty:

        def show(e: Event) -> None:
            line = _line(bench, e, lang)
            if line:
                print(line, flush=True)

        bench.subscribe(show)
    await bench.start()
    try:
        deadline = time.monotonic() + args.timeout

        def relevant() -> list[SlotView]:
            views = list(bench.slots.values())
            if config.only is not None:
                views = [
                    v
                    for v in views
                    if v.device is not None
                    and ({v.connection_id, v.device.key, v.device.serial or "", *v.device.imeis} & config.only)
                ]
            return views

        def finished(b: Bench) -> bool:
            views = relevant()
            done = sum(1 for v in views if v.state.is_final or v.state == SlotState.INTERRUPTED and not v.attached)
            if args.wait:
                return bool(done >= args.wait)
            return bool(views) and done == len(views) and not b.busy()

        async def wait() -> bool:
            # Let the devices already attached show up before deciding there is nothing to do.
            await asyncio.sleep(args.settle)
            if not args.wait and not bench.slots:
                return True
            return await bench.wait_until(finished, max(0.0, deadline - time.monotonic()))

        if tty:
            with Live(_table(bench, lang), console=console, refresh_per_second=4) as live:
                waiter = asyncio.create_task(wait())
                while not waiter.done():
                    live.update(_table(bench, lang))
                    await asyncio.sleep(0.25)
                live.update(_table(bench, lang))
                ok = waiter.result()
        else:
            ok = await wait()
        if not ok:
            console.print(
                str(
                    Text("Timed out before every device finished", "すべてのデバイスが完了する前にタイムアウトしました")
                )
            )
        return relevant()
    finally:
        await bench.stop()
        await station.aclose()


def run(args: argparse.Namespace) -> int:
    blueprints = load_blueprints(args.blueprint)
    views = asyncio.run(_prepare(args, blueprints))
    lang = current_language()
    if args.json:
        print_json(
            [
                {
                    "slot": v.slot,
                    "platform": v.platform.value,
                    "device": v.device.key if v.device else None,
                    "serial": v.device.serial if v.device else None,
                    "model": (v.device.marketing_name or v.device.model_id) if v.device else None,
                    "state": v.state.value,
                    "run_id": v.run_id,
                    "reason": {"en": v.reason.en, "ja": v.reason.ja} if v.reason else None,
                }
                for v in views
            ]
        )
    if not views:
        print(
            Text("No devices attached: nothing prepared.", "接続されたデバイスがないため、何も準備していません。"),
            file=sys.stderr,
        )
        return EXIT_OK if not args.wait else EXIT_DEVICE_FAILED
    bad = [v for v in views if v.state not in _OK_STATES]
    if not args.json:
        ok = len(views) - len(bad)
        print(Text(f"{ok} prepared, {len(bad)} not", f"準備完了 {ok} 台、未完了 {len(bad)} 台").get(lang))
    return EXIT_DEVICE_FAILED if bad else EXIT_OK

"""Options shared by the commands that talk to devices (devices, prepare, dep verify), and the station they start.

The station is imported when a command runs, never when the parser is built (``--help`` stays fast).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any

from kitstation.cli import argtypes
from kitstation.cli.common import EXIT_USAGE, CliError
from kitstation.i18n import Text

if TYPE_CHECKING:
    from kitstation.blueprints.model import Blueprint
    from kitstation.domain.model import Platform
    from kitstation.station import SimulationPlan, Station

MAX_SIMULATED = 512  # more simulated phones than any bench holds; beyond, the simulator only burns CPU


def add_station_options(p: argparse.ArgumentParser, platforms: bool = True) -> None:
    p.add_argument(
        "--usbmux",
        type=argtypes.usbmux,
        metavar="PATH|HOST:PORT",
        help="usbmuxd address (default: USBMUXD_SOCKET_ADDRESS or the system's)",
    )
    p.add_argument(
        "--adb-port",
        type=argtypes.port,
        metavar="PORT",
        help="adb server port (default: ANDROID_ADB_SERVER_PORT or 5037)",
    )
    if platforms:
        p.add_argument(
            "--platform",
            dest="platforms",
            action="append",
            choices=["ios", "android"],
            help="only this platform (repeatable; default both)",
        )
    p.add_argument(
        "--simulate",
        type=argtypes.count(0, MAX_SIMULATED),
        metavar="N",
        default=0,
        help=f"start N simulated devices (half iOS, half Galaxy; at most {MAX_SIMULATED}) and work on them",
    )
    p.add_argument(
        "--speed",
        type=argtypes.number(0.0, 10000.0, allow_low=False),
        default=50.0,
        help="simulated devices' speed factor (with --simulate; more than 0, at most 10000)",
    )
    p.add_argument(
        "--simulate-usb",
        type=argtypes.count(0, MAX_SIMULATED),
        metavar="K",
        default=0,
        help="with --simulate: K more phones on a simulated USB bus that adb cannot see (USB debugging off)",
    )
    p.add_argument(
        "--simulate-cloud",
        action="store_true",
        help="with --simulate: local stand-ins for Apple Business and Knox Mobile Enrollment hold the devices",
    )


def platforms_from(args: Any) -> tuple[Platform, ...]:
    from kitstation.domain.model import Platform

    chosen = getattr(args, "platforms", None) or ["ios", "android"]
    return tuple(Platform(p) for p in dict.fromkeys(chosen))


def simulation_from(args: Any) -> SimulationPlan | int:
    """``--simulate N [--speed F] [--simulate-usb K]`` as the station's simulation plan (or 0)."""
    from kitstation.station import SimulationPlan

    if not args.simulate:
        return 0
    plan = SimulationPlan.split(args.simulate, args.speed)
    chosen = platforms_from(args)
    if len(chosen) == 1:  # --platform android --simulate 4: four Galaxy phones, not two
        plan.ios, plan.android = (args.simulate, 0) if chosen[0].value == "ios" else (0, args.simulate)
    plan.usb_notices = args.simulate_usb
    plan.cloud = bool(getattr(args, "simulate_cloud", False))
    return plan


@contextlib.asynccontextmanager
async def station_for(
    args: argparse.Namespace, platforms: Sequence[Platform] | None = None, blueprints: Sequence[Blueprint] = ()
) -> AsyncIterator[Station]:
    """A started station for the command's options, closed on the way out whatever happens.

    A platform whose devices cannot be seen at all (no usbmuxd, no adb, USB permissions) is an
    environment error (exit 2), never "no devices attached". Before that, ``blueprints`` get the
    checks the bench would run before their first device (missing or expired API credentials of
    an ``[abm]``/``[kme]`` hand-off): the more specific reason, and nothing to plug in to fix it.
    """
    from kitstation.station import Station

    station = Station(
        db=getattr(args, "db", None),
        simulate=simulation_from(args),
        usbmux_address=args.usbmux,
        adb_port=args.adb_port,
        platforms=platforms if platforms is not None else platforms_from(args),
    )
    await station.start()  # undoes itself when it fails half-way
    try:
        refused = [p for bp in blueprints for p in await station.blueprint_preflight(bp)]
        if refused:
            raise CliError(Text("\n".join(p.reason.en for p in refused), "\n".join(p.reason.ja for p in refused)))
        problems = station.preflight()
        if problems:
            message = Text("", "")
            for n, problem in enumerate(problems):
                message = message + ("\n" if n else "") + problem.reason
            if {p.platform for p in problems} != set(station.platforms):
                message = message + Text(
                    "\n(--platform chooses the platform that can be reached)",
                    "\n（--platform で接続できるプラットフォームだけを選べます）",
                )
            raise CliError(message, EXIT_USAGE)
        yield station
    finally:
        await station.aclose()

"""Options shared by the commands that talk to devices (devices, prepare): where they are."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from typing import Any

from kitstation.cli.common import CliError
from kitstation.domain.model import PermanentError
from kitstation.i18n import Text


def add_station_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--usbmux", metavar="PATH|HOST:PORT", help="usbmuxd address (default: USBMUXD_SOCKET_ADDRESS or the system's)"
    )
    p.add_argument(
        "--adb-port", type=int, metavar="PORT", help="adb server port (default: ANDROID_ADB_SERVER_PORT or 5037)"
    )
    p.add_argument(
        "--platform",
        dest="platforms",
        action="append",
        choices=["ios", "android"],
        help="only this platform (repeatable; default both)",
    )
    p.add_argument(
        "--simulate",
        type=int,
        metavar="N",
        default=0,
        help="start N simulated devices (half iOS, half Galaxy) and work on them",
    )
    p.add_argument("--speed", type=float, default=50.0, help="simulated devices' speed factor (with --simulate)")
    p.add_argument(
        "--simulate-usb",
        type=int,
        metavar="K",
        default=0,
        help="with --simulate: K more phones on a simulated USB bus that adb cannot see (USB debugging off)",
    )
    p.add_argument(
        "--simulate-cloud",
        action="store_true",
        help="with --simulate: local stand-ins for Apple Business and Knox Mobile Enrollment hold the devices",
    )


class CliSecrets:
    """Secrets for a CLI run: ``KITSTATION_SECRET_<NAME>`` in the environment, else a prompt.

    Values stay in memory; the first answer serves every device of the run. Prompts are
    serialised and run off the event loop (getpass blocks).
    """

    def __init__(self) -> None:
        self._values: dict[str, str] = {}
        self._lock = asyncio.Lock()

    async def get(self, name: str, prompt: Text) -> str:
        async with self._lock:
            if name in self._values:
                return self._values[name]
            env = os.environ.get(f"KITSTATION_SECRET_{name.upper()}")
            if env is not None:
                self._values[name] = env
                return env
            if not sys.stdin.isatty():
                raise PermanentError(
                    Text(
                        f"Secret '{name}' needed ({prompt.en}): set KITSTATION_SECRET_{name.upper()} or run interactively",
                        f"秘密情報 '{name}' が必要です（{prompt.ja}）: 環境変数 KITSTATION_SECRET_{name.upper()} を設定するか対話的に実行してください",
                    ),
                    code="secret_missing",
                )
            loop = asyncio.get_running_loop()
            value = await loop.run_in_executor(None, getpass.getpass, f"{prompt}: ")
            self._values[name] = value
            return value


def platforms_from(args: Any) -> tuple[Any, ...]:
    from kitstation.domain.model import Platform

    chosen = getattr(args, "platforms", None) or ["ios", "android"]
    return tuple(Platform(p) for p in chosen)


def require(value: object, message: Text) -> None:
    if not value:
        raise CliError(message)


def simulation_from(args: Any) -> Any:
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

"""Helpers for ``kitstation simulate``: the iOS arguments, running, and what to print.

``add_ios_arguments(parser)`` adds only ``--ios N`` and ``--usbmux PATH|HOST:PORT``; ``--speed``,
``--seed`` and ``--fault`` are shared with the Android simulator and belong to the command
(``--fault`` specs for iOS follow faults.py; ``android:``-prefixed ones are skipped here).
``simulator_kwargs(args)`` turns the parsed arguments into ``IOSSimulator``/``IOSSimulatorThread``
keyword arguments, ``describe(sim)`` gives the lines to print, and ``run_ios(args, stop)`` runs
the whole thing until ``stop`` is set.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from kitstation.simulator.ios.faults import DEFAULT_JITTER, parse_faults
from kitstation.simulator.ios.simulator import IOSSimulator, IOSSimulatorThread


def add_ios_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--ios`` and ``--usbmux`` (``--speed``/``--seed``/``--fault`` are the command's, shared)."""
    parser.add_argument("--ios", type=int, default=0, metavar="N", help="simulated iPhones/iPads")
    parser.add_argument(
        "--usbmux",
        metavar="PATH|HOST:PORT",
        help="where the simulated usbmuxd listens: a unix socket path or 127.0.0.1:PORT (default: a temp socket)",
    )


def usbmux_kwargs(value: str | None) -> dict[str, Any]:
    """``--usbmux`` as ``socket_path=`` or ``tcp_port=``; ValueError for a host other than 127.0.0.1."""
    if not value:
        return {}
    host, sep, port = value.rpartition(":")
    if sep and port.isdigit() and not value.startswith(("/", "UNIX:")):
        if host not in ("127.0.0.1", "localhost", ""):
            raise ValueError("the simulated usbmuxd listens on 127.0.0.1 only")
        return {"tcp_port": int(port)}
    return {"socket_path": value.removeprefix("UNIX:")}


def simulator_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments for ``IOSSimulator``/``IOSSimulatorThread`` from the parsed command line.

    Fault specs are validated here (ValueError/FaultSpecError with a readable message).
    """
    faults = list(getattr(args, "fault", None) or [])
    parse_faults(faults, strict=False)
    return {
        "speed": float(getattr(args, "speed", 1.0) or 1.0),
        "seed": int(getattr(args, "seed", 0) or 0),
        "jitter": float(getattr(args, "jitter", DEFAULT_JITTER)),
        "faults": faults,
        **usbmux_kwargs(getattr(args, "usbmux", None)),
    }


def describe(sim: IOSSimulator | IOSSimulatorThread) -> list[str]:
    """One line per attached device, then the environment another shell needs (``sim.env``)."""
    lines = []
    for d in sim.devices:
        imei = f"  IMEI {d.imei}" if d.imei else ""
        lines.append(
            f"iOS     {d.marketing_name:<26} iOS {d.product_version:<8} UDID {d.udid}  serial {d.serial}{imei}"
        )
    lines += [f"{k}={v}" for k, v in sim.env.items()]
    return lines


async def run_ios(args: argparse.Namespace, stop: asyncio.Event) -> None:
    """Run ``args.ios`` devices (on the current loop) and print ``describe`` until ``stop`` is set."""
    async with IOSSimulator(**simulator_kwargs(args)) as sim:
        for _ in range(int(getattr(args, "ios", 0) or 0)):
            await sim.plug()
        for line in describe(sim):
            print(line, flush=True)
        await stop.wait()


def start_ios_thread(args: argparse.Namespace) -> IOSSimulatorThread:
    """The threaded variant for synchronous commands: started, with ``args.ios`` devices plugged."""
    sim = IOSSimulatorThread(**simulator_kwargs(args))
    sim.start()
    try:
        for _ in range(int(getattr(args, "ios", 0) or 0)):
            sim.plug()
    except BaseException:
        sim.stop()
        raise
    return sim

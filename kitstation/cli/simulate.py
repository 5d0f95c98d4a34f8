"""``kitstation simulate``: run simulated iPhones/iPads and Galaxy phones until interrupted.

The iOS devices sit behind a simulated usbmuxd (a unix socket, or TCP for Windows-style
clients); the Galaxy phones behind a real adb server on its own port with its own HOME, so the
user's adb keys and server on 5037 are never touched. It prints each device and the
environment another shell needs (``USBMUXD_SOCKET_ADDRESS=...``, ``ANDROID_ADB_SERVER_PORT=...``).
With ``--cloud`` it also runs HTTPS stand-ins for Apple Business and Knox Mobile Enrollment that
hold those devices (``KITSTATION_ABM_API_URL=...`` and the demo API credentials to import).
"""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from kitstation.cli import argtypes
from kitstation.cli.common import EXIT_OK, CliError
from kitstation.i18n import Text

MAX_DEVICES = 512  # per platform; more than any bench holds


def register(sub: Any) -> None:
    p = sub.add_parser("simulate", help="run simulated devices (for demos, training and tests)")
    many = argtypes.count(0, MAX_DEVICES)
    p.add_argument("--ios", type=many, default=0, metavar="N", help=f"simulated iPhones/iPads (at most {MAX_DEVICES})")
    p.add_argument(
        "--android", type=many, default=0, metavar="M", help=f"simulated Galaxy phones (at most {MAX_DEVICES})"
    )
    p.add_argument(
        "--usbmux",
        type=argtypes.usbmux,
        metavar="PATH|HOST:PORT",
        help="where the simulated usbmuxd listens (default: a temp socket)",
    )
    p.add_argument("--adb-port", type=argtypes.port, metavar="PORT", help="adb server port (default: a free port)")
    p.add_argument(
        "--speed",
        type=argtypes.number(0.0, 10000.0, allow_low=False),
        default=1.0,
        help="time factor: 10 = ten times faster than real devices (more than 0, at most 10000)",
    )
    p.add_argument(
        "--seed", type=argtypes.count(0, 2**32 - 1), default=0, help="seed for serials, IMEIs and timing jitter"
    )
    p.add_argument(
        "--jitter",
        type=argtypes.number(0.0, 0.9),
        default=0.2,
        metavar="FRACTION",
        help="spread of each simulated iPhone latency: 0.2 = ±20 %% (default); 0 = every device alike (benchmarks)",
    )
    p.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="inject a fault, e.g. 0:unplug-at=erase (see docs/simulator-ios.md, docs/simulator-android.md)",
    )
    p.add_argument(
        "--cloud",
        action="store_true",
        help="also run local stand-ins for Apple Business and Knox Mobile Enrollment holding the devices",
    )
    p.add_argument(
        "--cloud-fault", action="append", default=[], metavar="SPEC", help="a stand-in fault, e.g. abm:rate-limit=2"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.ios <= 0 and args.android <= 0 and not args.cloud:
        raise CliError(
            Text(
                "nothing to simulate: give --ios N, --android M and/or --cloud",
                "--ios N、--android M または --cloud を指定してください",
            )
        )
    cloud_faults: Any = None
    if args.cloud:
        from kitstation.simulator.cloud.cli import parse_cloud_faults

        try:
            cloud_faults = parse_cloud_faults(args.cloud_fault)
        except ValueError as exc:
            raise CliError(Text(f"--cloud-fault: {exc}", f"--cloud-fault の指定が不正です: {exc}")) from exc
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    started: list[Any] = []
    serials: list[str] = []  # of the simulated iPhones, for the cloud stand-ins
    galaxies: list[tuple[str, str]] = []  # (IMEI, serial) of the simulated Galaxy phones
    try:
        if args.ios > 0:
            from kitstation.simulator.ios.cli import describe as describe_ios
            from kitstation.simulator.ios.cli import start_ios_thread

            try:
                ios = start_ios_thread(args)
            except ValueError as exc:  # a bad --usbmux address or --fault spec
                raise CliError(Text(f"--usbmux/--fault: {exc}", f"--usbmux/--fault の指定が不正です: {exc}")) from exc
            started.append(ios)
            serials = [d.serial for d in ios.devices]
            for line in describe_ios(ios):
                print(line, flush=True)
        if args.android > 0:
            from kitstation.simulator.android import AndroidSimulator
            from kitstation.simulator.android.cli import describe as describe_android

            sim = AndroidSimulator(adb_port=args.adb_port, speed=args.speed, seed=args.seed, faults=args.fault)
            sim.start()
            started.append(sim)
            for _ in range(args.android):
                sim.plug()
            galaxies = [(d.imeis[0], d.serial) for d in sim.devices if d.imeis]
            for line in describe_android(sim):
                print(line, flush=True)
        if args.cloud:
            from kitstation.simulator.cloud.cli import describe as describe_cloud
            from kitstation.simulator.cloud.cli import start_cloud

            cloud = start_cloud(serials, galaxies, cloud_faults)
            started.append(cloud)
            for line in describe_cloud(cloud):
                print(line, flush=True)
        print(Text("Simulating; press Ctrl-C to stop.", "シミュレーション中です。Ctrl-C で終了します。"), flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        for s in reversed(started):
            s.stop()
    return EXIT_OK

"""Command-line glue for ``kitstation simulate --android M``: arguments and the lines to print.

``--speed``, ``--seed`` and ``--fault`` are shared with the iOS simulator and added by the
``simulate`` command itself; faults are parsed by ``faults.parse_faults`` inside the simulator.
"""

from __future__ import annotations

import argparse

from kitstation.simulator.android.simulator import AndroidSimulator


def add_android_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--android M`` and ``--adb-port PORT`` to ``parser``."""
    parser.add_argument("--android", type=int, default=0, metavar="M", help="simulated Galaxy phones")
    parser.add_argument(
        "--adb-port",
        type=int,
        metavar="PORT",
        help="adb server to attach the phones to (default: start one on a free port with its own HOME)",
    )


def describe(sim: AndroidSimulator) -> list[str]:
    """One line per plugged device, then the environment another shell needs."""
    lines = []
    for d in sim.devices:
        if not d.plugged:
            continue
        imei = f"  IMEI {','.join(d.imeis)}" if d.imeis else ""
        state = "" if d.authorized else "  (unauthorized: accept USB debugging)"
        lines.append(
            f"Android {d.marketing_name:<14} {d.model:<9} Android {d.android_version:<3} serial {d.serial}  adb {d.adb_serial}{imei}{state}"
        )
    lines.append(f"ANDROID_ADB_SERVER_PORT={sim.adb_port}")
    lines.append(f"ADBUTILS_ADB_PATH={sim.adb_path}")
    return lines

"""Simulated Samsung Galaxy phones at the wire level, behind a real adb server.

``AndroidSimulator`` plugs ``SimulatedGalaxy`` devices into an adb server (its own, on a free port,
or one given); adbutils and the ``adb`` command line see them as phones on a cable. See
``docs/simulator-android.md``.
"""

from kitstation.simulator.android.apk import ApkInfo, build_apk, demo_agent_apk, parse_apk, signing_certificate
from kitstation.simulator.android.catalog import MODELS, GalaxyModel, luhn_valid
from kitstation.simulator.android.device import InstalledPackage, SimulatedGalaxy
from kitstation.simulator.android.faults import Fault, FaultError, parse_fault, parse_faults
from kitstation.simulator.android.simulator import (
    AdbServer,
    AndroidSimulator,
    SimulatorError,
    default_adb_path,
    wheel_adb_path,
)

__all__ = [
    "AdbServer",
    "AndroidSimulator",
    "ApkInfo",
    "Fault",
    "FaultError",
    "GalaxyModel",
    "InstalledPackage",
    "MODELS",
    "SimulatedGalaxy",
    "SimulatorError",
    "build_apk",
    "default_adb_path",
    "demo_agent_apk",
    "luhn_valid",
    "parse_apk",
    "parse_fault",
    "parse_faults",
    "signing_certificate",
    "wheel_adb_path",
]

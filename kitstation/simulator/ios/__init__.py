"""Simulated iPhones and iPads at the wire level: usbmuxd, lockdownd, MCInstall, AFC and installation_proxy.

pymobiledevice3 (or any usbmuxd client) pointed at ``IOSSimulator.address`` through
``USBMUXD_SOCKET_ADDRESS`` sees devices as if they were on a cable. See docs/simulator-ios.md.
"""

from kitstation.simulator.ios.catalogue import MODELS, Model, find_model, luhn_valid
from kitstation.simulator.ios.device import SimulatedIOSDevice
from kitstation.simulator.ios.faults import Fault, FaultSpecError, parse_fault, parse_faults
from kitstation.simulator.ios.simulator import IOSSimulator, IOSSimulatorThread

__all__ = [
    "MODELS",
    "Fault",
    "FaultSpecError",
    "IOSSimulator",
    "IOSSimulatorThread",
    "Model",
    "SimulatedIOSDevice",
    "find_model",
    "luhn_valid",
    "parse_fault",
    "parse_faults",
]

"""A simulated USB tree behind pyusb's backend interface (``usb.backend.IBackend``).

pyusb talks to libusb through a backend object; this one answers from an in-memory tree of hubs,
Galaxy phones and iPhones instead, so :func:`kitstation.usb.list_usb_devices` runs unchanged on it
in tests and in the demo ("a Galaxy on slot 1-1.3 with adb off", "an iPhone in recovery mode").

It implements what listing needs and what a real device answers: device descriptors with bus,
address and port numbers; configuration and interface descriptors (the adb interface is class
0xFF, subclass 0x42, protocol 0x01, as adb itself looks for); GET_DESCRIPTOR string requests over
control transfers (language ids, manufacturer, product, serial number). Devices can be plugged
and unplugged while a listing runs elsewhere (the tree is guarded by a lock).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import usb.backend
import usb.core

from kitstation.usb.listing import (
    ADB_INTERFACE,
    APPLE_DFU_PID,
    APPLE_RECOVERY_PID,
    APPLE_VID,
    SAMSUNG_DOWNLOAD_PID,
    SAMSUNG_VID,
)

_MTP_INTERFACE = (0x06, 0x01, 0x01)  # still image class: how MTP presents itself
_HUB_INTERFACE = (0x09, 0x00, 0x00)
_USBMUX_INTERFACE = (0xFF, 0xFE, 0x02)  # Apple's usbmux vendor interface
_LANG_EN_US = 0x0409


@dataclass
class SimulatedUsbDevice:
    """One device in the simulated tree. ``ports`` is the path from the root hub (1-2.3 -> (2, 3))."""

    vendor_id: int
    product_id: int
    bus: int
    ports: tuple[int, ...]
    serial: str = ""
    manufacturer: str = ""
    product: str = ""
    interfaces: tuple[tuple[int, int, int], ...] = ()
    device_class: int = 0
    address: int = 0

    @property
    def location(self) -> str:
        return f"{self.bus}-{'.'.join(str(p) for p in self.ports)}" if self.ports else f"usb{self.bus}"


@dataclass
class _Descriptor:
    """A descriptor object with the fields pyusb copies (every field a plain int or value)."""

    fields: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["fields"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@dataclass
class _Handle:
    dev: SimulatedUsbDevice


def galaxy(
    bus: int, ports: Sequence[int], serial: str, *, adb: bool = True, model: str = "SAMSUNG_Android"
) -> SimulatedUsbDevice:
    """A Galaxy phone: MTP, plus the adb interface when USB debugging is on."""
    interfaces = (_MTP_INTERFACE, ADB_INTERFACE) if adb else (_MTP_INTERFACE,)
    return SimulatedUsbDevice(SAMSUNG_VID, 0x6860, bus, tuple(ports), serial, "SAMSUNG", model, interfaces)


def galaxy_download_mode(bus: int, ports: Sequence[int]) -> SimulatedUsbDevice:
    """A Galaxy in download (Odin) mode: no serial, no adb."""
    return SimulatedUsbDevice(
        SAMSUNG_VID, SAMSUNG_DOWNLOAD_PID, bus, tuple(ports), "", "SAMSUNG", "MSM8x60", ((0x02, 0x02, 0x00),)
    )


def iphone(bus: int, ports: Sequence[int], udid: str, *, mode: str = "normal") -> SimulatedUsbDevice:
    """An iPhone in normal, ``recovery`` or ``dfu`` mode (recovery/DFU have their own product ids)."""
    if mode == "recovery":
        return SimulatedUsbDevice(
            APPLE_VID,
            APPLE_RECOVERY_PID,
            bus,
            tuple(ports),
            f"CPID:8110 ECID:{udid}",
            "Apple Inc.",
            "iPhone Recovery Mode",
            ((0xFF, 0x00, 0x00),),
        )
    if mode == "dfu":
        return SimulatedUsbDevice(
            APPLE_VID,
            APPLE_DFU_PID,
            bus,
            tuple(ports),
            f"CPID:8110 ECID:{udid}",
            "Apple Inc.",
            "Apple Mobile Device (DFU Mode)",
            ((0xFE, 0x01, 0x00),),
        )
    return SimulatedUsbDevice(
        APPLE_VID, 0x12A8, bus, tuple(ports), udid, "Apple Inc.", "iPhone", ((0x06, 0x01, 0x01), _USBMUX_INTERFACE)
    )


def hub(bus: int, ports: Sequence[int]) -> SimulatedUsbDevice:
    return SimulatedUsbDevice(
        0x05E3, 0x0610, bus, tuple(ports), "", "GenesysLogic", "USB2.0 Hub", (_HUB_INTERFACE,), 0x09
    )


class SimulatedUsbBackend(usb.backend.IBackend):  # type: ignore[misc]
    """pyusb backend over a simulated tree: ``usb.core.find(backend=SimulatedUsbBackend([...]))``."""

    def __init__(self, devices: Sequence[SimulatedUsbDevice] = ()) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._devices: list[SimulatedUsbDevice] = []
        self._addresses = itertools.count(2)
        for dev in devices:
            self.plug(dev)

    # --- the simulated hardware ----------------------------------------------------------------------
    def plug(self, dev: SimulatedUsbDevice) -> SimulatedUsbDevice:
        with self._lock:
            dev.address = next(self._addresses)  # a fresh address on every plug, as the host assigns
            self._devices.append(dev)
        return dev

    def unplug(self, location: str) -> None:
        with self._lock:
            self._devices = [d for d in self._devices if d.location != location]

    @property
    def devices(self) -> list[SimulatedUsbDevice]:
        with self._lock:
            return list(self._devices)

    # --- IBackend ------------------------------------------------------------------------------------
    def enumerate_devices(self) -> Iterator[SimulatedUsbDevice]:
        # Root hubs first, as libusb lists them; then by location.
        return iter(sorted(self.devices, key=lambda d: (d.bus, d.ports)))

    def get_parent(self, dev: SimulatedUsbDevice) -> SimulatedUsbDevice | None:
        for d in self.devices:
            if d.bus == dev.bus and d.ports == dev.ports[:-1]:
                return d
        return None

    def get_device_descriptor(self, dev: SimulatedUsbDevice) -> _Descriptor:
        return _Descriptor(
            {
                "bLength": 18,
                "bDescriptorType": 1,
                "bcdUSB": 0x0200,
                "bDeviceClass": dev.device_class,
                "bDeviceSubClass": 0,
                "bDeviceProtocol": 0,
                "bMaxPacketSize0": 64,
                "idVendor": dev.vendor_id,
                "idProduct": dev.product_id,
                "bcdDevice": 0x0400,
                "iManufacturer": 1 if dev.manufacturer else 0,
                "iProduct": 2 if dev.product else 0,
                "iSerialNumber": 3 if dev.serial else 0,
                "bNumConfigurations": 1,
                "address": dev.address,
                "bus": dev.bus,
                "port_number": dev.ports[-1] if dev.ports else None,
                "port_numbers": dev.ports or None,
                "speed": 3,
            }
        )

    def get_configuration_descriptor(self, dev: SimulatedUsbDevice, config: int) -> _Descriptor:
        if config != 0:
            raise IndexError("Invalid configuration index " + str(config))
        return _Descriptor(
            {
                "bLength": 9,
                "bDescriptorType": 2,
                "wTotalLength": 9 + 9 * len(dev.interfaces),
                "bNumInterfaces": len(dev.interfaces),
                "bConfigurationValue": 1,
                "iConfiguration": 0,
                "bmAttributes": 0x80,
                "bMaxPower": 250,
                "extra_descriptors": [],
            }
        )

    def get_interface_descriptor(self, dev: SimulatedUsbDevice, intf: int, alt: int, config: int) -> _Descriptor:
        if config != 0 or intf >= len(dev.interfaces) or alt != 0:
            # pyusb walks alternate settings until IndexError.
            raise IndexError("Invalid interface or alternate setting")
        cls, sub, proto = dev.interfaces[intf]
        return _Descriptor(
            {
                "bLength": 9,
                "bDescriptorType": 4,
                "bInterfaceNumber": intf,
                "bAlternateSetting": 0,
                "bNumEndpoints": 0,
                "bInterfaceClass": cls,
                "bInterfaceSubClass": sub,
                "bInterfaceProtocol": proto,
                "iInterface": 0,
                "extra_descriptors": [],
            }
        )

    def open_device(self, dev: SimulatedUsbDevice) -> _Handle:
        if dev not in self.devices:
            raise usb.core.USBError("No such device (it may have been disconnected)", errno=19)
        return _Handle(dev)

    def close_device(self, dev_handle: _Handle) -> None:
        return None

    def ctrl_transfer(
        self,
        dev_handle: _Handle,
        bmRequestType: int,
        bRequest: int,
        wValue: int,
        wIndex: int,
        data: Any,
        timeout: int,
    ) -> int:
        dev = dev_handle.dev
        if dev not in self.devices:
            raise usb.core.USBError("No such device (it may have been disconnected)", errno=19)
        if bmRequestType != 0x80 or bRequest != 0x06 or (wValue >> 8) != 0x03:
            raise usb.core.USBError("Pipe error (request not supported by the simulated device)", errno=32)
        index = wValue & 0xFF
        if index == 0:
            payload = _LANG_EN_US.to_bytes(2, "little")
        else:
            text = {1: dev.manufacturer, 2: dev.product, 3: dev.serial}.get(index, "")
            if not text:
                raise usb.core.USBError("Pipe error (no such string)", errno=32)
            payload = text.encode("utf-16-le")
        blob = bytes([2 + len(payload), 0x03]) + payload
        n = min(len(blob), len(data))
        data[:n] = type(data)(data.typecode, blob[:n])
        return n


def demo_tree(
    galaxies: Sequence[tuple[str, bool]] = (), iphones: Sequence[tuple[str, str]] = (), ports_per_hub: int = 7
) -> SimulatedUsbBackend:
    """A bench of powered hubs on bus 1 with the given phones, slot by slot (for the demo mode).

    ``galaxies``: (serial, USB debugging on); ``iphones``: (UDID or ECID, "normal"/"recovery"/"dfu").
    Hub N sits on root port N; its phones on its ports 1..ports_per_hub (locations ``1-N.P``).
    """
    phones: list[tuple[str, Any]] = [("galaxy", g) for g in galaxies] + [("iphone", i) for i in iphones]
    devices: list[SimulatedUsbDevice] = []
    for index, (kind, spec) in enumerate(phones):
        hub_port, port = divmod(index, ports_per_hub)
        if port == 0:
            devices.append(hub(1, (hub_port + 1,)))
        where = (hub_port + 1, port + 1)
        if kind == "galaxy":
            devices.append(galaxy(1, where, spec[0], adb=spec[1]))
        else:
            devices.append(iphone(1, where, spec[0], mode=spec[1]))
    return SimulatedUsbBackend(devices)


__all__ = [
    "SimulatedUsbBackend",
    "SimulatedUsbDevice",
    "demo_tree",
    "galaxy",
    "galaxy_download_mode",
    "hub",
    "iphone",
]

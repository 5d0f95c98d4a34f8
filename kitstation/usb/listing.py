"""Phones on the USB bus, seen through pyusb -- with or without adb and usbmuxd.

adb only sees a Galaxy whose USB debugging is on, and usbmuxd only sees an iPhone that has
booted. The bench still needs to show the others: "a Galaxy is on slot 1-1.3 but adb is off:
scan its box", "an iPhone in recovery mode on 1-2". This module lists Samsung (0x04e8) and Apple
(0x05ac) devices with their physical location written as Linux names it and as adb's
``devices -l`` reports it in its ``usb:`` field (``bus-port.port...``, e.g. ``1-1.3``), so a USB
device and an adb device on the same socket have the same slot.

Facts used:

* adb finds a device by its interface class 0xFF, subclass 0x42, protocol 0x01: that interface is
  present exactly when USB debugging is on (the listing reports ``adb_interface``).
* A Samsung phone's USB serial string is its ``ro.serialno`` (the adb serial over USB).
* Apple recovery mode is product id 0x1281 (0x1280-0x1283 by generation), DFU mode 0x1227.
* Samsung download (Odin) mode is product id 0x685d.

pyusb is blocking: call these functions from an executor. Reading string descriptors needs
permission to open the device; without it the serial is ``None``, never an error.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kitstation.i18n import Text

log = logging.getLogger(__name__)

SAMSUNG_VID = 0x04E8
APPLE_VID = 0x05AC
APPLE_RECOVERY_PID = 0x1281
APPLE_RECOVERY_PIDS = frozenset({0x1280, 0x1281, 0x1282, 0x1283})
APPLE_DFU_PID = 0x1227
SAMSUNG_DOWNLOAD_PID = 0x685D
ADB_INTERFACE = (0xFF, 0x42, 0x01)


class UsbKind(enum.StrEnum):
    GALAXY = "galaxy"
    GALAXY_DOWNLOAD = "galaxy_download"
    IPHONE = "iphone"
    IPHONE_RECOVERY = "iphone_recovery"
    IPHONE_DFU = "iphone_dfu"
    OTHER = "other"


class UsbUnavailable(RuntimeError):
    """No libusb backend on this system (pyusb cannot list devices); ``reason`` says what to do."""

    def __init__(self, reason: Text) -> None:
        super().__init__(reason.en)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class UsbDevice:
    vendor_id: int
    product_id: int
    bus: int | None
    port_path: tuple[int, ...]
    kind: UsbKind
    serial: str | None = None
    product: str | None = None
    adb_interface: bool = False

    @property
    def location(self) -> str:
        """``bus-port.port...`` (as Linux sysfs and ``adb devices -l`` write it)."""
        return usb_location(self.bus, self.port_path)

    @property
    def vid_pid(self) -> str:
        return f"{self.vendor_id:04x}:{self.product_id:04x}"


def usb_location(bus: int | None, ports: Iterable[int]) -> str:
    ports = tuple(ports)
    if bus is None:
        return ".".join(str(p) for p in ports)
    return f"{bus}-{'.'.join(str(p) for p in ports)}" if ports else f"usb{bus}"


def classify(vendor_id: int, product_id: int) -> UsbKind:
    if vendor_id == SAMSUNG_VID:
        return UsbKind.GALAXY_DOWNLOAD if product_id == SAMSUNG_DOWNLOAD_PID else UsbKind.GALAXY
    if vendor_id == APPLE_VID:
        if product_id in APPLE_RECOVERY_PIDS:
            return UsbKind.IPHONE_RECOVERY
        if product_id == APPLE_DFU_PID:
            return UsbKind.IPHONE_DFU
        return UsbKind.IPHONE
    return UsbKind.OTHER


def _has_adb_interface(dev: Any) -> bool:
    try:
        for cfg in dev:
            for intf in cfg:
                if (intf.bInterfaceClass, intf.bInterfaceSubClass, intf.bInterfaceProtocol) == ADB_INTERFACE:
                    return True
    except Exception as exc:  # descriptor read failure: report no adb rather than fail the listing
        log.debug("reading interfaces of %s failed: %s", dev, exc)
    return False


def _string(dev: Any, attr: str) -> str | None:
    try:
        value = getattr(dev, attr)
    except Exception as exc:  # no permission to open the device, or it went away meanwhile
        log.debug("reading %s of %s failed: %s", attr, dev, exc)
        return None
    return str(value) if value else None


def list_usb_devices(
    backend: Any = None, vendors: Iterable[int] = (SAMSUNG_VID, APPLE_VID), read_strings: bool = True
) -> list[UsbDevice]:
    """Samsung and Apple devices on the bus (``backend``: a pyusb backend; ``None``: libusb's)."""
    import usb.core
    import usb.util

    wanted = frozenset(vendors)
    try:
        found = list(usb.core.find(find_all=True, backend=backend, custom_match=lambda d: d.idVendor in wanted))
    except usb.core.NoBackendError as exc:
        raise UsbUnavailable(
            Text(
                "USB listing unavailable: libusb is not installed",
                "USB 一覧を取得できません: libusb がインストールされていません",
            )
        ) from exc
    out: list[UsbDevice] = []
    for dev in found:
        try:
            ports = tuple(int(p) for p in (dev.port_numbers or ()))
            kind = classify(int(dev.idVendor), int(dev.idProduct))
            out.append(
                UsbDevice(
                    vendor_id=int(dev.idVendor),
                    product_id=int(dev.idProduct),
                    bus=dev.bus,
                    port_path=ports,
                    kind=kind,
                    serial=_string(dev, "serial_number") if read_strings else None,
                    product=_string(dev, "product") if read_strings else None,
                    adb_interface=_has_adb_interface(dev),
                )
            )
        finally:
            usb.util.dispose_resources(dev)
    return sorted(out, key=lambda d: (d.bus or 0, d.port_path))


@dataclass(frozen=True, slots=True)
class UsbNotice:
    """Something the bench should show for a USB location that no adapter reports."""

    location: str
    kind: UsbKind
    code: str
    message: Text
    serial: str | None = None


def bench_notices(
    devices: Iterable[UsbDevice],
    adb_serials: Iterable[str] = (),
    adb_locations: Iterable[str] = (),
    ios_udids: Iterable[str] | None = None,
) -> list[UsbNotice]:
    """Notices for phones on USB that adb / usbmuxd do not see (adb off, recovery, DFU...).

    ``ios_udids``: the UDIDs usbmuxd lists; ``None`` when unknown (then iPhones in normal mode are
    not reported).
    """
    adb_ser = set(adb_serials)
    adb_loc = set(adb_locations)
    udids = None if ios_udids is None else {u.replace("-", "").upper() for u in ios_udids}
    notices: list[UsbNotice] = []
    for d in devices:
        where = d.location
        if d.kind == UsbKind.GALAXY:
            seen = (d.serial is not None and d.serial in adb_ser) or where in adb_loc
            if seen:
                continue
            if d.adb_interface:
                message = Text(
                    "A Galaxy on slot {loc} has USB debugging on but adb does not list it: check the adb server",
                    "スロット {loc} の Galaxy は USB デバッグが有効ですが adb に表示されません: adb サーバーを確認してください",
                )
                code = "adb_not_listed"
            else:
                message = Text(
                    "A Galaxy is on slot {loc} but adb is off: scan its box",
                    "スロット {loc} に Galaxy がありますが adb が無効です: 箱のラベルをスキャンしてください",
                )
                code = "adb_off"
            notices.append(UsbNotice(where, d.kind, code, message.format(loc=where), d.serial))
        elif d.kind == UsbKind.GALAXY_DOWNLOAD:
            notices.append(
                UsbNotice(
                    where,
                    d.kind,
                    "download_mode",
                    Text(
                        "A Galaxy in download mode on slot {loc}: restart it (hold Volume Down + Side key)",
                        "スロット {loc} の Galaxy がダウンロードモードです: 再起動してください（音量下 + サイドキー長押し）",
                    ).format(loc=where),
                )
            )
        elif d.kind == UsbKind.IPHONE_RECOVERY:
            notices.append(
                UsbNotice(
                    where,
                    d.kind,
                    "recovery_mode",
                    Text(
                        "An iPhone in recovery mode on slot {loc}: restore it or exit recovery",
                        "スロット {loc} の iPhone がリカバリーモードです: 復元するかリカバリーモードを終了してください",
                    ).format(loc=where),
                    d.serial,
                )
            )
        elif d.kind == UsbKind.IPHONE_DFU:
            notices.append(
                UsbNotice(
                    where,
                    d.kind,
                    "dfu_mode",
                    Text(
                        "An iPhone in DFU mode on slot {loc}: restore it",
                        "スロット {loc} の iPhone が DFU モードです: 復元してください",
                    ).format(loc=where),
                    d.serial,
                )
            )
        elif d.kind == UsbKind.IPHONE:
            serial = (d.serial or "").replace("-", "").upper()
            if udids is not None and serial and serial not in udids:
                notices.append(
                    UsbNotice(
                        where,
                        d.kind,
                        "not_in_usbmuxd",
                        Text(
                            "An iPhone on slot {loc} is not seen by usbmuxd: unlock it, or replug the cable",
                            "スロット {loc} の iPhone が usbmuxd に認識されていません: ロックを解除するかケーブルを挿し直してください",
                        ).format(loc=where),
                        d.serial,
                    )
                )
    return notices

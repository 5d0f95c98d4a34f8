"""USB listing through pyusb: phones adb and usbmuxd cannot see (adb off, recovery, DFU), by slot.

``list_usb_devices(backend=None)`` lists Samsung/Apple devices with their physical location;
``bench_notices(...)`` turns those no adapter reports into bilingual messages for the bench;
``kitstation.usb.simulated`` provides a pyusb backend over a simulated tree (tests, demo).
"""

from kitstation.usb.listing import (
    ADB_INTERFACE,
    APPLE_DFU_PID,
    APPLE_RECOVERY_PID,
    APPLE_VID,
    SAMSUNG_DOWNLOAD_PID,
    SAMSUNG_VID,
    UsbDevice,
    UsbKind,
    UsbNotice,
    UsbUnavailable,
    bench_notices,
    classify,
    list_usb_devices,
    usb_location,
)

__all__ = [
    "ADB_INTERFACE",
    "APPLE_DFU_PID",
    "APPLE_RECOVERY_PID",
    "APPLE_VID",
    "SAMSUNG_DOWNLOAD_PID",
    "SAMSUNG_VID",
    "UsbDevice",
    "UsbKind",
    "UsbNotice",
    "UsbUnavailable",
    "bench_notices",
    "classify",
    "list_usb_devices",
    "usb_location",
]

"""Binder services from the shell: ``service call iphonesubinfo`` (reply parcels) and ``dumpsys``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitstation.simulator.android.shell.dpm import dumpsys_device_policy
from kitstation.simulator.android.shell.pm import dumpsys_package
from kitstation.simulator.android.shell.result import ShellResult, err, ok

if TYPE_CHECKING:
    from kitstation.simulator.android.device import SimulatedGalaxy


def imei_parcel(imei: str | None) -> str:
    """``service call`` output for a reply parcel holding status 0 and a String16 (the IMEI)."""
    if imei is None:
        words = [0, 0xFFFFFFFF]  # null string
    else:
        data = imei.encode("utf-16-le") + b"\0\0"
        data += b"\0" * (-len(data) % 4)
        words = [0, len(imei), *(int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4))]
    return format_parcel(words)


def exception_parcel(message: str) -> str:
    """``service call`` output for a reply parcel carrying a SecurityException (code -1)."""
    data = message.encode("utf-16-le") + b"\0\0"
    data += b"\0" * (-len(data) % 4)
    words = [0xFFFFFFFF, len(message), *(int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4))]
    return format_parcel(words)


def format_parcel(words: list[int]) -> str:
    # The layout of Parcel's hexdump matters: people cut columns 52-66 to read the IMEI.
    lines = []
    for off in range(0, len(words), 4):
        chunk = words[off : off + 4]
        hexpart = " ".join(f"{w:08x}" for w in chunk).ljust(35)
        raw = b"".join(w.to_bytes(4, "little") for w in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in raw).ljust(16)
        lines.append(f"  0x{off * 4:08x}: {hexpart} '{text}'")
    if len(lines) == 1:
        return f"Result: Parcel({lines[0].strip()[12:]})\n"
    return "Result: Parcel(\n" + "\n".join(lines) + ")\n"



def dumpsys_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if not args:
        return ok("Currently running services:\n  account\n  device_policy\n  iphonesubinfo\n  package\n  window\n")
    svc = args[0]
    with d._lock:
        if svc == "device_policy":
            return ok(dumpsys_device_policy(d))
        if svc == "package" and len(args) > 1:
            return ok(dumpsys_package(d, args[1]))
        if svc == "account":
            return ok(
                f"User UserInfo{{0:Owner:c13}}:\n  Accounts: {len(d.accounts)}\n"
                + "".join(f"    Account {{name={n}, type={t}}}\n" for n, t in d.accounts)
            )
        if svc == "iphonesubinfo":
            if d.sdk <= 28 and d.imeis:
                return ok(f"Phone Subscriber Info:\n  Phone Type = GSM\n  Device ID = {d.imeis[0]}\n")
            return ok(
                "Permission Denial: can't dump iphonesubinfo from from pid=12345, uid=2000 without permission android.permission.DUMP\n"
            )
    return ok(f"Can't find service: {svc}\n")



def service_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if len(args) >= 1 and args[0] == "list":
        return ok(
            "Found 3 services:\n0\tiphonesubinfo: [com.android.internal.telephony.IPhoneSubInfo]\n1\tdevice_policy: [android.app.admin.IDevicePolicyManager]\n2\tpackage: [android.content.pm.IPackageManager]\n"
        )
    if len(args) >= 1 and args[0] == "check":
        return ok("".join(f"Service {s}: found\n" for s in args[1:]))
    if len(args) < 3 or args[0] != "call" or not args[2].isdigit():
        return err(
            "usage: service [-h|-?]\n       service list\n       service check SERVICE\n       service call SERVICE CODE [i32 N | i64 N | f N | d N | s16 STR | null | fd f | nfd n | afd f ] ...\n"
        )
    svc, code = args[1], int(args[2])
    if svc != "iphonesubinfo":
        return ok(format_parcel([0xFFFFFFFF, 0]))
    if d.sdk >= 29:
        return ok(
            exception_parcel(
                "getDeviceIdForPhone: The user 2000 does not meet the requirements to access device identifiers."
            )
        )
    if not d.imeis:
        return ok(imei_parcel(None))
    # Android 9 IPhoneSubInfo: 1 getDeviceId, 2 getDeviceIdWithFeature, 3 getNaiForSubscriber,
    # 4 getDeviceIdForPhone(slot) — people try all of these; the slot follows "i32 N".
    slot = 0
    if "i32" in args:
        i = args.index("i32")
        if i + 1 < len(args) and args[i + 1].isdigit():
            slot = int(args[i + 1])
    if code in (1, 2):
        return ok(imei_parcel(d.imeis[0]))
    if code == 4:
        return ok(imei_parcel(d.imeis[slot] if slot < len(d.imeis) else None))
    return ok(imei_parcel(None))


"""Binder services from the shell: ``service call iphonesubinfo`` (reply parcels) and ``dumpsys``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitstation.simulator.android.shell.bench import dumpsys_battery
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
        if svc == "battery":
            return ok(dumpsys_battery(d))
        if svc == "iphonesubinfo":
            # Since Android 5 PhoneSubInfoController has no dump(): nothing is printed (only
            # KitKat's PhoneSubInfo printed "Device ID = ..."). The shell holds DUMP, so no denial.
            return ok("")
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
    method = iphonesubinfo_method(d.sdk, code)
    if method in ("getDeviceId", "getDeviceIdForPhone", "getImeiForSubscriber", "getDeviceIdWithFeature"):
        if d.sdk >= 29:
            # Android 10: device identifiers need READ_PRIVILEGED_PHONE_STATE, which the shell lacks.
            return ok(
                exception_parcel(
                    f"{method}: The user 2000 does not meet the requirements to access device identifiers."
                )
            )
        if method == "getDeviceId":
            return ok(imei_parcel(d.imeis[0] if d.imeis else None))
        if method == "getDeviceIdForPhone":
            slot = _i32_arg(args)
            return ok(imei_parcel(d.imeis[slot] if 0 <= slot < len(d.imeis) else None))
    # getImeiForSubscriber needs an active subscription (a SIM): none on the bench. Others: null.
    return ok(imei_parcel(None))


def iphonesubinfo_method(sdk: int, code: int) -> str:
    """The IPhoneSubInfo method behind a ``service call`` transaction code on this Android version.

    AIDL numbers methods in declaration order; Android 11 inserted getDeviceIdWithFeature as 2,
    moving the rest by one (micro5k's device-info.sh: getDeviceIdForPhone is 3 on Android 5.1-10,
    4 on 11-14; Android 5.0 has it as 2).
    """
    if sdk <= 21:
        table = {1: "getDeviceId", 2: "getDeviceIdForPhone", 3: "getNaiForSubscriber"}
    elif sdk <= 29:
        table = {1: "getDeviceId", 2: "getNaiForSubscriber", 3: "getDeviceIdForPhone", 4: "getImeiForSubscriber"}
    else:
        table = {
            1: "getDeviceId",
            2: "getDeviceIdWithFeature",
            3: "getNaiForSubscriber",
            4: "getDeviceIdForPhone",
            5: "getImeiForSubscriber",
        }
    return table.get(code, "")


def _i32_arg(args: list[str]) -> int:
    if "i32" in args:
        i = args.index("i32")
        if i + 1 < len(args) and args[i + 1].lstrip("-").isdigit():
            return int(args[i + 1])
    return 0

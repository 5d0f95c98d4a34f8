"""What the bench setup steps use: ``cmd wifi``, ``cmd time_zone_detector`` and ``dumpsys battery``.

Outputs follow AOSP: ``WifiShellCommand`` (packages/modules/Wifi; ``connect-network`` and
``list-networks`` from Android 11, API 30 -- older releases answer ``Unknown command``),
``TimeZoneDetectorShellCommand`` (frameworks/base; ``suggest_manual_time_zone --zone_id`` from
Android 12, API 31, applied only while automatic detection is off) and ``BatteryService.dump``.
A network joins only when an access point with that SSID and passphrase is in range
(``SimulatedGalaxy.access_points``): a wrong password leaves the phone not connected, as on a real one.
"""

from __future__ import annotations

import functools
import zoneinfo
from typing import TYPE_CHECKING

from kitstation.simulator.android.shell.result import ShellResult, err, ok

if TYPE_CHECKING:
    from kitstation.simulator.android.device import SimulatedGalaxy

WIFI_SHELL_SDK = 30  # connect-network / list-networks / status (Android 11)
TZ_DETECTOR_SDK = 31  # suggest_manual_time_zone reachable from the shell (Android 12)
_SECURITY = {"open": "open", "owe": "owe", "wpa2": "wpa2-psk", "wpa3": "wpa3-sae"}


def wifi_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if not args:
        return ok("Wi-Fi (wifi) commands:\n  help or -h\n")
    verb = args[0]
    if d.sdk < WIFI_SHELL_SDK and verb in ("connect-network", "list-networks", "status", "forget-network"):
        # Android 10's WifiShellCommand had only test hooks: handleDefaultCommands prints this.
        return ok(f"Unknown command: {verb}\n", code=255)
    with d._lock:
        if verb == "status":
            if d.wifi_connected is None:
                return ok("Wifi is enabled\nWifi is not connected\n")
            return ok(f'Wifi is enabled\nWifi is connected to "{d.wifi_connected}"\n')
        if verb == "list-networks":
            if not d.wifi_networks:
                return ok("No networks\n")
            rows = ["Network Id      SSID                         Security type"]
            for i, (ssid, sec) in enumerate(d.wifi_networks):
                rows.append(f"{i:<16}{ssid:<29}{_SECURITY[sec]}")
            return ok("\n".join(rows) + "\n")
        if verb == "connect-network":
            if len(args) < 3 or args[2] not in _SECURITY:
                return err("Error: invalid security type. Expected open|owe|wpa2|wpa3\n", 255)
            ssid, sec = args[1], args[2]
            passphrase = args[3] if len(args) > 3 else ""
            if sec in ("wpa2", "wpa3") and not passphrase:
                return err("Error: passphrase required for wpa2|wpa3\n", 255)
            d.wifi_networks = [n for n in d.wifi_networks if n[0] != ssid] + [(ssid, sec)]
            # The framework accepts the configuration at once; whether the phone joins depends on the AP.
            ap = d.access_points.get(ssid)
            if ap is not None and ap == (passphrase if sec in ("wpa2", "wpa3") else ""):
                d.wifi_connected = ssid
            elif d.wifi_connected == ssid:
                d.wifi_connected = None
            return ok("Connection initiated \n")
    return ok(f"Unknown command: {verb}\n", code=255)


def time_zone_detector_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if d.sdk < TZ_DETECTOR_SDK:
        return err("cmd: Can't find service: time_zone_detector\n", 20)
    if not args:
        return ok("Time Zone Detector (time_zone_detector) commands:\n  help\n")
    verb = args[0]
    with d._lock:
        table = d.settings["global"]
        if verb == "is_auto_detection_enabled":
            return ok(("true" if table.get("auto_time_zone", "1") == "1" else "false") + "\n")
        if verb == "set_auto_detection_enabled" and len(args) > 1:
            table["auto_time_zone"] = "1" if args[1].lower() == "true" else "0"
            return ok()
        if verb == "suggest_manual_time_zone":
            if len(args) < 3 or args[1] != "--zone_id":
                return ok("Error: suggestion not specified\n", code=1)
            zone = args[2]
            # The strategy ignores a manual suggestion while auto detection is on, and an unknown zone.
            if table.get("auto_time_zone", "1") != "1" and zone in _known_zones():
                d.props["persist.sys.timezone"] = zone
            return ok(f"Suggestion ManualTimeZoneSuggestion{{mZoneId='{zone}', mDebugInfo=[]}} injected.\n")
    return ok(f"Unknown command: {verb}\n", code=255)


@functools.cache
def _known_zones() -> frozenset[str]:
    # The phone's tzdata knows every IANA zone; the host's zoneinfo database stands in for it.
    return frozenset(zoneinfo.available_timezones())


def dumpsys_battery(d: SimulatedGalaxy) -> str:
    level = d.battery_level()
    status = 5 if level >= 100 else (2 if d.plugged and d.charging else 3)  # FULL / CHARGING / DISCHARGING
    return (
        "Current Battery Service state:\n"
        "  AC powered: false\n"
        f"  USB powered: {'true' if d.plugged and d.charging else 'false'}\n"
        "  Wireless powered: false\n"
        "  Max charging current: 500000\n"
        "  Max charging voltage: 5000000\n"
        f"  Charge counter: {level * 38000}\n"
        f"  status: {status}\n"
        "  health: 2\n"
        "  present: true\n"
        f"  level: {level}\n"
        "  scale: 100\n"
        "  voltage: 4012\n"
        "  temperature: 287\n"
        "  technology: Li-ion\n"
    )

"""Runtime permissions: ``pm grant`` / ``pm revoke`` and what ``dumpsys package PKG`` shows of them.

AOSP's rule (``PermissionManagerService(Impl).grantRuntimePermissionInternal``; Android 9-11 in
``BasePermission.enforceDeclaredUsedAndRuntimeOrDevelopment``), checked in this order:

* the package must be installed: ``IllegalArgumentException: Unknown package: PKG``;
* the permission must exist (the platform's or one an installed package defines):
  ``IllegalArgumentException: Unknown permission: PERM``;
* the package must request it in its manifest (``uses-permission``):
  ``SecurityException: Package PKG has not requested permission PERM``;
* it must be a runtime ("dangerous") or development permission:
  ``SecurityException: Permission PERM requested by PKG is not a changeable permission type``
  (Android 14+ words it "requested by package PKG"). Normal permissions are granted at install
  time, signature ones never to the shell.

``pm`` prints an exception the way every shell command does: "Exception occurred while executing
'grant':", the exception and its stack trace on stderr, exit status 255.

The platform permissions below are the ones kitting blueprints name, with their protection level
from ``frameworks/base/core/res/AndroidManifest.xml`` and the API level that added them (a newer
permission is unknown to an older phone).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitstation.simulator.android.shell.result import ShellResult, err, ok, opt_user

if TYPE_CHECKING:
    from kitstation.simulator.android.device import SimulatedGalaxy

_P = "android.permission."
# name -> (protection, API level that added it)
PLATFORM_PERMISSIONS: dict[str, tuple[str, int]] = {
    _P + "CAMERA": ("dangerous", 1),
    _P + "RECORD_AUDIO": ("dangerous", 1),
    _P + "ACCESS_FINE_LOCATION": ("dangerous", 1),
    _P + "ACCESS_COARSE_LOCATION": ("dangerous", 1),
    _P + "ACCESS_BACKGROUND_LOCATION": ("dangerous", 29),
    _P + "READ_CONTACTS": ("dangerous", 1),
    _P + "WRITE_CONTACTS": ("dangerous", 1),
    _P + "READ_CALENDAR": ("dangerous", 1),
    _P + "WRITE_CALENDAR": ("dangerous", 1),
    _P + "READ_PHONE_STATE": ("dangerous", 1),
    _P + "CALL_PHONE": ("dangerous", 1),
    _P + "SEND_SMS": ("dangerous", 1),
    _P + "READ_SMS": ("dangerous", 1),
    _P + "READ_EXTERNAL_STORAGE": ("dangerous", 16),
    _P + "WRITE_EXTERNAL_STORAGE": ("dangerous", 4),
    _P + "BODY_SENSORS": ("dangerous", 20),
    _P + "BLUETOOTH_SCAN": ("dangerous", 31),
    _P + "BLUETOOTH_CONNECT": ("dangerous", 31),
    _P + "NEARBY_WIFI_DEVICES": ("dangerous", 33),
    _P + "POST_NOTIFICATIONS": ("dangerous", 33),
    _P + "READ_MEDIA_IMAGES": ("dangerous", 33),
    _P + "READ_MEDIA_VIDEO": ("dangerous", 33),
    _P + "INTERNET": ("normal", 1),
    _P + "ACCESS_NETWORK_STATE": ("normal", 1),
    _P + "ACCESS_WIFI_STATE": ("normal", 1),
    _P + "CHANGE_WIFI_STATE": ("normal", 1),
    _P + "VIBRATE": ("normal", 1),
    _P + "WAKE_LOCK": ("normal", 1),
    _P + "RECEIVE_BOOT_COMPLETED": ("normal", 1),
    _P + "FOREGROUND_SERVICE": ("normal", 28),
    _P + "NFC": ("normal", 9),
    _P + "BLUETOOTH": ("normal", 1),
    _P + "REQUEST_INSTALL_PACKAGES": ("signature|appop", 23),
    _P + "SYSTEM_ALERT_WINDOW": ("signature|appop", 1),
    _P + "BIND_DEVICE_ADMIN": ("signature", 8),
    _P + "INSTALL_PACKAGES": ("signature|privileged", 1),
    # signature|privileged|development: the shell may grant it (development counts).
    _P + "WRITE_SECURE_SETTINGS": ("signature|privileged|development", 3),
    _P + "PACKAGE_USAGE_STATS": ("signature|privileged|development|appop", 21),
}

_TRACE = (
    "\tat com.android.server.pm.permission.PermissionManagerServiceImpl.grantRuntimePermissionInternal"
    "(PermissionManagerServiceImpl.java:1423)\n"
    "\tat com.android.server.pm.PackageManagerShellCommand.runGrantRevokePermission"
    "(PackageManagerShellCommand.java:2771)\n"
)
_NEW_WORDING_SDK = 34


def protection(name: str, sdk: int) -> str | None:
    """The platform permission's protection level on this Android version, or None if unknown there."""
    found = PLATFORM_PERMISSIONS.get(name)
    if found is None or found[1] > sdk:
        return None
    return found[0]


def is_runtime(name: str, sdk: int) -> bool:
    level = protection(name, sdk)
    return level is not None and ("dangerous" in level or "development" in level)


def _exception(verb: str, exc: str, message: str) -> ShellResult:
    return err(f"Exception occurred while executing '{verb}':\n{exc}: {message}\n{_TRACE}", 255)


def grant_command(d: SimulatedGalaxy, verb: str, args: list[str]) -> ShellResult:
    """``pm grant|revoke [--user N] PKG PERM``."""
    names = [a for a in opt_user(args) if not a.startswith("-")]
    if len(names) < 2:
        return err("Error: no permission specified\n" if names else "Error: no package specified\n", 255)
    pkg, perm = names[0], names[1]
    with d._lock:
        p = d.installed_packages.get(pkg)
        if p is None:
            return _exception(verb, "java.lang.IllegalArgumentException", f"Unknown package: {pkg}")
        if protection(perm, d.sdk) is None:
            # Not the platform's: only known if an installed app requested it (our packages define none).
            return _exception(verb, "java.lang.IllegalArgumentException", f"Unknown permission: {perm}")
        if perm not in p.requested_permissions:
            return _exception(verb, "java.lang.SecurityException", f"Package {pkg} has not requested permission {perm}")
        if not is_runtime(perm, d.sdk):
            by = f"package {pkg}" if d.sdk >= _NEW_WORDING_SDK else pkg
            return _exception(
                verb,
                "java.lang.SecurityException",
                f"Permission {perm} requested by {by} is not a changeable permission type",
            )
        if verb == "grant":
            p.granted.add(perm)
        else:
            p.granted.discard(perm)
    return ok()


def permission_sections(d: SimulatedGalaxy, name: str) -> tuple[str, str]:
    """``requested permissions:`` / ``install permissions:`` (package part) and ``runtime permissions:`` (user 0)."""
    p = d.installed_packages[name]
    requested = "".join(f"      {perm}\n" for perm in p.requested_permissions)
    install = [perm for perm in p.requested_permissions if protection(perm, d.sdk) == "normal"]
    runtime = [perm for perm in p.requested_permissions if is_runtime(perm, d.sdk)]
    package_part = ""
    if requested:
        package_part += "    requested permissions:\n" + requested
    if install:
        package_part += "    install permissions:\n" + "".join(f"      {perm}: granted=true\n" for perm in install)
    user_part = ""
    if runtime:
        user_part = "      runtime permissions:\n" + "".join(
            f"        {perm}: granted={'true' if perm in p.granted else 'false'}, flags=[ "
            f"{'USER_SET|' if perm in p.granted else ''}USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]\n"
            for perm in runtime
        )
    return package_part, user_part


__all__ = ["PLATFORM_PERMISSIONS", "grant_command", "is_runtime", "permission_sections", "protection"]

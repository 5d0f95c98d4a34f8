"""The device policy shell: ``dpm`` / ``cmd device_policy`` and ``dumpsys device_policy``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitstation.simulator.android.shell.result import ShellResult, err, ok, opt_user

if TYPE_CHECKING:
    from kitstation.simulator.android.device import SimulatedGalaxy


def short_component(pkg: str, cls: str) -> str:
    """ComponentName.flattenToShortString: ``pkg/.Cls`` when the class is inside the package."""
    return f"{pkg}/{cls[len(pkg) :]}" if cls.startswith(pkg + ".") else f"{pkg}/{cls}"


def parse_component(text: str) -> tuple[str, str] | None:
    pkg, sep, cls = text.partition("/")
    if not sep or not pkg or not cls:
        return None
    return pkg, pkg + cls if cls.startswith(".") else cls



_DPM_TRACE = (
    "\tat com.android.server.devicepolicy.DevicePolicyManagerService.enforceCanSetDeviceOwnerLocked(DevicePolicyManagerService.java:9151)\n"
    "\tat com.android.server.devicepolicy.DevicePolicyManagerService.setDeviceOwner(DevicePolicyManagerService.java:8702)\n"
    "\tat com.android.server.devicepolicy.DevicePolicyManagerServiceShellCommand.runSetDeviceOwner(DevicePolicyManagerServiceShellCommand.java:247)\n"
)


def _dpm_exception(d: SimulatedGalaxy, verb: str, exc: str, message: str) -> ShellResult:
    # Android 10+ runs dpm through `cmd device_policy` (exit 255); older dpm is app_process (exit 1).
    text = f"Exception occurred while executing '{verb}':\n{exc}: {message}\n{_DPM_TRACE}"
    if d.sdk < 29:
        text = f"{exc}: {message}\n{_DPM_TRACE}"
    return err(text, 255 if d.sdk >= 29 else 1)


def dpm_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if not args:
        return err(
            "usage: dpm [subcommand] [options]\nusage: dpm set-device-owner [ --user <USER_ID> *EXPERIMENTAL* ] [ --name <NAME> ] <COMPONENT>\n",
            255 if d.sdk >= 29 else 1,
        )
    verb, rest = args[0], opt_user(args[1:])
    if verb == "list-owners":
        with d._lock:
            owner = d.device_owner
        if owner is None:
            return ok("no owners\n")
        return ok(f"1 owner:\nUser  0: admin={owner},DeviceOwner\n")
    if verb in ("set-device-owner", "set-active-admin", "remove-active-admin"):
        comp = parse_component(rest[0]) if rest else None
        if comp is None:
            return _dpm_exception(
                d, verb, "java.lang.IllegalArgumentException", f"Invalid component {rest[0] if rest else ''}"
            )
        pkg, cls = comp
        info = f"ComponentInfo{{{pkg}/{cls}}}"
        short = short_component(pkg, cls)
        with d._lock:
            p = d.installed_packages.get(pkg)
            if verb == "remove-active-admin":
                if d.device_owner == short:
                    return _dpm_exception(
                        d, verb, "java.lang.SecurityException", f"Attempt to remove non-test admin {info} 0"
                    )
                if short in d.active_admins:
                    d.active_admins.remove(short)
                return ok(f"Success: Admin removed {info}\n")
            if p is None or cls not in p.admin_receivers:
                return _dpm_exception(d, verb, "java.lang.IllegalArgumentException", f"Unknown admin: {info}")
            if verb == "set-active-admin":
                if short not in d.active_admins:
                    d.active_admins.append(short)
                return ok(f"Success: Active admin set to component {{{pkg}/{cls}}}\n")
            if d.device_owner is not None:
                o_pkg, o_cls = parse_component(d.device_owner) or ("", "")
                return _dpm_exception(
                    d,
                    verb,
                    "java.lang.IllegalStateException",
                    f"Trying to set the device owner ({info}), but device owner (ComponentInfo{{{o_pkg}/{o_cls}}}) is already set.",
                )
            if len(d.users) > 1:
                return _dpm_exception(
                    d,
                    verb,
                    "java.lang.IllegalStateException",
                    "Not allowed to set the device owner because there are already several users on the device.",
                )
            if d.accounts:
                return _dpm_exception(
                    d,
                    verb,
                    "java.lang.IllegalStateException",
                    "Not allowed to set the device owner because there are already some accounts on the device.",
                )
            if d.settings["secure"].get("user_setup_complete") == "1":
                return _dpm_exception(
                    d,
                    verb,
                    "java.lang.IllegalStateException",
                    "Cannot set the device owner if the device is already set-up.",
                )
            d.device_owner = short
            if short not in d.active_admins:
                d.active_admins.append(short)
        return ok(f"Success: Device owner set to package {info}\nActive admin set to component {{{pkg}/{cls}}}\n")
    return _dpm_exception(d, verb, "java.lang.IllegalArgumentException", f"Unknown command: {verb}")


def dumpsys_device_policy(d: SimulatedGalaxy) -> str:
    """``dumpsys device_policy``: the owner, the active admins, whether setup is complete."""
    with d._lock:
        lines = [
            "Current Device Policy Manager state:",
            "  Immutable state:",
            "    mHasFeature=true",
            f"    mHasTelephonyFeature={'true' if d.imeis else 'false'}",
        ]
        if d.device_owner:
            pkg, cls = parse_component(d.device_owner) or ("", "")
            lines += [
                "  Device Owner: ",
                f"    admin=ComponentInfo{{{pkg}/{cls}}}",
                "    name=",
                f"    package={pkg}",
                "    isOrganizationOwnedDevice=true",
                "    User ID: 0",
                "",
            ]
        lines.append(f"  Enabled Device Admins (User 0, provisioningState: {3 if d.device_owner else 0}):")
        for a in d.active_admins:
            p = d.installed_packages.get(a.split("/")[0])
            lines += [f"    {a}:", f"      uid={p.uid if p else 0}", "      testOnlyAdmin=false"]
        lines.append(f"  mUserSetupComplete={'true' if d.provisioned else 'false'}")
        return "\n".join(lines) + "\n"

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



# Android 12 (API 31) moved `dpm` from an app_process program (cmds/dpm, Dpm.java) to
# `cmd device_policy` (DevicePolicyManagerServiceShellCommand): the subcommands, the output and
# the error framing differ between the two.
SDK_SHELL_COMMAND = 31

# The refusals of DevicePolicyManagerService (Android 12+: computeProvisioningErrorString; 7-11:
# enforceCanSetDeviceOwnerLocked, the same words, some without the final period).
_REFUSALS = {
    "owner": "Trying to set the device owner, but device owner is already set.",
    "users": "Not allowed to set the device owner because there are already several users on the device",
    "accounts": "Not allowed to set the device owner because there are already some accounts on the device",
}

_SHELL_TRACE = (
    "\tat com.android.server.devicepolicy.DevicePolicyManagerService.enforceCanSetDeviceOwnerLocked(DevicePolicyManagerService.java:9151)\n"
    "\tat com.android.server.devicepolicy.DevicePolicyManagerService.setDeviceOwner(DevicePolicyManagerService.java:8702)\n"
    "\tat com.android.server.devicepolicy.DevicePolicyManagerServiceShellCommand.runSetDeviceOwner(DevicePolicyManagerServiceShellCommand.java:247)\n"
)
_APP_PROCESS_TRACE = (
    "\tat android.os.Parcel.createException(Parcel.java:1958)\n"
    "\tat android.os.Parcel.readException(Parcel.java:1918)\n"
    "\tat android.app.admin.IDevicePolicyManager$Stub$Proxy.setDeviceOwner(IDevicePolicyManager.java:5134)\n"
    "\tat com.android.commands.dpm.Dpm.runSetDeviceOwner(Dpm.java:176)\n"
    "\tat com.android.commands.dpm.Dpm.onRun(Dpm.java:110)\n"
    "\tat com.android.internal.os.BaseCommand.run(BaseCommand.java:54)\n"
    "\tat com.android.commands.dpm.Dpm.main(Dpm.java:41)\n"
)
_APP_PROCESS_USAGE = (
    "usage: dpm [subcommand] [options]\n"
    "usage: dpm set-active-admin [ --user <USER_ID> | current ] <COMPONENT>\n"
    "usage: dpm set-device-owner [ --user <USER_ID> | current *EXPERIMENTAL* ] [ --name <NAME> ] <COMPONENT>\n"
    "usage: dpm set-profile-owner [ --user <USER_ID> | current ] [ --name <NAME> ] <COMPONENT>\n"
    "usage: dpm remove-active-admin [ --user <USER_ID> | current ] [ --name <NAME> ] <COMPONENT>\n"
)


def refusal_text(d: SimulatedGalaxy, kind: str) -> str:
    """DPMS's words for a refusal on this Android version (12+ ends every sentence with a period)."""
    text = _REFUSALS[kind]
    return text if text.endswith(".") or d.sdk < SDK_SHELL_COMMAND else text + "."


def _exception(d: SimulatedGalaxy, verb: str, exc: str, message: str) -> ShellResult:
    if d.sdk >= SDK_SHELL_COMMAND:
        # `cmd` prints the exception on stderr and exits 255.
        return err(f"Exception occurred while executing '{verb}':\n{exc}: {message}\n{_SHELL_TRACE}", 255)
    if exc.endswith("IllegalArgumentException"):
        # BaseCommand: an IllegalArgumentException shows the usage and the message, exit code 0.
        return err(f"{_APP_PROCESS_USAGE}\nError: {message}\n", 0)
    # Any other exception: its stack trace, exit code 1.
    return err(f"{exc}: {message}\n{_APP_PROCESS_TRACE}", 1)


def _success(d: SimulatedGalaxy, pkg: str, cls: str) -> str:
    short = short_component(pkg, cls)
    if d.sdk >= SDK_SHELL_COMMAND:
        # DevicePolicyManagerServiceShellCommand: ComponentName.flattenToShortString() twice.
        return f"Success: Device owner set to package {short}\nActive admin set to component {short}\n"
    # Dpm.java (Android 7-11): ComponentName.toString(), then toShortString().
    return f"Success: Device owner set to package ComponentInfo{{{pkg}/{cls}}}\nActive admin set to component {{{pkg}/{cls}}}\n"


def _precondition(d: SimulatedGalaxy) -> str | None:
    """checkDeviceOwnerProvisioningPreConditionLocked for a shell (adb) caller; None = allowed.

    An owner already set refuses first. After the setup wizard has finished, a second user
    (nonTestNonPrecreatedUsersExist) or any account (hasIncompatibleAccountsOrNonAdb) refuses;
    before it has finished, the adb path allows both.
    """
    if d.device_owner is not None:
        return "owner"
    if d.settings["secure"].get("user_setup_complete") == "1":
        if len(d.users) > 1:
            return "users"
        if d.accounts:
            return "accounts"
    return None


def dpm_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if not args:
        if d.sdk >= SDK_SHELL_COMMAND:
            return err(
                "usage: dpm [subcommand] [options]\nusage: dpm set-device-owner [ --user <USER_ID> *EXPERIMENTAL* ] [ --name <NAME> ] <COMPONENT>\n",
                255,
            )
        return ok(_APP_PROCESS_USAGE)
    verb, rest = args[0], opt_user(args[1:])
    if verb == "list-owners" and d.sdk >= SDK_SHELL_COMMAND:
        with d._lock:
            owner = d.device_owner
        if owner is None:
            return ok("no owners\n")
        return ok(f"1 owner:\nUser  0: admin={owner},DeviceOwner\n")
    if verb in ("set-device-owner", "set-active-admin", "remove-active-admin"):
        comp = parse_component(rest[0]) if rest else None
        if comp is None:
            return _exception(
                d, verb, "java.lang.IllegalArgumentException", f"Invalid component {rest[0] if rest else ''}"
            )
        pkg, cls = comp
        info = f"ComponentInfo{{{pkg}/{cls}}}"
        short = short_component(pkg, cls)
        with d._lock:
            p = d.installed_packages.get(pkg)
            if verb == "remove-active-admin":
                if d.device_owner == short:
                    return _exception(
                        d, verb, "java.lang.SecurityException", f"Attempt to remove non-test admin {info} 0"
                    )
                if short in d.active_admins:
                    d.active_admins.remove(short)
                return ok(f"Success: Admin removed {info}\n")
            if p is None or cls not in p.admin_receivers:
                # setActiveAdmin runs first and finds no such receiver.
                return _exception(d, verb, "java.lang.IllegalArgumentException", f"Unknown admin: {info}")
            if verb == "set-active-admin":
                if short not in d.active_admins:
                    d.active_admins.append(short)
                return ok(f"Success: Active admin set to component {{{pkg}/{cls}}}\n")
            refused = _precondition(d)
            if refused is not None:
                # The shell command removes the admin it had just made active, then rethrows.
                return _exception(d, verb, "java.lang.IllegalStateException", refusal_text(d, refused))
            d.device_owner = short
            if short not in d.active_admins:
                d.active_admins.append(short)
        return ok(_success(d, pkg, cls))
    if d.sdk >= SDK_SHELL_COMMAND:
        return _exception(d, verb, "java.lang.IllegalArgumentException", f"Unknown command: {verb}")
    return _exception(d, verb, "java.lang.IllegalArgumentException", f"unknown command '{verb}'")


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

"""The package manager's shell: ``pm`` / ``cmd package`` (list, path, install, uninstall, disable) and ``dumpsys package``.

Install sessions (``install-create`` … ``install-commit``) are in ``pmsession``, runtime permissions
(``grant``/``revoke`` and their part of ``dumpsys package``) in ``grants``. ``list packages
--show-versioncode`` appends `` versionCode:N`` (AOSP ``runListPackages``).
"""

from __future__ import annotations

import hashlib
import posixpath
import time
from typing import TYPE_CHECKING

from kitstation.simulator.android.shell.grants import grant_command, permission_sections
from kitstation.simulator.android.shell.pmsession import session_command
from kitstation.simulator.android.shell.result import ConnectionDrop, ShellResult, err, ok, opt_user

if TYPE_CHECKING:
    from kitstation.simulator.android.device import SimulatedGalaxy


async def pm_command(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if not args:
        return err("usage: pm [list|path|install|uninstall|disable-user|enable|clear] ...\n")
    sub, rest = args[0], args[1:]
    if sub == "list" and rest and rest[0] == "packages":
        opts = [a for a in rest[1:] if a.startswith("-")]
        flt = [a for a in opt_user(rest[1:]) if not a.startswith("-")]
        with d._lock:
            pkgs = sorted(d.installed_packages.values(), key=lambda p: p.package)
        lines = []
        for item in pkgs:
            if flt and flt[0] not in item.package:
                continue
            if ("-3" in opts and item.system) or ("-s" in opts and not item.system):
                continue
            if ("-d" in opts and item.enabled) or ("-e" in opts and not item.enabled):
                continue
            line = "package:" + (f"{item.path}={item.package}" if "-f" in opts else item.package)
            if "--show-versioncode" in opts:
                line += f" versionCode:{item.version_code}"
            if "-U" in opts:
                line += f" uid:{item.uid}"
            lines.append(line + "\n")
        return ok("".join(lines))
    if sub == "list" and rest and rest[0] == "users":
        with d._lock:
            users = list(d.users)
        return ok(
            "Users:\n" + "".join(f"\tUserInfo{{{u}:{'Owner' if u == 0 else 'User'}:c13}} running\n" for u in users)
        )
    if sub == "path" and rest:
        with d._lock:
            p = d.installed_packages.get(opt_user(rest)[0])
        if p is None:
            return ok(code=1)
        # runPath: the base APK, then every split APK (ApplicationInfo.splitSourceDirs).
        folder = posixpath.dirname(p.path)
        return ok("".join(f"package:{path}\n" for path in (p.path, *(f"{folder}/split_{s}.apk" for s in p.splits))))
    if sub == "install":
        return await _pm_install(d, rest, stdin)
    if sub in ("install-create", "install-write", "install-commit", "install-abandon"):
        return await session_command(d, sub, rest, stdin)
    if sub == "uninstall":
        names = [a for a in opt_user(rest) if not a.startswith("-")]
        if not names:
            return err("Error: package name not specified\n")
        with d._lock:
            p = d.installed_packages.get(names[0])
            owner_pkg = d.device_owner.split("/")[0] if d.device_owner else None
            if p is None or p.system:
                return ok("Failure [DELETE_FAILED_INTERNAL_ERROR]\n", 1)
            if owner_pkg == p.package:
                return ok("Failure [DELETE_FAILED_DEVICE_POLICY_MANAGER]\n", 1)
            del d.installed_packages[p.package]
            folder = posixpath.dirname(p.path) + "/"
            for path in [f for f in d.files if f.startswith(folder)]:
                del d.files[path]
            d.active_admins = [a for a in d.active_admins if not a.startswith(p.package + "/")]
        return ok("Success\n")
    if sub in ("disable-user", "disable", "enable", "default-state"):
        names = [a for a in opt_user(rest) if not a.startswith("-")]
        with d._lock:
            p = d.installed_packages.get(names[0]) if names else None
            if p is None:
                return err(
                    f"Error: java.lang.IllegalArgumentException: Unknown package: {names[0] if names else ''}\n", 255
                )
            p.enabled = sub in ("enable", "default-state")
        state = {"disable-user": "disabled-user", "disable": "disabled"}.get(sub, "enabled")
        return ok(f"Package {p.package} new state: {state}\n")
    if sub == "clear":
        with d._lock:
            known = bool(rest) and opt_user(rest)[0] in d.installed_packages
        return ok("Success\n") if known else ok("Failed\n", 1)
    if sub in ("grant", "revoke"):
        return grant_command(d, sub, rest)
    if sub in ("set-installer", "trim-caches"):
        return ok()
    return err(f"Unknown command: {sub}\n", 255)


async def _pm_install(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    args = opt_user(args)
    size: int | None = None
    if "-S" in args:
        i = args.index("-S")
        size = int(args[i + 1]) if i + 1 < len(args) and args[i + 1].isdigit() else None
        args = args[:i] + args[i + 2 :]
    paths = [a for a in args if not a.startswith("-")]
    if size is not None:
        data = stdin[:size]
        if len(data) < size:
            return ok("Failure [INSTALL_FAILED_INVALID_APK: short write]\n", 1)
    elif paths:
        found = d.read_file(paths[0])
        if found is None:
            return ok(f"Failure [INSTALL_FAILED_INVALID_URI: Invalid URI: {paths[0]}]\n", 1)
        data = found
    else:
        return err("Error: must either specify a package size or an APK file\n", 255)
    if d._take_fault("offline-mid-install") is not None:
        raise ConnectionDrop("offline mid-install")
    installed, msg = await d.install(data, args)
    return ok(msg + "\n", 0 if installed else 1)


def dumpsys_package(d: SimulatedGalaxy, name: str) -> str:
    """The parts of ``dumpsys package PKG`` tools parse (adbutils' app_info among them)."""
    p = d.installed_packages.get(name)
    if p is None:
        return f"Dexopt state:\n  Unable to find package: {name}\n"

    def stamp(t: float) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))

    ident = hashlib.sha1(p.package.encode()).hexdigest()[:7]
    package_part, user_part = permission_sections(d, name)
    sig = (p.signature_sha256 or "0" * 8)[:8]
    flags = "SYSTEM HAS_CODE ALLOW_CLEAR_USER_DATA" if p.system else "HAS_CODE ALLOW_CLEAR_USER_DATA"
    return (
        "Packages:\n"
        f"  Package [{p.package}] ({ident}):\n"
        f"    userId={p.uid}\n"
        f"    pkg=Package{{{ident} {p.package}}}\n"
        f"    codePath={posixpath.dirname(p.path)}\n"
        f"    versionCode={p.version_code} minSdk={p.min_sdk} targetSdk={p.target_sdk}\n"
        f"    versionName={p.version_name or 'null'}\n"
        f"    flags=[ {flags} ]\n"
        f"    pkgFlags=[ {flags} ]\n"
        f"    firstInstallTime={stamp(p.first_install)}\n"
        f"    lastUpdateTime={stamp(p.last_update)}\n"
        f"    splits=[{', '.join(('base', *p.splits))}]\n"
        f"    signatures=PackageSignatures{{{ident} version:2, signatures:[{sig}], past signatures:[]}}\n"
        + package_part
        + f"    User 0: ceDataInode=0 installed=true hidden=false suspended=false stopped=false notLaunched=false "
        f"enabled={0 if p.enabled else 3}\n" + user_part
    )

"""The package installer's sessions, as ``adb install-multiple`` and split-APK installers drive them.

``pm install-create`` / ``cmd package install-create [-S TOTAL] [-r] [-t] [-d] [-g] [-p PKG]``
answers ``Success: created install session [N]`` (AOSP ``PackageManagerShellCommand
.runInstallCreate``: "adb depends on parsing this string"). ``install-write [-S SIZE] N NAME
[PATH|-]`` stages one APK: from stdin (``-`` or no path: adb streams it over ``exec:`` with its
size) or from a file the shell can read (Android 9+: ``openFileForSystem``); Android 8.x's
``cmd package`` answers "Error: APK content must be streamed" to a path. It answers
``Success: streamed SIZE bytes``. ``install-commit N`` installs the staged APKs together and
answers ``Success`` or ``Failure [CODE: message]``; ``install-abandon N`` drops the session. An
unknown session id is a ``SecurityException: Caller has no access to session N``.

The commit checks what ``PackageInstallerSession.validateApkInstallLocked`` checks, in its order:
each APK parses and its signature verifies for this Android version; no split name twice; every
APK has the first one's package, versionCode and signer; a full install has a base APK; a base
that requires splits does not come alone (``INSTALL_FAILED_MISSING_SPLIT``). Then the package
manager's own rules: minSdk (``INSTALL_FAILED_OLDER_SDK``), an update signed by another key
(``INSTALL_FAILED_UPDATE_INCOMPATIBLE``), a lower versionCode without ``-d``
(``INSTALL_FAILED_VERSION_DOWNGRADE``). A plain ``pm install`` is a session of one APK.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kitstation.android.apksig import VerifyError, verify
from kitstation.simulator.android.apk import ApkError, ApkInfo, parse_apk
from kitstation.simulator.android.shell.result import ConnectionDrop, ShellResult, err, ok, opt_user

if TYPE_CHECKING:
    from kitstation.simulator.android.device import SimulatedGalaxy

# Android 9 (API 28) opens install-write's PATH for the shell (openFileForSystem, the source that
# also validates .dm files); Android 8.x's PackageManagerShellCommand refuses a path.
SDK_WRITE_FROM_PATH = 28
SDK_STREAM_ONLY = 26
_TRACE = (
    "\tat com.android.server.pm.PackageInstallerService.openSessionInternal(PackageInstallerService.java:1003)\n"
    "\tat com.android.server.pm.PackageInstallerService.openSession(PackageInstallerService.java:992)\n"
    "\tat com.android.server.pm.PackageManagerShellCommand.doWriteSplit(PackageManagerShellCommand.java:3411)\n"
)


@dataclass
class InstallSession:
    """One open session: its flags and the APKs written so far (name -> bytes)."""

    session_id: int
    args: list[str]
    inherit: str | None = None  # -p PKG: add splits to an installed package (MODE_INHERIT_EXISTING)
    files: dict[str, bytes] = field(default_factory=dict)

    def staged(self, name: str) -> str:
        return f"/data/app/vmdl{self.session_id}.tmp/{name}"


def _no_access(session_id: str) -> ShellResult:
    return err(
        f"Exception occurred while executing 'install':\njava.lang.SecurityException: Caller has no access to session"
        f" {session_id}\n{_TRACE}",
        255,
    )


def _session(d: SimulatedGalaxy, raw: str | None) -> InstallSession | None:
    if raw is None or not raw.lstrip("-").isdigit():
        return None
    with d._lock:
        return d.install_sessions.get(int(raw))


async def session_command(d: SimulatedGalaxy, sub: str, args: list[str], stdin: bytes) -> ShellResult:
    """``install-create`` / ``install-write`` / ``install-commit`` / ``install-abandon``."""
    args = opt_user(args)
    if sub == "install-create":
        inherit = None
        if "-p" in args:
            i = args.index("-p")
            inherit = args[i + 1] if i + 1 < len(args) else None
        with d._lock:
            session_id = d._rng.randint(1, 2**31 - 1)
            d.install_sessions[session_id] = InstallSession(session_id, list(args), inherit)
        return ok(f"Success: created install session [{session_id}]\n")
    if sub == "install-write":
        size: int | None = None
        if "-S" in args:
            i = args.index("-S")
            size = int(args[i + 1]) if i + 1 < len(args) and args[i + 1].isdigit() else None
            args = args[:i] + args[i + 2 :]
        rest = args
        session = _session(d, rest[0] if rest else None)
        if session is None:
            return _no_access(rest[0] if rest else "")
        name = rest[1] if len(rest) > 1 else f"{len(session.files)}.apk"
        path = rest[2] if len(rest) > 2 else "-"
        if path != "-":
            if SDK_STREAM_ONLY <= d.sdk < SDK_WRITE_FROM_PATH:
                return ok("Error: APK content must be streamed\n", 1)
            data = d.read_file(path)
            if data is None:
                return err(f"Error: Unable to open file: {path}\nConsider using a file under /data/local/tmp/\n", 255)
        else:
            if not size or size <= 0:
                return err("Error: must specify a APK size\n", 1)
            data = stdin[:size]
            if len(data) < size:
                return ok(f"Error: failed to write; Unexpected EOF after {len(data)} of {size} bytes\n", 1)
        with d._lock:
            session.files[name] = data
        return ok(f"Success: streamed {len(data)} bytes\n")
    if sub in ("install-commit", "install-abandon"):
        session = _session(d, args[0] if args else None)
        if session is None:
            return _no_access(args[0] if args else "")
        with d._lock:
            d.install_sessions.pop(session.session_id, None)
        if sub == "install-abandon":
            return ok("Success\n")
        installed, msg = await commit_apks(d, list(session.files.items()), session.args, session=session)
        return ok(msg + "\n", 0 if installed else 1)
    return err(f"Unknown command: {sub}\n", 255)


def _failure(code: str, message: str) -> tuple[bool, str]:
    return False, f"Failure [{code}: {message}]"


async def commit_apks(
    d: SimulatedGalaxy, apks: list[tuple[str, bytes]], args: list[str], *, session: InstallSession | None = None
) -> tuple[bool, str]:
    """Install APKs together as PackageManager would; (success, "Success" / "Failure [...]")."""
    from kitstation.simulator.android.device import INSTALL_SECONDS

    await asyncio.sleep(INSTALL_SECONDS * max(1, len(apks)) / d.speed)
    fail = d._take_fault("install-fail")
    if fail is not None:
        return False, f"Failure [{fail.arg}]"
    if not apks:
        return _failure("INSTALL_FAILED_INVALID_APK", "No packages staged")
    sid = session.session_id if session is not None else 1874501334
    infos: list[tuple[str, ApkInfo]] = []
    for name, data in apks:
        staged = f"/data/app/vmdl{sid}.tmp/{name}"
        try:
            info = parse_apk(data)
        except ApkError as exc:
            return _failure("INSTALL_PARSE_FAILED_NOT_APK", f"Failed to parse {staged}: {exc}")
        if info.min_sdk > d.sdk:
            # The parser checks the manifest's minSdkVersion before it looks at signatures.
            return _failure(
                "INSTALL_FAILED_OLDER_SDK",
                f"Failed parse during installPackageLI: {staged} (at Binary XML file line #7): Requires newer sdk"
                f" version #{info.min_sdk} (current version is #{d.sdk})",
            )
        try:
            verify(data, d.sdk, info.target_sdk, info.package)
        except VerifyError as exc:
            return False, f"Failure [INSTALL_PARSE_FAILED_NO_CERTIFICATES: {exc.android_message(staged)}]"
        infos.append((staged, info))
    seen: set[str | None] = set()
    first = infos[0][1]
    for staged, info in infos:
        if info.split in seen:
            return _failure("INSTALL_FAILED_INVALID_APK", f"Split {info.split} was defined multiple times")
        seen.add(info.split)
        if info.package != first.package:
            return _failure(
                "INSTALL_FAILED_INVALID_APK", f"{staged} package {info.package} inconsistent with {first.package}"
            )
        if info.version_code != first.version_code:
            return _failure(
                "INSTALL_FAILED_INVALID_APK",
                f"{staged} version code {info.version_code} inconsistent with {first.version_code}",
            )
        if info.certificate_der != first.certificate_der:
            return _failure("INSTALL_FAILED_INVALID_APK", f"{staged} signatures are inconsistent")
    base = next((i for _, i in infos if i.split is None), None)
    with d._lock:
        existing = d.installed_packages.get(first.package)
    inherit = session.inherit if session is not None else None
    if base is None:
        if inherit is None or existing is None or inherit != first.package:
            return _failure("INSTALL_FAILED_INVALID_APK", "Full install must include a base package")
        if first.version_code != existing.version_code:
            return _failure(
                "INSTALL_FAILED_INVALID_APK",
                f"{infos[0][0]} version code {first.version_code} inconsistent with {existing.version_code}",
            )
    elif base.split_required and len(infos) == 1:
        return _failure("INSTALL_FAILED_MISSING_SPLIT", f"Missing split for {base.package}")
    return _register(d, base or first, infos, apks, args, existing_splits=bool(base is None))


def _register(
    d: SimulatedGalaxy,
    base: ApkInfo,
    infos: list[tuple[str, ApkInfo]],
    apks: list[tuple[str, bytes]],
    args: list[str],
    *,
    existing_splits: bool,
) -> tuple[bool, str]:
    from kitstation.simulator.android.device import InstalledPackage, _File

    sig = hashlib.sha256(base.certificate_der or b"").hexdigest()
    with d._lock:
        old = d.installed_packages.get(base.package)
        if old is not None:
            if old.signature_sha256 is not None and old.signature_sha256 != sig:
                return _failure(
                    "INSTALL_FAILED_UPDATE_INCOMPATIBLE",
                    f"Package {base.package} signatures do not match previously installed version; ignoring!",
                )
            if base.version_code < old.version_code and "-d" not in args:
                return _failure(
                    "INSTALL_FAILED_VERSION_DOWNGRADE",
                    f"Downgrade detected: Update version code {base.version_code} is older than current"
                    f" {old.version_code}",
                )
        tag = "".join(
            d._rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(22)
        )
        folder = f"/data/app/~~{tag[:11]}==/{base.package}-{tag[11:]}=="
        splits = tuple(sorted(i.split for _, i in infos if i.split))
        requested = tuple(dict.fromkeys(p for _, i in infos for p in i.uses_permissions))
        version = (base.version_code, base.version_name, base.admin_receivers, base.min_sdk, base.target_sdk)
        if existing_splits and old is not None:
            # MODE_INHERIT_EXISTING: the installed base stays, the new splits join it.
            splits = tuple(sorted(set(old.splits) | set(splits)))
            requested = tuple(dict.fromkeys((*old.requested_permissions, *requested)))
            version = (old.version_code, old.version_name, old.admin_receivers, old.min_sdk, old.target_sdk)
        from kitstation.simulator.android.shell.grants import is_runtime

        kept = {p for p in (old.granted if old else set()) if p in requested}
        if "-g" in args:
            kept |= {p for p in requested if is_runtime(p, d.sdk)}
        uid = old.uid if old else d._next_uid
        if old is None:
            d._next_uid += 1
        if old is not None:
            d.files.pop(old.path, None)
        d.installed_packages[base.package] = InstalledPackage(
            base.package,
            f"{folder}/base.apk",
            version[0],
            version[1],
            version[2],
            sig,
            system=False,
            uid=uid,
            first_install=old.first_install if old else time.time(),
            splits=splits,
            requested_permissions=requested,
            granted=kept,
            min_sdk=version[3],
            target_sdk=version[4],
        )
        for (_, info), (_, data) in zip(infos, apks, strict=True):
            d.files[f"{folder}/{'split_' + info.split if info.split else 'base'}.apk"] = _File(data)
    return True, "Success"


def drop_mid_write(d: SimulatedGalaxy) -> None:
    """The offline-mid-install fault inside a command (not while adbd streams): the cable drops."""
    if d._take_fault("offline-mid-install") is not None:
        raise ConnectionDrop("offline mid-install")


__all__ = ["InstallSession", "commit_apks", "session_command"]

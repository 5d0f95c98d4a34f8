"""The simulated ``com.apple.mobile.installation_proxy`` service: installd's answers, as a device gives them.

Plain (no TLS) 4-byte big-endian length + plist, like the other lockdown services.
``{Command, ClientOptions, PackagePath | ApplicationIdentifier}`` in; progress out as
``{Status: <stage>, PercentComplete: n}`` messages and finally ``{Status: "Complete"}``, or
``{Error: <name>, ErrorDescription, ErrorDetail}`` (the names libimobiledevice's
``src/installation_proxy.c`` and pymobiledevice3's ``services/installation_proxy.py`` read).

What installd decides (each a row of docs/FIDELITY.md):
- the package path is read inside the AFC jail (``PublicStaging/…``); a missing file is
  ``APIInternalError``; a file that is not a zip, or has no ``Payload/<X>.app/Info.plist``, is
  ``PackageExtractionFailed`` / ``PackageInspectionFailed``; no ``CFBundleIdentifier`` /
  ``CFBundleVersion`` is ``MissingBundleIdentifier`` / ``MissingBundleVersion``;
- ``MinimumOSVersion`` above the device's iOS is ``DeviceOSVersionTooLow`` ("Have 17.0; need 18.0");
- ``UIDeviceFamily`` (1 iPhone, 2 iPad; absent = iPhone only) that does not include the device's
  family is ``DeviceFamilyNotSupported`` (an iPad also runs iPhone apps); no ``CFBundleExecutable``
  in the bundle is ``MissingBundleExecutable``; an executable without an arm64 slice (a build for
  the Simulator's x86_64) is ``IncorrectArchitecture``;
- the code signature needs ``embedded.mobileprovision`` naming this device's UDID in
  ``ProvisionedDevices`` (or ``ProvisionsAllDevices``): otherwise ``ApplicationVerificationFailed``,
  "… 0xe8008015 (A valid provisioning profile for this executable was not found.)";
- an install is all or nothing: the app appears only at ``Complete``. ``unplug-at=install-app``
  pulls the cable halfway and leaves the previous state.
- ``Browse`` pages ``CurrentList`` then ``Complete``; ``Lookup`` answers ``LookupResult`` (with
  ``BundleIDs`` / ``ApplicationType`` / ``ReturnAttributes``); ``Uninstall`` of an installed user app
  reports ``RemovingApplication`` and ``Complete``.
"""

from __future__ import annotations

import asyncio
import io
import plistlib
import re
import uuid
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kitstation.ios.profiles import cms_content
from kitstation.simulator.ios.afc import AFC_SERVICE, MediaFS, serve_afc
from kitstation.simulator.ios.wire import read_plist, write_plist

if TYPE_CHECKING:
    from kitstation.simulator.ios.device import SimulatedIOSDevice

INSTPROXY_SERVICE = "com.apple.mobile.installation_proxy"
CPU_ARM64 = 0x0100000C  # mach/machine.h: CPU_TYPE_ARM | CPU_ARCH_ABI64


@dataclass
class AppState:
    """What AFC and installd keep on one device (wiped by an erase)."""

    media: MediaFS = field(default_factory=MediaFS)
    apps: dict[str, dict[str, Any]] = field(default_factory=dict)  # bundle id -> installd's record


_APP_INFO = re.compile(r"^Payload/([^/]+\.app)/Info\.plist$")
# installd's stages, in the order ideviceinstaller prints them for an install.
INSTALL_STAGES: tuple[tuple[str, int], ...] = (
    ("CreatingStagingDirectory", 5),
    ("ExtractingPackage", 15),
    ("InspectingPackage", 20),
    ("TakingInstallLock", 20),
    ("PreflightingApplication", 30),
    ("InstallingEmbeddedProfile", 30),
    ("VerifyingApplication", 40),
    ("CreatingContainer", 50),
    ("InstallingApplication", 60),
    ("PostflightingApplication", 70),
    ("SandboxingApplication", 80),
    ("GeneratingApplicationMap", 90),
)
NOT_PROVISIONED = "0xe8008015 (A valid provisioning profile for this executable was not found.)"
# A factory-fresh device already holds Apple's apps (Browse/Lookup list them as "System").
SYSTEM_APPS: tuple[tuple[str, str], ...] = (
    ("com.apple.mobilesafari", "Safari"),
    ("com.apple.Preferences", "Settings"),
    ("com.apple.camera", "Camera"),
    ("com.apple.mobilephone", "Phone"),
)


class InstallError(Exception):
    def __init__(self, name: str, description: str, detail: int | None = None) -> None:
        super().__init__(description)
        self.name = name
        self.description = description
        self.detail = detail

    def message(self) -> dict[str, Any]:
        out: dict[str, Any] = {"Error": self.name, "ErrorDescription": self.description}
        if self.detail is not None:
            out["ErrorDetail"] = self.detail
        return out


def system_apps(dev: SimulatedIOSDevice) -> dict[str, dict[str, Any]]:
    return {
        bid: {
            "CFBundleIdentifier": bid,
            "CFBundleDisplayName": name,
            "CFBundleName": name,
            "CFBundleShortVersionString": dev.product_version,
            "CFBundleVersion": dev.build_version,
            "ApplicationType": "System",
            "Path": f"/Applications/{name}.app",
        }
        for bid, name in SYSTEM_APPS
    }


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for p in text.split("."):
        digits = re.match(r"\d*", p)
        parts.append(int(digits.group(0)) if digits and digits.group(0) else 0)
    return tuple(parts)


def inspect_package(dev: SimulatedIOSDevice, data: bytes, staged: str) -> dict[str, Any]:
    """The app record installd would make from ``data``, or :class:`InstallError` saying why not."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = zf.namelist()
    except (zipfile.BadZipFile, ValueError):
        raise InstallError("PackageExtractionFailed", f"Failed to extract package at {staged}.") from None
    found = [m.group(1) for m in map(_APP_INFO.match, names) if m]
    if not found:
        raise InstallError("PackageInspectionFailed", f"Failed to get the bundle from the package at {staged}.")
    app = found[0]
    try:
        info = plistlib.loads(zf.read(f"Payload/{app}/Info.plist"))
    except Exception:
        raise InstallError("PackageInspectionFailed", f"Failed to load Info.plist from bundle at {app}.") from None
    if not isinstance(info, dict) or not isinstance(info.get("CFBundleIdentifier"), str):
        raise InstallError("MissingBundleIdentifier", f"Bundle at {app} does not have a bundle identifier.")
    if not isinstance(info.get("CFBundleVersion"), str):
        raise InstallError("MissingBundleVersion", f"Bundle at {app} does not have a bundle version.")
    need = str(info.get("MinimumOSVersion", "1.0"))
    if _version_tuple(need) > _version_tuple(dev.product_version):
        raise InstallError(
            "DeviceOSVersionTooLow",
            f"The system version is lower than the minimum OS version specified for bundle at {app}."
            f" Have {dev.product_version}; need {need}",
            9,
        )
    families = info.get("UIDeviceFamily", [1])
    families = [int(f) for f in (families if isinstance(families, list) else [families]) if str(f).isdigit()]
    accepted = {1, 2} if dev.device_class == "iPad" else {1}
    if not set(families) & accepted:
        raise InstallError(
            "DeviceFamilyNotSupported",
            f"This application does not support this device's family ({dev.device_class}); UIDeviceFamily {families}.",
        )
    executable = f"Payload/{app}/{info.get('CFBundleExecutable', app.removesuffix('.app'))}"
    if executable not in names:
        raise InstallError("MissingBundleExecutable", f"The bundle at {app} does not contain an executable.")
    if not _arm64(zf.read(executable)):
        raise InstallError("IncorrectArchitecture", f"Failed to find matching arch for input file: {executable}")
    if not _provisioned(zf, app, dev.udid):
        raise InstallError(
            "ApplicationVerificationFailed",
            f"Failed to verify code signature of /private/var/installd/Library/Caches/com.apple.mobile.installd.staging/"
            f"temp/extracted/Payload/{app} : {NOT_PROVISIONED}",
            13,
        )
    bundle = app.removesuffix(".app")
    return {
        "CFBundleIdentifier": info["CFBundleIdentifier"],
        "CFBundleShortVersionString": str(info.get("CFBundleShortVersionString", info["CFBundleVersion"])),
        "CFBundleVersion": info["CFBundleVersion"],
        "CFBundleDisplayName": str(info.get("CFBundleDisplayName", bundle)),
        "CFBundleName": str(info.get("CFBundleName", bundle)),
        "CFBundleExecutable": str(info.get("CFBundleExecutable", bundle)),
        "MinimumOSVersion": need,
        "UIDeviceFamily": families,
        "ApplicationType": "User",
        "ProfileValidated": True,
        "Path": f"/private/var/containers/Bundle/Application/{str(uuid.uuid4()).upper()}/{app}",
    }


def _arm64(executable: bytes) -> bool:
    """Does the Mach-O (thin or fat) hold an arm64 slice, the only one current iPhones and iPads run?"""
    if len(executable) >= 8 and executable[:4] == b"\xcf\xfa\xed\xfe":
        return int.from_bytes(executable[4:8], "little") == CPU_ARM64
    if len(executable) >= 8 and executable[:4] == b"\xca\xfe\xba\xbe":  # fat: big-endian arch table
        count = int.from_bytes(executable[4:8], "big")
        types = [int.from_bytes(executable[8 + 20 * i : 12 + 20 * i], "big") for i in range(min(count, 16))]
        return CPU_ARM64 in types
    return False


def _provisioned(zf: zipfile.ZipFile, app: str, udid: str) -> bool:
    try:
        raw = zf.read(f"Payload/{app}/embedded.mobileprovision")
        profile = plistlib.loads(cms_content(raw))
    except Exception:
        return False  # no profile (a store build outside the store), or one that is not CMS
    if not isinstance(profile, dict):
        return False
    if profile.get("ProvisionsAllDevices") is True:
        return True
    devices = profile.get("ProvisionedDevices") or []
    return isinstance(devices, list) and udid in devices


def _select(dev: SimulatedIOSDevice, options: dict[str, Any]) -> list[dict[str, Any]]:
    kind = str(options.get("ApplicationType", "Any"))
    apps = [*system_apps(dev).values(), *dev.app_state.apps.values()]
    if kind != "Any":
        apps = [a for a in apps if a["ApplicationType"] == kind]
    ids = options.get("BundleIDs")
    if isinstance(ids, list):
        apps = [a for a in apps if a["CFBundleIdentifier"] in ids]
    attrs = options.get("ReturnAttributes")
    if isinstance(attrs, list):
        apps = [{k: v for k, v in a.items() if k in attrs} for a in apps]
    return apps


async def serve_instproxy(dev: SimulatedIOSDevice, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while True:
        msg = await read_plist(reader)
        if msg is None:
            return
        command = str(msg.get("Command", ""))
        options = msg.get("ClientOptions") or {}
        if not isinstance(options, dict):
            options = {}
        if command in ("Install", "Upgrade"):
            await _install(dev, writer, str(msg.get("PackagePath", "")))
        elif command == "Uninstall":
            await _uninstall(dev, writer, str(msg.get("ApplicationIdentifier", "")))
        elif command == "Browse":
            await dev.step("lookup-apps")
            apps = _select(dev, options)
            for start in range(0, len(apps), 10):
                page = apps[start : start + 10]
                await write_plist(
                    writer,
                    {
                        "Status": "BrowsingApplications",
                        "CurrentIndex": start,
                        "CurrentAmount": len(page),
                        "Total": len(apps),
                        "CurrentList": page,
                    },
                )
            await write_plist(writer, {"Status": "Complete"})
        elif command == "Lookup":
            await dev.step("lookup-apps")
            found = {a["CFBundleIdentifier"]: a for a in _select(dev, {**options, "ReturnAttributes": None})}
            attrs = options.get("ReturnAttributes")
            if isinstance(attrs, list):
                found = {k: {a: v for a, v in app.items() if a in attrs} for k, app in found.items()}
            await write_plist(writer, {"LookupResult": found, "Status": "Complete"})
        else:
            await write_plist(writer, {"Error": "UnknownCommand", "ErrorDescription": f"Unknown command {command!r}"})


async def _install(dev: SimulatedIOSDevice, writer: asyncio.StreamWriter, package_path: str) -> None:
    if not package_path:
        await write_plist(writer, {"Error": "MissingPackagePath", "ErrorDescription": "No package path was given."})
        return
    data = dev.app_state.media.read(package_path)
    try:
        if data is None:
            raise InstallError("APIInternalError", f"Could not read the package at {package_path}: No such file")
        await write_plist(writer, {"Status": INSTALL_STAGES[0][0], "PercentComplete": INSTALL_STAGES[0][1]})
        record = inspect_package(dev, data, package_path)
    except InstallError as exc:
        await write_plist(writer, exc.message())
        return
    for stage, percent in INSTALL_STAGES[1:6]:
        await write_plist(writer, {"Status": stage, "PercentComplete": percent})
    # The modelled time of the install (and where unplug-at=install-app pulls the cable).
    await dev.step("install-app")
    for stage, percent in INSTALL_STAGES[6:]:
        await write_plist(writer, {"Status": stage, "PercentComplete": percent})
    dev.app_state.apps[record["CFBundleIdentifier"]] = record
    await write_plist(writer, {"Status": "Complete"})


async def _uninstall(dev: SimulatedIOSDevice, writer: asyncio.StreamWriter, bundle_id: str) -> None:
    await dev.step("uninstall-app")
    await write_plist(writer, {"Status": "RemovingApplication", "PercentComplete": 50})
    dev.app_state.apps.pop(bundle_id, None)
    await write_plist(writer, {"Status": "GeneratingApplicationMap", "PercentComplete": 90})
    await write_plist(writer, {"Status": "Complete"})


ServiceHandler = Callable[["SimulatedIOSDevice", asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
# The app services lockdownd starts (plain, no service TLS): the device's port handler looks here.
APP_SERVICES: dict[str, ServiceHandler] = {AFC_SERVICE: serve_afc, INSTPROXY_SERVICE: serve_instproxy}

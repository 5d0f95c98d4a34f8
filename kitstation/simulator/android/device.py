"""One simulated Galaxy: its state (props, files, packages, device owner, settings, accounts, users).

What it answers over ``adb shell`` lives in :mod:`kitstation.simulator.android.shell` (an interpreter
and one module per command family); this module holds the state those commands read and change,
the controls tests use (accept USB debugging, add an account, factory reset) and the package
manager's install path.

State is touched from two threads — controls from the code under test, commands on the simulator's
loop — so every change holds ``self._lock``. Commands are coroutines only because some take simulated
time (install, ``slow-shell``); they never block the loop.
"""

from __future__ import annotations

import posixpath
import random
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kitstation.simulator.android.catalog import GalaxyModel, build_props, make_chip_id
from kitstation.simulator.android.faults import Fault
from kitstation.simulator.android.requests import RequestLog
from kitstation.simulator.android.shell.interpreter import run_shell
from kitstation.simulator.android.shell.result import ConnectionDrop, ShellResult

if TYPE_CHECKING:
    from kitstation.simulator.android.adbd import DeviceServer
    from kitstation.simulator.android.shell.pmsession import InstallSession

# A phone on a bench USB port (about 0.5 A) gains roughly 1 % in 90 s; divided by nothing, multiplied by speed.
CHARGE_PERCENT_PER_SECOND = 1 / 90
DEFAULT_BATTERY_PERCENT = 80

# Real-device durations in seconds, divided by the simulator's speed.
BOOT_SECONDS = 25.0
INSTALL_SECONDS = 1.5
RESEAT_SECONDS = 2.0

__all__ = ["BOOT_SECONDS", "INSTALL_SECONDS", "RESEAT_SECONDS", "ConnectionDrop", "InstalledPackage", "SimulatedGalaxy"]

WRITABLE_ROOTS = ("/data/local/tmp", "/storage/emulated/0")

_SYSTEM_PACKAGES = {
    "android": "/system/framework/framework-res.apk",
    "com.android.settings": "/system/priv-app/SecSettings/SecSettings.apk",
    "com.android.shell": "/system/priv-app/Shell/Shell.apk",
    "com.android.vending": "/system/priv-app/Phonesky/Phonesky.apk",
    "com.google.android.gms": "/system/priv-app/GmsCore/GmsCore.apk",
    "com.android.chrome": "/system/app/Chrome/Chrome.apk",
    "com.google.android.youtube": "/system/app/YouTube/YouTube.apk",
    "com.sec.android.app.launcher": "/system/priv-app/TouchWizHome/TouchWizHome.apk",
    "com.samsung.android.knox.containercore": "/system/priv-app/KnoxCore/KnoxCore.apk",
    "com.samsung.android.kgclient": "/system/priv-app/KnoxGuard/KnoxGuard.apk",
    "com.samsung.klmsagent": "/system/priv-app/KLMSAgent/KLMSAgent.apk",
    "com.sec.enterprise.knox.cloudmdm.smdms": "/system/priv-app/KnoxMobileEnrollment/KME.apk",
    "com.samsung.android.app.spage": "/system/app/BixbyHome/BixbyHome.apk",
    "com.sec.android.app.sbrowser": "/system/app/SBrowser/SBrowser.apk",
}


@dataclass
class InstalledPackage:
    """A package as PackageManager knows it."""

    package: str
    path: str
    version_code: int = 0
    version_name: str = ""
    admin_receivers: tuple[str, ...] = ()
    signature_sha256: str | None = None
    system: bool = False
    enabled: bool = True
    uid: int = 10000
    first_install: float = field(default_factory=time.time)
    last_update: float = field(default_factory=time.time)
    splits: tuple[str, ...] = ()  # split names installed with the base ("config.arm64_v8a")
    requested_permissions: tuple[str, ...] = ()  # uses-permission of base and splits
    granted: set[str] = field(default_factory=set)  # runtime permissions granted (user 0)
    min_sdk: int = 24
    target_sdk: int = 33


@dataclass
class _File:
    data: bytes
    mode: int = 0o100644
    mtime: int = field(default_factory=lambda: int(time.time()))


class SimulatedGalaxy:
    """A Galaxy phone or tablet behind a simulated adbd (see ``AndroidSimulator.plug``)."""

    def __init__(
        self,
        *,
        index: int,
        model: GalaxyModel,
        serial: str,
        imeis: tuple[str, ...],
        authorized: bool,
        speed: float,
        rng: random.Random,
        faults: list[Fault],
        props: dict[str, str] | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self.index = index
        self.catalog = model
        self.serial = serial
        self.imeis = imeis
        self.speed = speed
        self._rng = rng
        self._initially_authorized = authorized
        self.authorized = authorized
        self._prop_overrides = dict(props or {})
        self.faults = list(faults)
        self.port = 0
        self.reboot_count = 0
        self.plugged = False
        self.cable_settled = threading.Event()  # clear while a pulled cable is still coming out
        self.cable_settled.set()
        self.booting = False  # rebooting or re-seating: off the bus until it is attached again
        self.server: DeviceServer | None = None
        self.android_id = f"{rng.getrandbits(64):016x}"
        self.chip_id = make_chip_id(rng)  # ro.serialno of models whose adb serial is not the box S/N
        # The bench's Wi-Fi (SSID -> passphrase, "" for an open network): the room, not the phone,
        # so a wipe keeps it. Empty by default: no network joins unless a test or fault adds one.
        self.access_points: dict[str, str] = {}
        # Charge level when the unit reached the bench, rising while it sits on the cable.
        self._battery_start = float(DEFAULT_BATTERY_PERCENT)
        self._battery_since = time.monotonic()
        self.charging = True  # False: a port or cable that gives no power (fault no-charge)
        self._fresh_state()
        for f in self.faults:
            self._apply_static_fault(f)
        # Every adb request, in order, and the faults aimed at the N-th one (requests.py).
        self.requests = RequestLog(self.faults, self._lock)

    # ------------------------------------------------------------------ identity

    @property
    def adb_serial(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def serialno(self) -> str:
        """``ro.serialno``: the adb serial and the station's key (the box S/N on most models)."""
        return self.props["ro.serialno"]

    @property
    def model(self) -> str:
        return self.catalog.model

    @property
    def marketing_name(self) -> str:
        return self.catalog.marketing_name

    @property
    def android_version(self) -> str:
        return self.props["ro.build.version.release"]

    @property
    def sdk(self) -> int:
        return int(self.props["ro.build.version.sdk"])

    def __repr__(self) -> str:
        return f"<SimulatedGalaxy {self.model} {self.serial} {self.adb_serial}>"

    # ------------------------------------------------------------------ state

    def _fresh_state(self, *, out_of_box: bool = False) -> None:
        """The state of a unit as it reaches the bench, or (``out_of_box``) right after a wipe.

        A phone that answers over adb has finished the setup wizard: Developer options and USB
        debugging can only be switched on from Settings, after setup. A wiped phone sits at the
        welcome screen with USB debugging off (``adb_enabled`` 0): it is not on adb at all.
        """
        done = "0" if out_of_box else "1"
        with self._lock:
            self.props = build_props(self.catalog, self.serial, self.imeis, self.chip_id)
            self.props.update(self._prop_overrides)
            self.installed_packages: dict[str, InstalledPackage] = {
                pkg: InstalledPackage(pkg, path, system=True, uid=1000 + i)
                for i, (pkg, path) in enumerate(sorted(_SYSTEM_PACKAGES.items()))
            }
            self.device_owner: str | None = None
            self.active_admins: list[str] = []
            self.accounts: list[tuple[str, str]] = []
            self.users: list[int] = [0]
            self.settings: dict[str, dict[str, str]] = {
                "global": {
                    "adb_enabled": done,
                    "development_settings_enabled": done,
                    "device_provisioned": done,
                    "auto_time": "1",
                    "stay_on_while_plugged_in": "0",
                    "airplane_mode_on": "0",
                    # Settings › About phone shows this; a new or wiped Galaxy is named after its model.
                    "device_name": self.catalog.marketing_name,
                },
                "secure": {"user_setup_complete": done, "android_id": self.android_id},
                "system": {"screen_brightness": "128", "screen_off_timeout": "30000", "font_scale": "1.0"},
            }
            self.files: dict[str, _File] = {}
            self.dirs: set[str] = {
                "/",
                "/data",
                "/data/local",
                "/data/local/tmp",
                "/sdcard",
                "/storage",
                "/storage/emulated",
                "/storage/emulated/0",
                "/storage/emulated/0/Download",
                "/system",
                "/system/app",
                "/system/priv-app",
            }
            self.install_sessions: dict[int, InstallSession] = {}  # pm install-create .. commit
            self.wifi_networks: list[tuple[str, str]] = []  # (SSID, security) as cmd wifi saved them
            self.wifi_connected: str | None = None
            self.wm_size: str | None = None
            self.wm_density: int | None = None
            self._next_uid = 10200

    def _apply_static_fault(self, f: Fault) -> None:
        if f.kind == "unauthorized":
            self.authorized = self._initially_authorized = False
        elif f.kind == "account":
            self.add_account(f.arg or "com.google")
        elif f.kind == "users":
            while len(self.users) < int(f.arg or "1"):
                self.add_user()
        elif f.kind == "setup-wizard":
            self.set_provisioned(False)
        elif f.kind == "battery":
            self.set_battery(float(f.arg or DEFAULT_BATTERY_PERCENT))
        elif f.kind == "no-charge":
            self.charging = False
        elif f.kind == "wifi-ap":
            ssid, _, passphrase = (f.arg or "").partition("/")
            self.access_points[ssid] = passphrase

    def _take_fault(self, kind: str) -> Fault | None:
        """Consume a one-shot fault of ``kind`` (the first queued for this device)."""
        with self._lock:
            for f in self.faults:
                if f.kind == kind:
                    self.faults.remove(f)
                    return f
        return None

    def _shell_delay(self) -> float:
        with self._lock:
            return sum(float(f.arg or 0) for f in self.faults if f.kind == "slow-shell") / self.speed

    def set_battery(self, percent: float, *, charging: bool | None = None) -> None:
        """Set the charge level now; it rises from here while the phone is on the bench (and charging)."""
        with self._lock:
            if charging is not None:
                self.charging = charging
            self._battery_start = max(0.0, min(100.0, percent))
            self._battery_since = time.monotonic()

    def battery_level(self) -> int:
        """The level ``dumpsys battery`` reports: CHARGE_PERCENT_PER_SECOND × speed since it was set."""
        with self._lock:
            elapsed = time.monotonic() - self._battery_since if self.charging else 0.0
            return int(min(100.0, self._battery_start + elapsed * CHARGE_PERCENT_PER_SECOND * self.speed))

    @property
    def provisioned(self) -> bool:
        with self._lock:
            return self.settings["secure"].get("user_setup_complete") == "1"

    # ------------------------------------------------------------------ controls (any thread)

    def accept_usb_debugging(self) -> None:
        """The user taps "Allow" on the RSA key dialog: a waiting connection comes online."""
        with self._lock:
            self.authorized = True
        if self.server is not None:
            self.server.notify_authorized()

    def add_account(self, type: str = "com.google", name: str | None = None) -> None:  # noqa: A002 - matches the brief's API
        with self._lock:
            self.accounts.append((name or f"kitting{len(self.accounts) + 1}@example.com", type))

    def add_user(self) -> int:
        with self._lock:
            uid = max(self.users) + 1 if max(self.users) >= 10 else 10
            self.users.append(uid)
            return uid

    def set_provisioned(self, value: bool) -> None:
        """Setup wizard finished (True) or not (False), USB debugging as it is."""
        with self._lock:
            self.settings["global"]["device_provisioned"] = "1" if value else "0"
            self.settings["secure"]["user_setup_complete"] = "1" if value else "0"

    @property
    def adb_enabled(self) -> bool:
        with self._lock:
            return self.settings["global"].get("adb_enabled") == "1"

    def factory_reset(self) -> None:
        """Factory data reset from Settings or recovery: wiped, rebooted to the welcome screen.

        USB debugging is off afterwards, so the phone does not come back on adb until someone
        finishes the setup wizard and turns it on again (``enable_usb_debugging``).
        """
        self._wipe()
        self.reboot()

    def enable_usb_debugging(self) -> None:
        """The technician finishes setup, enables Developer options and USB debugging: adb sees it again."""
        with self._lock:
            self.set_provisioned(True)
            self.settings["global"]["adb_enabled"] = "1"
            self.settings["global"]["development_settings_enabled"] = "1"
        if self.server is not None:
            self.server.schedule_attach()

    def reboot(self) -> None:
        """Reboot: the adb connection drops; after the boot time the device is back."""
        if self.server is not None:
            self.booting = True
            self.server.schedule_reboot()

    def _wipe(self) -> None:
        with self._lock:
            self._fresh_state(out_of_box=True)
            # A wipe forgets the adb keys this phone trusted: the RSA dialog shows again next time.
            self.authorized = False

    # ------------------------------------------------------------------ banner

    def banner(self, features: str) -> bytes:
        p = self.props
        return (
            f"device::ro.product.name={p['ro.product.name']};ro.product.model={p['ro.product.model']};"
            f"ro.product.device={p['ro.product.device']};features={features}"
        ).encode()

    # ------------------------------------------------------------------ files (sync service)

    @staticmethod
    def norm(path: str) -> str:
        path = posixpath.normpath("/" + path.lstrip("/")) if path else "/"
        if path == "/sdcard" or path.startswith("/sdcard/"):
            path = "/storage/emulated/0" + path[len("/sdcard") :]
        return path

    def stat(self, path: str) -> tuple[int, int, int] | None:
        """``(mode, size, mtime)`` or None if absent."""
        path = self.norm(path)
        with self._lock:
            if path in self.files:
                f = self.files[path]
                return f.mode, len(f.data), f.mtime
            if path in self.dirs:
                return 0o40771, 4096, int(time.time())
        return None

    def listdir(self, path: str) -> list[tuple[str, int, int, int]] | None:
        path = self.norm(path)
        with self._lock:
            if path not in self.dirs:
                return None
            out = [(".", 0o40771, 4096, 0), ("..", 0o40771, 4096, 0)]
            prefix = path.rstrip("/") + "/"
            for d in sorted(self.dirs):
                if d != path and d.startswith(prefix) and "/" not in d[len(prefix) :]:
                    out.append((d[len(prefix) :], 0o40771, 4096, int(time.time())))
            for p, f in sorted(self.files.items()):
                if p.startswith(prefix) and "/" not in p[len(prefix) :]:
                    out.append((p[len(prefix) :], f.mode, len(f.data), f.mtime))
            return out

    def writable(self, path: str) -> bool:
        path = self.norm(path)
        return any(path == r or path.startswith(r + "/") for r in WRITABLE_ROOTS)

    def write_file(self, path: str, data: bytes, mode: int = 0o644, mtime: int | None = None) -> str | None:
        """Store a file; return an error message (as adbd words it) or None."""
        path = self.norm(path)
        if not self.writable(path):
            if path.startswith("/system"):
                return "couldn't create file: Read-only file system"
            return "couldn't create file: Permission denied"
        with self._lock:
            if path in self.dirs:
                return "couldn't create file: Is a directory"
            parent = posixpath.dirname(path)
            while parent not in self.dirs:
                self.dirs.add(parent)
                parent = posixpath.dirname(parent)
            self.files[path] = _File(data, 0o100000 | (mode & 0o7777), mtime or int(time.time()))
        return None

    def read_file(self, path: str) -> bytes | None:
        path = self.norm(path)
        with self._lock:
            f = self.files.get(path)
            return f.data if f else None

    # ------------------------------------------------------------------ packages

    async def install(self, data: bytes, args: list[str]) -> tuple[bool, str]:
        """Install APK bytes as PackageManager would; returns (success, "Success" / "Failure [...]").

        A plain install is a session of one APK (``shell/pmsession.py`` holds the rules).
        """
        from kitstation.simulator.android.shell.pmsession import commit_apks

        return await commit_apks(self, [("base.apk", data)], args)

    # ------------------------------------------------------------------ the shell

    async def run_shell(self, command: str, stdin: bytes = b"") -> ShellResult:
        """Run one command line as ``/system/bin/sh -c`` would (uid shell)."""
        return await run_shell(self, command, stdin)

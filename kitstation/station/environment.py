"""Can this computer see phones at all? usbmuxd, adb and USB permissions, told apart.

Without usbmuxd (iOS) or adb (Android) the station sees no device of that platform, and "No
devices attached" would be a false statement. These checks run before a bench starts and say
which of the three it is, with what to do:

* usbmuxd missing (not installed), stopped (installed; on Linux udev starts it when an Apple
  device is plugged in, ``systemctl start usbmuxd`` otherwise), or its socket not accessible;
* adb missing (neither on PATH nor bundled with adbutils);
* a Samsung phone on the USB bus whose device node this user cannot open (udev rules and the
  ``plugdev`` group missing: adb would list it as "no permissions").

Only sockets, ``shutil.which`` and sysfs are used here: no device library is imported.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from kitstation.domain.model import Platform
from kitstation.i18n import Text

DEFAULT_USBMUXD = "/var/run/usbmuxd"
WINDOWS_USBMUXD = "127.0.0.1:27015"  # Apple Mobile Device Support listens there
DEFAULT_ADB_PORT = 5037
SAMSUNG_VENDOR = "04e8"
SYSFS_USB = Path("/sys/bus/usb/devices")


@dataclass(frozen=True, slots=True)
class Unreachable:
    """Why one platform's devices cannot be reached; ``code`` is stable for scripts."""

    platform: Platform
    code: str  # usbmuxd_missing, usbmuxd_stopped, usbmuxd_denied, adb_missing, usb_permission
    reason: Text


class AddressError(ValueError):
    """A malformed usbmuxd address (``PATH`` or ``HOST:PORT``)."""

    def __init__(self, reason: Text) -> None:
        self.reason = reason
        super().__init__(reason.en)


def parse_usbmux(value: str) -> tuple[str, int] | str:
    """``HOST:PORT`` as a pair, or a unix socket path; AddressError for anything else.

    The same rule as pymobiledevice3 and libusbmuxd (a ``:`` means TCP), checked here so a typo
    is a one-line reason instead of a traceback deep in a connection.
    """
    v = value.strip()
    if not v or "\x00" in v:
        raise AddressError(Text("--usbmux: empty or invalid address", "--usbmux: アドレスが空か不正です"))
    if ":" not in v:
        return v
    host, sep, port = v.rpartition(":")
    if not host or ":" in host or not port.isdigit() or not 0 < int(port) < 65536:
        raise AddressError(
            Text(
                f"--usbmux: {value!r} is neither a socket path nor HOST:PORT (port 1-65535)",
                f"--usbmux: {value!r} はソケットのパスでも HOST:PORT（ポート 1〜65535）でもありません",
            )
        )
    return host, int(port)


def usbmux_address(given: str | None) -> str:
    """The address the adapters will use: given, ``USBMUXD_SOCKET_ADDRESS``, or the system's."""
    if given:
        return given
    env = os.environ.get("USBMUXD_SOCKET_ADDRESS")
    if env:
        return env
    return WINDOWS_USBMUXD if sys.platform == "win32" else DEFAULT_USBMUXD


def check_usbmux(given: str | None) -> Unreachable | None:
    address = usbmux_address(given)
    try:
        target = parse_usbmux(address)
    except AddressError as exc:
        return Unreachable(Platform.IOS, "usbmuxd_address", exc.reason)
    installed = shutil.which("usbmuxd") is not None or given is not None or sys.platform != "linux"
    family = socket.AF_INET if isinstance(target, tuple) else socket.AF_UNIX
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(2.0)
        try:
            s.connect(target)
            return None
        except PermissionError:
            return Unreachable(
                Platform.IOS,
                "usbmuxd_denied",
                Text(
                    f"usbmuxd at {address} refuses this user (permission denied): check the socket's permissions",
                    f"{address} の usbmuxd に接続する権限がありません: ソケットの権限を確認してください",
                ),
            )
        except (FileNotFoundError, ConnectionRefusedError, TimeoutError, OSError):
            pass
    if not installed:
        return Unreachable(
            Platform.IOS,
            "usbmuxd_missing",
            Text(
                "usbmuxd is not installed, so no iPhone or iPad can be seen: install it (sudo apt install usbmuxd)",
                "usbmuxd がインストールされていないため iPhone/iPad を認識できません: インストールしてください（sudo apt install usbmuxd）",
            ),
        )
    return Unreachable(
        Platform.IOS,
        "usbmuxd_stopped",
        Text(
            f"usbmuxd is not running (nothing answers at {address}): plug in an iPhone or run 'sudo systemctl start usbmuxd'",
            f"usbmuxd が起動していません（{address} に応答がありません）: iPhone を接続するか 'sudo systemctl start usbmuxd' を実行してください",
        ),
    )


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1.0)
        try:
            s.connect(("127.0.0.1", port))
        except OSError:
            return False
        return True


def adb_executable() -> str | None:
    """The adb the adapter would start: ``ADBUTILS_ADB_PATH``, PATH, then the one adbutils bundles."""
    explicit = os.environ.get("ADBUTILS_ADB_PATH")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    found = shutil.which("adb")
    if found:
        return found
    # adbutils may bundle one (wheels for some systems): found without importing adbutils.
    spec = importlib.util.find_spec("adbutils")
    if spec is None or not spec.submodule_search_locations:
        return None
    bundled = Path(list(spec.submodule_search_locations)[0]) / "binaries" / ("adb.exe" if os.name == "nt" else "adb")
    return str(bundled) if bundled.is_file() and os.access(bundled, os.X_OK) else None


def check_adb(port: int | None) -> Unreachable | None:
    chosen = port or int(os.environ.get("ANDROID_ADB_SERVER_PORT") or DEFAULT_ADB_PORT)
    if _port_open(chosen) or adb_executable() is not None:
        return None  # a server answers, or the adapter can start one
    return Unreachable(
        Platform.ANDROID,
        "adb_missing",
        Text(
            f"adb is not installed and no adb server answers on port {chosen}: install it (sudo apt install adb)",
            f"adb がインストールされておらず、ポート {chosen} で adb サーバーが応答しません: インストールしてください（sudo apt install adb）",
        ),
    )


def check_usb_permissions(root: Path = SYSFS_USB, dev_root: Path = Path("/dev/bus/usb")) -> list[Unreachable]:
    """Samsung phones on the bus whose device node this user cannot open (Linux only)."""
    if not root.is_dir():
        return []
    denied: list[str] = []
    for entry in sorted(root.iterdir()):
        try:
            vendor = (entry / "idVendor").read_text().strip()
            if vendor != SAMSUNG_VENDOR:
                continue
            bus = int((entry / "busnum").read_text())
            dev = int((entry / "devnum").read_text())
        except (OSError, ValueError):
            continue
        node = dev_root / f"{bus:03d}" / f"{dev:03d}"
        if node.exists() and not os.access(node, os.R_OK | os.W_OK):
            denied.append(str(node))
    if not denied:
        return []
    nodes = ", ".join(denied)
    return [
        Unreachable(
            Platform.ANDROID,
            "usb_permission",
            Text(
                f"This user may not open the Samsung phone(s) at {nodes}: install adb's udev rules "
                "(Debian: android-sdk-platform-tools-common), join the plugdev group, then log in again",
                f"{nodes} の Samsung 端末を開く権限がありません: adb の udev ルール（Debian: "
                "android-sdk-platform-tools-common）をインストールし、plugdev グループに参加してから再ログインしてください",
            ),
        )
    ]

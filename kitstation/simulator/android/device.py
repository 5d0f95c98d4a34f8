"""One simulated Galaxy: its state (props, files, packages, device owner, settings) and its shell.

The shell understands what kitting tools and people type over ``adb shell``: ``getprop``, ``pm``,
``cmd package``, ``dpm``/``cmd device_policy``, ``dumpsys``, ``service call iphonesubinfo``,
``settings``, ``am``, ``wm``, ``reboot`` and a few POSIX basics (``echo``, ``ls``, ``cat``, ``rm``,
``exit``), joined by ``;``, ``&&``, ``||`` and ``|`` (adbutils' shell v1 appends ``; echo X4EXIT:$?``).

State is touched from two threads — controls from the code under test, commands on the simulator's
loop — so every change holds ``self._lock``. Commands are coroutines only because some take simulated
time (install, ``slow-shell``); they never block the loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import posixpath
import random
import re
import shlex
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kitstation.simulator.android.apk import ApkError, ApkInfo, parse_apk
from kitstation.simulator.android.catalog import GalaxyModel, build_props
from kitstation.simulator.android.faults import Fault

if TYPE_CHECKING:
    from kitstation.simulator.android.adbd import DeviceServer

# Real-device durations in seconds, divided by the simulator's speed.
BOOT_SECONDS = 25.0
INSTALL_SECONDS = 1.5
RESEAT_SECONDS = 2.0

FACTORY_RESET_ACTIONS = {"android.intent.action.FACTORY_RESET", "android.intent.action.MASTER_CLEAR"}

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


class ConnectionDrop(Exception):
    """Raised inside a command when the simulated cable drops (the offline-mid-install fault)."""


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


@dataclass
class ShellResult:
    """Output of one command line; ``action`` is what the device does after answering."""

    stdout: bytes = b""
    stderr: bytes = b""
    code: int = 0
    action: str | None = None  # "reboot" | "factory-reset"
    merged: bytes | None = None  # stdout and stderr in the order written (what a pty/v1 shell shows)

    @property
    def output(self) -> bytes:
        return self.merged if self.merged is not None else self.stdout + self.stderr


@dataclass
class _File:
    data: bytes
    mode: int = 0o100644
    mtime: int = field(default_factory=lambda: int(time.time()))


def _short_component(pkg: str, cls: str) -> str:
    """ComponentName.flattenToShortString: ``pkg/.Cls`` when the class is inside the package."""
    return f"{pkg}/{cls[len(pkg) :]}" if cls.startswith(pkg + ".") else f"{pkg}/{cls}"


def _parse_component(text: str) -> tuple[str, str] | None:
    pkg, sep, cls = text.partition("/")
    if not sep or not pkg or not cls:
        return None
    return pkg, pkg + cls if cls.startswith(".") else cls


def imei_parcel(imei: str | None) -> str:
    """``service call`` output for a reply parcel holding status 0 and a String16 (the IMEI)."""
    if imei is None:
        words = [0, 0xFFFFFFFF]  # null string
    else:
        data = imei.encode("utf-16-le") + b"\0\0"
        data += b"\0" * (-len(data) % 4)
        words = [0, len(imei), *(int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4))]
    return _format_parcel(words)


def exception_parcel(message: str) -> str:
    """``service call`` output for a reply parcel carrying a SecurityException (code -1)."""
    data = message.encode("utf-16-le") + b"\0\0"
    data += b"\0" * (-len(data) % 4)
    words = [0xFFFFFFFF, len(message), *(int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4))]
    return _format_parcel(words)


def _format_parcel(words: list[int]) -> str:
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
        self.booting = False  # rebooting or re-seating: off the bus until it is attached again
        self.server: DeviceServer | None = None
        self.android_id = f"{rng.getrandbits(64):016x}"
        self._fresh_state()
        for f in self.faults:
            self._apply_static_fault(f)

    # ------------------------------------------------------------------ identity

    @property
    def adb_serial(self) -> str:
        return f"127.0.0.1:{self.port}"

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

    def _fresh_state(self) -> None:
        with self._lock:
            self.props = build_props(self.catalog, self.serial, self.imeis)
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
                    "adb_enabled": "1",
                    "development_settings_enabled": "1",
                    "device_provisioned": "0",
                    "auto_time": "1",
                    "stay_on_while_plugged_in": "0",
                    "airplane_mode_on": "0",
                },
                "secure": {"user_setup_complete": "0", "android_id": self.android_id},
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
        elif f.kind == "provisioned":
            self.set_provisioned(True)

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
        with self._lock:
            self.settings["global"]["device_provisioned"] = "1" if value else "0"
            self.settings["secure"]["user_setup_complete"] = "1" if value else "0"

    def factory_reset(self) -> None:
        """Wipe to the out-of-box state and reboot (the device drops off the bench and comes back)."""
        self._wipe()
        self.reboot()

    def reboot(self) -> None:
        """Reboot: the adb connection drops; after the boot time the device is back."""
        if self.server is not None:
            self.booting = True
            self.server.schedule_reboot()

    def _wipe(self) -> None:
        with self._lock:
            self._fresh_state()
            # USB debugging survives the simulated wipe so the demo bench keeps working; the RSA key
            # approval goes back to how the device was plugged.
            self.authorized = self._initially_authorized

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
        """Install APK bytes as PackageManager would; returns (success, "Success" / "Failure [...]")."""
        await asyncio.sleep(INSTALL_SECONDS / self.speed)
        fail = self._take_fault("install-fail")
        if fail is not None:
            return False, f"Failure [{fail.arg}]"
        try:
            info = parse_apk(data)
        except ApkError as exc:
            return False, f"Failure [INSTALL_PARSE_FAILED_NOT_APK: Failed to parse /data/app/vmdl.tmp/base.apk: {exc}]"
        if info.certificate_der is None:
            return (
                False,
                "Failure [INSTALL_PARSE_FAILED_NO_CERTIFICATES: Failed collecting certificates for /data/app/vmdl.tmp/base.apk: "
                "Attempt to get length of null array]",
            )
        return self._register(info, data, args)

    def _register(self, info: ApkInfo, data: bytes, args: list[str]) -> tuple[bool, str]:
        sig = hashlib.sha256(info.certificate_der or b"").hexdigest()
        with self._lock:
            old = self.installed_packages.get(info.package)
            if old is not None:
                if old.signature_sha256 is not None and old.signature_sha256 != sig:
                    return (
                        False,
                        f"Failure [INSTALL_FAILED_UPDATE_INCOMPATIBLE: Package {info.package} signatures do not match previously installed version; ignoring!]",
                    )
                if info.version_code < old.version_code and "-d" not in args:
                    return (
                        False,
                        f"Failure [INSTALL_FAILED_VERSION_DOWNGRADE: Downgrade detected: Update version code {info.version_code} is older than current {old.version_code}]",
                    )
            tag = "".join(
                self._rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(22)
            )
            path = f"/data/app/~~{tag[:11]}==/{info.package}-{tag[11:]}==/base.apk"
            uid = old.uid if old else self._next_uid
            if old is None:
                self._next_uid += 1
            self.installed_packages[info.package] = InstalledPackage(
                info.package,
                path,
                info.version_code,
                info.version_name,
                info.admin_receivers,
                sig,
                system=False,
                uid=uid,
                first_install=old.first_install if old else time.time(),
            )
            self.files[path] = _File(data)
        return True, "Success"

    # ------------------------------------------------------------------ the shell

    async def run_shell(self, command: str, stdin: bytes = b"") -> ShellResult:
        """Run one command line as ``/system/bin/sh -c`` would (uid shell)."""
        delay = self._shell_delay()
        if delay:
            await asyncio.sleep(delay)
        try:
            tokens = list(_tokenize(command))
        except ValueError as exc:
            return ShellResult(stderr=f"/system/bin/sh: syntax error: {exc}\n".encode(), code=2)
        result = ShellResult()
        last = 0
        pipeline: list[list[str]] = [[]]
        op = ";"
        pending_stdin = stdin
        out = bytearray()
        err = bytearray()
        merged = bytearray()

        async def flush(cmd_op: str) -> bool:
            """Run the collected pipeline if the previous operator allows; False on `exit`."""
            nonlocal last, pending_stdin
            skip = (cmd_op == "&&" and last != 0) or (cmd_op == "||" and last == 0)
            stages = [s for s in pipeline if s]
            if not stages or skip:
                return True
            data = pending_stdin
            for i, argv in enumerate(stages):
                argv = [a.replace("$?", str(last)) for a in argv]
                argv, red = _redirections(argv)
                if argv and argv[0] == "exit":
                    last = int(argv[1]) if len(argv) > 1 and argv[1].lstrip("-").isdigit() else last
                    return False
                r = await self._command(argv, data)
                if red.err_to_out:
                    r.stdout, r.stderr = r.stdout + r.stderr, b""
                if red.out_to_err:
                    r.stdout, r.stderr = b"", r.stderr + r.stdout
                if red.stderr_file is not None:
                    if red.stderr_file != "/dev/null":
                        self.write_file(red.stderr_file, r.stderr)
                    r.stderr = b""
                if red.stdout_file is not None:
                    if red.stdout_file != "/dev/null":
                        before = (self.read_file(red.stdout_file) or b"") if red.append else b""
                        self.write_file(red.stdout_file, before + r.stdout)
                    r.stdout = b""
                if i < len(stages) - 1:
                    data = r.stdout
                else:
                    out.extend(r.stdout)
                    merged.extend(r.stdout)
                err.extend(r.stderr)
                merged.extend(r.stderr)
                last = r.code & 0xFF
                if r.action:
                    result.action = r.action
            pending_stdin = b""
            return True

        for tok in tokens:
            if tok in (";", "&&", "||", "&"):
                if not await flush(op):
                    break
                pipeline = [[]]
                op = tok if tok != "&" else ";"
            elif tok == "|":
                pipeline.append([])
            else:
                pipeline[-1].append(tok)
        else:
            await flush(op)
        result.stdout, result.stderr, result.code = bytes(out), bytes(err), last
        result.merged = bytes(merged)
        return result

    async def _command(self, argv: list[str], stdin: bytes) -> ShellResult:
        if not argv:
            return ShellResult()
        name, args = argv[0], argv[1:]
        handler = _COMMANDS.get(posixpath.basename(name))
        if name == "cmd" and args:
            sub = {"package": "pm", "device_policy": "dpm", "settings": "settings", "activity": "am", "window": "wm"}
            target = sub.get(args[0])
            if target is None:
                return ShellResult(stderr=f"cmd: Can't find service: {args[0]}\n".encode(), code=20)
            handler, args = _COMMANDS[target], args[1:]
        if handler is None:
            return ShellResult(stderr=f"/system/bin/sh: {name}: inaccessible or not found\n".encode(), code=127)
        r = handler(self, args, stdin)
        if asyncio.iscoroutine(r):
            r = await r
        assert isinstance(r, ShellResult)
        return r


def _tokenize(command: str) -> list[str]:
    lex = shlex.shlex(command, posix=True, punctuation_chars=";&|<>")
    lex.whitespace_split = True
    lex.commenters = ""
    return list(lex)


@dataclass
class _Redirect:
    stdout_file: str | None = None
    stderr_file: str | None = None
    err_to_out: bool = False
    out_to_err: bool = False
    append: bool = False


def _redirections(argv: list[str]) -> tuple[list[str], _Redirect]:
    """Strip ``> FILE``, ``>> FILE``, ``2> FILE``, ``2>&1``, ``>&2`` and ``< FILE`` from argv.

    The tokenizer splits ``2>&1`` into ``2``, ``>&``, ``1``: a lone 1 or 2 right before a redirection
    operator is taken as its file descriptor (as in ``cmd 2>/dev/null``).
    """
    out: list[str] = []
    red = _Redirect()
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in (">", ">>", ">&", "<", "&>"):
            fd = int(out.pop()) if out and out[-1] in ("1", "2") and a != "<" else 1
            target = argv[i + 1] if i + 1 < len(argv) else ""
            i += 2
            if a == ">&":
                if fd == 2 and target == "1":
                    red.err_to_out = True
                elif fd == 1 and target == "2":
                    red.out_to_err = True
            elif a == "&>":
                red.stdout_file = red.stderr_file = target
            elif a != "<":
                red.append = a == ">>"
                if fd == 2:
                    red.stderr_file = target
                else:
                    red.stdout_file = target
            continue
        out.append(a)
        i += 1
    return out, red


def _ok(text: str = "", code: int = 0) -> ShellResult:
    return ShellResult(stdout=text.encode(), code=code)


def _err(text: str, code: int = 1) -> ShellResult:
    return ShellResult(stderr=text.encode(), code=code)


# ---------------------------------------------------------------------------- POSIX-ish basics


def _echo(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    newline = True
    if args and args[0] == "-n":
        newline, args = False, args[1:]
    return _ok(" ".join(args) + ("\n" if newline else ""))


def _true(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    return _ok()


def _false(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    return _ok(code=1)


def _id(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    return _ok(
        "uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),1011(adb),1015(sdcard_rw),3003(inet) context=u:r:shell:s0\n"
    )


def _whoami(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    return _ok("shell\n")


async def _sleep(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    try:
        await asyncio.sleep(float(args[0]) / d.speed if args else 0)
    except ValueError:
        return _err(f"sleep: invalid number '{args[0]}'\n")
    return _ok()


def _cat(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if not args:
        return ShellResult(stdout=stdin)
    out = bytearray()
    for p in args:
        data = d.read_file(p)
        if data is None:
            return ShellResult(stdout=bytes(out), stderr=f"cat: {p}: No such file or directory\n".encode(), code=1)
        out.extend(data)
    return ShellResult(stdout=bytes(out))


def _ls(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    paths = [a for a in args if not a.startswith("-")] or ["/"]
    long = any(a.startswith("-") and "l" in a for a in args)
    out, code, err = [], 0, []
    for p in paths:
        st = d.stat(p)
        if st is None:
            err.append(f"ls: {p}: No such file or directory\n")
            code = 1
            continue
        entries = d.listdir(p) if st[0] & 0o40000 else [(p, *st)]
        for name, mode, size, _mtime in entries or []:
            if name in (".", ".."):
                continue
            out.append(
                f"{'d' if mode & 0o40000 else '-'}rw-rw---- 1 shell shell {size:>8} 2025-01-01 00:00 {name}"
                if long
                else name
            )
    return ShellResult(
        stdout=("\n".join(out) + ("\n" if out else "")).encode(), stderr="".join(err).encode(), code=code
    )


def _rm(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    force = any(a.startswith("-") and "f" in a for a in args)
    code, err = 0, []
    for p in (a for a in args if not a.startswith("-")):
        path = d.norm(p)
        with d._lock:
            if path in d.files and d.writable(path):
                del d.files[path]
            elif path in d.dirs and d.writable(path):
                d.dirs = {x for x in d.dirs if x != path and not x.startswith(path + "/")}
                d.files = {k: v for k, v in d.files.items() if not k.startswith(path + "/")}
            elif not force:
                err.append(f"rm: {p}: {'Permission denied' if path in d.files else 'No such file or directory'}\n")
                code = 1
    return ShellResult(stderr="".join(err).encode(), code=code)


def _mkdir(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    for p in (a for a in args if not a.startswith("-")):
        path = d.norm(p)
        if not d.writable(path):
            return _err(f"mkdir: '{p}': Permission denied\n")
        with d._lock:
            while path not in d.dirs:
                d.dirs.add(path)
                path = posixpath.dirname(path)
    return _ok()


def _grep(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    flags = [a for a in args if a.startswith("-")]
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return _err("usage: grep [-iv] PATTERN\n", 2)
    pattern = re.compile(words[0], re.I if any("i" in f for f in flags) else 0)
    invert = any("v" in f for f in flags)
    lines = [ln for ln in stdin.decode(errors="replace").splitlines() if bool(pattern.search(ln)) != invert]
    return _ok("".join(ln + "\n" for ln in lines), 0 if lines else 1)


# ---------------------------------------------------------------------------- Android commands


def _getprop(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    with d._lock:
        if args:
            value = d.props.get(args[0], args[1] if len(args) > 1 else "")
            return _ok(value + "\n")
        return _ok("".join(f"[{k}]: [{v}]\n" for k, v in sorted(d.props.items())))


def _setprop(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if len(args) != 2:
        return _err("usage: setprop NAME VALUE\n")
    if args[0].startswith("ro."):
        return _err(f"Failed to set property '{args[0]}' to '{args[1]}'.\nSee dmesg for error reason.\n")
    with d._lock:
        d.props[args[0]] = args[1]
    return _ok()


def _opt_user(args: list[str]) -> list[str]:
    """Drop ``--user N`` (and similar value options) that our single-user model ignores."""
    out, i = [], 0
    while i < len(args):
        if args[i] in ("--user", "-i", "--install-location", "--originating-uri", "--referrer", "--abi", "--name"):
            i += 2
            continue
        out.append(args[i])
        i += 1
    return out


async def _pm(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if not args:
        return _err("usage: pm [list|path|install|uninstall|disable-user|enable|clear] ...\n")
    sub, rest = args[0], args[1:]
    if sub == "list" and rest and rest[0] == "packages":
        opts = [a for a in rest[1:] if a.startswith("-")]
        flt = [a for a in _opt_user(rest[1:]) if not a.startswith("-")]
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
            if "-U" in opts:
                line += f" uid:{item.uid}"
            lines.append(line + "\n")
        return _ok("".join(lines))
    if sub == "list" and rest and rest[0] == "users":
        with d._lock:
            users = list(d.users)
        return _ok(
            "Users:\n" + "".join(f"\tUserInfo{{{u}:{'Owner' if u == 0 else 'User'}:c13}} running\n" for u in users)
        )
    if sub == "path" and rest:
        with d._lock:
            p = d.installed_packages.get(_opt_user(rest)[0])
        return _ok(f"package:{p.path}\n") if p else _ok(code=1)
    if sub == "install":
        return await _pm_install(d, rest, stdin)
    if sub == "uninstall":
        names = [a for a in _opt_user(rest) if not a.startswith("-")]
        if not names:
            return _err("Error: package name not specified\n")
        with d._lock:
            p = d.installed_packages.get(names[0])
            owner_pkg = d.device_owner.split("/")[0] if d.device_owner else None
            if p is None or p.system:
                return _ok("Failure [DELETE_FAILED_INTERNAL_ERROR]\n", 1)
            if owner_pkg == p.package:
                return _ok("Failure [DELETE_FAILED_DEVICE_POLICY_MANAGER]\n", 1)
            del d.installed_packages[p.package]
            d.files.pop(p.path, None)
            d.active_admins = [a for a in d.active_admins if not a.startswith(p.package + "/")]
        return _ok("Success\n")
    if sub in ("disable-user", "disable", "enable", "default-state"):
        names = [a for a in _opt_user(rest) if not a.startswith("-")]
        with d._lock:
            p = d.installed_packages.get(names[0]) if names else None
            if p is None:
                return _err(
                    f"Error: java.lang.IllegalArgumentException: Unknown package: {names[0] if names else ''}\n", 255
                )
            p.enabled = sub in ("enable", "default-state")
        state = {"disable-user": "disabled-user", "disable": "disabled"}.get(sub, "enabled")
        return _ok(f"Package {p.package} new state: {state}\n")
    if sub == "clear":
        with d._lock:
            known = bool(rest) and _opt_user(rest)[0] in d.installed_packages
        return _ok("Success\n") if known else _ok("Failed\n", 1)
    if sub in ("grant", "revoke", "set-installer", "trim-caches"):
        return _ok()
    return _err(f"Unknown command: {sub}\n", 255)


async def _pm_install(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    args = _opt_user(args)
    size: int | None = None
    if "-S" in args:
        i = args.index("-S")
        size = int(args[i + 1]) if i + 1 < len(args) and args[i + 1].isdigit() else None
        args = args[:i] + args[i + 2 :]
    paths = [a for a in args if not a.startswith("-")]
    if size is not None:
        data = stdin[:size]
        if len(data) < size:
            return _ok("Failure [INSTALL_FAILED_INVALID_APK: short write]\n", 1)
    elif paths:
        found = d.read_file(paths[0])
        if found is None:
            return _ok(f"Failure [INSTALL_FAILED_INVALID_URI: Invalid URI: {paths[0]}]\n", 1)
        data = found
    else:
        return _err("Error: must either specify a package size or an APK file\n", 255)
    if d._take_fault("offline-mid-install") is not None:
        raise ConnectionDrop("offline mid-install")
    ok, msg = await d.install(data, args)
    return _ok(msg + "\n", 0 if ok else 1)


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
    return _err(text, 255 if d.sdk >= 29 else 1)


def _dpm(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if not args:
        return _err(
            "usage: dpm [subcommand] [options]\nusage: dpm set-device-owner [ --user <USER_ID> *EXPERIMENTAL* ] [ --name <NAME> ] <COMPONENT>\n",
            255 if d.sdk >= 29 else 1,
        )
    verb, rest = args[0], _opt_user(args[1:])
    if verb == "list-owners":
        with d._lock:
            owner = d.device_owner
        if owner is None:
            return _ok("no owners\n")
        return _ok(f"1 owner:\nUser  0: admin={owner},DeviceOwner\n")
    if verb in ("set-device-owner", "set-active-admin", "remove-active-admin"):
        comp = _parse_component(rest[0]) if rest else None
        if comp is None:
            return _dpm_exception(
                d, verb, "java.lang.IllegalArgumentException", f"Invalid component {rest[0] if rest else ''}"
            )
        pkg, cls = comp
        info = f"ComponentInfo{{{pkg}/{cls}}}"
        short = _short_component(pkg, cls)
        with d._lock:
            p = d.installed_packages.get(pkg)
            if verb == "remove-active-admin":
                if d.device_owner == short:
                    return _dpm_exception(
                        d, verb, "java.lang.SecurityException", f"Attempt to remove non-test admin {info} 0"
                    )
                if short in d.active_admins:
                    d.active_admins.remove(short)
                return _ok(f"Success: Admin removed {info}\n")
            if p is None or cls not in p.admin_receivers:
                return _dpm_exception(d, verb, "java.lang.IllegalArgumentException", f"Unknown admin: {info}")
            if verb == "set-active-admin":
                if short not in d.active_admins:
                    d.active_admins.append(short)
                return _ok(f"Success: Active admin set to component {{{pkg}/{cls}}}\n")
            if d.device_owner is not None:
                o_pkg, o_cls = _parse_component(d.device_owner) or ("", "")
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
        return _ok(f"Success: Device owner set to package {info}\nActive admin set to component {{{pkg}/{cls}}}\n")
    return _dpm_exception(d, verb, "java.lang.IllegalArgumentException", f"Unknown command: {verb}")


def _dumpsys(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if not args:
        return _ok("Currently running services:\n  account\n  device_policy\n  iphonesubinfo\n  package\n  window\n")
    svc = args[0]
    with d._lock:
        if svc == "device_policy":
            lines = [
                "Current Device Policy Manager state:",
                "  Immutable state:",
                "    mHasFeature=true",
                f"    mHasTelephonyFeature={'true' if d.imeis else 'false'}",
            ]
            if d.device_owner:
                pkg, cls = _parse_component(d.device_owner) or ("", "")
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
            return _ok("\n".join(lines) + "\n")
        if svc == "package" and len(args) > 1:
            return _ok(_dumpsys_package(d, args[1]))
        if svc == "account":
            return _ok(
                f"User UserInfo{{0:Owner:c13}}:\n  Accounts: {len(d.accounts)}\n"
                + "".join(f"    Account {{name={n}, type={t}}}\n" for n, t in d.accounts)
            )
        if svc == "iphonesubinfo":
            if d.sdk <= 28 and d.imeis:
                return _ok(f"Phone Subscriber Info:\n  Phone Type = GSM\n  Device ID = {d.imeis[0]}\n")
            return _ok(
                "Permission Denial: can't dump iphonesubinfo from from pid=12345, uid=2000 without permission android.permission.DUMP\n"
            )
    return _ok(f"Can't find service: {svc}\n")


def _dumpsys_package(d: SimulatedGalaxy, name: str) -> str:
    """The parts of ``dumpsys package PKG`` tools parse (adbutils' app_info among them)."""
    p = d.installed_packages.get(name)
    if p is None:
        return f"Dexopt state:\n  Unable to find package: {name}\n"

    def stamp(t: float) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))

    ident = hashlib.sha1(p.package.encode()).hexdigest()[:7]
    sig = (p.signature_sha256 or "0" * 8)[:8]
    flags = "SYSTEM HAS_CODE ALLOW_CLEAR_USER_DATA" if p.system else "HAS_CODE ALLOW_CLEAR_USER_DATA"
    return (
        "Packages:\n"
        f"  Package [{p.package}] ({ident}):\n"
        f"    userId={p.uid}\n"
        f"    pkg=Package{{{ident} {p.package}}}\n"
        f"    codePath={posixpath.dirname(p.path)}\n"
        f"    versionCode={p.version_code} minSdk=24 targetSdk=33\n"
        f"    versionName={p.version_name or 'null'}\n"
        f"    flags=[ {flags} ]\n"
        f"    pkgFlags=[ {flags} ]\n"
        f"    firstInstallTime={stamp(p.first_install)}\n"
        f"    lastUpdateTime={stamp(p.last_update)}\n"
        f"    signatures=PackageSignatures{{{ident} version:2, signatures:[{sig}], past signatures:[]}}\n"
        f"    User 0: ceDataInode=0 installed=true hidden=false suspended=false stopped=false notLaunched=false "
        f"enabled={0 if p.enabled else 3}\n"
    )


def _service(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if len(args) >= 1 and args[0] == "list":
        return _ok(
            "Found 3 services:\n0\tiphonesubinfo: [com.android.internal.telephony.IPhoneSubInfo]\n1\tdevice_policy: [android.app.admin.IDevicePolicyManager]\n2\tpackage: [android.content.pm.IPackageManager]\n"
        )
    if len(args) >= 1 and args[0] == "check":
        return _ok("".join(f"Service {s}: found\n" for s in args[1:]))
    if len(args) < 3 or args[0] != "call" or not args[2].isdigit():
        return _err(
            "usage: service [-h|-?]\n       service list\n       service check SERVICE\n       service call SERVICE CODE [i32 N | i64 N | f N | d N | s16 STR | null | fd f | nfd n | afd f ] ...\n"
        )
    svc, code = args[1], int(args[2])
    if svc != "iphonesubinfo":
        return _ok(_format_parcel([0xFFFFFFFF, 0]))
    if d.sdk >= 29:
        return _ok(
            exception_parcel(
                "getDeviceIdForPhone: The user 2000 does not meet the requirements to access device identifiers."
            )
        )
    if not d.imeis:
        return _ok(imei_parcel(None))
    # Android 9 IPhoneSubInfo: 1 getDeviceId, 2 getDeviceIdWithFeature, 3 getNaiForSubscriber,
    # 4 getDeviceIdForPhone(slot) — people try all of these; the slot follows "i32 N".
    slot = 0
    if "i32" in args:
        i = args.index("i32")
        if i + 1 < len(args) and args[i + 1].isdigit():
            slot = int(args[i + 1])
    if code in (1, 2):
        return _ok(imei_parcel(d.imeis[0]))
    if code == 4:
        return _ok(imei_parcel(d.imeis[slot] if slot < len(d.imeis) else None))
    return _ok(imei_parcel(None))


def _settings(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    args = _opt_user(args)
    if len(args) < 2 or args[1] not in ("global", "secure", "system"):
        return _err("usage:  settings [--user <USER_ID> | current] get namespace key\n", 255)
    verb, ns = args[0], args[1]
    with d._lock:
        table = d.settings[ns]
        if verb == "get" and len(args) >= 3:
            return _ok(table.get(args[2], "null") + "\n")
        if verb == "put" and len(args) >= 4:
            table[args[2]] = args[3]
            return _ok()
        if verb == "delete" and len(args) >= 3:
            return _ok(f"Deleted {1 if table.pop(args[2], None) is not None else 0} rows\n")
        if verb == "list":
            return _ok("".join(f"{k}={v}\n" for k, v in sorted(table.items())))
    return _err("Invalid command\n", 255)


def _am(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    if not args:
        return _err("usage: am [start|broadcast|force-stop] ...\n", 255)
    verb, rest = args[0], _opt_user(args[1:])
    opts: dict[str, str] = {}
    i = 0
    while i < len(rest):
        if rest[i] in ("-a", "-n", "-p", "-d", "-c") and i + 1 < len(rest):
            opts[rest[i]] = rest[i + 1]
            i += 2
        else:
            i += 1
    parts = []
    if "-a" in opts:
        parts.append(f"act={opts['-a']}")
    if "-n" in opts:
        parts.append(f"cmp={opts['-n']}")
    if verb in ("start", "start-activity"):
        intent = "Intent { " + " ".join(parts) + " }"
        if "-n" in opts:
            pkg = opts["-n"].split("/")[0]
            with d._lock:
                known = pkg in d.installed_packages
            if not known:
                return ShellResult(
                    stdout=f"Starting: {intent}\n".encode(),
                    stderr=f"Error type 3\nError: Activity class {{{opts['-n']}}} does not exist.\n".encode(),
                    code=1,
                )
        return _ok(f"Starting: {intent}\n")
    if verb == "broadcast":
        intent = "Intent { " + " ".join([*parts, "flg=0x400000"]) + " }"
        r = _ok(f"Broadcasting: {intent}\nBroadcast completed: result=0\n")
        if opts.get("-a") in FACTORY_RESET_ACTIONS:
            r.action = "factory-reset"
        return r
    if verb in ("force-stop", "kill"):
        return _ok()
    if verb == "get-current-user":
        return _ok("0\n")
    return _err(f"Error: Unknown command: {verb}\n", 255)


def _wm(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    w, h = d.catalog.screen
    if args and args[0] == "size":
        with d._lock:
            if len(args) > 1:
                d.wm_size = None if args[1] == "reset" else args[1]
                return _ok()
            extra = f"Override size: {d.wm_size}\n" if d.wm_size else ""
        return _ok(f"Physical size: {w}x{h}\n{extra}")
    if args and args[0] == "density":
        with d._lock:
            if len(args) > 1:
                d.wm_density = None if args[1] == "reset" else int(args[1]) if args[1].isdigit() else d.wm_density
                return _ok()
            extra = f"Override density: {d.wm_density}\n" if d.wm_density else ""
        return _ok(f"Physical density: {d.catalog.density}\n{extra}")
    return _err("usage: wm [size|density] ...\n", 255)


def _reboot(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    return ShellResult(action="reboot")


def _input(d: SimulatedGalaxy, args: list[str], stdin: bytes) -> ShellResult:
    return _ok()


_COMMANDS: dict[str, Callable[[SimulatedGalaxy, list[str], bytes], Any]] = {
    "echo": _echo,
    "true": _true,
    "false": _false,
    "id": _id,
    "whoami": _whoami,
    "sleep": _sleep,
    "cat": _cat,
    "ls": _ls,
    "rm": _rm,
    "mkdir": _mkdir,
    "grep": _grep,
    "getprop": _getprop,
    "setprop": _setprop,
    "pm": _pm,
    "dpm": _dpm,
    "dumpsys": _dumpsys,
    "service": _service,
    "settings": _settings,
    "am": _am,
    "wm": _wm,
    "reboot": _reboot,
    "input": _input,
}

"""A bench of simulated Galaxy phones behind a real adb server.

``AndroidSimulator`` runs every device's adbd on its own asyncio loop in a daemon thread (never the
loop of the code under test), and attaches/detaches devices at an adb server with
``adb connect``/``adb disconnect`` — which, for the server and adbutils, is exactly a phone being
plugged in or pulled out. Without ``adb_port`` it starts its own server on a free port with its own
``HOME`` (and ``TMPDIR``, where adb writes its log), so the user's ``~/.android`` keys and the
server on 5037 are never touched; ``stop()`` kills that server.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

import adbutils
from adbutils._adb import AdbConnection

from kitstation.android.adbconn import ClosingAdbClient, ClosingConnection
from kitstation.simulator.android.adbd import DeviceServer
from kitstation.simulator.android.catalog import DEFAULT_ROTATION, MODELS, make_imei, make_serial
from kitstation.simulator.android.device import SimulatedGalaxy
from kitstation.simulator.android.faults import Fault, parse_faults

T = TypeVar("T")
log = logging.getLogger(__name__)

DEBIAN_ADB = "/usr/bin/adb"
# How long plug/replug wait for the adb server to report the device (real time, not scaled).
ATTACH_TIMEOUT = 30.0


class SimulatorError(RuntimeError):
    """The simulator could not start its adb server or attach a device."""


def wheel_adb_path() -> str:
    """The adb binary bundled in the adbutils wheel."""
    return str(Path(adbutils.__file__).parent / "binaries" / "adb")


def default_adb_path() -> str:
    """Debian's adb when installed, else the adbutils wheel's."""
    if os.access(DEBIAN_ADB, os.X_OK):
        return DEBIAN_ADB
    found = shutil.which("adb")
    return found or wheel_adb_path()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


class _NoSpawnConnection(ClosingConnection):
    """An adbutils connection that fails instead of running ``adb start-server``.

    adbutils' own connection starts a server when none answers — without a port, so on 5037 with
    the caller's HOME. A simulator talking to a server that just went away must never do that.
    """

    def _safe_connect(self) -> Any:
        return self._create_socket()


class NoSpawnAdbClient(ClosingAdbClient):
    """``adbutils.AdbClient`` bound to one server; never starts a server on its own.

    Its connections and devices close their sockets on adbutils' error paths
    (kitstation/android/adbconn.py), so a test that provokes a refusal leaks nothing.
    """

    def _connection(self) -> AdbConnection:
        return _NoSpawnConnection(self.host, self.port)


class AdbServer:
    """A real adb server on its own port, HOME and TMPDIR (started with ``adb -P PORT start-server``)."""

    def __init__(self, adb_path: str | None = None, port: int | None = None) -> None:
        self.adb_path = adb_path or default_adb_path()
        self.port = port or free_port()
        self.home: Path | None = None

    @property
    def env(self) -> dict[str, str]:
        assert self.home is not None
        env = {
            k: v for k, v in os.environ.items() if k not in ("ADB_VENDOR_KEYS", "ANDROID_SDK_HOME", "ANDROID_SERIAL")
        }
        env.update(
            HOME=str(self.home),
            TMPDIR=str(self.home),
            ANDROID_USER_HOME=str(self.home / ".android"),
            ANDROID_ADB_SERVER_PORT=str(self.port),
            ADB_LIBUSB="0",
            ADB_MDNS="0",
        )
        return env

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        # The server forks off and keeps inherited fds: never give it our pipes to hold open.
        return subprocess.run(
            [self.adb_path, "-P", str(self.port), *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if args[0] != "start-server" else subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="kitstation-adb-"))
        (self.home / ".android").mkdir()
        r = self.run("start-server")
        if r.returncode != 0 or not _server_answers(self.port):
            self.stop()
            raise SimulatorError(f"could not start adb server {self.adb_path} on port {self.port}")

    def answers(self) -> bool:
        """True while the server answers on its port."""
        return _server_answers(self.port)

    def stop(self) -> None:
        if self.home is None:
            return
        try:
            if _server_answers(self.port):
                self.run("kill-server", timeout=30)
        finally:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None


class AndroidSimulator:
    """N simulated Galaxy phones behind a real adb server (see the module docstring)."""

    def __init__(
        self,
        *,
        adb_port: int | None = None,
        adb_path: str | None = None,
        speed: float = 1.0,
        seed: int = 0,
        faults: Sequence[str] = (),
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.adb_path = adb_path or default_adb_path()
        self._requested_port = adb_port
        self.adb_port = adb_port or 0
        self.speed = speed
        self.seed = seed
        self.faults: list[Fault] = parse_faults(faults)
        self._own_server: AdbServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._devices: list[SimulatedGalaxy] = []
        self._lock = threading.RLock()
        self._adb_lock = threading.Lock()
        self._timers: list[threading.Timer] = []
        self._next_index = 0
        self._stopping = False

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> AndroidSimulator:
        if self._loop is not None:
            return self
        if self._requested_port is None or not _server_answers(self._requested_port):
            server = AdbServer(self.adb_path, self._requested_port)
            server.start()
            self._own_server = server
            self.adb_port = server.port
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="android-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return
        with self._lock:
            self._stopping = True
            timers, self._timers = self._timers, []
        for t in timers:
            t.cancel()
        for t in timers:
            if t is not threading.current_thread():
                t.join(timeout=30)
        try:
            for d in list(self._devices):
                if d.plugged:
                    d.plugged = False
                    self._detach(d)
            for d in self._devices:
                if d.server is not None:
                    self._call(d.server.shutdown())
        finally:
            loop.call_soon_threadsafe(loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=10)
            loop.close()
            self._loop = None
            if self._own_server is not None:
                self._own_server.stop()
                self._own_server = None
            self._stopping = False

    def __enter__(self) -> AndroidSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- access

    @property
    def env(self) -> dict[str, str]:
        """Environment for code under test: the server port and the adb binary that matches it.

        Use this adb for command-line calls too: an adb client of another version kills and
        restarts the server.
        """
        return {"ANDROID_ADB_SERVER_PORT": str(self.adb_port), "ADBUTILS_ADB_PATH": self.adb_path}

    def client(self) -> adbutils.AdbClient:
        """An adbutils client bound to this simulator's server (it never auto-starts a server)."""
        return NoSpawnAdbClient(host="127.0.0.1", port=self.adb_port, socket_timeout=30)

    @property
    def devices(self) -> list[SimulatedGalaxy]:
        """Every device this simulator made, in plug order (check ``.plugged``)."""
        with self._lock:
            return list(self._devices)

    def device(self, serial: str | SimulatedGalaxy) -> SimulatedGalaxy:
        """Find a device by ``ro.serialno``, adb serial (``127.0.0.1:PORT``) or plug index."""
        if isinstance(serial, SimulatedGalaxy):
            return serial
        with self._lock:
            for d in self._devices:
                if serial in (d.serial, d.adb_serial, str(d.index)):
                    return d
        raise KeyError(f"no simulated device {serial!r}")

    # ---------------------------------------------------------------- plug / unplug

    def plug(self, model: str | None = None, *, authorized: bool = True, **overrides: Any) -> SimulatedGalaxy:
        """Plug in a new Galaxy and wait until the adb server lists it.

        ``model``: a catalogue model number (``SM-A305J``, ``SM-A525F``, ``SM-S911B``, ``SC-51D``,
        ``SM-X700``); default rotates through them. ``overrides``: ``serial``, ``imeis``,
        ``props`` (dict merged into getprop), ``port``, ``accounts`` (list of account types),
        ``users`` (count), ``provisioned`` (bool, default True: the setup wizard is finished, as
        on any phone with USB debugging on).
        """
        if self._loop is None:
            raise SimulatorError("start() the simulator first")
        with self._lock:
            # Reserved under the lock: concurrent plugs must not share an index (and so a serial).
            index = self._next_index
            self._next_index += 1
        rng = random.Random(f"{self.seed}:{index}")
        name = model or DEFAULT_ROTATION[index % len(DEFAULT_ROTATION)]
        if name not in MODELS:
            raise KeyError(f"unknown Galaxy model {name!r}; known: {', '.join(MODELS)}")
        cat = MODELS[name]
        serial = str(overrides.pop("serial", None) or make_serial(rng))
        imeis = tuple(overrides.pop("imeis", None) or (make_imei(tac, rng) for tac in cat.tacs))
        port = int(overrides.pop("port", 0))
        props = dict(overrides.pop("props", {}) or {})
        accounts = list(overrides.pop("accounts", []) or [])
        users = int(overrides.pop("users", 1))
        provisioned = bool(overrides.pop("provisioned", True))
        if overrides:
            raise TypeError(f"unknown plug() overrides: {', '.join(overrides)}")
        device = SimulatedGalaxy(
            index=index,
            model=cat,
            serial=serial,
            imeis=imeis,
            authorized=authorized,
            speed=self.speed,
            rng=rng,
            faults=[],
            props=props,
        )
        server = DeviceServer(device, self._loop)
        device.port = self._call(server.listen(port))
        for f in self.faults:
            if f.matches(index, device.serial, device.adb_serial):
                device.faults.append(f)
                device._apply_static_fault(f)
        for t in accounts:
            device.add_account(t)
        while len(device.users) < users:
            device.add_user()
        if not provisioned:
            device.set_provisioned(False)
        server.detach = lambda: self._detach_quiet(device)
        server.attach = lambda: self._attach_quiet(device)
        with self._lock:
            self._devices.append(device)
        device.plugged = True
        self._attach(device)
        self._schedule_faults(device)
        return device

    def unplug(self, serial: str | SimulatedGalaxy) -> None:
        """Pull the cable: the server forgets the device (``absent``); it stops listening."""
        d = self.device(serial)
        d.plugged = False
        self._detach(d)
        if d.server is not None:
            self._call(d.server.close_listener())
            self._call(d.server.drop_connections())

    def usb_path(self, adb_serial: str) -> str | None:
        """The USB path (``3-1.1.2``) of the simulated phone adb lists as ``adb_serial``, else None."""
        with self._lock:
            for d in self._devices:
                if d.adb_serial == adb_serial and d.server is not None:
                    return d.server.usb_path
        return None

    def replug(self, serial: str | SimulatedGalaxy) -> SimulatedGalaxy:
        """Plug the same device back into its slot (same port, same adb serial)."""
        d = self.device(serial)
        d.cable_settled.wait(ATTACH_TIMEOUT)  # a fault's pull still under way finishes first
        if d.plugged:
            return d
        assert d.server is not None
        self._call(d.server.listen(d.port))
        d.plugged = True
        self._attach(d)
        return d

    def wait_for(
        self, serial: str | SimulatedGalaxy, state: str | None = "device", timeout: float = ATTACH_TIMEOUT
    ) -> None:
        """Wait until the adb server lists the device in ``state`` (None: until it is absent)."""
        d = self.device(serial)
        deadline = time.monotonic() + timeout
        while (current := self._state(d.adb_serial)) != state:
            if time.monotonic() > deadline:
                raise SimulatorError(f"{d.adb_serial} is {current!r}, expected {state!r}")
            time.sleep(0.02)

    def wait_ready(self, serial: str | SimulatedGalaxy, timeout: float = ATTACH_TIMEOUT) -> None:
        """Wait until a rebooting / re-seated device is back online at the adb server."""
        d = self.device(serial)
        deadline = time.monotonic() + timeout
        while d.booting:
            if time.monotonic() > deadline:
                raise SimulatorError(f"{d.adb_serial} is still booting")
            time.sleep(0.02)
        self.wait_for(d, "device" if d.authorized else "unauthorized", max(0.1, deadline - time.monotonic()))

    def schedule(self, after: float, action: str, serial: str | SimulatedGalaxy) -> None:
        """In ``after`` simulated seconds (divided by speed), ``action`` the device.

        Actions: ``unplug``, ``replug``, ``reboot``, ``factory-reset``. Timers still pending at
        ``stop()`` are cancelled.
        """
        d = self.device(serial)
        actions = {
            "unplug": lambda: self.unplug(d),
            "replug": lambda: self.replug(d),
            "reboot": d.reboot,
            "factory-reset": d.factory_reset,
        }
        if action not in actions:
            raise ValueError(f"unknown scheduled action {action!r}; known: {', '.join(actions)}")

        self._start_timer(after, actions[action])

    def _start_timer(self, after: float, fn: Callable[[], object]) -> None:
        def fire() -> None:
            try:
                with self._lock:
                    if self._stopping or self._loop is None:
                        return
                fn()
            except Exception:  # noqa: BLE001 - a timer racing stop() must not print a traceback
                log.debug("scheduled action failed", exc_info=True)
            finally:
                with self._lock:
                    if timer in self._timers:
                        self._timers.remove(timer)

        timer = threading.Timer(max(0.0, after) / self.speed, fire)
        timer.daemon = True
        with self._lock:
            self._timers.append(timer)
        timer.start()

    def _schedule_faults(self, d: SimulatedGalaxy) -> None:
        unplug = d._take_fault("unplug-after")
        if unplug is None:
            return
        back = d._take_fault("replug-after")
        if back is None:
            self.schedule(float(unplug.arg or 0), "unplug", d)
            return

        def cycle() -> None:
            self.unplug(d)
            self.schedule(float(back.arg or 0), "replug", d)

        self._start_timer(float(unplug.arg or 0), cycle)

    # ---------------------------------------------------------------- adb server side

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=60)

    def _state(self, adb_serial: str) -> str | None:
        for info in self.client().list():
            if info.serial == adb_serial:
                return str(info.state)
        return None

    def _attach(self, d: SimulatedGalaxy) -> None:
        # One connect at a time, as a hub enumerates one device at a time: many concurrent
        # "host:connect" requests are more than Debian's adb 1.0.41 server reliably takes.
        with self._adb_lock:
            answer = self.client().connect(d.adb_serial, timeout=ATTACH_TIMEOUT)
        # For an unanswered RSA dialog adb says "failed to authenticate" and lists it "unauthorized".
        if "connected" not in answer and not (not d.authorized and "authenticate" in answer):
            raise SimulatorError(f"adb connect {d.adb_serial}: {answer}")
        want = "device" if d.authorized else "unauthorized"
        deadline = time.monotonic() + ATTACH_TIMEOUT
        while True:
            state = self._state(d.adb_serial)
            if state == want or (state == "device" and d.authorized):
                return
            if time.monotonic() > deadline:
                raise SimulatorError(f"{d.adb_serial} stayed {state!r}, expected {want!r}")
            time.sleep(0.02)

    def _detach(self, d: SimulatedGalaxy) -> None:
        with self._adb_lock:
            self.client().disconnect(d.adb_serial)
        deadline = time.monotonic() + ATTACH_TIMEOUT
        while self._state(d.adb_serial) is not None and time.monotonic() < deadline:
            time.sleep(0.02)

    # From the device's loop (through an executor): a device that comes back while the bench is
    # being torn down must not raise into the loop.
    def _attach_quiet(self, d: SimulatedGalaxy) -> None:
        try:
            if d.plugged and self._loop is not None:
                self._attach(d)
        except Exception:  # noqa: BLE001 - a late re-attach during stop() is harmless
            pass

    def _detach_quiet(self, d: SimulatedGalaxy) -> None:
        try:
            self._detach(d)
        except Exception:  # noqa: BLE001
            pass

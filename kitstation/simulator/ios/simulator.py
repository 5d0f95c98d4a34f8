"""``IOSSimulator`` (asyncio) and ``IOSSimulatorThread`` (its own loop in a daemon thread).

The simulator owns the usbmuxd server, the devices and their timers. Code under test should
talk to it only through the socket, exactly as it would to a real usbmuxd, which is why tests,
the CLI, the GUI demo and the benchmarks use ``IOSSimulatorThread``: the simulator then never
shares an event loop with the code it serves.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import random
import shutil
import tempfile
import threading
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from types import TracebackType
from typing import Any, TypeVar

from kitstation.simulator.ios.activation import ActivationServer, Authority
from kitstation.simulator.ios.catalogue import MODELS, find_model, make_identity, releases_for
from kitstation.simulator.ios.device import SimulatedIOSDevice, TrustState
from kitstation.simulator.ios.faults import DEFAULT_JITTER, Fault, parse_faults
from kitstation.simulator.ios.usbmuxd import Usbmuxd

T = TypeVar("T")
_PLUG_OPTIONS = frozenset(
    {
        "setup_assistant",
        "trust",
        "passcode_locked",
        "activation_state",
        "supervised",
        "cloud_configuration",
        "udid",
        "serial",
        "imei",
        "ecid",
        "product_type",
        "product_version",
        "build_version",
        "device_name",
    }
)

# Where the simulated iPhones sit, as macOS's usbmuxd reports it (the IOKit ``locationID``: the
# bus in the top byte, then one nibble per port from the root hub down, 0 ending the path): a
# 7-port hub on each root port 1-15 of a bus (as the Galaxy side's ``usb_path_for``), phones on
# its ports 1-7 -- ``0x01110000`` is bus 1, root port 1, hub port 1. A bus holds 105 phones; the
# next go on another bus (another controller), skipping the Galaxy's bus 3 so that two simulated
# phones never share a place name.
PORTS_PER_HUB, ROOT_PORTS = 7, 15
IOS_BUSES: tuple[int, ...] = (1, 2, *range(4, 0x100))


def location_id_for(index: int) -> int:
    """The LocationID of plug index ``index`` (the same on every re-plug)."""
    if index < 0:
        raise ValueError(f"plug index must be >= 0, not {index}")
    per_bus = PORTS_PER_HUB * ROOT_PORTS
    bus_index, rest = divmod(index, per_bus)
    if bus_index >= len(IOS_BUSES):
        raise ValueError(f"the simulated USB tree holds at most {per_bus * len(IOS_BUSES)} devices")
    root, port = divmod(rest, PORTS_PER_HUB)
    return (IOS_BUSES[bus_index] << 24) | ((root + 1) << 20) | ((port + 1) << 16)


class IOSSimulator:
    """Simulated usbmuxd with simulated iPhones/iPads behind it.

    ``socket_path`` (unix) and/or ``tcp_port`` (127.0.0.1, 0 = any free port); with neither, a
    unix socket in a fresh temp dir. ``speed`` divides every modelled latency (2000 in tests,
    ~5 for a demo); ``jitter`` spreads each latency (0.2: ±20 %, 0: every device alike).
    ``faults`` are ``--fault`` specs (faults.py). ``abm_assignments`` maps a
    serial number to the cloud configuration "assigned in Apple Business Manager".

    With it starts the stand-in for Apple's activation server (HTTPS on 127.0.0.1, its own CA):
    ``activation_url`` and ``activation_ca_file``, also in ``env``.
    """

    def __init__(
        self,
        *,
        socket_path: str | None = None,
        tcp_port: int | None = None,
        speed: float = 1.0,
        seed: int = 0,
        jitter: float = DEFAULT_JITTER,
        faults: Sequence[str] = (),
        abm_assignments: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        if not 0 <= jitter < 1:
            raise ValueError("jitter must be in 0..1")
        self.speed = speed
        self.seed = seed
        self.jitter = jitter
        self._socket_path = socket_path
        self._tcp_port = tcp_port
        self._faults: list[Fault] = parse_faults(faults, strict=False)
        self.abm_assignments: dict[str, dict[str, Any]] = dict(abm_assignments or {})
        self._rng = random.Random(seed)
        self.buid = str(uuid.UUID(int=self._rng.getrandbits(128))).upper()
        self._devices: list[SimulatedIOSDevice] = []
        self._next_device_id = 1
        self.usbmuxd = Usbmuxd(self)
        self._servers: list[asyncio.AbstractServer] = []
        self._tmpdir: str | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.socket_path: str | None = None
        self.tcp_address: tuple[str, int] | None = None
        self.activation_authority = Authority()
        self.activation_server: ActivationServer | None = None

    # ----- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._tmpdir = tempfile.mkdtemp(prefix="kitsim-ios-")
        if self._socket_path is None and self._tcp_port is None:
            self._socket_path = os.path.join(self._tmpdir, "usbmuxd")
        if self._socket_path is not None:
            path = self._socket_path.removeprefix("UNIX:")
            if os.path.exists(path):
                _remove_stale_socket(path)
            server = await asyncio.start_unix_server(self.usbmuxd.handle, path=path)
            os.chmod(path, 0o666)  # like /var/run/usbmuxd: any local user's tools may connect
            self._servers.append(server)
            self.socket_path = path
        if self._tcp_port is not None:
            server = await asyncio.start_server(self.usbmuxd.handle, host="127.0.0.1", port=self._tcp_port)
            self._servers.append(server)
            sockname = server.sockets[0].getsockname()
            self.tcp_address = (sockname[0], int(sockname[1]))
        self.activation_server = ActivationServer(self, self._tmpdir)
        await self.activation_server.start()

    async def stop(self) -> None:
        if self.activation_server is not None:
            await self.activation_server.stop()
        for server in self._servers:
            server.close()
        self.usbmuxd.close_clients()
        for dev in self._devices:
            dev.drop_connections()
        tasks = [t for t in self._tasks if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        for server in self._servers:
            await server.wait_closed()
        self._servers.clear()
        if self.socket_path and os.path.exists(self.socket_path):
            os.unlink(self.socket_path)
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)

    async def __aenter__(self) -> IOSSimulator:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    @property
    def address(self) -> str:
        """The value for ``USBMUXD_SOCKET_ADDRESS``: the unix path, else ``127.0.0.1:PORT``."""
        if self.socket_path is not None:
            return self.socket_path
        if self.tcp_address is not None:
            return f"{self.tcp_address[0]}:{self.tcp_address[1]}"
        raise RuntimeError("the simulator is not started")

    @property
    def activation_url(self) -> str:
        """Base URL of the activation stand-in (``https://127.0.0.1:PORT``)."""
        if self.activation_server is None:
            raise RuntimeError("the simulator is not started")
        return self.activation_server.url

    @property
    def activation_ca_file(self) -> str:
        """The stand-in's CA certificate (PEM): a client trusts it instead of Apple's."""
        if self.activation_server is None:
            raise RuntimeError("the simulator is not started")
        return self.activation_server.ca_file

    @property
    def env(self) -> dict[str, str]:
        """Environment for a client process: usbmuxd (pymobiledevice3, libimobiledevice) and the
        activation stand-in (the station's ``KITSTATION_ACTIVATION_URL``/``_CA``)."""
        return {
            "USBMUXD_SOCKET_ADDRESS": self.address,
            "KITSTATION_ACTIVATION_URL": self.activation_url,
            "KITSTATION_ACTIVATION_CA": self.activation_ca_file,
        }

    @property
    def devices(self) -> list[SimulatedIOSDevice]:
        """Every device ever plugged in this simulator, attached or not, in plug order."""
        return list(self._devices)

    # ----- devices ------------------------------------------------------------------------------

    async def plug(self, model: str | None = None, **overrides: Any) -> SimulatedIOSDevice:
        """A new device, attached. ``model`` is a product type or marketing name (random if None).

        Overrides: ``setup_assistant`` (default True: new in box; False when ``trust`` is not
        "auto" or ``passcode_locked``, since a device in Setup Assistant has neither),
        ``trust`` ("auto" | "pending" | "refused"), ``passcode_locked``, ``activation_state``,
        ``supervised``, ``cloud_configuration``, ``udid``, ``serial``, ``imei``, ``ecid``,
        ``product_type``, ``product_version``, ``build_version``, ``device_name``.
        """
        unknown = set(overrides) - _PLUG_OPTIONS
        if unknown:
            raise TypeError(f"unknown plug options: {', '.join(sorted(unknown))}")
        index = len(self._devices)
        rng = random.Random(f"{self.seed}/{index}")
        name = overrides.get("product_type") or model
        m = find_model(name) if name else rng.choice(MODELS)
        identity = make_identity(m, rng)
        replace: dict[str, Any] = {k: overrides[k] for k in ("udid", "serial", "imei", "ecid") if k in overrides}
        if replace:
            from dataclasses import replace as dc_replace

            identity = dc_replace(identity, **replace)
        version, build = rng.choice(releases_for(m))
        if "product_version" in overrides:
            version = overrides["product_version"]
            build = overrides.get("build_version") or dict(releases_for(m)).get(version, build)
        elif "build_version" in overrides:
            build = overrides["build_version"]
        faults = [f for f in self._faults if f.matches_device(index, identity.udid, identity.serial)]
        trust: TrustState = overrides.get("trust", "auto")
        passcode = bool(overrides.get("passcode_locked", False))
        for f in faults:
            if f.kind == "trust":
                trust = "pending" if f.arg == "pending" else "refused"
            elif f.kind == "passcode-locked":
                passcode = True
        if trust not in ("auto", "pending", "refused", "trusted"):
            raise ValueError(f"trust must be auto, pending or refused, not {trust!r}")
        supervised = bool(overrides.get("supervised", False))
        default_sa = trust == "auto" and not passcode and not supervised
        dev = SimulatedIOSDevice(
            self,
            index=index,
            model=m,
            identity=identity,
            product_version=version,
            build_version=build,
            location_id=location_id_for(index),
            faults=faults,
            rng=rng,
            setup_assistant=bool(overrides.get("setup_assistant", default_sa)),
            trust=trust,
            passcode_locked=passcode,
            activation_state=overrides.get("activation_state"),
            supervised=supervised,
            cloud_configuration=overrides.get("cloud_configuration"),
            device_name=overrides.get("device_name"),
        )
        self._devices.append(dev)
        dev.plug_cable()
        return dev

    def device(self, udid: str) -> SimulatedIOSDevice:
        for d in self._devices:
            if d.udid == udid or d.serial == udid:
                return d
        raise KeyError(f"no simulated device {udid}")

    async def unplug(self, udid: str) -> None:
        """Pull the cable: the device detaches (its state is kept)."""
        self.device(udid).pull_cable()

    async def replug(self, udid: str) -> None:
        """Put the cable back: same device, same state, same LocationID, a new DeviceID."""
        self.device(udid).plug_cable()

    async def erase(self, udid: str) -> None:
        """Erase from the device itself (Settings > Reset), as if a user did it."""
        self.device(udid).begin_erase()

    # ----- used by devices and usbmuxd ----------------------------------------------------------

    def attached_devices(self) -> list[SimulatedIOSDevice]:
        return [d for d in self._devices if d.attached]

    def device_by_id(self, device_id: int) -> SimulatedIOSDevice | None:
        for d in self._devices:
            if d.attached and d.device_id == device_id:
                return d
        return None

    def _attach(self, dev: SimulatedIOSDevice) -> None:
        # Like usbmuxd, a new DeviceID at every attach: hosts must key on the UDID.
        dev.device_id = self._next_device_id
        self._next_device_id += 1
        self.usbmuxd.device_attached(dev)

    def _detach(self, dev: SimulatedIOSDevice) -> None:
        self.usbmuxd.device_detached(dev)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _call_soon(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the simulator's loop (directly when already on it) and return its result."""
        loop = self._loop
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if loop is None or running is loop or not loop.is_running():
            return fn()
        fut: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                fut.set_result(fn())
            except BaseException as exc:  # handed to the caller's thread
                fut.set_exception(exc)

        loop.call_soon_threadsafe(run)
        return fut.result(timeout=30)


class IOSSimulatorThread:
    """An ``IOSSimulator`` on its own event loop in a daemon thread, with a synchronous API."""

    def __init__(self, **kwargs: Any) -> None:
        self._kwargs = kwargs
        self.sim: IOSSimulator | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> IOSSimulatorThread:
        if self._thread is not None:
            return self
        self.sim = IOSSimulator(**self._kwargs)  # raises here on bad arguments or faults
        loop = asyncio.new_event_loop()
        self._loop = loop
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(ready.set)
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name="ios-simulator", daemon=True)
        self._thread.start()
        ready.wait()
        try:
            self.call(self.sim.start)
        except BaseException:
            self._shutdown_loop()
            raise
        return self

    def stop(self) -> None:
        if self._thread is None or self.sim is None:
            return
        try:
            self.call(self.sim.stop)
        finally:
            self._shutdown_loop()

    def _shutdown_loop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> IOSSimulatorThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def call(self, coro_fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """Run ``await coro_fn(*args, **kwargs)`` on the simulator's loop and return the result."""
        if self._loop is None:
            raise RuntimeError("the simulator thread is not started")

        async def run() -> T:
            return await coro_fn(*args, **kwargs)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=60)

    def _sim(self) -> IOSSimulator:
        if self.sim is None:
            raise RuntimeError("the simulator thread is not started")
        return self.sim

    def plug(self, model: str | None = None, **overrides: Any) -> SimulatedIOSDevice:
        return self.call(self._sim().plug, model, **overrides)

    def unplug(self, udid: str) -> None:
        self.call(self._sim().unplug, udid)

    def replug(self, udid: str) -> None:
        self.call(self._sim().replug, udid)

    def erase(self, udid: str) -> None:
        self.call(self._sim().erase, udid)

    def device(self, udid: str) -> SimulatedIOSDevice:
        return self._sim().device(udid)

    @property
    def address(self) -> str:
        return self._sim().address

    @property
    def env(self) -> dict[str, str]:
        return self._sim().env

    @property
    def devices(self) -> list[SimulatedIOSDevice]:
        return self._sim().devices

    @property
    def activation_url(self) -> str:
        return self._sim().activation_url

    @property
    def activation_ca_file(self) -> str:
        return self._sim().activation_ca_file

    @property
    def abm_assignments(self) -> dict[str, dict[str, Any]]:
        """The live "assigned in ABM" table (serial -> cloud configuration); edit it freely."""
        return self._sim().abm_assignments


def _remove_stale_socket(path: str) -> None:
    """Remove a socket left by a killed run; refuse a path somebody still listens on.

    The check matters: pointed at /var/run/usbmuxd by mistake, the simulator must not delete the
    real usbmuxd's socket.
    """
    import socket
    import stat

    if not stat.S_ISSOCK(os.stat(path).st_mode):
        raise FileExistsError(f"{path} exists and is not a socket")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(path)
    except OSError:
        os.unlink(path)  # nobody answers: stale
        return
    finally:
        probe.close()
    raise FileExistsError(f"something already listens on {path}")

"""The Android platform adapter: Galaxy phones over adb (adbutils), for the bench and the pipeline.

* ``discover()`` -- hot-plug from the adb server's ``host:track-devices`` stream. adbutils' own
  ``track_devices()`` reports a state change (``unauthorized`` -> ``device``) as *absent* then
  *present*, one event at a time, which looks like an unplug; this adapter reads the same stream
  through adbutils' connection and compares whole snapshots, so a state change is a
  :class:`~kitstation.domain.events.Changed` and only a real removal is a ``Detached``. The stream
  blocks, so it runs on its own thread and feeds an asyncio queue.
* ``identify()`` -- ``ro.serialno`` (the device key), Samsung's ``ril.serialnumber`` (the serial
  on the box), model code and marketing name, Android / One UI / Knox versions, the IMEIs where
  Android still gives them to the shell (up to Android 9; Android 10+ refuses, which is normal:
  the box label is the IMEI's source). An ``unauthorized`` device raises
  ``UserActionRequired(ACCEPT_USB_DEBUGGING)``; once the technician accepts, a ``Changed`` event
  wakes the bench, which identifies it again.
* ``plan()`` -- the steps of the blueprint's method (see :mod:`kitstation.android.steps`).

The adb server: ``adb_port`` (else ``ANDROID_ADB_SERVER_PORT``, else 5037) on ``adb_host``.
When none answers on that port, the adapter starts one there (``adb -P PORT start-server``):
adbutils would start one without a port, i.e. on 5037.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import subprocess
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import adbutils
from adbutils.errors import AdbError

from kitstation.android.adbconn import ClosingAdbClient
from kitstation.android.apps import plan_apps
from kitstation.android.models import knox_version, marketing_name, one_ui_version
from kitstation.android.naming import RenameStep
from kitstation.android.setup import plan_setup
from kitstation.android.shell import AdbDeviceIO, adb_errors
from kitstation.android.steps import AndroidRuntime, plan_steps
from kitstation.core.boxmatch import SERIAL_PROPERTIES
from kitstation.core.protocols import Plan
from kitstation.domain.events import Attached, Changed, Detached, DiscoveryEvent
from kitstation.domain.model import (
    Device,
    PermanentError,
    Platform,
    TransientError,
    UserAction,
    UserActionRequired,
)
from kitstation.i18n import Text
from kitstation.paths import data_dir

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kitstation.blueprints.model import Blueprint
    from kitstation.core.preflight import PreflightContext
    from kitstation.domain.events import Problem

log = logging.getLogger(__name__)

_WAIT_STATES = ("unauthorized", "authorizing")
_RECOVERY_STATES = ("recovery", "sideload", "rescue")


def _adb_port(adb_port: int | None) -> int:
    if adb_port:
        return adb_port
    env = os.environ.get("ANDROID_ADB_SERVER_PORT", "").strip()
    return int(env) if env.isdigit() else 5037


class AndroidAdapter:
    """Galaxy phones behind an adb server.

    ``AndroidAdapter(adb_port=None, adb_host="127.0.0.1", apk_cache=None, usb_paths=None)``:
    ``adb_port`` defaults to ``ANDROID_ADB_SERVER_PORT`` or 5037; ``apk_cache`` to
    ``<data dir>/apk-cache``. A phone's slot is adb's ``usb:`` device path; ``usb_paths``
    (adb serial -> USB path or None) answers for a transport adb lists without one (a network
    transport: the simulated bench's phones). The bench, not the adapter, joins an identified
    device with what barcode intake recorded of it.
    """

    def __init__(
        self,
        adb_port: int | None = None,
        adb_host: str = "127.0.0.1",
        apk_cache: Path | None = None,
        usb_paths: Callable[[str], str | None] | None = None,
    ) -> None:
        self.adb_port = _adb_port(adb_port)
        self._usb_paths = usb_paths
        self.adb_host = adb_host
        self.apk_cache = apk_cache or data_dir() / "apk-cache"
        # Every adb call blocks a thread for the device's own latency (an install, a reboot): with
        # fewer threads than devices, fast phones queue behind slow ones. Measured on 64 simulated
        # phones: 16 threads -> batch wall 3.6 s, 128 threads -> 1.8 s (benchmarks/bench_batch.py).
        self._executor = ThreadPoolExecutor(max_workers=128, thread_name_prefix="adb")
        self.runtime = AndroidRuntime(self.client, self._executor, self.apk_cache)
        self._server_lock = threading.Lock()
        self._states: dict[str, str] = {}  # adb serial -> last state seen by discover()
        self._locations: dict[str, str] = {}
        self._closing = threading.Event()
        self._track_conns: list[list[Any]] = []  # the open track-devices connection of each stream
        self._threads: list[threading.Thread] = []

    @property
    def platform(self) -> Platform:
        return Platform.ANDROID

    # --- the adb server ------------------------------------------------------------------------------
    def client(self) -> adbutils.AdbClient:
        """An adbutils client for our server (started on our port first if none answers)."""
        self._ensure_server()
        return ClosingAdbClient(host=self.adb_host, port=self.adb_port, socket_timeout=30)

    def _ensure_server(self) -> None:
        # Checked before every connection, not once: should the server die, adbutils would start
        # a new one itself -- without our port, i.e. on 5037, next to another one's devices.
        if self.adb_host not in ("127.0.0.1", "localhost") or _port_open(self.adb_host, self.adb_port):
            return
        with self._server_lock:
            if not _port_open(self.adb_host, self.adb_port):
                from adbutils._utils import adb_path

                env = dict(os.environ, ANDROID_ADB_SERVER_PORT=str(self.adb_port))
                subprocess.run(
                    [adb_path(), "-P", str(self.adb_port), "start-server"],
                    env=env,
                    timeout=30,
                    capture_output=True,
                    check=False,
                )

    async def _run(self, fn: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: fn(*args))

    # --- discovery -----------------------------------------------------------------------------------
    def _snapshot(self) -> dict[str, tuple[str, str | None]]:
        """adb serial -> (state, usb location) from ``host:devices-l``."""
        out: dict[str, tuple[str, str | None]] = {}
        for info in self.client().list(extended=True):
            out[info.serial] = (info.state, self._usb_of(info.serial, info.tags))
        return out

    def _usb_of(self, serial: str, tags: dict[str, str]) -> str | None:
        """adb's ``usb:`` device path from a ``devices -l`` line, else what ``usb_paths`` says."""
        usb = str(tags.get("usb") or "")
        if not usb and self._usb_paths is not None:
            usb = self._usb_paths(serial) or ""
        return usb or None

    async def discover(self) -> AsyncIterator[DiscoveryEvent]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[DiscoveryEvent | BaseException] = asyncio.Queue()

        def put(item: DiscoveryEvent | BaseException) -> None:
            # The loop may close while the thread still runs (a stream abandoned at shutdown).
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(queue.put_nowait, item)

        stop = threading.Event()
        conns: list[Any] = []
        thread = threading.Thread(target=self._track, args=(put, stop, conns), name="adb-track", daemon=True)
        self._threads.append(thread)
        thread.start()
        try:
            while True:
                item = await queue.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            _shut(conns)

    def _close_track(self) -> None:
        for conns in list(self._track_conns):
            _shut(conns)

    def _track(self, put: Any, stop: threading.Event, conns: list[Any]) -> None:
        """The tracking thread: snapshots from the adb server, diffed into events."""
        known: dict[str, str] = {}
        backoff = 0.2
        while not stop.is_set() and not self._closing.is_set():
            try:
                self._ensure_server()
                # No socket timeout: the stream is silent while nothing changes (a timeout there
                # would look like the server going away and detach every device).
                client = ClosingAdbClient(host=self.adb_host, port=self.adb_port)
                conn = client.make_connection()
                conns[:] = [conn]
                self._track_conns.append(conns)
                try:
                    if stop.is_set() or self._closing.is_set():
                        return  # closed while connecting: nobody would shut this socket
                    conn.send_command("host:track-devices")
                    conn.check_okay()
                    while not stop.is_set():
                        block = conn.read_string_block()
                        current: dict[str, str] = {}
                        for line in block.splitlines():
                            serial, _, state = line.strip().partition("\t")
                            if serial:
                                current[serial] = state.strip()
                        self._emit_diff(known, current, put)
                        known = current
                        backoff = 0.2
                finally:
                    with contextlib.suppress(ValueError):
                        self._track_conns.remove(conns)
                    with contextlib.suppress(Exception):
                        conn.close()
            except (AdbError, OSError, EOFError, ValueError) as exc:
                if stop.is_set() or self._closing.is_set():
                    return
                # The adb server went away (killed, restarted): devices are gone until it is back.
                log.warning("adb device tracking interrupted: %s", exc)
                self._emit_diff(known, {}, put)
                known = {}
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)

    def _emit_diff(self, old: dict[str, str], new: dict[str, str], put: Any) -> None:
        for serial in old.keys() - new.keys():
            self._states.pop(serial, None)
            put(Detached(Platform.ANDROID, serial))
        for serial, state in new.items():
            self._states[serial] = state
            if serial not in old:
                location = self._location_of(serial)
                put(Attached(Platform.ANDROID, serial, location))
            elif old[serial] != state:
                put(Changed(Platform.ANDROID, serial, state))

    def _location_of(self, serial: str) -> str:
        """The slot: adb's ``usb:`` location (``1-1.3``) where present, else the adb serial."""
        try:
            for info in self.client().list(extended=True):
                if info.serial == serial:
                    usb = self._usb_of(serial, info.tags)
                    if usb:
                        self._locations[serial] = usb
                        return usb
        except (AdbError, OSError) as exc:
            log.debug("devices -l failed: %s", exc)
        return serial

    # --- identity ------------------------------------------------------------------------------------
    def _state(self, serial: str) -> tuple[str, str | None]:
        snap = self._snapshot()
        if serial not in snap:
            raise TransientError(
                Text("The device {s} is not connected", "端末 {s} が接続されていません").format(s=serial),
                code="not_connected",
            )
        return snap[serial]

    def _identify_blocking(self, serial: str) -> Device:
        state, usb = adb_errors(lambda: self._state(serial), serial)
        if state in _WAIT_STATES:
            raise UserActionRequired(UserAction.ACCEPT_USB_DEBUGGING)
        if state in _RECOVERY_STATES:
            # Android recovery (or sideload): only the technician can bring it back; a Changed
            # event wakes the bench when the state changes.
            raise UserActionRequired(
                UserAction.RECOVERY_MODE,
                Text(
                    "The Galaxy is in Android recovery: choose 'Reboot system now' on the device",
                    "Galaxy がリカバリーモードです: 端末で「Reboot system now」を選択してください",
                ),
            )
        if state == "no permissions" or state.startswith("no permissions"):
            raise PermanentError(
                Text(
                    "The station has no permission to open the device over USB: install the Android udev rules (Linux)",
                    "USB 経由で端末を開く権限がありません: Android の udev ルールをインストールしてください（Linux）",
                ),
                code="adb_no_permissions",
            )
        if state != "device":
            raise TransientError(
                Text("The device is {st}: waiting for it", "端末の状態は {st} です: 待機しています").format(st=state),
                code=f"adb_{state or 'unknown'}".replace(" ", "_"),
            )
        io = AdbDeviceIO(self.client(), serial)
        props = io.props()
        key = props.get("ro.serialno") or props.get("ro.boot.serialno") or serial
        box_serial = props.get("ril.serialnumber") or key
        model = props.get("ro.product.model", "")
        sdk_text = props.get("ro.build.version.sdk", "0")
        sdk = int(sdk_text) if sdk_text.isdigit() else 0
        no_radio = props.get("ro.radio.noril", "").lower() in ("yes", "true", "1")
        imeis = () if no_radio else io.imeis(sdk)
        facts: dict[str, Any] = {
            "adb_serial": serial,
            "serialno": key,
            "sdk": sdk,
            "manufacturer": props.get("ro.product.manufacturer"),
            "build": props.get("ro.build.PDA") or props.get("ro.build.display.id"),
            "security_patch": props.get("ro.build.version.security_patch"),
            "one_ui": one_ui_version(props),
            "knox": knox_version(props),
            "carrier": props.get("ro.csc.sales_code") or None,
            "tablet": "tablet" in props.get("ro.build.characteristics", ""),
            "imei_source": "adb" if imeis else ("hidden" if sdk >= 29 and not no_radio else "none"),
            # Every serial property the phone shows: intake matches box labels against all of them
            # (ril.serialnumber is empty on some models, ro.serialno differs from the label on others).
            "serials": {p: props[p] for p in SERIAL_PROPERTIES if props.get(p)},
        }
        return Device(
            platform=Platform.ANDROID,
            key=key,
            connection_id=serial,
            serial=box_serial,
            imeis=imeis,
            model_id=model or None,
            marketing_name=marketing_name(model) or (f"Galaxy {model}" if model else None),
            os_version=props.get("ro.build.version.release") or None,
            usb_location=usb or self._locations.get(serial),
            name=props.get("persist.sys.device_name") or None,
            facts={k: v for k, v in facts.items() if v is not None},
        )

    async def identify(self, connection_id: str) -> Device:
        return cast(Device, await self._run(self._identify_blocking, connection_id))

    # --- plan and close ------------------------------------------------------------------------------
    async def preflight(self, blueprint: Blueprint, ctx: PreflightContext) -> Sequence[Problem]:
        """The blueprint's problems seen without a device (agent fetched once into the APK cache)."""
        from kitstation.android.preflight import android_preflight

        return await android_preflight(blueprint, ctx, self.apk_cache, self._run)

    def plan(self, blueprint: Blueprint, device: Device) -> Plan:
        if blueprint.android is None:
            return []
        android = blueprint.android
        steps = plan_steps(self.runtime, android)
        if android.method == "device_owner":
            # Apps once the Device Owner is set (an MDM agent sees them installed after it), then
            # Wi-Fi, time zone, display, the rename, and the battery gate last.
            steps += plan_apps(self.runtime, android.apps)
            steps += plan_setup(self.runtime, android.setup, None)
            if blueprint.naming is not None:
                # KME / QR phones wait at their welcome screen, off adb: named on their labels only.
                steps.append(RenameStep(self.runtime))
            steps += plan_setup(self.runtime, None, android.min_battery_percent)
        return steps

    async def aclose(self) -> None:
        self._closing.set()
        self._close_track()
        loop = asyncio.get_running_loop()
        for thread in self._threads:
            await loop.run_in_executor(None, thread.join, 5.0)
        self._threads.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)


def _shut(conns: list[Any]) -> None:
    """Unblock a tracking thread's read by shutting its socket (the thread then sees EOF)."""
    for conn in conns:
        with contextlib.suppress(Exception):
            conn.conn.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(Exception):
            conn.close()


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        try:
            s.connect((host, port))
        except OSError:
            return False
        return True

"""Reaching one iOS device through usbmuxd with pymobiledevice3, errors in the bench's words.

Every device call goes through :meth:`Connector.guard`, which turns pymobiledevice3's exceptions
into the pipeline's: a dropped connection to a device still on the bus is a ``TransientError``
(retried), a device gone from usbmuxd is ``DeviceGone`` (the run is interrupted and resumes on
re-plug), the Trust/passcode prompts are ``UserActionRequired``, and an MCInstall refusal is a
``PermanentError`` carrying the device's own description.
"""

from __future__ import annotations

import asyncio
import contextlib
import plistlib
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pymobiledevice3 import usbmux
from pymobiledevice3.exceptions import (
    CloudConfigurationAlreadyPresentError,
    ConnectionFailedError,
    ConnectionTerminatedError,
    DeviceNotFoundError,
    FatalPairingError,
    IncorrectModeError,
    InvalidHostIDError,
    MuxException,
    NoDeviceConnectedError,
    NotPairedError,
    PairingDialogResponsePendingError,
    PasscodeRequiredError,
    PasswordRequiredError,
    ProfileError,
    PyMobileDevice3Exception,
    UserDeniedPairingError,
)
from pymobiledevice3.lockdown import SERVICE_PORT, SYSTEM_BUID
from pymobiledevice3.pair_records import create_pairing_records_cache_folder, generate_host_id
from pymobiledevice3.service_connection import ServiceConnection
from pymobiledevice3.services.mobile_config import MobileConfigService
from pymobiledevice3.usbmux import select_device

from kitstation.domain.model import (
    DeviceGone,
    PermanentError,
    TransientError,
    UserAction,
    UserActionRequired,
)
from kitstation.files import write_atomic
from kitstation.i18n import Text
from kitstation.ios import replies
from kitstation.ios.lockdown import PAIR_RECORD_MODE, StationLockdownClient, StationMobileConfig

T = TypeVar("T")

CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionTerminatedError,
    ConnectionFailedError,
    NoDeviceConnectedError,
    DeviceNotFoundError,
    MuxException,
    IncorrectModeError,
    InvalidHostIDError,
    NotPairedError,
    ConnectionError,
    asyncio.IncompleteReadError,
    ssl.SSLError,
    EOFError,
    OSError,
)

TRUST_REFUSED = Text(
    "\u201cDon't Trust\u201d was tapped: unplug and replug the device, then tap \u201cTrust\u201d",
    "「信頼しない」が選択されました。ケーブルを抜き差しして「信頼」をタップしてください",
)


# Worker threads for :meth:`Connector.blocking` (activation's HTTPS posts): one per post in flight.
# The default executor's min(32, CPUs + 4) = 6 threads queued a 32-iPhone batch's activations six at a
# time (the step took 0.6 s alone and up to 4.2 s in the batch) and held up the pair-record writes
# queued behind them. Threads are made only as posts need them.
BLOCKING_WORKERS = 128


@dataclass(frozen=True, slots=True)
class IOSTiming:
    """How often and how long the adapter polls; tests pass small values."""

    poll_interval: float = 0.5
    detach_timeout: float = 120.0  # after EraseDevice, the device should leave the bus by then


def device_error(exc: ProfileError) -> PermanentError:
    """An MCInstall refusal as a PermanentError: the reason its Status/ErrorChain gives (replies.py)."""
    code, text = replies.reason(str(exc))
    return PermanentError(text, code=code)


class Connector:
    """Opens lockdown and MCInstall connections to devices behind one usbmuxd.

    The adapter's ``Listen`` stream tells the connector which devices are on the bus and their
    usbmuxd DeviceIDs (:meth:`device_attached` / :meth:`device_detached`), so connecting to a
    device needs no ``ListDevices`` and waiting for a detach or re-attach needs no polling. Without
    a live stream (a one-off CLI call) it asks usbmuxd, as pymobiledevice3 does.
    """

    def __init__(self, usbmux_address: str | None, pairing_dir: Path, timing: IOSTiming) -> None:
        self.usbmux_address = usbmux_address
        self.pairing_dir = pairing_dir
        self.timing = timing
        self._devices: dict[str, usbmux.MuxDevice] = {}
        self._listening = False
        self._changed = asyncio.Event()  # set (and replaced) on every attach/detach
        self._buid: str | None = None
        self._blocking_pool: ThreadPoolExecutor | None = None
        # UDIDs whose device rejected a pair record it had accepted (InvalidHostID): it forgot every
        # pairing, which in Setup Assistant only an erase does. Seen here, just before re-pairing
        # hides it; the erase step's check reads (and its run clears) it.
        self.forgot_pairing: set[str] = set()

    # ----- what the Listen stream tells -------------------------------------------------------

    def listening(self, on: bool) -> None:
        """The adapter's Listen stream is (or is no longer) live: trust :attr:`_devices` only then."""
        self._listening = on
        if not on:
            self._devices.clear()
        self._notify()

    def device_attached(self, udid: str, device_id: int, connection_type: str = "USB") -> None:
        self._devices[udid] = usbmux.MuxDevice(device_id, udid, connection_type)
        self._notify()

    def device_detached(self, udid: str) -> None:
        self._devices.pop(udid, None)
        self._notify()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    # ----- usbmuxd ------------------------------------------------------------------------------

    async def raw_devices(self) -> list[dict[str, Any]]:
        """usbmuxd's ListDevices entries (with Properties: LocationID, ConnectionType...)."""
        mux = await usbmux.create_mux(usbmux_address=self.usbmux_address)
        try:
            if isinstance(mux, usbmux.PlistMuxConnection):
                # pymobiledevice3 keeps only serial and type of each device; the bench also wants
                # LocationID (the hub port), so the plist reply is read directly.
                await mux._send({"MessageType": "ListDevices"})
                reply = await mux._receive(mux._tag - 1)
                return [d for d in reply.get("DeviceList", []) if isinstance(d, dict)]
            await mux.get_device_list(0.1)
            return [
                {"DeviceID": d.devid, "Properties": {"SerialNumber": d.serial, "ConnectionType": d.connection_type}}
                for d in mux.devices
            ]
        finally:
            await mux.close()  # type: ignore[no-untyped-call]

    async def attached(self, udid: str) -> bool:
        if self._listening:
            return udid in self._devices
        try:
            devices = await usbmux.list_devices(usbmux_address=self.usbmux_address)
        except (PyMobileDevice3Exception, OSError):
            return False
        return any(d.matches_udid(udid) and d.is_usb for d in devices)

    async def _mux_device(self, udid: str) -> usbmux.MuxDevice:
        found = self._devices.get(udid)
        if found is not None:
            return found
        device = None if self._listening else await select_device(udid, "USB", usbmux_address=self.usbmux_address)
        if device is None:
            raise DeviceNotFoundError(udid, f"usbmuxd has no device {udid} over USB")
        return device

    async def _system_buid(self) -> str:
        if self._buid is None:
            async with await usbmux.create_mux(usbmux_address=self.usbmux_address) as mux:
                self._buid = await mux.get_buid() if isinstance(mux, usbmux.PlistMuxConnection) else SYSTEM_BUID
        return self._buid

    async def _connect(
        self, udid: str, autopair: bool, pair_record: dict[str, Any] | None = None
    ) -> StationLockdownClient:
        """What pymobiledevice3's ``create_using_usbmux`` does, with the device already known.

        ``pair_timeout=0``: a pending Trust dialog raises at once, so identify() stays cheap to retry.
        """
        device = await self._mux_device(udid)
        sock = await device.connect(SERVICE_PORT, usbmux_address=self.usbmux_address)
        service = await ServiceConnection.from_socket(sock, mux_device=device)  # closes sock if it fails
        ld: StationLockdownClient | None = None
        try:
            ld = StationLockdownClient(
                service,
                host_id=generate_host_id(None),
                identifier=udid,
                pair_record=pair_record,
                system_buid=await self._system_buid(),
                pairing_records_cache_folder=create_pairing_records_cache_folder(self.pairing_dir),
                port=SERVICE_PORT,
                usbmux_address=self.usbmux_address,
            )
            await ld._initialize()
            await ld._handle_autopair(autopair, 0)
        except BaseException:
            await service.close()
            # pymobiledevice3 (11.45.0) answers a connection lost mid-request by reconnecting inside
            # the client (pymobiledevice3/lockdown.py:881-889 ``_request`` ->
            # :1019-1037 ``areestablish_connection``, which replaces ``self.service`` and runs
            # StartSession + TLS on the new connection). When the session still fails (the request
            # is re-sent there and refused), that TLS connection is the client's, not ``service``,
            # and nothing else closes it: two TLS transports were left per dropped StartSession.
            if ld is not None and ld.service is not service:
                with contextlib.suppress(Exception):
                    await ld.service.close()
            raise
        return ld

    async def lockdown(self, udid: str, *, autopair: bool = True) -> StationLockdownClient:
        """A lockdown client, paired with the station's host identity when it was not yet."""
        ld = await self._connect(udid, autopair=False)
        if ld.paired or not autopair:
            return ld
        if (self.pairing_dir / f"{udid}.plist").exists():
            self.forgot_pairing.add(udid)  # we had a record; the device no longer knows it
        try:
            # On the same connection, as pymobiledevice3's own autopair does after a refused
            # StartSession (a new connection cost a usbmuxd Connect, QueryType, GetValue and a
            # third StartSession; every iPhone pairs again after its erase, all at once in a batch).
            await ld.pair(timeout=0)
            if not await ld.validate_pairing():
                raise FatalPairingError()
        except BaseException:
            with contextlib.suppress(Exception):
                await ld.close()
            raise
        return ld

    async def session(
        self,
        udid: str,
        work: Callable[[StationLockdownClient], Awaitable[T]],
        *,
        autopair: bool = True,
    ) -> T:
        """Run ``work`` in its own lockdown session, closed afterwards.

        This used to run on a worker thread's own loop, because pymobiledevice3 made RSA keys and
        parsed the supervision key synchronously inside its coroutines (up to 480 ms loop stalls).
        With that work done once (kitstation/ios/lockdown.py), a session is cheap enough for the
        bench's loop; a thread pool only added queueing (p99 2-3 s waits at 64 devices).
        """
        ld = await self._connect(udid, autopair=autopair)
        try:
            return await work(ld)
        finally:
            with contextlib.suppress(Exception):
                await ld.close()

    async def blocking(self, fn: Callable[[], T]) -> T:
        """``fn`` (a blocking call: activation's HTTPS post) on the connector's own worker threads.

        Only the post runs there, not the activation's lockdown session: with the whole activation
        on 32 threads' own loops (until 2026-12-02), 32 iPhones activating at once held the GIL for
        45-49 ms of a 54-55 ms loop stall, the one stall over 50 ms after start-up at 64 devices
        (docs/BENCHMARKS.md, "Bench, seventh round").
        """
        if self._blocking_pool is None:
            self._blocking_pool = ThreadPoolExecutor(BLOCKING_WORKERS, thread_name_prefix="ios-blocking")
        return await asyncio.get_running_loop().run_in_executor(self._blocking_pool, fn)

    def close(self) -> None:
        """Let the blocking-call worker threads end (those still running finish their call first)."""
        if self._blocking_pool is not None:
            self._blocking_pool.shutdown(wait=False)
            self._blocking_pool = None

    async def with_mcinstall(self, udid: str, work: Callable[[MobileConfigService], Awaitable[T]]) -> T:
        """A session with the MCInstall service open: for Escalate and silent installs."""

        async def run(ld: StationLockdownClient) -> T:
            mc = StationMobileConfig(lockdown=ld)
            try:
                return await work(mc)
            finally:
                with contextlib.suppress(Exception):
                    await mc.close()

        return await self.session(udid, run)

    @contextlib.asynccontextmanager
    async def guard(self, udid: str) -> AsyncIterator[None]:
        """Translate pymobiledevice3's exceptions for the pipeline (see the module docstring)."""
        try:
            yield
        except (UserActionRequired, PermanentError, TransientError, CloudConfigurationAlreadyPresentError):
            raise
        except PairingDialogResponsePendingError:
            raise UserActionRequired(UserAction.TAP_TRUST) from None
        except UserDeniedPairingError:
            raise UserActionRequired(UserAction.TAP_TRUST, TRUST_REFUSED) from None
        except (PasswordRequiredError, PasscodeRequiredError):
            raise UserActionRequired(UserAction.UNLOCK) from None
        except ProfileError as exc:
            raise device_error(exc) from None
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is None or task.cancelling():
                raise  # a real cancellation of this run: let it through
            # pymobiledevice3 closing a socket the device aborted can surface the stream's
            # cancelled close-waiter as a CancelledError nobody asked for: it is a lost link.
            if await self.attached(udid):
                raise TransientError(
                    Text("The connection to the device was lost", "デバイスとの接続が切れました"),
                    code="connection_lost",
                ) from None
            raise DeviceGone() from None
        except CONNECTION_ERRORS:
            if await self.attached(udid):
                raise TransientError(
                    Text("The connection to the device was lost", "デバイスとの接続が切れました"),
                    code="connection_lost",
                ) from None
            raise DeviceGone() from None
        except PyMobileDevice3Exception as exc:
            # Any other lockdown complaint (session state, a service busy): worth another try.
            raise TransientError(
                Text("The device answered with an error: {e}", "デバイスがエラーを返しました: {e}").format(
                    e=str(exc)[:300]
                ),
                code="device_error",
            ) from None

    @contextlib.asynccontextmanager
    async def mcinstall(self, udid: str) -> AsyncIterator[tuple[StationLockdownClient, MobileConfigService]]:
        """A lockdown session and the MCInstall service on it, both closed afterwards."""
        async with self.guard(udid):
            ld = await self.lockdown(udid)
            try:
                mc = StationMobileConfig(lockdown=ld)
                try:
                    yield ld, mc
                finally:
                    with contextlib.suppress(Exception):
                        await mc.close()
            finally:
                with contextlib.suppress(Exception):
                    await ld.close()

    def _erase_copy(self, udid: str, run_id: int) -> Path:
        return self.pairing_dir / "before-erase" / f"{udid}.run{run_id}.plist"

    def keep_pairing_for_erase(self, udid: str, run_id: int) -> None:
        """Keep the pair record as it is before EraseDevice: the evidence a resumed run asks with.

        A re-pair after the erase (this station's next connection, or another tool's) replaces
        ``<udid>.plist`` with a record the erased device accepts, which would hide the erase; the
        copy is the pairing the device had before, so only the device's answer to it counts.
        Kept per run (``check_done`` runs in the same run), older copies removed.
        """
        folder = self.pairing_dir / "before-erase"
        folder.mkdir(mode=0o700, exist_ok=True)
        for old in folder.glob(f"{udid}.run*.plist"):
            old.unlink(missing_ok=True)
        record = self.pairing_dir / f"{udid}.plist"
        if record.exists():
            # The host's private key, as in the record itself: private from the first byte.
            write_atomic(self._erase_copy(udid, run_id), record.read_bytes(), mode=PAIR_RECORD_MODE)

    async def pairing_forgotten(self, udid: str, run_id: int | None = None) -> bool | None:
        """Does the device reject the pair record it accepted before? None: no record here to ask with.

        The record is the one kept before this run's EraseDevice (:meth:`keep_pairing_for_erase`),
        else the current one. Asked without re-pairing (which would hide the answer): a session on
        it either starts (the device still knows that pairing) or ends in InvalidHostID (it forgot it).
        A record replaced since the erase request by another process's re-pair proves nothing: the
        re-pair followed the device forgetting the old one, or someone deleting it, and the device
        may accept the kept record's HostID again (the new pairing has the same one): None.
        """
        if udid in self.forgot_pairing:
            return True  # seen by this connector: the device rejected the record it had accepted
        kept = self._erase_copy(udid, run_id) if run_id is not None else None
        current = self.pairing_dir / f"{udid}.plist"
        record: dict[str, Any] | None = None
        if kept is not None and kept.exists():
            data = kept.read_bytes()
            if current.exists() and current.read_bytes() != data:
                return None
            record = plistlib.loads(data)
        elif not current.exists():
            return None
        async with self.guard(udid):
            ld = await self._connect(udid, autopair=False, pair_record=record)
            try:
                return not ld.paired
            finally:
                await ld.close()

    async def wait_attached(self, udid: str, timeout: float) -> bool:
        """Wait (polling usbmuxd, no lockdown) until the device is on the bus; False after ``timeout``."""
        deadline = time.monotonic() + timeout
        while not await self.attached(udid):
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(self.timing.poll_interval)
        return True

    async def mux_id(self, udid: str) -> int | None:
        """usbmuxd's DeviceID of the device now (a new one at every attach), None when it is not on the bus."""
        if self._listening:
            found = self._devices.get(udid)
            return found.devid if found is not None else None
        try:
            devices = await usbmux.list_devices(usbmux_address=self.usbmux_address)
        except (PyMobileDevice3Exception, OSError):
            return None
        return next((d.devid for d in devices if d.matches_udid(udid) and d.is_usb), None)

    async def wait_left(self, udid: str, before: int | None) -> Literal["left", "returned", "stayed"]:
        """After EraseDevice: did the device leave the bus (``left``), leave and come back already
        (``returned``: another DeviceID than ``before``, its id before the request), or neither
        within ``detach_timeout`` (``stayed``)? A station busy for longer than the device's reboot
        sees it back without having seen it go; the new DeviceID says it went.
        """
        deadline = time.monotonic() + self.timing.detach_timeout
        while True:
            now = await self.mux_id(udid)
            if now is None:
                return "left"
            if before is not None and now != before:
                return "returned"
            if time.monotonic() > deadline:
                return "stayed"
            await self._pause(deadline)

    async def wait_detached(self, udid: str) -> None:
        deadline = time.monotonic() + self.timing.detach_timeout
        while await self.attached(udid):
            if time.monotonic() > deadline:
                raise PermanentError(
                    Text(
                        "The device did not restart after the erase request",
                        "消去の要求後にデバイスが再起動しませんでした",
                    ),
                    code="erase_not_started",
                )
            await self._pause(deadline)

    async def _pause(self, deadline: float) -> None:
        """Until the bus changes (with a live Listen stream) or the next poll, never past ``deadline``."""
        left = max(0.0, deadline - time.monotonic())
        if self._listening:
            await self._wait_change(left)
        else:
            await asyncio.sleep(min(left, self.timing.poll_interval))

    async def in_setup_assistant(self, ld: StationLockdownClient) -> bool:
        try:
            done = await ld.get_value("com.apple.PurpleBuddy", "SetupDone")
        except PyMobileDevice3Exception:
            return False
        return not bool(done)

    async def wait_setup_assistant(self, udid: str, timeout: float) -> None:
        """Wait until the device is back on the bus and answers in Setup Assistant."""
        deadline = time.monotonic() + timeout
        while True:
            if await self.attached(udid):
                try:
                    async with self.guard(udid):
                        ld = await self.lockdown(udid)
                        try:
                            if await self.in_setup_assistant(ld):
                                return
                        finally:
                            await ld.close()
                except (TransientError, DeviceGone, UserActionRequired):
                    pass  # still booting, or a blip: keep waiting until the deadline
            if time.monotonic() > deadline:
                raise PermanentError(
                    Text(
                        "The device did not come back in Setup Assistant in time (check the cable)",
                        "デバイスが時間内に設定アシスタントで再接続されませんでした（ケーブルを確認してください）",
                    ),
                    code="reattach_timeout",
                )
            if await self.attached(udid):
                await asyncio.sleep(self.timing.poll_interval)  # on the bus, lockdownd not up yet
            else:
                await self._pause(deadline)

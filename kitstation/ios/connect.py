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
import ssl
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from cryptography.hazmat.primitives.asymmetric import rsa
from pymobiledevice3 import usbmux
from pymobiledevice3.exceptions import (
    CloudConfigurationAlreadyPresentError,
    ConnectionFailedError,
    ConnectionTerminatedError,
    DeviceNotFoundError,
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
from pymobiledevice3.lockdown import UsbmuxLockdownClient, create_using_usbmux
from pymobiledevice3.services.mobile_config import MobileConfigService

from kitstation.domain.model import (
    DeviceGone,
    PermanentError,
    TransientError,
    UserAction,
    UserActionRequired,
)
from kitstation.i18n import Text
from kitstation.ios import replies

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


@dataclass(frozen=True, slots=True)
class IOSTiming:
    """How often and how long the adapter polls; tests pass small values."""

    poll_interval: float = 0.5
    detach_timeout: float = 120.0  # after EraseDevice, the device should leave the bus by then


def device_error(exc: ProfileError) -> PermanentError:
    """An MCInstall refusal as a PermanentError: the reason its Status/ErrorChain gives (replies.py)."""
    code, text = replies.reason(str(exc))
    return PermanentError(text, code=code)


_host_key: rsa.RSAPrivateKey | None = None
_host_key_lock = threading.Lock()


def host_key() -> rsa.RSAPrivateKey:
    """This station's host key for pairing, made once per process (on a worker thread).

    A Mac or PC pairs every device with its one host key; pymobiledevice3 would make a new one
    for each pairing (a 2048-bit RSA key: ~70 ms of CPU each, three pairings per prepared iPhone).
    """
    global _host_key
    with _host_key_lock:
        if _host_key is None:
            _host_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return _host_key


class Connector:
    """Opens lockdown and MCInstall connections to devices behind one usbmuxd."""

    def __init__(self, usbmux_address: str | None, pairing_dir: Path, timing: IOSTiming) -> None:
        self.usbmux_address = usbmux_address
        self.pairing_dir = pairing_dir
        self.timing = timing
        # UDIDs whose device rejected a pair record it had accepted (InvalidHostID): it forgot every
        # pairing, which in Setup Assistant only an erase does. Seen here, just before re-pairing
        # hides it; the erase step's check reads (and its run clears) it.
        self.forgot_pairing: set[str] = set()

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
        try:
            devices = await usbmux.list_devices(usbmux_address=self.usbmux_address)
        except (PyMobileDevice3Exception, OSError):
            return False
        return any(d.matches_udid(udid) and d.is_usb for d in devices)

    async def _connect(self, udid: str, autopair: bool) -> UsbmuxLockdownClient:
        # pair_timeout=0: a pending Trust dialog raises at once, so identify() stays cheap to retry.
        return await create_using_usbmux(
            serial=udid,
            autopair=autopair,
            pair_timeout=0,
            connection_type="USB",
            pairing_records_cache_folder=self.pairing_dir,
            usbmux_address=self.usbmux_address,
        )

    async def lockdown(self, udid: str, *, autopair: bool = True) -> UsbmuxLockdownClient:
        """A lockdown client; pairing, when needed, happens off the event loop (see ``offloop``)."""
        ld = await self._connect(udid, autopair=False)
        if ld.paired or not autopair:
            return ld
        if (self.pairing_dir / f"{udid}.plist").exists():
            self.forgot_pairing.add(udid)  # we had a record; the device no longer knows it
        await ld.close()

        async def pair(ld: UsbmuxLockdownClient) -> None:
            await ld.pair(timeout=0, private_key=host_key())  # saves the pair record

        await self.offloop(udid, pair, autopair=False)
        return await self._connect(udid, autopair=False)

    async def offloop(
        self,
        udid: str,
        work: Callable[[UsbmuxLockdownClient], Awaitable[T]],
        *,
        autopair: bool = True,
    ) -> T:
        """Run ``work`` in its own lockdown session, on a private event loop in a worker thread.

        pymobiledevice3 does its RSA work synchronously inside its coroutines: pairing generates
        two 2048-bit keys, supervised pairing, Escalate and silent installs parse the supervision
        key -- 70 ms each here, which stalled every other device on the bench's loop (measured
        with benchmarks/bench_batch.py: up to 480 ms). On a worker thread they stall nothing.
        """

        async def session() -> T:
            ld = await self._connect(udid, autopair=autopair)
            try:
                return await work(ld)
            finally:
                with contextlib.suppress(Exception):
                    await ld.close()

        return await asyncio.to_thread(asyncio.run, session())

    async def with_mcinstall(self, udid: str, work: Callable[[MobileConfigService], Awaitable[T]]) -> T:
        """``offloop`` with the MCInstall service open: for Escalate and silent installs."""

        async def run(ld: UsbmuxLockdownClient) -> T:
            mc = MobileConfigService(lockdown=ld)
            try:
                return await work(mc)
            finally:
                with contextlib.suppress(Exception):
                    await mc.close()

        return await self.offloop(udid, run)

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
    async def mcinstall(self, udid: str) -> AsyncIterator[tuple[UsbmuxLockdownClient, MobileConfigService]]:
        """A lockdown session and the MCInstall service on it, both closed afterwards."""
        async with self.guard(udid):
            ld = await self.lockdown(udid)
            try:
                mc = MobileConfigService(lockdown=ld)
                try:
                    yield ld, mc
                finally:
                    with contextlib.suppress(Exception):
                        await mc.close()
            finally:
                with contextlib.suppress(Exception):
                    await ld.close()

    async def pairing_forgotten(self, udid: str) -> bool | None:
        """Does the device reject the pair record it accepted before? None: no record here to ask with.

        Asked without re-pairing (which would hide the answer): a session on our record either
        starts (the device still knows this host) or ends in InvalidHostID (it forgot it).
        """
        if udid in self.forgot_pairing:
            return True
        if not (self.pairing_dir / f"{udid}.plist").exists():
            return None
        async with self.guard(udid):
            ld = await self._connect(udid, autopair=False)
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
            await asyncio.sleep(self.timing.poll_interval)

    async def in_setup_assistant(self, ld: UsbmuxLockdownClient) -> bool:
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
            await asyncio.sleep(self.timing.poll_interval)

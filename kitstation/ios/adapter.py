"""``IOSAdapter``: iPhones and iPads on pymobiledevice3, behind the pipeline's PlatformAdapter.

* ``discover()`` listens to usbmuxd (``Listen``: the devices present, then hot-plug) and yields
  Attached/Detached events with the USB location (LocationID) of each device;
* ``identify(udid)`` pairs (a device in Setup Assistant pairs without a prompt; otherwise the
  Trust dialog or the passcode makes it raise ``UserActionRequired`` at once, so the bench can
  simply call it again) and reads the device's identity;
* ``plan(blueprint, device)`` lists the steps of the blueprint's method (CLOMO guide 1-4).

pymobiledevice3 saves pair records through a usbmuxd connection it opens without an address, so
a station talking to a usbmuxd that is not the system's must also export
``USBMUXD_SOCKET_ADDRESS`` (see docs/ios.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pymobiledevice3 import usbmux
from pymobiledevice3.exceptions import (
    LockdownError,
    PairingDialogResponsePendingError,
    PyMobileDevice3Exception,
    UserDeniedPairingError,
)

from kitstation import paths
from kitstation.core.protocols import Plan
from kitstation.domain.events import Attached, Detached, DiscoveryEvent
from kitstation.domain.model import Device, PermanentError, Platform
from kitstation.i18n import Text
from kitstation.ios.activation import ActivationEndpoint, activate_if_needed
from kitstation.ios.apps import app_steps
from kitstation.ios.battery import BatteryStep
from kitstation.ios.connect import Connector, IOSTiming
from kitstation.ios.identities import IdentityStore
from kitstation.ios.lockdown import StationKeys, StationLockdownClient
from kitstation.ios.models import marketing_name
from kitstation.ios.naming import RenameStep
from kitstation.ios.steps import (
    ABMHandoffStep,
    ActivateStep,
    CloudConfigStep,
    DEPVerifyStep,
    EraseStep,
    InstallProfileStep,
    IOSStep,
    LanguageStep,
    ProfileSource,
    SetupAssistantStep,
    SuperviseStep,
    VerifyStep,
    check_dep_assignment,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kitstation.blueprints.model import Blueprint
    from kitstation.core.preflight import PreflightContext
    from kitstation.domain.events import Problem
    from kitstation.domain.model import StepResult

log = logging.getLogger(__name__)

S = TypeVar("S", bound=IOSStep)


def _location(props: dict[str, Any]) -> str | None:
    loc = props.get("LocationID")
    if isinstance(loc, int):
        return f"0x{loc:08x}"
    return str(loc) if loc else None


async def _pair_supervised(ld: StationLockdownClient, keybag: Path) -> None:
    await ld.pair_supervised(keybag, timeout=0)


class IOSAdapter:
    """The iOS platform adapter.

    ``usbmux_address``: usbmuxd to talk to (``None``: ``USBMUXD_SOCKET_ADDRESS`` or the system's).
    ``pairing_dir``: where pair records are kept (default: ``<data dir>/pairing``, never ``~``).
    ``identities``: the supervision identity store (default: ``<data dir>/identities``).
    ``timing``: poll intervals and time-outs (:class:`IOSTiming`).
    ``activation``: where activation requests go instead of Apple's server (the simulator's
    stand-in); default: ``KITSTATION_ACTIVATION_URL``/``_CA`` when set, else Apple.
    """

    platform = Platform.IOS

    def __init__(
        self,
        usbmux_address: str | None = None,
        pairing_dir: Path | None = None,
        identities: IdentityStore | None = None,
        timing: IOSTiming | None = None,
        activation: ActivationEndpoint | None = None,
    ) -> None:
        self.usbmux_address = usbmux_address
        self.pairing_dir = pairing_dir if pairing_dir is not None else paths.data_dir() / "pairing"
        self.identities = identities if identities is not None else IdentityStore()
        self.timing = timing or IOSTiming()
        self.connector = Connector(usbmux_address, self.pairing_dir, self.timing)
        self.activation = activation if activation is not None else ActivationEndpoint.from_env()
        self._locations: dict[str, str] = {}
        self._closing = asyncio.Event()
        self._muxes: set[Any] = set()

    # ----- discovery --------------------------------------------------------------------------

    async def discover(self) -> AsyncIterator[DiscoveryEvent]:
        """Attached for every device present, then hot-plug events, until :meth:`aclose`.

        A lost usbmuxd connection is re-opened; devices that vanished meanwhile are reported
        Detached and new ones Attached, so the stream stays consistent.
        """
        present: dict[int, str] = {}  # usbmuxd DeviceID -> UDID
        backoff = self.timing.poll_interval
        # The station's pairing keys are made once, off the loop, while the first devices appear.
        keys = asyncio.get_running_loop().run_in_executor(None, StationKeys.get)
        try:
            async for event in self._listen(present, backoff):
                yield event
        finally:
            self.connector.listening(False)
            with contextlib.suppress(Exception):
                await keys

    async def _listen(self, present: dict[int, str], backoff: float) -> AsyncIterator[DiscoveryEvent]:
        while not self._closing.is_set():
            mux: Any = None
            try:
                mux = await usbmux.create_mux(usbmux_address=self.usbmux_address)
                self._muxes.add(mux)
                await mux.listen()
                self.connector.listening(True)
                backoff = self.timing.poll_interval
                while True:
                    # Read raw plists: pymobiledevice3's device records drop LocationID.
                    msg = await mux._receive() if isinstance(mux, usbmux.PlistMuxConnection) else None
                    if msg is None:
                        await mux.receive_device_state_update()
                        continue
                    kind = msg.get("MessageType")
                    if kind == "Attached":
                        props = msg.get("Properties") or {}
                        if props.get("ConnectionType", "USB") != "USB":
                            continue  # Wi-Fi sync devices are not on the bench
                        udid = str(props.get("SerialNumber", ""))
                        dev_id = int(msg.get("DeviceID", 0))
                        loc = _location(props)
                        if loc:
                            self._locations[udid] = loc
                        if dev_id in present and present[dev_id] == udid:
                            continue  # re-listed after a reconnect
                        present[dev_id] = udid
                        self.connector.device_attached(udid, dev_id)
                        yield Attached(Platform.IOS, udid, loc)
                    elif kind == "Detached":
                        dev_id = int(msg.get("DeviceID", 0))
                        udid = present.pop(dev_id, "")
                        if udid:
                            self.connector.device_detached(udid)
                            yield Detached(Platform.IOS, udid)
            except (PyMobileDevice3Exception, OSError, asyncio.IncompleteReadError) as exc:
                if self._closing.is_set():
                    break
                log.info("usbmuxd listen connection lost: %s", exc)
                self.connector.listening(False)
                # Whatever was present may have gone while we were not listening.
                for dev_id, udid in list(present.items()):
                    present.pop(dev_id)
                    yield Detached(Platform.IOS, udid)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                if mux is not None:
                    self._muxes.discard(mux)
                    with contextlib.suppress(Exception):
                        await mux.close()

    # ----- identity ---------------------------------------------------------------------------

    async def identify(self, connection_id: str) -> Device:
        """The device behind a UDID; ``UserActionRequired`` while it waits for Trust or unlock."""
        udid = connection_id
        record = self.pairing_dir / f"{udid}.plist"
        was_paired = record.exists()
        async with self.connector.guard(udid):
            try:
                ld = await self.connector.lockdown(udid)
            except PairingDialogResponsePendingError:
                # A supervised device lets its supervisor pair without the Trust dialog.
                supervised_ld = await self._pair_as_supervisor(udid)
                if supervised_ld is None:
                    raise
                ld = supervised_ld
            try:
                v: dict[str, Any] = dict(ld.all_values or {})
                setup = await self.connector.in_setup_assistant(ld)
                try:
                    supervised = bool(await ld.get_value("com.apple.mobile.chaperone", "DeviceIsChaperoned"))
                except PyMobileDevice3Exception:
                    supervised = False
            finally:
                await ld.close()
        if udid not in self._locations:
            with contextlib.suppress(PyMobileDevice3Exception, OSError):
                for entry in await self.connector.raw_devices():
                    props = entry.get("Properties") or {}
                    if props.get("SerialNumber") == udid and _location(props):
                        self._locations[udid] = str(_location(props))
        imei = v.get("InternationalMobileEquipmentIdentity")
        imei2 = v.get("InternationalMobileEquipmentIdentity2")
        ecid = v.get("UniqueChipID")
        product_type = v.get("ProductType")
        return Device(
            platform=Platform.IOS,
            key=str(v.get("UniqueDeviceID") or udid),
            connection_id=udid,
            udid=str(v.get("UniqueDeviceID") or udid),
            serial=v.get("SerialNumber"),
            imeis=tuple(str(i) for i in (imei, imei2) if i),
            ecid=str(ecid) if ecid is not None else None,
            model_id=product_type,
            marketing_name=marketing_name(product_type),
            os_version=v.get("ProductVersion"),
            usb_location=self._locations.get(udid),
            name=v.get("DeviceName"),
            facts={
                "activation_state": v.get("ActivationState"),
                "supervised": supervised,
                "setup_assistant": setup,
                "paired_before": was_paired,
                "paired": True,
                "build_version": v.get("BuildVersion"),
                "device_class": v.get("DeviceClass"),
                "model_number": v.get("ModelNumber"),
            },
        )

    async def _pair_as_supervisor(self, udid: str) -> StationLockdownClient | None:
        """Try each supervision identity of the store; a lockdown session on success, else None."""
        for identity in self.identities.list():
            if identity.locked:
                continue  # encrypted at rest and its passphrase not given in this process yet
            try:
                await self.connector.session(
                    udid, functools.partial(_pair_supervised, keybag=identity.keybag), autopair=False
                )
            except (PairingDialogResponsePendingError, UserDeniedPairingError, LockdownError):
                continue  # not this device's supervisor: the device still shows the dialog
            log.info("paired with %s as supervisor %s", udid, identity.name)
            return await self.connector.lockdown(udid)
        return None

    # ----- planning ---------------------------------------------------------------------------

    def _step(self, cls: type[S], **kwargs: Any) -> S:
        return cls(connector=self.connector, store=self.identities, activation=self.activation, **kwargs)

    async def preflight(self, blueprint: Blueprint, ctx: PreflightContext) -> Sequence[Problem]:
        """The blueprint's problems seen without a device (identity, anchors, secrets, profiles, URL)."""
        from kitstation.ios.preflight import ios_preflight

        return await ios_preflight(blueprint, ctx, self.identities)

    def plan(self, blueprint: Blueprint, device: Device) -> Plan:
        """The steps of the blueprint's iOS method, then the battery gate when the blueprint asks for one."""
        steps = self._plan_method(blueprint, device)
        # Apps after supervision and profiles, before the ABM hand-off and the battery gate.
        at = next((i for i, s in enumerate(steps) if s.id == "ios.abm_handoff"), len(steps))
        steps[at:at] = app_steps(self._step, blueprint.ios.apps if blueprint.ios is not None else None)
        if blueprint.naming is not None:
            steps.append(self._step(RenameStep))  # after any erase: an erase restores the factory name
        if blueprint.ios is not None and blueprint.ios.min_battery_percent is not None:
            steps.append(self._step(BatteryStep))  # last: the level recorded is the one at hand-over
        return steps

    def _plan_method(self, blueprint: Blueprint, device: Device) -> Plan:
        """The steps of the blueprint's iOS method, in order (see docs/ios.md for each method)."""
        opts = blueprint.ios
        if opts is None:
            raise PermanentError(
                Text("The blueprint has no [ios] section", "ブループリントに [ios] セクションがありません"),
                code="no_ios",
            )
        steps: Plan = []
        if opts.erase:
            steps += [self._step(EraseStep), self._step(SetupAssistantStep)]
        if opts.erase or opts.method != "direct_profile":
            # Before any cloud configuration: a real device refuses one until it is activated.
            steps.append(self._step(ActivateStep))
        if opts.method == "dep":
            steps.append(self._step(DEPVerifyStep))
            return steps
        profiles: list[tuple[str, ProfileSource]] = []
        if opts.wifi is not None:
            profiles.append(("ios.profile.wifi", ProfileSource("wifi", wifi=True)))
        elif opts.wifi_profile:
            profiles.append(("ios.profile.wifi", ProfileSource(opts.wifi_profile, path=opts.wifi_profile)))
        for i, name in enumerate(opts.profiles, start=1):
            profiles.append((f"ios.profile.{i}", ProfileSource(name, path=name)))
        wifi_title = Text("Install the Wi-Fi profile", "Wi-Fiプロファイルをインストール")
        if opts.method == "direct_profile":
            assert opts.enrollment_profile is not None
            for sid, src in profiles:
                steps.append(
                    self._step(
                        InstallProfileStep,
                        id=sid,
                        title=wifi_title if sid.endswith("wifi") else _profile_title(src.label),
                        source=src,
                        silent=False,
                        timeout_minutes=opts.confirm_timeout_minutes,
                    )
                )
            enroll = ProfileSource(opts.enrollment_profile, path=opts.enrollment_profile)
            steps.append(
                self._step(
                    InstallProfileStep,
                    id="ios.enroll_profile",
                    title=Text(
                        "Install the MDM enrollment profile (confirm on the device)",
                        "MDM登録プロファイルをインストール（デバイスで承認）",
                    ),
                    source=enroll,
                    silent=False,
                    timeout_minutes=opts.confirm_timeout_minutes,
                )
            )
            if opts.verify:
                steps.append(
                    self._step(
                        VerifyStep, check_cloud_config=False, profiles=tuple(s for _i, s in profiles) + (enroll,)
                    )
                )
            return steps
        # Methods 2 and 3: Configurator's Prepare.
        if opts.language or opts.region:
            steps.append(self._step(LanguageStep))
        steps.append(self._step(CloudConfigStep))
        if opts.supervise:
            steps.append(self._step(SuperviseStep))
        for sid, src in profiles:
            steps.append(
                self._step(
                    InstallProfileStep,
                    id=sid,
                    title=wifi_title if sid.endswith("wifi") else _profile_title(src.label),
                    source=src,
                    silent=opts.supervise,
                    timeout_minutes=opts.confirm_timeout_minutes,
                )
            )
        if opts.verify:
            steps.append(self._step(VerifyStep, profiles=tuple(s for _i, s in profiles)))
        if opts.add_to_dep:
            steps.append(self._step(ABMHandoffStep))
        return steps

    def plan_dep_verify(self, blueprint: Blueprint, device: Device) -> Plan:
        """The later check of a device handed off to ABM (run as its own short run)."""
        return [self._step(ActivateStep), self._step(DEPVerifyStep)]

    async def verify_dep_assignment(self, device: Device) -> StepResult:
        """Ask the device to fetch its cloud configuration and say whether ABM assigned it.

        An erased device is unactivated, and a real one fetches nothing from Apple before it is
        activated: it is activated first (as Setup Assistant itself does).
        """
        udid = device.udid or device.connection_id
        await activate_if_needed(self.connector, udid, self.activation)
        return await check_dep_assignment(self.connector, udid)

    async def aclose(self) -> None:
        self._closing.set()
        for mux in list(self._muxes):
            with contextlib.suppress(Exception):
                await mux.close()
        self.connector.close()


def _profile_title(label: str) -> Text:
    return Text("Install the profile {p}", "プロファイル {p} をインストール").format(p=Path(label).name)

"""One simulated iPhone or iPad: identity, pairing and management state, power and cable.

A device is *attached* (visible through usbmuxd) when its cable is in and it is powered on. An
erase detaches it, "erases" and "boots" for the modelled time, and attaches it again in Setup
Assistant with a fresh state (same UDID and serial). The protocol handlers live in
``lockdown.py`` (port 62078) and ``mcinstall.py`` (the MCInstall service); this module holds
what they share and the controls a test or the demo uses ("the user taps Trust").

Everything here runs on the simulator's event loop; the public controls may be called from
any thread and hop onto that loop.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import os
import random
import ssl
import tempfile
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from cryptography.hazmat.primitives import serialization

from kitstation.simulator.ios.catalogue import Identity, Model
from kitstation.simulator.ios.devkeys import device_key
from kitstation.simulator.ios.faults import DEFAULT_ERROR_CODE, DEFAULT_SLOW_FACTOR, Fault, Timing
from kitstation.simulator.ios.instproxy import APP_SERVICES, AppState

if TYPE_CHECKING:
    from kitstation.simulator.ios.simulator import IOSSimulator

T = TypeVar("T")
TrustState = Literal["auto", "pending", "refused", "trusted"]
LOCKDOWN_PORT = 62078
# An iPhone on a bench USB port gains roughly 1 % a minute (the level lockdown reports).
IOS_CHARGE_PERCENT_PER_SECOND = 1 / 60
MCINSTALL_SERVICE = "com.apple.mobile.MCInstall"
MOBILEACTIVATION_SERVICE = "com.apple.mobileactivationd"
# What a device that went through Setup Assistant by hand holds: a configuration marked complete
# (a real device keeps one after Setup Assistant, DEP or not), unsupervised, from no host.
COMPLETED_CONFIGURATION: dict[str, Any] = {"CloudConfigurationUIComplete": True, "IsSupervised": False}
PortHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class DeviceGone(Exception):
    """The device was unplugged (or powered off) while a request was in flight."""


class DropConnection(Exception):
    """A fault asks the device to close this connection without answering."""


class SimulatedIOSDevice:
    """A simulated device. Attributes are read-only from outside; use the control methods."""

    def __init__(
        self,
        sim: IOSSimulator,
        *,
        index: int,
        model: Model,
        identity: Identity,
        product_version: str,
        build_version: str,
        location_id: int,
        faults: list[Fault],
        rng: random.Random,
        setup_assistant: bool,
        trust: TrustState,
        passcode_locked: bool,
        activation_state: str | None,
        supervised: bool,
        cloud_configuration: dict[str, Any] | None,
        device_name: str | None,
    ) -> None:
        self._sim = sim
        self.index = index
        self.model = model
        self.udid = identity.udid
        self.serial = identity.serial
        self.ecid = identity.ecid
        self.imei = identity.imei
        self.wifi_address = identity.wifi_address
        self.bluetooth_address = identity.bluetooth_address
        self.product_type = model.product_type
        self.marketing_name = model.marketing_name
        self.device_class = model.device_class
        self.hardware_model = model.hardware_model
        self.product_version = product_version
        self.build_version = build_version
        self.location_id = location_id
        self.faults = faults
        slow = 1.0
        for f in faults:
            if f.kind == "slow":
                slow *= float(f.arg) if f.arg else DEFAULT_SLOW_FACTOR
        self.timing = Timing(sim.speed, rng, slow, sim.jitter)
        # The battery domain's level: set on arrival, rising while on the cable (× --speed).
        self.battery_start = 80.0
        self.battery_since = time.monotonic()
        self.battery_charging = True
        self._rng = rng
        self._key = device_key(self.udid)
        self.public_key_pem = self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.PKCS1
        )
        self._key_pem = self._key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
        self._initial_trust: TrustState = trust
        self.device_id = 0  # usbmuxd's DeviceID, new at each attach
        self.cabled = False
        self.power: Literal["on", "erasing", "booting"] = "on"
        self.erase_count = 0
        self.requests = 0  # every lockdown/MCInstall request handled, for unplug-at=N
        # The step name of each request, in order (request N is request_names[N - 1]): a test
        # aims a fault at "the StartSession before pairing" by name, not by a count that moves.
        self.request_names: list[str] = []
        self._connections: set[asyncio.StreamWriter] = set()
        self._service_ports: dict[int, tuple[str, str]] = {}  # port -> (service, host id)
        self._next_port = 49152
        self._erase_task: asyncio.Task[None] | None = None
        # Activation Lock belongs to the previous owner's Apple Account, not the contents: it survives an erase.
        self.activation_lock = any(f.kind == "activation-lock" for f in faults)
        self._reset(
            setup_assistant=setup_assistant,
            passcode_locked=passcode_locked,
            activation_state=activation_state,
            device_name=device_name,
        )
        if supervised and cloud_configuration is None:
            cloud_configuration = {
                "IsSupervised": True,
                "SupervisorHostCertificates": [],
                "CloudConfigurationUIComplete": not setup_assistant,
            }
        if cloud_configuration is None and not setup_assistant:
            cloud_configuration = COMPLETED_CONFIGURATION
        self.cloud_config: dict[str, Any] | None = copy.deepcopy(cloud_configuration)

    # ----- state -------------------------------------------------------------------------

    def _reset(
        self,
        *,
        setup_assistant: bool = True,
        passcode_locked: bool = False,
        activation_state: str | None = None,
        device_name: str | None = None,
    ) -> None:
        """Factory state (what an erase leaves), optionally as a device already set up."""
        self.setup_assistant = setup_assistant
        self.trust: TrustState = self._initial_trust
        self.passcode_locked = passcode_locked
        self.activation_state = activation_state or ("Unactivated" if setup_assistant else "Activated")
        self.activation_acknowledged = self.activation_state != "Unactivated"
        self.activation_session: bytes | None = None  # the mobileactivationd handshake in progress
        self.device_name = device_name or self.device_class
        self.hosts: dict[str, dict[str, Any]] = {}  # HostID -> pair record as the host sent it
        self.cloud_config = None
        self.installed: dict[str, dict[str, Any]] = {}  # PayloadIdentifier -> parsed profile
        self.pending: dict[str, dict[str, Any]] = {}  # downloaded, waiting for the user
        self.stored_profiles: dict[str, bytes] = {}  # Purpose -> raw profile
        self.extra_values: dict[tuple[str | None, str], Any] = {}
        self._ssl: dict[str, ssl.SSLContext] = {}
        self.app_state = AppState()  # AFC's media folder and the user apps: an erase wipes both

    @property
    def attached(self) -> bool:
        return self.cabled and self.power == "on"

    @property
    def supervised(self) -> bool:
        return bool(self.cloud_config and self.cloud_config.get("IsSupervised"))

    @property
    def in_setup_assistant(self) -> bool:
        return self.setup_assistant

    # Snapshots are taken on the simulator's loop: the dictionaries change under the handlers.

    @property
    def cloud_configuration(self) -> dict[str, Any] | None:
        return self._control(lambda: copy.deepcopy(self.cloud_config))

    @property
    def profiles(self) -> list[dict[str, Any]]:
        return self._control(lambda: [copy.deepcopy(p) for p in self.installed.values()])

    @property
    def pending_profiles(self) -> list[dict[str, Any]]:
        return self._control(lambda: [copy.deepcopy(p) for p in self.pending.values()])

    @property
    def paired_hosts(self) -> list[str]:
        return self._control(lambda: list(self.hosts))

    def __repr__(self) -> str:
        return f"<SimulatedIOSDevice {self.marketing_name} {self.udid} attached={self.attached}>"

    # ----- controls (any thread) -------------------------------------------------------------

    def _control(self, fn: Callable[[], T]) -> T:
        return self._sim._call_soon(fn)

    def tap_trust(self) -> None:
        """The user taps Trust: pending (or refused) pairing now succeeds."""
        self._control(lambda: setattr(self, "trust", "trusted"))

    def refuse_trust(self) -> None:
        """The user taps Don't Trust: Pair answers UserDeniedPairing until tap_trust()."""
        self._control(lambda: setattr(self, "trust", "refused"))

    def unlock(self) -> None:
        """The user enters the passcode: Pair stops answering PasswordProtected."""
        self._control(lambda: setattr(self, "passcode_locked", False))

    def lock(self) -> None:
        """The screen locks with a passcode."""
        self._control(lambda: setattr(self, "passcode_locked", True))

    def confirm_profile(self, identifier: str | None = None) -> list[str]:
        """The user installs a downloaded profile in Settings (all of them when ``identifier`` is None).

        Returns the identifiers installed.
        """

        def do() -> list[str]:
            ids = list(self.pending) if identifier is None else [identifier]
            done = []
            for pid in ids:
                if pid in self.pending:
                    self.installed[pid] = self.pending.pop(pid)
                    done.append(pid)
            return done

        return self._control(do)

    def complete_setup(self) -> None:
        """Setup Assistant finishes (the user or an MDM walks through the panes)."""

        def do() -> None:
            self.setup_assistant = False
            if self.activation_state == "Unactivated":
                self.activation_state = "Activated"
                self.activation_acknowledged = True
            # The configuration stays, marked complete; a device set up by hand gets one too.
            if self.cloud_config is None:
                self.cloud_config = copy.deepcopy(COMPLETED_CONFIGURATION)
            else:
                self.cloud_config["CloudConfigurationUIComplete"] = True

        self._control(do)

    # ----- faults and timing (loop) ------------------------------------------------------------

    def has_fault(self, kind: str) -> bool:
        """A persistent condition of this device (no network, Activation Lock, a lenient option)."""
        return any(f.kind == kind for f in self.faults)

    def take_fault(self, kind: str, step: str) -> bool:
        """Spend a one-shot fault of ``kind`` aimed at ``step`` or at the request just counted."""
        return self._take_fault(kind, step, self.requests) is not None

    def _take_fault(self, kind: str, step: str, request_no: int) -> Fault | None:
        for f in self.faults:
            if f.kind == kind and not f.spent and f.matches_step(step, request_no):
                f.spent = True
                return f
        return None

    async def step(self, name: str, *, latency: str | None = None) -> int | None:
        """Spend the modelled time of step ``name`` and apply faults; return an error code to answer.

        Raises ``DeviceGone`` when the cable is pulled during the step and ``DropConnection``
        when the connection must be closed unanswered. ``latency`` names the step whose time the
        request takes when it differs (the EraseDevice request is quick; the erase itself is not,
        and ``unplug-at=erase`` belongs to the erase, see ``_erase_and_boot``).
        """
        self.requests += 1
        self.request_names.append(name)
        n = self.requests
        delay = self.timing.delay(latency or name)
        if name != "erase" and self._take_fault("unplug-at", name, n):
            # Halfway through, as when a technician pulls the cable mid-install.
            await asyncio.sleep(delay / 2)
            self.pull_cable()
            raise DeviceGone(name)
        if self._take_fault("drop", name, n):
            raise DropConnection(name)
        await asyncio.sleep(delay)
        if not self.attached:
            raise DeviceGone(name)
        f = self._take_fault("error", name, n)
        if f is not None:
            code = (f.arg or "").partition("/")[2]
            return int(code) if code else DEFAULT_ERROR_CODE
        return None

    # ----- cable, power and connections (loop) ---------------------------------------------------

    def plug_cable(self) -> None:
        if self.cabled:
            return  # already in: no second Attached event
        self.cabled = True
        if self.power == "on":
            self._sim._attach(self)

    def pull_cable(self) -> None:
        was = self.attached
        self.cabled = False
        if was:
            self._sim._detach(self)
        self.drop_connections()

    def drop_connections(self) -> None:
        """Every pipe to the device breaks, as when it leaves the bus."""
        for w in list(self._connections):
            transport = w.transport
            if transport is not None:
                transport.abort()
        self._connections.clear()
        self._service_ports.clear()

    def begin_erase(self) -> None:
        """Detach now; come back in Setup Assistant after erase + boot."""
        if self.power != "on":
            return
        was = self.attached
        self.power = "erasing"
        if was:
            self._sim._detach(self)
        self.drop_connections()
        self._erase_task = self._sim._spawn(self._erase_and_boot())

    async def _erase_and_boot(self) -> None:
        for phase, state in (("erase", "erasing"), ("boot", "booting")):
            self.power = state  # type: ignore[assignment]
            if self._take_fault("unplug-at", phase, self.requests):
                self.cabled = False  # the cable comes out; the device finishes on battery
            await asyncio.sleep(self.timing.delay(phase))
        self.erase_count += 1
        self._reset(setup_assistant=True)
        self.power = "on"
        if self.cabled:
            self._sim._attach(self)

    def accept(self, port: int) -> PortHandler | None:
        """The handler for a usbmuxd Connect to ``port``, or None (connection refused)."""
        if not self.attached:
            return None
        if port == LOCKDOWN_PORT:
            from kitstation.simulator.ios.lockdown import serve_lockdown

            return lambda r, w: self._track(w, serve_lockdown(self, r, w))
        if port in self._service_ports:
            service, host_id = self._service_ports.pop(port)
            from kitstation.simulator.ios.mcinstall import serve_mcinstall

            if service == MCINSTALL_SERVICE:
                return lambda r, w: self._track(w, serve_mcinstall(self, host_id, r, w))
            if service == MOBILEACTIVATION_SERVICE:
                from kitstation.simulator.ios.activation import serve_mobileactivation

                return lambda r, w: self._track(w, serve_mobileactivation(self, r, w))
            if service in APP_SERVICES:
                return lambda r, w: self._track(w, APP_SERVICES[service](self, r, w))
        return None

    async def _track(self, writer: asyncio.StreamWriter, work: Awaitable[None]) -> None:
        self._connections.add(writer)
        try:
            await work
        except DropConnection:
            transport = writer.transport
            if transport is not None:
                transport.abort()
        except (DeviceGone, ConnectionError, ssl.SSLError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            self._connections.discard(writer)
            if not writer.is_closing():
                writer.close()

    def open_service_port(self, service: str, host_id: str) -> int:
        port = self._next_port
        self._next_port = 49152 + (self._next_port - 49152 + 1) % 16000
        self._service_ports[port] = (service, host_id)
        return port

    # ----- TLS ----------------------------------------------------------------------------------

    def server_context(self, host_id: str) -> ssl.SSLContext:
        """TLS as the device: its certificate is the one the host issued in the pair record."""
        ctx = self._ssl.get(host_id)
        if ctx is not None:
            return ctx
        record = self.hosts[host_id]
        cert = record["DeviceCertificate"]
        cert_pem = cert if isinstance(cert, bytes) else str(cert).encode()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        # Pairing certificates are plain RSA with SHA-1/SHA-256; OpenSSL 3's default level is fine
        # with SHA-256, but old hosts sign with SHA-1, which needs level 0.
        ctx.set_ciphers("ALL:@SECLEVEL=0")
        ctx.verify_mode = ssl.CERT_NONE  # real devices do not check the host certificate either
        fd, path = tempfile.mkstemp(prefix="kitsim-", suffix=".pem")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(cert_pem + b"\n" + self._key_pem)
            ctx.load_cert_chain(path)
        finally:
            os.unlink(path)
        self._ssl[host_id] = ctx
        return ctx

    # ----- values -------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What ``GetValue`` without a domain answers inside a session."""
        v: dict[str, Any] = {
            "ActivationState": self.activation_state,
            "ActivationStateAcknowledged": self.activation_acknowledged,
            "BasebandCertId": 3840149528 if self.imei else None,
            "BluetoothAddress": self.bluetooth_address,
            "BoardId": int(hashlib.sha1(self.hardware_model.encode()).hexdigest()[:2], 16) & 0x1E,
            "BrickState": False,
            "BuildVersion": self.build_version,
            "CPUArchitecture": "arm64e",
            "ChipID": self.model.chip_id,
            "DeviceClass": self.device_class,
            "DeviceColor": "1",
            "DeviceName": self.device_name,
            "DevicePublicKey": self.public_key_pem,
            "FirmwareVersion": "iBoot-11881.1.1",
            "HardwareModel": self.hardware_model,
            "HardwarePlatform": f"t{self.model.chip_id:04x}",
            "HasSiDP": True,
            "HostAttached": True,
            "HumanReadableProductVersionString": self.product_version,
            "InternationalMobileEquipmentIdentity": self.imei,
            "ModelNumber": self.model.model_number,
            "PartitionType": "GUID_partition_scheme",
            "PasswordProtected": self.passcode_locked,
            "ProductName": "iPhone OS",
            "ProductType": self.product_type,
            "ProductVersion": self.product_version,
            "ProductionSOC": True,
            "ProtocolVersion": "2",
            "RegionInfo": "LL/A",
            "SerialNumber": self.serial,
            "TelephonyCapability": self.imei is not None,
            "TimeZone": "America/Los_Angeles",
            "TrustedHostAttached": True,
            "UniqueChipID": self.ecid,
            "UniqueDeviceID": self.udid,
            "WiFiAddress": self.wifi_address,
        }
        for (domain, key), value in self.extra_values.items():
            if domain is None:
                v[key] = value
        # plists cannot hold None: a Wi-Fi iPad simply has no IMEI key
        return {k: val for k, val in v.items() if val is not None}

    def set_battery(self, percent: float, *, charging: bool = True) -> None:
        """Set the charge now; it rises by IOS_CHARGE_PERCENT_PER_SECOND × speed while charging."""
        self.battery_start, self.battery_since, self.battery_charging = percent, time.monotonic(), charging

    def battery_level(self) -> int:
        elapsed = time.monotonic() - self.battery_since if self.battery_charging else 0.0
        return int(min(100.0, self.battery_start + elapsed * IOS_CHARGE_PERCENT_PER_SECOND * self.timing.speed))

    def domain_values(self, domain: str) -> dict[str, Any] | None:
        """Values of a lockdown domain, or None for a domain this device does not have."""
        domains: dict[str, dict[str, Any]] = {
            "com.apple.PurpleBuddy": {
                "SetupDone": not self.setup_assistant,
                "SetupFinishedAllSteps": not self.setup_assistant,
            },
            "com.apple.mobile.battery": {
                "BatteryCurrentCapacity": self.battery_level(),
                "BatteryIsCharging": self.battery_charging and self.battery_level() < 100,
                "ExternalConnected": True,
            },
            "com.apple.disk_usage": {"TotalDiskCapacity": 128_000_000_000, "TotalDataAvailable": 110_000_000_000},
            "com.apple.international": {
                "Language": "en",
                "Locale": "en_US",
                "SupportedLanguages": ["en", "ja", "fr", "de", "es", "zh-Hans", "zh-Hant", "ko"],
                "SupportedLocales": ["en_US", "en_GB", "ja_JP", "fr_FR", "de_DE", "es_ES", "zh_CN", "ko_KR"],
            },
            "com.apple.mobile.wireless_lockdown": {"EnableWifiConnections": False},
            "com.apple.mobile.chaperone": {"DeviceIsChaperoned": self.supervised},
        }
        if domain not in domains:
            extra = {k: v for (d, k), v in self.extra_values.items() if d == domain}
            return extra or None
        out = dict(domains[domain])
        out.update({k: v for (d, k), v in self.extra_values.items() if d == domain})
        return out

"""The one place where the station changes how pymobiledevice3 talks to a device, and why.

pymobiledevice3 is correct but does per call what a bench of 60 devices must do once. Measured
with ``benchmarks/bench_batch.py`` (see docs/BENCHMARKS.md, "iOS: work done once"):

* **RSA keys.** ``generate_pairing_cert_chain`` makes a new 2048-bit root key (and, in
  ``pair_supervised``, a new host key) for every pairing: ~70 ms of CPU each, holding the GIL.
  A Mac pairs every device with one host identity, so the station makes one root key and one host
  key per process (:class:`StationKeys`) and signs only the per-device certificate.
* **The supervision key** is parsed with full validation (``load_pem_private_key``, ~30 ms holding
  the GIL) on every supervised pairing, Escalate and silent install -- three times per device. It
  is parsed once per identity file here (:func:`supervisor_key`).
* **usbmuxd round trips.** Every lockdown connection and every service started on it asks usbmuxd
  for the whole device list (``select_device`` -> ``ListDevices``, N devices parsed each time, so
  the cost grows as N²), reads the pair record through usbmuxd again and asks for the system BUID.
  :class:`StationLockdownClient` opens service connections to the device it already knows, and the
  :class:`~kitstation.ios.connect.Connector` keeps UDID -> DeviceID from the ``Listen`` stream.
* **TLS contexts.** Every lockdown session and every TLS service made a new ``SSLContext`` and
  loaded the host certificate and key into it (~3 ms each, ~10 per device). Contexts are kept per
  certificate and key (:func:`_shared_ssl_context`): with one host identity per station, one context.
* **Per-session files and reads.** Every lockdown session wrote the host certificate and key to a
  new temporary file for its TLS upgrade (and again for every TLS service), and read its pair
  record from usbmuxd over a new usbmuxd connection before reading the local file (~15 % of the
  loop's time in a 64-device batch, py-spy). Here the PEM is written once per host identity
  (:func:`_host_identity_file`, a private folder removed at exit) and a pair record, once read or
  saved, is kept in memory per device (:data:`_pair_records`) until a session refuses it.
* **Pair records** were written with ``write_bytes`` (0644, not atomic: a crash left a 0-byte
  record that failed that slot in every later run) and handed to usbmuxd through a connection
  opened without the station's usbmux address. Here they are written atomically, owner-only, to
  the usbmuxd the station talks to.

Everything else (the lockdown protocol, TLS, the services) is pymobiledevice3's own code.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import os
import plistlib
import shutil
import socket
import ssl
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymobiledevice3.lockdown
import pymobiledevice3.service_connection
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization.pkcs7 import PKCS7Options, PKCS7SignatureBuilder
from pymobiledevice3 import usbmux
from pymobiledevice3.ca import (
    build_device_certificate,
    build_host_certificate,
    build_root_certificate,
    serialize_cert_pem,
    serialize_private_key_pkcs8_pem,
)
from pymobiledevice3.exceptions import ConnectionTerminatedError, NotPairedError, PairingError, ProfileError
from pymobiledevice3.lockdown import OSUTIL, PlistUsbmuxLockdownClient
from pymobiledevice3.safe_paths import device_file_path
from pymobiledevice3.service_connection import ServiceConnection
from pymobiledevice3.services.mobile_config import MobileConfigService

from kitstation.files import write_atomic

SupervisorPrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PAIR_RECORD_MODE = 0o600  # a pair record holds the host's private key


@dataclass(frozen=True, slots=True)
class SupervisorKey:
    """A supervision identity, parsed once: its private key and certificate (PEM keybag file)."""

    private_key: SupervisorPrivateKey
    certificate: x509.Certificate
    certificate_der: bytes

    def sign(self, challenge: bytes) -> bytes:
        """The PKCS#7 signature a device asks for in Escalate and in supervised pairing."""
        return (
            PKCS7SignatureBuilder()
            .set_data(challenge)
            .add_signer(self.certificate, self.private_key, hashes.SHA256())
            .sign(Encoding.DER, [PKCS7Options.Binary])
        )


_supervisors: dict[tuple[str, int, int], SupervisorKey] = {}
_supervisors_lock = threading.Lock()


# Identities whose key is encrypted at rest (an imported .p12 with its passphrase): decrypted in
# memory by kitstation.ios.identities and registered here under their keybag path, never written.
_unlocked: dict[str, SupervisorKey] = {}


def remember_supervisor(keybag: Path, private_key: SupervisorPrivateKey, certificate: x509.Certificate) -> None:
    """Make ``supervisor_key(keybag)`` return this in-memory key (the file holds it encrypted, or nothing)."""
    parsed = SupervisorKey(private_key, certificate, certificate.public_bytes(Encoding.DER))
    with _supervisors_lock:
        _unlocked[str(keybag)] = parsed


def supervisor_unlocked(keybag: Path) -> bool:
    """True when ``keybag``'s key was given in memory (:func:`remember_supervisor`)."""
    with _supervisors_lock:
        return str(keybag) in _unlocked


def supervisor_key(keybag: Path) -> SupervisorKey:
    """The parsed identity in ``keybag``, cached by path, size and modification time."""
    with _supervisors_lock:
        in_memory = _unlocked.get(str(keybag))
    if in_memory is not None:
        return in_memory
    st = keybag.stat()
    cache_key = (str(keybag.resolve()), st.st_size, st.st_mtime_ns)
    with _supervisors_lock:
        found = _supervisors.get(cache_key)
    if found is not None:
        return found
    data = keybag.read_bytes()
    if b"ENCRYPTED PRIVATE KEY" in data:
        raise ProfileError(f"The supervision key in {keybag.name} is encrypted and its passphrase was not given")
    private_key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(private_key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise ProfileError(
            f"The supervision keybag must hold an RSA or EC private key, not {type(private_key).__name__}"
        )
    cert = x509.load_pem_x509_certificate(data)
    parsed = SupervisorKey(private_key, cert, cert.public_bytes(Encoding.DER))
    with _supervisors_lock:
        _supervisors[cache_key] = parsed
    return parsed


class StationKeys:
    """One pairing root and one host identity for the whole station (made once, off the loop)."""

    _lock = threading.Lock()
    _made: StationKeys | None = None

    def __init__(self) -> None:
        alg = hashes.SHA256()  # iOS 4 and later; the station does not serve older devices
        self.alg = alg
        self.root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.host_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.root_cert = build_root_certificate(self.root_key, alg)
        host_cert = build_host_certificate(self.host_key, self.root_cert, self.root_key, alg)
        self.root_cert_pem = serialize_cert_pem(self.root_cert)
        self.root_key_pem = serialize_private_key_pkcs8_pem(self.root_key)
        self.host_cert_pem = serialize_cert_pem(host_cert)
        self.host_key_pem = serialize_private_key_pkcs8_pem(self.host_key)

    @classmethod
    def get(cls) -> StationKeys:
        """The station's keys, made on first use (call :meth:`get` in an executor at start-up)."""
        with cls._lock:
            if cls._made is None:
                cls._made = StationKeys()
            return cls._made

    def pair_record(self, device_public_key_pem: bytes) -> dict[str, bytes]:
        """The certificate part of a pair record for one device (only its certificate is signed here)."""
        device_key = serialization.load_pem_public_key(device_public_key_pem)
        if not isinstance(device_key, rsa.RSAPublicKey):
            raise PairingError("The device's public key is not an RSA key")
        device_cert = build_device_certificate(device_key, self.root_cert, self.root_key, self.alg)
        return {
            "DeviceCertificate": serialize_cert_pem(device_cert),
            "HostCertificate": self.host_cert_pem,
            "RootCertificate": self.root_cert_pem,
            "RootPrivateKey": self.root_key_pem,
        }


_make_ssl_context = pymobiledevice3.service_connection.create_ssl_context
_ssl_contexts: dict[tuple[bytes, ssl.TLSVersion, ssl.TLSVersion], ssl.SSLContext] = {}
_ssl_lock = threading.Lock()


def _shared_ssl_context(
    certfile: str,
    keyfile: str | None = None,
    minimum_version: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2,
    maximum_version: ssl.TLSVersion = ssl.TLSVersion.TLSv1_3,
) -> ssl.SSLContext:
    """pymobiledevice3's client context, made once per host certificate and key (and TLS range).

    A client ``SSLContext`` holds no per-connection state, so one serves every session.
    """
    with _ssl_lock:
        digest = _identity_files.get(certfile) if keyfile is None else None
    if digest is None:  # a file of someone else's: its content says which identity it is
        data = Path(certfile).read_bytes() + (Path(keyfile).read_bytes() if keyfile else b"")
        digest = hashlib.sha256(data).digest()
    key = (digest, minimum_version, maximum_version)
    with _ssl_lock:
        found = _ssl_contexts.get(key)
    if found is not None:
        return found
    made = _make_ssl_context(certfile, keyfile, minimum_version=minimum_version, maximum_version=maximum_version)
    with _ssl_lock:
        if len(_ssl_contexts) > 512:  # pairings made by other hosts: keep the table bounded
            _ssl_contexts.clear()
        return _ssl_contexts.setdefault(key, made)


# Host identity PEM files (certificate + key) by path -> SHA-256 of their content, each written once.
_identity_files: dict[str, bytes] = {}
_identity_dir: str | None = None


def _host_identity_file(pem: bytes) -> str:
    """A file holding ``pem`` (host certificate + private key), written on first use, owner-only.

    pymobiledevice3 builds its TLS context from a file and wrote a temporary one per session; the
    same key is already on disk in the pair records (0600), so one private copy per identity adds
    no exposure. The folder is removed when the process exits.
    """
    global _identity_dir
    digest = hashlib.sha256(pem).digest()
    with _ssl_lock:
        if _identity_dir is None:
            _identity_dir = tempfile.mkdtemp(prefix="kitstation-tls-")  # 0700
            atexit.register(shutil.rmtree, _identity_dir, True)
        path = os.path.join(_identity_dir, digest.hex()[:32] + ".pem")
        if path not in _identity_files:
            if len(_identity_files) > 512:  # identities of other hosts' pair records: stay bounded
                for old in _identity_files:
                    with contextlib.suppress(OSError):
                        os.unlink(old)
                _identity_files.clear()
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # a scratch copy: no fsync
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
            _identity_files[path] = digest
    return path


# pymobiledevice3's lockdown client calls this module-level function for every session and every
# TLS service; replacing the name it looks up is the one hook it offers (no subclass method to
# override short of copying ``validate_pairing`` and ``start_lockdown_service``).
pymobiledevice3.lockdown.create_ssl_context = _shared_ssl_context  # type: ignore[attr-defined]


_upstream_start_tls = pymobiledevice3.service_connection._start_tls


async def _start_tls_keeping_transport(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, ssl_context: ssl.SSLContext
) -> asyncio.StreamWriter:
    """pymobiledevice3's TLS upgrade, leaving the writer a transport when the cable goes mid-handshake.

    CPython 3.11+'s ``StreamWriter.start_tls`` stores whatever ``loop.start_tls`` returns, and that is
    None when the connection was lost under the handshake; the writer's ``__del__`` then raises
    (``'NoneType' object has no attribute 'is_closing'``) whenever the GC finds it, as an
    unraisable exception in some later, unrelated test. pymobiledevice3 (11.45.0,
    ``service_connection.py`` ``_start_tls`` / ``ServiceConnection.close``) guards only a close that
    runs during the handshake. Here the closed plain transport is put back and the upgrade fails
    as pymobiledevice3 fails a lost handshake elsewhere.
    """
    before = writer.transport
    try:
        upgraded = await _upstream_start_tls(reader, writer, ssl_context)
    finally:
        if getattr(writer, "_transport", before) is None:
            writer._transport = before  # type: ignore[attr-defined]
            before.abort()
    if getattr(upgraded, "_transport", None) is None:
        raise ConnectionTerminatedError()
    return upgraded


pymobiledevice3.service_connection._start_tls = _start_tls_keeping_transport


# Pair records by (records folder, UDID): read from usbmuxd or the folder once, or saved here. A
# session that refuses one (validate_pairing False: the device forgot this host) drops it, so the
# next look-up asks usbmuxd and the folder again, as pymobiledevice3 always does.
_pair_records: dict[tuple[str, str], dict[str, Any]] = {}


def _write_pair_record(path: Path, data: bytes) -> None:
    write_atomic(path, data, mode=PAIR_RECORD_MODE)
    OSUTIL.chown_to_non_sudo_if_needed(path)  # as pymobiledevice3 does under sudo


class StationLockdownClient(PlistUsbmuxLockdownClient):
    """pymobiledevice3's usbmux lockdown client with the station's keys, records and device handle."""

    async def create_service_connection(
        self, port: int, ssl_context: Any = None, strip_ssl: bool = False
    ) -> ServiceConnection:
        # The device is known (this client's own mux device): connect to it without a ListDevices.
        device = self.service.mux_device
        if device is None:
            return await super().create_service_connection(port, ssl_context=ssl_context, strip_ssl=strip_ssl)
        sock = await device.connect(port, usbmux_address=self.usbmux_address)
        return await ServiceConnection.from_socket(
            sock, ssl_context=ssl_context, strip_ssl=strip_ssl, mux_device=device
        )

    def _record_key(self) -> tuple[str, str] | None:
        if self.identifier is None or self.pairing_records_cache_folder is None:
            return None
        return (str(self.pairing_records_cache_folder), self.identifier)

    async def fetch_pair_record(self) -> None:
        key = self._record_key()
        cached = _pair_records.get(key) if key is not None else None
        if cached is not None:
            self.pair_record = dict(cached)
            return
        await super().fetch_pair_record()
        if key is not None and self.pair_record is not None:
            _pair_records[key] = dict(self.pair_record)

    async def validate_pairing(self) -> bool:
        ok = await super().validate_pairing()
        key = self._record_key()
        if not ok and key is not None:
            _pair_records.pop(key, None)
        return ok

    @contextlib.contextmanager
    def ssl_file(self) -> Iterator[str]:
        """The host certificate and key as a file for the TLS upgrade: one file per identity."""
        if self.pair_record is None:
            raise NotPairedError()
        yield _host_identity_file(self.pair_record["HostCertificate"] + b"\n" + self.pair_record["HostPrivateKey"])

    async def save_pair_record(self) -> None:
        assert self.pairing_records_cache_folder is not None and self.pair_record is not None
        if self.identifier is None:
            raise ValueError("Cannot save a pairing record without a device identifier")
        key = self._record_key()
        if key is not None:
            _pair_records[key] = dict(self.pair_record)
        data = plistlib.dumps(self.pair_record)
        path = device_file_path(Path(self.pairing_records_cache_folder), self.identifier, ".plist")
        # Off the loop: the atomic write fsyncs the file and its folder (tens of ms each on a busy
        # disk; 192 per 64-device batch showed as GUI stalls of up to 1.9 s in bench_gui.py).
        await asyncio.get_running_loop().run_in_executor(None, _write_pair_record, path, data)
        device = self.service.mux_device
        if device is None:
            return
        async with await usbmux.create_mux(usbmux_address=self.usbmux_address) as client:
            if isinstance(client, usbmux.PlistMuxConnection):
                await client.save_pair_record(self.identifier, device.devid, data)

    async def _new_record(self) -> tuple[StationKeys, dict[str, Any]]:
        """The station's keys and a pair record for this device (its public key read from lockdown)."""
        self.device_public_key = await self.get_value("", "DevicePublicKey")
        if not self.device_public_key:
            await self.service.close()
            raise PairingError()
        keys = StationKeys.get()
        record: dict[str, Any] = dict(keys.pair_record(self.device_public_key))
        record.update(HostID=self.host_id, WiFiMACAddress=self.wifi_mac_address, SystemBUID=self.system_buid)
        return keys, record

    async def _finish_pairing(self, record: dict[str, Any], reply: dict[str, Any], keys: StationKeys) -> None:
        record["HostPrivateKey"] = keys.host_key_pem
        if reply.get("EscrowBag") is not None:
            record["EscrowBag"] = reply["EscrowBag"]
        self.pair_record = record
        await self.save_pair_record()
        self.paired = True

    async def pair(self, timeout: float | None = None, private_key: Any = None) -> None:
        """``Pair`` as pymobiledevice3 does, with the station's root and host identity."""
        keys, record = await self._new_record()
        options: dict[str, Any] = {
            "HostName": socket.gethostname(),
            "PairRecord": record,
            "ProtocolVersion": "2",
            "PairingOptions": {"ExtendedPairingErrors": True},
        }
        reply = await self._request_pair(options, timeout=timeout)
        await self._finish_pairing(record, reply, keys)

    async def pair_supervised(self, keybag_file: Path, timeout: float | None = None) -> None:
        """Supervised pairing (the supervisor's certificate, then the signed challenge)."""
        supervisor = supervisor_key(Path(keybag_file))
        keys, record = await self._new_record()
        options: dict[str, Any] = {
            "PairRecord": record,
            "ProtocolVersion": "2",
            "PairingOptions": {"SupervisorCertificate": supervisor.certificate_der, "ExtendedPairingErrors": True},
        }
        reply = await self._request_pair(options, timeout=timeout)
        if reply.get("Error") == "MCChallengeRequired":
            challenge = (reply.get("ExtendedResponse") or {}).get("PairingChallenge")
            if challenge is not None:
                options = {
                    "PairRecord": record,
                    "ProtocolVersion": "2",
                    "PairingOptions": {"ChallengeResponse": supervisor.sign(challenge), "ExtendedPairingErrors": True},
                }
                reply = await self._request_pair(options, timeout=timeout)
        await self._finish_pairing(record, reply, keys)


class StationMobileConfig(MobileConfigService):
    """MCInstall with the supervision key parsed once (Escalate; silent installs escalate too)."""

    async def escalate(self, keybag_file: Path) -> None:
        supervisor = supervisor_key(Path(keybag_file))
        reply = await self._send_recv({"RequestType": "Escalate", "SupervisorCertificate": supervisor.certificate_der})
        signed = supervisor.sign(reply["Challenge"])
        await self._send_recv({"RequestType": "EscalateResponse", "SignedRequest": signed})
        await self._send_recv({"RequestType": "ProceedWithKeybagMigration"})

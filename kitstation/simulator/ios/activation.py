"""Activation: the device's ``com.apple.mobileactivationd`` service and a local stand-in for Apple's server.

A real iPhone fresh from the box or from an erase is *Unactivated*: it refuses a cloud configuration
until activated. A host activates it the way pymobiledevice3's ``MobileActivationService`` does
(session flow, iOS 10 and later):

1. ``GetActivationStateRequest`` on mobileactivationd → ``{Value: "Unactivated"}``;
2. ``CreateTunnel1SessionInfoRequest`` → a handshake blob, POSTed by the host to Apple's
   ``/deviceservices/drmHandshake``;
3. ``CreateTunnel1ActivationInfoRequest{Value: handshake answer}`` → the activation info, POSTed as
   the form field ``activation-info`` to ``/deviceservices/deviceActivation``;
4. the server answers ``text/xml`` with an activation record, or ``application/x-buddyml`` (a
   sign-in page) when Activation Lock holds the device for its previous owner's Apple Account;
5. ``HandleActivationInfoWithSessionRequest{Value: record}`` → the device is *Activated*; the host
   then sets ``ActivationStateAcknowledged`` on lockdown.

The stand-in (:class:`ActivationServer`) serves both URLs over HTTPS on 127.0.0.1 with a certificate
of its own throw-away CA (``ca_file``). The device trusts only what that server signed for *it*:
a handshake answer or a record made for another device, or forged, is refused, as a real device
refuses anything Apple did not sign for it. Faults (``activation-lock``, ``no-network``,
``activation-refused``) are per device and persistent, as those conditions are in real life.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import ipaddress
import os
import plistlib
import ssl
import urllib.parse
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kitstation.simulator.ios.wire import read_plist, write_plist

if TYPE_CHECKING:
    from kitstation.simulator.ios.device import SimulatedIOSDevice
    from kitstation.simulator.ios.simulator import IOSSimulator

MOBILEACTIVATION_SERVICE = "com.apple.mobileactivationd"
HANDSHAKE_PATH = "/deviceservices/drmHandshake"
ACTIVATION_PATH = "/deviceservices/deviceActivation"
MAX_BODY = 1024 * 1024

# What Apple's server sends an Activation-Locked device: a BuddyML page asking for the Apple Account
# that locked it (pymobiledevice3 parses ``page/navigationBar``, the footer and ``serverInfo``).
_BUDDYML = """<?xml version="1.0" encoding="UTF-8"?>
<xmlui><page><navigationBar title="Activation Lock" hidesBackButton="false"/>
<tableView><section><footer>This iPhone is linked to an Apple Account. Enter the Apple Account and
password that were used to set up this iPhone.</footer>
<editableTextRow id="login" label="Apple Account" placeholder="example@icloud.com"/>
<editableTextRow id="password" label="Password" placeholder="Required" secure="true"/>
</section></tableView></page><serverInfo activation-info-base64="" isAuthRequired="true"/></xmlui>
"""


class Authority:
    """The stand-in's secret: what it signs, devices of the same simulator can check."""

    def __init__(self) -> None:
        self._secret = os.urandom(32)

    def sign(self, *parts: bytes | str) -> bytes:
        mac = hmac.new(self._secret, digestmod=hashlib.sha256)
        for p in parts:
            mac.update(p.encode() if isinstance(p, str) else p)
            mac.update(b"\0")
        return mac.digest()

    def check(self, signature: Any, *parts: bytes | str) -> bool:
        return isinstance(signature, bytes) and hmac.compare_digest(signature, self.sign(*parts))


# ----- the device side: com.apple.mobileactivationd -----------------------------------------------


async def serve_mobileactivation(
    dev: SimulatedIOSDevice, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """One mobileactivationd connection: a plist command in, a plist answer out, until closed."""
    while True:
        msg = await read_plist(reader)
        if msg is None:
            return
        command = str(msg.get("Command", ""))
        code = await dev.step("activate" if command == "HandleActivationInfoWithSessionRequest" else "activation-info")
        if code is not None:
            reply: dict[str, Any] = {"Error": f"Injected fault ({code})"}
        else:
            reply = _command(dev, command, msg.get("Value"))
        await write_plist(writer, reply)


def _command(dev: SimulatedIOSDevice, command: str, value: Any) -> dict[str, Any]:
    authority = dev._sim.activation_authority
    if command == "GetActivationStateRequest":
        return {"Value": dev.activation_state}
    if command == "CreateTunnel1SessionInfoRequest":
        dev.activation_session = os.urandom(32)
        return {
            "Value": {
                "HandshakeRequestMessage": dev.activation_session,
                "UniqueDeviceID": dev.udid,
                "SerialNumber": dev.serial,
            }
        }
    if command == "CreateTunnel1ActivationInfoRequest":
        answer = _plist(value)
        session = dev.activation_session
        if session is None or answer is None:
            return {"Error": "No activation session"}
        if not authority.check(answer.get("HandshakeResponseMessage"), "handshake", dev.udid, session):
            return {"Error": "The activation handshake response is not valid for this device"}
        info = plistlib.dumps(
            {
                "ActivationRequestInfo": {"ActivationState": dev.activation_state},
                "DeviceID": {"UniqueDeviceID": dev.udid, "SerialNumber": dev.serial},
                "DeviceInfo": {"ProductType": dev.product_type, "BuildVersion": dev.build_version},
            }
        )
        return {"Value": {"ActivationInfoXML": info, "FairPlaySignature": authority.sign("info", info)}}
    if command == "HandleActivationInfoWithSessionRequest":
        doc = _plist(value)
        record = doc.get("ActivationRecord") if doc is not None else None
        if not isinstance(record, dict) or not authority.check(
            record.get("AccountTokenSignature"), "record", dev.udid, dev.serial
        ):
            return {"Error": "The activation record is not valid for this device"}
        dev.activation_state = "Activated"
        dev.activation_session = None
        return {}
    if command == "DeactivateRequest":
        dev.activation_state = "Unactivated"
        dev.activation_acknowledged = False
        return {}
    return {"Error": f"Unknown command {command!r}"}


def _plist(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    if isinstance(value, (bytes, bytearray)):
        try:
            doc = plistlib.loads(bytes(value))
        except Exception:
            return None
        return doc if isinstance(doc, dict) else None
    return None


# ----- the stand-in for Apple's activation server -----------------------------------------------------


def _certificates() -> tuple[bytes, bytes, bytes]:
    """(CA PEM, server certificate PEM, server key PEM) for 127.0.0.1 / localhost."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "KitStation simulated activation CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.IPv4Address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    return (
        ca.public_bytes(pem),
        leaf.public_bytes(pem),
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )


class ActivationServer:
    """HTTPS on 127.0.0.1:0 answering as Apple's activation server does, for this simulator's devices."""

    def __init__(self, sim: IOSSimulator, folder: str) -> None:
        self._sim = sim
        self._folder = folder
        self._server: asyncio.AbstractServer | None = None
        self.ca_file = os.path.join(folder, "activation-ca.pem")
        self.url = ""
        self.requests = 0

    async def start(self) -> None:
        ca_pem, cert_pem, key_pem = await asyncio.to_thread(_certificates)
        with open(self.ca_file, "wb") as f:
            f.write(ca_pem)
        chain = os.path.join(self._folder, "activation-server.pem")
        fd = os.open(chain, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(cert_pem + key_pem)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(chain)
        os.unlink(chain)  # loaded: the key need not stay on disk
        self._server = await asyncio.start_server(self._handle, host="127.0.0.1", port=0, ssl=ctx)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"https://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._one_request(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, ValueError):
            pass
        finally:
            writer.close()

    async def _one_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request_line = (await reader.readline()).decode("latin-1").strip()
        headers: dict[str, str] = {}
        while True:
            line = (await reader.readline()).decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, _, val = line.partition(":")
            headers[name.strip().lower()] = val.strip()
        length = int(headers.get("content-length", "0") or 0)
        if length > MAX_BODY:
            raise ValueError("request too large")
        body = await reader.readexactly(length) if length else b""
        self.requests += 1
        method, _, rest = request_line.partition(" ")
        path = rest.partition(" ")[0]
        status, ctype, payload = self._answer(method, path, body)
        if status == 0:
            # "No network" for this device: the connection dies without an answer.
            transport = writer.transport
            if transport is not None:
                transport.abort()
            return
        reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}.get(status, "Error")
        head = (
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {len(payload)}\r\n"
            "Connection: close\r\n\r\n"
        )
        writer.write(head.encode("latin-1") + payload)
        await writer.drain()

    def _answer(self, method: str, path: str, body: bytes) -> tuple[int, str, bytes]:
        if method != "POST":
            return 405, "text/plain", b"POST only"
        authority = self._sim.activation_authority
        if path == HANDSHAKE_PATH:
            blob = _plist(body)
            dev = self._device(blob)
            if blob is None or dev is None:
                return 400, "text/html", b"<html><body>Bad handshake request</body></html>"
            if dev.has_fault("no-network"):
                return 0, "", b""
            message = blob.get("HandshakeRequestMessage")
            if not isinstance(message, bytes):
                return 400, "text/html", b"<html><body>Bad handshake request</body></html>"
            answer = {"HandshakeResponseMessage": authority.sign("handshake", dev.udid, message)}
            return 200, "application/xml", plistlib.dumps(answer)
        if path == ACTIVATION_PATH:
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            field = (form.get("activation-info") or [""])[0]
            outer = _plist(field.encode("utf-8"))
            info = outer.get("ActivationInfoXML") if outer is not None else None
            if (
                outer is None
                or not isinstance(info, bytes)
                or not authority.check(outer.get("FairPlaySignature"), "info", info)
            ):
                return 400, "text/html", b"<html><body>Invalid activation request</body></html>"
            ident = (_plist(info) or {}).get("DeviceID") or {}
            dev = self._device(ident)
            if dev is None:
                return 400, "text/html", b"<html><body>Unknown device</body></html>"
            if dev.has_fault("no-network"):
                return 0, "", b""
            if dev.has_fault("activation-refused"):
                return 400, "text/html", b"<html><body>The device could not be activated.</body></html>"
            if dev.activation_lock:
                return 200, "application/x-buddyml", _BUDDYML.encode()
            record = {
                "ActivationRecord": {
                    "UniqueDeviceID": dev.udid,
                    "SerialNumber": dev.serial,
                    "AccountTokenSignature": authority.sign("record", dev.udid, dev.serial),
                }
            }
            return 200, "text/xml", plistlib.dumps(record)
        return 404, "text/plain", b"not found"

    def _device(self, ident: dict[str, Any] | None) -> SimulatedIOSDevice | None:
        if not ident:
            return None
        udid = ident.get("UniqueDeviceID")
        for d in self._sim.devices:
            if d.udid == udid:
                return d
        return None

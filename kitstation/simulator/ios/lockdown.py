"""The simulated lockdownd (device port 62078): values, pairing, TLS sessions, services.

Behaviour follows a real device as pymobiledevice3 and libimobiledevice see it:
- every answer echoes ``Request``; errors are ``{"Error": name}`` with lockdownd's names
  (``PairingDialogResponsePending``, ``UserDeniedPairing``, ``PasswordProtected``,
  ``InvalidHostID``, ``GetProhibited``, ``MissingValue``, ``InvalidService``, ...);
- before a session, ``GetValue`` answers only what an untrusted host may read (the set
  ``ideviceinfo --simple`` shows), which includes ``DevicePublicKey`` so a host can pair;
- ``Pair`` walks the Trust dialog unless the device sits in Setup Assistant (Configurator's
  path), or the host proves supervision (``SupervisorCertificate`` → ``MCChallengeRequired`` →
  signed ``ChallengeResponse``);
- ``StartSession`` answers ``EnableSessionSSL`` and turns the same socket into TLS, the device
  presenting the certificate the host issued in its pair record.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from typing import Any

from kitstation.simulator.ios.cms import CMSError, verify_signed_data
from kitstation.simulator.ios.device import MCINSTALL_SERVICE, MOBILEACTIVATION_SERVICE, SimulatedIOSDevice
from kitstation.simulator.ios.instproxy import APP_SERVICES
from kitstation.simulator.ios.wire import encode_plist, read_plist, start_tls_server, write_plist

PUBLIC_KEYS = frozenset(
    {
        "BasebandCertId",
        "BoardId",
        "BuildVersion",
        "CPUArchitecture",
        "ChipID",
        "DeviceClass",
        "DeviceColor",
        "DeviceName",
        "DevicePublicKey",
        "HardwareModel",
        "HasSiDP",
        "PartitionType",
        "ProductName",
        "ProductType",
        "ProductVersion",
        "ProductionSOC",
        "ProtocolVersion",
        "TelephonyCapability",
        "UniqueChipID",
        "UniqueDeviceID",
        "WiFiAddress",
    }
)
# Services a station might ask for; MCInstall, mobileactivationd, AFC and installation_proxy are
# implemented, the rest are refused as a device refuses a service it does not have. MCInstall speaks
# TLS; the others are plain (libimobiledevice's clients open them without SSL).
SERVICES = {MCINSTALL_SERVICE, MOBILEACTIVATION_SERVICE, *APP_SERVICES}
TLS_SERVICES = {MCINSTALL_SERVICE}
_RECORD_KEYS = ("HostID", "HostCertificate", "DeviceCertificate", "RootCertificate")


class _Conn:
    """Per-connection lockdown state."""

    def __init__(self) -> None:
        self.session_host: str | None = None
        self.tls = False
        self.challenge: bytes | None = None
        self.challenge_cert: bytes | None = None


async def serve_lockdown(dev: SimulatedIOSDevice, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    conn = _Conn()
    while True:
        msg = await read_plist(reader)
        if msg is None:
            return
        request = str(msg.get("Request", ""))
        reply: dict[str, Any] = {"Request": request}
        if request == "QueryType":
            reply["Type"] = "com.apple.mobile.lockdown"
        elif request == "GetValue":
            await dev.step("get-value")
            _get_value(dev, conn, msg, reply)
        elif request == "SetValue":
            _set_value(dev, conn, msg, reply)
        elif request == "RemoveValue":
            if conn.session_host is None:
                reply["Error"] = "SessionInactive"
            else:
                dev.extra_values.pop((msg.get("Domain"), str(msg.get("Key"))), None)
        elif request == "Pair":
            await dev.step("pair")
            _pair(dev, conn, msg, reply)
        elif request == "ValidatePair":
            record = msg.get("PairRecord") or {}
            if record.get("HostID") not in dev.hosts:
                reply["Error"] = "InvalidHostID"
        elif request == "Unpair":
            record = msg.get("PairRecord") or {}
            if dev.hosts.pop(str(record.get("HostID")), None) is None:
                reply["Error"] = "InvalidHostID"
        elif request == "StartSession":
            await dev.step("session")
            host_id = str(msg.get("HostID", ""))
            if host_id not in dev.hosts:
                reply["Error"] = "InvalidHostID"
            elif conn.session_host is not None:
                reply["Error"] = "SessionActive"
            else:
                conn.session_host = host_id
                reply["SessionID"] = str(uuid.uuid4()).upper()
                reply["EnableSessionSSL"] = True
                if not conn.tls:
                    # No await between sending the answer and wrapping the socket: the host's
                    # ClientHello must reach the TLS layer, not the plain reader's buffer.
                    writer.write(encode_plist(reply))
                    if not await start_tls_server(writer, dev.server_context(host_id)):
                        return
                    conn.tls = True
                    continue
        elif request == "StopSession":
            if conn.session_host is None:
                reply["Error"] = "SessionInactive"
            else:
                # The socket stays in TLS (asyncio cannot unwrap it); a new session needs a new
                # connection, which is what pymobiledevice3 and libimobiledevice open anyway.
                conn.session_host = None
                reply["Result"] = "Success"
        elif request == "StartService":
            await dev.step("start-service")
            _start_service(dev, conn, msg, reply)
        elif request == "EnterRecovery":
            reply["Error"] = "InvalidRequest"
        elif request == "Goodbye":
            reply["Result"] = "Success"
            await write_plist(writer, reply)
            return
        else:
            reply["Error"] = "InvalidRequest"
        await write_plist(writer, reply)


def _get_value(dev: SimulatedIOSDevice, conn: _Conn, msg: dict[str, Any], reply: dict[str, Any]) -> None:
    domain = msg.get("Domain") or None
    key = msg.get("Key") or None
    trusted = conn.session_host is not None
    if domain is not None:
        if not trusted:
            reply["Error"] = "GetProhibited"
            return
        values = dev.domain_values(str(domain))
        if values is None:
            reply["Error"] = "MissingValue"
            return
    else:
        values = dev.values()
        if not trusted:
            values = {k: v for k, v in values.items() if k in PUBLIC_KEYS}
    if key is None:
        reply["Value"] = values
        return
    if key not in values:
        all_values = dev.values() if domain is None else {}
        reply["Error"] = "GetProhibited" if (not trusted and key in all_values) else "MissingValue"
        return
    reply["Key"] = key
    reply["Value"] = values[key]
    if domain is not None:
        reply["Domain"] = domain


def _set_value(dev: SimulatedIOSDevice, conn: _Conn, msg: dict[str, Any], reply: dict[str, Any]) -> None:
    if conn.session_host is None:
        reply["Error"] = "SessionInactive"
        return
    key = msg.get("Key")
    if not key or "Value" not in msg:
        reply["Error"] = "MissingValue"
        return
    domain = msg.get("Domain") or None
    if domain is None and key == "DeviceName":
        dev.device_name = str(msg["Value"])
    elif domain is None and key == "ActivationStateAcknowledged":
        # The host confirms it saw the activation through (pymobiledevice3 sets it after activate()).
        dev.activation_acknowledged = bool(msg["Value"]) and dev.activation_state != "Unactivated"
    elif domain is None and key in dev.values():
        reply["Error"] = "SetProhibited"  # identity values are read-only
        return
    else:
        dev.extra_values[(domain, str(key))] = msg["Value"]


def _pair(dev: SimulatedIOSDevice, conn: _Conn, msg: dict[str, Any], reply: dict[str, Any]) -> None:
    record = msg.get("PairRecord")
    if not isinstance(record, dict) or any(k not in record for k in _RECORD_KEYS):
        reply["Error"] = "InvalidPairRecord"
        return
    options = msg.get("PairingOptions") or {}
    supervisor = options.get("SupervisorCertificate")
    response = options.get("ChallengeResponse")
    authorised = dev.setup_assistant
    if supervisor is not None and dev.supervised:
        certs = (dev.cloud_config or {}).get("SupervisorHostCertificates") or []
        if supervisor in certs:
            # A supervised device lets its supervisor pair without the dialog, after it proves
            # it holds the supervision key by signing a challenge.
            conn.challenge = os.urandom(32)
            conn.challenge_cert = bytes(supervisor)
            reply["Error"] = "MCChallengeRequired"
            reply["ExtendedResponse"] = {"PairingChallenge": conn.challenge}
            return
    if response is not None:
        if conn.challenge is None or conn.challenge_cert is None:
            reply["Error"] = "PairingProhibitedOverThisConnection"
            return
        try:
            content = verify_signed_data(bytes(response), conn.challenge_cert)
        except CMSError:
            content = None
        if content != conn.challenge:
            reply["Error"] = "PairingProhibitedOverThisConnection"
            return
        authorised = True
    if not authorised:
        if dev.passcode_locked:
            reply["Error"] = "PasswordProtected"
            return
        if dev.trust == "pending":
            reply["Error"] = "PairingDialogResponsePending"
            return
        if dev.trust == "refused":
            reply["Error"] = "UserDeniedPairing"
            return
        # "auto" (tests' convenience: the user taps Trust at once) or "trusted"
    dev.hosts[str(record["HostID"])] = dict(record)
    dev._ssl.pop(str(record["HostID"]), None)
    reply["EscrowBag"] = os.urandom(64)


def _start_service(dev: SimulatedIOSDevice, conn: _Conn, msg: dict[str, Any], reply: dict[str, Any]) -> None:
    if conn.session_host is None:
        reply["Error"] = "SessionInactive"
        return
    service = str(msg.get("Service", ""))
    reply["Service"] = service
    if service not in SERVICES:
        reply["Error"] = "InvalidService"
        return
    reply["Port"] = dev.open_service_port(service, conn.session_host)
    if service in TLS_SERVICES:
        reply["EnableServiceSSL"] = True

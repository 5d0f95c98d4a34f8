"""The simulated ``com.apple.mobile.MCInstall`` service: cloud configuration, profiles, erase.

TLS from the first byte (lockdownd answered ``EnableServiceSSL``), then 4-byte big-endian
length + plist, ``{RequestType: ...}`` in, ``{Status: "Acknowledged", ...}`` or
``{Status: "Error", ErrorChain: [...]}`` out.

The device-side state machine:
- ``SetCloudConfiguration`` is accepted only in Setup Assistant with no configuration yet;
  otherwise ErrorChain code 14002 (MCCloudConfigurationErrorDomain, "already present"), the one
  code pymobiledevice3 maps to its own exception.
- ``DownloadAndApplyCloudConfiguration`` fetches the configuration "assigned in ABM" to the
  device's serial (the simulator's ``abm_assignments``), same preconditions.
- ``Escalate`` answers a random ``Challenge`` when the certificate is among the configuration's
  ``SupervisorHostCertificates``; ``EscalateResponse`` must carry that challenge signed (CMS)
  by the certificate's key; only then does ``InstallProfileSilent`` work, on supervised devices.
- ``InstallProfile`` stores the profile as downloaded: it waits for the user
  (``SimulatedIOSDevice.confirm_profile``), as iOS does since 12.2.
- ``EraseDevice`` acknowledges, then the device detaches and comes back fresh in Setup Assistant.

Error codes other than 14002 are the simulator's choice (close to the domains iOS uses); tests
and the station should key on ``Status`` and the domain rather than on those numbers.
"""

from __future__ import annotations

import asyncio
import os
import plistlib
from typing import Any

from cryptography import x509

from kitstation.simulator.ios.cms import CMSError, parse_signed_data, verify_signed_data
from kitstation.simulator.ios.device import SimulatedIOSDevice
from kitstation.simulator.ios.wire import read_plist, write_plist

CLOUD_DOMAIN = "MCCloudConfigurationErrorDomain"
PROFILE_DOMAIN = "MCProfileErrorDomain"
INSTALL_DOMAIN = "MCInstallationErrorDomain"
ERR_CLOUD_CONFIG_PRESENT = 14002
ERR_CLOUD_CONFIG_INVALID = 14001
ERR_NO_ABM_ASSIGNMENT = 14003
ERR_PROFILE_MALFORMED = 1000
ERR_PROFILE_NOT_FOUND = 1001
ERR_NOT_SUPERVISED = 4007
ERR_NOT_ESCALATED = 4008
ERR_BAD_SUPERVISOR = 4009
ERR_UNKNOWN_REQUEST = 4010

# RequestType -> step name in the timing/fault model
_STEP = {
    "HelloHostIdentifier": "hello",
    "Flush": "flush",
    "GetCloudConfiguration": "get-cloud-config",
    "SetCloudConfiguration": "set-cloud-config",
    "DownloadAndApplyCloudConfiguration": "dep",
    "Escalate": "escalate",
    "EscalateResponse": "escalate",
    "ProceedWithKeybagMigration": "escalate",
    "InstallProfile": "install-profile",
    "InstallProfileSilent": "install-profile-silent",
    "GetProfileList": "get-profile-list",
    "RemoveProfile": "remove-profile",
    "StoreProfile": "store-profile",
    "GetStoredProfile": "get-stored-profile",
    "EraseDevice": "erase",
}


class MCError(Exception):
    """An ErrorChain answer."""

    def __init__(self, domain: str, code: int, description: str) -> None:
        super().__init__(description)
        self.domain = domain
        self.code = code
        self.description = description

    def chain(self) -> dict[str, Any]:
        return {
            "Status": "Error",
            "ErrorChain": [
                {
                    "ErrorDomain": self.domain,
                    "ErrorCode": self.code,
                    "LocalizedDescription": self.description,
                    "USEnglishDescription": self.description,
                }
            ],
        }


class _Conn:
    def __init__(self, host_id: str) -> None:
        self.host_id = host_id
        self.challenge: bytes | None = None
        self.challenge_cert: bytes | None = None
        self.escalated = False


async def serve_mcinstall(
    dev: SimulatedIOSDevice, host_id: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    # TLS first, before anything can yield: the host's ClientHello follows usbmuxd's Result at once.
    await writer.start_tls(dev.server_context(host_id))
    conn = _Conn(host_id)
    while True:
        msg = await read_plist(reader)
        if msg is None:
            return
        request = str(msg.get("RequestType", ""))
        step = _STEP.get(request, "flush")
        code = await dev.step(step, latency="flush" if step == "erase" else None)
        try:
            if code is not None:
                raise MCError(INSTALL_DOMAIN, code, f"Injected fault on {step}.")
            reply = _handle(dev, conn, request, msg)
        except MCError as exc:
            reply = exc.chain()
        await write_plist(writer, reply)
        if request == "EraseDevice" and reply.get("Status") == "Acknowledged":
            dev.begin_erase()
            return


def _ack(**extra: Any) -> dict[str, Any]:
    return {"Status": "Acknowledged", **extra}


def _handle(dev: SimulatedIOSDevice, conn: _Conn, request: str, msg: dict[str, Any]) -> dict[str, Any]:
    if request in ("HelloHostIdentifier", "Flush", "SetWiFiPowerState", "EstablishProvisionalEnrollment"):
        return _ack()
    if request == "GetCloudConfiguration":
        return _ack(CloudConfiguration=dev.cloud_config) if dev.cloud_config is not None else _ack()
    if request == "SetCloudConfiguration":
        _check_can_configure(dev)
        dev.cloud_config = _validate_cloud_configuration(msg.get("CloudConfiguration"))
        return _ack()
    if request == "DownloadAndApplyCloudConfiguration":
        _check_can_configure(dev)
        assigned = dev._sim.abm_assignments.get(dev.serial)
        if assigned is None:
            raise MCError(CLOUD_DOMAIN, ERR_NO_ABM_ASSIGNMENT, "This device is not assigned to an MDM server.")
        config = _validate_cloud_configuration(dict(assigned))
        config.setdefault("ConfigurationSource", 0)  # 0: fetched from Apple (DEP), 2: set by a host
        config["ConfigurationWasApplied"] = True
        dev.cloud_config = config
        return _ack()
    if request == "Escalate":
        return _escalate(dev, conn, msg)
    if request == "EscalateResponse":
        signed = msg.get("SignedRequest")
        if conn.challenge is None or conn.challenge_cert is None or not isinstance(signed, bytes):
            raise MCError(INSTALL_DOMAIN, ERR_BAD_SUPERVISOR, "No escalation in progress.")
        try:
            content = verify_signed_data(signed, conn.challenge_cert)
        except CMSError as exc:
            raise MCError(INSTALL_DOMAIN, ERR_BAD_SUPERVISOR, f"The escalation response is invalid: {exc}.") from None
        if content != conn.challenge:
            raise MCError(INSTALL_DOMAIN, ERR_BAD_SUPERVISOR, "The escalation response signs another challenge.")
        conn.escalated = True
        conn.challenge = None
        return _ack()
    if request == "ProceedWithKeybagMigration":
        return _ack()
    if request == "InstallProfile":
        profile = parse_profile(msg.get("Payload"))
        # Since iOS 12.2 a profile from a host is only "downloaded": the user installs it in Settings.
        dev.pending[profile["PayloadIdentifier"]] = profile
        return _ack()
    if request == "InstallProfileSilent":
        if not dev.supervised:
            raise MCError(INSTALL_DOMAIN, ERR_NOT_SUPERVISED, "The device is not supervised.")
        if not conn.escalated:
            raise MCError(INSTALL_DOMAIN, ERR_NOT_ESCALATED, "The host has not authenticated as supervisor.")
        profile = parse_profile(msg.get("Payload"))
        dev.pending.pop(profile["PayloadIdentifier"], None)
        dev.installed[profile["PayloadIdentifier"]] = profile
        return _ack()
    if request == "GetProfileList":
        return _profile_list(dev)
    if request == "RemoveProfile":
        ident = _removal_identifier(msg.get("ProfileIdentifier"))
        if dev.installed.pop(ident, None) is None and dev.pending.pop(ident, None) is None:
            raise MCError(PROFILE_DOMAIN, ERR_PROFILE_NOT_FOUND, f"The profile {ident} is not installed.")
        return _ack()
    if request == "StoreProfile":
        data = msg.get("ProfileData")
        if not isinstance(data, bytes):
            raise MCError(PROFILE_DOMAIN, ERR_PROFILE_MALFORMED, "The profile data is missing.")
        parse_profile(data)
        dev.stored_profiles[str(msg.get("Purpose", "PostSetupInstallation"))] = data
        return _ack()
    if request == "GetStoredProfile":
        data = dev.stored_profiles.get(str(msg.get("Purpose", "PostSetupInstallation")))
        return _ack(ProfileData=data) if data is not None else _ack()
    if request == "EraseDevice":
        return _ack()
    raise MCError(INSTALL_DOMAIN, ERR_UNKNOWN_REQUEST, f"Unknown request {request!r}.")


def _check_can_configure(dev: SimulatedIOSDevice) -> None:
    if dev.cloud_config is not None or not dev.setup_assistant:
        raise MCError(CLOUD_DOMAIN, ERR_CLOUD_CONFIG_PRESENT, "The cloud configuration is already present.")


def _validate_cloud_configuration(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MCError(CLOUD_DOMAIN, ERR_CLOUD_CONFIG_INVALID, "The cloud configuration is not a dictionary.")
    for key in ("SupervisorHostCertificates", "AnchorCertificates"):
        certs = value.get(key, [])
        if not isinstance(certs, list):
            raise MCError(CLOUD_DOMAIN, ERR_CLOUD_CONFIG_INVALID, f"{key} is not an array.")
        for cert in certs:
            try:
                x509.load_der_x509_certificate(bytes(cert))
            except (TypeError, ValueError):
                raise MCError(CLOUD_DOMAIN, ERR_CLOUD_CONFIG_INVALID, f"{key} holds an invalid certificate.") from None
    return dict(value)


def _escalate(dev: SimulatedIOSDevice, conn: _Conn, msg: dict[str, Any]) -> dict[str, Any]:
    cert = msg.get("SupervisorCertificate")
    if not dev.supervised:
        raise MCError(INSTALL_DOMAIN, ERR_NOT_SUPERVISED, "The device is not supervised.")
    certs = (dev.cloud_config or {}).get("SupervisorHostCertificates") or []
    if not isinstance(cert, bytes) or cert not in [bytes(c) for c in certs]:
        raise MCError(INSTALL_DOMAIN, ERR_BAD_SUPERVISOR, "The certificate is not this device's supervisor.")
    conn.challenge = os.urandom(32)
    conn.challenge_cert = cert
    conn.escalated = False
    return _ack(Challenge=conn.challenge)


def parse_profile(payload: Any) -> dict[str, Any]:
    """Parse a configuration profile (plain or CMS-signed plist) as the device does; MCError if malformed."""
    if not isinstance(payload, bytes) or not payload:
        raise MCError(PROFILE_DOMAIN, ERR_PROFILE_MALFORMED, "The profile is missing.")
    data = payload
    if not data.lstrip().startswith((b"<?xml", b"<plist", b"<!DOCTYPE", b"bplist")):
        try:
            data = parse_signed_data(payload).content
        except CMSError:
            raise MCError(PROFILE_DOMAIN, ERR_PROFILE_MALFORMED, "The profile cannot be read.") from None
    try:
        profile = plistlib.loads(data)
    except Exception:
        raise MCError(PROFILE_DOMAIN, ERR_PROFILE_MALFORMED, "The profile cannot be read.") from None
    _check_payload(profile, top=True)
    return profile  # type: ignore[no-any-return]


def _check_payload(p: Any, *, top: bool) -> None:
    bad = MCError(PROFILE_DOMAIN, ERR_PROFILE_MALFORMED, "The profile is not formatted correctly.")
    if not isinstance(p, dict):
        raise bad
    for key in ("PayloadIdentifier", "PayloadUUID", "PayloadType"):
        if not isinstance(p.get(key), str) or not p[key]:
            raise MCError(PROFILE_DOMAIN, ERR_PROFILE_MALFORMED, f"The profile is missing {key}.")
    if not isinstance(p.get("PayloadVersion"), int):
        raise MCError(PROFILE_DOMAIN, ERR_PROFILE_MALFORMED, "The profile is missing PayloadVersion.")
    if top:
        if p["PayloadType"] != "Configuration":
            raise MCError(PROFILE_DOMAIN, ERR_PROFILE_MALFORMED, "The profile's PayloadType is not Configuration.")
        content = p.get("PayloadContent", [])
        if not isinstance(content, list):
            raise bad
        for item in content:
            _check_payload(item, top=False)


def _profile_list(dev: SimulatedIOSDevice) -> dict[str, Any]:
    ordered = list(dev.installed)
    manifest = {
        pid: {"Description": p.get("PayloadDisplayName", pid), "IsActive": True} for pid, p in dev.installed.items()
    }
    metadata: dict[str, Any] = {}
    for pid, p in dev.installed.items():
        meta = {
            "PayloadDisplayName": p.get("PayloadDisplayName", pid),
            "PayloadUUID": p["PayloadUUID"],
            "PayloadVersion": p["PayloadVersion"],
            "PayloadRemovalDisallowed": bool(p.get("PayloadRemovalDisallowed", False)),
        }
        for key in ("PayloadDescription", "PayloadOrganization"):
            if key in p:
                meta[key] = p[key]
        metadata[pid] = meta
    return _ack(OrderedIdentifiers=ordered, ProfileManifest=manifest, ProfileMetadata=metadata)


def _removal_identifier(value: Any) -> str:
    # pymobiledevice3 sends a small plist naming the profile; some hosts send the identifier itself.
    if isinstance(value, bytes):
        try:
            doc = plistlib.loads(value)
        except Exception:
            raise MCError(PROFILE_DOMAIN, ERR_PROFILE_MALFORMED, "The removal request cannot be read.") from None
        if isinstance(doc, dict) and isinstance(doc.get("PayloadIdentifier"), str):
            return str(doc["PayloadIdentifier"])
        raise MCError(PROFILE_DOMAIN, ERR_PROFILE_MALFORMED, "The removal request names no profile.")
    if isinstance(value, str):
        return value
    raise MCError(PROFILE_DOMAIN, ERR_PROFILE_MALFORMED, "The removal request names no profile.")

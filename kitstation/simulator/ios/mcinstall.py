"""The simulated ``com.apple.mobile.MCInstall`` service: cloud configuration, profiles, erase.

TLS from the first byte (lockdownd answered ``EnableServiceSSL``), then 4-byte big-endian
length + plist, ``{RequestType: ...}`` in, ``{Status: "Acknowledged", ...}`` or
``{Status: "Error", ErrorChain: [...]}`` out.

The device-side state machine (each rule is a row of docs/FIDELITY.md):
- ``SetCloudConfiguration`` is accepted only in Setup Assistant with no configuration yet
  (otherwise ErrorChain 14002, MCCloudConfigurationErrorDomain, "already present", the one code
  pymobiledevice3 maps to its own exception) and only once the device is activated (otherwise
  MCCloudConfigErrorDomain 33003; the ``allow-unactivated`` fault is the only leniency).
- What the device keeps is not what the host sent: ``ConfigurationSource`` is the device's own
  (2 = a host, Configurator; 1 = Automated Device Enrollment), ``IsMandatory`` is forced true from
  iOS 13, ``IsMDMUnremovable`` is forced false and ``SupervisorHostCertificates`` dropped on an
  unsupervised device, ``IsMultiUser`` (Shared iPad) dropped on an iPhone or an unsupervised iPad
  (:func:`device_keeps`).
- ``DownloadAndApplyCloudConfiguration`` fetches the configuration "assigned in ABM" to the
  device's serial (the simulator's ``abm_assignments``), same preconditions; with the
  ``no-network`` fault the chain ends in NSURLErrorDomain -1009 (offline), as a device that cannot
  reach Apple answers.
- ``Escalate`` answers a random ``Challenge`` when the certificate is among the configuration's
  ``SupervisorHostCertificates``, else ``Status: CertificateRejected``; ``EscalateResponse`` must
  carry that challenge signed (CMS) by the certificate's key, else ``Status: SignedRequestRejected``;
  only then does ``InstallProfileSilent`` work, on supervised devices.
- ``InstallProfile`` stores the profile as downloaded: it waits for the user
  (``SimulatedIOSDevice.confirm_profile``), as iOS does since 12.2; an empty ``Payload`` is
  ``Status: ErrorPayloadEmpty``; an unknown ``RequestType`` is ``Status: CommandFormatError``.
- ``EraseDevice`` acknowledges, then the device detaches and comes back fresh in Setup Assistant,
  unactivated.

Error codes other than 14002 and 33003 are the simulator's choice (close to the domains iOS uses);
the station keys on ``Status``, the domain and 14002/33003 only.
"""

from __future__ import annotations

import asyncio
import os
import plistlib
from typing import Any

from cryptography import x509

from kitstation.simulator.ios.cms import CMSError, parse_signed_data, verify_signed_data
from kitstation.simulator.ios.device import DropConnection, SimulatedIOSDevice
from kitstation.simulator.ios.wire import read_plist, start_tls_server, write_plist

CLOUD_DOMAIN = "MCCloudConfigurationErrorDomain"
CLOUD_CONFIG_DOMAIN = "MCCloudConfigErrorDomain"
URL_DOMAIN = "NSURLErrorDomain"
ERR_NOT_ACTIVATED = 33003
ERR_CLOUD_CONFIG_FETCH = 33001
ERR_URL_OFFLINE = -1009
SOURCE_HOST = 2  # ConfigurationSource: written by a host (Apple Configurator, cfgutil)
SOURCE_ADE = 1  # ConfigurationSource: fetched from Apple (Automated Device Enrollment)
PROFILE_DOMAIN = "MCProfileErrorDomain"
INSTALL_DOMAIN = "MCInstallationErrorDomain"
ERR_CLOUD_CONFIG_PRESENT = 14002
ERR_CLOUD_CONFIG_INVALID = 14001
ERR_NO_ABM_ASSIGNMENT = 14003
ERR_PROFILE_MALFORMED = 1000
ERR_PROFILE_NOT_FOUND = 1001
ERR_NOT_SUPERVISED = 4007
ERR_NOT_ESCALATED = 4008

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
    """An ErrorChain answer (``underlying``: further (domain, code, description) links of the chain)."""

    def __init__(
        self, domain: str, code: int, description: str, underlying: tuple[tuple[str, int, str], ...] = ()
    ) -> None:
        super().__init__(description)
        self.domain = domain
        self.code = code
        self.description = description
        self.underlying = underlying

    def chain(self) -> dict[str, Any]:
        links = [(self.domain, self.code, self.description), *self.underlying]
        return {
            "Status": "Error",
            "ErrorChain": [
                {
                    "ErrorDomain": domain,
                    "ErrorCode": code,
                    "LocalizedDescription": text,
                    "USEnglishDescription": text,
                }
                for domain, code, text in links
            ],
        }


class MCStatus(Exception):
    """A refusal answered with a ``Status`` value of its own and no ErrorChain."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


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
    if not await start_tls_server(writer, dev.server_context(host_id)):
        return
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
        except MCStatus as exc:
            reply = {"Status": exc.status}
        lost = dev.take_fault("lose-answer", step)
        if not lost:
            await write_plist(writer, reply)
        if request == "EraseDevice" and reply.get("Status") == "Acknowledged":
            dev.begin_erase()  # done, answered or not: the host cannot tell from a lost answer
            return
        if lost:
            raise DropConnection(step)


def _ack(**extra: Any) -> dict[str, Any]:
    return {"Status": "Acknowledged", **extra}


def _handle(dev: SimulatedIOSDevice, conn: _Conn, request: str, msg: dict[str, Any]) -> dict[str, Any]:
    if request in ("HelloHostIdentifier", "Flush", "SetWiFiPowerState", "EstablishProvisionalEnrollment"):
        return _ack()
    if request == "GetCloudConfiguration":
        return _ack(CloudConfiguration=dev.cloud_config) if dev.cloud_config is not None else _ack()
    if request == "SetCloudConfiguration":
        if "CloudConfiguration" not in msg:
            raise MCStatus("CommandFormatError")
        _check_can_configure(dev)
        config = _validate_cloud_configuration(msg.get("CloudConfiguration"))
        dev.cloud_config = device_keeps(config, dev, SOURCE_HOST)
        return _ack()
    if request == "DownloadAndApplyCloudConfiguration":
        _check_can_configure(dev)
        if dev.has_fault("no-network"):
            raise MCError(
                CLOUD_CONFIG_DOMAIN,
                ERR_CLOUD_CONFIG_FETCH,
                "The cloud configuration could not be retrieved.",
                ((URL_DOMAIN, ERR_URL_OFFLINE, "The Internet connection appears to be offline."),),
            )
        assigned = dev._sim.abm_assignments.get(dev.serial)
        if assigned is None:
            raise MCError(CLOUD_DOMAIN, ERR_NO_ABM_ASSIGNMENT, "This device is not assigned to an MDM server.")
        config = device_keeps(_validate_cloud_configuration(dict(assigned)), dev, SOURCE_ADE)
        config["ConfigurationWasApplied"] = True
        dev.cloud_config = config
        return _ack()
    if request == "Escalate":
        return _escalate(dev, conn, msg)
    if request == "EscalateResponse":
        signed = msg.get("SignedRequest")
        if conn.challenge is None or conn.challenge_cert is None or not isinstance(signed, bytes):
            raise MCStatus("SignedRequestRejected")
        try:
            content = verify_signed_data(signed, conn.challenge_cert)
        except CMSError:
            raise MCStatus("SignedRequestRejected") from None
        if content != conn.challenge:
            raise MCStatus("SignedRequestRejected")
        conn.escalated = True
        conn.challenge = None
        return _ack()
    if request == "ProceedWithKeybagMigration":
        return _ack()
    if request in ("InstallProfile", "InstallProfileSilent") and not msg.get("Payload"):
        raise MCStatus("ErrorPayloadEmpty")
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
    raise MCStatus("CommandFormatError")


def _check_can_configure(dev: SimulatedIOSDevice) -> None:
    if dev.cloud_config is not None or not dev.setup_assistant:
        raise MCError(CLOUD_DOMAIN, ERR_CLOUD_CONFIG_PRESENT, "The cloud configuration is already present.")
    if dev.activation_state == "Unactivated" and not dev.has_fault("allow-unactivated"):
        raise MCError(CLOUD_CONFIG_DOMAIN, ERR_NOT_ACTIVATED, "The device is not activated.")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit()) or (0,)


def device_keeps(config: dict[str, Any], dev: SimulatedIOSDevice, source: int) -> dict[str, Any]:
    """The configuration as the device stores it: its own source, forced flags, unusable keys gone."""
    kept = dict(config)
    kept["ConfigurationSource"] = source
    supervised = bool(kept.get("IsSupervised"))
    if _version(dev.product_version) >= (13,):
        kept["IsMandatory"] = True  # iOS 13+: the enrollment cannot be skipped
    if not supervised:
        kept["IsMDMUnremovable"] = False  # only a supervised device can lock its MDM on
        kept.pop("SupervisorHostCertificates", None)
    if dev.device_class != "iPad" or not supervised:
        kept.pop("IsMultiUser", None)  # Shared iPad: supervised iPads only
    return kept


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
        raise MCStatus("CertificateRejected")  # an unsupervised device has no supervisor to match
    certs = (dev.cloud_config or {}).get("SupervisorHostCertificates") or []
    if not isinstance(cert, bytes) or cert not in [bytes(c) for c in certs]:
        raise MCStatus("CertificateRejected")
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

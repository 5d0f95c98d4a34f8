"""The cloud configuration Prepare writes to a device in Setup Assistant, built from a blueprint.

pymobiledevice3's ``MobileConfigService.supervise()`` hard-codes its own keys and sends no MDM
URL or anchors, so the station builds the whole dictionary here and sends it with
``set_cloud_configuration``. The same builder gives the verification step what to expect.
"""

from __future__ import annotations

import uuid
from typing import Any

from kitstation.blueprints.ios import IOSOptions
from kitstation.blueprints.skipkeys import keys_for, parse_version

# Keys only the device writes (after Setup Assistant installs the post-setup profile).
DEVICE_OWNED = frozenset({"PostSetupProfileWasInstalled"})

# ConfigurationSource as a device reports it: 2 = written by a host (Apple Configurator, cfgutil,
# this station), 1 = fetched from Apple (Automated Device Enrollment, ABM/ASM). The device sets it.
SOURCE_HOST = 2
SOURCE_ADE = 1

# Flat keys Setup Assistant reads the organisation from (a real DEP configuration dump has them
# flat; an "Organization" dictionary is not read by the device).
_ORG_FIELDS = (
    ("address", "OrganizationAddress"),
    ("address", "OrganizationAddressLine1"),
    ("city", "OrganizationCity"),
    ("zip_code", "OrganizationZipCode"),
    ("country", "OrganizationCountry"),
    ("phone", "OrganizationPhone"),
    ("email", "OrganizationEmail"),
    ("department", "OrganizationDepartment"),
    ("support_phone", "OrganizationSupportPhone"),
    ("support_email", "OrganizationSupportEmail"),
)


def organization_magic(name: str) -> str:
    """A stable identifier per organisation (Configurator sends a UUID; stable keeps re-runs equal)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kitstation:organization:{name}")).upper()


def build_cloud_configuration(
    opts: IOSOptions,
    *,
    ios_version: str | None,
    supervisor_certificates: list[bytes] | None = None,
    anchor_certificates: list[bytes] | None = None,
) -> dict[str, Any]:
    """The ``CloudConfiguration`` for one device (skip keys filtered for its iOS version)."""
    cfg: dict[str, Any] = {
        "IsSupervised": bool(opts.supervise),
        "AllowPairing": bool(opts.allow_pairing),
        "IsMultiUser": bool(opts.shared_ipad),
        "IsMandatory": bool(opts.mdm_mandatory),
        "IsMDMUnremovable": not opts.mdm_removable,
        "AwaitDeviceConfigured": bool(opts.await_device_configured),
        "AutoAdvanceSetup": bool(opts.auto_advance_setup),
        "SkipSetup": keys_for(opts.skip_setup, ios_version),
        # As Configurator sets them: with an MDM server to enroll in, Setup Assistant must still
        # show Remote Management and apply it (both false); without one there is nothing left to
        # show or apply (both true). ConfigurationSource is the device's own: not sent.
        "CloudConfigurationUIComplete": opts.mdm_server is None,
        "ConfigurationWasApplied": opts.mdm_server is None,
    }
    if opts.organization is not None:
        org = opts.organization
        cfg["OrganizationName"] = org.name
        cfg["OrganizationMagic"] = organization_magic(org.name)
        cfg.update({plist_key: getattr(org, attr) for attr, plist_key in _ORG_FIELDS if getattr(org, attr)})
    if opts.mdm_server is not None:
        cfg["ConfigurationURL"] = opts.mdm_server.url
    if anchor_certificates:
        cfg["AnchorCertificates"] = list(anchor_certificates)
    if supervisor_certificates:
        cfg["SupervisorHostCertificates"] = list(supervisor_certificates)
    if opts.language:
        cfg["Language"] = opts.language
    if opts.region:
        cfg["Region"] = opts.region
    return cfg


def device_keeps(
    sent: dict[str, Any], *, device_class: str | None, ios_version: str | None, source: int = SOURCE_HOST
) -> dict[str, Any]:
    """What a device stores for the configuration ``sent`` (the rules, written down once here).

    1. ``ConfigurationSource`` is the device's: ``source`` (2 host, 1 ADE), whatever was sent.
    2. iOS 13 and later: ``IsMandatory`` is true (the MDM enrollment can no longer be skipped).
    3. Unsupervised: ``IsMDMUnremovable`` is false (only a supervised device can lock its MDM on)
       and ``SupervisorHostCertificates`` are dropped.
    4. ``IsMultiUser`` (Shared iPad) is dropped unless the device is a supervised iPad.

    The simulator applies the same rules on its side (simulator/ios/mcinstall.py ``device_keeps``);
    docs/FIDELITY.md gives the public source of each.
    """
    kept = dict(sent)
    kept["ConfigurationSource"] = source
    supervised = bool(kept.get("IsSupervised"))
    if ios_version is not None and parse_version(ios_version) >= (13,):
        kept["IsMandatory"] = True
    if not supervised:
        kept["IsMDMUnremovable"] = False
        kept.pop("SupervisorHostCertificates", None)
    if device_class != "iPad" or not supervised:
        kept.pop("IsMultiUser", None)
    return kept


def compare(expected: dict[str, Any], actual: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Key-by-key differences (``{key: {"expected": .., "actual": ..}}``); bytes shown by length.

    ``expected`` is what the device keeps (:func:`device_keeps`), not what was sent.
    """
    actual = actual or {}
    diffs: dict[str, dict[str, Any]] = {}
    for key, want in expected.items():
        if key in DEVICE_OWNED:
            continue
        got = actual.get(key)
        if isinstance(want, list) and isinstance(got, list) and want and isinstance(want[0], bytes):
            same = [bytes(x) for x in want] == [bytes(x) for x in got]
        else:
            same = want == got
        if not same:
            diffs[key] = {"expected": _show(want), "actual": _show(got)}
    return diffs


def summary(cfg: dict[str, Any] | None) -> dict[str, Any] | None:
    """A loggable copy (certificates replaced by their count; nothing secret is in a cloud config)."""
    if cfg is None:
        return None
    return {k: _show(v) for k, v in cfg.items()}


def _show(value: Any) -> Any:
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, list):
        return [_show(v) for v in value]
    if isinstance(value, dict):
        return {k: _show(v) for k, v in value.items()}
    return value

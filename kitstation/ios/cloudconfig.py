"""The cloud configuration Prepare writes to a device in Setup Assistant, built from a blueprint.

pymobiledevice3's ``MobileConfigService.supervise()`` hard-codes its own keys and sends no MDM
URL or anchors, so the station builds the whole dictionary here and sends it with
``set_cloud_configuration``. The same builder gives the verification step what to expect.
"""

from __future__ import annotations

import uuid
from typing import Any

from kitstation.blueprints.ios import IOSOptions
from kitstation.blueprints.skipkeys import keys_for

# Keys the device adds or rewrites itself (so verification does not compare them).
DEVICE_OWNED = frozenset({"ConfigurationWasApplied", "ConfigurationSource", "PostSetupProfileWasInstalled"})

# ConfigurationSource: 2 = set by a host (Configurator), 0 = fetched from Apple (DEP).
SOURCE_HOST = 2

_ORG_FIELDS = (
    ("address", "Address"),
    ("city", "City"),
    ("zip_code", "ZipCode"),
    ("country", "Country"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("department", "Department"),
    ("support_phone", "SupportPhone"),
    ("support_email", "SupportEmail"),
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
        # Configurator marks the configuration as already shown, so Setup Assistant does not ask
        # the user to accept "Remote Management" for a configuration the host wrote.
        "CloudConfigurationUIComplete": True,
        "ConfigurationWasApplied": True,
        "ConfigurationSource": SOURCE_HOST,
    }
    if opts.organization is not None:
        org = opts.organization
        cfg["OrganizationName"] = org.name
        cfg["OrganizationMagic"] = organization_magic(org.name)
        details = {plist_key: getattr(org, attr) for attr, plist_key in _ORG_FIELDS if getattr(org, attr)}
        if details:
            cfg["Organization"] = {"Name": org.name, **details}
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


def compare(expected: dict[str, Any], actual: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Key-by-key differences (``{key: {"expected": .., "actual": ..}}``); bytes shown by length."""
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

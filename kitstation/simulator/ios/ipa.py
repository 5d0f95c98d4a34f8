"""Small ``.ipa`` files for the simulator, the tests and the shipped demo: built, never downloaded.

An ``.ipa`` is a zip with ``Payload/<Name>.app/Info.plist`` (``CFBundleIdentifier``,
``CFBundleShortVersionString``, ``CFBundleVersion``, ``UIDeviceFamily``, ``MinimumOSVersion``) and,
for a development, ad-hoc or enterprise build, ``Payload/<Name>.app/embedded.mobileprovision``: a
CMS SignedData whose content is a property list naming the devices it may run on
(``ProvisionedDevices``) or, for an enterprise build, ``ProvisionsAllDevices``.

The zip is deterministic (fixed timestamps, sorted entries). The provisioning profile is signed
with a fixed demo key (P-256 derived from a constant); ECDSA signatures differ from run to run, so
only the signature bytes change when a file is rebuilt — the simulated device does not check it
against Apple's chain (a real device does), it reads the profile's content as a device does.

``python -m kitstation.simulator.ios.ipa OUT.ipa`` writes the demo app of the shipped example.
"""

from __future__ import annotations

import datetime as dt
import io
import plistlib
import struct
import sys
import zipfile
from collections.abc import Sequence
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

_STAMP = (2025, 1, 1, 0, 0, 0)
_NOT_BEFORE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
DEMO_TEAM = "KITDEMO123"
DEMO_BUNDLE_ID = "jp.kitstation.demo.scanner"
DEMO_VERSION = "1.2.0"
DEMO_BUILD = "120"


def _demo_signer() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.derive_private_key(0x4B49545354415449_4F4E44454D4F, ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "KitStation demo provisioning (not Apple)")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(20250101)
        .not_valid_before(_NOT_BEFORE)
        .not_valid_after(_NOT_BEFORE + dt.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    return cert, key


def mobileprovision(
    bundle_id: str,
    *,
    devices: Sequence[str] = (),
    all_devices: bool = False,
    team_id: str = DEMO_TEAM,
    name: str = "KitStation demo",
) -> bytes:
    """An ``embedded.mobileprovision``: CMS (DER) around the profile's property list."""
    body: dict[str, Any] = {
        "AppIDName": name,
        "ApplicationIdentifierPrefix": [team_id],
        "CreationDate": _NOT_BEFORE,
        "ExpirationDate": _NOT_BEFORE + dt.timedelta(days=3650),
        "Entitlements": {"application-identifier": f"{team_id}.{bundle_id}"},
        "Name": name,
        "TeamIdentifier": [team_id],
        "UUID": "6B1D2C4E-0000-4000-8000-4B4954535441",
        "Version": 1,
    }
    if all_devices:
        body["ProvisionsAllDevices"] = True
    else:
        body["ProvisionedDevices"] = list(devices)
    content = plistlib.dumps(body, sort_keys=True)
    cert, key = _demo_signer()
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary, pkcs7.PKCS7Options.NoAttributes])
    )


CPU_ARM64 = 0x0100000C
CPU_X86_64 = 0x01000007


def macho(cputype: int = CPU_ARM64) -> bytes:
    """A 64-bit Mach-O executable header with no load commands: enough for installd's architecture check."""
    return struct.pack("<IiiIIIII", 0xFEEDFACF, cputype, 0, 2, 0, 0, 0, 0)


def build_ipa(
    bundle_id: str = DEMO_BUNDLE_ID,
    short_version: str = DEMO_VERSION,
    bundle_version: str = DEMO_BUILD,
    *,
    name: str = "KitDemo",
    families: Sequence[int] = (1, 2),
    min_os: str = "15.0",
    devices: Sequence[str] = (),
    all_devices: bool = False,
    provisioned: bool = True,
    info_extra: dict[str, Any] | None = None,
    cputype: int = CPU_ARM64,
) -> bytes:
    """A deterministic ``.ipa``; ``provisioned=False`` leaves out the profile (as a store build has none)."""
    info: dict[str, Any] = {
        "CFBundleDisplayName": name,
        "CFBundleExecutable": name,
        "CFBundleIdentifier": bundle_id,
        "CFBundleName": name,
        "CFBundlePackageType": "APPL",
        "CFBundleShortVersionString": short_version,
        "CFBundleSupportedPlatforms": ["iPhoneOS"],
        "CFBundleVersion": bundle_version,
        "MinimumOSVersion": min_os,
        "UIDeviceFamily": list(families),
    }
    info.update(info_extra or {})
    entries: dict[str, bytes] = {
        f"Payload/{name}.app/Info.plist": plistlib.dumps(info, fmt=plistlib.FMT_BINARY, sort_keys=True),
        # A Mach-O header only: the simulated device installs the app, it never runs it.
        f"Payload/{name}.app/{name}": macho(cputype),
    }
    if provisioned:
        entries[f"Payload/{name}.app/embedded.mobileprovision"] = mobileprovision(
            bundle_id, devices=devices, all_devices=all_devices
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(entries):
            zi = zipfile.ZipInfo(path, date_time=_STAMP)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, entries[path])
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m kitstation.simulator.ios.ipa OUT.ipa", file=sys.stderr)
        return 2
    from kitstation.files import write_atomic

    write_atomic(args[0], build_ipa(all_devices=True))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

"""Tiny real APKs: a binary-XML AndroidManifest.xml in a zip, signed with APK Signature Scheme v2/v3 (and v1).

The simulated Galaxy learns what an APK is the way Android does: it reads the package name, the
SDK levels and the device-admin receivers from the binary manifest, and verifies the signature
by its Android version (:func:`kitstation.android.apksig.verify`). So the APKs the tests install
must be real enough for that, for the APK parser adbutils uses in ``AdbDevice.install``
(``apkutils``) and for Debian's ``apksigner``. ``build_apk`` writes one; ``parse_apk`` reads one
(ours or any other plain APK with a binary manifest).

Binary XML (AXML) layout, little-endian: a file chunk (type 0x0003) holding a UTF-16 string pool
(0x0001), a resource map (0x0180, the attribute resource ids of the first strings: Android matches
``android:`` attributes by id, not by name), then namespace (0x0100/0x0101) and element
(0x0102/0x0103) chunks.
"""

from __future__ import annotations

import base64
import hashlib
import io
import struct
import zipfile
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from kitstation.android.apksig import signer_certificate
from kitstation.android.manifest import (
    ANDROID_NS,
    ATTR_IDS,
    BIND_DEVICE_ADMIN,
    DEVICE_ADMIN_ENABLED,
    NO_INDEX,
    RES_END_ELEMENT,
    RES_END_NS,
    RES_START_ELEMENT,
    RES_START_NS,
    RES_STRING_POOL,
    RES_XML,
    RES_XML_RESOURCE_MAP,
    TYPE_INT_BOOLEAN,
    TYPE_INT_DEC,
    TYPE_REFERENCE,
    TYPE_STRING,
    Element,
    ManifestError,
    read_manifest,
)
from kitstation.simulator.android.apksign import sign_v2_v3

DEMO_AGENT_PACKAGE = "jp.kitstation.demoagent"
DEMO_AGENT_RECEIVER = ".AdminReceiver"
# A current targetSdk (Android 15): what Google Play requires of new apps in 2025.
DEMO_TARGET_SDK = 35
DEMO_MIN_SDK = 24


# The simulator raises the manifest reader's error for any APK it cannot take.
ApkError = ManifestError

# ----------------------------------------------------------------------------------- binary XML


def _encode_axml(root: Element) -> bytes:
    # Attribute names with a resource id come first in the pool, in the resource map's order.
    res_names: list[str] = []
    others: list[str] = []

    def collect(el: Element) -> None:
        for is_android, name, value in el.attrs:
            if is_android and name not in res_names:
                res_names.append(name)
            elif not is_android and name not in others:
                others.append(name)
            if isinstance(value, str) and value not in others:
                others.append(value)
        if el.tag not in others:
            others.append(el.tag)
        for child in el.children:
            collect(child)

    collect(root)
    res_names.sort(key=lambda n: ATTR_IDS[n])
    strings = res_names + [s for s in ["android", ANDROID_NS, *others] if s not in res_names]
    strings = list(dict.fromkeys(strings))
    index = {s: i for i, s in enumerate(strings)}

    encoded = [struct.pack("<H", len(s)) + s.encode("utf-16-le") + b"\0\0" for s in strings]
    offsets, pos = [], 0
    for e in encoded:
        offsets.append(pos)
        pos += len(e)
    body = b"".join(encoded)
    body += b"\0" * (-len(body) % 4)
    header_size = 28
    strings_start = header_size + 4 * len(strings)
    pool = struct.pack(
        "<HHIIIIII",
        RES_STRING_POOL,
        header_size,
        strings_start + len(body),
        len(strings),
        0,
        0,  # flags: UTF-16, not sorted
        strings_start,
        0,
    )
    pool += struct.pack(f"<{len(offsets)}I", *offsets) + body

    resmap = struct.pack("<HHI", RES_XML_RESOURCE_MAP, 8, 8 + 4 * len(res_names))
    resmap += struct.pack(f"<{len(res_names)}I", *(ATTR_IDS[n] for n in res_names))

    ns_idx, uri_idx = index["android"], index[ANDROID_NS]
    nodes = [struct.pack("<HHIIIII", RES_START_NS, 16, 24, 1, NO_INDEX, ns_idx, uri_idx)]
    line = [1]

    def emit(el: Element) -> None:
        line[0] += 1
        attrs = sorted(el.attrs, key=lambda a: (0, ATTR_IDS[a[1]]) if a[0] else (1, 0))
        chunk = struct.pack(
            "<IIHHHHHH",
            NO_INDEX,
            index[el.tag],
            20,
            20,
            len(attrs),
            0,
            0,
            0,
        )
        for is_android, name, value in attrs:
            ns = uri_idx if is_android else NO_INDEX
            if isinstance(value, bool):
                raw, dtype, data = NO_INDEX, TYPE_INT_BOOLEAN, 0xFFFFFFFF if value else 0
            elif isinstance(value, int):
                dtype = TYPE_REFERENCE if name == "resource" else TYPE_INT_DEC
                raw, data = NO_INDEX, value
            else:
                raw, dtype, data = index[value], TYPE_STRING, index[value]
            chunk += struct.pack("<IIIHBBI", ns, index[name], raw, 8, 0, dtype, data)
        nodes.append(struct.pack("<HHIII", RES_START_ELEMENT, 16, 16 + len(chunk), line[0], NO_INDEX) + chunk)
        for child in el.children:
            emit(child)
        nodes.append(struct.pack("<HHIIIII", RES_END_ELEMENT, 16, 24, line[0], NO_INDEX, NO_INDEX, index[el.tag]))

    emit(root)
    nodes.append(struct.pack("<HHIIIII", RES_END_NS, 16, 24, line[0], NO_INDEX, ns_idx, uri_idx))
    content = pool + resmap + b"".join(nodes)
    return struct.pack("<HHI", RES_XML, 8, 8 + len(content)) + content


# ----------------------------------------------------------------------------------- signing


def demo_signing() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The public demo key and certificate (see ``_demo_key``): stable checksum across runs."""
    from kitstation.simulator.android._demo_key import DEMO_KEY_PEM

    key = serialization.load_pem_private_key(DEMO_KEY_PEM, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key, x509.load_pem_x509_certificate(DEMO_KEY_PEM)


def _b64sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _v1_sign(
    entries: dict[str, bytes], key: Any, cert: x509.Certificate, also: tuple[int, ...] = ()
) -> dict[str, bytes]:
    """META-INF/MANIFEST.MF, CERT.SF and CERT.RSA for ``entries`` (JAR signing, SHA-256 digests).

    ``also``: the v2/v3 schemes the APK is signed with too; CERT.SF says so
    (``X-Android-APK-Signed``), which lets Android 7+ refuse an APK whose v2/v3 block was stripped.
    """
    sections = {name: f"Name: {name}\r\nSHA-256-Digest: {_b64sha256(data)}\r\n\r\n" for name, data in entries.items()}
    manifest = ("Manifest-Version: 1.0\r\nCreated-By: KitStation\r\n\r\n" + "".join(sections.values())).encode()
    sf = (
        "Signature-Version: 1.0\r\nCreated-By: KitStation\r\n"
        + (f"X-Android-APK-Signed: {', '.join(str(v) for v in also)}\r\n" if also else "")
        + f"SHA-256-Digest-Manifest: {_b64sha256(manifest)}\r\n\r\n"
        + "".join(
            f"Name: {name}\r\nSHA-256-Digest: {_b64sha256(section.encode())}\r\n\r\n"
            for name, section in sections.items()
        )
    ).encode()
    rsa_blob = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(sf)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.NoCapabilities])
    )
    return {"META-INF/MANIFEST.MF": manifest, "META-INF/CERT.SF": sf, "META-INF/CERT.RSA": rsa_blob}


# ----------------------------------------------------------------------------------- build / parse


def build_apk(
    package: str,
    admin_receiver: str | None,
    version_code: int = 1,
    version_name: str = "1.0",
    signing: tuple[Any, x509.Certificate] | None = None,
    *,
    unsigned: bool = False,
    label: str = "KitStation agent",
    schemes: tuple[str, ...] = ("v2", "v3"),
    target_sdk: int = DEMO_TARGET_SDK,
    min_sdk: int = DEMO_MIN_SDK,
    split: str | None = None,
    split_required: bool = False,
    permissions: tuple[str, ...] = (),
) -> bytes:
    """A minimal, real APK declaring ``admin_receiver`` as a device-admin receiver.

    ``signing`` is ``(private_key, certificate)``; ``None`` signs with the public demo key.
    ``schemes``: any of ``"v1"`` (JAR), ``"v2"``, ``"v3"``; v2 + v3 by default, as current build
    tools sign an app whose minSdk is 24 or more. ``unsigned=True`` signs with none (Android
    refuses it: INSTALL_PARSE_FAILED_NO_CERTIFICATES). ``admin_receiver`` may be relative
    (".AdminReceiver") as in a manifest; ``None`` declares none. ``split``: a split APK of
    ``package`` by that name (``config.arm64_v8a``), as bundletool writes one: the base's package
    and versionCode, a ``split`` attribute, an application without code. ``split_required``: the
    base refuses to install without its splits. ``permissions``: ``uses-permission`` names.
    """
    unknown = set(schemes) - {"v1", "v2", "v3"}
    if unknown:
        raise ValueError(f"unknown signature schemes: {sorted(unknown)}")
    app_children: list[Element] = []
    if admin_receiver:
        app_children.append(
            Element(
                "receiver",
                [
                    (True, "name", admin_receiver),
                    (True, "permission", BIND_DEVICE_ADMIN),
                    (True, "exported", True),
                ],
                [
                    Element(
                        "meta-data",
                        [(True, "name", "android.app.device_admin"), (True, "resource", 0x7F0F0000)],
                    ),
                    Element("intent-filter", [], [Element("action", [(True, "name", DEVICE_ADMIN_ENABLED)])]),
                ],
            )
        )
    manifest_attrs: list[tuple[bool, str, Any]] = [
        (True, "versionCode", version_code),
        (True, "versionName", version_name),
        (False, "package", package),
    ]
    if split:
        manifest_attrs.append((False, "split", split))
    if split_required and not split:
        manifest_attrs.append((True, "isSplitRequired", True))
    root = Element(
        "manifest",
        manifest_attrs,
        [
            Element("uses-sdk", [(True, "minSdkVersion", min_sdk), (True, "targetSdkVersion", target_sdk)]),
            *(Element("uses-permission", [(True, "name", p)]) for p in permissions),
            Element("application", [(True, "label", label)], app_children),
        ],
    )
    entries = {"AndroidManifest.xml": _encode_axml(root)}
    key, cert = signing if signing is not None else demo_signing()
    if not unsigned and "v1" in schemes:
        also = tuple(int(s[1]) for s in ("v2", "v3") if s in schemes)
        entries.update(_v1_sign(dict(entries), key, cert, also))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            # A fixed timestamp keeps the bytes reproducible for the same inputs and key.
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    apk = buf.getvalue()
    if unsigned or not ({"v2", "v3"} & set(schemes)):
        return apk
    return sign_v2_v3(apk, key, cert, v2="v2" in schemes, v3="v3" in schemes)


_demo_apk_cache: bytes | None = None


def demo_agent_apk() -> bytes:
    """The demo MDM agent: ``jp.kitstation.demoagent`` with admin receiver ``.AdminReceiver``."""
    global _demo_apk_cache
    if _demo_apk_cache is None:
        _demo_apk_cache = build_apk(
            DEMO_AGENT_PACKAGE, DEMO_AGENT_RECEIVER, version_code=1, version_name="1.0", label="KitStation Demo Agent"
        )
    return _demo_apk_cache


@dataclass(frozen=True)
class ApkInfo:
    """What Android reads from an APK at install time."""

    package: str
    version_code: int
    version_name: str
    admin_receivers: tuple[str, ...]  # fully qualified class names
    certificate_der: bytes | None  # the signer certificate (v3, else v2, else v1); None when unsigned
    min_sdk: int = 1
    target_sdk: int = 0  # 0: not declared (Android then takes minSdk)
    split: str | None = None  # None: a base APK
    split_required: bool = False
    uses_permissions: tuple[str, ...] = ()

    @property
    def signature_checksum(self) -> str | None:
        """URL-safe base64 SHA-256 of the signing cert (PROVISIONING_DEVICE_ADMIN_SIGNATURE_CHECKSUM)."""
        if self.certificate_der is None:
            return None
        return base64.urlsafe_b64encode(hashlib.sha256(self.certificate_der).digest()).decode().rstrip("=")


def signing_certificate(apk: bytes) -> bytes | None:
    """The DER signer certificate by Android's order (v3, v2, v1), or None if unsigned."""
    try:
        found = signer_certificate(apk)
    except ValueError as exc:
        raise ApkError(str(exc)) from exc
    return found.der if found is not None else None


def parse_apk(apk: bytes) -> ApkInfo:
    """Read package, version, SDK levels, device-admin receivers and signer certificate from APK bytes."""
    m = read_manifest(apk)
    return ApkInfo(
        package=m.package,
        version_code=m.version_code,
        version_name=m.version_name,
        admin_receivers=m.admin_receivers,
        certificate_der=signing_certificate(apk),
        min_sdk=m.min_sdk,
        target_sdk=m.target_sdk,
        split=m.split,
        split_required=m.split_required,
        uses_permissions=m.uses_permissions,
    )


# The demo apps of examples/android-apps.toml: a scanner from a base APK and one split (the base
# requires it, as bundletool's base APKs do) asking for the camera, and a single-APK notes app.
DEMO_SCANNER = "jp.kitstation.demo.scanner"
DEMO_NOTES = "jp.kitstation.demo.notes"


def demo_app_apks() -> dict[str, bytes]:
    """File name -> bytes of the demo apps (deterministic: fixed zip times, PKCS#1 v1.5 signatures)."""
    perms = ("android.permission.CAMERA", "android.permission.INTERNET")
    return {
        "kitstation-demo-scanner.apk": build_apk(
            DEMO_SCANNER, None, 42, "4.2", label="KitStation Demo Scanner", split_required=True, permissions=perms
        ),
        "kitstation-demo-scanner-split_config.arm64_v8a.apk": build_apk(
            DEMO_SCANNER, None, 42, "4.2", label="KitStation Demo Scanner", split="config.arm64_v8a"
        ),
        "kitstation-demo-notes.apk": build_apk(
            DEMO_NOTES, None, 3, "1.2", label="KitStation Demo Notes", permissions=("android.permission.INTERNET",)
        ),
    }

"""Tiny real APKs: a binary-XML AndroidManifest.xml in a zip, v1 (JAR) signed.

The simulated Galaxy learns what an APK is the way Android does: it reads the package name and the
device-admin receivers from the binary manifest, and the signing certificate from
``META-INF/*.RSA``. So the APKs the tests install must be real enough for that, and for the APK
parser adbutils uses in ``AdbDevice.install`` (``apkutils``). ``build_apk`` writes one; ``parse_apk``
reads one (ours or any other plain APK with a binary manifest).

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
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7

ANDROID_NS = "http://schemas.android.com/apk/res/android"
BIND_DEVICE_ADMIN = "android.permission.BIND_DEVICE_ADMIN"
DEVICE_ADMIN_ENABLED = "android.app.action.DEVICE_ADMIN_ENABLED"
DEMO_AGENT_PACKAGE = "jp.kitstation.demoagent"
DEMO_AGENT_RECEIVER = ".AdminReceiver"

# Attribute resource ids from android.R.attr (framework public.xml).
_ATTR_IDS = {
    "label": 0x01010001,
    "name": 0x01010003,
    "permission": 0x01010006,
    "exported": 0x01010010,
    "resource": 0x01010025,
    "minSdkVersion": 0x0101020C,
    "versionCode": 0x0101021B,
    "versionName": 0x0101021C,
    "targetSdkVersion": 0x01010270,
}

# Res_value data types.
_TYPE_REFERENCE = 0x01
_TYPE_STRING = 0x03
_TYPE_INT_DEC = 0x10
_TYPE_INT_BOOLEAN = 0x12

_NO_INDEX = 0xFFFFFFFF

_RES_XML = 0x0003
_RES_STRING_POOL = 0x0001
_RES_XML_RESOURCE_MAP = 0x0180
_RES_START_NS = 0x0100
_RES_END_NS = 0x0101
_RES_START_ELEMENT = 0x0102
_RES_END_ELEMENT = 0x0103


class ApkError(ValueError):
    """The bytes are not an APK this parser understands (no zip, no binary manifest, no package)."""


# ----------------------------------------------------------------------------------- binary XML


@dataclass
class _Element:
    tag: str
    attrs: list[tuple[bool, str, Any]]  # (android namespace?, name, value: str | int | bool)
    children: list[_Element] = field(default_factory=list)


def _encode_axml(root: _Element) -> bytes:
    # Attribute names with a resource id come first in the pool, in the resource map's order.
    res_names: list[str] = []
    others: list[str] = []

    def collect(el: _Element) -> None:
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
    res_names.sort(key=lambda n: _ATTR_IDS[n])
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
        _RES_STRING_POOL,
        header_size,
        strings_start + len(body),
        len(strings),
        0,
        0,  # flags: UTF-16, not sorted
        strings_start,
        0,
    )
    pool += struct.pack(f"<{len(offsets)}I", *offsets) + body

    resmap = struct.pack("<HHI", _RES_XML_RESOURCE_MAP, 8, 8 + 4 * len(res_names))
    resmap += struct.pack(f"<{len(res_names)}I", *(_ATTR_IDS[n] for n in res_names))

    ns_idx, uri_idx = index["android"], index[ANDROID_NS]
    nodes = [struct.pack("<HHIIIII", _RES_START_NS, 16, 24, 1, _NO_INDEX, ns_idx, uri_idx)]
    line = [1]

    def emit(el: _Element) -> None:
        line[0] += 1
        attrs = sorted(el.attrs, key=lambda a: (0, _ATTR_IDS[a[1]]) if a[0] else (1, 0))
        chunk = struct.pack(
            "<IIHHHHHH",
            _NO_INDEX,
            index[el.tag],
            20,
            20,
            len(attrs),
            0,
            0,
            0,
        )
        for is_android, name, value in attrs:
            ns = uri_idx if is_android else _NO_INDEX
            if isinstance(value, bool):
                raw, dtype, data = _NO_INDEX, _TYPE_INT_BOOLEAN, 0xFFFFFFFF if value else 0
            elif isinstance(value, int):
                dtype = _TYPE_REFERENCE if name == "resource" else _TYPE_INT_DEC
                raw, data = _NO_INDEX, value
            else:
                raw, dtype, data = index[value], _TYPE_STRING, index[value]
            chunk += struct.pack("<IIIHBBI", ns, index[name], raw, 8, 0, dtype, data)
        nodes.append(struct.pack("<HHIII", _RES_START_ELEMENT, 16, 16 + len(chunk), line[0], _NO_INDEX) + chunk)
        for child in el.children:
            emit(child)
        nodes.append(struct.pack("<HHIIIII", _RES_END_ELEMENT, 16, 24, line[0], _NO_INDEX, _NO_INDEX, index[el.tag]))

    emit(root)
    nodes.append(struct.pack("<HHIIIII", _RES_END_NS, 16, 24, line[0], _NO_INDEX, ns_idx, uri_idx))
    content = pool + resmap + b"".join(nodes)
    return struct.pack("<HHI", _RES_XML, 8, 8 + len(content)) + content


def _decode_strings(chunk: bytes) -> list[str]:
    count, _styles, flags, start = struct.unpack_from("<IIII", chunk, 8)
    header_size = struct.unpack_from("<H", chunk, 2)[0]
    utf8 = bool(flags & 0x100)
    out = []
    for i in range(count):
        off = start + struct.unpack_from("<I", chunk, header_size + 4 * i)[0]
        if utf8:
            # Two lengths (UTF-16 units, then bytes), each 1 or 2 bytes.
            n = chunk[off]
            off += 2 if n & 0x80 else 1
            n = chunk[off]
            if n & 0x80:
                n = ((n & 0x7F) << 8) | chunk[off + 1]
                off += 2
            else:
                off += 1
            out.append(chunk[off : off + n].decode("utf-8", errors="replace"))
        else:
            n = struct.unpack_from("<H", chunk, off)[0]
            off += 2
            if n & 0x8000:
                n = ((n & 0x7FFF) << 16) | struct.unpack_from("<H", chunk, off)[0]
                off += 2
            out.append(chunk[off : off + 2 * n].decode("utf-16-le", errors="replace"))
    return out


def _decode_axml(data: bytes) -> _Element:
    """Read binary XML into a tree; attribute names are local names, values str/int/bool."""
    if len(data) < 8 or struct.unpack_from("<H", data)[0] != _RES_XML:
        raise ApkError("AndroidManifest.xml is not binary XML")
    pos = struct.unpack_from("<H", data, 2)[0]
    strings: list[str] = []
    resids: list[int] = []
    id_names = {v: k for k, v in _ATTR_IDS.items()}
    root: _Element | None = None
    stack: list[_Element] = []
    while pos + 8 <= len(data):
        ctype, hsize, csize = struct.unpack_from("<HHI", data, pos)
        if csize < 8:
            raise ApkError("corrupt binary XML chunk")
        chunk = data[pos : pos + csize]
        if ctype == _RES_STRING_POOL:
            strings = _decode_strings(chunk)
        elif ctype == _RES_XML_RESOURCE_MAP:
            resids = list(struct.unpack_from(f"<{(csize - hsize) // 4}I", chunk, hsize))
        elif ctype == _RES_START_ELEMENT:
            _ns, name_i, astart, asize, acount = struct.unpack_from("<IIHHH", chunk, hsize)
            attrs: list[tuple[bool, str, Any]] = []
            for k in range(acount):
                a_off = hsize + astart + k * asize
                a_ns, a_name, a_raw, _sz, _r0, a_type, a_data = struct.unpack_from("<IIIHBBI", chunk, a_off)
                name = strings[a_name] if a_name < len(strings) else ""
                if a_name < len(resids) and resids[a_name] in id_names:
                    name = id_names[resids[a_name]]
                value: Any
                if a_type == _TYPE_STRING:
                    value = strings[a_data]
                elif a_raw != _NO_INDEX:
                    value = strings[a_raw]
                elif a_type == _TYPE_INT_BOOLEAN:
                    value = a_data != 0
                else:
                    value = a_data
                attrs.append((a_ns != _NO_INDEX, name, value))
            el = _Element(strings[name_i], attrs)
            if stack:
                stack[-1].children.append(el)
            elif root is None:
                root = el
            stack.append(el)
        elif ctype == _RES_END_ELEMENT:
            if stack:
                stack.pop()
        pos += csize
    if root is None:
        raise ApkError("binary XML has no root element")
    return root


# ----------------------------------------------------------------------------------- signing


def demo_signing() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The public demo key and certificate (see ``_demo_key``): stable checksum across runs."""
    from kitstation.simulator.android._demo_key import DEMO_KEY_PEM

    key = serialization.load_pem_private_key(DEMO_KEY_PEM, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key, x509.load_pem_x509_certificate(DEMO_KEY_PEM)


def _b64sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _v1_sign(entries: dict[str, bytes], key: Any, cert: x509.Certificate) -> dict[str, bytes]:
    """META-INF/MANIFEST.MF, CERT.SF and CERT.RSA for ``entries`` (JAR signing, SHA-256 digests)."""
    sections = {name: f"Name: {name}\r\nSHA-256-Digest: {_b64sha256(data)}\r\n\r\n" for name, data in entries.items()}
    manifest = ("Manifest-Version: 1.0\r\nCreated-By: KitStation\r\n\r\n" + "".join(sections.values())).encode()
    sf = (
        "Signature-Version: 1.0\r\nCreated-By: KitStation\r\n"
        f"SHA-256-Digest-Manifest: {_b64sha256(manifest)}\r\n\r\n"
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
) -> bytes:
    """A minimal, real APK declaring ``admin_receiver`` as a device-admin receiver.

    ``signing`` is ``(private_key, certificate)``; ``None`` signs with the public demo key.
    ``unsigned=True`` leaves META-INF out (Android refuses it: INSTALL_PARSE_FAILED_NO_CERTIFICATES).
    ``admin_receiver`` may be relative (".AdminReceiver") as in a manifest; ``None`` declares none.
    """
    app_children: list[_Element] = []
    if admin_receiver:
        app_children.append(
            _Element(
                "receiver",
                [
                    (True, "name", admin_receiver),
                    (True, "permission", BIND_DEVICE_ADMIN),
                    (True, "exported", True),
                ],
                [
                    _Element(
                        "meta-data",
                        [(True, "name", "android.app.device_admin"), (True, "resource", 0x7F0F0000)],
                    ),
                    _Element("intent-filter", [], [_Element("action", [(True, "name", DEVICE_ADMIN_ENABLED)])]),
                ],
            )
        )
    root = _Element(
        "manifest",
        [
            (True, "versionCode", version_code),
            (True, "versionName", version_name),
            (False, "package", package),
        ],
        [
            _Element("uses-sdk", [(True, "minSdkVersion", 24), (True, "targetSdkVersion", 33)]),
            _Element("application", [(True, "label", label)], app_children),
        ],
    )
    entries = {"AndroidManifest.xml": _encode_axml(root)}
    if not unsigned:
        key, cert = signing if signing is not None else demo_signing()
        entries.update(_v1_sign(dict(entries), key, cert))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            # A fixed timestamp keeps the bytes reproducible for the same inputs and key.
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


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
    certificate_der: bytes | None  # the v1 signing certificate; None when unsigned

    @property
    def signature_checksum(self) -> str | None:
        """URL-safe base64 SHA-256 of the signing cert (PROVISIONING_DEVICE_ADMIN_SIGNATURE_CHECKSUM)."""
        if self.certificate_der is None:
            return None
        return base64.urlsafe_b64encode(hashlib.sha256(self.certificate_der).digest()).decode().rstrip("=")


def _qualify(package: str, name: str) -> str:
    if name.startswith("."):
        return package + name
    if "." not in name:
        return f"{package}.{name}"
    return name


def signing_certificate(apk: bytes) -> bytes | None:
    """The DER signing certificate from the APK's v1 signature block, or None if unsigned."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(apk))
    except zipfile.BadZipFile as exc:
        raise ApkError("not a zip archive") from exc
    with zf:
        for name in zf.namelist():
            if name.startswith("META-INF/") and name.upper().endswith((".RSA", ".DSA", ".EC")):
                certs = pkcs7.load_der_pkcs7_certificates(zf.read(name))
                if certs:
                    return certs[0].public_bytes(serialization.Encoding.DER)
    return None


def parse_apk(apk: bytes) -> ApkInfo:
    """Read package, version, device-admin receivers and signing certificate from APK bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(apk)) as zf:
            manifest = zf.read("AndroidManifest.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ApkError("not an APK (no zip or no AndroidManifest.xml)") from exc
    try:
        root = _decode_axml(manifest)
    except (struct.error, IndexError) as exc:
        raise ApkError("corrupt AndroidManifest.xml") from exc

    def attr(el: _Element, name: str) -> Any:
        for _is_android, n, v in el.attrs:
            if n == name:
                return v
        return None

    package = attr(root, "package")
    if not isinstance(package, str) or not package:
        raise ApkError("manifest declares no package")
    receivers: list[str] = []
    for app in (c for c in root.children if c.tag == "application"):
        for rec in (c for c in app.children if c.tag == "receiver"):
            if attr(rec, "permission") != BIND_DEVICE_ADMIN:
                continue
            actions = [
                attr(a, "name")
                for f in rec.children
                if f.tag == "intent-filter"
                for a in f.children
                if a.tag == "action"
            ]
            name = attr(rec, "name")
            if DEVICE_ADMIN_ENABLED in actions and isinstance(name, str):
                receivers.append(_qualify(package, name))
    vc = attr(root, "versionCode")
    vn = attr(root, "versionName")
    return ApkInfo(
        package=package,
        version_code=vc if isinstance(vc, int) else 0,
        version_name=str(vn) if vn is not None else "",
        admin_receivers=tuple(receivers),
        certificate_der=signing_certificate(apk),
    )

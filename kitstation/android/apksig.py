"""APK signatures as Android reads them: the v3/v2 APK Signing Block and the v1 (JAR) signature.

Written here rather than taken from a library: androguard (4.1) reads v2/v3 blocks but pulls in
ten packages (dataset, networkx, pydot, loguru, ...) for a parser of a few hundred lines, and
verifies neither the signatures nor the content digests; there is no maintained Python signer.
Debian's ``apksigner`` checks what this module and the simulator's signer produce (tests).

The formats (source.android.com "APK Signature Scheme v2" / "v3"; apksig's
``ApkSigningBlockUtils``, ``V2SchemeVerifier``, ``V3SchemeVerifier``):

* The APK Signing Block sits right before the ZIP central directory: ``u64 size``, ID-value pairs
  (``u64 length``, ``u32 id``, value), ``u64 size`` again, the magic ``APK Sig Block 42``.
  v2 is id ``0x7109871a``, v3 ``0xf05368c0``.
* A scheme's value is a length-prefixed sequence of signers; a signer is its signed data (digests,
  certificates, [v3: minSdk, maxSdk], additional attributes), [v3: minSdk, maxSdk], signatures and
  the public key. Every length prefix is a little-endian ``u32``.
* The content digest covers the ZIP entries, the central directory and the end of central
  directory (whose central-directory offset then points at the signing block) in 1 MiB chunks:
  ``H(0x5a || u32 count || H(0xa5 || u32 len || chunk)...)``.

``signer_certificate`` gives the certificate the station pins and puts in the QR
``signature_checksum``: v3's first signer, else v2's, else v1's (Android's own order).
``verify`` checks an APK the way ``ApkSignatureVerifier`` does for a given Android version; the
simulator installs through it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import struct
import zipfile
from dataclasses import dataclass
from typing import Literal

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

Scheme = Literal["v3", "v2", "v1"]

APK_SIG_BLOCK_MAGIC = b"APK Sig Block 42"
V2_BLOCK_ID = 0x7109871A
V3_BLOCK_ID = 0xF05368C0
# In a v2 signer's additional attributes: "a v3 signature was also made" (stripping protection).
STRIPPING_PROTECTION_ATTR_ID = 0xBEEFF00D
CHUNK_SIZE = 1024 * 1024

# Signature algorithm ids -> (content digest, signature kind).
SIG_RSA_PSS_SHA256 = 0x0101
SIG_RSA_PSS_SHA512 = 0x0102
SIG_RSA_PKCS1_SHA256 = 0x0103
SIG_RSA_PKCS1_SHA512 = 0x0104
SIG_ECDSA_SHA256 = 0x0201
SIG_ECDSA_SHA512 = 0x0202
_ALGORITHMS: dict[int, tuple[str, str]] = {
    SIG_RSA_PSS_SHA256: ("sha256", "pss"),
    SIG_RSA_PSS_SHA512: ("sha512", "pss"),
    SIG_RSA_PKCS1_SHA256: ("sha256", "pkcs1"),
    SIG_RSA_PKCS1_SHA512: ("sha512", "pkcs1"),
    SIG_ECDSA_SHA256: ("sha256", "ecdsa"),
    SIG_ECDSA_SHA512: ("sha512", "ecdsa"),
}

# Android versions (API levels) where the schemes start to count.
SDK_V2 = 24  # Android 7.0 verifies v2
SDK_V3 = 28  # Android 9 verifies v3
SDK_V2_REQUIRED = 30  # Android 11 refuses v1-only APKs that target API 30 or newer


class ApkSignatureError(ValueError):
    """An APK whose signing data cannot be read (not a zip, a malformed block)."""


@dataclass(frozen=True, slots=True)
class Signer:
    """One signer of a v2/v3 block, as read (``verify`` checks it)."""

    certificates: tuple[bytes, ...]  # DER, the signer's own first
    public_key: bytes  # SubjectPublicKeyInfo DER
    signed_data: bytes
    digests: tuple[tuple[int, bytes], ...]
    signatures: tuple[tuple[int, bytes], ...]
    attributes: tuple[tuple[int, bytes], ...]
    min_sdk: int = 0
    max_sdk: int = 0x7FFFFFFF


@dataclass(frozen=True, slots=True)
class ApkSigning:
    """Everything about an APK's signatures the station and the simulator look at."""

    v3: tuple[Signer, ...]
    v2: tuple[Signer, ...]
    v1_certificates: tuple[bytes, ...]
    v1_claims: tuple[int, ...]  # the schemes META-INF/*.SF says were also used (X-Android-APK-Signed)

    @property
    def schemes(self) -> tuple[Scheme, ...]:
        found: list[Scheme] = []
        if self.v3:
            found.append("v3")
        if self.v2:
            found.append("v2")
        if self.v1_certificates:
            found.append("v1")
        return tuple(found)

    @property
    def unsigned(self) -> bool:
        return not self.schemes

    @property
    def v1_only(self) -> bool:
        return self.schemes == ("v1",)


@dataclass(frozen=True, slots=True)
class SignerCertificate:
    """The certificate Android identifies the APK's signer by, and which scheme gave it."""

    scheme: Scheme
    der: bytes

    @property
    def sha256(self) -> bytes:
        return hashlib.sha256(self.der).digest()


# --- reading -----------------------------------------------------------------------------------------
def _lp(data: bytes, pos: int) -> tuple[bytes, int]:
    """A u32-length-prefixed slice at ``pos`` and the position after it."""
    if pos + 4 > len(data):
        raise ApkSignatureError("truncated length prefix in the APK Signing Block")
    (n,) = struct.unpack_from("<I", data, pos)
    end = pos + 4 + n
    if end > len(data):
        raise ApkSignatureError("a length prefix runs past its container in the APK Signing Block")
    return data[pos + 4 : end], end


def _lp_seq(data: bytes) -> list[bytes]:
    items, pos = [], 0
    while pos < len(data):
        item, pos = _lp(data, pos)
        items.append(item)
    return items


def _u32(data: bytes, pos: int) -> tuple[int, int]:
    if pos + 4 > len(data):
        raise ApkSignatureError("truncated integer in the APK Signing Block")
    return struct.unpack_from("<I", data, pos)[0], pos + 4


def _id_value(items: list[bytes]) -> tuple[tuple[int, bytes], ...]:
    out = []
    for item in items:
        ident, pos = _u32(item, 0)
        value = item[pos:]
        # Digests and signatures hold a length-prefixed value; attributes hold the raw rest.
        out.append((ident, value))
    return tuple(out)


def _id_lp_value(items: list[bytes]) -> tuple[tuple[int, bytes], ...]:
    out = []
    for item in items:
        ident, pos = _u32(item, 0)
        value, _ = _lp(item, pos)
        out.append((ident, value))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _ZipLayout:
    cd_offset: int
    cd_size: int
    eocd_offset: int
    block_offset: int | None  # start of the APK Signing Block, None when there is none
    block_pairs: dict[int, bytes]


def _zip_layout(apk: bytes) -> _ZipLayout:
    # The end of central directory record: signature, then 18 bytes, then a comment (<= 65535).
    start = max(0, len(apk) - 22 - 0xFFFF)
    eocd = apk.rfind(b"PK\x05\x06", start)
    if eocd < 0 or eocd + 22 > len(apk):
        raise ApkSignatureError("not a zip archive (no end of central directory)")
    cd_size, cd_offset = struct.unpack_from("<II", apk, eocd + 12)
    if cd_offset + cd_size > eocd:
        raise ApkSignatureError("the zip central directory is out of bounds")
    pairs: dict[int, bytes] = {}
    block_offset: int | None = None
    if cd_offset >= 32 and apk[cd_offset - 16 : cd_offset] == APK_SIG_BLOCK_MAGIC:
        (size,) = struct.unpack_from("<Q", apk, cd_offset - 24)
        block_offset = cd_offset - size - 8
        if block_offset < 0 or struct.unpack_from("<Q", apk, block_offset)[0] != size:
            raise ApkSignatureError("the APK Signing Block's two sizes differ")
        pos, end = block_offset + 8, cd_offset - 24
        while pos < end:
            if pos + 12 > end:
                raise ApkSignatureError("truncated ID-value pair in the APK Signing Block")
            (length,) = struct.unpack_from("<Q", apk, pos)
            if length < 4 or pos + 8 + length > end:
                raise ApkSignatureError("an ID-value pair runs past the APK Signing Block")
            (ident,) = struct.unpack_from("<I", apk, pos + 8)
            pairs[ident] = apk[pos + 12 : pos + 8 + length]
            pos += 8 + length
    return _ZipLayout(cd_offset, cd_size, eocd, block_offset, pairs)


def _signers(value: bytes, v3: bool) -> tuple[Signer, ...]:
    outer, _ = _lp(value, 0)
    signers = []
    for raw in _lp_seq(outer):
        signed_data, pos = _lp(raw, 0)
        min_sdk = max_sdk = 0
        if v3:
            min_sdk, pos = _u32(raw, pos)
            max_sdk, pos = _u32(raw, pos)
        sigs_raw, pos = _lp(raw, pos)
        public_key, pos = _lp(raw, pos)
        digests_raw, spos = _lp(signed_data, 0)
        certs_raw, spos = _lp(signed_data, spos)
        if v3:
            _min_signed, spos = _u32(signed_data, spos)
            _max_signed, spos = _u32(signed_data, spos)
        attrs_raw, spos = _lp(signed_data, spos)
        signers.append(
            Signer(
                certificates=tuple(_lp_seq(certs_raw)),
                public_key=public_key,
                signed_data=signed_data,
                digests=_id_lp_value(_lp_seq(digests_raw)),
                signatures=_id_lp_value(_lp_seq(sigs_raw)),
                attributes=_id_value(_lp_seq(attrs_raw)),
                min_sdk=min_sdk if v3 else 0,
                max_sdk=max_sdk if v3 else 0x7FFFFFFF,
            )
        )
    return tuple(signers)


def _v1(apk: bytes) -> tuple[tuple[bytes, ...], tuple[int, ...]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(apk))
    except zipfile.BadZipFile as exc:
        raise ApkSignatureError("not a zip archive") from exc
    certs: tuple[bytes, ...] = ()
    claims: tuple[int, ...] = ()
    with zf:
        names = sorted(zf.namelist())
        for name in names:
            upper = name.upper()
            if upper.startswith("META-INF/") and upper.endswith((".RSA", ".DSA", ".EC")) and not certs:
                try:
                    loaded = pkcs7.load_der_pkcs7_certificates(zf.read(name))
                except ValueError as exc:
                    raise ApkSignatureError(f"{name} is not a PKCS#7 signature block") from exc
                certs = tuple(c.public_bytes(serialization.Encoding.DER) for c in loaded)
            if upper.startswith("META-INF/") and upper.endswith(".SF") and not claims:
                for line in zf.read(name).decode("utf-8", "replace").splitlines():
                    if line.startswith("X-Android-APK-Signed:"):
                        claims = tuple(int(x) for x in line.split(":", 1)[1].split(",") if x.strip().isdigit())
    return certs, claims


def read_signing(apk: bytes) -> ApkSigning:
    """The APK's v3, v2 and v1 signers as written (not verified; see ``verify``)."""
    layout = _zip_layout(apk)
    try:
        v3 = _signers(layout.block_pairs[V3_BLOCK_ID], True) if V3_BLOCK_ID in layout.block_pairs else ()
        v2 = _signers(layout.block_pairs[V2_BLOCK_ID], False) if V2_BLOCK_ID in layout.block_pairs else ()
    except struct.error as exc:
        raise ApkSignatureError("malformed APK Signing Block") from exc
    certs, claims = _v1(apk)
    return ApkSigning(v3=v3, v2=v2, v1_certificates=certs, v1_claims=claims)


def signer_certificate(apk: bytes) -> SignerCertificate | None:
    """The signing certificate by Android's order: v3's, else v2's, else v1's; None when unsigned."""
    signing = read_signing(apk)
    for scheme, signers in (("v3", signing.v3), ("v2", signing.v2)):
        if signers and signers[0].certificates:
            return SignerCertificate(scheme, signers[0].certificates[0])  # type: ignore[arg-type]
    if signing.v1_certificates:
        return SignerCertificate("v1", signing.v1_certificates[0])
    return None


# --- content digests and signatures ---------------------------------------------------------------
def chunked_digest(sections: list[bytes], algorithm: str) -> bytes:
    """The v2/v3 content digest of ``sections`` (entries, central directory, patched EOCD)."""
    chunk_digests = bytearray()
    count = 0
    for section in sections:
        for off in range(0, len(section), CHUNK_SIZE):
            chunk = section[off : off + CHUNK_SIZE]
            h = hashlib.new(algorithm)
            h.update(b"\xa5" + struct.pack("<I", len(chunk)) + chunk)
            chunk_digests += h.digest()
            count += 1
    top = hashlib.new(algorithm)
    top.update(b"\x5a" + struct.pack("<I", count) + bytes(chunk_digests))
    return top.digest()


def content_sections(apk: bytes, block_offset: int, cd_offset: int, eocd_offset: int) -> list[bytes]:
    """What the content digest covers: the EOCD's central-directory offset reads ``block_offset``."""
    eocd = bytearray(apk[eocd_offset:])
    struct.pack_into("<I", eocd, 16, block_offset)
    return [apk[:block_offset], apk[cd_offset:eocd_offset], bytes(eocd)]


def _verify_signature(public_key_der: bytes, algorithm: int, signature: bytes, data: bytes) -> bool:
    digest_name, kind = _ALGORITHMS[algorithm]
    hash_alg: hashes.HashAlgorithm = hashes.SHA256() if digest_name == "sha256" else hashes.SHA512()
    try:
        key = serialization.load_der_public_key(public_key_der)
        if kind == "ecdsa":
            if not isinstance(key, ec.EllipticCurvePublicKey):
                return False
            key.verify(signature, data, ec.ECDSA(hash_alg))
        else:
            if not isinstance(key, rsa.RSAPublicKey):
                return False
            pad: padding.AsymmetricPadding = (
                padding.PKCS1v15()
                if kind == "pkcs1"
                else padding.PSS(mgf=padding.MGF1(hash_alg), salt_length=hash_alg.digest_size)
            )
            key.verify(signature, data, pad, hash_alg)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True, slots=True)
class Verified:
    """A verified APK: the scheme Android used and its signer certificate."""

    scheme: Scheme
    certificate: bytes


class VerifyError(Exception):
    """An APK Android refuses, with the reason worded as ``ApkSignatureVerifier`` words it.

    ``android_message(path)`` is the text after ``INSTALL_PARSE_FAILED_NO_CERTIFICATES: `` in
    ``pm install``'s ``Failure [...]``. ``v1_only`` / ``unsigned`` say which case it is.
    """

    def __init__(
        self, detail: str, *, scheme: str = "", scanning: bool = False, v1_only: bool = False, unsigned: bool = False
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.scheme = scheme  # "v2" / "v3" when a signing block failed to verify
        self.scanning = scanning  # the "no signature of version N or newer" refusal
        self.v1_only = v1_only
        self.unsigned = unsigned

    def android_message(self, path: str) -> str:
        if self.scanning:
            return f"Scanning Failed.: {self.detail}"
        using = f" using APK Signature Scheme {self.scheme}" if self.scheme else ""
        return f"Failed collecting certificates for {path}: Failed to collect certificates from {path}{using}: {self.detail}"


def _check_signer(apk: bytes, layout: _ZipLayout, signer: Signer, name: str) -> bytes:
    """Verify one v2/v3 signer (signature, certificate key, content digest); its certificate."""
    supported = [(a, s) for a, s in signer.signatures if a in _ALGORITHMS]
    if not supported:
        raise VerifyError("No supported signatures found", scheme=name)
    # The strongest supported algorithm, as Android picks it (SHA-512 over SHA-256).
    algorithm, signature = max(supported, key=lambda p: (_ALGORITHMS[p[0]][0] == "sha512", p[0]))
    if not _verify_signature(signer.public_key, algorithm, signature, signer.signed_data):
        raise VerifyError(f"Failed to verify {_ALGORITHMS[algorithm][1]} signature", scheme=name)
    if not signer.certificates:
        raise VerifyError("No certificates listed", scheme=name)
    cert = x509.load_der_x509_certificate(signer.certificates[0])
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if spki != signer.public_key:
        raise VerifyError("Public key mismatch between certificate and signature record", scheme=name)
    if sorted(a for a, _ in signer.digests) != sorted(a for a, _ in signer.signatures):
        raise VerifyError("Signature algorithms don't match between digests and signatures records", scheme=name)
    assert layout.block_offset is not None
    sections = content_sections(apk, layout.block_offset, layout.cd_offset, layout.eocd_offset)
    expected = dict(signer.digests).get(algorithm)
    digest_name = _ALGORITHMS[algorithm][0]
    if expected is None or chunked_digest(sections, digest_name) != expected:
        raise VerifyError(f"{digest_name.upper().replace('SHA', 'SHA-')} digest of contents did not verify", scheme=name)
    return signer.certificates[0]


def verify(apk: bytes, sdk: int, target_sdk: int, package: str) -> Verified:
    """Check ``apk`` as Android ``sdk``'s package manager does; raise ``VerifyError`` if refused.

    ``ApkSignatureVerifier.verifySignatures``: from Android 9 (API 28) a v3 signer for this API
    level wins, from Android 7 (API 24) a v2 one; an APK that targets API 30+ must carry v2 or v3
    on Android 11+ (``minSignatureSchemeVersion``); otherwise the v1 JAR signature counts.
    ``ApkSignatureError`` (unreadable data) is reported like a failed collection.
    """
    try:
        layout = _zip_layout(apk)
        signing = read_signing(apk)
    except ApkSignatureError as exc:
        raise VerifyError(str(exc)) from exc
    if sdk >= SDK_V3 and signing.v3:
        matching = [s for s in signing.v3 if s.min_sdk <= sdk <= s.max_sdk]
        if not matching:
            raise VerifyError(f"No signer supports SDK version {sdk}", scheme="v3")
        return Verified("v3", _check_signer(apk, layout, matching[0], "v3"))
    if sdk >= SDK_V2 and signing.v2:
        if sdk >= SDK_V3 and any(
            a == STRIPPING_PROTECTION_ATTR_ID and v[:4] == struct.pack("<I", 3)
            for s in signing.v2
            for a, v in s.attributes
        ):
            # The v2 signer says a v3 signature was made too: it was stripped.
            raise VerifyError(
                "V2 signature indicates APK is signed using APK Signature Scheme v3, but none was found."
                " Signature stripped?",
                scheme="v2",
            )
        return Verified("v2", _check_signer(apk, layout, signing.v2[0], "v2"))
    min_scheme = 2 if sdk >= SDK_V2_REQUIRED and target_sdk >= SDK_V2_REQUIRED else 1
    if min_scheme > 1:
        raise VerifyError(
            f"No signature found in package of version {min_scheme} or newer for package {package}",
            scanning=True,
            v1_only=bool(signing.v1_certificates),
            unsigned=not signing.v1_certificates,
        )
    if sdk >= SDK_V2 and any(c in (2, 3) for c in signing.v1_claims):
        raise VerifyError(
            "META-INF/CERT.SF indicates the APK is signed using APK Signature Scheme v2, but no such signature was"
            " found. Signature stripped?"
        )
    if not signing.v1_certificates:
        raise VerifyError("Attempt to get length of null array", unsigned=True)
    _check_jar_digests(apk)
    return Verified("v1", signing.v1_certificates[0])


def _manifest_sections(text: str) -> dict[str, dict[str, str]]:
    """JAR manifest sections by entry name (continuation lines joined); "" is the main section."""
    sections: dict[str, dict[str, str]] = {}
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines: list[str] = []
        for line in block.split("\n"):
            if line.startswith(" ") and lines:
                lines[-1] += line[1:]
            elif line:
                lines.append(line)
        attrs = dict(line.split(": ", 1) for line in lines if ": " in line)
        if attrs:
            sections[attrs.get("Name", "")] = attrs
    return sections


def _b64_digest(algorithm: str, data: bytes) -> str:
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode()


_JAR_DIGESTS = (("SHA-256-Digest", "sha256"), ("SHA1-Digest", "sha1"), ("SHA-512-Digest", "sha512"))


def _check_jar_digests(apk: bytes) -> None:
    """StrictJarVerifier's digest checks: every entry listed in MANIFEST.MF with its digest, and the
    .SF's digest of the manifest. (The PKCS#7 signature over the .SF is not checked here.)"""
    with zipfile.ZipFile(io.BytesIO(apk)) as zf:
        names = zf.namelist()
        manifest = zf.read("META-INF/MANIFEST.MF") if "META-INF/MANIFEST.MF" in names else b""
        sf_name = next((n for n in names if n.upper().startswith("META-INF/") and n.upper().endswith(".SF")), None)
        sections = _manifest_sections(manifest.decode("utf-8", "replace"))
        for name in names:
            upper = name.upper()
            if name.endswith("/") or (upper.startswith("META-INF/") and "/" not in upper[9:]):
                continue  # directories and the signature files themselves are not signed
            attrs = sections.get(name)
            if attrs is None:
                raise VerifyError(f"Package base.apk has no certificates at entry {name}")
            for key, algorithm in _JAR_DIGESTS:
                if key in attrs and attrs[key] != _b64_digest(algorithm, zf.read(name)):
                    raise VerifyError(f"META-INF/MANIFEST.MF has invalid digest for {name} in base.apk")
        if sf_name is not None:
            sf = _manifest_sections(zf.read(sf_name).decode("utf-8", "replace")).get("", {})
            for key, algorithm in _JAR_DIGESTS:
                whole = sf.get(key.replace("-Digest", "-Digest-Manifest"))
                if whole is not None and whole != _b64_digest(algorithm, manifest):
                    raise VerifyError(f"{sf_name} has invalid digest for META-INF/MANIFEST.MF in base.apk")

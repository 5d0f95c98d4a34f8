"""Signing an APK with APK Signature Scheme v2 and v3 (hand-written: no maintained Python signer exists).

What ``apksigner sign`` does for one key, with RSASSA-PKCS1-v1_5 / SHA-256 (algorithm 0x0103) or
ECDSA / SHA-256 (0x0201):
compute the chunked SHA-256 content digest of the unsigned zip (entries, central directory, end of
central directory), build each scheme's signed data (digests, certificate chain, [v3: minSdk,
maxSdk], additional attributes), sign it, and insert an APK Signing Block holding the v2 and v3
values right before the central directory, moving the EOCD's central-directory offset past it.
The v2 signer carries the stripping-protection attribute naming v3, as apksigner writes it.

The reading and verifying side is :mod:`kitstation.android.apksig`; Debian's ``apksigner verify``
accepts what this writes (tests/sim_android/test_apk_signing.py).
"""

from __future__ import annotations

import struct
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from kitstation.android.apksig import (
    APK_SIG_BLOCK_MAGIC,
    SDK_V3,
    SIG_ECDSA_SHA256,
    SIG_RSA_PKCS1_SHA256,
    STRIPPING_PROTECTION_ATTR_ID,
    V2_BLOCK_ID,
    V3_BLOCK_ID,
    chunked_digest,
)

# apksigner pads the signing block to a multiple of 4096 bytes with this pair (id "Brew").
_PADDING_BLOCK_ID = 0x42726577
_MAX_SDK = 0x7FFFFFFF


def _lp(data: bytes) -> bytes:
    return struct.pack("<I", len(data)) + data


def _seq(items: list[bytes]) -> bytes:
    return _lp(b"".join(_lp(i) for i in items))


def _eocd_offset(apk: bytes) -> int:
    pos = apk.rfind(b"PK\x05\x06", max(0, len(apk) - 22 - 0xFFFF))
    if pos < 0:
        raise ValueError("not a zip archive (no end of central directory)")
    return pos


def _algorithm(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> int:
    return SIG_RSA_PKCS1_SHA256 if isinstance(key, rsa.RSAPrivateKey) else SIG_ECDSA_SHA256


def _signer(
    signed_data: bytes, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, public_key: bytes, v3: bool
) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(signed_data, padding.PKCS1v15(), hashes.SHA256())
    else:
        signature = key.sign(signed_data, ec.ECDSA(hashes.SHA256()))
    sdk_range = struct.pack("<II", SDK_V3, _MAX_SDK) if v3 else b""
    signatures = _seq([struct.pack("<I", _algorithm(key)) + _lp(signature)])
    return _lp(signed_data) + sdk_range + signatures + _lp(public_key)


def sign_v2_v3(apk: bytes, key: Any, cert: x509.Certificate, *, v2: bool = True, v3: bool = True) -> bytes:
    """``apk`` (a zip, v1-signed or not) with an APK Signing Block for the schemes asked for."""
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise TypeError("only RSA and EC signing keys are supported here")
    eocd = _eocd_offset(apk)
    cd_size, cd_offset = struct.unpack_from("<II", apk, eocd + 12)
    # Unsigned layout: the block will go exactly where the central directory starts now, so the
    # digest over the unchanged bytes is what a verifier computes after patching the EOCD back.
    digest = chunked_digest([apk[:cd_offset], apk[cd_offset : cd_offset + cd_size], apk[eocd:]], "sha256")
    digests = _seq([struct.pack("<I", _algorithm(key)) + _lp(digest)])
    certs = _seq([cert.public_bytes(serialization.Encoding.DER)])
    public_key = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pairs: list[tuple[int, bytes]] = []
    if v2:
        attrs = [struct.pack("<I", STRIPPING_PROTECTION_ATTR_ID) + struct.pack("<I", 3)] if v3 else []
        signed = digests + certs + _seq(attrs)
        pairs.append((V2_BLOCK_ID, _seq([_signer(signed, key, public_key, False)])))
    if v3:
        signed = digests + certs + struct.pack("<II", SDK_V3, _MAX_SDK) + _seq([])
        pairs.append((V3_BLOCK_ID, _seq([_signer(signed, key, public_key, True)])))
    if not pairs:
        return apk
    body = b"".join(struct.pack("<QI", 4 + len(v), i) + v for i, v in pairs)
    # size = pairs + the trailing size field + magic; total block = 8 + size.
    total = 8 + len(body) + 8 + 16
    pad = -total % 4096
    if pad:
        if pad < 12:  # the padding pair itself needs 12 bytes (u64 length, u32 id)
            pad += 4096
        body += struct.pack("<QI", pad - 8, _PADDING_BLOCK_ID) + b"\0" * (pad - 12)
    size = len(body) + 8 + 16
    block = struct.pack("<Q", size) + body + struct.pack("<Q", size) + APK_SIG_BLOCK_MAGIC
    new_eocd = bytearray(apk[eocd:])
    struct.pack_into("<I", new_eocd, 16, cd_offset + len(block))
    return apk[:cd_offset] + block + apk[cd_offset:eocd] + bytes(new_eocd)

"""Just enough CMS (PKCS#7 SignedData) to act as a device: read the content, check a signature.

A device checks ``EscalateResponse``'s ``SignedRequest`` against the supervisor certificate from
its cloud configuration, and reads signed profiles. ``cryptography`` builds SignedData but cannot
verify it, so this walks the DER itself (RFC 5652): the embedded content, the signer's
authenticated attributes (whose messageDigest must be the content's hash) and the signature over
those attributes re-tagged as a SET.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
_HASHES: dict[str, tuple[str, type[hashes.HashAlgorithm]]] = {
    "1.3.14.3.2.26": ("sha1", hashes.SHA1),
    "2.16.840.1.101.3.4.2.1": ("sha256", hashes.SHA256),
    "2.16.840.1.101.3.4.2.2": ("sha384", hashes.SHA384),
    "2.16.840.1.101.3.4.2.3": ("sha512", hashes.SHA512),
}


class CMSError(ValueError):
    """Not a SignedData we can read, or a signature that does not verify."""


@dataclass
class _TLV:
    tag: int
    start: int  # offset of the tag byte
    body: int  # offset of the value
    end: int  # offset just past the value


def _read(data: bytes, pos: int) -> _TLV:
    if pos + 2 > len(data):
        raise CMSError("truncated DER")
    tag = data[pos]
    length = data[pos + 1]
    body = pos + 2
    if length == 0x80:
        raise CMSError("indefinite-length BER is not supported")
    if length & 0x80:
        n = length & 0x7F
        length = int.from_bytes(data[body : body + n], "big")
        body += n
    end = body + length
    if end > len(data):
        raise CMSError("truncated DER")
    return _TLV(tag, pos, body, end)


def _children(data: bytes, tlv: _TLV) -> list[_TLV]:
    out, pos = [], tlv.body
    while pos < tlv.end:
        child = _read(data, pos)
        out.append(child)
        pos = child.end
    return out


def _oid(data: bytes, tlv: _TLV) -> str:
    raw = data[tlv.body : tlv.end]
    if not raw:
        raise CMSError("empty OID")
    parts = [raw[0] // 40, raw[0] % 40]
    value = 0
    for b in raw[1:]:
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            parts.append(value)
            value = 0
    return ".".join(map(str, parts))


@dataclass
class SignedData:
    """The parts of a SignedData a device looks at."""

    content: bytes
    digest_oid: str
    signed_attrs: bytes | None  # DER of the attributes, already re-tagged as SET (0x31)
    message_digest: bytes | None
    signature: bytes


def parse_signed_data(der: bytes) -> SignedData:
    """Parse a DER ContentInfo holding SignedData with embedded content and one signer."""
    try:
        root = _read(der, 0)
        ci = _children(der, root)
        if _oid(der, ci[0]) != OID_SIGNED_DATA:
            raise CMSError("not SignedData")
        sd = _children(der, _children(der, ci[1])[0])
        # version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos
        encap = _children(der, sd[2])
        if len(encap) < 2:
            raise CMSError("detached content is not supported")
        octets = _children(der, encap[1])[0]
        content = der[octets.body : octets.end]
        signer = _children(der, _children(der, sd[-1])[0])
        digest_oid = _oid(der, _children(der, signer[2])[0])
        signed_attrs = None
        message_digest = None
        idx = 3
        if signer[3].tag == 0xA0:
            a = signer[3]
            signed_attrs = b"\x31" + der[a.start + 1 : a.end]
            for attr in _children(der, a):
                parts = _children(der, attr)
                if _oid(der, parts[0]) == OID_MESSAGE_DIGEST:
                    v = _children(der, parts[1])[0]
                    message_digest = der[v.body : v.end]
            idx = 4
        sig = signer[idx + 1]
        return SignedData(content, digest_oid, signed_attrs, message_digest, der[sig.body : sig.end])
    except (IndexError, CMSError) as exc:
        raise CMSError(f"malformed SignedData: {exc}") from None


def verify_signed_data(der: bytes, certificate_der: bytes) -> bytes:
    """Check that ``der`` was signed by the key of ``certificate_der``; return the signed content."""
    sd = parse_signed_data(der)
    if sd.digest_oid not in _HASHES:
        raise CMSError(f"unsupported digest {sd.digest_oid}")
    name, algo = _HASHES[sd.digest_oid]
    if sd.signed_attrs is not None:
        if sd.message_digest != hashlib.new(name, sd.content).digest():
            raise CMSError("messageDigest does not match the content")
        signed = sd.signed_attrs
    else:
        signed = sd.content
    key = x509.load_der_x509_certificate(certificate_der).public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(sd.signature, signed, padding.PKCS1v15(), algo())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(sd.signature, signed, ec.ECDSA(algo()))
        else:
            raise CMSError("unsupported key type")
    except InvalidSignature:
        raise CMSError("signature does not verify") from None
    return sd.content

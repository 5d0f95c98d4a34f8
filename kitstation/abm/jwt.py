"""ES256 client assertions for the Apple School Manager and Apple Business APIs (RFC 7523 style).

The API account's private key is a P-256 key the customer generates in Apple Business; the
assertion's header names its key id (``kid``) and its claims name the client id as both issuer
and subject, Apple's token endpoint as audience. Apple allows at most 180 days of validity; the
station makes a short-lived one for each token request, so a copied assertion is worth little.
The verifier half is used by the local stand-in (kitstation.simulator.cloud) to check signatures.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

MAX_ASSERTION_SECONDS = 180 * 24 * 3600


class AssertionError_(ValueError):
    """A client assertion that cannot be made or does not verify (the message says why)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_private_key(pem: bytes) -> ec.EllipticCurvePrivateKey:
    """The API account's key from its PEM (SEC1 or PKCS#8); only P-256 keys are accepted."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise AssertionError_("not a readable, unencrypted PEM private key") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise AssertionError_("not a P-256 (prime256v1) elliptic-curve key as Apple Business issues")
    return key


def make_assertion(
    private_key_pem: bytes,
    *,
    client_id: str,
    key_id: str,
    audience: str,
    lifetime: int = 600,
    now: float | None = None,
) -> str:
    """A signed client assertion (compact JWS) valid for ``lifetime`` seconds."""
    key = load_private_key(private_key_pem)
    issued = int(time.time() if now is None else now)
    header = {"alg": "ES256", "kid": key_id, "typ": "JWT"}
    claims = {
        "sub": client_id,
        "iss": client_id,
        "aud": audience,
        "iat": issued,
        "exp": issued + min(lifetime, MAX_ASSERTION_SECONDS),
        "jti": str(uuid.uuid4()),
    }
    signing_input = (
        _b64(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64(json.dumps(claims, separators=(",", ":")).encode())
    )
    der = key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    # JWS wants the raw 64-byte r||s, not the DER the library returns.
    return signing_input + "." + _b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims of a compact JWS, without checking anything."""
    parts = token.split(".")
    if len(parts) != 3:
        raise AssertionError_("not a compact JWS (three dot-separated parts)")
    try:
        header = json.loads(_unb64(parts[0]))
        claims = json.loads(_unb64(parts[1]))
    except ValueError as exc:
        raise AssertionError_("header or claims are not base64url JSON") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise AssertionError_("header or claims are not JSON objects")
    return header, claims


def verify_assertion(token: str, public_key: ec.EllipticCurvePublicKey) -> dict[str, Any]:
    """Check the ES256 signature; returns the claims (the caller checks iss/sub/aud/exp)."""
    header, claims = decode_unverified(token)
    if header.get("alg") != "ES256":
        raise AssertionError_(f"alg must be ES256, got {header.get('alg')!r}")
    signing_input, _, sig_b64 = token.rpartition(".")
    raw = _unb64(sig_b64)
    if len(raw) != 64:
        raise AssertionError_("ES256 signature must be 64 bytes (r||s)")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        public_key.verify(der, signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise AssertionError_("signature does not verify with the API account's public key") from exc
    return claims


def new_private_key_pem() -> bytes:
    """A fresh P-256 key as Apple Business would hand it out (PKCS#8 PEM); for the stand-ins and tests."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_key_of(private_key_pem: bytes) -> ec.EllipticCurvePublicKey:
    return load_private_key(private_key_pem).public_key()

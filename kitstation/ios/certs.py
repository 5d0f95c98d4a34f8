"""Trust anchor certificates: fetched from the MDM server's TLS chain or added from a file.

Configurator shows the server's certificate chain and the technician ticks the certificates the
device must trust for the enrollment URL; :func:`fetch_chain` returns that chain with the fields
shown (subject, issuer, expiry) and each certificate's DER, which goes into the cloud
configuration's ``AnchorCertificates``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kitstation.domain.model import PermanentError
from kitstation.i18n import Text


@dataclass(frozen=True, slots=True)
class CertInfo:
    subject: str
    issuer: str
    not_before: dt.datetime
    not_after: dt.datetime
    der: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.der).hexdigest().upper()

    @property
    def pem(self) -> bytes:
        return x509.load_der_x509_certificate(self.der).public_bytes(serialization.Encoding.PEM)

    def as_dict(self) -> dict[str, str]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat(),
            "sha256": self.sha256,
        }


def cert_info(der: bytes) -> CertInfo:
    cert = x509.load_der_x509_certificate(der)
    return CertInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        der=der,
    )


class CertificateError(PermanentError):
    pass


def load_certificates(path: Path) -> list[CertInfo]:
    """Certificates in a PEM (one or more) or DER file, for anchors added by hand."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CertificateError(
            Text("Cannot read {f}: {e}", "{f} を読み込めません: {e}").format(f=str(path), e=exc.strerror or str(exc)),
            code="anchor_unreadable",
        ) from None
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            certs = x509.load_pem_x509_certificates(data)
        else:
            certs = [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise CertificateError(
            Text("{f} is not a certificate (PEM or DER)", "{f} は証明書（PEMまたはDER）ではありません").format(
                f=str(path)
            ),
            code="anchor_invalid",
        ) from None
    return [cert_info(c.public_bytes(serialization.Encoding.DER)) for c in certs]


def _chain_der(sslsock: ssl.SSLSocket) -> list[bytes]:
    # Python 3.13 made the peer chain public; 3.10-3.12 have it on the private _sslobj.
    getter: Any = getattr(sslsock, "get_unverified_chain", None)
    if getter is None:
        getter = getattr(getattr(sslsock, "_sslobj", None), "get_unverified_chain", None)
    if getter is not None:
        chain = getter() or []
        out = []
        for item in chain:
            out.append(item if isinstance(item, bytes) else item.public_bytes(ssl._ssl.ENCODING_DER))  # type: ignore[attr-defined]
        if out:
            return out
    leaf = sslsock.getpeercert(binary_form=True)
    return [leaf] if leaf else []


def fetch_chain(url: str, timeout: float = 10.0, cafile: str | None = None) -> list[CertInfo]:
    """The certificate chain the server at ``url`` presents (leaf first), unverified on purpose.

    Verification is off because the point is to *see* the chain of a server that may use a
    private CA; the technician decides which certificates the devices trust. Blocking: call it
    in an executor from async code.
    """
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = parts.hostname
    if not host:
        raise CertificateError(Text("Not a URL: {u}", "URLではありません: {u}").format(u=url), code="bad_url")
    port = parts.port or 443
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if cafile:
        ctx.load_verify_locations(cafile)
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            with ctx.wrap_socket(raw, server_hostname=host) as tls:
                ders = _chain_der(tls)
    except (OSError, ssl.SSLError) as exc:
        raise CertificateError(
            Text("Cannot fetch the certificates of {u}: {e}", "{u} の証明書を取得できません: {e}").format(
                u=url, e=str(exc)
            ),
            code="fetch_failed",
        ) from None
    return [cert_info(d) for d in ders]

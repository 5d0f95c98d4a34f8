"""Supervision identities: the key + certificate a station supervises devices with.

An identity is generated here (RSA key and a self-signed certificate naming the organisation, as
Configurator does) or imported (.p12 with its passphrase, or a PEM/DER certificate + key pair).
The store keeps each identity as one PEM "keybag" (certificate + key), written owner-only (0600 in
a 0700 folder). A generated identity's key is unencrypted (nobody gave a passphrase); an identity
imported with a passphrase keeps its key encrypted at rest with that same passphrase (PKCS#8,
the strongest encryption cryptography offers): after import the key cannot be read without it.
Such an identity is unlocked in memory (:meth:`IdentityStore.unlock`, the passphrase from the
secrets chain) and handed to the station's lockdown code (``lockdown.remember_supervisor``); a
blueprint's own .p12 is opened the same way (:meth:`IdentityStore.materialize`) and never
written out decrypted. The passphrase itself is never stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from kitstation import paths
from kitstation.domain.model import PermanentError
from kitstation.i18n import Text
from kitstation.ios.lockdown import remember_supervisor, supervisor_unlocked

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
_WRITE_LOCK = threading.Lock()


class IdentityError(PermanentError):
    """An identity cannot be created, read or found (the reason says which, in both languages)."""


@dataclass(frozen=True, slots=True)
class Identity:
    """One supervision identity in the store (no key material is held in memory here)."""

    name: str
    organization: str
    subject: str
    not_after: dt.datetime
    sha256: str  # of the certificate's DER, upper-case hex
    keybag: Path  # PEM: certificate + private key (encrypted when imported with a passphrase), mode 0600
    encrypted: bool = False  # the key needs its passphrase (IdentityStore.unlock)

    @property
    def locked(self) -> bool:
        """Encrypted at rest and not unlocked in this process: it cannot sign yet."""
        return self.encrypted and not supervisor_unlocked(self.keybag)

    @property
    def passphrase_secret(self) -> str:
        """The secrets-chain name its passphrase is asked under (``KITSTATION_SECRET_IDENTITY_<NAME>``)."""
        return "identity_" + _slug(self.name).lower()

    @property
    def certificate_der(self) -> bytes:
        return load_keybag_certificate(self.keybag).public_bytes(serialization.Encoding.DER)

    def as_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "organization": self.organization,
            "subject": self.subject,
            "not_after": self.not_after.isoformat(),
            "sha256": self.sha256,
        }


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", name.strip()).strip("._")
    if not slug:
        raise IdentityError(Text("An identity needs a name", "IDには名前が必要です"), code="identity_name")
    return slug


def generate_identity(organization: str, common_name: str | None = None) -> tuple[x509.Certificate, PrivateKey]:
    """A new RSA-2048 key and a self-signed certificate (10 years) naming the organisation."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name or f"{organization} Supervision"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def keybag_pem(cert: x509.Certificate, key: PrivateKey, passphrase: str | None = None) -> bytes:
    """Certificate + private key in one PEM; the key encrypted (PKCS#8) when a passphrase is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def load_keybag_certificate(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _bad_file(path: str, why: str) -> IdentityError:
    return IdentityError(
        Text("Cannot read the identity file {f}: {w}", "IDファイル {f} を読み込めません: {w}").format(f=path, w=why),
        code="identity_unreadable",
    )


def _check_key(key: object, source: str) -> PrivateKey:
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise _bad_file(source, "the key is neither RSA nor EC")
    return key


def load_p12(data: bytes, passphrase: str | None, source: str = "<p12>") -> tuple[x509.Certificate, PrivateKey]:
    """Open a PKCS#12 file; a wrong passphrase is a PermanentError with code ``wrong_passphrase``."""
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(data, passphrase.encode() if passphrase else None)
    except ValueError:
        # cryptography says "Invalid password or PKCS12 data" for both: tell a bad file apart by
        # whether it even looks like PKCS#12 (a DER SEQUENCE).
        if data[:1] != b"\x30":
            raise _bad_file(source, "not a PKCS#12 file") from None
        raise IdentityError(
            Text(
                "Wrong passphrase for {f} (or the file is damaged)",
                "{f} のパスフレーズが違います（またはファイルが壊れています）",
            ).format(f=source),
            code="wrong_passphrase",
        ) from None
    if key is None or cert is None:
        raise _bad_file(source, "it holds no certificate with a private key")
    return cert, _check_key(key, source)


def _load_cert(data: bytes, source: str) -> x509.Certificate:
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise _bad_file(source, "no certificate") from None


def _load_key(data: bytes, passphrase: str | None, source: str) -> PrivateKey:
    pw = passphrase.encode() if passphrase else None
    try:
        if b"-----BEGIN" in data:
            key = serialization.load_pem_private_key(data, password=pw)
        else:
            key = serialization.load_der_private_key(data, password=pw)
    except TypeError:
        raise IdentityError(
            Text(
                "The key in {f} is encrypted: give its passphrase",
                "{f} の鍵は暗号化されています: パスフレーズを入力してください",
            ).format(f=source),
            code="passphrase_needed",
        ) from None
    except ValueError:
        if b"ENCRYPTED" in data:
            raise IdentityError(
                Text("Wrong passphrase for {f}", "{f} のパスフレーズが違います").format(f=source),
                code="wrong_passphrase",
            ) from None
        raise _bad_file(source, "no private key") from None
    return _check_key(key, source)


def load_identity_files(
    cert_path: Path, key_path: Path | None = None, passphrase: str | None = None
) -> tuple[x509.Certificate, PrivateKey]:
    """Read an identity from a .p12/.pfx, a PEM holding both, or a certificate + key pair (PEM/DER)."""
    try:
        data = cert_path.read_bytes()
        key_data = key_path.read_bytes() if key_path is not None else None
    except OSError as exc:
        raise _bad_file(str(cert_path), exc.strerror or str(exc)) from None
    if cert_path.suffix.lower() in (".p12", ".pfx"):
        return load_p12(data, passphrase, cert_path.name)
    cert = _load_cert(data, cert_path.name)
    key = _load_key(key_data if key_data is not None else data, passphrase, (key_path or cert_path).name)
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    enc = serialization.Encoding.DER
    if cert.public_key().public_bytes(enc, spki) != key.public_key().public_bytes(enc, spki):
        raise _bad_file(cert_path.name, "the key does not belong to the certificate")
    return cert, key


class IdentityStore:
    """The station's supervision identities: ``<root>/<name>.pem`` (0600) + ``<name>.json``."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else paths.data_dir() / "identities"

    def _paths(self, name: str) -> tuple[Path, Path]:
        slug = _slug(name)
        return self.root / f"{slug}.pem", self.root / f"{slug}.json"

    def add(
        self,
        name: str,
        cert: x509.Certificate,
        key: PrivateKey,
        *,
        replace: bool = False,
        passphrase: str | None = None,
    ) -> Identity:
        """Store an identity; with ``passphrase`` its key stays encrypted at rest with it."""
        # One writer at a time: runs of several devices may create the default identity at once,
        # and two different keys under one name would leave devices supervised by a lost key.
        with _WRITE_LOCK:
            return self._add(name, cert, key, replace=replace, passphrase=passphrase)

    def _add(
        self, name: str, cert: x509.Certificate, key: PrivateKey, *, replace: bool, passphrase: str | None
    ) -> Identity:
        pem, meta = self._paths(name)
        # The folder holds private keys: owner-only, like the files in it.
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.root.chmod(0o700)
        if pem.exists() and not replace:
            raise IdentityError(
                Text("An identity named {n} already exists", "{n} という名前のIDは既に存在します").format(n=name),
                code="identity_exists",
            )
        orgs = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        organization = str(orgs[0].value) if orgs else ""
        paths.write_private(pem, keybag_pem(cert, key, passphrase))
        info = {"name": name, "organization": organization, "encrypted": bool(passphrase)}
        paths.write_private(meta, json.dumps(info, ensure_ascii=False).encode())
        if passphrase:
            remember_supervisor(pem, key, cert)  # this process has it in memory already
        return self._identity(name, organization, pem, cert, bool(passphrase))

    def generate(self, name: str, organization: str) -> Identity:
        cert, key = generate_identity(organization)
        return self.add(name, cert, key)

    def import_file(
        self, path: Path, *, name: str | None = None, passphrase: str | None = None, key_path: Path | None = None
    ) -> Identity:
        cert, key = load_identity_files(path, key_path, passphrase)
        # Encrypted in the file, encrypted in the store: the same passphrase opens both.
        return self.add(name or path.stem, cert, key, passphrase=passphrase or None)

    def unlock(self, identity: Identity, passphrase: str) -> Path:
        """Decrypt an encrypted identity's key in memory for this process; its keybag path to sign with."""
        if not identity.encrypted:
            return identity.keybag
        try:
            data = identity.keybag.read_bytes()
        except OSError as exc:
            raise _bad_file(str(identity.keybag), exc.strerror or str(exc)) from None
        key = _load_key(data, passphrase, identity.keybag.name)
        remember_supervisor(identity.keybag, key, x509.load_pem_x509_certificate(data))
        return identity.keybag

    @staticmethod
    def _identity(name: str, organization: str, pem: Path, cert: x509.Certificate, encrypted: bool = False) -> Identity:
        der = cert.public_bytes(serialization.Encoding.DER)
        return Identity(
            name=name,
            organization=organization,
            subject=cert.subject.rfc4514_string(),
            not_after=cert.not_valid_after_utc,
            sha256=hashlib.sha256(der).hexdigest().upper(),
            keybag=pem,
            encrypted=encrypted,
        )

    def get(self, name: str) -> Identity:
        pem, meta = self._paths(name)
        if not pem.exists():
            raise IdentityError(
                Text(
                    "No supervision identity named {n} in this station (kitstation identity list)",
                    "このステーションに {n} という監視IDはありません（kitstation identity list）",
                ).format(n=name),
                code="identity_missing",
            )
        info = json.loads(meta.read_text()) if meta.exists() else {"name": name, "organization": ""}
        encrypted = bool(info.get("encrypted")) or b"ENCRYPTED PRIVATE KEY" in pem.read_bytes()
        return self._identity(
            str(info["name"]), str(info["organization"]), pem, load_keybag_certificate(pem), encrypted
        )

    def list(self) -> list[Identity]:
        if not self.root.is_dir():
            return []
        out = []
        for meta in sorted(self.root.glob("*.json")):
            info = json.loads(meta.read_text())
            out.append(self.get(str(info["name"])))
        return out

    def materialize(self, cert: x509.Certificate, key: PrivateKey) -> Path:
        """A keybag path for an identity the blueprint names by file (not kept under a name).

        Nothing is written: the blueprint's file (a .p12 opened with its passphrase) stays the only
        copy on disk, and the decrypted key lives in this process's memory under the returned path.
        """
        der = cert.public_bytes(serialization.Encoding.DER)
        pem = self.root / ".files" / f"{hashlib.sha256(der).hexdigest()[:16]}.pem"
        remember_supervisor(pem, key, cert)
        return pem

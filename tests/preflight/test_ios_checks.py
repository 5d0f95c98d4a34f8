"""The iOS preflight on real files: identity and its key, anchors, secrets, profiles, MDM URL."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import tomllib
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from kitstation.blueprints.model import Blueprint
from kitstation.core.preflight import PreflightContext
from kitstation.core.protocols import DictSecrets, NoSecrets, Secrets
from kitstation.domain.events import Problem
from kitstation.domain.model import Platform
from kitstation.ios.identities import IdentityStore
from kitstation.ios.preflight import check_url, ios_preflight

EXAMPLES = Path(__file__).resolve().parents[2] / "kitstation" / "data" / "examples"
PASSPHRASE = "p12-secret-passphrase"


def _cert(days_left: int) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, "test"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ACME")]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now + dt.timedelta(days=days_left))
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _blueprint(tmp: Path, ios: str, top: str = "") -> Blueprint:
    """A blueprint whose files went bad after it was loaded (the loader's own checks ran earlier)."""
    shutil.copytree(EXAMPLES / "files", tmp / "files", dirs_exist_ok=True)
    text = f'name = "test"\n[ios]\nmethod = "supervise"\n{top}[ios.organization]\nname = "ACME"\n{ios}'
    bp = Blueprint.model_validate(tomllib.loads(text))
    bp._source = tmp / "bp.toml"
    return bp


def _run(bp: Blueprint, store: IdentityStore, secrets: Secrets | None = None) -> Sequence[Problem]:
    ctx = PreflightContext(Platform.IOS, secrets or NoSecrets())
    return asyncio.run(ios_preflight(bp, ctx, store))


SERVER = (
    '[ios.mdm_server]\nname = "MDM"\nurl = "https://mdm.example.jp/enroll"\n'
    'anchor_certificates = ["files/ios/mdm-demo-root-ca.pem"]\n'
)


def test_a_good_blueprint_has_no_problem(tmp_path: Path) -> None:
    store = IdentityStore(tmp_path / "ids")
    store.generate("acme", "ACME")
    bp = _blueprint(
        tmp_path,
        SERVER
        + '[ios.supervision_identity]\nname = "acme"\n'
        + '[ios.wifi]\nssid = "bench"\npassword_secret = "wifi"\n',
    )
    assert list(_run(bp, store, DictSecrets({"wifi": "pw"}))) == []


def test_missing_identity_and_secret_are_named_by_field_in_both_languages(tmp_path: Path) -> None:
    bp = _blueprint(
        tmp_path,
        SERVER + '[ios.supervision_identity]\nname = "nobody"\n[ios.wifi]\nssid = "bench"\npassword_secret = "wifi"\n',
    )
    problems = {p.field: p for p in _run(bp, IdentityStore(tmp_path / "ids"))}
    assert set(problems) == {"ios.supervision_identity.name", "ios.wifi.password_secret"}
    ident = problems["ios.supervision_identity.name"]
    assert ident.code == "identity_missing"
    assert ident.reason.en.startswith("Supervision identity: ") and "nobody" in ident.reason.en
    assert ident.reason.ja.startswith("監視識別情報: ")
    assert problems["ios.wifi.password_secret"].code == "secret_missing"


def test_p12_key_loads_with_the_passphrase_from_the_secrets_and_never_shows_it(tmp_path: Path) -> None:
    cert, key = _cert(365)
    enc = serialization.BestAvailableEncryption(PASSPHRASE.encode())
    (tmp_path / "sup.p12").write_bytes(pkcs12.serialize_key_and_certificates(b"sup", key, cert, None, enc))
    bp = _blueprint(tmp_path, SERVER + '[ios.supervision_identity]\nfile = "sup.p12"\npassphrase_secret = "p12"\n')
    store = IdentityStore(tmp_path / "ids")
    assert list(_run(bp, store, DictSecrets({"p12": PASSPHRASE}))) == []
    wrong = list(_run(bp, store, DictSecrets({"p12": "not-it"})))
    assert [(p.field, p.code) for p in wrong] == [("ios.supervision_identity.file", "wrong_passphrase")]
    missing = list(_run(bp, store))
    assert [(p.field, p.code) for p in missing] == [("ios.supervision_identity.passphrase_secret", "secret_missing")]
    for p in wrong + missing:
        assert PASSPHRASE not in p.reason.en + p.reason.ja and "not-it" not in p.reason.en + p.reason.ja


def test_expired_identity_and_anchor_and_garbage_anchor(tmp_path: Path) -> None:
    cert, key = _cert(-1)
    (tmp_path / "old.pem").write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (tmp_path / "old-ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "junk.pem").write_text("not a certificate")
    bp = _blueprint(
        tmp_path,
        '[ios.mdm_server]\nname = "MDM"\nurl = "https://mdm.example.jp/"\n'
        'anchor_certificates = ["old-ca.pem", "junk.pem", "files/ios/mdm-demo-root-ca.pem"]\n'
        '[ios.supervision_identity]\nfile = "old.pem"\n',
    )
    problems = [(p.field, p.code) for p in _run(bp, IdentityStore(tmp_path / "ids"))]
    assert problems == [
        ("ios.supervision_identity.file", "identity_expired"),
        ("ios.mdm_server.anchor_certificates", "anchor_expired"),
        ("ios.mdm_server.anchor_certificates", "anchor_invalid"),
    ]


def test_profiles_must_parse_as_configuration_profiles(tmp_path: Path) -> None:
    (tmp_path / "bad.mobileconfig").write_text("<plist><dict></dict></plist>")
    (tmp_path / "junk.mobileconfig").write_bytes(b"\x30\x03\x02\x01\x00garbage")
    bp = _blueprint(
        tmp_path,
        SERVER,
        'profiles = ["files/ios/enroll-sample.mobileconfig", "bad.mobileconfig", "junk.mobileconfig", "gone.mobileconfig"]\n',
    )
    problems = list(_run(bp, IdentityStore(tmp_path / "ids")))
    assert [(p.field, p.code) for p in problems] == [
        ("ios.profiles", "profile_invalid"),
        ("ios.profiles", "profile_invalid"),
        ("ios.profiles", "profile_unreadable"),
    ]
    assert all(p.reason.en.startswith("Profiles: ") and p.reason.ja.startswith("プロファイル: ") for p in problems)


def test_the_mdm_url_must_be_well_formed_https(tmp_path: Path) -> None:
    bp = _blueprint(tmp_path, '[ios.mdm_server]\nname = "MDM"\nurl = "http://mdm.example.jp/"\n')
    assert [(p.field, p.code) for p in _run(bp, IdentityStore(tmp_path / "ids"))] == [
        ("ios.mdm_server.url", "mdm_url_invalid")
    ]
    assert check_url("https://mdm.example.jp/acme/") is None
    for bad in ("https://", "https:///path", "https://host:port/", "https://ho st/", "ftp://host/"):
        reason = check_url(bad)
        assert reason is not None and "https" in reason.en and "https" in reason.ja, bad

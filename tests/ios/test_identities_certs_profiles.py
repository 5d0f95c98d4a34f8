"""Supervision identities, trust anchors fetched over TLS, and profile building/validation."""

from __future__ import annotations

import datetime as dt
import os
import plistlib
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from kitstation.ios import IdentityError, IdentityStore, fetch_chain, load_certificates
from kitstation.ios.identities import generate_identity
from kitstation.ios.profiles import ProfileInvalid, validate_profile, wifi_profile

# ----- identities ---------------------------------------------------------------------------------


def _p12(tmp_path: Path, passphrase: str) -> tuple[Path, x509.Certificate]:
    cert, key = generate_identity("ACME Kitting")
    data = pkcs12.serialize_key_and_certificates(
        b"acme", key, cert, None, serialization.BestAvailableEncryption(passphrase.encode())
    )
    path = tmp_path / "acme.p12"
    path.write_bytes(data)
    return path, cert


def test_generate_identity_is_private_and_listed(tmp_path: Path) -> None:
    store = IdentityStore(tmp_path / "ids")
    ident = store.generate("bench-1", "ACME Kitting")
    assert stat.S_IMODE(os.stat(ident.keybag).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "ids").st_mode) == 0o700
    assert "O=ACME Kitting" in ident.subject and ident.organization == "ACME Kitting"
    assert ident.not_after > dt.datetime.now(dt.UTC) + dt.timedelta(days=365)
    assert [i.name for i in store.list()] == ["bench-1"]
    with pytest.raises(IdentityError) as info:
        store.generate("bench-1", "Other")
    assert info.value.code == "identity_exists"
    with pytest.raises(IdentityError) as info:
        store.get("nope")
    assert info.value.code == "identity_missing" and info.value.reason.ja


def test_p12_import_right_and_wrong_passphrase(tmp_path: Path) -> None:
    path, cert = _p12(tmp_path, "correct horse")
    store = IdentityStore(tmp_path / "ids")
    with pytest.raises(IdentityError) as info:
        store.import_file(path, passphrase="wrong")
    assert info.value.code == "wrong_passphrase" and "パスフレーズ" in info.value.reason.ja
    assert store.list() == []
    ident = store.import_file(path, passphrase="correct horse", name="acme")
    assert ident.certificate_der == cert.public_bytes(serialization.Encoding.DER)
    stored = ident.keybag.read_bytes()
    # Encrypted at rest with the same passphrase (issue 16); the passphrase itself is not stored.
    assert b"correct horse" not in stored and b"ENCRYPTED PRIVATE KEY" in stored and ident.encrypted
    assert all(b"correct horse" not in p.read_bytes() for p in (tmp_path / "ids").iterdir() if p.is_file())


def test_pem_and_der_pair_import(tmp_path: Path) -> None:
    cert, key = generate_identity("ACME")
    (tmp_path / "c.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    (tmp_path / "k.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"pw")
        )
    )
    store = IdentityStore(tmp_path / "ids")
    with pytest.raises(IdentityError) as info:
        store.import_file(tmp_path / "c.der", key_path=tmp_path / "k.pem", passphrase="bad")
    assert info.value.code == "wrong_passphrase"
    ident = store.import_file(tmp_path / "c.der", key_path=tmp_path / "k.pem", passphrase="pw", name="pair")
    assert ident.name == "pair"
    other_cert, _ = generate_identity("Other")
    (tmp_path / "o.pem").write_bytes(other_cert.public_bytes(serialization.Encoding.PEM))
    with pytest.raises(IdentityError) as info:
        store.import_file(tmp_path / "o.pem", key_path=tmp_path / "k.pem", passphrase="pw", name="mismatch")
    assert info.value.code == "identity_unreadable"


# ----- anchors over TLS ---------------------------------------------------------------------------


def test_fetch_chain_from_a_local_tls_server(tls_server: tuple[str, list[x509.Certificate]], tmp_path: Path) -> None:
    url, (leaf, inter, _root) = tls_server
    chain = fetch_chain(url.replace("localhost", "127.0.0.1"), timeout=5)
    assert [c.der for c in chain] == [c.public_bytes(serialization.Encoding.DER) for c in (leaf, inter)]
    assert chain[0].subject == "CN=localhost" and chain[0].issuer == "CN=Test MDM Intermediate"
    assert chain[1].issuer == "CN=Test MDM Root CA"
    assert chain[0].not_after == leaf.not_valid_after_utc
    # A certificate the technician saves and adds by hand reads back the same.
    (tmp_path / "inter.pem").write_bytes(chain[1].pem)
    assert [c.der for c in load_certificates(tmp_path / "inter.pem")] == [chain[1].der]


def test_fetch_chain_reports_a_dead_server() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(Exception) as info:
        fetch_chain(f"https://127.0.0.1:{port}/", timeout=2)
    assert getattr(info.value, "code", "") == "fetch_failed"


# ----- profiles -----------------------------------------------------------------------------------


def test_wifi_profile_fields_and_fresh_uuids() -> None:
    a = plistlib.loads(
        wifi_profile("bench", "WPA3", "pw", hidden=True, proxy_type="manual", proxy_host="p", proxy_port=8080)
    )
    b = plistlib.loads(wifi_profile("bench", "WPA3", "pw"))
    payload = a["PayloadContent"][0]
    assert payload["PayloadType"] == "com.apple.wifi.managed"
    assert payload["SSID_STR"] == "bench" and payload["EncryptionType"] == "WPA3" and payload["HIDDEN_NETWORK"]
    assert payload["ProxyType"] == "Manual" and payload["ProxyServerPort"] == 8080
    assert a["PayloadUUID"] != b["PayloadUUID"] and a["PayloadIdentifier"] == b["PayloadIdentifier"]
    assert "Password" not in plistlib.loads(wifi_profile("open", "None", "ignored"))["PayloadContent"][0]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"<?xml version='1.0'?><plist><dict><key>x", "well-formed"),
        (plistlib.dumps(["not", "a", "dict"]), "dictionary"),
        (plistlib.dumps({"PayloadType": "Configuration", "PayloadUUID": "u"}), "PayloadIdentifier"),
        (
            plistlib.dumps(
                {
                    "PayloadType": "Configuration",
                    "PayloadUUID": "u",
                    "PayloadIdentifier": "i",
                    "PayloadContent": [{"PayloadType": "x"}],
                }
            ),
            "payload 1",
        ),
        (b"\x30\x03\x02\x01\x00", "signed"),
    ],
)
def test_malformed_profiles_are_refused(data: bytes, fragment: str) -> None:
    with pytest.raises(ProfileInvalid) as info:
        validate_profile(data, "x.mobileconfig")
    assert fragment in info.value.reason.en and "x.mobileconfig" in info.value.reason.ja
    assert info.value.code == "profile_invalid"


def test_signed_profile_is_accepted_as_is() -> None:
    cert, key = generate_identity("Signer")
    content = wifi_profile("signed-net", "WPA2", None)
    signed = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )
    info = validate_profile(signed, "signed.mobileconfig")
    assert info.signed and info.identifier == "jp.kitstation.wifi.signed-net"

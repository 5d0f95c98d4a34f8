"""The tiny APK builder: real enough for apkutils (adbutils' parser) and for certificate extraction."""

from __future__ import annotations

import base64
import datetime
import hashlib

import apkutils
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kitstation.simulator.android import build_apk, demo_agent_apk, luhn_valid, parse_apk, signing_certificate
from kitstation.simulator.android.apk import ApkError
from kitstation.simulator.android.catalog import MODELS, make_imei


def _self_signed() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test MDM")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
        .not_valid_after(datetime.datetime(2035, 1, 1, tzinfo=datetime.UTC))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def test_demo_agent_is_read_by_apkutils() -> None:
    with apkutils.APK.from_bytes(demo_agent_apk(), strict=True) as apk:
        manifest = apk.get_manifest()
        assert apk.package_name == "jp.kitstation.demoagent"
        assert 'android:name=".AdminReceiver"' in manifest
        assert "android.permission.BIND_DEVICE_ADMIN" in manifest
        assert "android.app.action.DEVICE_ADMIN_ENABLED" in manifest
        assert apk.errors == []


def test_parse_finds_package_version_receiver_and_certificate() -> None:
    key, cert = _self_signed()
    data = build_apk("com.example.mdm", "com.example.mdm.admin.Receiver", version_code=42, version_name="4.2", signing=(key, cert))
    info = parse_apk(data)
    assert info.package == "com.example.mdm"
    assert (info.version_code, info.version_name) == (42, "4.2")
    assert info.admin_receivers == ("com.example.mdm.admin.Receiver",)
    der = cert.public_bytes(serialization.Encoding.DER)
    assert info.certificate_der == der == signing_certificate(data)
    expected = base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode().rstrip("=")
    assert info.signature_checksum == expected


def test_demo_checksum_is_stable_and_relative_receiver_is_qualified() -> None:
    a, b = parse_apk(demo_agent_apk()), parse_apk(build_apk("jp.kitstation.demoagent", ".AdminReceiver"))
    assert a.admin_receivers == ("jp.kitstation.demoagent.AdminReceiver",)
    assert a.signature_checksum == b.signature_checksum
    assert a.signature_checksum is not None and "+" not in a.signature_checksum and "/" not in a.signature_checksum


def test_unsigned_and_receiverless_apks() -> None:
    info = parse_apk(build_apk("com.example.plain", None, unsigned=True))
    assert info.certificate_der is None and info.signature_checksum is None
    assert info.admin_receivers == ()


def test_not_an_apk() -> None:
    with pytest.raises(ApkError):
        parse_apk(b"PK not really")


def test_catalogue_imeis_are_luhn_valid() -> None:
    import random

    rng = random.Random(1)
    for model in MODELS.values():
        for tac in model.tacs:
            imei = make_imei(tac, rng)
            assert len(imei) == 15 and luhn_valid(imei)
    assert luhn_valid("490154203237518") and not luhn_valid("490154203237519")

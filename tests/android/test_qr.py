"""Android Enterprise QR payload: keys from the blueprint, the signing-certificate checksum, rendering."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from pathlib import Path

import pytest

from kitstation.android import qr
from kitstation.android.apk import signature_checksum, signing_certificates
from kitstation.blueprints.loader import loads_blueprint
from kitstation.simulator.android.apk import build_apk, demo_agent_apk, demo_signing

BP = """
name = "QR"
[android]
method = "qr"
[android.agent]
url = "https://mdm.example.jp/agent.apk"
package = "jp.kitstation.demoagent"
admin_receiver = "jp.kitstation.demoagent/.AdminReceiver"
[android.qr]
locale = "ja_JP"
time_zone = "Asia/Tokyo"
leave_system_apps = true
admin_extras = { server = "https://mdm.example.jp", tenant = "acme" }
[android.qr.wifi]
ssid = "kitting"
security = "WPA"
password_secret = "wifi"
"""


def test_signature_checksum_is_urlsafe_unpadded_sha256_of_the_cert() -> None:
    apk = demo_agent_apk()
    _key, cert = demo_signing()
    from cryptography.hazmat.primitives import serialization

    der = cert.public_bytes(serialization.Encoding.DER)
    assert signing_certificates(apk) == [der]
    expected = base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode().rstrip("=")
    assert signature_checksum(apk) == expected
    assert "=" not in expected and len(expected) == 43


def test_unsigned_apk_has_no_signature_checksum() -> None:
    with pytest.raises(ValueError, match="no v1"):
        signature_checksum(build_apk("a.b", ".R", unsigned=True))


def test_payload_keys_from_blueprint(tmp_path: Path) -> None:
    bp = loads_blueprint(BP)
    payload = qr.build_payload(bp, apk=demo_agent_apk(), wifi_password="s3cret")
    P = "android.app.extra.PROVISIONING_"
    assert payload[P + "DEVICE_ADMIN_COMPONENT_NAME"] == "jp.kitstation.demoagent/.AdminReceiver"
    assert payload[P + "DEVICE_ADMIN_PACKAGE_DOWNLOAD_LOCATION"] == "https://mdm.example.jp/agent.apk"
    assert payload[P + "DEVICE_ADMIN_SIGNATURE_CHECKSUM"] == signature_checksum(demo_agent_apk())
    assert payload[P + "WIFI_SSID"] == "kitting" and payload[P + "WIFI_PASSWORD"] == "s3cret"
    assert payload[P + "WIFI_SECURITY_TYPE"] == "WPA"
    assert payload[P + "LOCALE"] == "ja_JP" and payload[P + "TIME_ZONE"] == "Asia/Tokyo"
    assert payload[P + "LEAVE_ALL_SYSTEM_APPS_ENABLED"] is True
    assert payload[P + "ADMIN_EXTRAS_BUNDLE"] == {"server": "https://mdm.example.jp", "tenant": "acme"}
    assert qr.validate_payload(payload) == []

    code = qr.render(payload)
    assert json.loads(code.text) == payload
    assert len(code.matrix) == len(code.matrix[0]) == 17 + 4 * code.version
    png = code.save(tmp_path / "qr.png")
    assert png.read_bytes().startswith(b"\x89PNG")
    # The image holds the Wi-Fi password: owner-only.
    assert stat.S_IMODE(png.stat().st_mode) == 0o600
    svg = qr.render(qr.build_payload(bp, apk=demo_agent_apk())).save(tmp_path / "qr.svg")
    assert b"<svg" in svg.read_bytes()


def test_missing_checksum_and_bad_keys_are_reported() -> None:
    bp = loads_blueprint(BP)
    with pytest.raises(qr.QrPayloadError) as info:
        qr.build_payload(bp)  # no APK, no pinned checksum
    assert "checksum" in str(info.value)
    problems = qr.validate_payload({"android.app.extra.PROVISIONING_FOO": 1})
    assert len(problems) == 4 and all(p.ja for p in problems)


def test_pinned_sha256_gives_package_checksum() -> None:
    apk = demo_agent_apk()
    digest = hashlib.sha256(apk).hexdigest()
    bp = loads_blueprint(BP.replace('package = "jp', f'sha256 = "{digest}"\npackage = "jp'))
    payload = qr.build_payload(bp)
    assert payload[qr.PACKAGE_CHECKSUM] == base64.urlsafe_b64encode(bytes.fromhex(digest)).decode().rstrip("=")


def test_qr_method_needs_a_download_url() -> None:
    from kitstation.blueprints.loader import BlueprintError

    with pytest.raises(BlueprintError, match="download URL"):
        loads_blueprint('name = "x"\n[android]\nmethod = "qr"\n[android.qr]\nlocale = "ja_JP"\n')


def test_apk_signature_problems_are_told_apart_for_the_qr_code() -> None:
    bp = loads_blueprint(BP)
    # Signed by another key than the blueprint pins.
    pinned = loads_blueprint(BP.replace('[android.qr]\n', '[android.qr]\nsignature_checksum = "' + "A" * 43 + '"\n'))
    with pytest.raises(qr.QrPayloadError, match="another key than the pinned one"):
        qr.build_payload(pinned, apk=demo_agent_apk())
    # v1 (JAR) only, targeting API 35: phones on Android 11+ (all QR-provisioned ones today) refuse it.
    with pytest.raises(qr.QrPayloadError, match=r"v1 \(JAR\) scheme only"):
        qr.build_payload(bp, apk=build_apk("jp.kitstation.demoagent", ".AdminReceiver", schemes=("v1",)))
    with pytest.raises(qr.QrPayloadError, match="not signed at all"):
        qr.build_payload(bp, apk=build_apk("jp.kitstation.demoagent", ".AdminReceiver", unsigned=True))
    # The demo agent (v2 + v3) with the right pin is fine.
    right = loads_blueprint(
        BP.replace('[android.qr]\n', f'[android.qr]\nsignature_checksum = "{signature_checksum(demo_agent_apk())}"\n')
    )
    assert qr.build_payload(right, apk=demo_agent_apk())[qr.SIGNATURE_CHECKSUM] == signature_checksum(demo_agent_apk())

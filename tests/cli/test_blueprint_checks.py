"""Blueprint validation checks offline what can be checked: limits, text, URLs, numbers and the files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from kitstation.blueprints.checks import is_pkcs12
from kitstation.blueprints.loader import BlueprintError, load_blueprint, loads_blueprint
from kitstation.cli.main import main
from kitstation.ios.identities import generate_identity

ROOT = Path(__file__).resolve().parents[2]

SUPERVISE = """
name = "t"
[ios]
method = "supervise"
[ios.mdm_server]
name = "MDM"
url = "https://mdm.example.jp/enroll"
anchor_certificates = ["anchor.pem"]
[ios.supervision_identity]
file = "ident.p12"
passphrase_secret = "p12"
"""

AGENT = """
name = "a"
[android]
method = "device_owner"
[android.agent]
file = "agent.apk"
sha256 = "{sha}"
package = "com.example.agent"
admin_receiver = "com.example.agent/.Admin"
"""


def problems(text: str, tmp_path: Path | None = None) -> list[tuple[str, str]]:
    try:
        if tmp_path is None:
            loads_blueprint(text, "bp.toml")
        else:
            (tmp_path / "bp.toml").write_text(text, encoding="utf-8")
            load_blueprint(tmp_path / "bp.toml")
    except BlueprintError as exc:
        assert all(m.en and m.ja and m.en != m.ja for _loc, m in exc.problems), exc.problems  # both languages
        return [(loc, m.en) for loc, m in exc.problems]
    return []


def files_for_supervise(tmp_path: Path) -> None:
    cert, key = generate_identity("ACME")
    (tmp_path / "anchor.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    data = pkcs12.serialize_key_and_certificates(b"i", key, cert, None, serialization.BestAvailableEncryption(b"pw"))
    (tmp_path / "ident.p12").write_bytes(data)


def test_a_good_blueprint_with_files_passes(tmp_path: Path) -> None:
    files_for_supervise(tmp_path)
    assert problems(SUPERVISE, tmp_path) == []
    assert is_pkcs12((tmp_path / "ident.p12").read_bytes())


def test_deep_nesting_is_a_reason_not_a_recursion_error() -> None:
    deep = "name = 'x'\nv = " + "[" * 600 + "]" * 600 + "\n"
    found = problems(deep)
    assert found and "nested too deeply" in found[0][1]
    tables = "name = 'x'\n[" + ".".join(f"t{i}" for i in range(40)) + "]\nk = 1\n"
    found = problems(tables)
    assert found and "nested too deeply" in found[0][1]


def test_size_limit() -> None:
    found = problems("name = 'x'\n" + "# filler\n" * 200_000)
    assert found and "too large" in found[0][1]


def test_a_corrupt_trust_anchor_is_refused(tmp_path: Path) -> None:
    files_for_supervise(tmp_path)
    (tmp_path / "anchor.pem").write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    found = problems(SUPERVISE, tmp_path)
    assert found[0][0] == "ios.mdm_server.anchor_certificates[0]" and "not an X.509 certificate" in found[0][1]
    (tmp_path / "anchor.pem").write_bytes(b"\x30\x03\x02\x01\x01")  # DER, but not a certificate
    assert "not an X.509 certificate" in problems(SUPERVISE, tmp_path)[0][1]


def test_a_file_that_is_not_pkcs12_is_refused(tmp_path: Path) -> None:
    files_for_supervise(tmp_path)
    (tmp_path / "ident.p12").write_bytes(b"PK\x03\x04 a zip file, not an identity")
    found = problems(SUPERVISE, tmp_path)
    assert found == [("ios.supervision_identity.file", "ident.p12 is not a PKCS#12 (.p12) file")]
    (tmp_path / "ident.p12").write_bytes((tmp_path / "anchor.pem").read_bytes())
    assert problems(SUPERVISE, tmp_path)[0][0] == "ios.supervision_identity.file"


def test_the_apk_hash_must_match_a_local_file(tmp_path: Path) -> None:
    (tmp_path / "agent.apk").write_bytes(b"not really an apk, but bytes with a hash")
    real = hashlib.sha256((tmp_path / "agent.apk").read_bytes()).hexdigest()
    assert problems(AGENT.format(sha=real), tmp_path) == []
    found = problems(AGENT.format(sha="0" * 64), tmp_path)
    assert found[0][0] == "android.agent.sha256" and real in found[0][1]


@pytest.mark.parametrize(
    ("ssid", "ok"),
    [("a" * 32, True), ("a" * 33, False), ("キッティング用ネットワーク", False), ("ab\\u0000cd", False)],
)
def test_ssid_bytes_and_nul(ssid: str, ok: bool) -> None:
    text = f'name = "w"\n[ios]\nmethod = "supervise"\n[ios.mdm_server]\nname = "m"\nurl = "https://m.example/"\n[ios.wifi]\nssid = "{ssid}"\n'
    found = problems(text)
    assert (found == []) is ok, found
    if not ok:
        assert found[0][0] in ("ios.wifi.ssid", "ios.wifi")


def test_android_qr_ssid_is_checked_too() -> None:
    text = (
        'name = "q"\n[android]\nmethod = "qr"\n[android.qr]\ndownload_url = "https://x.example/a.apk"\n'
        'admin_component = "com.example.agent/.Admin"\n[android.qr.wifi]\nssid = "' + "b" * 33 + '"\n'
    )
    assert problems(text)[0][0] == "android.qr.wifi.ssid"


def test_mdm_url_must_be_https() -> None:
    text = 'name = "h"\n[ios]\nmethod = "supervise"\n[ios.mdm_server]\nname = "m"\nurl = "http://m.example/"\n'
    assert problems(text) == [("ios.mdm_server.url", "must be an https:// URL (Apple requires HTTPS for MDM)")]


@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_numbers_must_be_finite(value: str) -> None:
    text = f'name = "n"\n[ios]\nmethod = "dep"\nerase_timeout_minutes = {value}\n'
    found = problems(text)
    assert found and found[0][0] == "ios.erase_timeout_minutes"


def test_names_must_be_printable() -> None:
    found = problems('name = "evil\\u001b[2J"\n[ios]\nmethod = "dep"\n')
    assert found and found[0][0] == "name" and "control character" in found[0][1]
    # Multi-line free text may hold newlines.
    assert problems('name = "ok"\ndescription = "line 1\\nline 2"\n[ios]\nmethod = "dep"\n') == []


def test_validate_command_names_file_field_and_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "n"\n[ios]\nmethod = "dep"\nerase_timeout_minutes = inf\n', encoding="utf-8")
    assert main(["blueprint", "validate", str(bad)]) == 2
    assert f"{bad}: ios.erase_timeout_minutes: must be a finite number" in capsys.readouterr().err
    assert main(["--lang", "ja", "blueprint", "validate", str(bad)]) == 2
    assert "有限の数値" in capsys.readouterr().err
    assert main(["blueprint", "validate", "--json", str(bad)]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data[0]["errors"][0]["field"] == "ios.erase_timeout_minutes" and data[0]["errors"][0]["ja"]


def test_the_examples_still_pass() -> None:
    for path in sorted((ROOT / "examples").glob("*.toml")):
        load_blueprint(path)

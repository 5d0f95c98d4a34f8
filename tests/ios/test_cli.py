"""``kitstation identity|profile|certs`` through the real command-line entry point."""

from __future__ import annotations

import json
import plistlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from kitstation.cli.main import main
from kitstation.ios.identities import generate_identity


def test_identity_new_import_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["identity", "new", "--name", "bench", "--org", "ACME"]) == 0
    cert, key = generate_identity("Imported Org")
    data = pkcs12.serialize_key_and_certificates(b"x", key, cert, None, serialization.BestAvailableEncryption(b"pw"))
    (tmp_path / "old.p12").write_bytes(data)
    monkeypatch.setenv("P12_PASS", "wrong")
    assert main(["identity", "import", str(tmp_path / "old.p12"), "--passphrase-env", "P12_PASS"]) == 2
    assert "passphrase" in capsys.readouterr().err.lower()
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "pw")
    assert main(["identity", "import", str(tmp_path / "old.p12"), "--name", "old"]) == 0
    capsys.readouterr()
    assert main(["identity", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(i["name"], i["organization"]) for i in listed] == [("bench", "ACME"), ("old", "Imported Org")]


def test_profile_wifi_to_stdout(capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIFI_PW", "bench-password")
    assert (
        main(["profile", "wifi", "--ssid", "bench", "--security", "WPA2", "--password-env", "WIFI_PW", "--hidden"]) == 0
    )
    doc = plistlib.loads(capsysbinary.readouterr().out)
    payload = doc["PayloadContent"][0]
    assert payload["SSID_STR"] == "bench" and payload["Password"] == "bench-password" and payload["HIDDEN_NETWORK"]


def test_certs_fetch_saves_the_chain(
    tls_server: tuple[str, list[object]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, _certs = tls_server
    assert main(["certs", "fetch", url.replace("localhost", "127.0.0.1"), "--out", str(tmp_path / "a"), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [c["subject"] for c in shown] == ["CN=localhost", "CN=Test MDM Intermediate"]
    assert all(Path(c["file"]).is_file() for c in shown)

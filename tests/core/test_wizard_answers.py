"""The wizard's answers → blueprint, without Qt: sections per method, anchors, host names, atomic save."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kitstation.blueprints.loader import BlueprintError, load_blueprint
from kitstation.blueprints.wizard import (
    AndroidAnswers,
    IOSAnswers,
    WizardAnswers,
    anchor_names,
    build,
    save,
    server_url,
    slug,
    summary,
    to_data,
)


def _certificate_pem() -> str:
    """A real self-signed certificate: blueprint validation parses every trust anchor."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ACME MDM test anchor")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


PEM = _certificate_pem()


def supervised(**kw: object) -> IOSAnswers:
    a = IOSAnswers(
        method="manual_dep",
        server_name="CLOMO MDM",
        server_url="https://mdm.example.com/acme/",
        organization={"name": "ACME 株式会社", "phone": " "},
        identity_name="acme-supervision",
        skipped=["Siri", "Privacy"],
        all_panes=30,
    )
    for k, v in kw.items():
        setattr(a, k, v)
    return a


def test_manual_dep_answers_make_a_valid_blueprint(tmp_path: Path) -> None:
    bp = build(WizardAnswers(name="ACME", customer="ACME", order_ref="PO-1", ios=supervised()), tmp_path / "a.toml")
    assert bp.ios is not None and bp.ios.method == "manual_dep" and bp.ios.supervise and bp.ios.add_to_dep
    assert bp.ios.mdm_server is not None and bp.ios.mdm_server.url == "https://mdm.example.com/acme/"
    assert bp.ios.organization is not None and bp.ios.organization.phone == ""  # blank fields left out
    assert bp.ios.supervision_identity is not None and bp.ios.supervision_identity.name == "acme-supervision"
    assert bp.ios.skip_setup == ["Siri", "Privacy"]
    assert bp.customer.name == "ACME" and bp.customer.order_ref == "PO-1"
    assert bp.android is None


def test_every_pane_skipped_is_written_as_all(tmp_path: Path) -> None:
    a = supervised(skipped=["Siri", "Privacy"], all_panes=2)
    assert to_data(WizardAnswers(name="x", ios=a), tmp_path / "x.toml")["ios"]["skip_setup"] == "all"


def test_a_dep_check_has_no_server_identity_or_network(tmp_path: Path) -> None:
    a = IOSAnswers(method="dep", erase=False, add_to_dep=False, server_url="ignored", wifi={"ssid": "x"})
    d = to_data(WizardAnswers(name="x", ios=a), tmp_path / "x.toml")["ios"]
    assert not {"mdm_server", "organization", "supervision_identity", "skip_setup", "wifi"} & set(d)
    build(WizardAnswers(name="x", ios=a), tmp_path / "x.toml")


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("mdm.example.com", "https://mdm.example.com/"),
        ("  mdm.example.com:8443 ", "https://mdm.example.com:8443/"),
        ("mdm.example.com/acme/", "https://mdm.example.com/acme/"),
        ("http://mdm.example.com/", "http://mdm.example.com/"),
        ("ftp://mdm.example.com/", "ftp://mdm.example.com/"),  # kept: the blueprint check explains it
        ("not a host", "not a host"),
        ("", ""),
    ],
)
def test_host_name_or_url(typed: str, url: str) -> None:
    assert server_url(typed) == url


def test_a_host_name_passes_validation_and_a_wrong_scheme_does_not(tmp_path: Path) -> None:
    bp = build(WizardAnswers(name="x", ios=supervised(server_url="mdm.example.com")), tmp_path / "x.toml")
    assert bp.ios is not None and bp.ios.mdm_server is not None
    assert bp.ios.mdm_server.url == "https://mdm.example.com/"
    with pytest.raises(BlueprintError) as err:
        build(WizardAnswers(name="x", ios=supervised(server_url="ftp://mdm.example.com/")), tmp_path / "x.toml")
    assert any(loc.endswith("mdm_server.url") for loc, _ in err.value.problems)


def test_missing_identity_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BlueprintError):
        build(WizardAnswers(name="x", ios=supervised(identity_name="")), tmp_path / "x.toml")


def test_save_writes_anchors_next_to_the_blueprint_and_the_cli_loads_it(tmp_path: Path) -> None:
    target = tmp_path / "bp" / "acme.toml"
    answers = WizardAnswers(name="ACME", ios=supervised(anchors=[PEM, PEM]))
    save(answers, target)
    assert anchor_names(target, 2) == ["acme-anchors/anchor-1.pem", "acme-anchors/anchor-2.pem"]
    assert (target.parent / "acme-anchors" / "anchor-2.pem").read_text() == PEM
    bp = load_blueprint(target)  # every referenced file exists
    assert bp.ios is not None and bp.ios.mdm_server is not None
    assert bp.ios.mdm_server.anchor_certificates == anchor_names(target, 2)
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]  # no temp file left


def test_invalid_answers_write_nothing(tmp_path: Path) -> None:
    target = tmp_path / "bad.toml"
    with pytest.raises(BlueprintError):
        save(WizardAnswers(name="", ios=supervised(anchors=[PEM])), target)
    assert list(tmp_path.iterdir()) == []


def test_save_replaces_an_existing_blueprint_atomically(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    target.write_text("old")
    inode = os.stat(target).st_ino
    save(WizardAnswers(name="New", android=AndroidAnswers(method="qr", package="com.ex.agent",
                                                          admin_receiver="com.ex.agent/.R",
                                                          apk_url="https://x.example/a.apk")), target)
    assert 'name = "New"' in target.read_text()
    assert os.stat(target).st_ino != inode  # a new file renamed over the old one, not rewritten in place


def test_android_answers() -> None:
    kme = AndroidAnswers(method="kme", kme_profile_name="P", apk_url="https://x.example/a.apk").data()
    assert "agent" not in kme and kme["kme"]["profile_name"] == "P"
    do = AndroidAnswers(method="device_owner", package=" com.ex ", admin_receiver="com.ex/.R", sha256="").data()
    assert do["agent"] == {"package": "com.ex", "admin_receiver": "com.ex/.R"}


def test_summary_is_readable_in_both_languages(tmp_path: Path) -> None:
    bp = build(WizardAnswers(name="ACME", ios=supervised()), tmp_path / "a.toml")
    rows = {k.en: (v.en, v.ja) for k, v in summary(bp)}
    assert rows["MDM server"][0] == "CLOMO MDM — https://mdm.example.com/acme/"
    assert rows["Supervise"] == ("yes", "はい")
    ja = {k.ja for k, _ in summary(bp)}
    assert "監視識別情報" in ja and not any("監督" in k for k in ja)


def test_slug() -> None:
    assert slug("CLOMO batch / ACME 株式会社") == "clomo-batch-acme-株式会社"
    assert slug("  ") == "blueprint"


def test_validator_sentences_become_labelled_bilingual_problems(tmp_path: Path) -> None:
    from kitstation.blueprints.wizard import field_problems

    with pytest.raises(BlueprintError) as err:
        build(WizardAnswers(name="x", ios=supervised(server_url="ftp://x/", identity_name="")), tmp_path / "x.toml")
    texts = field_problems(err.value.problems)
    en = {t.en for t in texts}
    assert "Host name or URL: must start with https:// or http://" in en
    assert "Supervision identity: give an identity name or choose a file" in en
    for t in texts:
        assert not any(w in t.ja for w in ("must", "give", "url:")), t.ja  # no English inside the Japanese
    assert field_problems([("ssid", err.value.problems[0][1])], "ios.wifi")[0].en.startswith("Network name (SSID): ")
    assert field_problems([("unknown_key", err.value.problems[0][1])])[0].en.startswith("unknown_key: ")


def test_a_saved_blueprint_comes_back_as_the_same_answers(tmp_path: Path) -> None:
    from kitstation.blueprints.wizard import answers_from, duplicate

    target = tmp_path / "acme.toml"
    wifi = {"ssid": "kitting", "security": "WPA2", "hidden": False, "auto_join": True, "password_secret": "wifi_pw"}
    answers = WizardAnswers(name="ACME", customer="ACME", order_ref="PO-1",
                            ios=supervised(anchors=[PEM], wifi=wifi, skipped=["Siri"], all_panes=0),
                            android=AndroidAnswers(method="qr", package="com.ex.agent", admin_receiver="com.ex.agent/.R",
                                                   apk_url="https://x.example/a.apk"))
    saved = save(answers, target)
    again = answers_from(load_blueprint(target))
    assert to_data(again, target) == to_data(answers, target)  # edit → save gives the same blueprint
    assert again.ios is not None and again.ios.anchors == [PEM]
    every = save(WizardAnswers(name="All", ios=supervised(skipped=["Siri"], all_panes=1)), tmp_path / "all.toml")
    assert every.ios is not None and every.ios.skip_setup == "all"
    assert build(answers_from(every), tmp_path / "all.toml").ios.skip_setup == "all"  # type: ignore[union-attr]
    copy = duplicate(target)
    assert copy.name == "acme-copy.toml" and load_blueprint(copy).name == "ACME (copy)"
    assert duplicate(target).name == "acme-copy2.toml"
    assert saved.name == "ACME"

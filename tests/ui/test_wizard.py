"""The Prepare wizard: typed end to end into a blueprint the CLI validates; each page's validation."""

from __future__ import annotations

import datetime
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pytestqt.qtbot import QtBot

from kitstation.blueprints.loader import load_blueprint
from kitstation.cli.main import main as cli_main
from kitstation.ui.qt import QAbstractButton, QLineEdit, QPoint, Qt, QWizard
from kitstation.ui.wizard import (
    P_ANDROID,
    P_ANDROID_APPS,
    P_GALAXY,
    P_IDENTITY,
    P_IOS_APPS,
    P_METHOD,
    P_NAMES,
    P_NETWORK,
    P_OPTIONS,
    P_ORG,
    P_SERVER,
    P_SKIP,
    P_SUMMARY,
    PrepareWizard,
)
from tests.ui.helpers import click, key, type_keys


def _cert(tmp: Path) -> tuple[Path, Path, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    c, k = tmp / "c.pem", tmp / "k.pem"
    c.write_text(pem)
    k.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return c, k, pem


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """A TLS server on a free port that completes one handshake per connection."""
    import socket

    cert, key, pem = _cert(tmp_path)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            try:
                with ctx.wrap_socket(conn, server_side=True):
                    pass
            except (OSError, ssl.SSLError):
                pass

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield port, pem
    stop.set()
    t.join()
    sock.close()


def click_next(qtbot: QtBot, wiz: PrepareWizard) -> None:
    click(qtbot, wiz.button(QWizard.WizardButton.NextButton))


def click_box(qtbot: QtBot, box: QAbstractButton) -> None:
    """Click a check box or radio button on its indicator (the widget may be wider than its text)."""
    click(qtbot, box, QPoint(6, box.height() // 2))


def type_into(qtbot: QtBot, widget: QLineEdit, text: str) -> None:
    widget.clear()
    if text.isascii():
        type_keys(qtbot, widget, text)
    else:  # QTest types ASCII only; Japanese arrives as an input-method commit
        widget.insert(text)


@pytest.fixture
def wizard(qtbot: QtBot) -> PrepareWizard:
    wiz = PrepareWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    return wiz


def test_wizard_end_to_end_writes_a_blueprint_the_cli_accepts(
    wizard: PrepareWizard, qtbot: QtBot, demo_apk: Path, tmp_path: Path, tls_server: tuple[int, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    wiz = wizard
    port, pem = tls_server
    m = wiz.method_page
    type_into(qtbot, m.name, "CLOMO ACME 2026")
    type_into(qtbot, m.customer, "ACME")
    click_box(qtbot, m.android)  # both platforms
    assert m.methods["manual_dep"].isChecked()
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_OPTIONS
    o = wiz.options_page
    assert o.add_to_dep.isChecked() and o.supervise.isChecked() and not o.activate.isChecked()
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_SERVER
    s = wiz.server_page
    type_into(qtbot, s.name, "CLOMO MDM")
    type_into(qtbot, s.url, f"https://127.0.0.1:{port}/acme/")
    with qtbot.waitSignal(s.fetched, timeout=10_000):
        click(qtbot, s.fetch_button)  # fetched on a worker thread
    assert s.certs.count() == 1
    s.certs.item(0).setCheckState(Qt.CheckState.Checked)
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_ORG
    type_into(qtbot, wiz.org_page.fields["name"], "ACME 株式会社")
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_IDENTITY
    type_into(qtbot, wiz.identity_page.identity_name, "acme-supervision")
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_SKIP
    click(qtbot, wiz.skip_page.findChildren(type(wiz.button(QWizard.WizardButton.NextButton)))[0])  # "Show all"
    assert wiz.skip_page.skipped() == []
    first_two = wiz.skip_page.items()[:2]
    for item in first_two:
        item.setCheckState(0, Qt.CheckState.Checked)
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_NETWORK
    n = wiz.network_page
    click_box(qtbot, n.wifi)
    type_into(qtbot, n.ssid, "kitting-net")
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_IOS_APPS  # nothing chosen: no [ios.apps]
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_ANDROID
    a = wiz.android_page
    type_into(qtbot, a.apk_file, str(demo_apk))
    type_into(qtbot, a.package, "jp.kitstation.demoagent")
    type_into(qtbot, a.receiver, "jp.kitstation.demoagent/.AdminReceiver")
    for page in (P_GALAXY, P_ANDROID_APPS, P_NAMES, P_SUMMARY):  # left as they are: nothing added
        click_next(qtbot, wiz)
        assert wiz.currentId() == page
    out = tmp_path / "bp" / "acme.toml"
    type_into(qtbot, wiz.summary_page.path, str(out))
    assert "kitting-net" in wiz.summary_page.preview.toPlainText()
    assert not wiz.summary_page.preview.isVisible()  # a readable summary first; the TOML on request
    assert "CLOMO MDM" in wiz.summary_page.readable.text() and "acme-supervision" in wiz.summary_page.readable.text()
    with qtbot.waitSignal(wiz.saved):
        click(qtbot, wiz.button(QWizard.WizardButton.FinishButton))
    assert out.is_file()
    text = out.read_text()
    assert "password =" not in text and "wifi_password" in text  # a secret's name, never a password
    bp = load_blueprint(out)
    assert bp.ios is not None and bp.android is not None
    assert bp.ios.method == "manual_dep" and bp.ios.add_to_dep and bp.ios.supervise
    assert bp.ios.skip_setup == [item.text(1) for item in first_two]
    assert bp.ios.mdm_server is not None and len(bp.ios.mdm_server.anchor_certificates) == 1
    assert bp.resolve(bp.ios.mdm_server.anchor_certificates[0]).read_text() == pem
    assert bp.android.agent is not None and bp.android.agent.package == "jp.kitstation.demoagent"
    # "Generate a new supervision identity": it is in the station's store now, under the name given.
    from kitstation.ios.identities import IdentityStore

    assert IdentityStore().get("acme-supervision").organization == "ACME 株式会社"
    capsys.readouterr()
    assert cli_main(["blueprint", "validate", str(out)]) == 0


@pytest.fixture
def at_page(wizard: PrepareWizard, qtbot: QtBot) -> Callable[[int], PrepareWizard]:
    """Walk a both-platform manual-DEP wizard with valid input up to page ``target``."""

    def go(target: int) -> PrepareWizard:
        wiz = wizard
        def fill(page: int) -> None:
            if page == P_METHOD:
                type_into(qtbot, wiz.method_page.name, "BP")
                wiz.method_page.android.setChecked(True)
            elif page == P_SERVER:
                type_into(qtbot, wiz.server_page.name, "MDM")
                type_into(qtbot, wiz.server_page.url, "https://mdm.example.com/x/")
            elif page == P_ORG:
                type_into(qtbot, wiz.org_page.fields["name"], "Org")
            elif page == P_IDENTITY:
                type_into(qtbot, wiz.identity_page.identity_name, "sup")

        while wiz.currentId() != target:
            fill(wiz.currentId())
            before = wiz.currentId()
            click_next(qtbot, wiz)
            assert wiz.currentId() != before, wiz.currentPage().errors.text()  # type: ignore[attr-defined]
        return wiz

    return go


def test_method_page_needs_a_name_and_a_platform(wizard: PrepareWizard, qtbot: QtBot) -> None:
    click_next(qtbot, wizard)
    assert wizard.currentId() == P_METHOD
    assert "Blueprint name" in wizard.method_page.errors.text()
    type_into(qtbot, wizard.method_page.name, "x")
    wizard.method_page.ios.setChecked(False)
    click_next(qtbot, wizard)
    assert wizard.currentId() == P_METHOD
    assert "platform" in wizard.method_page.errors.text()


def test_options_page_keeps_manual_dep_rules(at_page: Callable[[int], PrepareWizard], qtbot: QtBot) -> None:
    wiz = at_page(P_OPTIONS)
    wiz.options_page.add_to_dep.setChecked(False)
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_OPTIONS
    assert "Add to Device Enrollment Program" in wiz.options_page.errors.text()


def test_server_page_explains_a_bad_url(at_page: Callable[[int], PrepareWizard], qtbot: QtBot) -> None:
    wiz = at_page(P_SERVER)
    type_into(qtbot, wiz.server_page.name, "MDM")
    type_into(qtbot, wiz.server_page.url, "ftp://mdm.example.com/")
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_SERVER
    assert "http" in wiz.server_page.errors.text()


def test_server_page_accepts_a_host_name(at_page: Callable[[int], PrepareWizard], qtbot: QtBot) -> None:
    """The label says "Host name or URL": a bare host name is its https URL."""
    wiz = at_page(P_SERVER)
    type_into(qtbot, wiz.server_page.name, "MDM")
    type_into(qtbot, wiz.server_page.url, "mdm.example.com")
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_ORG, wiz.server_page.errors.text()
    assert wiz.answers().ios is not None
    assert wiz.server_page.data()["url"] == "https://mdm.example.com/"


def test_certificate_fetch_failure_shows_the_whole_reason(
    at_page: Callable[[int], PrepareWizard], qtbot: QtBot
) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on: connection refused, at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    wiz = at_page(P_SERVER)
    page = wiz.server_page
    type_into(qtbot, page.url, f"https://127.0.0.1:{port}/")
    with qtbot.waitSignal(page.fetched, timeout=20_000) as sig:
        click(qtbot, page.fetch_button)
    chain, error = sig.args
    assert chain == [] and error
    assert error in page.fetch_status.text() and page.fetch_status.wordWrap()
    assert page.fetch_status.toolTip() == page.fetch_status.text()
    assert page.fetch_button.isEnabled()


def test_escape_asks_before_discarding(wizard: PrepareWizard, qtbot: QtBot) -> None:
    type_into(qtbot, wizard.method_page.name, "Half typed")
    key(qtbot, wizard, Qt.Key.Key_Escape)
    assert wizard.isVisible() and wizard.confirm is not None and wizard.confirm.isVisible()
    click(qtbot, wizard.keep_button)
    assert wizard.isVisible() and wizard.method_page.name.text() == "Half typed"
    key(qtbot, wizard, Qt.Key.Key_Escape)
    click(qtbot, wizard.discard_button)
    assert not wizard.isVisible()


def test_escape_on_an_untouched_wizard_closes_at_once(wizard: PrepareWizard, qtbot: QtBot) -> None:
    key(qtbot, wizard, Qt.Key.Key_Escape)
    assert not wizard.isVisible() and wizard.confirm is None


def test_org_and_identity_pages(at_page: Callable[[int], PrepareWizard], qtbot: QtBot) -> None:
    wiz = at_page(P_ORG)
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_ORG
    assert "name" in wiz.org_page.errors.text()
    type_into(qtbot, wiz.org_page.fields["name"], "Org")
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_IDENTITY
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_IDENTITY
    assert wiz.identity_page.errors.text()
    wiz.identity_page.existing.setChecked(True)
    type_into(qtbot, wiz.identity_page.file, "/nonexistent/id.p12")
    click_next(qtbot, wiz)
    assert "file not found" in wiz.identity_page.errors.text()


def test_network_page_checks_the_ssid(at_page: Callable[[int], PrepareWizard], qtbot: QtBot) -> None:
    wiz = at_page(P_NETWORK)
    wiz.network_page.wifi.setChecked(True)
    type_into(qtbot, wiz.network_page.ssid, "x" * 40)
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_NETWORK
    assert "Network name (SSID)" in wiz.network_page.errors.text() and "32" in wiz.network_page.errors.text()


def test_android_page_checks_the_agent_and_previews_a_qr(at_page: Callable[[int], PrepareWizard], qtbot: QtBot) -> None:
    wiz = at_page(P_ANDROID)
    a = wiz.android_page
    type_into(qtbot, a.package, "not a package")
    type_into(qtbot, a.receiver, "x")
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_ANDROID
    assert "Agent package: must be an Android package name" in a.errors.text()  # the field's label, not a key
    a.method.setCurrentIndex(a.method.findData("qr"))
    type_into(qtbot, a.package, "com.example.agent")
    type_into(qtbot, a.receiver, "com.example.agent/.AdminReceiver")
    type_into(qtbot, a.apk_url, "https://mdm.example.com/agent.apk")
    type_into(qtbot, a.sha256, "ab" * 32)
    click(qtbot, a.preview_button)
    assert a.errors.text() == ""
    assert a.qr.pixmap() is not None and not a.qr.pixmap().isNull()


def test_page_errors_in_japanese(at_page: Callable[[int], PrepareWizard], qtbot: QtBot,
                                 ui_language: Callable[[str], str]) -> None:
    ui_language("ja")
    wiz = at_page(P_SERVER)
    type_into(qtbot, wiz.server_page.url, "")
    click_next(qtbot, wiz)
    assert "空にはできません" in wiz.server_page.errors.text()


def test_errors_use_the_fields_labels_in_japanese(at_page: Callable[[int], PrepareWizard], qtbot: QtBot,
                                                  ui_language: Callable[[str], str]) -> None:
    ui_language("ja")
    wiz = at_page(P_SERVER)
    type_into(qtbot, wiz.server_page.name, "MDM")
    type_into(qtbot, wiz.server_page.url, "ftp://mdm.example.com/")
    click_next(qtbot, wiz)
    text = wiz.server_page.errors.text()
    assert text == "ホスト名または URL: https:// または http:// で始まる URL を指定してください", text
    assert wiz.server_page.errors.toolTip() == text  # the whole text is reachable


def test_android_errors_have_labels_not_keys(at_page: Callable[[int], PrepareWizard], qtbot: QtBot) -> None:
    wiz = at_page(P_ANDROID)
    a = wiz.android_page
    type_into(qtbot, a.package, "com.example.agent")
    type_into(qtbot, a.receiver, "com.example.agent/.R")
    type_into(qtbot, a.apk_url, "https://mdm.example.com/agent.apk")
    type_into(qtbot, a.sha256, "abc")
    click_next(qtbot, wiz)
    assert a.errors.text() == "APK SHA-256: must be 64 hexadecimal digits"
    assert "agent." not in a.errors.text()

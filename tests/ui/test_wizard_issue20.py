"""The wizard's apps, Galaxy settings and names pages, clicked through as a technician would.

Files are chosen in the pages' own file dialogs; what a page shows (bundle id, version, hash,
package, preview) is read from the files; each test ends with the blueprint the wizard wrote.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kitstation.blueprints.loader import load_blueprint
from kitstation.blueprints.wizard import answers_from
from kitstation.simulator.android.apk import build_apk
from kitstation.ui.qt import QFileDialog, QPushButton, QWidget, QWizard
from kitstation.ui.wizard import (
    P_ANDROID,
    P_ANDROID_APPS,
    P_GALAXY,
    P_IOS_APPS,
    P_METHOD,
    P_NAMES,
    P_SERVER,
    P_SUMMARY,
    PrepareWizard,
)
from tests.blueprints.test_wizard_issue20 import make_ipa
from tests.ui.helpers import click
from tests.ui.test_wizard import click_box, click_next, type_into

AGENT = "jp.kitstation.demoagent"


@pytest.fixture
def wizard(qtbot: QtBot) -> PrepareWizard:
    wiz = PrepareWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    return wiz


@pytest.fixture
def walk(wizard: PrepareWizard, qtbot: QtBot, demo_apk: Path) -> Callable[..., PrepareWizard]:
    """Fill the pages before ``target`` with valid answers for iOS (manual DEP) and/or a Device Owner Galaxy."""

    def go(target: int, ios: bool = True, android: bool = True) -> PrepareWizard:
        wiz = wizard
        m = wiz.method_page
        type_into(qtbot, m.name, "Issue 20")
        if not ios:
            click_box(qtbot, m.ios)
        if android:
            click_box(qtbot, m.android)
        while wiz.currentId() != target:
            page = wiz.currentId()
            if page == P_SERVER:
                type_into(qtbot, wiz.server_page.name, "MDM")
                type_into(qtbot, wiz.server_page.url, "https://mdm.example.com/x/")
            elif page == wiz.pageIds()[3]:  # organization
                type_into(qtbot, wiz.org_page.fields["name"], "ACME")
            elif page == wiz.pageIds()[4]:  # identity
                type_into(qtbot, wiz.identity_page.identity_name, "sup")
            elif page == P_ANDROID:
                a = wiz.android_page
                type_into(qtbot, a.apk_file, str(demo_apk))
                type_into(qtbot, a.package, AGENT)
                type_into(qtbot, a.receiver, f"{AGENT}/.AdminReceiver")
            click_next(qtbot, wiz)
            assert wiz.currentId() != page, wiz.currentPage().errors.text()  # type: ignore[attr-defined]
        return wiz

    return go


def choose_files(qtbot: QtBot, page: QWidget, button: QPushButton, paths: list[Path]) -> None:
    """Click the page's Add button and pick ``paths`` in the file dialog it opens."""
    click(qtbot, button)
    dialogs = [d for d in page.findChildren(QFileDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dlg = dialogs[0]
    dlg.setDirectory(str(paths[0].parent))
    dlg.selectFile(" ".join(f'"{p.name}"' for p in paths) if len(paths) > 1 else paths[0].name)
    dlg.accept()


def finish(qtbot: QtBot, wiz: PrepareWizard, out: Path) -> None:
    while wiz.currentId() != P_SUMMARY:
        before = wiz.currentId()
        click_next(qtbot, wiz)
        assert wiz.currentId() != before, wiz.currentPage().errors.text()  # type: ignore[attr-defined]
    type_into(qtbot, wiz.summary_page.path, str(out))
    with qtbot.waitSignal(wiz.saved):
        click(qtbot, wiz.button(QWizard.WizardButton.FinishButton))


def test_ios_apps_page_reads_the_ipa_and_writes_the_blueprint(
    walk: Callable[..., PrepareWizard], qtbot: QtBot, tmp_path: Path
) -> None:
    wiz = walk(P_IOS_APPS, android=False)
    page = wiz.ios_apps_page
    ipa = make_ipa(tmp_path / "Scanner.ipa", "com.example.scanner", "2.4.1")
    bad = tmp_path / "notes.ipa"
    bad.write_bytes(b"just text")
    with qtbot.waitSignal(page.read_done):
        choose_files(qtbot, page, page.add_button, [bad])
    assert "notes.ipa" in page.errors.text() and page.table.rowCount() == 0
    with qtbot.waitSignal(page.read_done):
        choose_files(qtbot, page, page.add_button, [ipa])
    digest = hashlib.sha256(ipa.read_bytes()).hexdigest()
    assert [page.table.item(0, c).text() for c in range(3)] == ["com.example.scanner", "2.4.1", digest]
    assert page.errors.text() == ""
    type_into(qtbot, page.remove, "com.example.scanner")  # installed and removed: refused
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_IOS_APPS and "both installed and removed" in page.errors.text()
    assert "Apps to remove" in page.errors.text() or "iOS apps" in page.errors.text()
    type_into(qtbot, page.remove, "com.example.old, com.example.older")
    click_box(qtbot, page.battery.enabled)
    page.battery.percent.setValue(60)
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_NAMES  # no Galaxy: straight to the names
    out = tmp_path / "bp" / "ios-apps.toml"
    finish(qtbot, wiz, out)
    bp = load_blueprint(out)
    assert bp.ios is not None and bp.ios.apps is not None
    app = bp.ios.apps.install[0]
    assert (app.bundle_id, app.version, app.sha256, bp.resolve(app.file)) == ("com.example.scanner", "2.4.1", digest, ipa)
    assert bp.ios.apps.remove == ["com.example.old", "com.example.older"]
    assert (bp.ios.min_battery_percent, bp.ios.battery_wait_minutes) == (60, 120)
    assert bp.android is None and bp.naming is None


def test_galaxy_settings_and_apps_pages(walk: Callable[..., PrepareWizard], qtbot: QtBot, tmp_path: Path) -> None:
    wiz = walk(P_GALAXY, ios=False)
    g = wiz.galaxy_page
    g.wifi.setChecked(True)
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_GALAXY and "Network name (SSID)" in g.errors.text()
    type_into(qtbot, g.ssid, "bench-net")
    g.secret.clear()  # a WPA2 network without the secret's name
    g.time_zone.setCurrentText("Tokyo")
    click_next(qtbot, wiz)
    text = g.errors.text()
    assert "Time zone: Tokyo is not a time zone" in text and "needs the name of the secret" in text
    assert "android.setup" not in text
    g.security.setCurrentIndex(g.security.findData("open"))
    assert not g.secret.isEnabled()  # an open network has no password
    g.time_zone.setCurrentText("Asia/Tokyo")
    g.timeout.setCurrentIndex(g.timeout.findData(600))
    g.stay_awake.setCurrentIndex(g.stay_awake.findData(True))
    click_box(qtbot, g.battery.enabled)
    g.battery.percent.setValue(40)
    g.battery.minutes.setValue(45)
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_ANDROID_APPS, g.errors.text()
    page = wiz.android_apps_page
    base = tmp_path / "scanner.apk"
    base.write_bytes(build_apk("com.example.scanner", None, version_code=42))
    split = tmp_path / "scanner-split_config.arm64_v8a.apk"
    split.write_bytes(build_apk("com.example.scanner", None, version_code=42, label="split"))
    other = tmp_path / "other.apk"
    other.write_bytes(build_apk("com.example.other", None, version_code=3))
    with qtbot.waitSignal(page.read_done):
        choose_files(qtbot, page, page.add_button, [base, other])
    assert "different apps" in page.errors.text() and page.table.rowCount() == 0
    with qtbot.waitSignal(page.read_done):
        choose_files(qtbot, page, page.add_button, [base, split])
    assert [page.table.item(0, c).text() for c in range(2)] == ["com.example.scanner", "42"]
    assert page.grant.isEnabled()  # the new app is selected: its permissions can be typed
    type_into(qtbot, page.grant, "android.permission.CAMERA, android.permission.RECORD_AUDIO")
    assert page.table.item(0, 3).text() == "android.permission.CAMERA, android.permission.RECORD_AUDIO"
    type_into(qtbot, page.remove, "com.example.bloat")
    out = tmp_path / "bp" / "galaxy.toml"
    finish(qtbot, wiz, out)
    bp = load_blueprint(out)
    a = bp.android
    assert a is not None and a.setup is not None and a.setup.wifi is not None and a.apps is not None
    assert (a.setup.wifi.ssid, a.setup.wifi.security, a.setup.wifi.password_secret) == ("bench-net", "open", None)
    assert (a.setup.time_zone, a.setup.screen_off_timeout_seconds, a.setup.stay_awake_while_charging) == (
        "Asia/Tokyo", 600, True)
    assert (a.min_battery_percent, a.battery_wait_minutes) == (40, 45)
    app = a.apps.install[0]
    assert [bp.resolve(f.file) for f in app.apks] == [base, split] and app.version_code == 42
    assert [f.sha256 for f in app.apks] == [hashlib.sha256(p.read_bytes()).hexdigest() for p in (base, split)]
    assert app.grant == ["android.permission.CAMERA", "android.permission.RECORD_AUDIO"]
    assert a.apps.remove == ["com.example.bloat"]
    # Edit: the saved blueprint fills the pages again.
    again = PrepareWizard()
    qtbot.addWidget(again)
    again.set_answers(answers_from(bp), out)
    assert again.galaxy_page.ssid.text() == "bench-net" and again.galaxy_page.timeout.currentData() == 600
    assert again.android_apps_page.table.item(0, 0).text() == "com.example.scanner"


def test_kme_skips_the_adb_pages(walk: Callable[..., PrepareWizard], qtbot: QtBot) -> None:
    wiz = walk(P_ANDROID, ios=False)
    a = wiz.android_page
    a.method.setCurrentIndex(a.method.findData("kme"))
    type_into(qtbot, a.profile_name, "ACME")
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_NAMES


def test_names_page_preview_csv_and_errors(
    walk: Callable[..., PrepareWizard], qtbot: QtBot, tmp_path: Path, ui_language: Callable[[str], str]
) -> None:
    wiz = walk(P_NAMES, android=False)
    page = wiz.names_page
    assert wiz.currentId() == P_NAMES and "keep their names" in page.preview.text()
    type_into(qtbot, page.pattern, "ACME-")
    click(qtbot, page.variable_buttons["{n:03}"])
    type_into_end = page.pattern.text()
    assert type_into_end == "ACME-{n:03}"
    page.start.setValue(7)
    assert "ACME-007" in page.preview.text() and "R58N12ABCDE" in page.preview.text()
    page.pattern.insert("-{asset_tag}")
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_NAMES
    assert "Name pattern: unknown variable {asset_tag} (import a CSV with that column)" in page.errors.text()
    csv = tmp_path / "assets.csv"
    csv.write_text("serial,asset_tag,room\nC39XK1,T-100,R1\nC39XK2,T-101,R2\nC39XK2,T-102,R3\n", encoding="utf-8-sig")
    type_into(qtbot, page.csv, str(csv))
    with qtbot.waitSignal(page.csv_read):
        click(qtbot, page.import_button)
    assert page.rows.rowCount() == 3 and page.rows.item(0, 1).text() == "T-100"
    assert [page.key.itemText(i) for i in range(page.key.count())] == ["serial", "asset_tag", "room"]
    assert "C39XK1 → ACME-007-T-100" in page.preview.text()
    assert "Key column: assets.csv: C39XK2 is in rows 3 and 4: one row per device" in page.errors.text()
    assert "{room}" in page.variable_buttons  # a button per column
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_NAMES
    # The technician fixes the file (the third box's serial was mistyped) and imports it again.
    csv.write_text("serial,asset_tag,room\nC39XK1,T-100,R1\nC39XK2,T-101,R2\nC39XK3,T-102,R3\n", encoding="utf-8-sig")
    with qtbot.waitSignal(page.csv_read):
        click(qtbot, page.import_button)
    assert page.errors.text() == "" and page.key.currentText() == "serial"
    click_next(qtbot, wiz)
    assert wiz.currentId() == P_SUMMARY, page.errors.text()
    assert "ACME-{n:03}-{asset_tag}" in wiz.summary_page.readable.text()
    out = tmp_path / "bp" / "names.toml"
    type_into(qtbot, wiz.summary_page.path, str(out))
    with qtbot.waitSignal(wiz.saved):
        click(qtbot, wiz.button(QWizard.WizardButton.FinishButton))
    bp = load_blueprint(out)
    assert bp.naming is not None
    assert (bp.naming.pattern, bp.naming.start, bp.resolve(bp.naming.csv), bp.naming.csv_key) == (
        "ACME-{n:03}-{asset_tag}", 7, csv, "serial")


def test_names_page_errors_in_japanese(qtbot: QtBot, tmp_path: Path, ui_language: Callable[[str], str]) -> None:
    assert ui_language("ja") == "ja"
    wiz = PrepareWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    page = wiz.names_page
    assert page.variable_buttons["{serial}"].text() == "シリアル番号"
    type_into(qtbot, page.pattern, "fixed")
    assert page.validatePage() is False
    assert page.errors.text().startswith("名前のパターン: ")
    bad = tmp_path / "x.csv"
    bad.write_text("serial,slot\nA,1\n", encoding="utf-8")
    type_into(qtbot, page.csv, str(bad))
    with qtbot.waitSignal(page.csv_read):
        click(qtbot, page.import_button)
    assert "列 slot は組み込み変数 {slot} と同じ名前です" in page.errors.text() and "名前の CSV" in page.errors.text()
    assert wiz.currentId() == P_METHOD


def test_galaxy_and_apps_errors_in_japanese(qtbot: QtBot, tmp_path: Path, ui_language: Callable[[str], str]) -> None:
    assert ui_language("ja") == "ja"
    wiz = PrepareWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    g = wiz.galaxy_page
    assert g.security.currentText() == "WPA2 パーソナル" and g.stay_awake.itemText(1) == "オン"
    g.time_zone.setCurrentText("Tokyo")
    assert g.validatePage() is False
    assert "タイムゾーン: Tokyo はタイムゾーンではありません（例: Asia/Tokyo）" in g.errors.text()
    page = wiz.ios_apps_page
    bad = tmp_path / "x.ipa"
    bad.write_bytes(b"nope")
    with qtbot.waitSignal(page.read_done):
        page.add_files([str(bad)])
    assert page.errors.text().startswith("x.ipa: iOS アプリ（.ipa）ではありません")

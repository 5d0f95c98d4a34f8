"""Translations: the .ts sources are complete, the Japanese UI shows no English, the switch applies at once."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kitstation.ui.controller import BenchController
from kitstation.ui.main_window import MainWindow
from kitstation.ui.qt import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    Qt,
    QTabWidget,
    QTreeWidget,
    QWidget,
    QWizard,
)
from kitstation.ui.settings import Settings
from kitstation.ui.translations import Translations, compile_translations, translations_dir
from kitstation.ui.wizard import PrepareWizard

# Names and acronyms a Japanese technician reads as they are (product names, standards, file types).
ALLOWED = {
    "iOS", "TOML", "Android", "IMEI", "URL", "MDM", "DEP", "KME", "QR", "APK", "ABM", "CSV", "JSON", "PDF", "Excel", "XLSX",
    "SHA", "SSID", "Wi", "Fi", "Samsung", "Galaxy", "KitStation", "USB", "adb", "Knox", "Mobile", "Enrollment",
    "Device", "Program", "Owner", "iPhone", "iPad", "ID", "Apple", "Configurator", "Touch", "Face", "Pay", "Siri",
    "True", "Tone", "App", "iCloud", "Watch", "Intelligence", "SQLite", "acme", "supervision", "CLOMO", "ACME",
    "mobileconfig", "toml", "WPA2", "WPA3", "WPA", "WEP", "Any", "None", "English", "Hub", "com", "example",
    "agent", "AdminReceiver", "https", "mdm", "customer", "p12", "pfx", "pem", "apk", "Account", "Store",
    "iMessage", "FaceTime", "Business", "Manager", "SIM",
}


def english_words(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", text.replace("&", ""))
    return [w for w in words if w not in ALLOWED and not (len(w) <= 2 and w.isupper())]


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    for w in [root, *root.findChildren(QWidget)]:
        name = type(w).__name__
        if w.isWindow() and w.windowTitle():
            yield name, w.windowTitle()
        if isinstance(w, QLabel):
            yield name, re.sub(r"<[^>]+>", " ", w.text())
        elif isinstance(w, QAbstractButton):
            yield name, w.text()
        elif isinstance(w, QLineEdit):
            yield name, w.placeholderText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield name, w.itemText(i)
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield name, w.tabText(i)
        elif isinstance(w, QTreeWidget):
            for c in range(w.columnCount()):
                yield name, w.headerItem().text(c)
            for i in range(w.topLevelItemCount()):
                item = w.topLevelItem(i)
                if item is not None:
                    yield name, item.text(0)
        for a in w.actions():
            yield "QAction", a.text()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_ts_sources_are_complete(lang: str) -> None:
    root = ET.parse(translations_dir() / f"kitstation_{lang}.ts").getroot()
    messages = list(root.iter("message"))
    assert len(messages) > 150
    for m in messages:
        tr = m.find("translation")
        source = m.findtext("source")
        assert tr is not None and tr.text, source
        assert tr.get("type") not in ("unfinished", "vanished", "obsolete"), source
        if lang == "ja" and english_words(source or ""):
            assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", tr.text), f"not Japanese: {tr.text!r}"


def test_qm_files_are_compiled() -> None:
    produced = {p.name for p in compile_translations()}
    assert {"kitstation_ja.qm", "kitstation_en.qm"} <= produced


def test_japanese_main_pages_show_no_english(qtbot: QtBot, ui_language: Callable[[str], str]) -> None:
    assert ui_language("ja") == "ja"
    win = MainWindow(BenchController(Settings()))
    qtbot.addWidget(win)
    wiz = PrepareWizard()
    qtbot.addWidget(wiz)
    found = []
    for root in (win, wiz):
        for kind, text in visible_texts(root):
            bad = english_words(text)
            if bad:
                found.append((kind, text, bad))
    for menu in win.menuBar().actions():
        if english_words(menu.text()):
            found.append(("menu", menu.text(), english_words(menu.text())))
    headers = [win.history_model.headerData(c, Qt.Orientation.Horizontal) for c in range(win.history_model.columnCount())]
    found += [("header", h, english_words(h)) for h in headers if english_words(h)]
    # Qt's own buttons come from qtbase_ja.qm.
    next_text = wiz.buttonText(QWizard.WizardButton.NextButton)
    assert "Next" not in next_text
    assert found == []
    assert win.tabs.tabText(0) == "ベンチ"


def test_language_switch_applies_at_once(qtbot: QtBot, qapp: object) -> None:
    translations = Translations(qapp)  # type: ignore[arg-type]
    settings = Settings()
    try:
        translations.switch("en")
        win = MainWindow(BenchController(settings), translations)
        qtbot.addWidget(win)
        assert win.tabs.tabText(0) == "Bench"
        win.switch_language("ja")
        assert win.tabs.tabText(0) == "ベンチ"
        assert win.bench_page.start_button.text() == "開始"
        win.switch_language("en")
        assert win.tabs.tabText(1) == "History"
    finally:
        translations.clear()
        from kitstation.i18n import set_language

        set_language(None)


def test_apples_japanese_terms_for_supervision(qtbot: QtBot, ui_language: Callable[[str], str]) -> None:
    """監視 / 監視対象 / 監視識別情報 as in Apple Configurator's Japanese UI, never 監督."""
    ts = (Path(__file__).resolve().parents[2] / "kitstation" / "data" / "translations" / "kitstation_ja.ts").read_text("utf-8")
    assert "監督" not in ts
    assert 'type="unfinished"' not in ts
    ui_language("ja")
    wiz = PrepareWizard()
    qtbot.addWidget(wiz)
    assert wiz.identity_page.title() == "監視識別情報"
    assert wiz.options_page.supervise.text() == "デバイスを監視対象にする"

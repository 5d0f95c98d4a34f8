"""Settings file, blueprint library and the reports dialog."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from kitstation import paths
from kitstation.blueprints.loader import loads_blueprint, save_blueprint
from kitstation.log import KitLog
from kitstation.ui.dialogs import LibraryDialog, ReportsDialog, SettingsDialog
from kitstation.ui.qt import QApplication, Qt
from kitstation.ui.settings import Settings
from kitstation.ui.wizard import PrepareWizard
from tests.ui.conftest import WAIT_BUDGET_MS

from .helpers import GuiThreadSql, click, fill_log, key, type_keys


def test_settings_round_trip_and_damaged_file() -> None:
    s = Settings(language="ja", technician="Sato", max_ios=12)
    path = s.save()
    assert path.parent == paths.config_dir()
    loaded = Settings.load()
    assert (loaded.language, loaded.technician, loaded.max_ios) == ("ja", "Sato", 12)
    assert "password" not in path.read_text() and "passphrase" not in path.read_text()
    path.write_text("{not json")
    assert Settings.load() == Settings()  # a damaged file never stops the station


def test_settings_dialog_saves_fields(qtbot: QtBot) -> None:
    s = Settings()
    dlg = SettingsDialog(s)
    qtbot.addWidget(dlg)
    dlg.technician.setText("Tanaka")
    dlg.erase.setValue(3)
    dlg.language.setCurrentIndex(dlg.language.findData("en"))
    dlg.sounds.setChecked(False)
    dlg.apply()
    data = json.loads(Settings.path().read_text())
    assert data["technician"] == "Tanaka" and data["limits"]["erase"] == 3 and data["language"] == "en"
    assert data["sounds"] is False


def test_library_lists_blueprints_and_hands_one_over(qtbot: QtBot, tmp_path: Path) -> None:
    bp = loads_blueprint('name = "Kiosk"\n[android]\nmethod = "qr"\n[android.qr]\ndownload_url = "https://x.example/a.apk"\nadmin_component = "com.ex.agent/.R"\n')
    save_blueprint(bp, paths.data_dir() / "blueprints" / "kiosk.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "x"\n[ios]\nmethod = "nope"\n')
    s = Settings(recent_blueprints=[str(broken)])
    dlg = LibraryDialog(s)
    qtbot.addWidget(dlg)
    assert dlg.list.count() == 2
    dlg.list.setCurrentRow([dlg.list.item(i).text() for i in range(2)].index(next(
        t for t in (dlg.list.item(i).text() for i in range(2)) if t.startswith("Kiosk"))))
    with qtbot.waitSignal(dlg.chosen) as blocker:
        dlg._use()
    assert blocker.args[0].name == "Kiosk"
    dlg.list.setCurrentRow([i for i in range(2) if "broken" in dlg.list.item(i).text()][0])
    dlg._use()
    assert "method" in dlg.problem.text()  # the reason, field by field


def test_reports_dialog_exports_with_progress(qtbot: QtBot, kitlog: KitLog, tmp_path: Path) -> None:
    fill_log(kitlog, runs=1_200)
    dlg = ReportsDialog(kitlog)
    qtbot.addWidget(dlg)
    dlg.format.setCurrentIndex(dlg.format.findData("csv"))
    out = tmp_path / "r.csv"
    dlg.path.setText(str(out))
    with qtbot.waitSignal(dlg.exported, timeout=60_000):
        click(qtbot, dlg.export_button)  # written off the GUI thread
    assert out.is_file()
    assert dlg.bar.value() == dlg.bar.maximum() and dlg.bar.maximum() >= 1_200
    assert str(out) in dlg.status.text()


async def test_scanned_box_labels_go_to_the_intake(kitlog: KitLog, qtbot: QtBot) -> None:
    from types import SimpleNamespace

    from kitstation.log.store import AsyncKitLog
    from kitstation.ui.bench_model import SlotModel
    from kitstation.ui.bench_view import BenchPage
    from kitstation.ui.controller import BenchController

    async def scan(text: str) -> str:
        """Type a box label and Enter as a scanner does; the sentence shown under the field."""
        page.scan_result.setText("")
        type_keys(qtbot, page.scan_field, text)
        key(qtbot, page.scan_field, "\r")
        deadline = asyncio.get_running_loop().time() + WAIT_BUDGET_MS / 1000
        while asyncio.get_running_loop().time() < deadline:  # the intake answers from the log's writer thread
            QApplication.processEvents()
            if page.scan_result.text():
                return page.scan_result.text()
            await asyncio.sleep(0.005)
        raise AssertionError("no answer from the intake")

    controller = BenchController(Settings())
    page = BenchPage(SlotModel())
    qtbot.addWidget(page)
    page.on_scan = controller.scan
    assert "Start the bench" in await scan("356938035643809")  # no bench: nothing recorded, and it says why
    station = kitlog.station("bench-1")
    writer = AsyncKitLog(kitlog)
    controller.bench = SimpleNamespace(kitlog=kitlog, log=writer,  # type: ignore[assignment]
                                       session_id=kitlog.start_session(station))
    with GuiThreadSql(kitlog.engine) as guard:
        assert "356938035643809" in await scan("356938035643809")
        assert page.scan_field.text() == ""  # ready for the next box
        assert "356938035643809" not in await scan("356938035643808")  # bad check digit
    guard.check()
    writer.close()


def test_library_marks_duplicates_and_deletes(qtbot: QtBot) -> None:
    bp = loads_blueprint('name = "Kiosk"\n[android]\nmethod = "qr"\n[android.qr]\ndownload_url = "https://x.example/a.apk"\nadmin_component = "com.ex.agent/.R"\n')
    kiosk = save_blueprint(bp, paths.data_dir() / "blueprints" / "kiosk.toml")
    other = save_blueprint(bp, paths.data_dir() / "blueprints" / "other.toml")
    s = Settings(blueprint_android=str(kiosk))
    dlg = LibraryDialog(s)
    qtbot.addWidget(dlg)
    dlg.show()
    texts = {dlg.list.item(i).data(Qt.ItemDataRole.UserRole): dlg.list.item(i).text() for i in range(dlg.list.count())}
    assert texts[str(kiosk)].startswith("● In use on the bench (Android)")
    assert not texts[str(other)].startswith("●")

    def select(path: Path) -> None:
        row = next(i for i in range(dlg.list.count()) if dlg.list.item(i).data(Qt.ItemDataRole.UserRole) == str(path))
        dlg.list.setCurrentRow(row)

    select(kiosk)
    click(qtbot, dlg.duplicate_button)
    copy = kiosk.with_name("kiosk-copy.toml")
    assert copy.is_file() and dlg.list.count() == 3
    click(qtbot, dlg.delete_button)  # the one in use: refused with a reason
    select(kiosk)
    click(qtbot, dlg.delete_button)
    assert "in use" in dlg.problem.text() and kiosk.is_file()
    select(copy)
    click(qtbot, dlg.delete_button)
    box = dlg.confirm
    assert box is not None and box.isVisible() and str(copy) in box.text()
    click(qtbot, box.no_button)
    assert copy.is_file()
    click(qtbot, dlg.delete_button)
    click(qtbot, dlg.confirm.yes_button)
    assert not copy.exists() and dlg.list.count() == 2


async def test_library_edit_reopens_the_wizard_filled_in(qtbot: QtBot, demo_apk: Path) -> None:
    from kitstation.blueprints.wizard import AndroidAnswers, WizardAnswers, save
    from kitstation.ui.controller import BenchController
    from kitstation.ui.main_window import MainWindow

    target = paths.data_dir() / "blueprints" / "galaxy.toml"
    save(WizardAnswers(name="Galaxy batch", customer="ACME", android=AndroidAnswers(
        method="device_owner", package="jp.kitstation.demoagent",
        admin_receiver="jp.kitstation.demoagent/.AdminReceiver", apk_file=str(demo_apk))), target)
    win = MainWindow(BenchController(Settings()))
    qtbot.addWidget(win)
    lib = win.open_library()
    lib.list.setCurrentRow(0)
    click(qtbot, lib.edit_button)
    deadline = asyncio.get_running_loop().time() + WAIT_BUDGET_MS / 1000
    while asyncio.get_running_loop().time() < deadline:  # the blueprint is read off the GUI thread
        QApplication.processEvents()
        if any(isinstance(d, PrepareWizard) for d in win.dialogs):
            break
        await asyncio.sleep(0.005)
    wiz = next(d for d in win.dialogs if isinstance(d, PrepareWizard))
    assert wiz.method_page.name.text() == "Galaxy batch" and wiz.method_page.customer.text() == "ACME"
    assert wiz.method_page.android.isChecked() and not wiz.method_page.ios.isChecked()
    assert wiz.android_page.package.text() == "jp.kitstation.demoagent"
    assert wiz.summary_page.path.text() == str(target)
    assert "edit" in wiz.windowTitle()


def test_reports_dialog_says_why_a_folder_cannot_be_made(qtbot: QtBot, kitlog: KitLog, tmp_path: Path) -> None:
    """A folder that can't be created ends in a reason, never a dialog stuck on "Exporting…"."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    dlg = ReportsDialog(kitlog)
    qtbot.addWidget(dlg)
    dlg.format.setCurrentIndex(dlg.format.findData("csv"))
    dlg.path.setText(str(blocker / "sub" / "r.csv"))
    with qtbot.waitSignal(dlg.exported, timeout=60_000) as sig:
        click(qtbot, dlg.export_button)
    assert sig.args[0] is None and sig.args[1]
    assert "could not be written" in dlg.status.text() and str(blocker) in dlg.status.text()
    assert dlg.export_button.isEnabled()
    assert not (blocker / "sub").exists()


def test_reports_dialog_puts_customer_order_and_title_in_the_report(
    qtbot: QtBot, kitlog: KitLog, tmp_path: Path
) -> None:
    import json as _json

    fill_log(kitlog, runs=5)
    dlg = ReportsDialog(kitlog)
    qtbot.addWidget(dlg)
    dlg.format.setCurrentIndex(dlg.format.findData("json"))
    out = tmp_path / "r.json"
    dlg.path.setText(str(out))
    type_keys(qtbot, dlg.title, "March batch")
    type_keys(qtbot, dlg.customer, "ACME")
    type_keys(qtbot, dlg.order_ref, "PO-77")
    with qtbot.waitSignal(dlg.exported, timeout=60_000):
        click(qtbot, dlg.export_button)
    report = _json.loads(out.read_text())["report"]
    assert report["customer"] == "ACME" and report["order_ref"] == "PO-77"
    assert dlg.options().title == "March batch"  # the PDF cover's title (JSON has no title)
    assert dlg.browse_button.isEnabled()

"""Settings file, blueprint library and the reports dialog."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from kitstation import paths
from kitstation.blueprints.loader import loads_blueprint, save_blueprint
from kitstation.log import KitLog
from kitstation.ui.dialogs import LibraryDialog, ReportsDialog, SettingsDialog
from kitstation.ui.qt import Qt
from kitstation.ui.settings import Settings

from .helpers import fill_log


def test_settings_round_trip_and_damaged_file() -> None:
    s = Settings(language="ja", technician="Sato", max_ios=12)
    path = s.save()
    assert path.parent == paths.config_dir()
    loaded = Settings.load()
    assert (loaded.language, loaded.technician, loaded.max_ios) == ("ja", "Sato", 12)
    assert "password" not in path.read_text() and "passphrase" not in path.read_text()
    path.write_text("{not json")
    assert Settings.load() == Settings()  # a damaged file never stops the station


def test_settings_dialog_saves_fields_and_slot_names(qtbot: QtBot) -> None:
    s = Settings()
    dlg = SettingsDialog(s, {"1-1.2": "1-1.2"})
    qtbot.addWidget(dlg)
    dlg.technician.setText("Tanaka")
    dlg.erase.setValue(3)
    dlg.language.setCurrentIndex(dlg.language.findData("en"))
    dlg.slot_names.setText("1-1.2=Hub A port 2, 1-1.3=Hub A port 3")
    names = dlg.apply()
    assert names == {"1-1.2": "Hub A port 2", "1-1.3": "Hub A port 3"}
    data = json.loads(Settings.path().read_text())
    assert data["technician"] == "Tanaka" and data["limits"]["erase"] == 3 and data["language"] == "en"


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
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)  # written off the GUI thread
    assert out.is_file()
    assert dlg.bar.value() == dlg.bar.maximum() and dlg.bar.maximum() >= 1_200
    assert str(out) in dlg.status.text()


def test_scanned_box_labels_go_to_the_intake(kitlog: KitLog, qtbot: QtBot) -> None:
    from types import SimpleNamespace

    from kitstation.ui.bench_model import SlotModel
    from kitstation.ui.bench_view import BenchPage
    from kitstation.ui.controller import BenchController

    controller = BenchController(Settings())
    page = BenchPage(SlotModel())
    qtbot.addWidget(page)
    page.on_scan = controller.scan
    qtbot.keyClicks(page.scan_field, "356938035643809")
    qtbot.keyClick(page.scan_field, "\r")
    assert "Start the bench" in page.scan_result.text()  # no bench: nothing recorded, and it says why
    station = kitlog.station("bench-1")
    controller.bench = SimpleNamespace(kitlog=kitlog, session_id=kitlog.start_session(station))  # type: ignore[assignment]
    qtbot.keyClicks(page.scan_field, "356938035643809")  # a scanner types the IMEI and Enter
    qtbot.keyClick(page.scan_field, "\r")
    assert "356938035643809" in page.scan_result.text()
    assert page.scan_field.text() == ""  # ready for the next box
    qtbot.keyClicks(page.scan_field, "356938035643808")  # bad check digit
    qtbot.keyClick(page.scan_field, "\r")
    assert "356938035643809" not in page.scan_result.text()


def test_reports_dialog_says_why_a_folder_cannot_be_made(qtbot: QtBot, kitlog: KitLog, tmp_path: Path) -> None:
    """A folder that can't be created ends in a reason, never a dialog stuck on "Exporting…"."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    dlg = ReportsDialog(kitlog)
    qtbot.addWidget(dlg)
    dlg.format.setCurrentIndex(dlg.format.findData("csv"))
    dlg.path.setText(str(blocker / "sub" / "r.csv"))
    with qtbot.waitSignal(dlg.exported, timeout=60_000) as sig:
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
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
    qtbot.keyClicks(dlg.title, "March batch")
    qtbot.keyClicks(dlg.customer, "ACME")
    qtbot.keyClicks(dlg.order_ref, "PO-77")
    with qtbot.waitSignal(dlg.exported, timeout=60_000):
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    report = _json.loads(out.read_text())["report"]
    assert report["customer"] == "ACME" and report["order_ref"] == "PO-77"
    assert dlg.options().title == "March batch"  # the PDF cover's title (JSON has no title)
    assert dlg.browse_button.isEnabled()

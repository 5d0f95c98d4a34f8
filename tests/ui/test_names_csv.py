"""The batch's names CSV in the GUI: imported from the bench, checked off the GUI thread, used by the runs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from kitstation.core.bench import SlotState
from kitstation.ui.bench_model import NAME_ROLE
from kitstation.ui.qt import QFileDialog, Qt
from tests.ui.helpers import click

EXAMPLES = Path(__file__).resolve().parents[2] / "kitstation" / "data" / "examples"


def named_blueprint(tmp: Path, naming: str = 'pattern = "{asset_tag}"') -> Path:
    """The demo manual-DEP blueprint (no Wi-Fi, the station's own identity) renaming from a CSV column."""
    text = (EXAMPLES / "ios-supervised-dep.toml").read_text(encoding="utf-8")
    text = text.split("[ios.supervision_identity]")[0].replace('"files/', f'"{EXAMPLES}/files/')
    path = tmp / "named.toml"
    path.write_text(f"{text}\n[naming]\n{naming}\n", encoding="utf-8")
    return path


def window(tmp: Path, **settings: Any) -> Any:
    from kitstation.ui.controller import BenchController
    from kitstation.ui.main_window import MainWindow
    from kitstation.ui.settings import Settings

    return MainWindow(BenchController(Settings(**settings), db=str(tmp / "kit.db")))


def choose_file(qtbot: QtBot, win: Any, path: Path) -> None:
    """Click "Import names CSV…" and pick ``path`` in the file dialog, as the technician does."""
    click(qtbot, win.bench_page.names_button)
    dlg = win.dialogs[-1]
    assert isinstance(dlg, QFileDialog) and dlg.isVisible()
    dlg.selectFile(str(path))
    dlg.accept()


async def test_imported_csv_names_a_simulated_iphone(qtbot: QtBot, tmp_path: Path) -> None:
    from kitstation.station import SimulationPlan

    win = window(tmp_path, blueprint_ios=str(named_blueprint(tmp_path)), auto_apply=False)
    qtbot.addWidget(win)
    await win.start_bench(SimulationPlan(ios=1, speed=2000.0))
    bench = win.controller.bench
    station: Any = win.controller.station
    assert bench is not None and station is not None
    try:
        assert await bench.wait_until(
            lambda b: len(b.slots) == 1 and all(v.state == SlotState.READY for v in b.slots.values()), 120
        )
        iphone = station.ios_sim.devices[0]
        before = iphone.device_name
        csv = tmp_path / "assets.csv"
        csv.write_text(f"serial,asset_tag\n{iphone.serial},営業-A-001\nOTHER,経理-B-002\n", encoding="utf-8-sig")
        with qtbot.waitSignal(win.controller.namesChanged):
            choose_file(qtbot, win, csv)
        assert win.bench_page.names_label.text() == "Names: assets.csv (2 rows)"
        assert "Key column: serial" in win.bench_page.names_label.toolTip()
        assert bench.config.names_csv == csv.resolve()
        slots = list(bench.slots)
        await win.controller.apply(slots)
        assert await bench.wait_until(
            lambda b: all(v.state in (SlotState.DONE, SlotState.WAITING_EXTERNAL, SlotState.FAILED)
                          for v in b.slots.values()), 120
        )
        view = bench.slots[slots[0]]
        assert view.state != SlotState.FAILED, view.reason
        assert before != "営業-A-001" and iphone.device_name == "営業-A-001"
        rows = await asyncio.to_thread(bench.kitlog.history, limit=1)  # never SQL on the GUI thread
        assert rows[0]["device_name"] == "営業-A-001"
        # The tile shows the name (read from the run off the GUI thread), and so does History.
        model = win.slot_model
        qtbot.waitUntil(lambda: model.rowCount() == 1 and model.device_name(model.view_at(0)) == "営業-A-001")
        assert model.index(0).data(NAME_ROLE) == "営業-A-001"
        assert "Name: 営業-A-001" in model.index(0).data(Qt.ItemDataRole.ToolTipRole)
        history = win.history_model
        with qtbot.waitSignal(history.loaded):
            history.reload()
        col = [k for k, _ in history.cols].index("device_name")
        assert history.headerData(col, Qt.Orientation.Horizontal) == "Device name"
        assert history.data(history.index(0, col)) == "営業-A-001"
    finally:
        await win.controller.stop()


async def test_a_bad_csv_is_refused_in_the_ui_language_and_the_old_one_stays(
    qtbot: QtBot, tmp_path: Path, ui_language: Callable[[str], str]
) -> None:
    ui_language("ja")
    win = window(tmp_path, blueprint_ios=str(named_blueprint(tmp_path)))
    qtbot.addWidget(win)
    good = tmp_path / "good.csv"
    good.write_text("serial,asset_tag\nS1,A\n", encoding="utf-8")
    with qtbot.waitSignal(win.controller.namesChanged):
        choose_file(qtbot, win, good)
    assert win.bench_page.names_label.text() == "名前: good.csv（1 行）"
    bad = tmp_path / "bad.csv"
    bad.write_text("serial,asset_tag\nS1,A\ns 1,B\n", encoding="utf-8")
    with qtbot.waitSignal(win.controller.namesFailed):
        choose_file(qtbot, win, bad)
    banner = win.bench_page.banner.text()
    assert "名前の CSV を読み込みませんでした" in banner and "bad.csv: s 1 が 2 行目と 3 行目にあります" in banner
    # The pattern's column missing from the file: the preflight's own words, before any device.
    missing = tmp_path / "missing.csv"
    missing.write_text("serial,room\nS1,R1\n", encoding="utf-8")
    with qtbot.waitSignal(win.controller.namesFailed):
        choose_file(qtbot, win, missing)
    assert "{asset_tag}" in win.bench_page.banner.text()
    assert win.controller.names_csv is not None and win.controller.names_csv.path == good.resolve()
    assert win.bench_page.names_label.text() == "名前: good.csv（1 行）"


async def test_a_csv_without_a_renaming_blueprint_is_refused(qtbot: QtBot, tmp_path: Path) -> None:
    win = window(tmp_path)
    qtbot.addWidget(win)
    csv = tmp_path / "assets.csv"
    csv.write_text("serial,asset_tag\nS1,A\n", encoding="utf-8")
    with qtbot.waitSignal(win.controller.namesFailed):
        choose_file(qtbot, win, csv)
    assert "No chosen blueprint renames devices" in win.bench_page.banner.text()
    assert win.controller.names_csv is None and not win.bench_page.names_label.isVisible()

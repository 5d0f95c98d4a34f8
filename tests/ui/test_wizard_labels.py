"""*Log → Print labels…*: the session's devices handed to the labels renderer off the GUI thread.

Until the labels renderer is part of the build, the dialog must say so (never a silent nothing);
a stand-in renderer module shows what the dialog hands over once it is there.
"""

from __future__ import annotations

import importlib.machinery
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kitstation.blueprints.loader import loads_blueprint
from kitstation.domain.model import Device, Platform, RunStatus
from kitstation.log import KitLog
from kitstation.ui import labels
from kitstation.ui.controller import BenchController
from kitstation.ui.labels import LabelsDialog
from kitstation.ui.main_window import MainWindow
from kitstation.ui.settings import Settings
from tests.ui.helpers import GuiThreadSql, click
from tests.ui.test_wizard import type_into

BP = ('name = "Labels BP"\n[android]\nmethod = "qr"\n[android.qr]\ndownload_url = "https://x.example/a.apk"\n'
      'admin_component = "com.ex.agent/.R"\n')


def session_with_runs(kitlog: KitLog, serials: list[str]) -> int:
    station = kitlog.station("bench-1")
    session = kitlog.start_session(station, label="batch")
    bp_id = kitlog.blueprint(loads_blueprint(BP))
    for serial in serials:
        device_id = kitlog.upsert_device(Device(Platform.ANDROID, key=serial, serial=serial))
        run = kitlog.start_run(device_id, bp_id, station, "android", session_id=session)
        kitlog.end_run(run, RunStatus.OK)
    return session


@pytest.fixture
def renderer(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[dict[str, Any]], str, Path]]:
    """A stand-in ``render_labels`` under a module name of its own: it records the call and writes the file."""
    calls: list[tuple[list[dict[str, Any]], str, Path]] = []
    name = "tests_stand_in_labels"
    mod = types.ModuleType(name)
    mod.__spec__ = importlib.machinery.ModuleSpec(name, None)

    def render_labels(rows: list[dict[str, Any]], size: str, out_path: Path) -> None:
        calls.append((rows, size, out_path))
        out_path.write_bytes(b"%PDF-1.7\n")

    mod.render_labels = render_labels  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, name, mod)
    monkeypatch.setattr(labels, "LABELS_MODULE", name)
    return calls


def test_the_menu_says_labels_are_missing_from_this_build(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    monkeypatch.setattr(labels, "LABELS_MODULE", "kitstation.reports.no_such_labels_module")
    win = MainWindow(BenchController(Settings()))
    qtbot.addWidget(win)
    action = next(a for m in win.menuBar().actions() for a in m.menu().actions() if a.text() == "Print labels…")
    action.trigger()
    dlg = next(d for d in win.findChildren(LabelsDialog))
    type_into(qtbot, dlg.path, str(tmp_path / "labels.pdf"))
    with qtbot.waitSignal(dlg.printed):
        click(qtbot, dlg.print_button)
    assert dlg.status.text() == "Labels are not available in this build."
    assert not (tmp_path / "labels.pdf").exists()


def test_labels_of_a_session_are_rendered_off_the_gui_thread(
    qtbot: QtBot, kitlog: KitLog, tmp_path: Path, renderer: list[tuple[list[dict[str, Any]], str, Path]]
) -> None:
    session = session_with_runs(kitlog, ["R1", "R2", "R3"])
    other = session_with_runs(kitlog, ["R9"])
    dlg = LabelsDialog(kitlog, session)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.session.value() == session
    out = tmp_path / "labels.pdf"
    dlg.label_size.setCurrentIndex(dlg.label_size.findData("a4-3x8"))
    type_into(qtbot, dlg.path, str(tmp_path / "labels.txt"))
    with qtbot.waitSignal(dlg.printed):
        click(qtbot, dlg.print_button)
    assert "ending in .pdf" in dlg.status.text() and renderer == []
    type_into(qtbot, dlg.path, str(out))
    with GuiThreadSql(kitlog.engine) as guard, qtbot.waitSignal(dlg.printed):
        click(qtbot, dlg.print_button)
    guard.check()  # the log was read on its executor, not on the GUI thread
    assert dlg.status.text() == f"3 labels written to {out}"
    rows, size, path = renderer[0]
    assert sorted(r["serial"] for r in rows) == ["R1", "R2", "R3"] and size == "a4-3x8" and path == out
    assert out.read_bytes().startswith(b"%PDF")
    dlg.session.setValue(other + 1)  # a session that does not exist
    with qtbot.waitSignal(dlg.printed):
        click(qtbot, dlg.print_button)
    assert dlg.status.text() == f"Session {other + 1} has no devices to label." and len(renderer) == 1

"""``kitstation --simulate N`` through the real CLI entry: the window opens, the station starts on
simulated devices with the built-in demo blueprint, and every device is prepared; errors go to the
log file and a banner, never a traceback on screen."""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kitstation.core.bench import SlotState
from kitstation.domain.model import Platform
from kitstation.ui import app as ui_app
from kitstation.ui.errors import ErrorReporter, log_file, setup_file_logging, teardown_file_logging
from kitstation.ui.qt import Qt
from tests.ui.conftest import WAIT_BUDGET_MS


def test_kitstation_simulate_prepares_every_device(
    qtbot: QtBot, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kitstation.cli.main import main as cli_main

    seen: dict[str, Any] = {}

    def on_window(win: Any) -> None:
        async def watch() -> None:
            try:
                deadline = asyncio.get_running_loop().time() + WAIT_BUDGET_MS / 1000
                while win.controller.bench is None:  # the bench starts once the window is up
                    assert asyncio.get_running_loop().time() < deadline, "no bench"
                    await asyncio.sleep(0.05)
                bench = win.controller.bench
                seen["ok"] = await bench.wait_until(
                    lambda b: len(b.slots) == 4 and all(v.state.is_final for v in b.slots.values()), timeout=120
                )
                win.slot_model.refresh()
                seen["states"] = [v.state for v in win.slot_model.views()]
                model = win.slot_model
                seen["heads"] = {
                    model.index(row).data(int(Qt.ItemDataRole.DisplayRole)): v.platform
                    for row, v in enumerate(model.views())
                }
                seen["blueprints"] = win.bench_page.blueprints_label.text()
                seen["banner"] = win.bench_page.banner.text()
            finally:
                win.close()

        win.run(watch())

    monkeypatch.setattr(ui_app, "main", functools.partial(ui_app.main, on_window=on_window))
    assert cli_main(["--simulate", "4", "--lang", "en"]) == 0
    assert seen["ok"], seen
    # Galaxy: done. iOS (manual DEP demo): the station's part done, awaiting ABM assignment.
    expected = {SlotState.DONE, SlotState.WAITING_EXTERNAL}
    assert len(seen["states"]) == 4 and set(seen["states"]) == expected
    assert "Galaxy Device Owner" in seen["blueprints"]
    # Every tile heads with its place, Galaxy ones too (their USB path, not the adb serial).
    galaxy_heads = [h for h, p in seen["heads"].items() if p == Platform.ANDROID]
    assert len(galaxy_heads) == 2 and all(h.startswith("Hub 3-") and "Port" in h for h in galaxy_heads), seen
    assert all(h.startswith("Hub ") for h in seen["heads"]), seen
    assert "Simulated bench" in seen["banner"]


def test_unhandled_errors_go_to_the_log_and_a_banner(qtbot: QtBot) -> None:
    setup_file_logging()
    try:
        reporter = ErrorReporter()
        with qtbot.waitSignal(reporter.problem) as blocker:
            try:
                raise RuntimeError("disk full")
            except RuntimeError as exc:
                reporter.excepthook(RuntimeError, exc, exc.__traceback__)
        assert "disk full" in blocker.args[0] and str(log_file()) in blocker.args[0]
        assert "Traceback" not in blocker.args[0]
        loop = asyncio.new_event_loop()
        try:
            with qtbot.waitSignal(reporter.problem):
                reporter.loop_handler(loop, {"message": "task died", "exception": ValueError("bad value")})
        finally:
            loop.close()
        logging.getLogger().handlers[-1].flush()
        text = log_file().read_text()
        assert "Traceback" in text and "disk full" in text and "bad value" in text
    finally:
        teardown_file_logging()


def test_simulated_bench_runs_the_wizards_blueprint(
    qtbot: QtBot, qapp: object, monkeypatch: pytest.MonkeyPatch, demo_apk: Any
) -> None:
    """A blueprint made in the wizard (both platforms), chosen for the bench, prepares every device."""
    from kitstation import paths
    from kitstation.cli.main import main as cli_main
    from kitstation.ui.settings import Settings
    from kitstation.ui.wizard import PrepareWizard

    wiz = PrepareWizard()
    qtbot.addWidget(wiz)
    m = wiz.method_page
    m.name.setText("Wizard batch")
    m.android.setChecked(True)
    wiz.server_page.name.setText("MDM")
    wiz.server_page.url.setText("https://mdm.example.com/acme/")
    wiz.org_page.fields["name"].setText("ACME")
    wiz.identity_page.identity_name.setText("wizard-sup")
    wiz.network_page.wifi.setChecked(True)
    wiz.network_page.ssid.setText("kitting")
    wiz.android_page.apk_file.setText(str(demo_apk))
    wiz.android_page.package.setText("jp.kitstation.demoagent")
    wiz.android_page.receiver.setText("jp.kitstation.demoagent/.AdminReceiver")
    wiz.show()
    for _ in range(8):
        wiz.next()
    target = paths.data_dir() / "blueprints" / "wizard.toml"
    wiz.summary_page.path.setText(str(target))
    with qtbot.waitSignal(wiz.saved, timeout=30_000):
        wiz.summary_page.validatePage()  # saved off the GUI thread; the wizard closes when written
    assert target.is_file(), wiz.summary_page.errors.text()
    Settings(blueprint_ios=str(target), blueprint_android=str(target)).save()

    seen: dict[str, Any] = {}

    def on_window(win: Any) -> None:
        async def watch() -> None:
            try:
                deadline = asyncio.get_running_loop().time() + WAIT_BUDGET_MS / 1000
                while win.controller.bench is None:  # the bench starts once the window is up
                    assert asyncio.get_running_loop().time() < deadline, "no bench"
                    await asyncio.sleep(0.05)
                bench = win.controller.bench
                seen["ok"] = await bench.wait_until(
                    lambda b: len(b.slots) == 4 and all(v.state.is_final for v in b.slots.values()), timeout=120
                )
                seen["views"] = {v.slot: (v.platform.value, v.state, v.reason) for v in bench.slots.values()}
                seen["names"] = win.controller.names()
            finally:
                win.close()

        win.run(watch())

    monkeypatch.setattr(ui_app, "main", functools.partial(ui_app.main, on_window=on_window))
    assert cli_main(["--simulate", "4", "--lang", "en"]) == 0
    assert seen["ok"], seen
    assert seen["names"] == {"ios": "Wizard batch", "android": "Wizard batch"}
    states = {p: {s for (pp, s, _r) in seen["views"].values() if pp == p} for p in ("ios", "android")}
    assert states["android"] == {SlotState.DONE}, seen["views"]
    assert states["ios"] == {SlotState.WAITING_EXTERNAL}, seen["views"]  # manual DEP: awaiting ABM


async def test_a_station_that_cannot_start_says_so_in_a_banner(qtbot: QtBot, tmp_path: Any) -> None:
    from kitstation.ui.controller import BenchController
    from kitstation.ui.main_window import MainWindow
    from kitstation.ui.settings import Settings

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")  # the database's folder is a file: opening the log fails
    win = MainWindow(BenchController(Settings(), db=f"sqlite:///{blocker}/kitlog.sqlite3"))
    qtbot.addWidget(win)
    await win.start_bench(0)
    text = win.bench_page.banner.text()
    assert "could not start" in text and "Traceback" not in text
    assert win.bench_page.start_button.isEnabled()  # the technician can fix the setting and retry
    assert not win.controller.running

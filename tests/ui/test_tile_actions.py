"""Acting on tiles as a technician does: right-click menus, bulk selection, shortcuts, the timeline
(every time), blueprint choice starting Ready devices, and the confirmations for Stop, Quit and a
blueprint swap — over a real Bench and log with scripted devices (fast and deterministic)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kitstation.blueprints import loads_blueprint
from kitstation.core.bench import Bench, BenchConfig, SlotState
from kitstation.core.pipeline import RetryPolicy
from kitstation.domain.model import Platform
from kitstation.log import KitLog
from kitstation.ui.controller import BenchController
from kitstation.ui.main_window import MainWindow
from kitstation.ui.qt import QApplication, QDialogButtonBox, QLineEdit, QMenu, Qt
from kitstation.ui.settings import Settings
from kitstation.ui.tile_actions import TileAction
from kitstation.ui.timeline import TimelineDialog
from tests.core.scripted import ScriptedAdapter, ScriptedDevice
from tests.ui.conftest import WAIT_BUDGET_MS
from tests.ui.helpers import GuiThreadSql, cell, click, key

BP = loads_blueprint('name = "Batch A"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "p"\n')
BP2 = loads_blueprint('name = "Batch B"\n[android]\nmethod = "kme"\n[android.kme]\nprofile_name = "q"\n')


class Rig:
    """A main window over a started bench of scripted phones (``rig.bench``, ``rig.win``, ``rig.adapter``)."""

    def __init__(self, win: MainWindow, bench: Bench, adapter: ScriptedAdapter) -> None:
        self.win, self.bench, self.adapter = win, bench, adapter
        self.page = win.bench_page

    def state(self, slot: str) -> SlotState:
        return self.bench.slots[slot].state

    async def until(self, pred: Any, timeout: float = 30) -> None:
        assert await self.bench.wait_until(pred, timeout=timeout), {k: v.state for k, v in self.bench.slots.items()}
        self.win.slot_model.refresh()

    async def qt_until(self, pred: Any, timeout: float = WAIT_BUDGET_MS / 1000) -> None:
        """Wait for a condition that needs both loops: Qt's (queued signals) and asyncio's (the bench)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not pred():
            assert loop.time() < deadline, "condition not reached"
            QApplication.processEvents()
            await asyncio.sleep(0.01)

    def click_tile(self, qtbot: QtBot, slot: str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        rect = self.page.tile_rect(slot)
        click(qtbot, self.page.tiles.viewport(), rect.center(), modifier)

    def menu_for(self, qtbot: QtBot, slot: str) -> QMenu:
        """Right-click a tile: the menu that opens."""
        rect = self.page.tile_rect(slot)
        self.page._context_menu(rect.center())  # what customContextMenuRequested calls
        menu = self.page.menu
        assert isinstance(menu, QMenu)
        qtbot.waitUntil(menu.isVisible)
        return menu

    def choose(self, qtbot: QtBot, menu: QMenu, action: TileAction) -> None:
        qa = self.page.tile_actions.actions[action]
        assert qa.isEnabled(), f"{action} disabled"
        click(qtbot, menu, menu.actionGeometry(qa).center())


@pytest.fixture
async def rig(qtbot: QtBot, kitlog: KitLog) -> AsyncIterator[Any]:
    made: list[tuple[Bench, MainWindow]] = []

    async def make(devices: list[ScriptedDevice], *, auto_apply: bool = False, blueprint: Any = BP,
                   max_active: int = 32) -> Rig:
        adapter = ScriptedAdapter(steps=("one", "two", "three"))
        config = BenchConfig(
            blueprints={Platform.ANDROID: blueprint} if blueprint is not None else {},
            auto_apply=auto_apply,
            retry=RetryPolicy(attempts=1, backoff=0.01),
            max_active={Platform.ANDROID: max_active, Platform.IOS: max_active},
            identify_retry=0.05,
        )
        bench = Bench(kitlog, [adapter], config)
        controller = BenchController(Settings(auto_apply=auto_apply))
        if blueprint is not None:
            controller.blueprints[Platform.ANDROID] = blueprint
        win = MainWindow(controller)
        qtbot.addWidget(win)
        win.resize(1400, 900)
        win.show()
        win.activateWindow()  # shortcuts only reach the active window
        qtbot.waitUntil(win.isActiveWindow)
        await bench.start()
        controller.bench = bench  # what controller.start() does after starting the station
        win._on_started()
        made.append((bench, win))
        for d in devices:
            adapter.plug(d)
        return Rig(win, bench, adapter)

    yield make
    for bench, win in made:
        win.slot_model.attach(None)
        if win.controller.bench is not None:
            win.controller.bench = None
            await bench.stop()


def devices(n: int, **kw: Any) -> list[ScriptedDevice]:
    return [ScriptedDevice(f"SER{i:03d}", f"1-1.{i + 1}", **kw) for i in range(n)]


async def test_menu_apply_retry_rerun_and_bulk(rig: Any, qtbot: QtBot) -> None:
    devs = devices(3)
    devs[1].fail_permanent = {"two"}
    r = await rig(devs)
    await r.until(lambda b: len(b.slots) == 3 and all(v.state == SlotState.READY for v in b.slots.values()))
    s0, s1, s2 = (d.location for d in devs)

    # One tile: the menu offers Apply (and not Retry / Cancel); choosing it starts only that phone.
    r.click_tile(qtbot, s0)
    menu = r.menu_for(qtbot, s0)
    acts = r.page.tile_actions.actions
    assert acts[TileAction.APPLY].isEnabled()
    assert not acts[TileAction.RETRY].isEnabled() and not acts[TileAction.CANCEL].isEnabled()
    r.choose(qtbot, menu, TileAction.APPLY)
    await r.until(lambda b: b.slots[s0].state == SlotState.DONE)
    assert r.state(s1) == r.state(s2) == SlotState.READY  # the others were not touched

    # Bulk: select all, the shortcut applies to the two Ready ones.
    r.page.tiles.setFocus()
    r.page.tiles.selectAll()
    key(qtbot, r.page.tiles, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    await r.until(lambda b: b.slots[s1].state == SlotState.FAILED and b.slots[s2].state == SlotState.DONE)

    # Retry on the failed one: a new run (and it fails again: the fault is still there).
    first_run = r.bench.slots[s1].run_id
    r.click_tile(qtbot, s1)
    menu = r.menu_for(qtbot, s1)
    assert not acts[TileAction.APPLY].isEnabled() and acts[TileAction.RETRY].isEnabled()
    r.choose(qtbot, menu, TileAction.RETRY)
    await r.until(lambda b: b.slots[s1].run_id != first_run and b.slots[s1].state == SlotState.FAILED)

    # Re-run even if done: the done phone runs its steps again (forced), each one once more.
    before = list(devs[0].done_log)
    r.click_tile(qtbot, s0)
    menu = r.menu_for(qtbot, s0)
    r.choose(qtbot, menu, TileAction.RERUN)
    await r.until(lambda b: len(devs[0].done_log) == 2 * len(before) and b.slots[s0].state == SlotState.DONE)

    # A bulk menu over done + failed tiles counts what each entry would act on.
    r.click_tile(qtbot, s0)
    r.click_tile(qtbot, s1, Qt.KeyboardModifier.ControlModifier)
    r.click_tile(qtbot, s2, Qt.KeyboardModifier.ControlModifier)
    assert {v.slot for v in r.page.selected_views()} == {s0, s1, s2}
    menu = r.menu_for(qtbot, s2)
    assert acts[TileAction.RETRY].text().endswith("(1)") and acts[TileAction.RERUN].text().endswith("(3)")
    menu.close()

    # Copy serial / IMEI of the selection.
    key(qtbot, r.page.tiles, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text().split("\n") == ["SER000", "SER001", "SER002"]


async def test_cancel_from_the_menu(rig: Any, qtbot: QtBot) -> None:
    devs = devices(2, hang_in={"two"})  # step two waits until the cable is pulled: in progress
    r = await rig(devs, auto_apply=True)
    s0, s1 = (d.location for d in devs)
    await r.until(lambda b: len(b.slots) == 2 and all(v.state == SlotState.WORKING for v in b.slots.values()))
    r.click_tile(qtbot, s0)
    menu = r.menu_for(qtbot, s0)
    r.choose(qtbot, menu, TileAction.CANCEL)
    await r.until(lambda b: b.slots[s0].state == SlotState.CANCELLED)
    assert r.state(s1) == SlotState.WORKING


def open_timeline_once(r: Rig, qtbot: QtBot) -> None:
    key(qtbot, r.page.tiles, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dlg = r.page.open_dialogs[-1]
    assert isinstance(dlg, TimelineDialog) and dlg.isVisible()
    table = dlg.table
    qtbot.waitUntil(lambda: table.rowCount() == 3)
    # A test adapter's steps have no catalogued title: shown as they are, never hidden.
    assert [cell(table, i, 0) for i in range(3)] == ["t.one", "t.two", "t.three"]
    assert {cell(table, i, 3) for i in range(3)} == {"Done"}  # the outcome in words
    dlg.reject()
    qtbot.waitUntil(lambda: dlg not in r.page.open_dialogs)
    r.win.activateWindow()  # the offscreen platform leaves no window active after a dialog closes
    qtbot.waitUntil(r.win.isActiveWindow)


async def test_timeline_opens_every_time_and_is_translated(rig: Any, qtbot: QtBot) -> None:
    devs = devices(1)
    r = await rig(devs, auto_apply=True)
    s0 = devs[0].location
    await r.until(lambda b: len(b.slots) == 1 and b.slots[s0].state == SlotState.DONE)
    r.click_tile(qtbot, s0)
    for _ in range(3):  # the second open used to fail with "C++ object already deleted"
        open_timeline_once(r, qtbot)
    assert r.page.open_dialogs == []


async def test_choosing_a_blueprint_starts_ready_devices(rig: Any, qtbot: QtBot) -> None:
    devs = devices(2)
    r = await rig(devs, auto_apply=True, blueprint=None)  # no blueprint yet: the phones wait, Ready
    await r.until(lambda b: len(b.slots) == 2 and all(v.state == SlotState.READY for v in b.slots.values()))
    r.win.use_blueprint(BP)
    assert r.win.pending_confirm is None  # nothing to swap: no question
    await r.until(lambda b: all(v.state == SlotState.DONE for v in b.slots.values()))


async def test_swapping_a_running_benchs_blueprint_asks_first(rig: Any, qtbot: QtBot) -> None:
    devs = devices(2, hang_in={"two"})
    r = await rig(devs, auto_apply=True)
    await r.until(lambda b: len(b.slots) == 2 and all(v.state == SlotState.WORKING for v in b.slots.values()))
    r.win.use_blueprint(BP2)
    box = r.win.pending_confirm
    assert box is not None and box.isVisible() and "Batch A" in box.text() and "Batch B" in box.text()
    click(qtbot, box.no_button)
    assert r.win.controller.blueprints[Platform.ANDROID].name == "Batch A"
    r.win.use_blueprint(BP2)
    click(qtbot, r.win.pending_confirm.yes_button)
    assert r.win.controller.blueprints[Platform.ANDROID].name == "Batch B"
    assert r.bench.config.blueprints[Platform.ANDROID].name == "Batch B"


async def test_stop_asks_and_leaves_tiles_in_their_real_state(rig: Any, qtbot: QtBot) -> None:
    devs = devices(3, hang_in={"two"})
    devs[2].hang_in = set()
    r = await rig(devs, auto_apply=True)
    await r.until(lambda b: len(b.slots) == 3 and b.slots[devs[2].location].state == SlotState.DONE
                  and sum(v.state == SlotState.WORKING for v in b.slots.values()) == 2)
    click(qtbot, r.page.stop_button)
    box = r.win.pending_confirm
    assert box is not None and box.isVisible() and "2" in box.text()
    click(qtbot, box.no_button)  # "Keep running"
    assert r.win.controller.running
    click(qtbot, r.page.stop_button)
    click(qtbot, r.win.pending_confirm.yes_button)
    await r.qt_until(lambda: not r.win.controller.running and r.page.start_button.isEnabled())
    states = {v.slot: v.state for v in r.win.slot_model.views()}
    assert states[devs[2].location] == SlotState.DONE
    assert states[devs[0].location] == states[devs[1].location] == SlotState.INTERRUPTED  # not frozen "Working"


async def test_quit_asks_while_devices_are_prepared(rig: Any, qtbot: QtBot) -> None:
    devs = devices(1, hang_in={"two"})
    r = await rig(devs, auto_apply=True)
    await r.until(lambda b: len(b.slots) == 1 and b.slots[devs[0].location].state == SlotState.WORKING)
    r.win.close()
    assert r.win.isVisible()
    box = r.win.pending_confirm
    assert box is not None and box.isVisible()
    click(qtbot, box.no_button)
    assert r.win.isVisible() and r.win.controller.running
    r.win.close()
    closed: list[bool] = []
    r.win.closed.connect(lambda: closed.append(True))
    click(qtbot, r.win.pending_confirm.yes_button)
    await r.qt_until(lambda: bool(closed))
    assert not r.win.controller.running and not r.win.isVisible()


def test_timeline_titles_and_outcomes_in_japanese(ui_language: Any) -> None:
    from kitstation.ui.timeline import outcome_text, step_title

    ui_language("ja")
    assert step_title("ios.erase").ja == "デバイスを消去"
    assert step_title("android.device_owner").ja == "エージェントをデバイスオーナーに設定"
    assert step_title("ios.profile.2").ja == "プロファイル 2 をインストール"
    assert step_title("ios.profile.wifi").en == "Install the Wi-Fi profile"
    assert outcome_text("waiting_external") == "ABM／KME 待ち" and outcome_text(None) == "実行中"
    assert step_title("vendor.custom").en == "vendor.custom"


async def test_port_map_names_slots_in_the_log_and_prints_labels(rig: Any, qtbot: QtBot, kitlog: KitLog,
                                                                 tmp_path: Any) -> None:
    devs = [ScriptedDevice("SERB", "1-1.10"), ScriptedDevice("SERA", "1-1.2")]
    r = await rig(devs, auto_apply=True)
    await r.until(lambda b: len(b.slots) == 2 and all(v.state == SlotState.DONE for v in b.slots.values()))
    dlg = r.win.open_port_map()
    qtbot.waitUntil(lambda: dlg.table.rowCount() == 2)
    # Ordered by hub and port (port 2 before port 10), hub and port split out of the USB location.
    assert [cell(dlg.table, i, 0) for i in range(2)] == ["1-1.2", "1-1.10"]
    assert [cell(dlg.table, 0, c) for c in (1, 2)] == ["1-1", "2"]
    # Edit a name as a person does: double-click the cell, type, Enter; then OK.
    name_item = dlg.table.item(0, 3)
    assert name_item is not None
    dlg.table.editItem(name_item)
    editors = dlg.table.findChildren(QLineEdit)
    assert len(editors) == 1
    editor = editors[0]
    qtbot.keyClicks(editor, "Hub A-2")  # type: ignore[no-untyped-call]
    other = dlg.table.item(1, 0)
    assert other is not None
    click(qtbot, dlg.table.viewport(), dlg.table.visualItemRect(other).center())  # clicking away commits the edit
    assert dlg.changed() == {"1-1.2": "Hub A-2"}
    click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))
    await r.qt_until(lambda: kitlog.slot_names(r.bench.station_id or 0).get("1-1.2") == "Hub A-2")
    r.win.slot_model.refresh()
    assert {v.slot: v.label for v in r.win.slot_model.views()}["1-1.2"] == "Hub A-2"  # the tile shows it

    # Labels: a PDF, written off the GUI thread.
    dlg2 = r.win.open_port_map()
    qtbot.waitUntil(lambda: dlg2.table.rowCount() == 2 and cell(dlg2.table, 0, 3) == "Hub A-2")
    out = tmp_path / "labels.pdf"
    with qtbot.waitSignal(dlg2.printed, timeout=30_000) as sig:
        dlg2.print_to(out)
    assert sig.args == [str(out), ""]
    assert out.read_bytes().startswith(b"%PDF")
    dlg2.reject()


async def test_no_database_call_on_the_gui_thread_during_a_64_device_batch(rig: Any, qtbot: QtBot,
                                                                           kitlog: KitLog) -> None:
    """The GUI thread also drives every device: the whole batch, the History tab and a timeline
    run their SQL elsewhere (the log's writer thread, the GUI's database executor)."""
    with GuiThreadSql(kitlog.engine) as guard:
        devs = devices(64)
        for d in devs[::9]:
            d.fail_permanent = {"three"}
        r = await rig(devs, auto_apply=True)
        await r.until(lambda b: len(b.slots) == 64 and all(v.state.is_final for v in b.slots.values()), timeout=120)
        r.win.tabs.setCurrentIndex(1)  # History: count and first page
        await r.qt_until(lambda: r.win.history_model.total == 64)
        r.win.tabs.setCurrentIndex(0)
        r.click_tile(qtbot, devs[0].location)
        key(qtbot, r.page.tiles, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
        dlg = r.page.open_dialogs[-1]
        await r.qt_until(lambda: dlg.table.rowCount() == 3)
        failed = [v for v in r.bench.slots.values() if v.state == SlotState.FAILED]
        assert len(failed) == len(devs[::9])
        assert r.page.counters["failed"].value == str(len(failed))
        assert r.page.counters["total"].value == "64"
    guard.check()

"""The bench window shows the blueprint check under the blueprint names; a broken one erases nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from kitstation.core.bench import SlotState

EXAMPLES = Path(__file__).resolve().parents[2] / "kitstation" / "data" / "examples"


def broken_blueprints(tmp: Path) -> tuple[Path, Path]:
    """iOS: an identity this station lacks; Android: an admin receiver the APK does not declare."""
    ios = (EXAMPLES / "ios-supervise.toml").read_text(encoding="utf-8").replace('"files/', f'"{EXAMPLES}/files/')
    android = (EXAMPLES / "android-device-owner.toml").read_text(encoding="utf-8")
    android = android.replace(".AdminReceiver", ".NoSuchReceiver").replace('"files/', f'"{EXAMPLES}/files/')
    (tmp / "ios.toml").write_text(ios, encoding="utf-8")
    (tmp / "android.toml").write_text(android, encoding="utf-8")
    return tmp / "ios.toml", tmp / "android.toml"


async def test_a_broken_blueprint_is_refused_before_any_erase(
    qtbot: QtBot, tmp_path: Path, ui_language: Callable[[str], str]
) -> None:
    from kitstation.station import SimulationPlan
    from kitstation.ui.controller import BenchController
    from kitstation.ui.main_window import MainWindow
    from kitstation.ui.settings import Settings

    ui_language("ja")
    ios, android = broken_blueprints(tmp_path)
    win = MainWindow(BenchController(Settings(blueprint_ios=str(ios), blueprint_android=str(android))))
    qtbot.addWidget(win)
    await win.start_bench(SimulationPlan(ios=1, android=1, speed=2000.0))
    bench = win.controller.bench
    station: Any = win.controller.station
    assert bench is not None and station is not None
    try:
        assert await bench.wait_until(
            lambda b: len(b.slots) == 2 and all(v.state == SlotState.FAILED for v in b.slots.values()), 120
        )
        assert {v.code for v in bench.slots.values()} == {"preflight_failed"}
        label = win.bench_page.preflight_label
        text = label.text()
        assert label.isVisible() or not win.isVisible()
        assert "iOS: ブループリントが事前チェックに失敗しました" in text, text
        assert "Android: ブループリントが事前チェックに失敗しました" in text, text
        assert "監視識別情報: " in text and "管理レシーバー: " in text
        assert "c62828" in label.styleSheet()  # shown as a failure
        # The simulators' own state: the iPhone was never erased, the Galaxy has no agent.
        iphone = station.ios_sim.devices[0]
        galaxy = station.android_sim.devices[0]
        assert iphone.erase_count == 0
        assert "jp.kitstation.demoagent" not in galaxy.installed_packages and galaxy.device_owner is None
    finally:
        await win.controller.stop()

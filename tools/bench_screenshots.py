"""Screenshots of a 64-device simulated bench for docs/screenshots (issue 17), taken as the X server shows them.

Run once per language and screen size under a virtual X server (fonts-noto-cjk for Japanese)::

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/bench_screenshots.py ja 1600 1000
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/bench_screenshots.py en 1366 768

The pictures are grabbed from the X root window with ImageMagick's ``import`` (so open menus and
dialogs are in them, as a person sees the screen). At 1600×1000 the script also shows a tile's
action menu over a selection, a timeline and the hub / port map. Everything the station writes
goes to a temporary data directory; only PNG files land in docs/screenshots.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def _isolate() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="kitstation-shots-"))
    for name in ("KITSTATION_DATA_DIR", "KITSTATION_CONFIG_DIR", "KITSTATION_LOG_DIR"):
        os.environ[name] = str(tmp / name.lower())
    os.environ.pop("KITSTATION_DB", None)


async def settle(seconds: float = 0.4) -> None:
    """Let Qt lay out and paint (never processEvents() inside a coroutine under qasync)."""
    await asyncio.sleep(seconds)


def shoot(name: str) -> None:
    subprocess.run(["import", "-window", "root", str(OUT / name)], check=True)
    print(OUT / name)


async def run(lang: str, width: int, height: int) -> None:
    from kitstation.core.bench import SlotState
    from kitstation.station import SimulationPlan
    from kitstation.ui.app import build_window
    from kitstation.ui.tile_order import TileOrder

    class Args:
        db = None
        simulate = 64

    Args.lang = lang  # type: ignore[attr-defined]
    w = build_window(Args())
    w.settings.sounds = False
    w.move(0, 0)
    w.resize(width, height)
    w.show()
    size = f"{width}x{height}"
    try:
        # Faults so the pictures show failures and devices waiting for the technician.
        faults = ("3:account", "7:unauthorized", "12:account", "1:trust=pending", "9:error=install-profile-silent")
        await w.start_bench(SimulationPlan(ios=32, android=32, speed=12.0, faults=faults))
        bench = w.controller.bench
        if bench is None:
            raise SystemExit(f"the bench did not start: {w.bench_page.banner.text()}")
        await bench.wait_until(
            lambda b: len(b.slots) >= 64
            and sum(v.state.is_final for v in b.slots.values()) >= 20
            and any(v.state == SlotState.WORKING for v in b.slots.values())
            and any(v.state == SlotState.FAILED for v in b.slots.values()),
            timeout=600,
        )
        w.slot_model.refresh()
        await settle()
        shoot(f"bench64-{size}-{lang}.png")
        page = w.bench_page
        page.order.setCurrentIndex(page.order.findData(TileOrder.ATTENTION.value))
        await settle()
        shoot(f"bench64-{size}-attention-{lang}.png")
        page.compact.setChecked(True)
        await settle()
        shoot(f"bench64-{size}-compact-{lang}.png")
        page.compact.setChecked(False)
        if width < 1600:
            return
        # A selection of three tiles and the action menu over it.
        page.tiles.setFocus()
        for row in range(3):
            page.tiles.selectionModel().select(
                page.proxy.index(row, 0), page.tiles.selectionModel().SelectionFlag.Select
            )
        rect = page.tiles.visualRect(page.proxy.index(1, 0))
        page._context_menu(rect.center())
        await settle()
        shoot(f"tile-menu-{lang}.png")
        page.menu.close()
        # The timeline of a finished device.
        finished = [v for v in w.slot_model.views() if v.state.is_final and v.run_id is not None]
        done = next((v for v in finished if v.platform.value == "ios"), finished[0])
        dlg = page.open_timeline(done)
        dlg.move(200, 150)
        await settle(1.0)
        shoot(f"timeline-{lang}.png")
        dlg.reject()
        pm = w.open_port_map()
        pm.move(200, 100)
        await settle(1.0)
        shoot(f"portmap-{lang}.png")
        pm.reject()
    finally:
        try:
            await asyncio.wait_for(w.controller.stop(), 60)
        except TimeoutError:
            print("warning: the station did not stop within 60 s", file=sys.stderr)
        w.quit_now()


def main() -> int:
    import qasync

    from kitstation.ui.app import make_app, release_thread_pool, use_thread_pool

    lang, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    _isolate()
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_app()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    executor = use_thread_pool(loop)
    try:
        loop.run_until_complete(run(lang, width, height))
    finally:
        release_thread_pool(loop, executor)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # PySide6 can crash collecting Qt wrappers at exit after a qasync loop; the files are written


if __name__ == "__main__":
    sys.exit(main())

"""Screenshot of the bench refusing a broken blueprint (issue 17) for docs/screenshots, as X shows it.

Run once per language under a virtual X server (fonts-noto-cjk for Japanese)::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/preflight_screenshot.py ja
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/preflight_screenshot.py en

Two simulated devices (an iPhone, a Galaxy) with blueprints that fail their check (an identity
the station lacks, an admin receiver the APK does not declare): the check's problems are under
the blueprint names and both tiles say nothing was done. Everything the station writes goes to
a temporary directory; only the PNG lands in docs/screenshots.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_screenshots import OUT, ROOT, _isolate, settle, shoot  # noqa: E402

EXAMPLES = ROOT / "kitstation" / "data" / "examples"


def broken_blueprints(tmp: Path) -> tuple[Path, Path]:
    ios = (EXAMPLES / "ios-supervise.toml").read_text(encoding="utf-8").replace('"files/', f'"{EXAMPLES}/files/')
    android = (EXAMPLES / "android-device-owner.toml").read_text(encoding="utf-8")
    android = android.replace(".AdminReceiver", ".NoSuchReceiver").replace('"files/', f'"{EXAMPLES}/files/')
    (tmp / "ios.toml").write_text(ios, encoding="utf-8")
    (tmp / "android.toml").write_text(android, encoding="utf-8")
    return tmp / "ios.toml", tmp / "android.toml"


async def run(lang: str) -> None:
    from kitstation.core.bench import SlotState
    from kitstation.station import SimulationPlan
    from kitstation.ui.app import build_window

    class Args:
        db = None
        simulate = 2

    Args.lang = lang  # type: ignore[attr-defined]
    w = build_window(Args())
    ios, android = broken_blueprints(Path(tempfile.mkdtemp(prefix="kitstation-bp-")))
    w.settings.sounds = False
    w.controller.settings.blueprint_ios = str(ios)
    w.controller.settings.blueprint_android = str(android)
    w.controller._load_chosen()
    w.move(0, 0)
    w.resize(1366, 768)
    w.show()
    try:
        await w.start_bench(SimulationPlan(ios=1, android=1, speed=20.0))
        bench = w.controller.bench
        if bench is None:
            raise SystemExit(f"the bench did not start: {w.bench_page.banner.text()}")
        await bench.wait_until(
            lambda b: len(b.slots) == 2 and all(v.state == SlotState.FAILED for v in b.slots.values()), timeout=300
        )
        w.slot_model.refresh()
        await settle(1.0)
        shoot(f"preflight-failure-{lang}.png")
    finally:
        try:
            await asyncio.wait_for(w.controller.stop(), 60)
        except TimeoutError:
            print("warning: the station did not stop within 60 s", file=sys.stderr)
        w.quit_now()


def main() -> int:
    import qasync

    from kitstation.ui.app import make_app, release_thread_pool, use_thread_pool

    _isolate()
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_app()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    executor = use_thread_pool(loop)
    try:
        loop.run_until_complete(run(sys.argv[1]))
    finally:
        release_thread_pool(loop, executor)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # as in bench_screenshots.py: PySide6 may crash collecting wrappers after qasync


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots of the GUI for docs/screenshots: the bench mid-batch, every wizard page, history.

Run under a virtual X server (fonts-noto-cjk installed, so Japanese renders without tofu)::

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/screenshots.py

The bench is a real simulated bench (Station(simulate=...)) with two faults so the pictures show
a failure and a device waiting for the technician. Everything is written to a temporary data
directory; only the PNG files land in docs/screenshots.
"""

from __future__ import annotations

import asyncio
import os
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


async def bench_shot(window: object, lang: str, ios: bool) -> None:
    from kitstation.core.bench import SlotState
    from kitstation.station import SimulationPlan

    w = window
    controller = w.controller  # type: ignore[attr-defined]
    # Faults so the picture shows a failure and devices waiting for the technician: Galaxy #2 has an
    # account (Device Owner refused), Galaxy #3 waits for "Allow USB debugging", iPhone #1 for "Trust".
    faults = ("2:account", "3:unauthorized", "1:trust=pending")
    plan = SimulationPlan(ios=4 if ios else 0, android=4 if ios else 8, speed=3.0, faults=faults)
    await w.start_bench(plan)  # type: ignore[attr-defined]
    bench = controller.bench
    assert bench is not None
    await bench.wait_until(
        lambda b: len(b.slots) >= 8
        and any(v.state.is_final for v in b.slots.values())
        and any(v.state == SlotState.WORKING for v in b.slots.values())
        and any(v.state == SlotState.WAITING_USER for v in b.slots.values()),
        timeout=90,
    )
    w.slot_model.refresh()  # type: ignore[attr-defined]
    await settle()
    save(w, f"bench-{lang}.png")
    await bench.wait_until(lambda b: not any(v.state == SlotState.WORKING for v in b.slots.values()), timeout=60)
    w.slot_model.refresh()  # type: ignore[attr-defined]


async def settle() -> None:
    """Let Qt lay out and paint. Never QApplication.processEvents() inside a coroutine: it runs other
    asyncio callbacks re-entrantly under qasync, and a task woken that way is never woken again."""
    await asyncio.sleep(0.15)


def save(widget: object, name: str) -> None:
    widget.grab().save(str(OUT / name))  # type: ignore[attr-defined]
    print(OUT / name)


async def wizard_shots(parent: object, lang: str) -> None:
    from kitstation.simulator.android import demo_agent_apk
    from kitstation.ui.qt import Qt
    from kitstation.ui.wizard import (
        P_ANDROID,
        P_IDENTITY,
        P_METHOD,
        P_NETWORK,
        P_OPTIONS,
        P_ORG,
        P_SERVER,
        P_SKIP,
        P_SUMMARY,
        PrepareWizard,
    )

    apk = Path(tempfile.mkdtemp()) / "agent.apk"
    apk.write_bytes(demo_agent_apk())
    wiz = PrepareWizard()
    wiz.resize(900, 680)
    wiz.show()
    m = wiz.method_page
    m.name.setText("CLOMO ACME 2026" if lang == "en" else "CLOMO ACME 2026年春")
    m.customer.setText("ACME 株式会社")
    m.order_ref.setText("PO-2026-0412")
    m.android.setChecked(True)
    names = ["method", "options", "server", "organization", "identity", "setup-assistant", "network", "android",
             "summary"]
    ids = dict(zip(names, (P_METHOD, P_OPTIONS, P_SERVER, P_ORG, P_IDENTITY, P_SKIP, P_NETWORK, P_ANDROID, P_SUMMARY),
                   strict=True))
    fills = {
        "server": lambda: (wiz.server_page.name.setText("CLOMO MDM"),
                           wiz.server_page.url.setText("https://mdm.example.com/acme.co.jp/"),
                           wiz.server_page.set_chain([("CN=ACME Root CA,O=ACME", "x"), ("CN=mdm.example.com", "y")]),
                           wiz.server_page.certs.item(0).setCheckState(Qt.CheckState.Checked)),
        "organization": lambda: (wiz.org_page.fields["name"].setText("ACME 株式会社"),
                                 wiz.org_page.fields["department"].setText("情報システム部"),
                                 wiz.org_page.fields["phone"].setText("03-1234-5678")),
        "identity": lambda: wiz.identity_page.identity_name.setText("acme-supervision"),
        "network": lambda: (wiz.network_page.wifi.setChecked(True), wiz.network_page.ssid.setText("kitting-5G")),
        "android": lambda: (wiz.android_page.method.setCurrentIndex(2),
                            wiz.android_page.apk_url.setText("https://mdm.example.com/agent.apk"),
                            wiz.android_page.apk_file.setText(str(apk)),
                            wiz.android_page.package.setText("jp.kitstation.demoagent"),
                            wiz.android_page.receiver.setText("jp.kitstation.demoagent/.AdminReceiver"),
                            wiz.android_page.preview()),
    }
    for i, name in enumerate(names):
        fill = fills.get(name)
        if fill is not None:
            fill()
        if name == "server":
            # The anchors above are placeholders for the picture: untick before the summary writes files.
            pass
        await settle()
        save(wiz, f"wizard-{i + 1}-{name}-{lang}.png")
        if name == "server":
            wiz.server_page.certs.clear()
        if i < len(names) - 1:
            # Through the pages not pictured here (apps, Galaxy settings, names: see
            # tools/wizard_issue20_screenshots.py) to the next one that is.
            target = ids[names[i + 1]]
            for _ in range(len(ids) + 4):
                wiz.next()
                if wiz.currentId() == target:
                    break
    wiz.close()


async def history_shot(window: object, lang: str) -> None:
    w = window
    w.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
    w.history_model.reload()  # type: ignore[attr-defined]
    await settle()
    save(w, f"history-{lang}.png")
    w.tabs.setCurrentIndex(0)  # type: ignore[attr-defined]


async def run(lang: str) -> None:
    from kitstation.ui.app import build_window

    class Args:
        db = None
        simulate = 8

    Args.lang = lang  # type: ignore[attr-defined]
    window = build_window(Args())
    window.resize(1500, 940)
    window.show()
    try:
        await bench_shot(window, lang, True)
        await wizard_shots(window, lang)
        await history_shot(window, lang)
    finally:
        try:
            await asyncio.wait_for(window.controller.stop(), 30)
        except TimeoutError:
            print("warning: the station did not stop within 30 s", file=sys.stderr)
        window.close()


def main() -> int:
    import subprocess

    langs = sys.argv[1:] or ["ja", "en"]
    if len(langs) > 1:
        # One process per language: a fresh QApplication, translators and simulators each time.
        return max(subprocess.call([sys.executable, __file__, lang]) for lang in langs)
    import qasync

    from kitstation.ui.app import make_app, release_thread_pool, use_thread_pool

    _isolate()
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_app()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    executor = use_thread_pool(loop)
    try:
        loop.run_until_complete(run(langs[0]))
    finally:
        release_thread_pool(loop, executor)
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter finalization: PySide6 can crash while garbage-collecting Qt wrappers at exit
    # after a qasync loop ran, and the pictures are already written.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())

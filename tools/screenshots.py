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
    faults = ("2:account", "5:unauthorized")
    plan = SimulationPlan(ios=4 if ios else 0, android=4 if ios else 8, speed=1.0, faults=faults)
    original = controller.start

    async def start_with_plan(simulate: int = 0) -> object:
        import kitstation.ui.controller as c

        real = c.BenchController.start
        # The controller takes a device count; the screenshots want faults too, so pass the plan.
        station_cls = __import__("kitstation.station", fromlist=["Station"]).Station
        orig_init = station_cls.__init__

        def init(self: object, **kw: object) -> None:
            kw["simulate"] = plan
            orig_init(self, **kw)  # type: ignore[arg-type]

        station_cls.__init__ = init  # type: ignore[method-assign]
        try:
            return await real(controller, simulate or 8)
        finally:
            station_cls.__init__ = orig_init  # type: ignore[method-assign]

    controller.start = start_with_plan
    await w.start_bench(8)  # type: ignore[attr-defined]
    controller.start = original
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
    await asyncio.sleep(0.3)
    save(w, f"bench-{lang}.png")
    await bench.wait_until(lambda b: not any(v.state == SlotState.WORKING for v in b.slots.values()), timeout=120)
    w.slot_model.refresh()  # type: ignore[attr-defined]


def save(widget: object, name: str) -> None:
    from kitstation.ui.qt import QApplication

    QApplication.processEvents()
    widget.grab().save(str(OUT / name))  # type: ignore[attr-defined]
    print(OUT / name)


def wizard_shots(parent: object, lang: str) -> None:
    from kitstation.simulator.android import demo_agent_apk
    from kitstation.ui.qt import QApplication, Qt
    from kitstation.ui.wizard import PrepareWizard

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
        QApplication.processEvents()
        save(wiz, f"wizard-{i + 1}-{name}-{lang}.png")
        if name == "server":
            wiz.server_page.certs.clear()
        if i < len(names) - 1:
            wiz.next()
    wiz.close()


def history_shot(window: object, lang: str) -> None:
    w = window
    w.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
    w.history_model.reload()  # type: ignore[attr-defined]
    save(w, f"history-{lang}.png")
    w.tabs.setCurrentIndex(0)  # type: ignore[attr-defined]


async def run(lang: str) -> None:
    from kitstation.ui.app import build_window
    from kitstation.ui.controller import ios_available

    class Args:
        db = None
        simulate = 8

    Args.lang = lang  # type: ignore[attr-defined]
    window = build_window(Args())
    window.resize(1500, 940)
    window.show()
    try:
        await bench_shot(window, lang, ios_available())
        wizard_shots(window, lang)
        history_shot(window, lang)
    finally:
        await window.controller.stop()
        window.close()


def main() -> int:
    import qasync

    from kitstation.ui.app import make_app

    _isolate()
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_app()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    langs = sys.argv[1:] or ["ja", "en"]
    with loop:
        for lang in langs:
            loop.run_until_complete(run(lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())

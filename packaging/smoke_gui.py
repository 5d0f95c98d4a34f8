"""Smoke test of an installed station's window: run it offscreen on a simulated bench, check what it shows.

Run by packaging/smoke_wheel.sh (and packaging/pyinstaller/build.sh's checks) with the installed
interpreter in an empty folder (``python -I``: nothing from the checkout can be imported):

    LANG=ja_JP.UTF-8 QT_QPA_PLATFORM=offscreen python -I smoke_gui.py ja 4

It starts the real GUI entry point (``kitstation.ui.app.main``) as ``kitstation --simulate N``
does, with the language taken from the locale, waits (on the window's own state, up to a
deadline) until the bench shows N simulated devices, then checks that the window title, the
menus and the first tab are in the expected language and that the demo blueprints (package data)
were loaded for both platforms, and closes the window. Prints one line per check; exit 0 only if
all passed.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from typing import Any

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
DEADLINE_S = 180.0  # a slow, shared machine; the wait ends as soon as the bench is up


def main() -> int:
    lang, count = sys.argv[1], int(sys.argv[2])
    import kitstation
    from kitstation.ui import app as gui
    from kitstation.ui.qt import QTimer

    print(f"smoke-gui: kitstation from {kitstation.__file__}")
    results: dict[str, Any] = {}
    started = time.monotonic()

    def on_window(window: Any) -> None:
        def poll() -> None:
            bench = window.controller.bench
            up = bench is not None and len(bench.slots) >= count
            if not up and time.monotonic() - started < DEADLINE_S:
                QTimer.singleShot(100, poll)
                return
            results["up"] = up
            results["slots"] = len(bench.slots) if bench is not None else 0
            results["title"] = window.windowTitle()
            results["menus"] = [a.text() for a in window.menuBar().actions()]
            results["tab0"] = window.tabs.tabText(0)
            results["blueprints"] = window.controller.names()
            results["icon"] = not window.windowIcon().isNull()
            # The demo bench may already be preparing a device (auto-apply): a plain close()
            # would then ask "Quit KitStation?" in a dialog nobody answers here (seen: two CI
            # runs under load waited on it forever). Quit as a technician who said "Quit" does.
            window.quit_now()

        QTimer.singleShot(0, poll)

    # lang=None: the language comes from the locale (LANG), as when a technician starts it.
    code = gui.main(argparse.Namespace(lang=None, simulate=count, db=None), on_window=on_window)
    checks: list[tuple[str, bool, Any]] = [
        ("window closed cleanly", code == 0, code),
        (f"bench shows {count} simulated devices", bool(results.get("up")), results.get("slots")),
        ("demo blueprints for iOS and Galaxy", set(results.get("blueprints", {})) == {"ios", "android"}, results.get("blueprints")),
        ("window icon set", bool(results.get("icon")), results.get("icon")),
    ]
    title, menus, tab0 = results.get("title", ""), results.get("menus", []), results.get("tab0", "")
    if lang == "ja":
        checks += [
            ("title in Japanese", bool(JAPANESE.search(title)), title),
            ("every menu in Japanese", bool(menus) and all(JAPANESE.search(m) for m in menus), menus),
            ("first tab in Japanese", tab0 == "ベンチ", tab0),
        ]
    else:
        checks += [
            ("title in English", title == "KitStation — kitting station", title),
            ("menus in English", bool(menus) and not any(JAPANESE.search(m) for m in menus), menus),
            ("first tab in English", tab0 == "Bench", tab0),
        ]
    failed = 0
    for name, ok, seen in checks:
        failed += not ok
        print(f"smoke-gui [{lang}]: {'ok  ' if ok else 'FAIL'} {name}: {seen}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

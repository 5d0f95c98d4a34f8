"""The GUI entry point: one QApplication, one qasync loop, the main window, the station.

``kitstation`` (no command) calls :func:`main` with the CLI's arguments (``.db``, ``.lang``,
``.simulate``). With ``--simulate N`` the bench starts at once on N simulated devices; without
it the bench starts on real devices and, if none is attached after a few seconds, the window
offers the simulated bench.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from kitstation import paths
from kitstation.ui.qt import QApplication, QFont, QIcon, QTimer

log = logging.getLogger(__name__)

NO_DEVICE_GRACE_MS = 6000


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv or [sys.argv[0]])
    app.setApplicationName("KitStation")
    app.setOrganizationName("KitStation")
    app.setWindowIcon(QIcon(str(paths.resource("icons", "kitstation.svg"))))  # package data (qsvgicon engine)
    # Bench text is read from arm's length: start from a larger base font than the desktop default.
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.1)
    app.setFont(font)
    return app


def build_window(args: Any) -> Any:
    """The main window with translations, settings and error reporting wired (no loop started)."""
    from kitstation.ui.controller import BenchController
    from kitstation.ui.errors import ErrorReporter, setup_file_logging
    from kitstation.ui.main_window import MainWindow
    from kitstation.ui.settings import Settings
    from kitstation.ui.translations import Translations

    app = make_app()
    setup_file_logging()
    settings = Settings.load()
    translations = Translations(app)
    translations.switch(getattr(args, "lang", None) or settings.language)
    errors = ErrorReporter()
    from kitstation.ui import ops

    ops.unhandled = lambda exc: errors.report(exc, "background operation")
    controller = BenchController(settings, db=getattr(args, "db", None))
    # The window keeps the reporter (``window.errors``) alive for as long as it lives.
    return MainWindow(controller, translations, errors)


def use_thread_pool(loop: asyncio.AbstractEventLoop) -> ThreadPoolExecutor:
    """Give the qasync loop the executor ``asyncio.run`` would have (the CLI's), not qasync's 10 QThreads.

    The station runs blocking work (log writes, simulator start/stop, adb calls) in the default
    executor; with many devices at once ten workers can all be busy, and then even stopping the
    station waits for a free one.
    """
    executor = ThreadPoolExecutor(max_workers=min(64, (os.cpu_count() or 1) + 32), thread_name_prefix="kitstation")
    loop.set_default_executor(executor)
    return executor


def release_thread_pool(loop: asyncio.AbstractEventLoop, executor: ThreadPoolExecutor) -> None:
    """Let the window close without waiting for a device call stuck in a worker (it ends on its own)."""
    executor.shutdown(wait=False, cancel_futures=True)
    loop.set_default_executor(None)  # type: ignore[arg-type]  # qasync would otherwise join it on close


def teardown_file_logging() -> None:
    from kitstation.ui.errors import teardown_file_logging as teardown

    teardown()


def main(args: argparse.Namespace | Any, on_window: Callable[[Any], None] | None = None) -> int:
    """Run the station's window until it is closed. ``on_window(window)`` is called once it is shown."""
    import qasync

    app = make_app()
    window = build_window(args)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    executor = use_thread_pool(loop)
    window.errors.install(loop)
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    app.aboutToQuit.connect(closed.set)
    simulate = int(getattr(args, "simulate", None) or 0)

    async def start() -> None:
        await window.start_bench(simulate)
        # This process lives as long as the window: as `kitstation prepare` does, keep what
        # start-up built out of the GC's scans and set the allocator for a batch's bursts.
        from kitstation.station import Station

        Station.freeze_startup_objects()

    def kickoff() -> None:
        window.run(start())
        if not simulate:
            QTimer.singleShot(NO_DEVICE_GRACE_MS, window.offer_simulation)

    # SIGTERM (a service manager, `timeout`) and Ctrl-C close the window as its close button does,
    # so the station stops its runs, simulators and adb server instead of leaving them behind.
    def on_signal(*_: object) -> None:
        QTimer.singleShot(0, window.quit_now)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    # Python runs signal handlers only between bytecodes; while Qt waits in C++ a light timer
    # gives it that chance four times a second.
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(250)

    window.show()
    QTimer.singleShot(0, kickoff)
    if on_window is not None:
        on_window(window)
    try:
        loop.run_until_complete(closed.wait())
    finally:
        wake.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        release_thread_pool(loop, executor)
        loop.close()
        from kitstation.ui import ops

        ops.shutdown()
    window.errors.uninstall()
    teardown_file_logging()
    return 0

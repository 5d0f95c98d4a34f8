"""Errors never reach the technician as tracebacks.

Unhandled exceptions (``sys.excepthook``, the asyncio loop's exception handler) are written with
their traceback to ``kitstation.log`` in :func:`kitstation.paths.log_dir` and reported to the
window as one short sentence plus what to do; the window shows it in a banner.
"""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from kitstation import paths
from kitstation.ui.qt import QCoreApplication, QObject, Signal

log = logging.getLogger("kitstation.ui")


def log_file() -> Path:
    return paths.log_dir() / "kitstation.log"


_handler: logging.Handler | None = None


def setup_file_logging() -> Path:
    """Send warnings and errors (with tracebacks) to the rotating log file."""
    global _handler
    path = log_file()
    root = logging.getLogger()
    if _handler is None:
        _handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        _handler.setLevel(logging.INFO)
        root.addHandler(_handler)
    return path


def teardown_file_logging() -> None:
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None


class ErrorReporter(QObject):
    """Turns exceptions into a signal the main window shows as a banner."""

    problem = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._previous_hook: Callable[..., Any] | None = None

    def message_for(self, exc: BaseException | None) -> str:
        what = str(exc) if exc is not None and str(exc) else type(exc).__name__ if exc else ""
        text = QCoreApplication.translate(
            "ErrorReporter",
            "Something went wrong: %1. The station keeps running; details are in the log file %2.",
        )
        return text.replace("%1", what).replace("%2", str(log_file()))

    def report(self, exc: BaseException | None, context: str = "") -> None:
        log.error("unhandled error %s", context, exc_info=(type(exc), exc, exc.__traceback__) if exc else None)
        self.problem.emit(self.message_for(exc))

    def excepthook(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            if self._previous_hook is not None:
                self._previous_hook(kind, exc, tb)
            return
        log.error("unhandled exception", exc_info=(kind, exc, tb))
        self.problem.emit(self.message_for(exc))

    def loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if exc is None:
            log.warning("asyncio: %s", context.get("message"))
            return
        self.report(exc, str(context.get("message", "")))

    def install(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._previous_hook = sys.excepthook
        sys.excepthook = self.excepthook
        if loop is not None:
            loop.set_exception_handler(self.loop_handler)

    def uninstall(self) -> None:
        if self._previous_hook is not None:
            sys.excepthook = self._previous_hook
            self._previous_hook = None

"""Helpers shared by the CLI commands: exit codes, output, errors in the user's language, signals.

Nothing heavy is imported here (no station, no database): ``kitstation --help`` imports this
module and every command's ``register()``, and must stay fast.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

from kitstation.i18n import Text

EXIT_OK = 0
EXIT_DEVICE_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
EXIT_TERMINATED = 143  # 128 + SIGTERM

T = TypeVar("T")


class CliError(Exception):
    """A usage, input or environment error: one line, no traceback, exit code 2 (or ``code``)."""

    def __init__(self, message: Text | str, code: int = EXIT_USAGE) -> None:
        self.message = message if isinstance(message, Text) else Text.plain(message)
        self.code = code
        super().__init__(self.message.en)


class Interrupted(Exception):
    """Ctrl-C or SIGTERM ended an async command after its clean-up ran (runs logged as interrupted)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def code(self) -> int:
        return EXIT_TERMINATED if self.signum == signal.SIGTERM else EXIT_INTERRUPTED


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` where SIGINT and SIGTERM cancel the command, so its ``finally`` blocks run.

    Cancelling the main task lets the bench close runs in progress as *interrupted* and the
    station stop its simulators and adb server; the signal then surfaces as :class:`Interrupted`.
    """

    import asyncio  # here, not at the top: --help never needs it

    async def main() -> T:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        received: list[int] = []

        def stop(signum: int) -> None:
            received.append(signum)
            task.cancel()

        installed: dict[int, Any] = {}
        for sig in (int(signal.SIGINT), int(signal.SIGTERM)):
            try:
                previous = signal.getsignal(sig)
                loop.add_signal_handler(sig, stop, sig)
                installed[sig] = previous
            except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
                pass
        try:
            return await coro
        except asyncio.CancelledError:
            if received:
                raise Interrupted(received[0]) from None
            raise
        finally:
            for sig, previous in installed.items():
                loop.remove_signal_handler(sig)
                if previous is not None:
                    signal.signal(sig, previous)  # asyncio leaves the default, not what was there

    return asyncio.run(main())


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
    sys.stdout.flush()


def eprint(message: Text | str) -> None:
    """A line for the person at the terminal: on stderr, so stdout stays data (JSON, a profile)."""
    print(str(message), file=sys.stderr, flush=True)


def text_json(value: Text | None) -> dict[str, str] | None:
    return {"en": value.en, "ja": value.ja} if value is not None else None


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="log database: SQLAlchemy URL or SQLite file (default: KITSTATION_DB or the data directory)",
    )


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Options every sub-command takes after its name too (``kitstation prepare -v ...``)."""
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="diagnostic output on stderr"
    )



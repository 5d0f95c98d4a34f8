"""The CLI's one error boundary: every expected failure becomes one bilingual line and an exit code.

Expected failures are bad input (arguments, blueprints, identities), the environment (a log
database that cannot be opened, a file that cannot be read or written, usbmuxd or adb not
reachable, no terminal for a passphrase) and interruptions. Anything else is a bug: one line
saying so and where the traceback was written (``-v`` prints it too), never a bare traceback.
"""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime

from kitstation.cli.common import EXIT_USAGE, CliError, Interrupted
from kitstation.i18n import Text

EXIT_INTERNAL = 3  # a defect in KitStation, not in the input

log = logging.getLogger(__name__)

# Exceptions from these packages mean "the log database cannot be used" (driver, connection,
# schema, locks). The log package wraps them in its own typed error; these catch what it lets by.
_DATABASE_MODULES = ("sqlalchemy", "alembic", "psycopg", "sqlite3")


def _first_line(exc: BaseException) -> str:
    said = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return said[0] if said else type(exc).__name__


def describe(exc: BaseException) -> tuple[Text, int] | None:
    """The line and exit code for an expected failure, or None for a defect."""
    from kitstation.blueprints.loader import BlueprintError

    if isinstance(exc, CliError):
        return exc.message, exc.code
    if isinstance(exc, Interrupted):
        return Text("Interrupted", "中断しました"), exc.code
    if isinstance(exc, BlueprintError):
        return Text(exc.render("en"), exc.render("ja")), EXIT_USAGE
    reason = getattr(exc, "reason", None)
    if isinstance(reason, Text):  # StepError, SecretUnavailable, the log's typed errors: they say it already
        return reason, EXIT_USAGE
    module = type(exc).__module__.split(".")[0]
    if module in _DATABASE_MODULES:
        said = _first_line(exc)
        return Text(
            f"The kitting log database cannot be used: {said}",
            f"キッティング記録のデータベースを使用できません: {said}",
        ), EXIT_USAGE
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        said = exc.strerror or str(exc) or type(exc).__name__
        return Text(f"{where}{said}", f"{where}{said}"), EXIT_USAGE
    if isinstance(exc, RecursionError | MemoryError):
        return Text("Input too large or too deeply nested", "入力が大きすぎるか、入れ子が深すぎます"), EXIT_USAGE
    return None


def internal_error(exc: BaseException, verbose: bool) -> tuple[Text, int]:
    """A defect: keep the traceback in the log folder (shown with -v), say one line."""
    text = "".join(traceback.format_exception(exc))
    where = ""
    try:
        from kitstation.paths import log_dir

        path = log_dir() / f"cli-error-{datetime.now(UTC):%Y%m%dT%H%M%S}.txt"
        path.write_text(text, encoding="utf-8")
        where = str(path)
    except OSError:
        pass
    if verbose:
        log.error("%s", text)
    said = f"{type(exc).__name__}: {_first_line(exc)}"
    return Text(
        f"Internal error (a KitStation defect): {said}" + (f"; details in {where}" if where else ""),
        f"内部エラー（KitStation の不具合）: {said}" + (f"。詳細: {where}" if where else ""),
    ), EXIT_INTERNAL

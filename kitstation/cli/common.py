"""Helpers shared by the CLI commands: exit codes, output, errors in the user's language."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kitstation.i18n import Text

EXIT_OK = 0
EXIT_DEVICE_FAILED = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A usage or input error: printed without a traceback, exit code 2 (or ``code``)."""

    def __init__(self, message: Text | str, code: int = EXIT_USAGE) -> None:
        self.message = message if isinstance(message, Text) else Text.plain(message)
        self.code = code
        super().__init__(self.message.en)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def eprint(message: Text | str) -> None:
    print(str(message), file=sys.stderr)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="log database: SQLAlchemy URL or SQLite file (default: KITSTATION_DB or the data directory)",
    )

"""``kitstation`` entry point: sub-commands are registered by the modules in COMMANDS.

``kitstation`` with no sub-command starts the GUI. The command modules import nothing heavy at
the top (the station, the database and the device libraries are imported when a command runs),
so ``kitstation --help`` and shell completion answer at once.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
from collections.abc import Sequence
from types import FrameType
from typing import NoReturn

from kitstation import __version__
from kitstation.cli import argtypes
from kitstation.cli.common import EXIT_OK, EXIT_USAGE, Interrupted, eprint
from kitstation.i18n import Text, set_language

# Each module has ``register(subparsers)`` adding its commands with ``set_defaults(func=...)``;
# ``func(args) -> int`` returns the exit code.
COMMANDS = (
    "kitstation.cli.devices",
    "kitstation.cli.prepare",
    "kitstation.cli.log_cmd",
    "kitstation.cli.blueprint_cmd",
    "kitstation.cli.report",
    "kitstation.cli.labels_cmd",
    "kitstation.cli.simulate",
    "kitstation.cli.ios_cmds",
    "kitstation.cli.dep",
    "kitstation.cli.android_cmds",
    "kitstation.cli.abm_cmds",
    "kitstation.cli.kme_cmds",
    "kitstation.cli.examples_cmd",
)

EPILOG = """exit codes:
  0  done: every device prepared (or waiting only on ABM / the KME console), report written
  1  some devices failed or were interrupted; a report did not verify
  2  bad input or environment: arguments, blueprint, files, log database, usbmuxd/adb unreachable
  3  internal error (a KitStation defect; the traceback is saved in the log folder)
  130/143  interrupted by Ctrl-C / SIGTERM (runs in progress are logged as interrupted)"""


class KitParser(argparse.ArgumentParser):
    """argparse with a one-line error (``prog: error: reason``) instead of the usage block."""

    def error(self, message: str) -> NoReturn:
        hint = Text(f"(see: {self.prog} --help)", f"（{self.prog} --help を参照）")
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} {hint}\n")


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                found.append(child)
                found += _subparsers(child)
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = KitParser(
        prog="kitstation",
        description="KitStation: prepare iPhones/iPads and Galaxy phones for MDM and log every device kitted. "
        "Without a command, starts the station's window.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kitstation {__version__}")
    parser.add_argument("--db", metavar="URL", help="log database: SQLAlchemy URL or SQLite file path")
    parser.add_argument("--lang", choices=["en", "ja", "system"], help="language of messages (default: system)")
    parser.add_argument("-v", "--verbose", action="store_true", help="diagnostic output on stderr")
    parser.add_argument(
        "--simulate",
        metavar="N",
        type=argtypes.count(0, 512),
        help="GUI: start on N simulated devices (half iOS, half Galaxy) when no real ones are attached",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    comp = sub.add_parser("completion", help="print a shell completion script (bash, zsh or tcsh)")
    comp.add_argument("shell", choices=["bash", "zsh", "tcsh"])
    comp.set_defaults(func=lambda args: _completion(parser, args.shell))
    for child in _subparsers(parser):
        # -v after the command too (kitstation prepare -v ...); SUPPRESS keeps a -v given before it.
        if not any("-v" in a.option_strings for a in child._actions):
            child.add_argument(
                "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="diagnostic output on stderr"
            )
    return parser


def _completion(parser: argparse.ArgumentParser, shell: str) -> int:
    import shtab

    print(shtab.complete(parser, shell=shell))
    return EXIT_OK


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    if args.command is None:
        from kitstation.cli.gui import run_gui

        _repair_private_files()
        os.umask(0o077)  # the GUI process, for its lifetime (see below)
        return run_gui(args)  # the GUI has its own error boundary and signal handling
    previous = signal.getsignal(signal.SIGTERM)
    try:
        # SIGTERM like Ctrl-C: clean-up runs (async commands install their own handler meanwhile).
        signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (an embedding application)
        previous = None
    # What the station creates (the log database, pair records, keys, reports) is its user's alone.
    umask = os.umask(0o077)
    try:
        _repair_private_files()
        return int(args.func(args))
    except KeyboardInterrupt:
        eprint(Text("Interrupted", "中断しました"))
        return 130
    except Exception as exc:
        from kitstation.cli.errors import describe, internal_error

        found = describe(exc)
        message, code = found if found is not None else internal_error(exc, args.verbose)
        eprint(message)
        return code
    finally:
        os.umask(umask)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _repair_private_files() -> None:
    """Files in the data directory readable by others (an old version, a restored backup): fix, warn."""
    from kitstation.paths import repair_owner_only

    try:
        fixed = repair_owner_only()
    except OSError:
        return  # an unusable data directory is reported by the command that needs it
    if fixed:
        eprint(
            Text(
                f"Warning: {len(fixed)} file(s) in the station's data folder were readable by other users "
                f"(e.g. {fixed[0]}); made owner-only (0600 files, 0700 folders)",
                f"警告: ステーションのデータフォルダ内の {len(fixed)} 個のファイルが他のユーザーから読み取り可能でした"
                f"（例: {fixed[0]}）。所有者のみに制限しました（ファイル 0600、フォルダ 0700）",
            )
        )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

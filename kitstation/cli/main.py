"""``kitstation`` entry point: sub-commands are registered by the modules in COMMANDS.

``kitstation`` with no sub-command starts the GUI. Exit codes: 0 ok, 1 some device failed,
2 usage or input error.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from kitstation import __version__
from kitstation.blueprints.loader import BlueprintError
from kitstation.cli.common import EXIT_USAGE, CliError, eprint
from kitstation.i18n import Text, set_language

# Each module has ``register(subparsers)`` adding its commands with ``set_defaults(func=...)``;
# ``func(args) -> int`` returns the exit code.
COMMANDS = (
    "kitstation.cli.devices",
    "kitstation.cli.prepare",
    "kitstation.cli.log_cmd",
    "kitstation.cli.blueprint_cmd",
    "kitstation.cli.report",
    "kitstation.cli.simulate",
    "kitstation.cli.ios_cmds",
    "kitstation.cli.dep",
    "kitstation.cli.android_cmds",
    "kitstation.cli.abm_cmds",
    "kitstation.cli.kme_cmds",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kitstation",
        description="KitStation: prepare iPhones/iPads and Galaxy phones for MDM and log every device kitted. "
        "Without a command, starts the station's window.",
    )
    parser.add_argument("--version", action="version", version=f"kitstation {__version__}")
    parser.add_argument("--db", metavar="URL", help="log database: SQLAlchemy URL or SQLite file path")
    parser.add_argument("--lang", choices=["en", "ja", "system"], help="language of messages (default: system)")
    parser.add_argument("-v", "--verbose", action="store_true", help="diagnostic output on stderr")
    parser.add_argument(
        "--simulate",
        metavar="N",
        type=int,
        help="GUI: start on N simulated devices (half iOS, half Galaxy) when no real ones are attached",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        if args.command is None:
            from kitstation.cli.gui import run_gui

            return run_gui(args)
        return int(args.func(args))
    except CliError as exc:
        eprint(exc.message)
        return exc.code
    except BlueprintError as exc:
        eprint(exc.render())
        return EXIT_USAGE
    except KeyboardInterrupt:
        eprint(Text("Interrupted", "中断しました"))
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

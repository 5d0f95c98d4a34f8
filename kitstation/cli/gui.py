"""``kitstation`` without a command: start the GUI (kitstation.ui owns everything Qt)."""

from __future__ import annotations

import argparse

from kitstation.cli.common import CliError
from kitstation.i18n import Text


def run_gui(args: argparse.Namespace) -> int:
    try:
        from kitstation.ui.app import main as ui_main
    except ImportError as exc:  # Qt libraries missing on this machine
        raise CliError(Text(f"The GUI cannot start: {exc}", f"GUI を起動できません: {exc}"), code=2) from exc
    return int(ui_main(args))

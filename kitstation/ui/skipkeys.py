"""Setup Assistant panes for the wizard, read from the one skip-key catalogue (blueprints/skipkeys.py)."""

from __future__ import annotations

from dataclasses import dataclass

from kitstation.blueprints.skipkeys import CATALOGUE


@dataclass(frozen=True, slots=True)
class Pane:
    """One row of the wizard's pane list."""

    key: str
    en: str
    ja: str
    ios: str  # first iOS version with this pane ("" when as old as SkipSetup itself)


def panes() -> list[Pane]:
    """The panes a device can be told to skip, in the catalogue's order."""
    return [Pane(k.key, k.label.en, k.label.ja, "" if k.introduced == "7.0" else k.introduced) for k in CATALOGUE]

"""CLI commands: prepare (placeholder until its issue fills it in)."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    return None

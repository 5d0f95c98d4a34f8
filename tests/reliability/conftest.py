"""The reliability suite's budget and helpers: fixed seeds, a bounded number of trials.

``KITSTATION_RELIABILITY_TRIALS`` (default 2) scales every randomised test here: CI runs the
default, a soak run sets it higher (docs/RELIABILITY.md has the command and the figures).
Nothing here sleeps for a fixed time to reach a state: it waits on the log or the simulator.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
EXE = str(Path(sys.executable).with_name("kitstation"))
SEED = 16  # issue 16; every trial's randomness comes from random.Random(SEED + trial)
# Budget for one wait on another process (a loaded 2-core machine is slow, not stuck).
BUDGET = 240.0


def trials(default: int = 2) -> int:
    """How many randomised trials each test runs (``KITSTATION_RELIABILITY_TRIALS``)."""
    raw = os.environ.get("KITSTATION_RELIABILITY_TRIALS", "")
    return max(1, int(raw)) if raw.strip().isdigit() else default


def scalar(url: str, sql: str) -> Any:
    """One value from the log at ``url`` (SQLite or PostgreSQL), read by a separate connection."""
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)) as con:
            return con.execute(sql).fetchone()[0]
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar()
    finally:
        engine.dispose()


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)) as con:
            return [tuple(r) for r in con.execute(sql).fetchall()]
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql)).fetchall()]
    finally:
        engine.dispose()


def wait_for(cond: Callable[[], bool], proc: subprocess.Popen[str] | None = None, what: str = "") -> bool:
    """Until ``cond()`` holds; False if ``proc`` ended first. Polls: the state lives in another process."""
    deadline = time.monotonic() + BUDGET
    while time.monotonic() < deadline:
        try:
            if cond():
                return True
        except (sqlite3.OperationalError, sa.exc.OperationalError, sa.exc.ProgrammingError):
            pass  # the other process has not created the tables yet
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")

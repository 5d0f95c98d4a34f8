"""The kitting log: every device kitted, every run and step, in SQLite or PostgreSQL.

The only package that speaks SQL: the rest of the project goes through :class:`KitLog` (reads and
writes), :class:`AsyncKitLog` (the same on one writer thread, for coroutines) and plain filter
types (:class:`RunFilter`, :class:`Selection`, :class:`DeviceList`).
"""

from kitstation.log.db import open_engine, resolve_url
from kitstation.log.errors import LogError
from kitstation.log.filters import DeviceList, RunFilter, Selection
from kitstation.log.queries import ResumePoint
from kitstation.log.store import KitLog
from kitstation.log.transitions import RunOpening, StepEnd
from kitstation.log.writer import AsyncKitLog

__all__ = [
    "AsyncKitLog",
    "DeviceList",
    "KitLog",
    "LogError",
    "ResumePoint",
    "RunFilter",
    "RunOpening",
    "Selection",
    "StepEnd",
    "open_engine",
    "resolve_url",
]

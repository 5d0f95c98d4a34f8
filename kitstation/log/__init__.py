"""The kitting log: every device kitted, every run and step, in SQLite or PostgreSQL."""

from kitstation.log.db import open_engine, resolve_url
from kitstation.log.store import KitLog

__all__ = ["KitLog", "open_engine", "resolve_url"]

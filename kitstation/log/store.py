"""The log's API: what the pipeline, the bench, the CLI, the GUI and the reports read and write.

:class:`KitLog` gathers the reads (:mod:`kitstation.log.queries`, the History's pages in
:mod:`kitstation.log.history`, its counts in :mod:`kitstation.log.history_counts`, both on the
filter terms of :mod:`kitstation.log.history_terms`), the device rows
(:mod:`kitstation.log.devices`) and the other writes (:mod:`kitstation.log.writes`) behind one
object; :class:`~kitstation.log.writer.AsyncKitLog` runs the same calls on one writer thread for
coroutines. Nothing outside :mod:`kitstation.log` builds SQL.
"""

from __future__ import annotations

from sqlalchemy import Engine

from kitstation.log.db import open_engine
from kitstation.log.devices import DeviceWrites
from kitstation.log.filters import HISTORY_COLUMNS, SORT_KEYS, DeviceList, RunFilter, Selection
from kitstation.log.history import HistoryReads
from kitstation.log.names import NameWrites
from kitstation.log.queries import ResumePoint
from kitstation.log.selections import history_select
from kitstation.log.tables import aware, now
from kitstation.log.transitions import RunOpening, RunTransitions, StepEnd
from kitstation.log.writer import AsyncKitLog
from kitstation.log.writes import Writes


class KitLog(HistoryReads, DeviceWrites, Writes, NameWrites, RunTransitions):
    """Synchronous access to the log. Open with a URL (``None``: the default SQLite file)."""

    def __init__(
        self,
        url_or_engine: str | Engine | None = None,
        *,
        migrate: bool = True,
        create: bool = True,
        read_only: bool = False,
    ) -> None:
        """``create=False`` for read commands: a missing SQLite file is "no log at PATH" (LogError),
        never a new empty log; an unwritable one (or any, with ``read_only``) is opened read-only."""
        if isinstance(url_or_engine, Engine):
            self.engine = url_or_engine
        else:
            self.engine = open_engine(url_or_engine, migrate_schema=migrate, create_log=create, read_only=read_only)
        self.blueprint_rows = {}

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

__all__ = [
    "HISTORY_COLUMNS",
    "SORT_KEYS",
    "AsyncKitLog",
    "DeviceList",
    "KitLog",
    "ResumePoint",
    "RunFilter",
    "RunOpening",
    "Selection",
    "StepEnd",
    "aware",
    "history_select",
    "now",
]

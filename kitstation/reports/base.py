"""What every format writer gets: the log, the pinned selection, the options, progress reporting."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

from kitstation.i18n import Language, Text
from kitstation.log import DeviceList, KitLog, Selection
from kitstation.reports.model import ProgressFn, ReportOptions, display_row

# Progress is reported every this many rows: often enough for a smooth bar, rarely enough to cost
# nothing next to the writing itself.
PROGRESS_EVERY = 500


@dataclass
class ExportJob:
    kitlog: KitLog
    sel: Selection
    options: ReportOptions
    out: Path
    total: int  # rows the progress bar counts (a PDF reads its rows twice: 2 x rows)
    rows: int  # rows in the selection
    progress: ProgressFn | None = None
    kind: DeviceList | None = None  # a device list's rows only (KME, ABM)
    done: int = 0
    warnings: list[Text] = field(default_factory=list)

    @property
    def language(self) -> Language:
        return self.options.language

    def __post_init__(self) -> None:
        # Resolved once: the local offset is a system call, and every timestamp cell needs it.
        self.zone: tzinfo = self.options.zone()

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and (self.done % PROGRESS_EVERY == 0 or self.done == self.total):
            self.progress(self.done, self.total)

    def tick_many(self, n: int) -> None:
        """``n`` rows done at once: progress reported if that passed a multiple of PROGRESS_EVERY or the end."""
        before = self.done
        self.done += n
        if self.progress is not None and (
            self.done // PROGRESS_EVERY != before // PROGRESS_EVERY or self.done == self.total
        ):
            self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)

    def display_rows(self, count_progress: bool = True) -> Iterator[dict[str, Any]]:
        """The selection as display rows, ticking the progress bar as they stream by."""
        for row in self.kitlog.iter_selection(self.sel, self.kind):
            yield display_row(row, self.language)
            if count_progress:
                self.tick()

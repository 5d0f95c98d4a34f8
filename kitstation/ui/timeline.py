"""One device's timeline: its run's steps from the log, in the UI language, read off the GUI thread.

The log stores step ids (``ios.erase``) and outcomes (``waiting_external``); the technician
reads the step's title as the adapters name it (:func:`step_title`) and the outcome in words.
The dialog opens at once with "Loading…" and fills when the read (an :class:`~kitstation.ui.ops.Op`
on the database executor) is back, so a slow log never freezes the bench.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from typing import Any

from kitstation.core.bench import SlotView
from kitstation.i18n import Text, current_language
from kitstation.ui.bench_model import detail_line, state_text
from kitstation.ui.ops import Op, database_executor
from kitstation.ui.places import display_name
from kitstation.ui.qt import (
    QAbstractItemView,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

# Steps whose id carries a number or a name: the profile steps of the iOS plan.
_PATTERNS: tuple[tuple[re.Pattern[str], Text], ...] = (
    (re.compile(r"^ios\.profile\.wifi$"), Text("Install the Wi-Fi profile", "Wi-Fiプロファイルをインストール")),
    (re.compile(r"^ios\.profile\.(\d+)$"), Text("Install profile {0}", "プロファイル {0} をインストール")),
    (re.compile(r"^ios\.enroll_profile$"),
     Text("Install the MDM enrollment profile", "MDM登録プロファイルをインストール")),
)


@cache
def _catalogue() -> dict[str, Text]:
    """Step id → title, read from the adapters' step classes (the one place titles are written)."""
    out: dict[str, Text] = {}
    for name in ("kitstation.ios.steps", "kitstation.android.steps"):
        try:
            mod = importlib.import_module(name)
        except ImportError:  # an installation without one platform: its ids are shown as they are
            continue
        for obj in vars(mod).values():
            sid, title = getattr(obj, "id", None), getattr(obj, "title", None)
            if isinstance(obj, type) and isinstance(sid, str) and sid and isinstance(title, Text) and title.en:
                out[sid] = title
    return out


def step_title(step_id: str) -> Text:
    """The step's title in both languages; an unknown id is shown as it is (never hidden)."""
    known = _catalogue().get(step_id)
    if known is not None:
        return known
    for pattern, text in _PATTERNS:
        m = pattern.match(step_id)
        if m:
            return Text(text.en.format(*m.groups()), text.ja.format(*m.groups()))
    return Text.plain(step_id)


def outcome_text(outcome: str | None) -> str:
    names = {
        "ok": QCoreApplication.translate("Timeline", "Done"),
        "failed": QCoreApplication.translate("Timeline", "Failed"),
        "skipped": QCoreApplication.translate("Timeline", "Already done (skipped)"),
        "waiting_external": QCoreApplication.translate("Timeline", "Awaiting ABM/KME"),
        "interrupted": QCoreApplication.translate("Timeline", "Interrupted"),
        "cancelled": QCoreApplication.translate("Timeline", "Cancelled"),
    }
    if not outcome:
        return QCoreApplication.translate("Timeline", "Running")
    return names.get(outcome, outcome)


class TimelineDialog(QDialog):
    """One device's steps from the log (oldest first), opened with ``open()`` (never ``exec()``)."""

    loaded = Signal()

    def __init__(self, kitlog: Any | None, run_id: int | None, title: str, head: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Timeline: %1").replace("%1", title))
        self.resize(960, 460)  # the reason column wide enough for a package and receiver name
        self.setSizeGripEnabled(True)
        layout = QVBoxLayout(self)
        head_label = QLabel(head, self)
        head_label.setWordWrap(True)
        layout.addWidget(head_label)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Step"), self.tr("Attempt"), self.tr("Started"), self.tr("Outcome"), self.tr("Reason")]
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        # A wider or narrower reason column re-wraps its text: row heights follow it.
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        layout.addWidget(self.table)
        self.note = QLabel(self.tr("Loading…"), self)
        layout.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if kitlog is not None and run_id is not None:
            Op(self, lambda: kitlog.steps(run_id), database_executor(kitlog)).success(self.show_steps).failure(
                self._failed
            ).run()
        else:
            self.show_steps([])

    @classmethod
    def for_slot(cls, view: SlotView, kitlog: Any | None, parent: QWidget | None = None) -> TimelineDialog:
        """The timeline of a tile's current (or last) run."""
        title = view.device.label if view.device else view.label
        head = f"<b>{display_name(view.slot, view.label)}</b> — {state_text(view.state)}<br>{detail_line(view, current_language())}"
        return cls(kitlog, view.run_id, title, head, parent)

    def _failed(self, exc: BaseException) -> None:
        self.note.setText(self.tr("The timeline could not be read: %1").replace("%1", str(exc) or type(exc).__name__))
        self.loaded.emit()

    def show_steps(self, rows: list[dict[str, Any]]) -> None:
        lang = current_language()
        self.note.setText("" if rows else self.tr("No steps recorded for this device yet."))
        self.note.setVisible(not rows)
        for r in rows:
            i = self.table.rowCount()
            self.table.insertRow(i)
            started = r.get("started_at")
            reason = r.get("message_ja" if lang == "ja" else "message_en") or r.get("message_en") or ""
            if r.get("error_code"):
                reason = f"{reason} [{r['error_code']}]".strip()
            sid = str(r.get("step_id", ""))
            cells = [
                step_title(sid).get(lang),
                str(r.get("attempt", "")),
                (started.astimezone() if started.tzinfo else started).strftime("%H:%M:%S") if started else "",
                outcome_text(r.get("outcome")),
                str(reason),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(sid if c == 0 else text)  # the full reason, and the step id for support
                self.table.setItem(i, c, item)
        # Step to outcome fit their text; the reason takes the rest of the width and wraps onto
        # more lines (sized to it) instead of ending in "…" at the dialog's edge.
        for c in range(4):
            self.table.resizeColumnToContents(c)
        self.table.resizeRowsToContents()
        self.loaded.emit()

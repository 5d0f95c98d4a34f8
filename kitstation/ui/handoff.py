"""The cloud hand-off on the bench window: each tile's hand-off state, and "Assign N devices".

:class:`HandoffPanel` follows the bench: when a run finishes it reads the device's hand-off
state (and the activity / request id of its assignment) from the log, and the tile shows it
beside the slot state ("Done · Assigned in ABM (activity …)"). Its button assigns, in one batch
per blueprint, the finished devices the cloud has not taken yet -- a serial the organization
did not know when the run ended, a KME upload not there yet, an assignment that failed -- and
records each answer under the device's latest run (an ok one closes a waiting run as ok).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from typing import Any

from kitstation.blueprints.model import Blueprint
from kitstation.core.bench import SlotState, SlotView
from kitstation.domain.events import Event, RunFinished
from kitstation.domain.handoff import HANDOFF_TEXT, HandoffState
from kitstation.domain.model import Outcome, Platform
from kitstation.i18n import Language, current_language
from kitstation.ui.ops import Op, database_executor
from kitstation.ui.qt import QCoreApplication, QObject, QPushButton, QTimer, QWidget, Signal

log = logging.getLogger(__name__)

# The step that assigns, and the state its success gives the device.
ASSIGNED_BY = {"abm.assign": HandoffState.ABM_ASSIGNED, "kme.assign": HandoffState.KME_ASSIGNED}
# Failures of the assignment itself (not of the device side): worth another batch.
RETRY_CODES = ("abm_", "kme_")
NOT_RETRIED = frozenset({"abm_no_serial", "kme_no_identifier"})


def handoff_text(state: str, detail: Any, lang: Language) -> str:
    """The tile's hand-off line: the state's words, with the assignment's activity / request id."""
    try:
        text = HANDOFF_TEXT[HandoffState(state)].get(lang)
    except ValueError:
        text = state
    if not state:
        return ""
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            detail = None
    if isinstance(detail, dict):
        ref = detail.get("abm_activity_id") or detail.get("kme_request_id")
        if ref:
            return f"{text} ({ref})"
    return text


class HandoffPanel(QObject):
    """Tracks the slots' hand-off states and drives the batch-level assign button."""

    changed = Signal()

    slot_changed = Signal(str)  # one slot's hand-off line changed

    def __init__(self, button: QPushButton, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.button = button
        self.bench: Any = None
        self.station: Any = None
        self.blueprints: Mapping[Platform, Blueprint] = {}
        self.states: dict[str, str] = {}  # slot -> its tile's hand-off text
        self.assigned: set[str] = set()  # slots assigned by the button since their run ended
        self._unsubscribe: Any = None
        self._busy = False
        self._button_pending = False
        self.last: list[Any] = []  # the answers of the latest batch (for the status line and tests)
        button.clicked.connect(self._on_click)
        self.update_button()

    # --- wiring ----------------------------------------------------------------------------------
    def attach(self, bench: Any, station: Any, blueprints: Mapping[Platform, Blueprint]) -> None:
        """Follow a started bench (``bench`` None: the bench stopped; the texts stay)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.bench, self.station, self.blueprints = bench, station, dict(blueprints)
        if bench is not None:
            self._unsubscribe = bench.subscribe(self._on_event)
        self.update_button()

    def text_for(self, view: SlotView) -> str:
        return self.states.get(view.slot, "")

    def _on_event(self, event: Event) -> None:
        if isinstance(event, RunFinished):
            self.assigned.discard(event.slot)
            # Not inside the bench's callback: read the log once the loop is free.
            asyncio.get_running_loop().call_soon(self._lookup, event.slot, event.run_id)
        # The count walks every slot: at most ten times a second (as the tiles), not once per
        # event (tens a second with a full bench).
        if not self._button_pending:
            self._button_pending = True
            QTimer.singleShot(100, self, self._update_button_now)

    def _update_button_now(self) -> None:
        self._button_pending = False
        self.update_button()

    def _lookup(self, slot: str, run_id: int) -> None:
        bench = self.bench
        if bench is None:
            return
        kitlog = bench.kitlog
        # The log is read off the GUI thread (ui/ops.py): the tile's text arrives when it is read.
        Op(self, lambda: list(kitlog.runs_by_id([run_id])), database_executor(kitlog)).success(
            lambda rows: self._show(slot, rows)
        ).failure(lambda exc: log.warning("reading the hand-off state of run %s: %s", run_id, exc)).run()

    def _show(self, slot: str, rows: list[dict[str, Any]]) -> None:
        if rows:
            row = rows[0]
            self.states[slot] = handoff_text(
                row.get("external_state") or "", row.get("assignment_detail"), current_language()
            )
            self.slot_changed.emit(slot)  # one tile's line: repaint that tile, not the bench

    # --- the batch action --------------------------------------------------------------------------
    def candidates(self) -> list[SlotView]:
        """Finished devices whose blueprint assigns them and the cloud has not taken yet."""
        if self.bench is None or self.station is None:
            return []
        out = []
        for view in self.bench.slots.values():
            bp = self.blueprints.get(view.platform)
            if view.device is None or bp is None or view.slot in self.assigned:
                continue
            if not any(h.section(bp) is not None and h.platform == view.platform for h in self.station.handoffs):
                continue
            waiting = view.state == SlotState.WAITING_EXTERNAL
            failed = (
                view.state == SlotState.FAILED
                and (view.code or "").startswith(RETRY_CODES)
                and view.code not in NOT_RETRIED
            )
            if waiting or failed:
                out.append(view)
        return out

    def update_button(self) -> None:
        n = len(self.candidates())
        text = QCoreApplication.translate("Handoff", "Assign 1 device") if n == 1 else \
            QCoreApplication.translate("Handoff", "Assign %1 devices").replace("%1", str(n))
        self.button.setText(text)
        self.button.setToolTip(
            QCoreApplication.translate(
                "Handoff",
                "Assign the finished devices the cloud has not taken yet: to the MDM server in Apple Business,"
                " or the KME profile in Knox Mobile Enrollment (one batch per blueprint)",
            )
        )
        self.button.setEnabled(bool(n) and not self._busy)

    def _on_click(self) -> None:
        asyncio.ensure_future(self.assign())

    async def assign(self) -> list[Any]:
        """Assign the candidates now; each answer goes to the log and to its tile."""
        from kitstation.log.store import AsyncKitLog
        from kitstation.station.handoffs import assign_devices

        views = self.candidates()
        if not views or self._busy:
            return []
        self._busy = True
        self.update_button()
        alog = AsyncKitLog(self.bench.kitlog)
        try:
            answers = await assign_devices(
                alog, self.station.handoffs, self.blueprints, [v.device for v in views if v.device is not None]
            )
        finally:
            alog.close()
            self._busy = False
        lang = current_language()
        by_key = {v.device.key: v.slot for v in views if v.device is not None}
        for a in answers:
            slot = by_key.get(a.device.key)
            if slot is None:
                continue
            if a.outcome == Outcome.OK:
                self.assigned.add(slot)
                self.states[slot] = handoff_text(ASSIGNED_BY[a.step_id].value, None, lang)
            elif a.reason is not None:
                self.states[slot] = a.reason.get(lang)
        self.last = answers
        self.update_button()
        self.changed.emit()
        return answers


def install(page: QWidget, model: Any) -> HandoffPanel:
    """Add the assign button to the bench page's header and the hand-off line to its tiles."""
    button = QPushButton(page)
    panel = HandoffPanel(button, page)
    page.handoff_row.addWidget(button)  # type: ignore[attr-defined]
    model.handoff = panel.text_for
    panel.changed.connect(model.repaint_all)
    panel.slot_changed.connect(model.repaint_slot)
    return panel

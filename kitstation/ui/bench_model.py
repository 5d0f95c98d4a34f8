"""The bench as a Qt model: one row per slot, repainted at most 10 times a second.

The bench calls back on every event (tens per second with 60 devices); the model only marks
itself dirty then, and a 10 Hz timer copies the bench's immutable :class:`SlotView` snapshots and
emits one ``dataChanged`` for the rows that changed. A 1 Hz tick repaints working tiles so their
elapsed time moves. The delegate paints each tile (no widget per device), so 60 tiles stay smooth.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, Protocol

from kitstation.core.bench import Counters, SlotState, SlotView
from kitstation.domain.events import Event, RunFinished, StepFinished, StepProgress, StepStarted
from kitstation.domain.model import Outcome, Platform
from kitstation.i18n import Language, Text, current_language
from kitstation.ui.ops import Op
from kitstation.ui.places import display_name
from kitstation.ui.qt import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)

SLOT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
HANDOFF_ROLE = SLOT_ROLE + 1  # the slot's cloud hand-off state, as the tile shows it
PHASE_ROLE = HANDOFF_ROLE + 1  # the running step's phase and ETA (Phase)
NAME_ROLE = PHASE_ROLE + 1  # the name the station gave the device (its rename step read it back), or ""

# The adapters' rename steps (ios.name, android.name): when one ends OK its run holds the name.
RENAME_STEPS = frozenset({"ios.name", "android.name"})


@dataclass(frozen=True, slots=True)
class Phase:
    """The running step's phase as its last progress note said ("Erasing", "Waiting for the device to restart").

    ``eta`` is the seconds left by this model's median for the step in the log (``None``: no
    history yet, or already past the median, where a countdown would lie).
    """

    note: Text | None
    eta: float | None


def eta_text(seconds: float) -> str:
    secs = max(1, int(round(seconds)))
    return QCoreApplication.translate("SlotState", "about %1 left").replace("%1", f"{secs // 60}:{secs % 60:02d}")
TILE = QSize(300, 186)
# Compact tiles for a full bench: half again as many on the screen (model, state, bar, one line).
COMPACT_TILE = QSize(236, 140)


class BenchLike(Protocol):
    """What the model needs of a :class:`~kitstation.core.bench.Bench` (a fake one in screenshots)."""

    @property
    def slots(self) -> Mapping[str, SlotView]: ...

    def subscribe(self, callback: Callable[[Event], None]) -> Callable[[], None]: ...

    def counters(self) -> Counters: ...


def state_text(state: SlotState) -> str:
    names = {
        SlotState.ATTACHED: QCoreApplication.translate("SlotState", "Attached"),
        SlotState.IDENTIFYING: QCoreApplication.translate("SlotState", "Identifying"),
        SlotState.WAITING_USER: QCoreApplication.translate("SlotState", "Waiting for you"),
        SlotState.READY: QCoreApplication.translate("SlotState", "Ready"),
        SlotState.QUEUED: QCoreApplication.translate("SlotState", "Queued"),
        SlotState.WORKING: QCoreApplication.translate("SlotState", "Working"),
        SlotState.DONE: QCoreApplication.translate("SlotState", "Done"),
        SlotState.WAITING_EXTERNAL: QCoreApplication.translate("SlotState", "Done here, awaiting ABM/KME"),
        SlotState.FAILED: QCoreApplication.translate("SlotState", "Failed"),
        SlotState.INTERRUPTED: QCoreApplication.translate("SlotState", "Interrupted"),
        SlotState.CANCELLED: QCoreApplication.translate("SlotState", "Cancelled"),
        SlotState.DETACHED: QCoreApplication.translate("SlotState", "Unplugged"),
    }
    return names[state]


# Colour by what the technician must do: green finished, red failed, amber "your turn", blue working.
STATE_COLOURS: dict[SlotState, str] = {
    SlotState.ATTACHED: "#5b6770",
    SlotState.IDENTIFYING: "#1f6fb2",
    SlotState.WAITING_USER: "#d98c00",
    SlotState.READY: "#5b6770",
    SlotState.QUEUED: "#5b6770",
    SlotState.WORKING: "#1f6fb2",
    SlotState.DONE: "#1e8a3c",
    SlotState.WAITING_EXTERNAL: "#2a8a7a",
    SlotState.FAILED: "#c62828",
    SlotState.INTERRUPTED: "#8e5a00",
    SlotState.CANCELLED: "#5b6770",
    SlotState.DETACHED: "#7d7d7d",
}


def elapsed_text(view: SlotView, now: float | None = None) -> str:
    if view.started_at is None:
        return ""
    end = view.finished_at if view.finished_at is not None else (now or time.time())
    secs = max(0, int(end - view.started_at))
    return f"{secs // 60}:{secs % 60:02d}"


def detail_line(view: SlotView, lang: Language, phase: Phase | None = None) -> str:
    """The short line under the progress bar: what to do, why it failed, or the current step and phase."""
    if view.reason is not None and view.state in (SlotState.WAITING_USER, SlotState.FAILED, SlotState.READY,
                                                  SlotState.INTERRUPTED, SlotState.WAITING_EXTERNAL,
                                                  SlotState.DETACHED):
        return view.reason.get(lang)
    if view.box_note is not None and view.state not in (SlotState.WORKING, SlotState.DETACHED):
        # No scanned box matches this phone: the technician scans its IMEI (box label or *#06#).
        return view.box_note.get(lang)
    if view.state == SlotState.WAITING_EXTERNAL:
        # Say plainly what the station did not do and who must act (ABM / the KME console).
        if view.platform == Platform.IOS:
            return QCoreApplication.translate("SlotState", "Assign the serial to the MDM server in Apple Business Manager")
        return QCoreApplication.translate("SlotState", "Approve and assign the device in the KME console")
    if view.state == SlotState.WORKING and not view.attached:
        # Off the bus in the middle of a step: an erase restarts the device (a minute or two), a
        # pulled cable looks the same; say so at once instead of a frozen "Working".
        return QCoreApplication.translate("SlotState", "Not connected: restarting, or unplugged (%1)").replace(
            "%1", view.step_title.get(lang) if view.step_title is not None else ""
        )
    if view.step_title is not None and view.state == SlotState.WORKING:
        line = f"{view.step_index + 1}/{view.step_total}  {view.step_title.get(lang)}"
        if phase is not None and phase.note is not None:
            line += f" · {phase.note.get(lang)}"  # erase, then restart: each its own phase
        if phase is not None and phase.eta is not None:
            line += f" · {eta_text(phase.eta)}"
        return line
    return ""


FINISHED_OK = (SlotState.DONE, SlotState.WAITING_EXTERNAL)

# Every state in exactly one counter, so the counters add up to the number of tiles.
TALLY: dict[SlotState, str] = {
    SlotState.ATTACHED: "identifying",
    SlotState.IDENTIFYING: "identifying",
    SlotState.READY: "ready",
    SlotState.QUEUED: "queued",
    SlotState.WORKING: "working",
    SlotState.WAITING_USER: "waiting_user",
    SlotState.DONE: "done",
    SlotState.WAITING_EXTERNAL: "waiting_external",
    SlotState.FAILED: "failed",
    SlotState.INTERRUPTED: "stopped",
    SlotState.CANCELLED: "stopped",
    SlotState.DETACHED: "unplugged",
}


def tally(views: list[SlotView]) -> dict[str, int]:
    """How many tiles are in each counter, plus ``total`` (the sum of the others)."""
    out = dict.fromkeys(TALLY.values(), 0)
    for v in views:
        out[TALLY[v.state]] += 1
    out["total"] = len(views)
    return out


class SlotModel(QAbstractListModel):
    """Slots in the order they first appeared (a re-plug keeps its tile in place)."""

    countersChanged = Signal()
    viewChanged = Signal(object, object)  # (old SlotView, new SlotView): for sounds and notifications

    def __init__(self, parent: QObject | None = None, interval_ms: int = 100) -> None:
        super().__init__(parent)
        self._order: list[str] = []
        self._views: dict[str, SlotView] = {}
        self._bench: BenchLike | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._dirty = False
        self.counters = Counters()
        self._finished: deque[float] = deque()  # when each run of this bench reached done/awaiting
        self.handoff: Callable[[SlotView], str] | None = None  # the tile's hand-off line (ui/handoff.py)
        # Phase of each running step (from StepProgress notes) and when the step started.
        self._notes: dict[str, Text] = {}
        self._step_started: dict[str, tuple[str, float]] = {}
        # model id -> {step id: median seconds}, read from the log off the GUI thread.
        self._history: Callable[[str], dict[str, float]] | None = None
        self._history_executor: Executor | None = None
        self.medians: dict[str, dict[str, float]] = {}
        self._asked: set[str] = set()
        # slot -> (device key, name): the name a rename step gave the device in this slot, read
        # from the run in the log (the event says only that the step ended) off the GUI thread.
        self._names: dict[str, tuple[str, str]] = {}
        self._run_reader: Callable[[int], Mapping[str, Any] | None] | None = None
        self._run_executor: Executor | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)

    # --- wiring ----------------------------------------------------------------------------------
    def attach(self, bench: BenchLike | None) -> None:
        """Follow a bench (``None``: stop following; the tiles stay as they were)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._bench = bench
        if bench is not None:
            self._unsubscribe = bench.subscribe(self._on_event)
            self._dirty = True
            self._timer.start()
            self._tick.start()
            self.refresh()
        else:
            self._timer.stop()
            self._tick.stop()

    def clear(self) -> None:
        self.beginResetModel()
        self._order.clear()
        self._views.clear()
        self.endResetModel()

    def set_history(self, fetch: Callable[[str], dict[str, float]] | None, executor: Executor | None = None) -> None:
        """Where step medians per model come from (``KitLog.step_medians`` on the database executor)."""
        self._history, self._history_executor = fetch, executor
        self.medians.clear()
        self._asked.clear()

    def set_run_reader(self, read: Callable[[int], Mapping[str, Any] | None] | None,
                       executor: Executor | None = None) -> None:
        """Where a run's row comes from (``KitLog.run`` on the database executor), for the device's name."""
        self._run_reader, self._run_executor = read, executor

    def device_name(self, view: SlotView) -> str:
        """The name the station gave the device in this slot ("" until its rename step ended)."""
        hit = self._names.get(view.slot)
        if hit is None or view.device is None or hit[0] != view.device.key:
            return ""
        return hit[1]

    def _fetch_name(self, slot: str, run_id: int) -> None:
        read = self._run_reader
        current = self._bench.slots.get(slot) if self._bench is not None else None
        if read is None or current is None or current.device is None:
            return
        key = current.device.key  # the device the step renamed (the model's copy may be older)

        def got(row: Mapping[str, Any] | None) -> None:
            name = row.get("device_name") if row is not None else None
            if isinstance(name, str) and name:
                self._names[slot] = (key, name)
                self.repaint_slot(slot)

        # A failed read only leaves the name off the tile (History and the reports have it).
        Op(self, lambda: read(run_id), self._run_executor).success(got).failure(lambda _exc: None).run()

    def _on_event(self, event: Event) -> None:
        if isinstance(event, StepFinished) and event.step_id in RENAME_STEPS and event.outcome == Outcome.OK:
            # The log wrote the step (and the run's device_name) before the event was sent.
            self._fetch_name(event.slot, event.run_id)
        if isinstance(event, StepStarted):
            self._notes.pop(event.slot, None)
            self._step_started[event.slot] = (event.step_id, event.at)
        elif isinstance(event, StepProgress):
            if event.note is not None:
                self._notes[event.slot] = event.note
        elif isinstance(event, StepFinished | RunFinished):
            self._notes.pop(event.slot, None)
            self._step_started.pop(event.slot, None)
        self._dirty = True  # coalesced: the timer repaints

    def phase(self, view: SlotView, now: float | None = None) -> Phase:
        note = self._notes.get(view.slot) if view.state == SlotState.WORKING else None
        eta = None
        started = self._step_started.get(view.slot)
        model = view.device.model_id if view.device is not None else None
        if view.state == SlotState.WORKING and started is not None and model:
            median = self.medians.get(model, {}).get(started[0])
            if median is not None:
                left = median - ((time.time() if now is None else now) - started[1])
                eta = left if left >= 1 else None
        return Phase(note, eta)

    def _ask_history(self, views: Mapping[str, SlotView]) -> None:
        if self._history is None:
            return
        fetch = self._history
        for v in views.values():
            model = v.device.model_id if v.device is not None else None
            if not model or model in self._asked or v.state != SlotState.WORKING:
                continue
            self._asked.add(model)
            self._fetch_history(fetch, model)

    def _fetch_history(self, fetch: Callable[[str], dict[str, float]], model: str) -> None:
        # No history (a failed read) only means no ETA: ask again on a later refresh.
        Op(self, lambda: fetch(model), self._history_executor).success(
            lambda medians: self._got_history(model, medians)
        ).failure(lambda _exc: self._asked.discard(model)).run()

    def _got_history(self, model: str, medians: dict[str, float]) -> None:
        self.medians[model] = medians
        self._dirty = True

    def _on_timer(self) -> None:
        if self._dirty:
            self.refresh()

    def _on_tick(self) -> None:
        self._changed([i for i, k in enumerate(self._order) if self._views[k].state == SlotState.WORKING])

    def _changed(self, rows: list[int]) -> None:
        # One signal per row: a list view repaints its whole viewport for any range wider than
        # one index (QAbstractItemView::dataChanged), so a range from the first to the last
        # changed tile would repaint every tile in between.
        for row in rows:
            index = self.index(row)
            self.dataChanged.emit(index, index, [SLOT_ROLE])

    def refresh(self) -> None:
        """Copy the bench's slot views now (the timer calls this when something changed)."""
        self._dirty = False
        if self._bench is None:
            return
        self.set_views(self._bench.slots)
        self._ask_history(self._bench.slots)
        self.counters = self._bench.counters()
        self.countersChanged.emit()

    def set_views(self, views: Mapping[str, SlotView]) -> None:
        changed: list[int] = []
        new = [k for k in views if k not in self._views]
        now = time.time()
        for i, key in enumerate(self._order):
            v = views.get(key)
            if v is not None and v is not self._views[key] and v != self._views[key]:
                old = self._views[key]
                if v.state in FINISHED_OK and (old.state not in FINISHED_OK or old.run_id != v.run_id):
                    self._finished.append(v.finished_at or now)
                self.viewChanged.emit(old, v)
                self._views[key] = v
                changed.append(i)
        self._changed(changed)
        if new:
            first = len(self._order)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for key in new:
                self._order.append(key)
                self._views[key] = views[key]
            self.endInsertRows()

    def done_in_last_hour(self, now: float | None = None) -> int:
        """Devices that reached done (or awaiting ABM/KME) in the last 60 minutes: counted, not extrapolated."""
        t = time.time() if now is None else now
        while self._finished and t - self._finished[0] > 3600:
            self._finished.popleft()
        return len(self._finished)

    # --- model -----------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = int(Qt.ItemDataRole.DisplayRole)) -> Any:
        if not index.isValid() or index.row() >= len(self._order):
            return None
        view = self._views[self._order[index.row()]]
        if role == SLOT_ROLE:
            return view
        if role == HANDOFF_ROLE:
            return self.handoff(view) if self.handoff is not None else ""
        if role == PHASE_ROLE:
            return self.phase(view)
        if role == NAME_ROLE:
            return self.device_name(view)
        if role == int(Qt.ItemDataRole.DisplayRole):
            return display_name(view.slot, view.label)
        if role == int(Qt.ItemDataRole.ToolTipRole):
            d = view.device
            ident = " · ".join(x for x in (d.serial, *d.imeis) if x) if d is not None else view.connection_id
            # The raw slot id (LocationID / adb serial or devpath) stays reachable for support.
            slot = QCoreApplication.translate("SlotState", "Slot: %1").replace("%1", view.slot)
            name = self.device_name(view)
            if name:
                ident = QCoreApplication.translate("SlotState", "Name: %1").replace("%1", name) + "\n" + ident
            lines = (ident, detail_line(view, current_language(), self.phase(view)) or state_text(view.state), slot)
            return "\n".join(x for x in lines if x)
        if role == int(Qt.ItemDataRole.AccessibleTextRole):
            return f"{display_name(view.slot, view.label)}: {state_text(view.state)}"
        return None

    def repaint_all(self) -> None:
        if self._order:
            self.dataChanged.emit(self.index(0), self.index(len(self._order) - 1), [SLOT_ROLE])

    def repaint_slot(self, slot: str) -> None:
        if slot in self._views:
            self._changed([self._order.index(slot)])

    def view_at(self, row: int) -> SlotView:
        return self._views[self._order[row]]

    def views(self) -> list[SlotView]:
        return [self._views[k] for k in self._order]

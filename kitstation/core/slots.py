"""The bench's slots: what each shows, the one function that changes it, and who hears of it.

Every change of a slot is a bench event. :class:`SlotBoard.emit` applies the event to the slot's
view with :func:`apply_event` (a pure function), then tells every subscriber and wakes the
``wait_until`` callers. Nothing else assigns a view, so a subscriber that applies the same
events with :func:`apply_event` holds exactly what :attr:`SlotBoard.views` holds -- the GUI's
tiles and the CLI's lines cannot drift from the bench.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from kitstation.domain.events import (
    BoxUnmatched,
    DeviceAttached,
    DeviceDetached,
    DeviceIdentified,
    Event,
    IdentifyFailed,
    IdentifyStarted,
    PreflightResult,
    RunFinished,
    RunHeld,
    RunQueued,
    RunRefused,
    RunStarted,
    RunWithdrawn,
    SlotRemoved,
    SlotRenamed,
    StepFinished,
    StepProgress,
    StepStarted,
    WaitingForUser,
)
from kitstation.domain.model import Device, Platform, RunStatus, UserAction
from kitstation.i18n import Text

log = logging.getLogger(__name__)


class SlotState(enum.StrEnum):
    ATTACHED = "attached"
    IDENTIFYING = "identifying"
    WAITING_USER = "waiting_user"
    READY = "ready"  # identified; auto-apply off, no blueprint for its platform, or not chosen (--device)
    QUEUED = "queued"  # waiting for a free place under the platform's cap
    WORKING = "working"
    DONE = "done"
    WAITING_EXTERNAL = "waiting_external"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    CANCELLED = "cancelled"
    DETACHED = "detached"

    @property
    def is_final(self) -> bool:
        return self in (SlotState.DONE, SlotState.WAITING_EXTERNAL, SlotState.FAILED, SlotState.CANCELLED)


RUN_TO_SLOT: Mapping[RunStatus, SlotState] = {
    RunStatus.OK: SlotState.DONE,
    RunStatus.WAITING_EXTERNAL: SlotState.WAITING_EXTERNAL,
    RunStatus.FAILED: SlotState.FAILED,
    RunStatus.INTERRUPTED: SlotState.INTERRUPTED,
    RunStatus.CANCELLED: SlotState.CANCELLED,
    RunStatus.RUNNING: SlotState.WORKING,
}

# A run owns the slot in these states: a re-plug or an unplug does not change what the slot shows.
_RUN_OWNS = (SlotState.QUEUED, SlotState.WORKING)


@dataclass(frozen=True, slots=True)
class SlotView:
    """What the bench shows of one slot (immutable: a new view replaces the old on each change)."""

    slot: str
    label: str
    platform: Platform
    connection_id: str
    state: SlotState = SlotState.ATTACHED
    device: Device | None = None
    run_id: int | None = None
    step_id: str | None = None
    step_title: Text | None = None
    step_index: int = 0
    step_total: int = 0
    fraction: float | None = None
    reason: Text | None = None
    action: UserAction | None = None
    started_at: float | None = None
    finished_at: float | None = None
    attached: bool = True
    code: str | None = None  # the machine-readable twin of ``reason`` (e.g. "preflight_failed")
    box_note: Text | None = None  # an Android phone no scanned box matches: what to scan (*#06#)


@dataclass(frozen=True, slots=True)
class Counters:
    attached: int = 0
    working: int = 0
    waiting_user: int = 0
    done: int = 0
    waiting_external: int = 0
    failed: int = 0
    per_hour: float = 0.0


def apply_event(v: SlotView | None, e: Event) -> SlotView | None:
    """The slot view after event ``e`` (``v`` None: a slot not seen yet; a None result: no slot).

    The only place slot state is computed: the bench applies every event it emits with it, so a
    subscriber applying the same events holds the same views.
    """
    if isinstance(e, DeviceAttached):
        if v is None:
            return SlotView(slot=e.slot, label=e.label or e.slot, platform=e.platform, connection_id=e.connection_id)
        label = e.label or v.label
        if v.state in _RUN_OWNS:  # an erase re-attach (or a run still ending): the run decides
            return replace(v, attached=True, connection_id=e.connection_id, platform=e.platform, label=label)
        if e.connection_id != v.connection_id:  # another device (or a USB notice) in this slot
            return SlotView(slot=e.slot, label=label, platform=e.platform, connection_id=e.connection_id)
        return replace(v, attached=True, label=label, state=SlotState.ATTACHED, action=None, reason=None, code=None)
    if v is None or isinstance(e, PreflightResult | SlotRemoved):
        return None if isinstance(e, SlotRemoved) else v
    if isinstance(e, DeviceDetached):
        if v.state in _RUN_OWNS or v.state.is_final:
            return replace(v, attached=False)
        return replace(v, attached=False, state=SlotState.DETACHED, action=None)
    if isinstance(e, IdentifyStarted):
        return replace(v, state=SlotState.IDENTIFYING)
    if isinstance(e, DeviceIdentified):
        state = v.state if v.state in _RUN_OWNS else SlotState.READY
        return replace(v, device=e.device, state=state, action=None, reason=None, code=None, box_note=None)
    if isinstance(e, BoxUnmatched):
        return replace(v, box_note=e.reason)
    if isinstance(e, WaitingForUser):
        return replace(v, state=SlotState.WAITING_USER, action=e.action, reason=e.reason)
    if isinstance(e, IdentifyFailed):
        return replace(v, state=SlotState.FAILED, reason=e.reason, code=e.code, action=None)
    if isinstance(e, SlotRenamed):
        return replace(v, label=e.label or v.slot)
    if isinstance(e, RunHeld):
        return replace(v, state=SlotState.READY, reason=e.reason, code=e.code, action=None)
    if isinstance(e, RunRefused):
        return replace(v, state=SlotState.FAILED, reason=e.reason, code=e.code, action=None)
    if isinstance(e, RunQueued):
        return replace(v, state=SlotState.QUEUED, reason=None, code=None, action=None)
    if isinstance(e, RunWithdrawn):
        return replace(v, state=RUN_TO_SLOT[e.status], reason=e.reason, code=e.status.value, action=None)
    if isinstance(e, RunStarted):
        return replace(
            v,
            state=SlotState.WORKING,
            run_id=e.run_id,
            step_total=len(e.steps),
            started_at=e.at,
            finished_at=None,
            reason=None,
            code=None,
            action=None,
            fraction=None,
        )
    if isinstance(e, StepStarted):
        return replace(
            v,
            state=SlotState.WORKING,
            step_id=e.step_id,
            step_title=e.title,
            step_index=e.index,
            step_total=e.total,
            fraction=None,
            action=None,
            reason=None,
            code=None,
        )
    if isinstance(e, StepProgress):
        return replace(v, state=SlotState.WORKING, fraction=e.fraction, action=None)
    if isinstance(e, StepFinished):
        failed = not e.outcome.is_done
        return replace(
            v,
            state=SlotState.WORKING,
            fraction=v.fraction if failed else 1.0,
            reason=e.reason if failed else v.reason,
            code=e.code if failed else v.code,
            action=None,
        )
    if isinstance(e, RunFinished):
        finished = e.status in (RunStatus.OK, RunStatus.WAITING_EXTERNAL)
        return replace(
            v,
            state=RUN_TO_SLOT[e.status],
            run_id=e.run_id,
            reason=e.reason,
            code=e.code,
            finished_at=e.at,
            action=None,
            fraction=1.0 if finished else v.fraction,
        )
    return v  # type: ignore[unreachable]  # an event type added later changes nothing here


class SlotBoard:
    """The slot registry, the one writer of slot state, the event bus and the counters."""

    def __init__(self) -> None:
        self._views: dict[str, SlotView] = {}
        self._subscribers: list[Callable[[Event], None]] = []
        # wait_until() callers: their condition is re-checked after every event.
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []
        self._finished_times: deque[float] = deque()
        self.started = time.time()

    @property
    def views(self) -> Mapping[str, SlotView]:
        return dict(self._views)

    def get(self, slot: str) -> SlotView | None:
        return self._views.get(slot)

    def emit(self, event: Event) -> None:
        """Apply ``event`` to its slot, then tell every subscriber and wake the waiters."""
        view = apply_event(self._views.get(event.slot), event)
        if view is not None:
            self._views[event.slot] = view
        else:
            self._views.pop(event.slot, None)
        if isinstance(event, RunFinished) and event.status in (RunStatus.OK, RunStatus.WAITING_EXTERNAL):
            self._finished_times.append(event.at)
        for cb in list(self._subscribers):
            try:
                cb(event)
            except Exception:  # a broken listener must not stop the bench
                log.exception("bench event subscriber failed")
        self._wake()

    def subscribe(self, callback: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``callback`` (on the loop thread) for every event, after the slot view is updated."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    async def wait_until(self, predicate: Callable[[], bool], timeout: float | None = None) -> bool:
        """Wait until ``predicate()`` holds (re-checked after each event); False on timeout."""
        if predicate():
            return True
        entry = (predicate, asyncio.get_running_loop().create_future())
        self._waiters.append(entry)
        try:
            await asyncio.wait_for(entry[1], timeout)
        except TimeoutError:
            return False
        finally:
            self._waiters.remove(entry)
        return True

    def _wake(self) -> None:
        """Resolve the waiters whose condition now holds (a predicate's error goes to its waiter)."""
        for predicate, fut in list(self._waiters):
            if fut.done():
                continue
            try:
                if predicate():
                    fut.set_result(None)
            except Exception as exc:
                fut.set_exception(exc)

    def counters(self) -> Counters:
        views = list(self._views.values())
        now = time.time()
        while self._finished_times and now - self._finished_times[0] > 3600:
            self._finished_times.popleft()
        elapsed = max(now - self.started, 1.0)
        # Throughput over the last hour, extrapolated while the session is younger than an hour.
        per_hour = len(self._finished_times) * (3600.0 / min(elapsed, 3600.0))
        return Counters(
            # A device rebooting inside a step (erase) is off the bus for a minute but still on the bench.
            attached=sum(1 for v in views if v.attached or v.state == SlotState.WORKING),
            working=sum(1 for v in views if v.state in (SlotState.WORKING, SlotState.QUEUED, SlotState.IDENTIFYING)),
            waiting_user=sum(1 for v in views if v.state == SlotState.WAITING_USER),
            done=sum(1 for v in views if v.state == SlotState.DONE),
            waiting_external=sum(1 for v in views if v.state == SlotState.WAITING_EXTERNAL),
            failed=sum(1 for v in views if v.state == SlotState.FAILED),
            per_hour=per_hour,
        )

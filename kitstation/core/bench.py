"""The bench: many devices at once, each in its slot, prepared without more clicks.

A :class:`Bench` listens to every platform adapter's hot-plug stream, gives each device a slot
(its physical USB location where the adapter knows it, so a re-plug lands in the same slot),
identifies it (waiting, without blocking anyone, while the technician taps *Trust* or accepts USB
debugging), and -- with auto-apply on -- runs the platform's blueprint through the
:class:`~kitstation.core.pipeline.Pipeline`. Everything runs on one asyncio loop; per-platform
caps (Apple's usbmuxd is unreliable beyond ~28 devices) and per-resource limits
(``ctx.limit("erase")``) keep the bench within what the host and the network take.

Re-plugging a finished device does not redo it (the pipeline checks the log); re-plugging an
interrupted one resumes it at the step it reached -- also after the station process was killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from kitstation.blueprints.model import Blueprint
from kitstation.core.pipeline import Pipeline, RetryPolicy, RunHandle, RunRequest
from kitstation.core.protocols import (
    KnownDevices,
    NoSecrets,
    PlatformAdapter,
    PresenceNotice,
    PresenceSource,
    Secrets,
)
from kitstation.core.runlog import RunLog
from kitstation.domain.events import (
    Attached,
    Changed,
    Detached,
    DeviceAttached,
    DeviceDetached,
    DeviceIdentified,
    Event,
    IdentifyFailed,
    RunFinished,
    RunStarted,
    StepFinished,
    StepProgress,
    StepStarted,
    WaitingForUser,
)
from kitstation.domain.model import (
    USER_ACTION_TEXT,
    Device,
    Platform,
    RunStatus,
    StepError,
    UserAction,
    UserActionRequired,
)
from kitstation.i18n import Text
from kitstation.log import AsyncKitLog, KitLog

log = logging.getLogger(__name__)


class SlotState(enum.StrEnum):
    ATTACHED = "attached"
    IDENTIFYING = "identifying"
    WAITING_USER = "waiting_user"
    READY = "ready"  # identified; auto-apply off or no blueprint for its platform
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


_RUN_TO_SLOT = {
    RunStatus.OK: SlotState.DONE,
    RunStatus.WAITING_EXTERNAL: SlotState.WAITING_EXTERNAL,
    RunStatus.FAILED: SlotState.FAILED,
    RunStatus.INTERRUPTED: SlotState.INTERRUPTED,
    RunStatus.CANCELLED: SlotState.CANCELLED,
    RunStatus.RUNNING: SlotState.WORKING,
}


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


@dataclass(frozen=True, slots=True)
class Counters:
    attached: int = 0
    working: int = 0
    waiting_user: int = 0
    done: int = 0
    waiting_external: int = 0
    failed: int = 0
    per_hour: float = 0.0


@dataclass
class BenchConfig:
    blueprints: dict[Platform, Blueprint] = field(default_factory=dict)
    auto_apply: bool = True
    # At most this many steps holding each resource at once (``ctx.limit(name)``).
    limits: dict[str, int] = field(default_factory=lambda: {"erase": 8, "apk_download": 4, "install": 8})
    # At most this many devices worked on at once per platform (the rest wait, queued).
    max_active: dict[Platform, int] = field(default_factory=lambda: {Platform.IOS: 28, Platform.ANDROID: 32})
    technician: str | None = None
    customer: str = ""
    order_ref: str = ""
    label: str = ""
    station_name: str | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    identify_retry: float = 1.0  # seconds between identify attempts while waiting for the user
    identify_attempts: int = 5  # transient identify errors before the slot shows failed
    # Only these connection ids / UDIDs / serials (None: every device attached).
    only: frozenset[str] | None = None
    presence_interval: float = 2.0  # seconds between USB presence polls


@dataclass
class _Live:
    """The bench's private state for one slot."""

    view: SlotView
    adapter: PlatformAdapter
    identify_task: asyncio.Task[None] | None = None
    run_task: asyncio.Task[None] | None = None
    handle: RunHandle | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    force_next: bool = False


class Bench:
    def __init__(
        self,
        kitlog: KitLog,
        adapters: Sequence[PlatformAdapter],
        config: BenchConfig | None = None,
        *,
        secrets: Secrets | None = None,
        presence: PresenceSource | None = None,
    ) -> None:
        self.kitlog = kitlog
        self.presence = presence
        self._notices: dict[str, PresenceNotice] = {}
        self.log: RunLog = AsyncKitLog(kitlog)
        self.adapters = list(adapters)
        self.config = config or BenchConfig()
        self.secrets: Secrets = secrets or NoSecrets()
        self.session_id: int | None = None
        self.station_id: int | None = None
        self.technician_id: int | None = None
        self._live: dict[str, _Live] = {}
        self._by_connection: dict[tuple[Platform, str], str] = {}
        self._subscribers: list[Callable[[Event], None]] = []
        self._queues: list[asyncio.Queue[Event]] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._slot_names: dict[str, str] = {}
        self._resource_limits: dict[str, asyncio.Semaphore] = {}
        self._platform_caps: dict[Platform, asyncio.Semaphore] = {}
        self._finished_times: deque[float] = deque()
        self._started = time.time()
        # wait_until() callers: their condition is re-checked after every slot change.
        self._waiters: list[tuple[Callable[[Bench], bool], asyncio.Future[None]]] = []
        self.pipeline = Pipeline(self.log, self._emit, self.config.retry, self._limit)

    # --- life cycle --------------------------------------------------------------------------------
    async def start(self) -> None:
        cfg = self.config
        self.station_id = await self.log.station(cfg.station_name)
        if cfg.technician:
            self.technician_id = await self.log.technician(cfg.technician)
        self.session_id = await self.log.start_session(
            self.station_id, self.technician_id, cfg.label, cfg.customer, cfg.order_ref
        )
        self._slot_names = await self.log.slot_names(self.station_id)
        for name, n in cfg.limits.items():
            self._resource_limits[name] = asyncio.Semaphore(max(1, n))
        for platform, n in cfg.max_active.items():
            self._platform_caps[platform] = asyncio.Semaphore(max(1, n))
        self._started = time.time()
        for adapter in self.adapters:
            self._tasks.append(asyncio.create_task(self._discover(adapter), name=f"discover-{adapter.platform}"))
        if self.presence is not None:
            self._tasks.append(asyncio.create_task(self._watch_presence(self.presence), name="presence"))

    async def stop(self) -> None:
        """Stop listening; runs in progress end as *interrupted* (they resume next time)."""
        tasks: list[asyncio.Task[None]] = list(self._tasks)
        for live in self._live.values():
            for t in (live.identify_task, live.run_task):
                if t is not None and not t.done():
                    tasks.append(t)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self.session_id is not None:
            await self.log.end_session(self.session_id)
        self.log.close()

    async def __aenter__(self) -> Bench:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- what the GUI and the CLI see ---------------------------------------------------------------
    @property
    def slots(self) -> Mapping[str, SlotView]:
        return {k: v.view for k, v in self._live.items()}

    def subscribe(self, callback: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``callback`` (on the loop thread) for every event, after the slot view is updated."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    async def events(self) -> AsyncIterator[Event]:
        """Every event from now on, as an async stream."""
        queue: asyncio.Queue[Event] = asyncio.Queue()
        self._queues.append(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues.remove(queue)

    def counters(self) -> Counters:
        views = [v.view for v in self._live.values()]
        now = time.time()
        while self._finished_times and now - self._finished_times[0] > 3600:
            self._finished_times.popleft()
        elapsed = max(now - self._started, 1.0)
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

    # --- what the technician can do ------------------------------------------------------------------
    def set_auto_apply(self, on: bool) -> None:
        self.config.auto_apply = on
        if on:
            for slot, live in self._live.items():
                if live.view.state == SlotState.READY:
                    self._start_run(slot)

    def set_blueprint(self, platform: Platform, blueprint: Blueprint | None) -> None:
        if blueprint is None:
            self.config.blueprints.pop(platform, None)
        else:
            self.config.blueprints[platform] = blueprint

    async def apply(self, slot: str, force: bool = False) -> None:
        """Start (or with ``force`` redo) the blueprint on one slot now."""
        live = self._live.get(slot)
        if live is None or live.view.device is None or not live.view.attached:
            return
        if live.run_task is not None and not live.run_task.done():
            return
        live.force_next = force
        self._start_run(slot, explicit=True)

    def cancel(self, slot: str | None = None, group: Sequence[str] | None = None) -> None:
        """Cancel one slot, a group of slots, or (no argument) every run in progress."""
        targets = [slot] if slot is not None else list(group) if group is not None else list(self._live)
        for s in targets:
            live = self._live.get(s)
            if live is None:
                continue
            if live.run_task is not None and not live.run_task.done():
                if live.handle is not None:
                    live.handle.cancel_status = RunStatus.CANCELLED
                live.run_task.cancel()

    def rename_slot(self, slot: str, label: str) -> None:
        """Give a slot the name on the hub's label; kept in the log for this station."""
        self._slot_names[slot] = label
        live = self._live.get(slot)
        if live is not None:
            live.view = replace(live.view, label=label or slot)
        if self.station_id is not None:
            asyncio.get_running_loop().create_task(self.log.set_slot_name(self.station_id, slot, label))

    async def wait_until(self, predicate: Callable[[Bench], bool], timeout: float | None = None) -> bool:
        """Wait until ``predicate(bench)`` holds (re-checked after each slot change); False on timeout."""
        if predicate(self):
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

    def busy(self) -> bool:
        """True while any slot is being identified, waits for the user, is queued or works."""
        return any(
            v.view.state
            in (SlotState.ATTACHED, SlotState.IDENTIFYING, SlotState.WAITING_USER, SlotState.QUEUED, SlotState.WORKING)
            for v in self._live.values()
            if v.view.attached or v.view.state == SlotState.WORKING
        )

    # --- internals -----------------------------------------------------------------------------------
    def _limit(self, resource: str) -> contextlib.AbstractAsyncContextManager[object]:
        sem = self._resource_limits.get(resource)
        if sem is None:
            return contextlib.nullcontext()  # type: ignore[return-value]
        return sem  # type: ignore[return-value]

    def _emit(self, event: Event) -> None:
        live = self._live.get(event.slot)
        if live is not None:
            live.view = self._apply_event(live.view, event)
        if isinstance(event, RunFinished) and event.status in (RunStatus.OK, RunStatus.WAITING_EXTERNAL):
            self._finished_times.append(event.at)
        for cb in list(self._subscribers):
            try:
                cb(event)
            except Exception:  # a broken listener must not stop the bench
                log.exception("bench event subscriber failed")
        for q in self._queues:
            q.put_nowait(event)
        self._wake()

    def _wake(self) -> None:
        """Resolve the waiters whose condition now holds (a predicate's error goes to its waiter)."""
        for predicate, fut in list(self._waiters):
            if fut.done():
                continue
            try:
                if predicate(self):
                    fut.set_result(None)
            except Exception as exc:
                fut.set_exception(exc)

    @staticmethod
    def _apply_event(v: SlotView, e: Event) -> SlotView:
        if isinstance(e, DeviceAttached):
            return replace(v, attached=True)
        if isinstance(e, DeviceIdentified):
            state: SlotState = v.state if v.state == SlotState.WORKING else SlotState.READY
            return replace(v, device=e.device, state=state, action=None, reason=None)
        if isinstance(e, DeviceDetached):
            state = v.state if v.state in (SlotState.WORKING,) or v.state.is_final else SlotState.DETACHED
            return replace(v, attached=False, state=state)
        if isinstance(e, WaitingForUser):
            return replace(v, state=SlotState.WAITING_USER, action=e.action, reason=e.reason)
        if isinstance(e, IdentifyFailed):
            return replace(v, state=SlotState.FAILED, reason=e.reason, action=None)
        if isinstance(e, RunStarted):
            return replace(
                v,
                state=SlotState.WORKING,
                run_id=e.run_id,
                step_total=len(e.steps),
                started_at=e.at,
                finished_at=None,
                reason=None,
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
            )
        if isinstance(e, StepProgress):
            return replace(v, state=SlotState.WORKING, fraction=e.fraction, action=None)
        if isinstance(e, StepFinished):
            return replace(
                v,
                state=SlotState.WORKING,
                fraction=1.0 if e.outcome.is_done else v.fraction,
                reason=e.reason if not e.outcome.is_done else v.reason,
                action=None,
            )
        if isinstance(e, RunFinished):
            return replace(
                v,
                state=_RUN_TO_SLOT[e.status],
                run_id=e.run_id,
                reason=e.reason,
                finished_at=e.at,
                action=None,
                fraction=1.0 if e.status in (RunStatus.OK, RunStatus.WAITING_EXTERNAL) else v.fraction,
            )
        return v  # type: ignore[unreachable]  # an event type added later changes nothing here

    def _matches_only(self, connection_id: str, device: Device | None) -> bool:
        only = self.config.only
        if only is None:
            return True
        ids = {connection_id}
        if device is not None:
            ids |= {x for x in (device.key, device.udid, device.serial, *device.imeis) if x}
        return bool(ids & only)

    async def _discover(self, adapter: PlatformAdapter) -> None:
        try:
            async for ev in adapter.discover():
                try:
                    self._on_discovery(adapter, ev)
                except Exception:
                    log.exception("handling %r failed", ev)
        except asyncio.CancelledError:
            raise
        except Exception:
            # Discovery died (usbmuxd or the adb server went away): tell the log, keep the bench up.
            log.exception("device discovery for %s stopped", adapter.platform)

    def _on_discovery(self, adapter: PlatformAdapter, ev: Attached | Detached | Changed) -> None:
        key = (ev.platform, ev.connection_id)
        if isinstance(ev, Attached):
            slot = self._by_connection.get(key) or ev.usb_location or ev.connection_id
            self._by_connection[key] = slot
            live = self._live.get(slot)
            if live is None:
                view = SlotView(
                    slot=slot,
                    label=self._slot_names.get(slot, slot),
                    platform=ev.platform,
                    connection_id=ev.connection_id,
                )
                live = _Live(view=view, adapter=adapter)
                self._live[slot] = live
            elif live.view.connection_id.startswith("usb:"):  # a presence notice held the slot
                self._notices.pop(slot, None)
                live = _Live(
                    view=replace(
                        live.view,
                        connection_id=ev.connection_id,
                        platform=ev.platform,
                        state=SlotState.ATTACHED,
                        action=None,
                        reason=None,
                    ),
                    adapter=adapter,
                )
                self._live[slot] = live
            else:
                live.view = replace(live.view, connection_id=ev.connection_id)
            self._emit(DeviceAttached(slot, platform=ev.platform, connection_id=ev.connection_id))
            running = live.run_task is not None and not live.run_task.done()
            if running:
                live.changed.set()  # an erase re-attach: the step waiting for it carries on
                return
            if live.identify_task is None or live.identify_task.done():
                live.identify_task = asyncio.get_running_loop().create_task(self._identify(slot))
        elif isinstance(ev, Detached):
            found = self._by_connection.get(key)
            if found is None or found not in self._live:
                return
            slot = found
            live = self._live[slot]
            running = live.run_task is not None and not live.run_task.done()
            expected = (
                running and live.handle is not None and live.handle.ctx is not None and live.handle.ctx.detach_expected
            )
            if running and not expected:
                if live.handle is not None:
                    live.handle.cancel_status = RunStatus.INTERRUPTED
                assert live.run_task is not None
                live.run_task.cancel()
            if live.identify_task is not None and not live.identify_task.done():
                live.identify_task.cancel()
            self._emit(DeviceDetached(slot))
        else:  # Changed (e.g. adb unauthorized -> device)
            found = self._by_connection.get(key)
            if found is not None and found in self._live:
                self._live[found].changed.set()

    def _known(self) -> KnownDevices:
        android = [
            v.view
            for v in self._live.values()
            if v.view.platform == Platform.ANDROID and v.view.attached and v.view.slot not in self._notices
        ]
        ios_watched = any(a.platform == Platform.IOS for a in self.adapters)
        return KnownDevices(
            android_serials=frozenset(v.connection_id for v in android)
            | frozenset(v.device.key for v in android if v.device is not None),
            android_locations=frozenset(v.slot for v in android),
            ios_udids=frozenset(
                v.view.connection_id
                for v in self._live.values()
                if v.view.platform == Platform.IOS and v.view.attached and v.view.slot not in self._notices
            )
            if ios_watched
            else None,
        )

    async def _watch_presence(self, source: PresenceSource) -> None:
        """Show phones no adapter sees ("adb is off: scan its box") as slots waiting for the technician."""
        while True:
            try:
                notices = {n.location: n for n in await source.poll(self._known())}
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("USB presence polling stopped")
                return
            for loc in list(self._notices):
                if loc not in notices:
                    del self._notices[loc]
                    live = self._live.get(loc)
                    if live is not None and live.view.connection_id.startswith("usb:"):
                        del self._live[loc]
                        self._emit(DeviceDetached(loc))
            for loc, notice in notices.items():
                live = self._live.get(loc)
                if live is not None and not live.view.connection_id.startswith("usb:") and live.view.attached:
                    continue  # an adapter sees a device in that slot now
                if self._notices.get(loc) == notice:
                    continue
                self._notices[loc] = notice
                if live is None or not live.view.connection_id.startswith("usb:"):
                    view = SlotView(
                        slot=loc,
                        label=self._slot_names.get(loc, loc),
                        platform=notice.platform,
                        connection_id=f"usb:{loc}",
                        state=SlotState.WAITING_USER,
                    )
                    adapter = next((a for a in self.adapters if a.platform == notice.platform), None)
                    if adapter is None:
                        continue
                    self._live[loc] = _Live(view=view, adapter=adapter)
                    self._emit(DeviceAttached(loc, platform=notice.platform, connection_id=f"usb:{loc}"))
                self._emit(WaitingForUser(loc, action=notice.action, reason=notice.reason))
            await asyncio.sleep(self.config.presence_interval)

    async def _identify(self, slot: str) -> None:
        live = self._live[slot]
        failures = 0
        live.view = replace(live.view, state=SlotState.IDENTIFYING)
        while True:
            try:
                device = await live.adapter.identify(live.view.connection_id)
                if device.platform is Platform.ANDROID:
                    # Box scans filed under the IMEI become this device's, on the log's writer.
                    await self.log.reconcile_device(device)
                break
            except UserActionRequired as exc:
                if live.view.action != exc.action:
                    self._emit(WaitingForUser(slot, action=exc.action, reason=exc.reason))
            except asyncio.CancelledError:
                raise
            except StepError as exc:
                failures += 1
                if failures >= self.config.identify_attempts or not exc.transient:
                    self._emit(IdentifyFailed(slot, reason=exc.reason, code=exc.code))
                    return
            except Exception as exc:
                failures += 1
                log.warning("identify %s failed: %s", slot, exc)
                if failures >= self.config.identify_attempts:
                    reason = Text(f"Could not read the device: {exc}", f"デバイス情報を読み取れません: {exc}")
                    self._emit(IdentifyFailed(slot, reason=reason, code="identify_failed"))
                    return
            live.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(live.changed.wait(), self.config.identify_retry)
        device.usb_location = device.usb_location or slot
        self._emit(DeviceIdentified(slot, device=device))
        if not self._matches_only(live.view.connection_id, device):
            live.view = replace(live.view, state=SlotState.READY)
            return
        if self.config.auto_apply:
            self._start_run(slot)

    def _start_run(self, slot: str, explicit: bool = False) -> None:
        live = self._live[slot]
        device = live.view.device
        if device is None or (live.run_task is not None and not live.run_task.done()):
            return
        if not explicit and not self._matches_only(live.view.connection_id, device):
            return
        blueprint = self.config.blueprints.get(device.platform)
        if blueprint is None:
            live.view = replace(
                live.view,
                state=SlotState.READY,
                reason=Text(
                    "No blueprint chosen for this platform", "このプラットフォームのブループリントが未選択です"
                ),
            )
            return
        live.handle = RunHandle()
        live.view = replace(live.view, state=SlotState.QUEUED)
        live.run_task = asyncio.get_running_loop().create_task(self._run(slot, device, blueprint, live.handle))

    async def _run(self, slot: str, device: Device, blueprint: Blueprint, handle: RunHandle) -> None:
        live = self._live[slot]
        force, live.force_next = live.force_next, False
        cap = self._platform_caps.get(device.platform)
        assert self.station_id is not None
        try:
            async with cap if cap is not None else contextlib.nullcontext():  # type: ignore[attr-defined]
                steps = live.adapter.plan(blueprint, device)
                req = RunRequest(
                    device=device,
                    blueprint=blueprint,
                    steps=steps,
                    station_id=self.station_id,
                    slot=slot,
                    session_id=self.session_id,
                    technician_id=self.technician_id,
                    secrets=self.secrets,
                    force=force,
                )
                await self.pipeline.run(req, handle)
        except asyncio.CancelledError:
            if live.view.state == SlotState.QUEUED:  # cancelled before it got a place: nothing logged
                live.view = replace(live.view, state=SlotState.INTERRUPTED)
                self._wake()
            return
        except Exception as exc:  # the pipeline logs its own failures; this is a bug guard
            log.exception("run on %s crashed", slot)
            reason = Text(f"Internal error: {exc}", f"内部エラー: {exc}")
            self._emit(IdentifyFailed(slot, reason=reason, code="internal"))


__all__ = [
    "USER_ACTION_TEXT",
    "Bench",
    "BenchConfig",
    "Counters",
    "SlotState",
    "SlotView",
]

"""The bench: many devices at once, each in its slot, prepared without more clicks.

A :class:`Bench` listens to every platform adapter's hot-plug stream, gives each device a slot
(its physical USB location where the adapter knows it, so a re-plug lands in the same slot),
identifies it (waiting, without blocking anyone, while the technician taps *Trust* or accepts USB
debugging), and -- with auto-apply on -- runs the platform's blueprint through the
:class:`~kitstation.core.pipeline.Pipeline`. Everything runs on one asyncio loop.

The bench orchestrates; its parts live beside it: :mod:`~kitstation.core.slots` (the slot views,
the one function that changes them, the event bus, the counters), :mod:`~kitstation.core.presence`
(phones no adapter sees), :mod:`~kitstation.core.scheduling` (the settings, limits, caps, the
``only`` filter, each slot's tasks) and :mod:`~kitstation.core.preflight` (blueprint checks before
any device is touched). Every slot change is an event, so subscribers can rebuild every slot from
events alone.

Re-plugging a finished device does not redo it (the pipeline checks the log); re-plugging an
interrupted one resumes it at the step it reached -- also after the station process was killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any

from kitstation.blueprints.model import Blueprint
from kitstation.core.boxmatch import BoxMatch, join_scanned_box
from kitstation.core.naming import Namers
from kitstation.core.pipeline import Pipeline, RunHandle, RunRequest
from kitstation.core.preflight import Preflight, PreflightCheck, refusal
from kitstation.core.presence import PresenceWatcher, is_notice, known_devices
from kitstation.core.protocols import (
    KnownDevices,
    NoSecrets,
    PlatformAdapter,
    PresenceNotice,
    PresenceSource,
    Secrets,
)
from kitstation.core.runlog import RunLog
from kitstation.core.scheduling import BenchConfig, Limits, SlotWork
from kitstation.core.selection import matches_only
from kitstation.core.slots import Counters, SlotBoard, SlotState, SlotView
from kitstation.domain.events import (
    Attached,
    BoxUnmatched,
    Detached,
    DeviceAttached,
    DeviceDetached,
    DeviceIdentified,
    DiscoveryEvent,
    Event,
    IdentifyFailed,
    IdentifyStarted,
    PreflightResult,
    RunFinished,
    RunHeld,
    RunQueued,
    RunRefused,
    RunWithdrawn,
    SlotRemoved,
    SlotRenamed,
    WaitingForUser,
)
from kitstation.domain.model import (
    USER_ACTION_TEXT,
    Device,
    Platform,
    RunStatus,
    StepError,
    UserActionRequired,
)
from kitstation.i18n import Text
from kitstation.log import AsyncKitLog, KitLog

log = logging.getLogger(__name__)

NO_BLUEPRINT = Text("No blueprint chosen for this platform", "このプラットフォームのブループリントが未選択です")
WITHDRAWN = {
    RunStatus.CANCELLED: Text("Cancelled before it started", "開始前にキャンセルしました"),
    RunStatus.INTERRUPTED: Text("Interrupted before it started", "開始前に中断されました"),
}


class Bench:
    def __init__(
        self,
        kitlog: KitLog,
        adapters: Sequence[PlatformAdapter],
        config: BenchConfig | None = None,
        *,
        secrets: Secrets | None = None,
        presence: PresenceSource | None = None,
        checks: Sequence[PreflightCheck] = (),
    ) -> None:
        self.kitlog = kitlog
        self.log: RunLog = AsyncKitLog(kitlog)
        self.adapters = list(adapters)
        self.config = config or BenchConfig()
        self.secrets: Secrets = secrets or NoSecrets()
        self.session_id: int | None = None
        self.station_id: int | None = None
        self.technician_id: int | None = None
        self.board = SlotBoard()
        self._live: dict[str, SlotWork] = {}
        self._by_connection: dict[tuple[Platform, str], str] = {}
        self._tasks: list[asyncio.Task[None]] = []  # cancelled at stop
        self._writes: list[asyncio.Task[None]] = []  # log writes: awaited at stop, never cancelled
        self._slot_names: dict[str, str] = {}
        # Set once start() has checked every blueprint (and, for ``prepare``, found them all fine):
        # identifying an iPhone pairs with it, and a refused blueprint must leave devices untouched.
        self._checked = asyncio.Event()
        self._limits = Limits(self.config.limits, self.config.max_active)
        self._checks = list(checks)
        names_csv = lambda: self.config.names_csv  # noqa: E731 - read when used: the GUI may import one later
        self._preflight = Preflight(self._checks_for, self.config.preflight_max_age, self._emit, names_csv)
        self._namers = Namers(names_csv)
        self._watcher = PresenceWatcher(presence, self, self.config.presence_interval) if presence else None
        # Through a lambda: start() builds the limits again from the config as it is then.
        self.pipeline = Pipeline(self.log, self._emit, self.config.retry, lambda r: self._limits.resource(r))

    # --- life cycle --------------------------------------------------------------------------------
    async def start(self) -> None:
        """Open the session, start listening, and check the configured blueprints."""
        cfg = self.config
        self.station_id = await self.log.station(cfg.station_name)
        if cfg.technician:
            self.technician_id = await self.log.technician(cfg.technician)
        self.session_id = await self.log.start_session(
            self.station_id, self.technician_id, cfg.label, cfg.customer, cfg.order_ref
        )
        self._slot_names = await self.log.slot_names(self.station_id)
        self._limits = Limits(cfg.limits, cfg.max_active)
        self.board.started = time.time()
        for adapter in self.adapters:
            self._spawn(self._discover(adapter), f"discover-{adapter.platform}")
        if self._watcher is not None:
            self._spawn(self._watcher.run(), "presence")
        # Checked once now so that bench.preflight() answers before the first device is plugged.
        results = await asyncio.gather(*(self._check_blueprint(p, bp) for p, bp in list(cfg.blueprints.items())))
        if cfg.identify_when_refused or all(r.ok for r in results):
            self._checked.set()

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
        await self._preflight.aclose()
        await asyncio.gather(*self._writes, return_exceptions=True)
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
        return self.board.views

    def subscribe(self, callback: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``callback`` (on the loop thread) for every event, after the slot view is updated.

        Every change of a slot is an event: applying them in order with
        :func:`kitstation.core.slots.apply_event` gives :attr:`slots`.
        """
        return self.board.subscribe(callback)

    def counters(self) -> Counters:
        return self.board.counters()

    def preflight(self, platform: Platform) -> PreflightResult | None:
        """The latest check of the platform's current blueprint (None: no blueprint, or not yet checked)."""
        blueprint = self.config.blueprints.get(platform)
        return self._preflight.last(platform, blueprint) if blueprint is not None else None

    def matches_only(self, connection_id: str, device: Device | None) -> bool:
        """True when the bench works on this device (``config.only``; see :func:`selection.matches_only`)."""
        return matches_only(self.config.only, connection_id, device)

    async def wait_until(self, predicate: Callable[[Bench], bool], timeout: float | None = None) -> bool:
        """Wait until ``predicate(bench)`` holds (re-checked after each event); False on timeout."""
        return await self.board.wait_until(lambda: predicate(self), timeout)

    def busy(self) -> bool:
        """True while any slot is being identified, waits for the user, is queued or works."""
        return any(
            v.state
            in (SlotState.ATTACHED, SlotState.IDENTIFYING, SlotState.WAITING_USER, SlotState.QUEUED, SlotState.WORKING)
            for v in self.board.views.values()
            if v.attached or v.state == SlotState.WORKING
        )

    # --- what the technician can do ------------------------------------------------------------------
    def set_auto_apply(self, on: bool) -> None:
        self.config.auto_apply = on
        if on:
            self._start_ready()

    def set_blueprint(self, platform: Platform, blueprint: Blueprint | None) -> None:
        """Choose the platform's blueprint; it is checked at once (a ``PreflightResult`` event) and,
        with auto-apply on, the platform's Ready devices (and those refused by the last check) start.
        """
        if blueprint is None:
            self.config.blueprints.pop(platform, None)
            return
        self.config.blueprints[platform] = blueprint
        if self.station_id is not None:  # started: check now, then start who waits for it
            self._spawn(self._chosen(platform, blueprint), f"preflight-{platform}")

    async def apply(self, slot: str, force: bool = False) -> None:
        """Start (or with ``force`` redo) the blueprint on one slot now."""
        live = self._live.get(slot)
        view = self.board.get(slot)
        if live is None or view is None or view.device is None or not view.attached:
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
            if live is not None and live.run_task is not None and not live.run_task.done():
                self._stop_run(live, RunStatus.CANCELLED)

    def rename_slot(self, slot: str, label: str) -> None:
        """Give a slot the name on the hub's label; kept in the log for this station."""
        self._slot_names[slot] = label
        if slot in self._live:
            self._emit(SlotRenamed(slot, label=label))
        if self.station_id is not None:
            self._spawn(self.log.set_slot_name(self.station_id, slot, label), f"rename-{slot}", self._writes)

    # --- the one way slot state changes --------------------------------------------------------------
    def _emit(self, event: Event) -> None:
        """Apply an event to its slot and publish it (the pipeline emits through here too)."""
        live = self._live.get(event.slot)
        if live is not None:
            if isinstance(event, DeviceAttached):
                live.presence.set(True)
            elif isinstance(event, DeviceDetached):
                live.presence.set(False)
            elif isinstance(event, RunFinished):
                live.run_ending = True  # the run is over; its task may still be unwinding
        self.board.emit(event)

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str, into: list[asyncio.Task[None]] | None = None) -> None:
        group = self._tasks if into is None else into
        task = asyncio.get_running_loop().create_task(coro, name=name)
        group.append(task)

        def reap(t: asyncio.Task[None]) -> None:
            with contextlib.suppress(ValueError):
                group.remove(t)
            if not t.cancelled() and t.exception() is not None:
                log.error("bench task %s failed", t.get_name(), exc_info=t.exception())

        task.add_done_callback(reap)

    # --- preflight ---------------------------------------------------------------------------------
    def _checks_for(self, platform: Platform) -> list[PreflightCheck]:
        own = [a for a in self.adapters if a.platform == platform and isinstance(a, PreflightCheck)]
        return [*own, *self._checks]

    async def _check_blueprint(self, platform: Platform, blueprint: Blueprint, fresh: bool = True) -> PreflightResult:
        # Each result computed is published once (on_result), however many runs waited for it.
        return await self._preflight.check(platform, blueprint, self.secrets, fresh=fresh)

    async def _chosen(self, platform: Platform, blueprint: Blueprint) -> None:
        result = await self._check_blueprint(platform, blueprint)
        if not result.ok or not self.config.auto_apply or self.config.blueprints.get(platform) is not blueprint:
            return
        self._start_ready(platform, retry_refused=True)

    def _start_ready(self, platform: Platform | None = None, retry_refused: bool = False) -> None:
        for slot, view in self.board.views.items():
            if platform is not None and view.platform != platform or not view.attached:
                continue
            refused = retry_refused and view.state == SlotState.FAILED and view.code == "preflight_failed"
            if view.state == SlotState.READY or refused:
                self._start_run(slot)

    # --- discovery and identify ----------------------------------------------------------------------
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

    def _on_discovery(self, adapter: PlatformAdapter, ev: DiscoveryEvent) -> None:
        key = (ev.platform, ev.connection_id)
        if isinstance(ev, Attached):
            slot = self._by_connection.get(key) or ev.usb_location or ev.connection_id
            self._by_connection[key] = slot
            live = self._live.get(slot)
            if live is None:
                live = self._live[slot] = SlotWork(adapter=adapter)
            live.adapter = adapter
            if self._watcher is not None:
                self._watcher.forget(slot)
            label = self._slot_names.get(slot, "")
            self._emit(DeviceAttached(slot, platform=ev.platform, connection_id=ev.connection_id, label=label))
            if live.run_in_progress():
                return  # an erase re-attach: the step waiting for it (ctx.wait_attached) carries on
            if live.identify_task is None or live.identify_task.done():
                live.identify_task = asyncio.get_running_loop().create_task(self._identify(slot))
        elif isinstance(ev, Detached):
            found = self._by_connection.get(key)
            if found is None or found not in self._live:
                return
            live = self._live[found]
            ctx = live.handle.ctx if live.handle is not None else None
            if live.run_in_progress() and not (ctx is not None and ctx.detach_expected):
                self._stop_run(live, RunStatus.INTERRUPTED)
            if live.identify_task is not None and not live.identify_task.done():
                live.identify_task.cancel()
            self._emit(DeviceDetached(found))
        else:  # Changed (e.g. adb unauthorized -> device): try identifying again now
            found = self._by_connection.get(key)
            if found is not None and found in self._live:
                self._live[found].identify_wake.set()

    def _stop_run(self, live: SlotWork, status: RunStatus) -> None:
        if live.handle is not None:
            live.handle.cancel_status = status
        live.run_ending = True
        assert live.run_task is not None
        live.run_task.cancel()

    async def _identify(self, slot: str) -> None:
        live = self._live[slot]
        previous = live.run_task
        if previous is not None and not previous.done():
            # The device came back while its last run is still unwinding (writing its end to the
            # log): identify only once that run is over, so the two never overlap.
            await asyncio.wait({previous})
        # Devices attached at start are shown at once but identified only after the first check
        # (found under load: the pairing came before a refused blueprint's "no device was touched").
        await self._checked.wait()
        failures = 0
        box: BoxMatch | None = None
        self._emit(IdentifyStarted(slot))
        while True:
            view = self.board.get(slot)
            assert view is not None
            try:
                device = await live.adapter.identify(view.connection_id)
                if device.platform is Platform.ANDROID:
                    # The scanned box of this phone (by IMEI, else any serial property) becomes
                    # this device's row, on the log's writer.
                    box = await join_scanned_box(self.log, device)
                break
            except UserActionRequired as exc:
                if view.action != exc.action:
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
            live.identify_wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(live.identify_wake.wait(), self.config.identify_retry)
        device.usb_location = device.usb_location or slot
        self._emit(DeviceIdentified(slot, device=device))
        if box is not None and box.box is None:
            # Said on the slot, not blocking the run: the technician scans the IMEI (box or *#06#).
            self._emit(BoxUnmatched(slot, reason=box.reason, code=box.code))
        if self.config.auto_apply:
            self._start_run(slot)

    # --- runs ----------------------------------------------------------------------------------------
    def _start_run(self, slot: str, explicit: bool = False) -> None:
        live = self._live[slot]
        view = self.board.get(slot)
        device = view.device if view is not None else None
        if view is None or device is None or (live.run_task is not None and not live.run_task.done()):
            return
        if not explicit and not self.matches_only(view.connection_id, device):
            return
        blueprint = self.config.blueprints.get(device.platform)
        if blueprint is None:
            self._emit(RunHeld(slot, reason=NO_BLUEPRINT))
            return
        live.handle = RunHandle(presence=live.presence)
        live.run_ending = False
        self._emit(RunQueued(slot))
        task = asyncio.get_running_loop().create_task(self._run(slot, device, blueprint, live.handle))
        live.run_task = task
        handle = live.handle

        def withdrawn(t: asyncio.Task[None]) -> None:
            # Here, not in _run: a task cancelled before its first step never runs its body at all.
            view = self.board.get(slot)
            if t.cancelled() and view is not None and view.state == SlotState.QUEUED:
                status = handle.cancel_status
                self._emit(RunWithdrawn(slot, status=status, reason=WITHDRAWN.get(status)))

        task.add_done_callback(withdrawn)

    async def _run(self, slot: str, device: Device, blueprint: Blueprint, handle: RunHandle) -> None:
        live = self._live[slot]
        force, live.force_next = live.force_next, False
        assert self.station_id is not None
        try:
            # Again before the first step (cached for preflight_max_age): a blueprint that fails
            # its check never reaches the device.
            result = await self._check_blueprint(device.platform, blueprint, fresh=False)
            if not result.ok:
                self._emit(RunRefused(slot, reason=refusal(result)))
                return
            async with self._limits.platform(device.platform):
                req = RunRequest(
                    device=device,
                    blueprint=blueprint,
                    steps=live.adapter.plan(blueprint, device),
                    station_id=self.station_id,
                    slot=slot,
                    session_id=self.session_id,
                    technician_id=self.technician_id,
                    secrets=self.secrets,
                    force=force,
                    namer=self._namers.get(blueprint),
                    slot_label=self._slot_names.get(slot, slot),
                )
                await self.pipeline.run(req, handle)
        except Exception as exc:  # the pipeline logs its own failures; this is a bug guard
            log.exception("run on %s crashed", slot)
            reason = Text(f"Internal error: {exc}", f"内部エラー: {exc}")
            self._emit(IdentifyFailed(slot, reason=reason, code="internal"))

    # --- the presence watcher's host (PresenceHost) --------------------------------------------------
    def known(self) -> KnownDevices:
        return known_devices(self.board.views.values(), any(a.platform == Platform.IOS for a in self.adapters))

    def adapter_holds(self, location: str) -> bool:
        live = self._live.get(location)
        if live is not None and live.run_in_progress():
            return True  # e.g. an iPhone rebooting inside its erase: the run owns the slot
        view = self.board.get(location)
        return view is not None and view.attached and not is_notice(view)

    def show_notice(self, notice: PresenceNotice) -> None:
        loc = notice.location
        adapter = next((a for a in self.adapters if a.platform == notice.platform), None)
        if adapter is None:
            return
        view = self.board.get(loc)
        if view is None or not is_notice(view) or not view.attached:
            self._live[loc] = SlotWork(adapter=adapter)
            connection = f"usb:{loc}"
            self._emit(
                DeviceAttached(
                    loc, platform=notice.platform, connection_id=connection, label=self._slot_names.get(loc, "")
                )
            )
        self._emit(WaitingForUser(loc, action=notice.action, reason=notice.reason))

    def drop_notice(self, location: str) -> None:
        view = self.board.get(location)
        if view is not None and is_notice(view):
            self._live.pop(location, None)
            self._emit(SlotRemoved(location))


__all__ = [
    "USER_ACTION_TEXT",
    "Bench",
    "BenchConfig",
    "Counters",
    "SlotState",
    "SlotView",
]

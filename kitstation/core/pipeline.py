"""The kitting pipeline: one blueprint's steps on one device, logged as they happen.

* Every step's start and end is committed to the log at once (a crash loses at most the step
  in flight).
* A run interrupted (cable pulled, station killed) resumes at the step it reached: finished
  steps are not run again; a step that was in flight is asked ``check_done()``, and a step that is
  not idempotent and cannot tell is not run twice -- the run stops and says so.
* Transient errors are retried with exponential backoff; permanent ones end the run.
* A run that finished (ok, or waiting on ABM/KME) is not redone unless ``force`` is set.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from kitstation.blueprints.model import Blueprint
from kitstation.core.naming import NAME_SCRATCH_KEY, DeviceNamer, NamingError
from kitstation.core.protocols import DevicePresence, NoSecrets, Secrets, Step, StepContext
from kitstation.core.runlog import RunLog
from kitstation.domain.events import (
    Event,
    RunFinished,
    RunStarted,
    StepFinished,
    StepProgress,
    StepStarted,
    WaitingForUser,
)
from kitstation.domain.handoff import HANDOFF_KEY
from kitstation.domain.model import (
    USER_ACTION_TEXT,
    Device,
    DeviceGone,
    Outcome,
    PermanentError,
    RunStatus,
    StepError,
    StepResult,
    UserAction,
)
from kitstation.i18n import Text
from kitstation.log import StepEnd

log = logging.getLogger(__name__)
T = TypeVar("T")

ALREADY_DONE = Text(
    "Already prepared with this blueprint (not redone)", "このブループリントで準備済みです（再実行しません）"
)
# What a run that found its blueprint's latest run on the device does with it (unless forced).
FINISHED = (RunStatus.OK, RunStatus.WAITING_EXTERNAL)  # not redone
RESUMABLE = (RunStatus.RUNNING, RunStatus.INTERRUPTED)  # resumed at the step it reached
INTERNAL = Text("Internal error in step {step}: {error}", "ステップ {step} で内部エラー: {error}")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    backoff: float = 1.0  # seconds before the 2nd attempt; doubles each time
    max_backoff: float = 30.0

    def delay(self, attempt: int) -> float:
        return float(min(self.max_backoff, self.backoff * (2 ** (attempt - 1))))


@dataclass
class RunRequest:
    """Everything one run needs. ``ids`` are the log's rows (resolved by the bench once)."""

    device: Device
    blueprint: Blueprint
    steps: Sequence[Step]
    station_id: int
    slot: str = ""
    session_id: int | None = None
    technician_id: int | None = None
    secrets: Secrets = field(default_factory=NoSecrets)
    force: bool = False
    # The ``[naming]`` of this batch (its CSV loaded once; None: the blueprint's own); ``{slot}`` is ``slot_label``.
    namer: DeviceNamer | None = None
    slot_label: str = ""


@dataclass
class RunHandle:
    """What the bench can see and steer of a run in progress."""

    ctx: StepContext | None = None
    cancel_status: RunStatus = RunStatus.INTERRUPTED  # what a CancelledError means for this run
    # The device's plugs as the bench sees them (``ctx.wait_attached()``); None without a bench.
    presence: DevicePresence | None = None


async def despite_cancel(aw: Awaitable[T]) -> T:
    """Await ``aw`` to its end even when this task is cancelled meanwhile, then let the cancel
    through. For the log writes that make a run's record true (its end, a step's end): a second
    cancel (a pulled cable, then the station stopping) must not leave them unwritten behind
    ``asyncio.shield``, which would only stop waiting for them."""
    task = asyncio.ensure_future(aw)
    cancelled = False
    while True:
        try:
            result = await asyncio.shield(task)
            break
        except asyncio.CancelledError:
            if task.cancelled():
                raise  # the write itself was cancelled: nothing left to wait for
            cancelled = True
            if task.done():  # it ended as the cancel came: its result (or error) stands
                result = task.result()
                break
    if cancelled:
        raise asyncio.CancelledError
    return result


def cancel_reason(status: RunStatus) -> Text:
    """What a run ended by a cancel says: the technician's, or a pulled cable / stopped station."""
    if status == RunStatus.CANCELLED:
        return Text("Cancelled by the technician", "技術者がキャンセルしました")
    return Text("Interrupted (device disconnected or station stopped)", "中断されました（デバイス切断またはステーション停止）")


class Pipeline:
    def __init__(
        self,
        kitlog: RunLog,
        emit: Callable[[Event], None] = lambda _e: None,
        retry: RetryPolicy | None = None,
        limiter: Callable[[str], object] | None = None,
    ) -> None:
        self.log = kitlog
        self.emit = emit
        self.retry = retry or RetryPolicy()
        self.limiter = limiter

    async def run(self, req: RunRequest, handle: RunHandle | None = None) -> RunStatus:
        handle = handle or RunHandle()
        slot = req.slot or req.device.key
        opening_task = asyncio.ensure_future(
            self.log.open_run(
                req.device,
                req.blueprint,
                req.station_id,
                session_id=req.session_id,
                technician_id=req.technician_id,
                slot=slot,
                done=() if req.force else FINISHED,
                resume=() if req.force else RESUMABLE,
                # A new run goes straight to its first step, unless the device is named first.
                first_step=req.steps[0].id if req.steps and req.blueprint.naming is None else None,
            )
        )
        try:
            opening = await asyncio.shield(opening_task)
        except asyncio.CancelledError:
            # Found by CI under load (SIGTERM left a run *running*): a cancel that arrives while
            # the writer thread commits the run's start cannot stop that commit, and without the
            # run's id nothing would ever end it. Wait for the start, then end it as the cancel says.
            opening = await despite_cancel(opening_task)
            if opening.action != "done":
                await despite_cancel(self._finish_cancelled(slot, opening.run_id, handle.cancel_status))
            raise
        device_id, run_id, rp = opening.device_id, opening.run_id, opening.found
        if opening.action == "done" and rp is not None:
            status: RunStatus = rp.status
            self.emit(RunFinished(slot, run_id=rp.run_id, status=status, reason=ALREADY_DONE, code="already_done"))
            return status

        resumable = opening.action == "resumed"
        done: dict[str, StepResult] = {}
        in_flight: tuple[str, ...] = ()
        if rp is not None and resumable:
            for step_id, (outcome, detail) in rp.done_steps.items():
                done[step_id] = StepResult(outcome, detail=json.loads(detail) if detail else None)
            in_flight = rp.in_flight

        ctx = StepContext(
            device=req.device,
            blueprint=req.blueprint,
            secrets=req.secrets,
            run_id=run_id,
            done=done,
            _limiter=self.limiter,
            _presence=handle.presence,
        )
        ctx.scratch["device_id"] = device_id
        handle.ctx = ctx
        step_ids = tuple(s.id for s in req.steps)
        first_todo = next((s.id for s in req.steps if s.id not in done), None)
        self.emit(
            RunStarted(
                slot,
                run_id=run_id,
                blueprint=req.blueprint.name,
                steps=step_ids,
                resumed_from=first_todo if resumable else None,
            )
        )

        waiting_external = any(r.outcome == Outcome.WAITING_EXTERNAL for r in done.values())
        try:
            if req.blueprint.naming is not None:
                # Before the first step: a name that cannot be made leaves the device untouched.
                try:
                    ctx.scratch[NAME_SCRATCH_KEY] = await self._name(req, device_id, slot)
                except NamingError as exc:
                    return await self._finish(slot, run_id, RunStatus.FAILED, exc.code, exc.reason)
            todo = [(index, step) for index, step in enumerate(req.steps) if step.id not in done]
            started = opening.first_event  # the next step's start, committed with what came before
            for position, (index, step) in enumerate(todo):
                if step.id in in_flight:
                    verdict = await step.check_done(ctx)
                    if verdict is True:
                        ev = await self.log.step_started(run_id, step.id)
                        confirmed = Text(
                            "Confirmed done on the device after an interruption",
                            "中断後にデバイス上で完了を確認しました",
                        )
                        await self.log.step_ended(ev, Outcome.OK, "confirmed_after_resume", confirmed)
                        done[step.id] = StepResult.ok(confirmed)
                        self.emit(
                            StepFinished(slot, run_id=run_id, step_id=step.id, outcome=Outcome.OK, reason=confirmed)
                        )
                        continue
                    if verdict is None and not step.idempotent:
                        reason = Text(
                            "Interrupted during '{en}'; it is not safe to repeat automatically."
                            " Check the device, then redo the device.",
                            "「{ja}」の実行中に中断されました。自動では再実行できません。デバイスを確認してからやり直してください。",
                        ).format(en=step.title.en, ja=step.title.ja)
                        ev = await self.log.step_started(run_id, step.id)
                        await self.log.step_ended(ev, Outcome.FAILED, "unsafe_to_repeat", reason)
                        self.emit(
                            StepFinished(slot, run_id=run_id, step_id=step.id, outcome=Outcome.FAILED, reason=reason)
                        )
                        return await self._finish(slot, run_id, RunStatus.FAILED, "unsafe_to_repeat", reason)
                result, end, finished = await self._run_step(slot, run_id, ctx, step, index, len(req.steps), started)
                started = None
                if result.outcome == Outcome.WAITING_EXTERNAL:
                    waiting_external = True
                stops = {Outcome.FAILED: RunStatus.FAILED, Outcome.INTERRUPTED: RunStatus.INTERRUPTED}
                following = todo[position + 1][1] if position + 1 < len(todo) else None
                if result.outcome in stops or following is None:
                    # The step's end and the run's end in one commit, then their events.
                    final = stops.get(result.outcome) or (
                        RunStatus.WAITING_EXTERNAL if waiting_external else RunStatus.OK
                    )
                    stopped = result.outcome in stops
                    run_code, run_reason = (result.code, result.reason) if stopped else (None, None)
                    await self.log.step_ended_then_run_ended(end, run_id, final, run_code, run_reason)
                    self.emit(finished)
                    self.emit(RunFinished(slot, run_id=run_id, status=final, reason=run_reason, code=run_code))
                    return final
                if following.id in in_flight:
                    await self.log.end_step(end)  # the next step asks the device first (check_done)
                else:
                    started = await self.log.step_ended_then_started(end, run_id, following.id)
                self.emit(finished)
                done[step.id] = result
        except asyncio.CancelledError:
            # The log must record the end even while this task is being cancelled (again).
            await despite_cancel(self._finish_cancelled(slot, run_id, handle.cancel_status))
            raise
        final = RunStatus.WAITING_EXTERNAL if waiting_external else RunStatus.OK
        return await self._finish(slot, run_id, final, None, None)

    async def _name(self, req: RunRequest, device_id: int, slot: str) -> str:
        """The device's name in its batch (its running number assigned once, in the log)."""
        # Without the bench's namer (one-off runs, tests) the blueprint's own CSV is used.
        namer = req.namer or DeviceNamer(req.blueprint)

        async def assign(start: int) -> int:
            return await self.log.assign_number(req.session_id, device_id, start)

        name, _number = await namer.name_for(req.device, req.slot_label or slot, assign)
        other = await self.log.claim_name(req.session_id, device_id, name)
        if other is not None:
            raise NamingError(
                Text(
                    "The name {n} is already another device's in this batch ({o}): check the CSV",
                    "名前 {n} はこのバッチの別のデバイス（{o}）が使用しています。CSV を確認してください",
                ).format(n=name, o=other),
                code="name_taken",
            )
        return name

    async def _finish_cancelled(self, slot: str, run_id: int, status: RunStatus) -> RunStatus:
        return await self._finish(slot, run_id, status, status.value, cancel_reason(status))

    async def _finish(
        self, slot: str, run_id: int, status: RunStatus, code: str | None, reason: Text | None
    ) -> RunStatus:
        await self.log.end_run(run_id, status, code, reason)
        self.emit(RunFinished(slot, run_id=run_id, status=status, reason=reason, code=code))
        return status

    async def _run_step(
        self, slot: str, run_id: int, ctx: StepContext, step: Step, index: int, total: int, started: int | None
    ) -> tuple[StepResult, StepEnd, StepFinished]:
        """Run one step, retrying transient failures. ``started``: its start is already committed.

        The last attempt's end is returned, not written: the caller commits it together with
        what follows (the next step's start, or the run's end), then emits the event.
        """

        def progress(fraction: float | None, note: Text | None) -> None:
            self.emit(StepProgress(slot, run_id=run_id, step_id=step.id, fraction=fraction, note=note))

        def waiting(action: UserAction, reason: Text | None) -> None:
            self.emit(WaitingForUser(slot, action=action, reason=reason or USER_ACTION_TEXT[action]))

        def finished(outcome: Outcome, reason: Text | None = None, code: str | None = None) -> StepFinished:
            return StepFinished(slot, run_id=run_id, step_id=step.id, outcome=outcome, reason=reason, code=code)

        ctx._progress = progress
        ctx._waiting = waiting
        attempt = 0
        while True:
            attempt += 1
            ev = started if started is not None else await self.log.step_started(run_id, step.id, attempt)
            started = None
            self.emit(
                StepStarted(
                    slot, run_id=run_id, step_id=step.id, title=step.title, index=index, total=total, attempt=attempt
                )
            )
            try:
                result = await step.run(ctx)
            except asyncio.CancelledError:
                await despite_cancel(
                    self.log.step_ended(ev, Outcome.INTERRUPTED, "cancelled", Text("Interrupted", "中断されました"))
                )
                self.emit(finished(Outcome.INTERRUPTED))
                raise
            except DeviceGone as exc:
                end = StepEnd(ev, Outcome.INTERRUPTED, exc.code, exc.reason, exc.detail)
                return StepResult(Outcome.INTERRUPTED, exc.reason, exc.code), end, finished(
                    Outcome.INTERRUPTED, exc.reason, exc.code
                )
            except StepError as exc:
                end = StepEnd(ev, Outcome.FAILED, exc.code, exc.reason, exc.detail)
                if exc.transient and not isinstance(exc, PermanentError) and attempt < self.retry.attempts:
                    await self.log.end_step(end)
                    self.emit(finished(Outcome.FAILED, exc.reason, exc.code))
                    await asyncio.sleep(self.retry.delay(attempt))
                    continue
                return StepResult(Outcome.FAILED, exc.reason, exc.code, exc.detail), end, finished(
                    Outcome.FAILED, exc.reason, exc.code
                )
            except Exception as exc:  # a bug or an unexpected library error: log it, fail the run
                log.exception("step %s failed unexpectedly", step.id)
                reason = INTERNAL.format(step=step.id, error=f"{type(exc).__name__}: {exc}")
                end = StepEnd(ev, Outcome.FAILED, "internal", reason)
                return StepResult(Outcome.FAILED, reason, "internal"), end, finished(Outcome.FAILED, reason, "internal")
            state = result.detail.get(HANDOFF_KEY) if result.detail else None
            # Hand-off states (HandoffState) live on the device row, written with the step's end.
            handoff = (int(ctx.scratch["device_id"]), state) if isinstance(state, str) else None
            end = StepEnd(ev, result.outcome, result.code, result.reason, result.detail, handoff)
            return result, end, finished(result.outcome, result.reason, result.code)

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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

log = logging.getLogger(__name__)

ALREADY_DONE = Text(
    "Already prepared with this blueprint (not redone)", "このブループリントで準備済みです（再実行しません）"
)
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
        device_id = await self.log.upsert_device(req.device)
        blueprint_id = await self.log.blueprint(req.blueprint)
        rp = await self.log.resume_point(device_id, blueprint_id)
        slot = req.slot or req.device.key

        if rp is not None and not req.force and rp.status in (RunStatus.OK, RunStatus.WAITING_EXTERNAL):
            status: RunStatus = rp.status
            self.emit(RunFinished(slot, run_id=rp.run_id, status=status, reason=ALREADY_DONE, code="already_done"))
            return status

        resumable = rp is not None and not req.force and rp.status in (RunStatus.RUNNING, RunStatus.INTERRUPTED)
        done: dict[str, StepResult] = {}
        in_flight: tuple[str, ...] = ()
        if rp is not None and resumable:
            run_id = rp.run_id
            await self.log.close_in_flight(run_id)
            await self.log.reopen_run(run_id, slot=slot, session_id=req.session_id)
            for step_id, (outcome, detail) in rp.done_steps.items():
                done[step_id] = StepResult(outcome, detail=json.loads(detail) if detail else None)
            in_flight = rp.in_flight
        else:
            run_id = await self.log.start_run(
                device_id,
                blueprint_id,
                req.station_id,
                req.device.platform.value,
                session_id=req.session_id,
                technician_id=req.technician_id,
                slot=slot,
            )

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
            for index, step in enumerate(req.steps):
                if step.id in done:
                    continue
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
                result = await self._run_step(slot, run_id, ctx, step, index, len(req.steps))
                if result.outcome == Outcome.FAILED:
                    return await self._finish(slot, run_id, RunStatus.FAILED, result.code, result.reason)
                if result.outcome == Outcome.INTERRUPTED:
                    return await self._finish(slot, run_id, RunStatus.INTERRUPTED, result.code, result.reason)
                if result.outcome == Outcome.WAITING_EXTERNAL:
                    waiting_external = True
                done[step.id] = result
        except asyncio.CancelledError:
            status = handle.cancel_status
            reason = (
                Text("Cancelled by the technician", "技術者がキャンセルしました")
                if status == RunStatus.CANCELLED
                else Text(
                    "Interrupted (device disconnected or station stopped)",
                    "中断されました（デバイス切断またはステーション停止）",
                )
            )
            # Shield: the log must record the end even while this task is being cancelled.
            await asyncio.shield(self._finish(slot, run_id, status, status.value, reason))
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

    async def _finish(
        self, slot: str, run_id: int, status: RunStatus, code: str | None, reason: Text | None
    ) -> RunStatus:
        await self.log.end_run(run_id, status, code, reason)
        self.emit(RunFinished(slot, run_id=run_id, status=status, reason=reason, code=code))
        return status

    async def _run_step(
        self, slot: str, run_id: int, ctx: StepContext, step: Step, index: int, total: int
    ) -> StepResult:
        def progress(fraction: float | None, note: Text | None) -> None:
            self.emit(StepProgress(slot, run_id=run_id, step_id=step.id, fraction=fraction, note=note))

        def waiting(action: UserAction, reason: Text | None) -> None:
            self.emit(WaitingForUser(slot, action=action, reason=reason or USER_ACTION_TEXT[action]))

        ctx._progress = progress
        ctx._waiting = waiting
        attempt = 0
        while True:
            attempt += 1
            ev = await self.log.step_started(run_id, step.id, attempt)
            self.emit(
                StepStarted(
                    slot, run_id=run_id, step_id=step.id, title=step.title, index=index, total=total, attempt=attempt
                )
            )
            try:
                result = await step.run(ctx)
            except asyncio.CancelledError:
                await asyncio.shield(
                    self.log.step_ended(ev, Outcome.INTERRUPTED, "cancelled", Text("Interrupted", "中断されました"))
                )
                self.emit(StepFinished(slot, run_id=run_id, step_id=step.id, outcome=Outcome.INTERRUPTED))
                raise
            except DeviceGone as exc:
                await self.log.step_ended(ev, Outcome.INTERRUPTED, exc.code, exc.reason, exc.detail)
                self.emit(
                    StepFinished(
                        slot,
                        run_id=run_id,
                        step_id=step.id,
                        outcome=Outcome.INTERRUPTED,
                        reason=exc.reason,
                        code=exc.code,
                    )
                )
                return StepResult(Outcome.INTERRUPTED, exc.reason, exc.code)
            except StepError as exc:
                await self.log.step_ended(ev, Outcome.FAILED, exc.code, exc.reason, exc.detail)
                self.emit(
                    StepFinished(
                        slot, run_id=run_id, step_id=step.id, outcome=Outcome.FAILED, reason=exc.reason, code=exc.code
                    )
                )
                if exc.transient and not isinstance(exc, PermanentError) and attempt < self.retry.attempts:
                    await asyncio.sleep(self.retry.delay(attempt))
                    continue
                return StepResult(Outcome.FAILED, exc.reason, exc.code, exc.detail)
            except Exception as exc:  # a bug or an unexpected library error: log it, fail the run
                log.exception("step %s failed unexpectedly", step.id)
                reason = INTERNAL.format(step=step.id, error=f"{type(exc).__name__}: {exc}")
                await self.log.step_ended(ev, Outcome.FAILED, "internal", reason)
                self.emit(
                    StepFinished(
                        slot, run_id=run_id, step_id=step.id, outcome=Outcome.FAILED, reason=reason, code="internal"
                    )
                )
                return StepResult(Outcome.FAILED, reason, "internal")
            await self.log.step_ended(ev, result.outcome, result.code, result.reason, result.detail)
            if result.detail and isinstance(result.detail.get(HANDOFF_KEY), str):
                # Hand-off states (HandoffState) live on the device row.
                await self.log.set_external_state(ctx.scratch["device_id"], result.detail[HANDOFF_KEY])
            self.emit(
                StepFinished(
                    slot, run_id=run_id, step_id=step.id, outcome=result.outcome, reason=result.reason, code=result.code
                )
            )
            return result

"""The log for coroutines: :class:`AsyncKitLog` runs every call on one writer thread, in order.

One thread keeps SQLite's single writer happy and preserves the order of a run's events. Each
method is spelled out (no attribute forwarding) so that mypy checks every call the
pipeline and the bench make; together they implement :class:`kitstation.core.runlog.RunLog`.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from kitstation.blueprints.model import Blueprint
from kitstation.domain.model import Device, Outcome, RunStatus
from kitstation.i18n import Text
from kitstation.log.queries import ResumePoint, Row
from kitstation.log.transitions import RunOpening, StepEnd

if TYPE_CHECKING:
    from kitstation.log.store import KitLog

P = ParamSpec("P")
T = TypeVar("T")


class AsyncKitLog:
    """The async face of a :class:`~kitstation.log.KitLog` (``sync`` is the log itself)."""

    def __init__(self, log: KitLog) -> None:
        self.sync = log
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kitlog")

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run any of the log's calls on the writer thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    # --- the bench ---------------------------------------------------------------------------------
    async def station(self, name: str | None = None) -> int:
        return await self.call(self.sync.station, name)

    async def technician(self, name: str) -> int:
        return await self.call(self.sync.technician, name)

    async def start_session(
        self,
        station_id: int,
        technician_id: int | None = None,
        label: str = "",
        customer: str = "",
        order_ref: str = "",
    ) -> int:
        return await self.call(self.sync.start_session, station_id, technician_id, label, customer, order_ref)

    async def end_session(self, session_id: int) -> None:
        await self.call(self.sync.end_session, session_id)

    async def slot_names(self, station_id: int) -> dict[str, str]:
        return await self.call(self.sync.slot_names, station_id)

    async def set_slot_name(self, station_id: int, location: str, label: str) -> None:
        await self.call(self.sync.set_slot_name, station_id, location, label)

    async def intake_boxes(self, keys: Sequence[str], imeis: Sequence[str] = ()) -> tuple[list[Row], bool]:
        return await self.call(self.sync.intake_boxes, keys, imeis)

    async def join_box(self, device: Device, box_id: int) -> int:
        return await self.call(self.sync.join_box, device, box_id)

    # --- the pipeline ------------------------------------------------------------------------------
    async def open_run(
        self,
        device: Device,
        blueprint: Blueprint,
        station_id: int,
        *,
        session_id: int | None = None,
        technician_id: int | None = None,
        slot: str = "",
        done: Collection[RunStatus] = (),
        resume: Collection[RunStatus] = (),
        first_step: str | None = None,
    ) -> RunOpening:
        return await self.call(
            self.sync.open_run,
            device,
            blueprint,
            station_id,
            session_id=session_id,
            technician_id=technician_id,
            slot=slot,
            done=done,
            resume=resume,
            first_step=first_step,
        )

    async def step_ended_then_started(self, end: StepEnd, run_id: int, step_id: str, attempt: int = 1) -> int:
        return await self.call(self.sync.step_ended_then_started, end, run_id, step_id, attempt)

    async def step_ended_then_run_ended(
        self, end: StepEnd, run_id: int, status: RunStatus, code: str | None = None, reason: Text | None = None
    ) -> None:
        await self.call(self.sync.step_ended_then_run_ended, end, run_id, status, code, reason)

    async def end_step(self, end: StepEnd) -> None:
        await self.call(self.sync.end_step, end)

    async def upsert_device(self, device: Device) -> int:
        return await self.call(self.sync.upsert_device, device)

    async def blueprint(self, bp: Blueprint) -> int:
        return await self.call(self.sync.blueprint, bp)

    async def resume_point(self, device_id: int, blueprint_id: int) -> ResumePoint | None:
        return await self.call(self.sync.resume_point, device_id, blueprint_id)

    async def close_in_flight(self, run_id: int) -> None:
        await self.call(self.sync.close_in_flight, run_id)

    async def reopen_run(self, run_id: int, *, slot: str | None = None, session_id: int | None = None) -> None:
        await self.call(self.sync.reopen_run, run_id, slot=slot, session_id=session_id)

    async def start_run(
        self,
        device_id: int,
        blueprint_id: int,
        station_id: int,
        platform: str,
        *,
        session_id: int | None = None,
        technician_id: int | None = None,
        slot: str = "",
    ) -> int:
        return await self.call(
            self.sync.start_run,
            device_id,
            blueprint_id,
            station_id,
            platform,
            session_id=session_id,
            technician_id=technician_id,
            slot=slot,
        )

    async def end_run(
        self, run_id: int, status: RunStatus, code: str | None = None, reason: Text | None = None
    ) -> None:
        await self.call(self.sync.end_run, run_id, status, code, reason)

    async def step_started(self, run_id: int, step_id: str, attempt: int = 1) -> int:
        return await self.call(self.sync.step_started, run_id, step_id, attempt)

    async def step_ended(
        self,
        event_id: int,
        outcome: Outcome,
        code: str | None = None,
        reason: Text | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        await self.call(self.sync.step_ended, event_id, outcome, code, reason, detail)

    async def set_external_state(self, device_id: int, state: str) -> None:
        await self.call(self.sync.set_external_state, device_id, state)

    async def record_check(
        self,
        device_id: int,
        step_id: str,
        outcome: Outcome,
        code: str | None = None,
        reason: Text | None = None,
        detail: dict[str, Any] | None = None,
    ) -> int | None:
        return await self.call(self.sync.record_check, device_id, step_id, outcome, code, reason, detail)

    # --- device names ------------------------------------------------------------------------------
    async def assign_number(self, session_id: int | None, device_id: int, start: int) -> int:
        return await self.call(self.sync.assign_number, session_id, device_id, start)

    async def claim_name(self, session_id: int | None, device_id: int, name: str) -> str | None:
        return await self.call(self.sync.claim_name, session_id, device_id, name)

"""The log for coroutines: :class:`AsyncKitLog` runs every call on one writer thread, in order.

One thread keeps SQLite's single writer happy and preserves the order of a run's events. A step's
end (and a hand-off state) is queued without waiting for its commit (:meth:`AsyncKitLog.step_ended`):
the one writer thread commits it before anything queued later -- the run's next step start, which
the pipeline does wait for before touching the device -- so the order in the log is unchanged and
the device waits for one commit per step instead of two. In a 64-device batch, where every write
queues behind the other devices' (p50 24 ms, max 270 ms per write), that was up to half of each
device's log waits. A queued write that fails is raised by the next call. Each
method is spelled out (no attribute forwarding) so that mypy checks every call the
pipeline and the bench make; together they implement :class:`kitstation.core.runlog.RunLog`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from kitstation.blueprints.model import Blueprint
from kitstation.domain.model import Device, Outcome, RunStatus
from kitstation.i18n import Text
from kitstation.log.queries import ResumePoint, Row

if TYPE_CHECKING:
    from kitstation.log.store import KitLog

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


class AsyncKitLog:
    """The async face of a :class:`~kitstation.log.KitLog` (``sync`` is the log itself)."""

    def __init__(self, log: KitLog) -> None:
        self.sync = log
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kitlog")
        self._queued: set[asyncio.Future[Any]] = set()
        self._failed: BaseException | None = None

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run any of the log's calls on the writer thread."""
        self._raise_failed()
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))
        self._raise_failed()  # a queued write ahead of this one failed
        return result

    def _queue(self, fn: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
        """Put a write on the writer thread now (in order with every other call); do not wait for it."""
        self._raise_failed()
        fut = asyncio.get_running_loop().run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))
        self._queued.add(fut)
        fut.add_done_callback(self._queued_done)

    def _queued_done(self, fut: asyncio.Future[Any]) -> None:
        self._queued.discard(fut)
        if not fut.cancelled() and fut.exception() is not None:
            log.error("a queued log write failed", exc_info=fut.exception())
            self._failed = self._failed or fut.exception()

    def _raise_failed(self) -> None:
        if self._failed is not None:
            exc, self._failed = self._failed, None
            raise exc

    async def flush(self) -> None:
        """Wait until every queued write is committed (raising the first that failed)."""
        if self._queued:
            await asyncio.wait(set(self._queued))
        self._raise_failed()

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
        """Queued, committed before any later call's write (see the module docstring)."""
        self._queue(self.sync.step_ended, event_id, outcome, code, reason, detail)

    async def set_external_state(self, device_id: int, state: str) -> None:
        """Queued like :meth:`step_ended`."""
        self._queue(self.sync.set_external_state, device_id, state)

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

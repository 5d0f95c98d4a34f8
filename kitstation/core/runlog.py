"""What the bench and the pipeline need of the log: the :class:`RunLog` protocol.

The core declares it; the log's async writer (:class:`kitstation.log.AsyncKitLog`) implements
it, one writer thread behind coroutines. Annotating against the protocol keeps every call the
core makes checked by mypy (a misspelled method or a wrong argument is an error).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Protocol

from kitstation.blueprints.model import Blueprint
from kitstation.domain.model import Device, Outcome, RunStatus
from kitstation.i18n import Text
from kitstation.log import ResumePoint, RunOpening, StepEnd


class RunLog(Protocol):
    """The log's writes and reads for runs in progress, as coroutines (committed at once)."""

    def close(self) -> None: ...

    # --- the bench: station, session, slots, devices as identified ---------------------------------
    async def station(self, name: str | None = None) -> int: ...

    async def technician(self, name: str) -> int: ...

    async def start_session(
        self,
        station_id: int,
        technician_id: int | None = None,
        label: str = "",
        customer: str = "",
        order_ref: str = "",
    ) -> int: ...

    async def end_session(self, session_id: int) -> None: ...

    async def slot_names(self, station_id: int) -> dict[str, str]: ...

    async def set_slot_name(self, station_id: int, location: str, label: str) -> None: ...

    async def intake_boxes(
        self, keys: Sequence[str], imeis: Sequence[str] = ()
    ) -> tuple[list[dict[str, Any]], bool]:
        """Scanned box rows a phone may belong to (by serial or IMEI), and whether any box waits."""
        ...

    async def join_box(self, device: Device, box_id: int) -> int:
        """Make the scanned box row this identified phone's; the phone's row id."""
        ...

    # --- the pipeline: one run's rows ---------------------------------------------------------------
    # Each call waits its turn on the log's one writer, so the pipeline makes one call per
    # transition: the run's start, a step's end with the next start or the run's end.
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
        """The device's and blueprint's rows and the latest run of it: left as it is when its
        status is in ``done``, reopened when in ``resume``, else a new run (with ``first_step``
        started when given) -- in one commit."""
        ...

    async def step_ended_then_started(self, end: StepEnd, run_id: int, step_id: str, attempt: int = 1) -> int:
        """A step's end (committed before its event is sent) and the next step's start, together."""
        ...

    async def step_ended_then_run_ended(
        self, end: StepEnd, run_id: int, status: RunStatus, code: str | None = None, reason: Text | None = None
    ) -> None:
        """A run's last step's end and the run's end, together."""
        ...

    async def end_step(self, end: StepEnd) -> None:
        """A step's end alone, with the hand-off state it reached."""
        ...

    async def upsert_device(self, device: Device) -> int: ...

    async def blueprint(self, bp: Blueprint) -> int: ...

    async def resume_point(self, device_id: int, blueprint_id: int) -> ResumePoint | None: ...

    async def close_in_flight(self, run_id: int) -> None: ...

    async def reopen_run(self, run_id: int, *, slot: str | None = None, session_id: int | None = None) -> None: ...

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
    ) -> int: ...

    async def end_run(
        self, run_id: int, status: RunStatus, code: str | None = None, reason: Text | None = None
    ) -> None: ...

    async def step_started(self, run_id: int, step_id: str, attempt: int = 1) -> int: ...

    async def step_ended(
        self,
        event_id: int,
        outcome: Outcome,
        code: str | None = None,
        reason: Text | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None: ...

    async def set_external_state(self, device_id: int, state: str) -> None: ...

    # --- device names (kitstation.core.naming) ------------------------------------------------------
    async def assign_number(self, session_id: int | None, device_id: int, start: int) -> int:
        """The device's running number in the session's batch: kept once given, never shared."""
        ...

    async def claim_name(self, session_id: int | None, device_id: int, name: str) -> str | None:
        """Record the device's name in its batch; the key of another device that has it, if any."""
        ...

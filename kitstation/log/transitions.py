"""A run's transitions as one transaction each: its start, a step's end with what follows it.

In a batch every log write waits its turn on the one writer thread and a round trip through the
event loop (64 devices: p50 15-45 ms per write, measured in docs/BENCHMARKS.md "Bench, fourth
round"), while the write itself takes about 0.5 ms. So the pipeline makes one call where it used
to make several in a row:

* :meth:`RunTransitions.open_run`: the device's row, the blueprint's (cached per content hash),
  the latest run of that blueprint on the device and then, as the caller's policy says, that run
  reopened (its steps in flight closed), a new run, or nothing (already done);
* :meth:`RunTransitions.step_ended_then_started`: a step's end (and the hand-off state it
  reached) with the next step's start;
* :meth:`RunTransitions.step_ended_then_run_ended`: a run's last step's end with the run's end.

Each commits before it returns, so the pipeline's promises hold: a step's end is committed before
its event is sent (the GUI reads the device's name from the log on the rename step's end), a
step's start before the step touches the device, and a kill -9 loses at most the step in flight.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from kitstation.blueprints.loader import content_hash
from kitstation.blueprints.model import Blueprint
from kitstation.domain.model import Device, Outcome, RunStatus
from kitstation.i18n import Text
from kitstation.log.devices import set_state_in, upsert_in
from kitstation.log.queries import ResumePoint, resume_point_in
from kitstation.log.tables import bp_t, pk
from kitstation.log.writes import (
    blueprint_values,
    close_steps_in_flight,
    finish_run,
    finish_step,
    insert_run,
    insert_step,
    reopen,
)


@dataclass(frozen=True, slots=True)
class StepEnd:
    """How a step ended, as :meth:`~kitstation.log.KitLog.step_ended` takes it; ``handoff`` is the
    (device row, hand-off state) the step reached, written with it."""

    event_id: int
    outcome: Outcome
    code: str | None = None
    reason: Text | None = None
    detail: dict[str, Any] | None = field(default=None, hash=False)
    handoff: tuple[int, str] | None = None


@dataclass(frozen=True, slots=True)
class RunOpening:
    """What :meth:`RunTransitions.open_run` found and did.

    ``found`` is the latest run of the blueprint on the device before this call (None: none);
    ``run_id`` the run to go on with — ``found``'s when it was reopened or is left as done
    (``action`` "resumed" / "done"), else a new one ("new").
    """

    device_id: int
    blueprint_id: int
    run_id: int
    action: str
    found: ResumePoint | None
    first_event: int | None = None  # a new run's first step, started with it (``first_step``)


def _blueprint_in(conn: Connection, bp: Blueprint, digest: str) -> int:
    found = conn.execute(select(bp_t.c.id).where(bp_t.c.content_hash == digest)).scalar()
    if found is not None:
        return int(found)
    return pk(conn.execute(insert(bp_t).values(content_hash=digest, **blueprint_values(bp))))


class RunTransitions:
    """The combined writes (mixed into :class:`kitstation.log.KitLog`)."""

    engine: Engine
    blueprint_rows: dict[str, int]

    def open_run(
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
        """A run's start in one transaction. The latest run of the blueprint on the device is left
        as it is when its status is in ``done``, reopened when in ``resume`` (steps left running
        become interrupted; its slot and batch become this one's); otherwise a new run starts,
        with ``first_step`` started too when given (the caller runs it next, with no wait between)."""
        digest = content_hash(blueprint)
        args = (device, blueprint, digest, station_id, session_id, technician_id, slot, done, resume, first_step)
        try:
            opening = self._open_run_once(*args)
        except IntegrityError:
            # Another station inserted the device or the blueprint meanwhile; the whole
            # transaction was rolled back, and a second one finds their rows.
            opening = self._open_run_once(*args)
        self.blueprint_rows[digest] = opening.blueprint_id  # committed: safe to remember
        return opening

    def _open_run_once(
        self,
        device: Device,
        blueprint: Blueprint,
        digest: str,
        station_id: int,
        session_id: int | None,
        technician_id: int | None,
        slot: str,
        done: Collection[RunStatus],
        resume: Collection[RunStatus],
        first_step: str | None,
    ) -> RunOpening:
        with self.engine.begin() as conn:
            device_id = upsert_in(conn, device)
            blueprint_id = self.blueprint_rows.get(digest)
            if blueprint_id is None:
                blueprint_id = _blueprint_in(conn, blueprint, digest)
            found = resume_point_in(conn, device_id, blueprint_id)
            if found is not None and found.status in done:
                return RunOpening(device_id, blueprint_id, found.run_id, "done", found)
            if found is not None and found.status in resume:
                close_steps_in_flight(conn, found.run_id)
                reopen(conn, found.run_id, slot=slot, session_id=session_id)
                return RunOpening(device_id, blueprint_id, found.run_id, "resumed", found)
            run_id = insert_run(
                conn,
                device_id,
                blueprint_id,
                station_id,
                device.platform.value,
                session_id=session_id,
                technician_id=technician_id,
                slot=slot,
            )
            first = insert_step(conn, run_id, first_step) if first_step is not None else None
            return RunOpening(device_id, blueprint_id, run_id, "new", found, first)

    def step_ended_then_started(self, end: StepEnd, run_id: int, step_id: str, attempt: int = 1) -> int:
        """``end`` and the run's next step's start, committed together; the new step's row id."""
        with self.engine.begin() as conn:
            _end_step(conn, end)
            return insert_step(conn, run_id, step_id, attempt)

    def step_ended_then_run_ended(
        self, end: StepEnd, run_id: int, status: RunStatus, code: str | None = None, reason: Text | None = None
    ) -> None:
        """``end`` and the run's end, committed together."""
        with self.engine.begin() as conn:
            _end_step(conn, end)
            finish_run(conn, run_id, status, code, reason)

    def end_step(self, end: StepEnd) -> None:
        """``end`` alone (with its hand-off state), in one transaction."""
        with self.engine.begin() as conn:
            _end_step(conn, end)


def _end_step(conn: Connection, end: StepEnd) -> None:
    finish_step(conn, end.event_id, end.outcome, end.code, end.reason, end.detail)
    if end.handoff is not None:
        set_state_in(conn, *end.handoff)

"""The history's view of a cloud assignment: the detail (activity / request id) of the step that did it.

The reports' hand-off column says *assigned* with that id; it is looked up only for devices
whose hand-off state is assigned, so an export of many unassigned runs pays nothing for it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, null, select

from kitstation.domain.handoff import HandoffState
from kitstation.domain.model import Outcome
from kitstation.log.tables import device_t, run_t, step_t

# The steps that record a cloud assignment, with its activity / request id in their detail.
ASSIGN_STEPS = ("abm.assign", "kme.assign")
_ASSIGNED = (HandoffState.ABM_ASSIGNED.value, HandoffState.KME_ASSIGNED.value)


def assignment_detail() -> ColumnElement[Any]:
    """The detail of the run's last successful cloud assignment (looked up only for assigned devices)."""
    latest = (
        select(step_t.c.detail)
        .where(step_t.c.run_id == run_t.c.id, step_t.c.step_id.in_(ASSIGN_STEPS), step_t.c.outcome == Outcome.OK.value)
        .order_by(step_t.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return case((device_t.c.external_state.in_(_ASSIGNED), latest), else_=null())

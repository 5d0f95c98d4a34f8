"""Hand-off states: where a device stands in what happens after the bench (ABM, KME, enrollment).

They live on the device's row in the log. A step sets one by putting it under :data:`HANDOFF_KEY`
in its result's ``detail``; the pipeline and the log's later checks apply it to the device.
"""

from __future__ import annotations

import enum

from kitstation.i18n import Text

# The key of a step result's ``detail`` that carries the device's new hand-off state.
HANDOFF_KEY = "external_state"


class HandoffState(enum.StrEnum):
    """The device's state outside the station. The empty state (nothing handed off) is ``NONE``."""

    NONE = ""
    AWAITING_ABM = "awaiting_abm"  # the device side of Prepare is done; ABM must assign the serial
    ABM_ASSIGNED = "abm_assigned"  # Apple's cloud configuration (or Apple Business) shows the assignment
    KME_REGISTERED = "kme_registered"  # on the KME upload list; the KME console must approve/assign
    KME_ASSIGNED = "kme_assigned"  # the KME API shows the customer's profile assigned to the device
    ENROLLED = "enrolled"  # the MDM agent is Device Owner / the device is enrolled

    @property
    def text(self) -> Text:
        return HANDOFF_TEXT[self]


HANDOFF_TEXT: dict[HandoffState, Text] = {
    HandoffState.NONE: Text("-", "-"),
    HandoffState.AWAITING_ABM: Text("Awaiting ABM assignment", "ABM割り当て待ち"),
    HandoffState.ABM_ASSIGNED: Text("Assigned in ABM", "ABM割り当て済み"),
    HandoffState.KME_REGISTERED: Text("Listed for KME upload", "KME登録リスト掲載"),
    HandoffState.KME_ASSIGNED: Text("KME profile assigned", "KMEプロファイル割り当て済み"),
    HandoffState.ENROLLED: Text("Enrolled", "MDM登録済み"),
}

# Later states win when two records of one device are merged (intake + adb).
HANDOFF_ORDER: tuple[HandoffState, ...] = (
    HandoffState.NONE,
    HandoffState.KME_REGISTERED,
    HandoffState.KME_ASSIGNED,
    HandoffState.AWAITING_ABM,
    HandoffState.ABM_ASSIGNED,
    HandoffState.ENROLLED,
)

"""Blueprint sections for the cloud hand-offs: the customer's Apple Business MDM server and KME profile.

``[abm]`` names the MDM server (as Apple Business lists it, or its id) the station assigns each
iPhone/iPad to after its Prepare; ``[kme]`` names the Knox Mobile Enrollment profile it assigns
each Galaxy phone to. Both name the customer whose API credentials to use (imported once with
``kitstation abm|kme credentials import``); the credentials themselves are never in a blueprint.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kitstation.blueprints.base import Section


class AbmAssignment(Section):
    """Assign each prepared iPhone/iPad to the customer's MDM server in Apple Business."""

    mdm_server: str = Field(min_length=1)  # name as Apple Business shows it, or the server id
    customer: str = ""  # whose API account; default: the blueprint's [customer].name
    service: Literal["business", "school"] = "business"
    # Serials are collected for this long after the first one, then assigned in one activity.
    batch_window_seconds: float = Field(default=5.0, ge=0.0, le=600.0)
    max_batch: int = Field(default=100, ge=1, le=1000)
    activity_timeout_minutes: int = Field(default=30, ge=1, le=24 * 60)


class KmeAssignment(Section):
    """Approve the reseller's upload and assign the KME profile to each prepared Galaxy phone."""

    profile: str = Field(min_length=1)  # the KME profile's name, or its id
    customer: str = ""
    approve: bool = True  # approve a pending reseller upload before assigning
    identify_by: Literal["imei", "serial", "imei_or_serial"] = "imei_or_serial"
    batch_window_seconds: float = Field(default=5.0, ge=0.0, le=600.0)
    max_batch: int = Field(default=100, ge=1, le=1000)

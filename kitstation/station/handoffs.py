"""The cloud hand-offs in the station: plans that end with the assignment, and their preflight.

:class:`HandoffAdapter` wraps a platform adapter so its plans end with the hand-offs' steps
(``kitstation.abm.steps.AbmHandoff``, ``kitstation.kme.steps.KmeHandoff``: steps only for
blueprints with an ``[abm]`` / ``[kme]`` section) and its own hand-off step says that the
assignment follows. The same hand-off objects are the bench's preflight checks, so the GUI's
bench and the CLI's ``prepare`` refuse a batch with a missing or expired credential the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kitstation.cloudapi.assign import CloudHandoff
from kitstation.core.preflight import PreflightContext, Problem
from kitstation.core.protocols import PlatformAdapter, Step
from kitstation.domain.model import Device, Platform

if TYPE_CHECKING:
    from kitstation.blueprints.model import Blueprint


class HandoffAdapter:
    """A platform adapter whose plans end with the cloud hand-off steps (Apple Business, KME)."""

    def __init__(self, inner: PlatformAdapter, handoffs: Sequence[CloudHandoff]) -> None:
        self.inner = inner
        self.handoffs = list(handoffs)

    @property
    def platform(self) -> Platform:
        return self.inner.platform

    def discover(self) -> Any:
        return self.inner.discover()

    async def identify(self, connection_id: str) -> Device:
        return await self.inner.identify(connection_id)

    def plan(self, blueprint: Any, device: Device) -> list[Step]:
        steps = list(self.inner.plan(blueprint, device))
        for handoff in self.handoffs:
            extra = handoff.steps(blueprint, device)
            if extra:
                steps = handoff.wrap(blueprint, steps) + extra
        return steps

    async def aclose(self) -> None:
        await self.inner.aclose()

    def __getattr__(self, name: str) -> Any:  # plan_dep_verify, verify_dep_assignment, preflight, ...
        return getattr(self.inner, name)


def make_handoffs(demo: Any = None) -> list[CloudHandoff]:
    """The hand-offs: the credential store's accounts, or (simulated) the stand-ins' demo ones."""
    from kitstation.abm.steps import AbmHandoff
    from kitstation.kme.steps import KmeHandoff

    if demo is None:
        return [AbmHandoff(), KmeHandoff()]
    # The simulated organization takes its own demo credentials for whichever customer a
    # blueprint names: nothing is written to the station's credential store.
    from kitstation.abm.credentials import StoredAbmAccount
    from kitstation.kme.credentials import StoredKmeClient

    return [
        AbmHandoff(
            accounts=lambda c: StoredAbmAccount(c, demo.abm_client_id, demo.abm_key_id, demo.abm_private_key_pem)
        ),
        KmeHandoff(clients=lambda c: StoredKmeClient(c, demo.kme_client_id, demo.kme_client_secret)),
    ]


async def blueprint_problems(handoffs: Sequence[CloudHandoff], blueprint: Blueprint) -> list[Problem]:
    """The hand-offs' preflight for each platform the blueprint has: what the bench would refuse."""
    problems: list[Problem] = []
    for platform in (Platform.IOS, Platform.ANDROID):
        section = blueprint.ios if platform == Platform.IOS else blueprint.android
        if section is None:
            continue
        for handoff in handoffs:
            problems += await handoff.preflight(blueprint, PreflightContext(platform))
    return problems

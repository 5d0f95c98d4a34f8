"""The cloud hand-offs in the station: plans that end with the assignment, and their preflight.

:class:`HandoffAdapter` wraps a platform adapter so its plans end with the hand-offs' steps
(``kitstation.abm.steps.AbmHandoff``, ``kitstation.kme.steps.KmeHandoff``: steps only for
blueprints with an ``[abm]`` / ``[kme]`` section) and its own hand-off step says that the
assignment follows. The same hand-off objects are the bench's preflight checks, so the GUI's
bench and the CLI's ``prepare`` refuse a batch with a missing or expired credential the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kitstation.cloudapi.assign import CloudHandoff
from kitstation.core.preflight import PreflightContext, Problem
from kitstation.core.protocols import NoSecrets, PlatformAdapter, Step, StepContext
from kitstation.domain.model import Device, Outcome, Platform, StepError, StepResult
from kitstation.i18n import Text

if TYPE_CHECKING:
    from kitstation.blueprints.model import Blueprint
    from kitstation.log.store import AsyncKitLog


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

    async def preflight(self, blueprint: Blueprint, ctx: PreflightContext) -> Sequence[Problem]:
        """The inner adapter's own checks (none when it has no ``preflight``).

        Written out, not left to ``__getattr__``: from Python 3.12 ``isinstance`` against a
        runtime-checkable protocol looks attributes up statically (``inspect.getattr_static``), so
        a delegated ``preflight`` made the bench see no check and start runs on a broken blueprint.
        """
        check = getattr(self.inner, "preflight", None)
        return list(await check(blueprint, ctx)) if check is not None else []

    def __getattr__(self, name: str) -> Any:  # plan_dep_verify, verify_dep_assignment, ...
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


async def ask_apple_business(handoffs: Sequence[CloudHandoff], customer: str, serials: list[str]) -> dict[str, Any]:
    """What Apple Business says about ``serials`` with the customer's API account (no device is touched).

    ``{"asked": False, "reason": ...}`` when the customer has no usable account (the device's own
    answer then stands alone), ``{"asked": False, "error": ...}`` when the service refused.
    """
    from kitstation.abm.status import serial_status
    from kitstation.abm.steps import AbmHandoff
    from kitstation.cloudapi.credentials import CredentialError
    from kitstation.cloudapi.http import CloudError

    abm = next((h for h in handoffs if isinstance(h, AbmHandoff)), None)
    if abm is None or not customer:
        return {"asked": False, "customer": customer or None, "reason": None, "devices": []}
    try:
        client = abm.client(customer)
    except CredentialError as exc:
        return {"asked": False, "customer": customer, "code": exc.code, "reason": exc.reason, "devices": []}
    try:
        async with client:
            rows = await serial_status(client, serials) if serials else []
    except CloudError as exc:
        return {"asked": False, "customer": customer, "code": exc.code, "reason": exc.reason, "devices": []}
    return {"asked": True, "customer": customer, "code": None, "reason": None, "devices": rows}


@dataclass(frozen=True, slots=True)
class LaterAssignment:
    """One device's answer to a batch-level "assign N devices" (logged under its latest run)."""

    device: Device
    step_id: str
    outcome: Outcome
    code: str | None
    reason: Text | None


async def assign_devices(
    alog: AsyncKitLog,
    handoffs: Sequence[CloudHandoff],
    blueprints: Mapping[Platform, Blueprint],
    devices: Sequence[Device],
) -> list[LaterAssignment]:
    """Assign finished devices in the cloud now (one batch per customer and target), without the device.

    For devices whose run ended waiting (a serial the organization did not know yet, a KME upload
    not there yet) or whose assignment failed: each device's blueprint's hand-off step runs again,
    the devices of one blueprint together in one batch, and each answer is recorded as a check
    under the device's latest run (an ok one closes a waiting run as ok).
    """

    async def one(device: Device) -> LaterAssignment | None:
        blueprint = blueprints.get(device.platform)
        if blueprint is None:
            return None
        steps = [s for h in handoffs for s in h.steps(blueprint, device)]
        if not steps:
            return None
        step = steps[0]
        ctx = StepContext(device=device, blueprint=blueprint, secrets=NoSecrets(), run_id=0)
        try:
            result = await step.run(ctx)
        except StepError as exc:
            result = StepResult(Outcome.FAILED, exc.reason, exc.code, detail=exc.detail)
        device_id = await alog.upsert_device(device)
        await alog.record_check(device_id, step.id, result.outcome, result.code, result.reason, result.detail)
        return LaterAssignment(device, step.id, result.outcome, result.code, result.reason)

    answers = await asyncio.gather(*(one(d) for d in devices))
    return [a for a in answers if a is not None]

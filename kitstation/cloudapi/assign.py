"""The batching assigner and the hand-off base both cloud adapters build on.

Devices finish Prepare one by one, but both services take many devices in one request (an
Apple Business activity, a KME bulk assign). :class:`BatchAssigner` collects the devices that
arrive within ``window`` seconds of the first (or ``max_batch`` of them), hands the batch to the
service's ``process`` and gives each waiting device its own answer; devices that arrive while a
batch is in flight go in the next one. A failure of the whole batch becomes every device's
answer -- no device is left waiting on a station bug.

:class:`CloudHandoff` is what the station plugs into the plans and into the bench's preflight:
``preflight`` (the :class:`~kitstation.core.preflight.PreflightCheck` shape) finds a missing
customer, a missing or unreadable credential and an expired one before any device is touched.

:class:`AssignmentFollows` wraps the platform step that used to end the station's part (the iOS
"hand off to Apple Business Manager" step, the Android "record for KME" step) when the plan goes
on with the cloud assignment: the device side is done and the assignment follows, so that step
no longer says the technician must assign by hand, and the run's end is the assignment's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kitstation.cloudapi.credentials import CredentialError, StoredCredential
from kitstation.cloudapi.http import ApiSession, CloudError
from kitstation.core.preflight import PreflightContext, Problem
from kitstation.core.protocols import BaseStep, Step, StepContext
from kitstation.domain.model import Outcome, Platform, StepResult
from kitstation.i18n import Text

if TYPE_CHECKING:
    from kitstation.blueprints.model import Blueprint

log = logging.getLogger(__name__)

S = TypeVar("S", bound=ApiSession)  # the service's API session
P = TypeVar("P")  # what a device contributes to a batch (a serial, a device's identifiers)
R = TypeVar("R")  # a device's answer
T = TypeVar("T")  # what the devices are assigned to (an MDM server, a KME profile)


class BatchAssigner(Generic[S, P, R, T]):
    """Collects devices for one batch request at a time; subclasses send the batch (``process``)
    and look up the blueprint's target (``find_target``), once per assigner."""

    task_name = "cloud-assign-batch"
    crashed = Text("The assignment failed: {e}", "割り当てに失敗しました: {e}")
    crashed_code = "cloud_error"

    def __init__(
        self, client: Callable[[], Awaitable[S]], target: str, *, window: float = 5.0, max_batch: int = 100
    ) -> None:
        self._client_factory = client
        self._client: S | None = None
        self.target_ref = target  # the blueprint's name or id of the target
        self._target: T | None = None
        self.window = window
        self.max_batch = max_batch
        self._pending: dict[str, tuple[P, asyncio.Future[R]]] = {}
        self._flush_task: asyncio.Task[None] | None = None
        self._busy = asyncio.Lock()
        self.batches: list[list[str]] = []  # what every request sent held (for tests and logs)

    async def client(self) -> S:
        if self._client is None:
            self._client = await self._client_factory()
        return self._client

    async def target(self) -> T:
        """The target the blueprint names, looked up in the service on first use."""
        if self._target is None:
            self._target = await self.find_target(await self.client(), self.target_ref)
        return self._target

    async def find_target(self, client: S, ref: str) -> T:
        """Ask the service for the target ``ref`` names (raises the service's error)."""
        raise NotImplementedError

    async def reach(self) -> None:
        """A real token request and a look for the target (the online preflight)."""
        await (await self.client()).token()
        await self.target()

    async def process(self, batch: dict[str, P]) -> dict[str, R]:
        """Send one batch; an answer for every key."""
        raise NotImplementedError

    def failed(self, key: str, reason: Text, code: str, transient: bool) -> R:
        """The answer of a device whose whole batch failed."""
        raise NotImplementedError

    async def submit(self, key: str, payload: P) -> R:
        """Queue a device and wait for its batch's answer (the same key twice waits for one answer)."""
        entry = self._pending.get(key)
        if entry is None:
            entry = (payload, asyncio.get_running_loop().create_future())
            self._pending[key] = entry
            if len(self._pending) >= self.max_batch:
                self._start_flush(0.0)
            elif self._flush_task is None or self._flush_task.done():
                self._start_flush(self.window)
        return await asyncio.shield(entry[1])

    def _start_flush(self, delay: float) -> None:
        if self._flush_task is not None and not self._flush_task.done() and delay > 0:
            return
        self._flush_task = asyncio.create_task(self._flush_after(delay), name=self.task_name)

    async def _flush_after(self, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        async with self._busy:
            batch, self._pending = self._pending, {}
            if not batch:
                return
            try:
                results = await self.process({k: v[0] for k, v in batch.items()})
            except CloudError as exc:
                results = {k: self.failed(k, exc.reason, exc.code, exc.transient) for k in batch}
            except Exception as exc:  # never leave a device waiting forever on a station bug
                log.exception("%s failed", self.task_name)
                reason = self.crashed.format(e=type(exc).__name__)
                results = {k: self.failed(k, reason, self.crashed_code, True) for k in batch}
            for key, (_, fut) in batch.items():
                if not fut.done():
                    fut.set_result(results[key])
        if self._pending and self._flush_task is asyncio.current_task():
            # Devices that arrived while this batch was in flight: the next batch.
            self._flush_task = None
            self._start_flush(self.window)

    async def aclose(self) -> None:
        if self._flush_task is not None and not self._flush_task.done():
            self._flush_task.cancel()
        for _, fut in self._pending.values():
            if not fut.done():
                fut.cancel()
        if self._client is not None:
            closer = getattr(self._client, "aclose", None)
            if closer is not None:
                await closer()
            self._client = None


class AssignmentFollows(BaseStep):
    """A platform step that waits for the assignment, when the station itself assigns the device next.

    The wrapped step's *waiting for someone else* with one of ``codes`` (the assignment is not
    done yet) becomes ok with ``reason``: the next step does the assignment, and its own result
    decides how the run ends. The wrapped step's detail (its hand-off state, the identifier) is
    kept; every other outcome (the device already enrolled, an error) is the wrapped step's own.
    """

    def __init__(self, inner: Step, codes: frozenset[str], reason: Callable[[StepContext, StepResult], Text]) -> None:
        self.inner = inner
        self.codes = codes
        self._reason = reason
        self.id = inner.id
        self.title = inner.title
        self.idempotent = inner.idempotent

    async def run(self, ctx: StepContext) -> StepResult:
        result = await self.inner.run(ctx)
        if result.outcome != Outcome.WAITING_EXTERNAL or result.code not in self.codes:
            return result
        detail = {**(result.detail or {}), "assignment_follows": True, "waited_for": result.code}
        return StepResult.ok(self._reason(ctx, result), detail=detail)

    async def check_done(self, ctx: StepContext) -> bool | None:
        return await self.inner.check_done(ctx)


class CloudHandoff:
    """What each cloud adapter plugs into the station: its steps and its credential preflight."""

    platform: Platform = Platform.IOS
    section_name = ""  # "abm" / "kme": the blueprint section and the problems' field prefix
    # The platform steps that wait for the assignment (step id -> the waiting codes it answers),
    # wrapped in AssignmentFollows when the blueprint has this hand-off's section.
    follows_steps: dict[str, frozenset[str]] = {}
    no_customer = Text("", "")
    expired_text = Text("", "")  # {c}: the customer, {d}: the expiry date
    # One assigner (and API session) per customer and target; subclasses fill it.
    _assigners: dict[Any, Any]

    def section(self, blueprint: Blueprint) -> Any:
        return getattr(blueprint, self.section_name, None)

    def credential(self, customer: str) -> StoredCredential:
        """The customer's stored credential; raises :class:`CredentialError`."""
        raise NotImplementedError

    def steps(self, blueprint: Blueprint, device: Any) -> list[Step]:
        raise NotImplementedError

    def follows(self, blueprint: Blueprint, ctx: StepContext, result: StepResult) -> Text:
        """What the platform's hand-off step says when this hand-off assigns the device next."""
        raise NotImplementedError

    def assigner(self, blueprint: Blueprint) -> BatchAssigner[Any, Any, Any, Any]:
        """The blueprint's assigner (one per customer and target)."""
        raise NotImplementedError

    async def reach(self, blueprint: Blueprint) -> None:
        """Ask the service for a token and look for the blueprint's target (server, profile)."""
        await self.assigner(blueprint).reach()

    target_field = ""  # the blueprint key of the target ("abm.mdm_server"); its error codes name it
    target_word = ""  # what the target's error codes contain ("server", "profile")

    async def preflight_online(self, blueprint: Blueprint) -> list[Problem]:
        """The offline checks, then a real token request and a look for the target."""
        problems = self.credential_problems(blueprint)
        if problems or self.section(blueprint) is None:
            return problems
        try:
            await self.reach(blueprint)
        except CloudError as exc:
            where = self.target_field if self.target_word in exc.code else f"{self.section_name}.customer"
            return [Problem(where, exc.reason, exc.code)]
        return []

    def credential_problems(self, blueprint: Blueprint) -> list[Problem]:
        """Offline: a customer is named and has a stored, readable, unexpired credential (nothing is sent)."""
        section = self.section(blueprint)
        if section is None:
            return []
        where = f"{self.section_name}.customer"
        customer = blueprint.cloud_customer(section)
        if not customer:
            return [Problem(where, self.no_customer, f"{self.section_name}_no_customer")]
        try:
            stored = self.credential(customer)
        except CredentialError as exc:
            return [Problem(where, exc.reason, exc.code)]
        if stored.expired():
            return [
                Problem(
                    where,
                    self.expired_text.format(c=customer, d=stored.expires),
                    f"{self.section_name}_credentials_expired",
                )
            ]
        return []

    async def preflight(self, blueprint: Blueprint, ctx: PreflightContext) -> Sequence[Problem]:
        """The bench's check (``Bench(checks=[...])``): only for this hand-off's platform."""
        if ctx.platform != self.platform:
            return []
        return self.credential_problems(blueprint)

    def wrap(self, blueprint: Blueprint, plan: list[Step]) -> list[Step]:
        """The platform's plan with its hand-off step told that the assignment follows."""
        if self.section(blueprint) is None:
            return plan
        return [
            AssignmentFollows(s, self.follows_steps[s.id], lambda c, r: self.follows(blueprint, c, r))
            if s.id in self.follows_steps
            else s
            for s in plan
        ]

    async def aclose(self) -> None:
        for a in getattr(self, "_assigners", {}).values():
            await a.aclose()
        self._assigners = {}

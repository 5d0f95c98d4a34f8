"""The small typed protocols device platforms plug in behind, so the pipeline names no library.

A platform adapter (``kitstation.ios``, ``kitstation.android``) provides:

* ``discover()`` -- an async stream of :class:`~kitstation.domain.events.Attached` /
  ``Detached`` / ``Changed`` events (hot-plug);
* ``identify(connection_id)`` -- the :class:`~kitstation.domain.model.Device` behind a connection,
  raising :class:`~kitstation.domain.model.UserActionRequired` while the device waits for the
  technician (tap Trust, accept USB debugging);
* ``plan(blueprint, device)`` -- the ordered steps that apply a blueprint to that device.

A :class:`Step` runs against a :class:`StepContext`; it returns a
:class:`~kitstation.domain.model.StepResult` or raises a
:class:`~kitstation.domain.model.StepError` (transient ones are retried by the pipeline).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from kitstation.domain.events import DiscoveryEvent
from kitstation.domain.model import Device, PermanentError, Platform, StepResult, UserAction
from kitstation.i18n import Text

if TYPE_CHECKING:
    from kitstation.blueprints.model import Blueprint


class Secrets(Protocol):
    """Where steps get secrets the blueprint only names (a .p12 passphrase, a Wi-Fi password).

    Secrets are asked for (GUI prompt, CLI prompt or environment) and kept in memory only.
    """

    async def get(self, name: str, prompt: Text) -> str: ...


class NoSecrets:
    """A secrets source that has none: steps that need one fail with a clear reason."""

    async def get(self, name: str, prompt: Text) -> str:
        from kitstation.domain.model import PermanentError

        raise PermanentError(
            Text("No secret provided: {p}", "秘密情報が入力されていません: {p}").format(p=prompt.en),
            code="secret_missing",
        )


class DictSecrets:
    """Secrets given up front (tests, CLI ``--secret NAME=ENV``)."""

    def __init__(self, values: dict[str, str]) -> None:
        self._values = dict(values)

    async def get(self, name: str, prompt: Text) -> str:
        if name in self._values:
            return self._values[name]
        return await NoSecrets().get(name, prompt)


NO_PRESENCE = Text(
    "Nothing watches this device's connection here (no bench): the step cannot wait for it",
    "ここではデバイスの接続を監視していません（ベンチなし）: ステップは接続を待てません",
)


class PresenceUnavailable(PermanentError):
    """``ctx.wait_attached()`` / ``wait_detached()`` outside a bench: nobody reports the device's plugs."""

    def __init__(self) -> None:
        super().__init__(NO_PRESENCE, code="no_presence")


class DevicePresence:
    """Whether one slot's device is on the bus, as the bench's attach and detach events say.

    The bench sets it on every ``DeviceAttached`` / ``DeviceDetached`` of the slot; steps wait on
    it through :meth:`StepContext.wait_attached` and :meth:`StepContext.wait_detached`.
    """

    def __init__(self, attached: bool = True) -> None:
        self.attached = attached
        self.detaches = 0  # how many times the device left the bus (a step compares counts)
        self._changed = asyncio.Event()

    def set(self, attached: bool) -> None:
        if attached == self.attached:
            return
        self.attached = attached
        if not attached:
            self.detaches += 1
        # A fresh Event per change: every waiter of this change wakes, later ones wait for the next.
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def until(self, predicate: Callable[[], bool]) -> None:
        while not predicate():
            await self._changed.wait()


@dataclass
class StepContext:
    """What a step sees while it runs on one device."""

    device: Device
    blueprint: Blueprint
    secrets: Secrets
    run_id: int
    # Results of steps already done in this run (including ones done before a resume), by step id.
    done: dict[str, StepResult] = field(default_factory=dict)
    # Scratch space shared by the steps of one run in this process (lost on restart: re-derive).
    scratch: dict[str, Any] = field(default_factory=dict)
    # Set by the pipeline.
    _progress: Callable[[float | None, Text | None], None] | None = None
    _waiting: Callable[[UserAction, Text | None], None] | None = None
    _limiter: Callable[[str], Any] | None = None
    # Set by the bench (None without one): the device's attach/detach as the bench sees them.
    _presence: DevicePresence | None = None
    # True while a step expects the device to vanish and come back (erase, reboot): the bench
    # then does not treat a detach as an interruption of the run.
    detach_expected: bool = False
    _detach_mark: int = 0

    def progress(self, fraction: float | None, note: Text | None = None) -> None:
        """Report progress of the current step (0..1, or None when unknown)."""
        if self._progress is not None:
            self._progress(fraction, note)

    def waiting_for_user(self, action: UserAction, reason: Text | None = None) -> None:
        """Tell the bench the device waits for the technician (the step keeps waiting itself)."""
        if self._waiting is not None:
            self._waiting(action, reason)

    @contextlib.contextmanager
    def expecting_detach(self) -> Iterator[None]:
        """``with ctx.expecting_detach(): erase; wait for re-attach`` -- a detach is not an unplug."""
        self.detach_expected = True
        self._detach_mark = self._presence.detaches if self._presence is not None else 0
        try:
            yield
        finally:
            self.detach_expected = False

    @property
    def watches_presence(self) -> bool:
        """True when a bench reports this device's plugs (``wait_attached``/``wait_detached`` work)."""
        return self._presence is not None

    async def wait_attached(self) -> None:
        """Return once the device is on the bus (at once if it is now), as the bench's events say.

        Without a bench this raises :class:`PresenceUnavailable` (a permanent step error with a
        clear reason); a step that can also poll the device checks :attr:`watches_presence` first.
        Bound it with ``async with asyncio.timeout(...)``.
        """
        presence = self._require_presence()
        await presence.until(lambda: presence.attached)

    async def wait_detached(self) -> None:
        """Return once the device has left the bus: at once if it is off now or -- inside
        :meth:`expecting_detach` -- if it left since that block began (even if it is back already,
        so a fast reboot is not missed). Without a bench it raises :class:`PresenceUnavailable`.
        """
        presence = self._require_presence()
        mark = self._detach_mark if self.detach_expected else presence.detaches
        await presence.until(lambda: not presence.attached or presence.detaches > mark)

    def _require_presence(self) -> DevicePresence:
        if self._presence is None:
            raise PresenceUnavailable()
        return self._presence

    def limit(self, resource: str) -> Any:
        """An async context manager holding one of the bench's slots for ``resource``.

        ``async with ctx.limit("erase"): ...`` keeps at most K erases running at once.
        Without a bench (tests, one-off CLI runs) it does not limit.
        """
        if self._limiter is not None:
            return self._limiter(resource)
        return _NoLimit()


class _NoLimit:
    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None


@runtime_checkable
class Step(Protocol):
    """One kitting step. ``id`` is stable (it is stored in the log and used to resume)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> Text: ...

    @property
    def idempotent(self) -> bool:
        """True when running the step again after an interruption does no harm."""
        ...

    async def run(self, ctx: StepContext) -> StepResult: ...

    async def check_done(self, ctx: StepContext) -> bool | None:
        """After an interruption inside this step: did it complete on the device?

        ``True`` -> treat as done; ``False`` -> run it again; ``None`` -> unknown. A step that is not
        idempotent and answers ``None`` is not run twice: the run fails asking for the technician.
        """
        ...


class BaseStep:
    """The common shape of every step an adapter plans (subclass it; set ``id`` and ``title``).

    ``check_done`` answers ``None`` (unknown) unless a step can look at the device: the pipeline then
    runs an idempotent step again and refuses to repeat a step that is not idempotent. A step that
    can tell from the device whether its work is there overrides it.
    """

    id: str = ""
    title: Text = Text("", "")
    idempotent: bool = True

    async def run(self, ctx: StepContext) -> StepResult:
        raise NotImplementedError

    async def check_done(self, ctx: StepContext) -> bool | None:
        return None


# What ``PlatformAdapter.plan`` returns: the ordered steps of one blueprint on one device.
Plan = list[Step]


@dataclass
class FunctionStep:
    """A step made from a coroutine function; convenient for adapters and tests."""

    id: str
    title: Text
    func: Callable[[StepContext], Awaitable[StepResult]]
    idempotent: bool = True
    checker: Callable[[StepContext], Awaitable[bool | None]] | None = None

    async def run(self, ctx: StepContext) -> StepResult:
        return await self.func(ctx)

    async def check_done(self, ctx: StepContext) -> bool | None:
        if self.checker is None:
            return None
        return await self.checker(ctx)


@runtime_checkable
class PlatformAdapter(Protocol):
    """One device platform behind the pipeline (iOS on pymobiledevice3, Android on adbutils)."""

    @property
    def platform(self) -> Platform: ...

    def discover(self) -> AsyncIterator[DiscoveryEvent]:
        """Hot-plug events; the current devices first (as Attached), then changes, until closed."""
        ...

    async def identify(self, connection_id: str) -> Device: ...

    def plan(self, blueprint: Blueprint, device: Device) -> list[Step]: ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True, slots=True)
class PresenceNotice:
    """A phone on the bus that no adapter reports (adb off, recovery mode), at a USB location."""

    location: str
    platform: Platform
    action: UserAction
    reason: Text
    code: str
    serial: str | None = None


@dataclass(frozen=True, slots=True)
class KnownDevices:
    """What the adapters already see, so a presence source reports only the others."""

    android_serials: frozenset[str]
    android_locations: frozenset[str]
    ios_udids: frozenset[str] | None  # None: iOS not watched here, do not judge iPhones


@runtime_checkable
class PresenceSource(Protocol):
    """Lists phones on the bus that no adapter sees (pyusb in production)."""

    async def poll(self, known: KnownDevices) -> list[PresenceNotice]: ...

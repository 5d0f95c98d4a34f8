"""A scripted platform adapter for testing the pipeline and the bench without any device library.

It implements KitStation's own PlatformAdapter protocol in plain Python: devices are plugged
and unplugged by the test, each step sleeps and/or fails as the device's script says, and the
"device" remembers what was done to it, so tests can check that no step ran twice.

Step names choose behaviours: ``unsafe*`` (not idempotent), ``checked*`` (can tell if it ran),
``handoff`` (waits on ABM), ``reboot*`` (expects the device to drop off the bus and come back,
waiting for both through ``ctx.wait_detached()`` / ``ctx.wait_attached()``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from kitstation.blueprints.model import Blueprint
from kitstation.core.preflight import PreflightContext
from kitstation.core.protocols import FunctionStep, Step, StepContext
from kitstation.domain.events import Attached, Changed, Detached, DiscoveryEvent, Problem
from kitstation.domain.model import (
    Device,
    DeviceGone,
    PermanentError,
    Platform,
    StepResult,
    TransientError,
    UserAction,
    UserActionRequired,
)
from kitstation.i18n import Text


@dataclass
class ScriptedDevice:
    serial: str
    location: str
    needs_trust: bool = False
    step_seconds: float = 0.01
    fail_permanent: set[str] = field(default_factory=set)
    fail_transient: dict[str, int] = field(default_factory=dict)  # step -> failures before success
    hang_in: set[str] = field(default_factory=set)  # steps that block until unplugged
    done_log: list[str] = field(default_factory=list)  # every step that completed on the device
    attached: bool = False
    _gone: asyncio.Event = field(default_factory=asyncio.Event)  # set while unplugged

    def connect(self) -> None:
        self.attached = True
        self._gone.clear()

    def disconnect(self) -> None:
        """The cable is pulled (the adapter's discovery is not told: see ScriptedAdapter.unplug)."""
        self.attached = False
        self._gone.set()

    async def wait_gone(self) -> None:
        await self._gone.wait()


class ScriptedAdapter:
    def __init__(self, platform: Platform = Platform.ANDROID, steps: tuple[str, ...] = ("one", "two", "three")) -> None:
        self._platform = platform
        self.step_names = steps
        self.devices: dict[str, ScriptedDevice] = {}
        self._queue: asyncio.Queue[DiscoveryEvent] = asyncio.Queue()
        self.active = 0
        self.max_active_seen = 0
        self.resource_peak: dict[str, int] = {}
        self.reboots_requested: asyncio.Queue[str] = asyncio.Queue()  # a reboot step waits for the test
        self._resource_now: dict[str, int] = {}

    @property
    def platform(self) -> Platform:
        return self._platform

    # --- test controls ---------------------------------------------------------------------------
    def plug(self, dev: ScriptedDevice) -> None:
        self.devices[dev.serial] = dev
        dev.connect()
        self._queue.put_nowait(Attached(self._platform, dev.serial, dev.location))

    def unplug(self, serial: str) -> None:
        self.devices[serial].disconnect()
        self._queue.put_nowait(Detached(self._platform, serial))

    def trust(self, serial: str) -> None:
        self.devices[serial].needs_trust = False
        self._queue.put_nowait(Changed(self._platform, serial, "trusted"))

    # --- the protocol ----------------------------------------------------------------------------
    async def discover(self) -> AsyncIterator[DiscoveryEvent]:
        while True:
            yield await self._queue.get()

    async def identify(self, connection_id: str) -> Device:
        dev = self.devices[connection_id]
        if not dev.attached:
            raise DeviceGone()
        if dev.needs_trust:
            raise UserActionRequired(UserAction.TAP_TRUST)
        return Device(self._platform, dev.serial, connection_id=dev.serial, serial=dev.serial, model_id="TEST-1",
                      usb_location=dev.location)

    def plan(self, blueprint: Blueprint, device: Device) -> list[Step]:
        dev = self.devices[device.key]
        return [self._step(dev, name) for name in self.step_names]

    def _step(self, dev: ScriptedDevice, name: str) -> Step:
        async def run(ctx: StepContext) -> StepResult:
            self.active += 1
            self.max_active_seen = max(self.max_active_seen, self.active)
            try:
                async with ctx.limit(name):
                    self._resource_now[name] = self._resource_now.get(name, 0) + 1
                    self.resource_peak[name] = max(self.resource_peak.get(name, 0), self._resource_now[name])
                    try:
                        if name in dev.hang_in:
                            await dev.wait_gone()
                            raise DeviceGone()
                        if name.startswith("reboot"):
                            with ctx.expecting_detach():
                                self.reboots_requested.put_nowait(dev.serial)
                                await ctx.wait_detached()
                                await ctx.wait_attached()
                        await asyncio.sleep(dev.step_seconds)  # the scripted step's own duration (the behaviour)
                        if not dev.attached:
                            raise DeviceGone()
                        if name in dev.fail_permanent:
                            raise PermanentError(Text(f"{name} refused", f"{name} 拒否"), code=f"{name}_refused")
                        if dev.fail_transient.get(name, 0) > 0:
                            dev.fail_transient[name] -= 1
                            raise TransientError(Text("busy", "ビジー"), code="busy")
                        dev.done_log.append(name)
                        if name == "handoff":
                            return StepResult.waiting_external(
                                Text("assign in ABM", "ABMで割り当て"), "abm_assignment", {"external_state": "awaiting_abm"}
                            )
                        return StepResult.ok()
                    finally:
                        self._resource_now[name] -= 1
            finally:
                self.active -= 1

        async def check(ctx: StepContext) -> bool | None:
            return name in dev.done_log if name.startswith("checked") else None

        return FunctionStep(f"t.{name}", Text(name.title(), name), run, idempotent=not name.startswith(("unsafe", "checked")),
                            checker=check)

    async def aclose(self) -> None:
        return None


class CheckedAdapter(ScriptedAdapter):
    """A scripted adapter with a preflight: it reports ``problems`` and counts its checks."""

    def __init__(self, platform: Platform = Platform.ANDROID, steps: tuple[str, ...] = ("one", "two", "three"),
                 problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(platform, steps)
        self.problems = list(problems)
        self.checks: list[PreflightContext] = []
        self.gate: asyncio.Event | None = None  # set: the check waits for it

    async def preflight(self, blueprint: Blueprint, ctx: PreflightContext) -> list[Problem]:
        self.checks.append(ctx)
        if self.gate is not None:
            await self.gate.wait()
        return list(self.problems)

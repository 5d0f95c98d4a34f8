"""The composition root: one station = the kitting log + the platform adapters (+ simulators).

The GUI and the CLI both start a :class:`Station` and make a :class:`~kitstation.core.bench.Bench`
from it. With ``simulate=N`` the station first starts N wire-level simulated devices (half iPhones
and iPads behind a simulated usbmuxd, half Galaxy phones behind a real adb server on its own
port) and points the adapters at them -- the demo and training mode, and what a new user sees
with no hardware.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from kitstation.blueprints.ios import IOSOptions
from kitstation.blueprints.model import Blueprint
from kitstation.cloudapi.assign import CloudHandoff
from kitstation.core.bench import Bench, BenchConfig
from kitstation.core.pipeline import Pipeline, RunRequest
from kitstation.core.preflight import Problem
from kitstation.core.protocols import (
    KnownDevices,
    NoSecrets,
    PlatformAdapter,
    PresenceNotice,
    PresenceSource,
    Secrets,
)
from kitstation.core.selection import matches_only
from kitstation.domain.events import Attached, Detached, Event, RunFinished, StepFinished
from kitstation.domain.model import Device, Outcome, Platform, RunStatus, StepError, UserAction, UserActionRequired
from kitstation.i18n import Text
from kitstation.log import KitLog
from kitstation.log.db import resolve_url
from kitstation.log.store import AsyncKitLog, RunFilter
from kitstation.station.allocator import tune_for_bursts
from kitstation.station.environment import Unreachable, check_adb, check_usb_permissions, check_usbmux
from kitstation.station.handoffs import HandoffAdapter, blueprint_problems, make_handoffs

log = logging.getLogger(__name__)


@dataclass
class SimulationPlan:
    ios: int = 0
    android: int = 0
    speed: float = 20.0
    seed: int = 0
    faults: tuple[str, ...] = ()
    # Extra phones on a simulated USB tree that no adapter sees: Galaxy phones with USB debugging
    # off (the bench asks for a box scan) and, from two on, one iPhone in recovery mode.
    usb_notices: int = 0
    # Local HTTPS stand-ins for Apple Business and Knox Mobile Enrollment, seeded with the
    # simulated devices, so blueprints with [abm]/[kme] sections assign them (docs/ios.md).
    cloud: bool = False

    @staticmethod
    def split(total: int, speed: float = 20.0, seed: int = 0, faults: Sequence[str] = ()) -> SimulationPlan:
        """N devices: half iOS (rounded up), half Galaxy."""
        return SimulationPlan(ios=(total + 1) // 2, android=total // 2, speed=speed, seed=seed, faults=tuple(faults))


class UsbPresence:
    """Phones on the USB bus that adb and usbmuxd do not see, from pyusb (in an executor)."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.disabled = False

    async def poll(self, known: KnownDevices) -> list[PresenceNotice]:
        from kitstation.usb import UsbKind, UsbUnavailable, bench_notices, list_usb_devices

        if self.disabled:
            return []
        loop = asyncio.get_running_loop()
        try:
            devices = await loop.run_in_executor(None, list_usb_devices, self.backend)
        except UsbUnavailable as exc:
            # No libusb here: the bench works without it, it only cannot point at adb-off phones.
            log.warning("%s", exc.reason.en)
            self.disabled = True
            return []
        notices = bench_notices(
            devices,
            adb_serials=known.android_serials,
            adb_locations=known.android_locations,
            ios_udids=known.ios_udids,
        )
        out = []
        for n in notices:
            galaxy = n.kind in (UsbKind.GALAXY, UsbKind.GALAXY_DOWNLOAD)
            action = (
                UserAction.SCAN_BOX
                if n.code == "adb_off"
                else UserAction.RECOVERY_MODE
                if n.code in ("recovery_mode", "dfu_mode", "download_mode")
                else UserAction.UNLOCK
                if n.code == "not_in_usbmuxd"
                else UserAction.ENABLE_USB_DEBUGGING
            )
            out.append(
                PresenceNotice(
                    location=n.location,
                    platform=Platform.ANDROID if galaxy else Platform.IOS,
                    action=action,
                    reason=n.message,
                    code=n.code,
                    serial=n.serial,
                )
            )
        return out


# What `dep verify` files its checks under when no blueprint is given: an iOS section that
# neither erases nor supervises -- the check only asks the device what Apple told it.
DEP_CHECK_BLUEPRINT = Blueprint(
    name="DEP (ABM) assignment check",
    description="kitstation dep verify: asks each device whether Apple Business Manager assigned it",
    ios=IOSOptions(method="dep", erase=False, supervise=False, verify=False),
)


@dataclass(frozen=True, slots=True)
class DepCheck:
    """One device's answer to ``dep verify``."""

    connection_id: str
    device: Device | None
    outcome: Outcome
    code: str | None
    reason: Text | None
    external_state: str | None
    run_id: int | None


async def collect_attached(adapter: PlatformAdapter, settle: float) -> list[str]:
    """Connection ids attached after listening ``settle`` seconds to the adapter's hot-plug stream."""
    present: dict[str, None] = {}

    async def listen() -> None:
        async for ev in adapter.discover():
            if isinstance(ev, Attached):
                present[ev.connection_id] = None
            elif isinstance(ev, Detached):
                present.pop(ev.connection_id, None)

    task = asyncio.create_task(listen())
    await asyncio.sleep(settle)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    return list(present)


class Station:
    def __init__(
        self,
        *,
        db: str | None = None,
        simulate: int | SimulationPlan = 0,
        simulate_speed: float = 20.0,
        usbmux_address: str | None = None,
        adb_port: int | None = None,
        platforms: Sequence[Platform] = (Platform.IOS, Platform.ANDROID),
        watch_usb: bool | None = None,
    ) -> None:
        self.db_url = resolve_url(db)
        if isinstance(simulate, SimulationPlan):
            self.plan: SimulationPlan | None = simulate
        elif simulate:
            self.plan = SimulationPlan.split(simulate, simulate_speed)
        else:
            self.plan = None
        self.usbmux_address = usbmux_address
        self.adb_port = adb_port
        self.platforms = tuple(platforms)
        # pyusb watching: on by default for real benches, off for simulated ones unless the plan
        # puts phones on a simulated USB tree.
        self.watch_usb = (self.plan is None) if watch_usb is None else watch_usb
        self.presence: PresenceSource | None = None
        self.kitlog: KitLog | None = None
        self.adapters: list[PlatformAdapter] = []
        self.ios_sim: Any = None
        self.android_sim: Any = None
        self.cloud_sim: Any = None
        self.handoffs: list[CloudHandoff] = []
        self._saved_env: dict[str, str | None] = {}

    @property
    def simulated(self) -> bool:
        return self.plan is not None

    async def start(self) -> None:
        """Open the log, start the simulators (if any) and make the adapters; on failure undo it all.

        A start that fails half-way (a bad fault spec after the adb server started, a log that
        cannot be opened) must not leave simulators, an adb server or changed variables behind.
        """
        try:
            await self._start()
        except BaseException:
            await self.aclose()
            raise

    async def _start(self) -> None:
        loop = asyncio.get_running_loop()
        # Opening the log runs migrations: off the loop, it may take a moment on PostgreSQL.
        self.kitlog = await loop.run_in_executor(None, KitLog, self.db_url)
        if self.plan is not None:
            await loop.run_in_executor(None, self._start_simulators, self.plan)
        if self.usbmux_address and Platform.IOS in self.platforms:
            # pymobiledevice3 opens some muxes without the address it was given (pair records are
            # saved through one, see docs/ios.md): the variable makes every one of them reach ours.
            self._set_env("USBMUXD_SOCKET_ADDRESS", self.usbmux_address)

        self.handoffs = self._make_handoffs()
        self.adapters = [HandoffAdapter(a, self.handoffs) for a in self._make_adapters()]
        if self.plan is not None and self.plan.usb_notices:
            from kitstation.usb.simulated import demo_tree

            n = self.plan.usb_notices
            galaxies = [(f"R58SIMUSB{i:02d}", False) for i in range(n - 1 if n >= 2 else n)]
            iphones = [("000081400012345601234567", "recovery")] if n >= 2 else []
            self.presence = UsbPresence(demo_tree(galaxies=galaxies, iphones=iphones))
        elif self.watch_usb:
            self.presence = UsbPresence(None)

    @staticmethod
    def freeze_startup_objects() -> None:
        """For a long-lived station process, once started: keep start-up objects out of the GC's scans.

        Everything imported and built at start-up lives as long as the process; frozen, a full
        collection during a batch scans only what the batch made (issue 18: full GC pauses during a
        64-device batch ~55 ms -> ~10 ms). Not for tests, which start many stations in one process.
        glibc's allocator is set for the batch's bursts of TLS buffers at the same time
        (:mod:`kitstation.station.allocator`).
        """
        tune_for_bursts()
        gc.collect()
        gc.freeze()

    def _set_env(self, name: str, value: str) -> None:
        self._saved_env.setdefault(name, os.environ.get(name))
        os.environ[name] = value

    def _start_simulators(self, plan: SimulationPlan) -> None:
        if plan.ios and Platform.IOS in self.platforms:
            from kitstation.simulator.ios import IOSSimulatorThread

            sim = IOSSimulatorThread(speed=plan.speed, seed=plan.seed, faults=list(plan.faults))
            sim.start()
            self.ios_sim = sim
            for _ in range(plan.ios):
                sim.plug()
            self.usbmux_address = sim.address
            # pymobiledevice3 saves pair records through a mux it opens without our address:
            # it must find the simulated usbmuxd in the environment too (see docs/ios.md). The
            # activation stand-in (URL and CA) is found the same way by the iOS adapter.
            for k, v in sim.env.items():
                self._set_env(k, v)
        if plan.android and Platform.ANDROID in self.platforms:
            from kitstation.simulator.android import AndroidSimulator

            asim = AndroidSimulator(speed=plan.speed, seed=plan.seed, faults=list(plan.faults))
            asim.start()
            self.android_sim = asim
            for _ in range(plan.android):
                asim.plug()
            self.adb_port = asim.adb_port
            for k, v in asim.env.items():
                self._set_env(k, v)
        if plan.cloud:
            self._start_cloud()

    def _start_cloud(self) -> None:
        from kitstation.simulator.cloud import CloudStandIns

        ios = [d.serial for d in self.ios_sim.devices] if self.ios_sim is not None else []
        android = (
            [(d.imeis[0], d.serial) for d in self.android_sim.devices if d.imeis]
            if self.android_sim is not None
            else []
        )
        cloud = CloudStandIns().start()
        cloud.seed_demo(ios_serials=ios, android=android)
        if self.ios_sim is not None:
            table = self.ios_sim.abm_assignments  # the simulated Apple's "assigned in ABM" table
            servers = cloud.abm.servers

            def assigned(serial: str, server_id: str | None) -> None:
                # What a device then downloads in Setup Assistant: the MDM server's configuration.
                if server_id is None:
                    table.pop(serial, None)
                else:
                    name = servers.get(server_id, ("MDM", ""))[0]
                    table[serial] = {
                        "IsSupervised": True,
                        "IsMandatory": True,
                        "ConfigurationURL": f"https://mdm.invalid/{server_id.lower()}/",
                        "OrganizationName": name,
                    }

            cloud.abm.on_assign = assigned
        self.cloud_sim = cloud
        for k, v in cloud.env().items():
            self._set_env(k, v)

    def _make_handoffs(self) -> list[CloudHandoff]:
        return make_handoffs(self.cloud_sim.demo if self.cloud_sim is not None else None)

    async def blueprint_preflight(self, blueprint: Blueprint) -> list[Problem]:
        """What stops a batch with this blueprint before it starts (missing or expired API credentials).

        The same checks the bench runs (:meth:`bench` passes the hand-offs as its ``checks``).
        """
        return await blueprint_problems(self.handoffs, blueprint)

    def _make_adapters(self) -> list[PlatformAdapter]:
        adapters: list[PlatformAdapter] = []
        if Platform.IOS in self.platforms:
            from kitstation.ios import IOSAdapter

            adapters.append(IOSAdapter(usbmux_address=self.usbmux_address))
        if Platform.ANDROID in self.platforms:
            from kitstation.android import AndroidAdapter

            # With the log, identify() joins a phone with what the barcode intake recorded of it.
            # A simulated phone reaches adb over TCP (no ``usb:`` in its listing): the simulator
            # says which USB port it stands in for, so Galaxy slots get places as iPhones do.
            usb_paths = self.android_sim.usb_path if self.android_sim is not None else None
            adapters.append(AndroidAdapter(adb_port=self.adb_port, usb_paths=usb_paths))
        return adapters

    def preflight(self) -> list[Unreachable]:
        """Why a chosen platform's devices cannot be seen at all (no usbmuxd, no adb, USB permissions).

        Simulated platforms are served by the simulators and always reachable. An empty list
        does not promise devices, only that the station can look for them.
        """
        problems: list[Unreachable] = []
        simulated_ios = self.ios_sim is not None
        simulated_android = self.android_sim is not None
        if Platform.IOS in self.platforms and not simulated_ios:
            problem = check_usbmux(self.usbmux_address)
            if problem is not None:
                problems.append(problem)
        if Platform.ANDROID in self.platforms and not simulated_android:
            problem = check_adb(self.adb_port)
            if problem is not None:
                problems.append(problem)
            problems += check_usb_permissions()
        return problems

    async def verify_dep(
        self,
        *,
        settle: float,
        only: Collection[str] | None = None,
        blueprint: Blueprint | None = None,
        secrets: Secrets | None = None,
        on_event: Callable[[Event], None] | None = None,
    ) -> list[DepCheck]:
        """Run the iOS adapter's DEP-verification plan on every attached iOS device, as logged runs.

        Each check is its own pipeline run (forced: asking again is the point). When ABM has
        assigned the device, the runs that were waiting on that assignment become ok.
        """
        assert self.kitlog is not None, "start() the station first"
        adapter = next((a for a in self.adapters if a.platform == Platform.IOS), None)
        if adapter is None:
            return []
        plan_for = adapter.plan_dep_verify  # type: ignore[attr-defined]  # iOS-only, not in the protocol
        chosen = blueprint if blueprint is not None and blueprint.ios is not None else DEP_CHECK_BLUEPRINT
        alog = AsyncKitLog(self.kitlog)
        try:
            station_id = await alog.station(None)
            checks: list[DepCheck] = []

            async def one(cid: str) -> DepCheck | None:
                try:
                    device = await adapter.identify(cid)
                except UserActionRequired as exc:
                    return DepCheck(cid, None, Outcome.FAILED, exc.action.value, exc.reason, None, None)
                except StepError as exc:
                    return DepCheck(cid, None, Outcome.FAILED, exc.code, exc.reason, None, None)
                if not matches_only(only, cid, device):
                    return None
                finished: list[StepFinished] = []
                runs: list[int] = []

                def emit(e: Event) -> None:
                    if isinstance(e, StepFinished):
                        finished.append(e)
                    elif isinstance(e, RunFinished):
                        runs.append(e.run_id)
                    if on_event is not None:
                        on_event(e)

                request = RunRequest(
                    device=device,
                    blueprint=chosen,
                    steps=plan_for(chosen, device),
                    station_id=station_id,
                    slot=cid,
                    force=True,
                    secrets=secrets or NoSecrets(),
                )
                status = await Pipeline(alog, emit).run(request)
                last = finished[-1] if finished else None
                device_id = await alog.upsert_device(device)
                state = (await alog.call(alog.sync.device_row, device_id)).get("external_state")
                if status == RunStatus.OK:
                    await self._confirm_waiting(alog, device, state)
                return DepCheck(
                    cid,
                    device,
                    last.outcome if last is not None else Outcome.FAILED,
                    last.code if last is not None else None,
                    last.reason if last is not None else None,
                    state,
                    runs[-1] if runs else None,
                )

            for result in await asyncio.gather(*(one(c) for c in await collect_attached(adapter, settle))):
                if result is not None:
                    checks.append(result)
            return checks
        finally:
            alog.close()

    @staticmethod
    async def _confirm_waiting(alog: AsyncKitLog, device: Device, state: str | None) -> None:
        """Close the device's runs that waited on ABM as ok, now that the device says it is assigned."""
        rows = await alog.call(
            alog.sync.history, RunFilter(status=[RunStatus.WAITING_EXTERNAL.value], text=device.key), limit=None
        )
        for row in rows:
            if row["device_key"] == device.key:
                await alog.end_run(row["run_id"], RunStatus.OK)

    def bench(self, config: BenchConfig | None = None, secrets: Secrets | None = None) -> Bench:
        assert self.kitlog is not None, "start() the station first"
        # The hand-offs' credential checks run with the adapters' own before any device is touched.
        return Bench(self.kitlog, self.adapters, config, secrets=secrets, presence=self.presence, checks=self.handoffs)

    async def aclose(self) -> None:
        for adapter in self.adapters:
            try:
                await adapter.aclose()
            except Exception:
                log.exception("closing %s adapter", adapter.platform)
        self.adapters = []
        for handoff in self.handoffs:
            try:
                await handoff.aclose()
            except Exception:
                log.exception("closing a cloud hand-off")
        self.handoffs = []
        loop = asyncio.get_running_loop()
        if self.cloud_sim is not None:
            await loop.run_in_executor(None, self.cloud_sim.stop)
            self.cloud_sim = None
        if self.ios_sim is not None:
            await loop.run_in_executor(None, self.ios_sim.stop)
            self.ios_sim = None
        if self.android_sim is not None:
            await loop.run_in_executor(None, self.android_sim.stop)
            self.android_sim = None
        for k, v in self._saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        self._saved_env.clear()
        if self.kitlog is not None:
            self.kitlog.close()
            self.kitlog = None

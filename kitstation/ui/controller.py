"""Runs the station and its bench on the qasync loop for the window (Anki-style: the window asks, this does).

It owns :class:`~kitstation.station.Station` and :class:`~kitstation.core.bench.Bench`, picks the
blueprints (the chosen ones, else the built-in demo blueprints on a simulated bench), and hands
box-label scans to the intake. It never touches widgets: the window listens to its signals.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from kitstation import paths
from kitstation.blueprints.loader import BlueprintError, load_blueprint
from kitstation.blueprints.model import Blueprint
from kitstation.core.bench import Bench, BenchConfig, SlotState
from kitstation.core.naming import BatchCsv, check_batch_csv
from kitstation.domain.model import Platform, StepError
from kitstation.i18n import current_language
from kitstation.log.writer import AsyncKitLog
from kitstation.ui.ops import Op, database_executor
from kitstation.ui.qt import QObject, QWidget, Signal
from kitstation.ui.secrets import GuiSecrets
from kitstation.ui.settings import Settings

log = logging.getLogger(__name__)

# The example blueprints ship inside the package (kitstation/data/examples), so an installed
# station has its demo blueprints too.
EXAMPLES = paths.resource("examples")
DEMO_BLUEPRINTS = {
    Platform.IOS: EXAMPLES / "ios-supervised-dep.toml",
    Platform.ANDROID: EXAMPLES / "android-device-owner.toml",
}


class BenchController(QObject):
    started = Signal()
    stopped = Signal()
    failed = Signal(str)
    blueprintsChanged = Signal()
    namesChanged = Signal()  # a names CSV was imported for this batch (names_csv)
    namesFailed = Signal(str)  # the file chosen could not be used: why, in the UI language

    def __init__(self, settings: Settings, db: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.db = db or settings.database or None
        self.station: Any = None
        self.bench: Bench | None = None
        self.blueprints: dict[Platform, Blueprint] = {}
        self.simulated = 0
        self.intake: Any = None
        self.prompt_parent: QWidget | None = None  # the window: secret prompts open over it
        # The batch's names CSV, imported by the technician: kept until another is imported.
        self.names_csv: BatchCsv | None = None
        self._load_chosen()

    # --- blueprints --------------------------------------------------------------------------------
    def _load_chosen(self) -> None:
        for platform, path in ((Platform.IOS, self.settings.blueprint_ios), (Platform.ANDROID, self.settings.blueprint_android)):
            if path:
                try:
                    self.blueprints[platform] = load_blueprint(path)
                except BlueprintError as exc:
                    log.warning("chosen blueprint unusable: %s", exc)

    def use_blueprint(self, bp: Blueprint) -> list[Platform]:
        """Use a blueprint for each platform it has a section for; returns those platforms."""
        used = []
        if bp.ios is not None:
            self.blueprints[Platform.IOS] = bp
            self.settings.blueprint_ios = str(bp.source or "")
            used.append(Platform.IOS)
        if bp.android is not None:
            self.blueprints[Platform.ANDROID] = bp
            self.settings.blueprint_android = str(bp.source or "")
            used.append(Platform.ANDROID)
        if bp.source is not None:
            self.settings.remember(bp.source)
        self.settings.save()
        if self.bench is not None:
            for p in used:
                self.bench.set_blueprint(p, bp)
        self.blueprintsChanged.emit()
        return used

    def names(self) -> dict[str, str]:
        return {p.value: bp.name for p, bp in self.blueprints.items()}

    def _demo_blueprints(self) -> None:
        for platform, path in DEMO_BLUEPRINTS.items():
            if platform not in self.blueprints and path.is_file():
                try:
                    bp = load_blueprint(path)
                except BlueprintError as exc:
                    log.warning("demo blueprint %s unusable: %s", path, exc)
                    continue
                if bp.ios is not None and bp.ios.supervision_identity is not None:
                    # The example names a customer's identity a new station does not have; without a
                    # name the station makes its own on first use, so the demo runs anywhere.
                    bp.ios.supervision_identity = None
                self.blueprints[platform] = bp
        self.blueprintsChanged.emit()

    # --- the batch's names CSV ----------------------------------------------------------------------
    def import_names_csv(self, path: str) -> Op[BatchCsv]:
        """Read and check ``path`` off the GUI thread; then use it (``namesChanged``) or say why not (``namesFailed``)."""
        blueprints = list(self.blueprints.values())
        target = Path(path).expanduser()
        return Op(self, lambda: check_batch_csv(target, blueprints)).success(self._names_checked).failure(
            self._names_refused
        ).run()

    def _names_checked(self, batch: BatchCsv) -> None:
        self.names_csv = batch
        bench = self.bench
        if bench is not None:
            bench.config.names_csv = batch.path
            # Checked again with the new file (a run refused for want of it starts, with auto-apply).
            for platform, bp in list(bench.config.blueprints.items()):
                if bp.naming is not None:
                    bench.set_blueprint(platform, bp)
        self.namesChanged.emit()

    def _names_refused(self, exc: BaseException) -> None:
        reason = exc.reason.get(current_language()) if isinstance(exc, StepError) else str(exc)
        self.namesFailed.emit(reason)

    # --- life cycle --------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.bench is not None

    async def start(self, simulate: Any = 0) -> Bench | None:
        """Start the station and its bench; None on failure (the window shows why).

        ``simulate``: a number of simulated devices (half iOS, half Galaxy), or a
        :class:`~kitstation.station.SimulationPlan` (counts, speed, faults) for demos and screenshots.
        """
        if self.bench is not None:
            return self.bench
        from kitstation.station import SimulationPlan, Station

        platforms = [Platform.IOS, Platform.ANDROID]
        # A simulated bench has Apple Business and KME stand-ins: [abm]/[kme] blueprints assign there.
        plan: Any = SimulationPlan.split(simulate) if isinstance(simulate, int) and simulate else simulate
        if isinstance(plan, SimulationPlan) and isinstance(simulate, int):
            plan.cloud = True
        count = simulate if isinstance(simulate, int) else simulate.ios + simulate.android
        self.simulated = count
        if count:
            self._demo_blueprints()
        station = Station(db=self.db, simulate=plan, platforms=platforms)
        try:
            await station.start()
        except Exception as exc:
            log.exception("station start failed")
            try:
                await station.aclose()
            except Exception:
                log.exception("closing after a failed start")
            self.failed.emit(str(exc))
            return None
        self.station = station
        s = self.settings
        config = BenchConfig(
            blueprints=dict(self.blueprints),
            auto_apply=s.auto_apply,
            limits=dict(s.limits),
            max_active={Platform.IOS: s.max_ios, Platform.ANDROID: s.max_android},
            technician=s.technician or None,
            names_csv=self.names_csv.path if self.names_csv is not None else None,
        )
        bench = station.bench(config, secrets=GuiSecrets(self.prompt_parent, simulated=bool(count)))
        await bench.start()
        self.bench = bench
        self.started.emit()
        return bench

    async def stop(self) -> None:
        bench, station = self.bench, self.station
        self.bench = None
        self.station = None
        self.intake = None
        try:
            if bench is not None:
                await bench.stop()
        finally:
            if station is not None:
                await station.aclose()
            self.stopped.emit()

    # --- acting on tiles -----------------------------------------------------------------------------
    async def apply(self, slots: list[str], force: bool = False) -> None:
        """Start (``force``: redo even what is done) the blueprint on these slots now."""
        bench = self.bench
        if bench is None:
            return
        for slot in slots:
            await bench.apply(slot, force)

    def cancel(self, slots: list[str]) -> None:
        if self.bench is not None and slots:
            self.bench.cancel(group=slots)

    def slots_in(self, states: tuple[SlotState, ...], platforms: list[Platform] | None = None) -> list[str]:
        """The slots now in one of ``states`` (of these platforms)."""
        if self.bench is None:
            return []
        return [
            v.slot
            for v in self.bench.slots.values()
            if v.state in states and (platforms is None or v.platform in platforms)
        ]

    def set_auto_apply(self, on: bool) -> None:
        self.settings.auto_apply = on
        self.settings.save()
        if self.bench is not None:
            self.bench.set_auto_apply(on)

    # --- intake --------------------------------------------------------------------------------------
    async def scan(self, line: str) -> str:
        """Hand one scanned box label to the intake; the sentence to show under the scan field.

        The intake writes to the log: on the log's own writer thread, never on the GUI thread.
        """
        if self.bench is None:
            from kitstation.ui.qt import QCoreApplication

            return QCoreApplication.translate("BenchController", "Start the bench before scanning box labels.")
        if self.intake is None:
            from kitstation.core.intake import IntakeSession

            self.intake = IntakeSession(self.bench.kitlog, self.bench.session_id)
        writer = self.bench.log
        if isinstance(writer, AsyncKitLog):  # the log's single writer thread, beside the bench's writes
            outcome = await writer.call(self.intake.scan, line)
        else:  # another RunLog: still never on the GUI thread
            outcome = await asyncio.get_running_loop().run_in_executor(database_executor(), self.intake.scan, line)
        return str(outcome.reason.get(current_language()))

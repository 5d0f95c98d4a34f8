"""The station's main window: the bench, the history, and the menus that open everything else."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from kitstation.blueprints.model import Blueprint
from kitstation.core.bench import SlotState
from kitstation.domain.events import Event, PreflightResult
from kitstation.domain.model import Platform
from kitstation.i18n import current_language
from kitstation.ui import ops
from kitstation.ui.bench_model import SlotModel
from kitstation.ui.bench_view import BenchPage
from kitstation.ui.confirm import Confirmation, ask
from kitstation.ui.controller import BenchController
from kitstation.ui.dialogs import LibraryDialog, ReportsDialog, SettingsDialog
from kitstation.ui.errors import ErrorReporter
from kitstation.ui.history import HistoryModel, HistoryPage, columns
from kitstation.ui.labels import LabelsDialog
from kitstation.ui.labels import action_text as labels_action_text
from kitstation.ui.notify import Notifier
from kitstation.ui.ops import Op, database_executor
from kitstation.ui.port_map import PortMapDialog
from kitstation.ui.qt import QAction, QCloseEvent, QDialog, QFileDialog, QMainWindow, QTabWidget, QWidget, Signal
from kitstation.ui.settings import Settings
from kitstation.ui.tile_actions import TileAction
from kitstation.ui.translations import Translations
from kitstation.ui.wizard import PrepareWizard

# A device in one of these states is being prepared: stopping or quitting interrupts it.
IN_PROGRESS = (SlotState.QUEUED, SlotState.WORKING, SlotState.WAITING_USER)


class MainWindow(QMainWindow):
    closed = Signal()  # the window really closed (after the bench stopped)

    def __init__(
        self,
        controller: BenchController,
        translations: Translations | None = None,
        errors: ErrorReporter | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        controller.prompt_parent = self
        self.settings: Settings = controller.settings
        self.translations = translations
        self.errors = errors
        self.dialogs: list[QDialog] = []
        self.pending_confirm: Confirmation | None = None
        self.force_quit = False
        self.stopping = False
        self._unsubscribe_preflight: Callable[[], None] | None = None
        # A size that fits the screen (1366×768 laptops too); the window stays resizable.
        screen = self.screen().availableGeometry()
        self.resize(min(1400, screen.width()), min(900, screen.height()))
        self.setMinimumSize(960, 600)
        self.slot_model = SlotModel(self)
        self.notifier = Notifier(self.settings, self)
        self.slot_model.viewChanged.connect(self.notifier.on_view_changed)
        self.history_model = HistoryModel(None, self)
        self.build()
        controller.started.connect(self._on_started)
        controller.stopped.connect(self._on_stopped)
        controller.failed.connect(self._on_failed)
        controller.blueprintsChanged.connect(self._show_blueprints)
        controller.namesChanged.connect(self._show_names)
        controller.namesFailed.connect(self._names_failed)
        if errors is not None:
            errors.problem.connect(self.bench_page.show_banner)

    # --- building (again on a language switch: every text goes through tr() once more) ----------------
    def build(self) -> None:
        self.setWindowTitle(self.tr("KitStation — kitting station"))
        self.tabs = QTabWidget(self)
        self.bench_page = BenchPage(self.slot_model, self.tabs)
        self.bench_page.startRequested.connect(lambda: self.run(self.start_bench(0)))
        self.bench_page.stopRequested.connect(self.request_stop)
        self.bench_page.tileAction.connect(self.on_tile_action)
        self.bench_page.simulateRequested.connect(lambda: self.run(self.start_bench(8)))
        self.bench_page.autoApplyChanged.connect(self.controller.set_auto_apply)
        self.bench_page.auto_apply.setChecked(self.settings.auto_apply)
        self.bench_page.on_scan = self.controller.scan
        self.bench_page.importNamesRequested.connect(self.open_names_csv)
        self.history_page = HistoryPage(self.history_model, self.tabs)
        self.tabs.addTab(self.bench_page, self.tr("Bench"))
        self.tabs.addTab(self.history_page, self.tr("History"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        bar = self.menuBar()
        bar.clear()
        station = bar.addMenu(self.tr("&Station"))
        self.action_start = self._action(station, self.tr("Start the bench"), lambda: self.run(self.start_bench(0)))
        self.action_simulate = self._action(
            station, self.tr("Start a simulated bench (8 devices)"), lambda: self.run(self.start_bench(8))
        )
        self.action_stop = self._action(station, self.tr("Stop the bench"), self.request_stop)
        station.addSeparator()
        self._action(station, self.tr("Import names CSV…"), self.open_names_csv)
        self._action(station, self.tr("Hubs and ports…"), self.open_port_map)
        self._action(station, self.tr("Settings…"), self.open_settings)
        self._action(station, self.tr("Quit"), self.close)
        blueprints = bar.addMenu(self.tr("&Blueprints"))
        self._action(blueprints, self.tr("New blueprint (Prepare wizard)…"), self.open_wizard)
        self._action(blueprints, self.tr("Blueprint library…"), self.open_library)
        log_menu = bar.addMenu(self.tr("&Log"))
        self._action(log_menu, self.tr("History"), lambda: self.tabs.setCurrentIndex(1))
        self._action(log_menu, self.tr("Export a report…"), self.open_reports)
        self._action(log_menu, labels_action_text(), self.open_labels)
        self._show_blueprints()
        self._show_names()
        self._sync_running()

    def _action(self, menu: Any, text: str, slot: Any) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def retranslate(self) -> None:
        """Rebuild the widgets so every label is read through the newly installed translators."""
        old = self.tabs
        index = old.currentIndex()
        self.build()
        self.tabs.setCurrentIndex(index)
        self.history_model.cols = columns()
        self.history_model.reload()
        self.bench_page.kitlog = self.controller.bench.kitlog if self.controller.bench is not None else None
        if self.controller.bench is not None:
            self.bench_page.handoff.attach(self.controller.bench, self.controller.station, self.controller.blueprints)
        self.bench_page.update_counters()
        old.deleteLater()
        if self.errors is not None:
            self.errors.problem.connect(self.bench_page.show_banner)

    # --- async glue -------------------------------------------------------------------------------------
    def run(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a coroutine on the qasync loop through :class:`~kitstation.ui.ops.Op` (failures to the banner)."""
        op = Op.coroutine(self, coro).failure(self._task_failed).run()
        assert op.task is not None
        return op.task

    def _task_failed(self, exc: BaseException) -> None:
        if self.errors is not None:
            self.errors.report(exc, "GUI task")
        else:
            ops.unhandled(exc)

    async def start_bench(self, simulate: Any) -> None:
        """Start the bench (``simulate``: 0 for real devices, a device count or a SimulationPlan)."""
        self.bench_page.show_banner("")
        if simulate:
            self.bench_page.show_banner(self.tr("Simulated bench: these devices are not real (demo and training)."))
        self.bench_page.start_button.setEnabled(False)
        bench = await self.controller.start(simulate)
        if bench is None:
            self._sync_running()

    def offer_simulation(self) -> None:
        """Nothing attached a while after start: say so and offer the simulated bench."""
        bench = self.controller.bench
        if bench is not None and not bench.slots and not self.controller.simulated:
            self.bench_page.show_banner(
                self.tr("No devices found. Plug devices into the hubs, or start the simulated bench to see the "
                        "station work without hardware.")
            )

    def _on_started(self) -> None:
        bench = self.controller.bench
        assert bench is not None
        self.slot_model.clear()
        # ETAs: each model's median step durations from the log, read on the log's executor.
        medians = getattr(bench.kitlog, "step_medians", None)
        self.slot_model.set_history(medians, database_executor(bench.kitlog) if medians is not None else None)
        # Device names on the tiles: the run's row (its device_name), on the log's executor too.
        read_run = getattr(bench.kitlog, "run", None)
        self.slot_model.set_run_reader(read_run, database_executor(bench.kitlog) if read_run is not None else None)
        self.slot_model.attach(bench)
        self.bench_page.kitlog = bench.kitlog
        self.bench_page.handoff.attach(bench, self.controller.station, self.controller.blueprints)
        self.history_model.set_log(bench.kitlog)
        self._sync_running()
        self._show_blueprints()
        # The bench checked its blueprints while starting (before this): show those results now,
        # then each new one (a blueprint chosen, a check again before a run).
        self._unsubscribe_preflight = bench.subscribe(self._on_bench_event)
        self._show_preflight()

    def _on_stopped(self) -> None:
        # One last copy of the stopped bench's views: runs ended as interrupted, and the tiles say
        # so instead of freezing as "Working".
        self.slot_model.refresh()
        self.slot_model.attach(None)
        self.bench_page.handoff.attach(None, None, {})
        if self._unsubscribe_preflight is not None:
            self._unsubscribe_preflight()
            self._unsubscribe_preflight = None
        self._sync_running()

    def _on_failed(self, error: str) -> None:
        self.bench_page.show_banner(
            self.tr("The station could not start: %1. Check the database setting and the USB connections, then "
                    "press Start again.").replace("%1", error)
        )

    def _sync_running(self) -> None:
        running = self.controller.running
        self.bench_page.set_running(running)
        self.action_start.setEnabled(not running)
        self.action_simulate.setEnabled(not running)
        self.action_stop.setEnabled(running)

    def _show_blueprints(self) -> None:
        self.bench_page.set_blueprints(self.controller.names())

    def _show_names(self) -> None:
        batch = self.controller.names_csv
        if batch is not None:
            self.bench_page.set_names(batch.path.name, batch.rows, ", ".join(batch.key_columns), str(batch.path))

    def _names_failed(self, reason: str) -> None:
        self.bench_page.show_banner(self.tr("The names CSV was not imported: %1").replace("%1", reason))

    def _on_bench_event(self, event: Event) -> None:
        if isinstance(event, PreflightResult):
            self._show_preflight()

    def _show_preflight(self) -> None:
        """Each platform's latest blueprint check under the blueprint names: passed, or every problem."""
        bench = self.controller.bench
        lines: list[str] = []
        ok = True
        lang = current_language()
        for platform, name in ((Platform.IOS, "iOS"), (Platform.ANDROID, "Android")):
            result = bench.preflight(platform) if bench is not None else None
            if result is None:
                continue
            if result.ok:
                lines.append(self.tr("%1: the blueprint passed its check").replace("%1", name))
                continue
            ok = False
            lines.append(
                self.tr("%1: the blueprint failed its check, no device will be touched:").replace("%1", name)
            )
            lines += [f"  • {problem.reason.get(lang)}" for problem in result.problems]
        self.bench_page.show_preflight("\n".join(lines), ok)

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self.history_model.reload()

    # --- dialogs (open(), never exec(): see errors.py / STYLE) --------------------------------------------
    def _keep(self, dlg: QDialog) -> QDialog:
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dlg]
        return dlg

    def open_names_csv(self) -> QFileDialog:
        """Ask for this batch's names CSV; it is read and checked off the GUI thread (the controller)."""
        dlg = QFileDialog(self, self.tr("Names CSV for this batch"), "", self.tr("CSV files (*.csv);;All files (*)"))
        dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
        dlg.fileSelected.connect(self._names_chosen)
        self._keep(dlg).open()
        return dlg

    def _names_chosen(self, path: str) -> None:
        self.bench_page.show_banner("")
        self.controller.import_names_csv(path)

    def open_wizard(self) -> PrepareWizard:
        wiz = PrepareWizard(self)
        wiz.saved.connect(self._wizard_saved)
        self._keep(wiz).open()
        return wiz

    def edit_blueprint(self, path: str) -> None:
        """Reopen the wizard on a saved blueprint (its files read off the GUI thread)."""
        from kitstation.blueprints.loader import BlueprintError, load_blueprint
        from kitstation.blueprints.wizard import answers_from

        def opened(answers: Any) -> None:
            wiz = self.open_wizard()
            wiz.set_answers(answers, Path(path))

        def failed(exc: BaseException) -> None:
            reason = exc.render(current_language()) if isinstance(exc, BlueprintError) else str(exc)
            self.bench_page.show_banner(self.tr("The blueprint could not be opened: %1").replace("%1", reason))

        Op(self, lambda: answers_from(load_blueprint(path, check_files=False))).success(opened).failure(failed).run()

    def _wizard_saved(self, path: str) -> None:
        from kitstation.blueprints.loader import load_blueprint

        self.use_blueprint(load_blueprint(path))

    def use_blueprint(self, bp: Blueprint) -> None:
        """Use ``bp`` for its platforms; on a running bench that already has one, ask first."""
        platforms = [p for p, section in ((Platform.IOS, bp.ios), (Platform.ANDROID, bp.android)) if section]
        current = self.controller.blueprints
        swapping = [p for p in platforms if p in current and current[p] is not bp]
        busy = self.controller.slots_in(IN_PROGRESS + (SlotState.READY,), platforms)
        if self.controller.running and swapping and busy:
            text = self.tr(
                "The bench is running with the blueprint “%1”. Devices already being prepared finish with it; "
                "“%2” is used for the next devices, and Ready devices start with it now (%3 on the bench)."
            ).replace("%1", current[swapping[0]].name).replace("%2", bp.name).replace("%3", str(len(busy)))
            self.pending_confirm = ask(
                self, self.tr("Change the blueprint of a running bench?"), text, self.tr("Change the blueprint"),
                self.tr("Keep the current one"), lambda: self._use_blueprint(bp)
            )
            return
        self._use_blueprint(bp)

    def _use_blueprint(self, bp: Blueprint) -> None:
        used = self.controller.use_blueprint(bp)
        # Choosing a blueprint is the technician's go for the devices waiting for one.
        ready = self.controller.slots_in((SlotState.READY,), used)
        if ready:
            self.run(self.controller.apply(ready))

    # --- tile actions, Stop and Quit ----------------------------------------------------------------
    def on_tile_action(self, action: str, slots: list[str]) -> None:
        act = TileAction(action)
        if act in (TileAction.APPLY, TileAction.RETRY):
            self.run(self.controller.apply(slots))
        elif act == TileAction.RERUN:
            self.run(self.controller.apply(slots, force=True))
        elif act == TileAction.CANCEL:
            self.controller.cancel(slots)

    def request_stop(self) -> None:
        """Stop the bench; while devices are being prepared, ask first."""
        busy = self.controller.slots_in(IN_PROGRESS)
        if not busy:
            self.run(self.controller.stop())
            return
        self.pending_confirm = ask(
            self, self.tr("Stop the bench?"),
            (self.tr("1 device is being prepared. Stopping ends its run as interrupted; it resumes from the last "
                     "finished step when the bench starts again.") if len(busy) == 1 else
             self.tr("%1 devices are being prepared. Stopping ends their runs as interrupted; they resume from the "
                     "last finished step when the bench starts again.").replace("%1", str(len(busy)))),
            self.tr("Stop the bench"), self.tr("Keep running"), self.stop_now,
        )

    def stop_now(self) -> None:
        self.run(self.controller.stop())

    def open_library(self) -> LibraryDialog:
        dlg = LibraryDialog(self.settings, self)
        dlg.chosen.connect(self.use_blueprint)
        dlg.edit.connect(self.edit_blueprint)
        self._keep(dlg).open()
        return dlg

    def open_reports(self) -> ReportsDialog:
        kitlog = self.controller.bench.kitlog if self.controller.bench is not None else self.history_model.kitlog
        dlg = ReportsDialog(kitlog, self.history_page.current_filter(), self)
        self._keep(dlg).open()
        return dlg

    def open_labels(self) -> LabelsDialog:
        bench = self.controller.bench
        kitlog = bench.kitlog if bench is not None else self.history_model.kitlog
        dlg = LabelsDialog(kitlog, bench.session_id if bench is not None else None, self)
        self._keep(dlg).open()
        return dlg

    def open_port_map(self) -> PortMapDialog:
        bench = self.controller.bench
        dlg = PortMapDialog(
            self.slot_model.views(),
            bench.kitlog if bench is not None else None,
            bench.station_id if bench is not None else None,
            self._rename_slot if bench is not None else None,
            self,
        )
        self._keep(dlg).open()
        return dlg

    def _rename_slot(self, slot: str, label: str) -> None:
        bench = self.controller.bench
        if bench is not None:
            bench.rename_slot(slot, label)  # kept in the log for this station
            self.slot_model.refresh()

    def open_settings(self) -> SettingsDialog:
        dlg = SettingsDialog(self.settings, self)
        dlg.accepted.connect(lambda: self._settings_saved(dlg))
        self._keep(dlg).open()
        return dlg

    def _settings_saved(self, dlg: SettingsDialog) -> None:
        dlg.apply()
        self.switch_language(self.settings.language)

    def switch_language(self, language: str) -> None:
        if self.translations is not None:
            self.translations.switch(language)
        self.retranslate()

    def quit_now(self) -> None:
        """Close without asking (SIGTERM, Ctrl-C in the terminal, the confirmation's Quit)."""
        self.force_quit = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.controller.running:
            event.ignore()
            busy = self.controller.slots_in(IN_PROGRESS)
            if busy and not self.force_quit:
                if self.pending_confirm is None or not self.pending_confirm.isVisible():
                    self.pending_confirm = ask(
                        self, self.tr("Quit KitStation?"),
                        (self.tr("1 device is being prepared. Quitting stops the bench: its run ends as "
                                 "interrupted and resumes when the station starts again.") if len(busy) == 1 else
                         self.tr("%1 devices are being prepared. Quitting stops the bench: their runs end as "
                                 "interrupted and resume when the station starts again.").replace("%1", str(len(busy)))),
                        self.tr("Quit"), self.tr("Keep running"), self.quit_now,
                    )
                return
            # Stop cleanly first (runs end as "interrupted" and resume next time), then close.

            async def stop_then_close() -> None:
                await self.controller.stop()
                self.close()

            if not self.stopping:
                self.stopping = True
                self.run(stop_then_close())
            return
        event.accept()
        self.closed.emit()

"""History: the kitting log as a paged, sortable, filterable table over the database.

:class:`HistoryModel` never loads the whole table: it asks ``KitLog.count`` for the size and
fetches pages of ``PAGE`` rows with ``KitLog.history_page(after=<last row shown>)`` (keyset
pages: as fast at the end of a million-row log as at its start) through Qt's
``canFetchMore``/``fetchMore``, so scrolling reads only what is shown.
Sorting and filtering go to SQL (``order_by``, :class:`RunFilter`) and start again at page one.
Every query runs through :class:`~kitstation.ui.ops.Op` on the database executor, never on the
GUI thread (the loop that also drives every device); a result that arrives after a newer
request (the filter changed meanwhile) is dropped. While the page is shown it refreshes itself
when the log changes, and a double-click opens the run's timeline.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from kitstation.i18n import current_language
from kitstation.log.store import KitLog, RunFilter
from kitstation.ui.ops import Op, database_executor
from kitstation.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

PAGE = 200
LIVE_MS = 3000  # how often a shown History checks for new runs


def columns() -> list[tuple[str, str]]:
    # The reason right after the outcome: at 1366 px it is on screen (it was the last, off-screen
    # column); the technician column stretches at the end.
    return [
        ("run_id", QCoreApplication.translate("History", "Run")),
        ("started_at", QCoreApplication.translate("History", "Date")),
        ("status", QCoreApplication.translate("History", "Outcome")),
        ("reason", QCoreApplication.translate("History", "Reason")),
        ("duration", QCoreApplication.translate("History", "Duration")),
        ("platform", QCoreApplication.translate("History", "Platform")),
        ("model_id", QCoreApplication.translate("History", "Model")),
        ("serial", QCoreApplication.translate("History", "Serial")),
        ("imei", QCoreApplication.translate("History", "IMEI")),
        # The name the run's rename step read back from the device (the one on its label).
        ("device_name", QCoreApplication.translate("History", "Device name")),
        ("slot", QCoreApplication.translate("History", "Slot")),
        ("station", QCoreApplication.translate("History", "Station")),
        ("blueprint_name", QCoreApplication.translate("History", "Blueprint")),
        ("technician", QCoreApplication.translate("History", "Technician")),
    ]


# Columns the log cannot sort by (computed here, or free text in two languages).
UNSORTABLE = frozenset({"reason", "duration", "slot", "station", "device_name"})
# Widths that fit a date, a 15-digit IMEI and a serial; at least the header's own width.
WIDTHS = {"run_id": 60, "started_at": 130, "status": 130, "reason": 260, "duration": 70, "platform": 80,
          "model_id": 130, "serial": 120, "imei": 140, "device_name": 140, "slot": 90, "station": 90, "blueprint_name": 150}


def duration_text(row: dict[str, Any]) -> str:
    start, end = row.get("started_at"), row.get("ended_at")
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return ""
    secs = max(0, int((end - start).total_seconds()))
    return f"{secs // 3600}:{secs % 3600 // 60:02d}:{secs % 60:02d}" if secs >= 3600 else f"{secs // 60}:{secs % 60:02d}"


def status_text(status: str) -> str:
    return {
        "ok": QCoreApplication.translate("History", "OK"),
        "failed": QCoreApplication.translate("History", "Failed"),
        "running": QCoreApplication.translate("History", "Running"),
        "waiting_external": QCoreApplication.translate("History", "Awaiting ABM/KME"),
        "interrupted": QCoreApplication.translate("History", "Interrupted"),
        "cancelled": QCoreApplication.translate("History", "Cancelled"),
    }.get(status, status)


class HistoryModel(QAbstractTableModel):
    loaded = Signal()

    def __init__(self, kitlog: KitLog | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kitlog = kitlog
        self.filter = RunFilter()
        self.order_by = "run_id"
        self.descending = True
        self.total = 0
        self.rows: list[dict[str, Any]] = []
        self.cols = columns()
        self._generation = 0  # bumped by every reload: older answers are dropped
        self._fetching = False
        self.loading = False

    def set_log(self, kitlog: KitLog | None) -> None:
        self.kitlog = kitlog
        self.reload()

    def set_filter(self, flt: RunFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        """Count and read the first page again, off the GUI thread; ``loaded`` when shown."""
        self._generation += 1
        gen, kitlog = self._generation, self.kitlog
        if kitlog is None:
            self._show(gen, 0, [])
            return
        flt, order_by, desc = self.filter, self.order_by, self.descending
        self.loading = True

        def work() -> tuple[int, list[dict[str, Any]]]:
            total = kitlog.count(flt)
            page = kitlog.history_page(flt, order_by=order_by, descending=desc, limit=PAGE) if total else []
            return total, page

        Op(self, work, database_executor(kitlog)).success(lambda r: self._show(gen, *r)).run()

    def _show(self, gen: int, total: int, page: list[dict[str, Any]]) -> None:
        if gen != self._generation:
            return  # a newer filter or sort was asked for meanwhile
        self.loading = False
        self._fetching = False
        self.beginResetModel()
        self.total = total
        self.rows = list(page)
        self.endResetModel()
        self.loaded.emit()

    # --- lazy loading ------------------------------------------------------------------------------
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self.loading and not self._fetching and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self.kitlog is None or self._fetching:
            return
        self._fetching = True
        gen, kitlog, offset = self._generation, self.kitlog, len(self.rows)
        flt, order_by, desc = self.filter, self.order_by, self.descending
        after = self.rows[-1] if self.rows else None  # keyset paging: the next page starts after this row
        Op(
            self,
            lambda: kitlog.history_page(flt, order_by=order_by, descending=desc, limit=PAGE, after=after),
            database_executor(kitlog),
        ).success(lambda page: self._append(gen, offset, page)).run()

    def _append(self, gen: int, offset: int, page: list[dict[str, Any]]) -> None:
        if gen != self._generation or offset != len(self.rows):
            return
        self._fetching = False
        if not page:
            self.total = len(self.rows)  # rows deleted meanwhile: stop asking
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self.rows.extend(page)
        self.endInsertRows()
        self.loaded.emit()

    def row_at(self, row: int) -> dict[str, Any]:
        return self.rows[row]

    # --- model -------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cols)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = int(Qt.ItemDataRole.DisplayRole)) -> Any:
        if role == int(Qt.ItemDataRole.DisplayRole) and orientation == Qt.Orientation.Horizontal:
            return self.cols[section][1]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = int(Qt.ItemDataRole.DisplayRole)) -> Any:
        if index.isValid() and role == int(Qt.ItemDataRole.ToolTipRole):
            return self.data(index)  # the whole text (a long reason is cut in its column)
        if not index.isValid() or role != int(Qt.ItemDataRole.DisplayRole):
            return None
        row = self.rows[index.row()]
        key = self.cols[index.column()][0]
        if key == "reason":
            lang = current_language()
            return row.get("reason_ja" if lang == "ja" else "reason_en") or row.get("reason_en") or ""
        if key == "duration":
            return duration_text(row)
        value = row.get(key)
        if key == "status":
            return status_text(str(value))
        if key == "platform":
            return {"ios": "iOS", "android": "Android"}.get(str(value), str(value))
        if key == "model_id":
            return row.get("marketing_name") or value or ""
        if isinstance(value, datetime):
            return value.astimezone().strftime("%Y-%m-%d %H:%M")
        return "" if value is None else str(value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.cols[column][0]
        if key in UNSORTABLE:
            return
        self.order_by = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()


class HistoryPage(QWidget):
    """Filters over the table; typing waits 300 ms before querying (one query per pause, not per key)."""

    def __init__(self, model: HistoryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(self.tr("Serial, IMEI or model"))
        self.period = QComboBox(self)
        for label, days in ((self.tr("All dates"), 0), (self.tr("Today"), 1), (self.tr("Last 7 days"), 7),
                            (self.tr("Last 30 days"), 30)):
            self.period.addItem(label, days)
        self.outcome = QComboBox(self)
        self.outcome.addItem(self.tr("All outcomes"), "")
        for s in ("ok", "failed", "waiting_external", "interrupted", "cancelled", "running"):
            self.outcome.addItem(status_text(s), s)
        self.blueprint = QLineEdit(self)
        self.blueprint.setPlaceholderText(self.tr("Blueprint"))
        self.technician = QLineEdit(self)
        self.technician.setPlaceholderText(self.tr("Technician"))
        self.model_field = QLineEdit(self)
        self.model_field.setPlaceholderText(self.tr("Model"))
        refresh = QPushButton(self.tr("Refresh"), self)
        refresh.clicked.connect(self.apply)
        self.live = QCheckBox(self.tr("Live"), self)
        self.live.setToolTip(self.tr("Refresh by itself while shown, when new runs are logged"))
        self.live.setChecked(True)
        for w in (self.text, self.period, self.outcome, self.model_field, self.blueprint, self.technician, refresh,
                  self.live):
            bar.addWidget(w)
        layout.addLayout(bar)
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().hide()
        # Widths that fit a date, a 15-digit IMEI and a serial; the reason takes the rest.
        self.fit_columns()
        self.table.doubleClicked.connect(self._open_timeline)
        self.open_dialogs: list[QDialog] = []
        # Live refresh: while shown, a light query (the count and the newest run) every few seconds;
        # the table reloads only when that changed and the view is at the top (not while scrolling).
        self._live_timer = QTimer(self)
        self._live_timer.setInterval(LIVE_MS)
        self._live_timer.timeout.connect(self.poll)
        self._live_timer.start()
        self._polling = False
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        layout.addWidget(self.status)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.apply)
        for edit in (self.text, self.blueprint, self.technician, self.model_field):
            edit.textChanged.connect(self._debounce.start)
        self.period.currentIndexChanged.connect(self.apply)
        self.outcome.currentIndexChanged.connect(self.apply)
        model.loaded.connect(self._show_count)
        model.rowsInserted.connect(self._show_count)

    def current_filter(self) -> RunFilter:
        days = int(self.period.currentData() or 0)
        since = None
        if days:
            today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
            since = today - timedelta(days=days - 1)
        status = self.outcome.currentData()
        return RunFilter(
            since=since,
            text=self.text.text().strip() or None,
            status=[status] if status else None,
            blueprint=self.blueprint.text().strip() or None,
            technician=self.technician.text().strip() or None,
            model=self.model_field.text().strip() or None,
        )

    def fit_columns(self) -> None:
        """Each column at least as wide as its header in the current language (no clipped headers)."""
        header = self.table.horizontalHeader()
        for col, (key, _title) in enumerate(self.model.cols):
            if col == len(self.model.cols) - 1:
                continue  # the last column stretches
            self.table.setColumnWidth(col, max(WIDTHS.get(key, 100), header.sectionSizeHint(col) + 8))

    def poll(self) -> None:
        m = self.model
        if not self.live.isChecked() or not self.isVisible() or m.kitlog is None or m.loading or self._polling:
            return
        if self.table.verticalScrollBar().value() != 0:
            return
        kitlog, flt = m.kitlog, m.filter
        seen = (m.total, m.rows[0].get("run_id") if m.rows else None, m.rows[0].get("status") if m.rows else None)

        def work() -> tuple[int, Any, Any]:
            # The newest run through the keyset reads, like the table's pages: the OFFSET query
            # (``history``) scans the joined log for a rare text or a model, 0.4-0.6 s of CPU at a
            # million runs, every few seconds.
            top = kitlog.history_page(flt, limit=1)
            return kitlog.count(flt), top[0]["run_id"] if top else None, top[0]["status"] if top else None

        def done(now: tuple[int, Any, Any]) -> None:
            self._polling = False
            # Compare on the default order only (newest first): another sort has no "top" to watch.
            if now[0] != seen[0] or (m.order_by == "run_id" and m.descending and now[1:] != seen[1:]):
                m.reload()

        self._polling = True
        Op(self, work, database_executor(kitlog)).success(done).failure(lambda _e: setattr(self, "_polling", False)).run()

    def _open_timeline(self, index: QModelIndex) -> None:
        from kitstation.ui.timeline import TimelineDialog

        row = self.model.row_at(index.row())
        who = row.get("serial") or row.get("imei") or row.get("device_key") or ""
        head = f"<b>{who}</b> — {status_text(str(row.get('status')))}"
        dlg = TimelineDialog(self.model.kitlog, int(row["run_id"]), str(who), head, self)
        self.open_dialogs.append(dlg)
        dlg.finished.connect(lambda _r, d=dlg: self._closed(d))
        dlg.open()

    def _closed(self, dlg: QDialog) -> None:
        if dlg in self.open_dialogs:
            self.open_dialogs.remove(dlg)
        dlg.deleteLater()

    def apply(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())

    def _show_count(self, *_: object) -> None:
        matching = self.tr("1 run matches; %2 loaded") if self.model.total == 1 else self.tr("%1 runs match; %2 loaded")
        self.status.setText(matching.replace("%1", f"{self.model.total:,}").replace("%2", f"{len(self.model.rows):,}"))

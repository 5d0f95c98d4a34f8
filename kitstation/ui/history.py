"""History: the kitting log as a paged, sortable, filterable table over the database.

:class:`HistoryModel` never loads the whole table: it asks ``KitLog.count`` for the size and
fetches pages of ``PAGE`` rows with ``KitLog.history_page(after=<last row shown>)`` (keyset
pages: as fast at the end of a million-row log as at its start) through Qt's
``canFetchMore``/``fetchMore``, so scrolling reads only what is shown.
Sorting and filtering go to SQL (``order_by``, :class:`RunFilter`) and start again at page one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from kitstation.i18n import current_language
from kitstation.log.store import KitLog, RunFilter
from kitstation.ui.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QComboBox,
    QCoreApplication,
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


def columns() -> list[tuple[str, str]]:
    return [
        ("run_id", QCoreApplication.translate("History", "Run")),
        ("started_at", QCoreApplication.translate("History", "Date")),
        ("status", QCoreApplication.translate("History", "Outcome")),
        ("platform", QCoreApplication.translate("History", "Platform")),
        ("model_id", QCoreApplication.translate("History", "Model")),
        ("serial", QCoreApplication.translate("History", "Serial")),
        ("imei", QCoreApplication.translate("History", "IMEI")),
        ("blueprint_name", QCoreApplication.translate("History", "Blueprint")),
        ("technician", QCoreApplication.translate("History", "Technician")),
        ("reason", QCoreApplication.translate("History", "Reason")),
    ]


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

    def set_log(self, kitlog: KitLog | None) -> None:
        self.kitlog = kitlog
        self.reload()

    def set_filter(self, flt: RunFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = []
        self.total = self.kitlog.count(self.filter) if self.kitlog is not None else 0
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())
        self.loaded.emit()

    # --- lazy loading ------------------------------------------------------------------------------
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self.kitlog is None:
            return
        page = self.kitlog.history_page(
            self.filter,
            order_by=self.order_by,
            descending=self.descending,
            limit=PAGE,
            after=self.rows[-1] if self.rows else None,
        )
        if not page:
            self.total = len(self.rows)  # rows deleted meanwhile: stop asking
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self.rows.extend(page)
        self.endInsertRows()

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
        if not index.isValid() or role != int(Qt.ItemDataRole.DisplayRole):
            return None
        row = self.rows[index.row()]
        key = self.cols[index.column()][0]
        if key == "reason":
            lang = current_language()
            return row.get("reason_ja" if lang == "ja" else "reason_en") or row.get("reason_en") or ""
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
        if key == "reason":
            return  # not sortable in SQL: the reason is free text in two languages
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
        for w in (self.text, self.period, self.outcome, self.model_field, self.blueprint, self.technician, refresh):
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
        for col, width in enumerate((70, 150, 170, 90, 170, 140, 160, 240, 110)):
            self.table.setColumnWidth(col, width)
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

    def apply(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())

    def _show_count(self, *_: object) -> None:
        self.status.setText(
            self.tr("%1 runs match; %2 loaded").replace("%1", f"{self.model.total:,}").replace(
                "%2", f"{len(self.model.rows):,}"
            )
        )

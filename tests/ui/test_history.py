"""History: paged loading over a large log, SQL-side filtering and sorting."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kitstation.log import KitLog
from kitstation.log.store import RunFilter
from kitstation.ui.history import PAGE, HistoryModel, HistoryPage
from kitstation.ui.qt import QModelIndex, Qt

from .helpers import fill_log


def test_pages_are_fetched_on_demand(kitlog: KitLog, qtbot: QtBot) -> None:
    fill_log(kitlog, runs=20_000)
    model = HistoryModel(kitlog)
    model.reload()
    assert model.total == 20_000
    assert model.rowCount() == PAGE  # one page, not the table
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE
    # Newest first by default: the last run inserted is on top.
    assert model.rows[0]["run_id"] > model.rows[1]["run_id"]


def test_view_scrolls_and_filters(kitlog: KitLog, qtbot: QtBot) -> None:
    fill_log(kitlog, runs=5_000)
    model = HistoryModel(kitlog)
    page = HistoryPage(model)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    model.reload()
    page.table.scrollToBottom()  # the view asks for the next page when it reaches the end
    qtbot.waitUntil(lambda: model.rowCount() > PAGE)
    assert model.rowCount() < 5_000

    # Outcome filter -> SQL; every 10th run failed.
    page.outcome.setCurrentIndex(page.outcome.findData("failed"))
    assert model.total == 500
    assert all(r["status"] == "failed" for r in model.rows)
    # Serial/IMEI text filter (debounced while typing).
    page.outcome.setCurrentIndex(0)
    qtbot.keyClicks(page.text, "R00000007")
    qtbot.waitUntil(lambda: model.total == 10)
    assert {r["serial"] for r in model.rows} == {"R00000007"}
    page.text.clear()
    page.technician.setText("Sato")
    page.apply()
    assert model.total == 2_500
    assert "2,500" in page.status.text()


def test_sort_by_serial_goes_to_sql(kitlog: KitLog, qtbot: QtBot) -> None:
    fill_log(kitlog, runs=1_000, devices=50)
    model = HistoryModel(kitlog)
    model.set_filter(RunFilter(status=["ok"]))
    col = [k for k, _ in model.cols].index("serial")
    model.sort(col, Qt.SortOrder.AscendingOrder)
    serials = [r["serial"] for r in model.rows]
    assert serials == sorted(serials)
    assert serials[0] == "R00000001"
    assert model.data(model.index(0, col)) == "R00000001"

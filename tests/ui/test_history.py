"""History: paged loading over a large log off the GUI thread, SQL-side filtering and sorting,
the slot / duration / station columns, double-click to the timeline and live refresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pytestqt.qtbot import QtBot

from kitstation.log import KitLog
from kitstation.log.store import RunFilter
from kitstation.ui.history import PAGE, UNSORTABLE, HistoryModel, HistoryPage, duration_text
from kitstation.ui.qt import QModelIndex, Qt
from kitstation.ui.timeline import TimelineDialog

from .helpers import GuiThreadSql, double_click, fill_log, more_runs


def reload(qtbot: QtBot, model: HistoryModel) -> None:
    with qtbot.waitSignal(model.loaded, timeout=30_000):
        model.reload()


def test_pages_are_fetched_on_demand_off_the_gui_thread(kitlog: KitLog, qtbot: QtBot) -> None:
    fill_log(kitlog, runs=20_000)
    model = HistoryModel(kitlog)
    with GuiThreadSql(kitlog.engine) as guard:
        reload(qtbot, model)
        assert model.total == 20_000
        assert model.rowCount() == PAGE  # one page, not the table
        assert model.canFetchMore(QModelIndex())
        with qtbot.waitSignal(model.loaded, timeout=30_000):
            model.fetchMore(QModelIndex())
        assert model.rowCount() == 2 * PAGE
    guard.check()
    # Newest first by default: the last run inserted is on top.
    assert model.rows[0]["run_id"] > model.rows[1]["run_id"]


def test_a_stale_answer_is_dropped(kitlog: KitLog, qtbot: QtBot) -> None:
    fill_log(kitlog, runs=2_000)
    model = HistoryModel(kitlog)
    model.set_filter(RunFilter(status=["ok"]))
    with qtbot.waitSignal(model.loaded, timeout=30_000):
        model.set_filter(RunFilter(status=["failed"]))  # asked while the first is still out
    qtbot.waitUntil(lambda: not model.loading)
    assert model.total == 200 and all(r["status"] == "failed" for r in model.rows)


def test_view_scrolls_filters_and_opens_the_timeline(kitlog: KitLog, qtbot: QtBot) -> None:
    fill_log(kitlog, runs=5_000)
    model = HistoryModel(kitlog)
    page = HistoryPage(model)
    qtbot.addWidget(page)
    page.resize(1366, 600)
    page.show()
    with GuiThreadSql(kitlog.engine) as guard:
        reload(qtbot, model)
        page.table.scrollToBottom()  # the view asks for the next page when it reaches the end
        qtbot.waitUntil(lambda: model.rowCount() > PAGE)
        assert model.rowCount() < 5_000

        # Outcome filter -> SQL; every 10th run failed.
        with qtbot.waitSignal(model.loaded, timeout=30_000):
            page.outcome.setCurrentIndex(page.outcome.findData("failed"))
        assert model.total == 500
        assert all(r["status"] == "failed" for r in model.rows)
        # Serial/IMEI text filter (debounced while typing).
        page.outcome.setCurrentIndex(0)
        page.text.insert("R00000007")  # typed: textChanged starts the debounce as keys do
        qtbot.waitUntil(lambda: model.total == 10)
        assert {r["serial"] for r in model.rows} == {"R00000007"}
        page.text.clear()
        page.technician.setText("Sato")
        with qtbot.waitSignal(model.loaded, timeout=30_000):
            page.apply()
        assert model.total == 2_500
        assert "2,500" in page.status.text()

        # Slot, station and duration columns.
        cols = [k for k, _ in model.cols]
        row0 = model.rows[0]
        assert model.data(model.index(0, cols.index("slot"))) == row0["slot"]
        assert model.data(model.index(0, cols.index("station"))) == "bench-1"

        # Double-click a row: its timeline (read off the GUI thread too).
        page.table.scrollToTop()
        rect = page.table.visualRect(model.index(0, 0))
        double_click(qtbot, page.table.viewport(), rect.center())
        dlg = page.open_dialogs[-1]
        assert isinstance(dlg, TimelineDialog) and dlg.isVisible()
        qtbot.waitUntil(lambda: not dlg.note.text().startswith("Loading"))
        dlg.reject()
    guard.check()
    header = page.table.horizontalHeader()
    for c in range(model.columnCount() - 1):  # headers are not clipped
        assert page.table.columnWidth(c) >= header.sectionSizeHint(c), model.cols[c]
    reason = [k for k, _ in model.cols].index("reason")  # on screen at 1366 px, not past the right edge
    page.table.horizontalScrollBar().setValue(0)
    right = page.table.columnViewportPosition(reason) + page.table.columnWidth(reason)
    assert right <= page.table.viewport().width()
    assert model.data(model.index(0, reason), int(Qt.ItemDataRole.ToolTipRole)) == model.data(model.index(0, reason))


def test_live_refresh_shows_new_runs(kitlog: KitLog, qtbot: QtBot) -> None:
    fill_log(kitlog, runs=10)
    model = HistoryModel(kitlog)
    page = HistoryPage(model)
    qtbot.addWidget(page)
    page.show()
    reload(qtbot, model)
    assert model.total == 10
    more_runs(kitlog, 5)  # another station logs runs meanwhile
    with qtbot.waitSignal(model.loaded, timeout=30_000):
        page.poll()  # what the live timer does every few seconds
    assert model.total == 15
    page.live.setChecked(False)
    more_runs(kitlog, 1)
    page.poll()
    qtbot.waitUntil(lambda: page.model.total == 15)  # off: nothing reloaded
    assert not page._polling


def test_sort_by_serial_goes_to_sql(kitlog: KitLog, qtbot: QtBot) -> None:
    fill_log(kitlog, runs=1_000, devices=50)
    model = HistoryModel(kitlog)
    with qtbot.waitSignal(model.loaded, timeout=30_000):
        model.set_filter(RunFilter(status=["ok"]))
    col = [k for k, _ in model.cols].index("serial")
    with qtbot.waitSignal(model.loaded, timeout=30_000):
        model.sort(col, Qt.SortOrder.AscendingOrder)
    serials = [r["serial"] for r in model.rows]
    assert serials == sorted(serials)
    assert serials[0] == "R00000001"
    assert model.data(model.index(0, col)) == "R00000001"


def test_duration_text() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)
    assert duration_text({"started_at": t, "ended_at": t + timedelta(minutes=2, seconds=5)}) == "2:05"
    assert duration_text({"started_at": t, "ended_at": t + timedelta(hours=1, seconds=1)}) == "1:00:01"
    assert duration_text({"started_at": t, "ended_at": None}) == ""



def test_one_run_is_counted_in_the_singular_and_the_device_name_is_a_column(kitlog: KitLog, qtbot: QtBot) -> None:
    fill_log(kitlog, runs=1, devices=1)
    model = HistoryModel(kitlog)
    page = HistoryPage(model)
    qtbot.addWidget(page)
    with qtbot.waitSignal(model.loaded):
        model.reload()
    assert page.status.text() == "1 run matches; 1 loaded"
    col = [k for k, _ in model.cols].index("device_name")
    assert model.headerData(col, Qt.Orientation.Horizontal) == "Device name"
    assert model.data(model.index(0, col)) == ""  # this run renamed nothing


def _expected_order(rows: list[dict[str, Any]], key: str, descending: bool) -> list[Any]:
    """A column's values in the order History promises (NULLs smallest), computed in Python."""
    return sorted((r[key] for r in rows), key=lambda v: (v is not None, v if v is not None else ""), reverse=descending)


def test_every_filter_and_sort_is_read_off_the_gui_thread(kitlog: KitLog, qtbot: QtBot) -> None:
    # Every control the History page offers, each sortable column both ways, the next page and
    # the live poll: none runs SQL on the GUI thread, and each answers what Python computes.
    fill_log(kitlog, runs=3_000, devices=300)
    rows = list(kitlog.iter_history())
    model = HistoryModel(kitlog)
    page = HistoryPage(model)
    qtbot.addWidget(page)
    page.show()
    keys = [k for k, _ in model.cols]
    with GuiThreadSql(kitlog.engine) as guard:
        reload(qtbot, model)
        for col, key in enumerate(keys):
            if key in UNSORTABLE:
                continue
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                with qtbot.waitSignal(model.loaded, timeout=30_000):
                    page.table.sortByColumn(col, order)
                desc = order == Qt.SortOrder.DescendingOrder
                assert [r[key] for r in model.rows] == _expected_order(rows, key, desc)[:PAGE], (key, order)
        with qtbot.waitSignal(model.loaded, timeout=30_000):
            model.fetchMore(QModelIndex())  # the next page of the last sort (technician, descending)
        assert [r["technician"] for r in model.rows] == _expected_order(rows, "technician", True)[: 2 * PAGE]
        with qtbot.waitSignal(model.loaded, timeout=30_000):
            page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)

        def matches(pred: Any) -> int:
            return sum(1 for r in rows if pred(r))

        cases: list[tuple[Any, Any, int]] = [
            (page.text, "R0000001", matches(lambda r: "R0000001" in r["serial"])),
            (page.text, "R0", matches(lambda r: r["serial"].startswith("R0"))),
            (page.text, "", len(rows)),
            (page.model_field, "SM-S911B", matches(lambda r: r["model_id"] == "SM-S911B")),
            (page.model_field, "", len(rows)),
            (page.blueprint, "Batch BP", len(rows)),
            (page.blueprint, "", len(rows)),
            (page.technician, "Sato", matches(lambda r: r["technician"] == "Sato")),
            (page.technician, "", len(rows)),
        ]
        for edit, value, expected in cases:
            edit.setText(value)
            with qtbot.waitSignal(model.loaded, timeout=30_000):
                page.apply()
            assert model.total == expected, (value, model.total)
        for i in [*range(1, page.outcome.count()), 0]:  # each outcome, then all of them again
            with qtbot.waitSignal(model.loaded, timeout=30_000):
                page.outcome.setCurrentIndex(i)
            status = page.outcome.itemData(i)
            assert model.total == matches(lambda r, s=status: not s or r["status"] == s), status
        for i in range(1, page.period.count()):  # the log's runs are from 2026-01-01: none recent
            with qtbot.waitSignal(model.loaded, timeout=30_000):
                page.period.setCurrentIndex(i)
            assert model.total == matches(lambda r, f=page.current_filter(): r["started_at"] >= f.since)
        # Outcome and a device sort at once (the index with the outcome first).
        page.period.setCurrentIndex(0)
        with qtbot.waitSignal(model.loaded, timeout=30_000):
            page.outcome.setCurrentIndex(page.outcome.findData("failed"))
        with qtbot.waitSignal(model.loaded, timeout=30_000):
            page.table.sortByColumn(keys.index("serial"), Qt.SortOrder.AscendingOrder)
        failed = [r for r in rows if r["status"] == "failed"]
        assert [r["serial"] for r in model.rows] == _expected_order(failed, "serial", False)[:PAGE]
        page.poll()  # the live refresh's light query
        qtbot.waitUntil(lambda: not page._polling)
    guard.check()

"""Test helpers: a history log filled fast with SQLAlchemy Core (many rows in one transaction)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, event, insert

from kitstation.blueprints.loader import loads_blueprint
from kitstation.domain.model import Device, Platform
from kitstation.log import KitLog
from kitstation.log.schema import DeviceRecord, RunRecord
from kitstation.ui.qt import QPoint, Qt, QTableView, QTableWidget, QWidget

MODELS = ("SM-A525F", "SM-S911B", "iPhone15,2", "iPad13,1")


def fill_log(kitlog: KitLog, runs: int, devices: int = 500) -> None:
    bp = loads_blueprint('name = "Batch BP"\n[android]\nmethod = "qr"\n[android.qr]\ndownload_url = "https://x.example/a.apk"\nadmin_component = "com.ex.agent/.R"\n')
    bp_id = kitlog.blueprint(bp)
    station = kitlog.station("bench-1")
    tech = kitlog.technician("Sato")
    kitlog.upsert_device(Device(Platform.ANDROID, key="SEED"))
    base = datetime(2026, 1, 1, tzinfo=UTC)
    dev_t = DeviceRecord.__table__  # type: ignore[attr-defined]
    run_t = RunRecord.__table__  # type: ignore[attr-defined]
    with kitlog.engine.begin() as conn:
        conn.execute(
            insert(dev_t),
            [
                {
                    "platform": "android",
                    "key": f"R{i:08d}",
                    "serial": f"R{i:08d}",
                    "imei": f"35{i:013d}",
                    "model_id": MODELS[i % len(MODELS)],
                    "external_state": "",
                    "first_seen": base,
                    "last_seen": base,
                }
                for i in range(devices)
            ],
        )
        conn.execute(
            insert(run_t),
            [
                {
                    "device_id": 2 + (i % devices),
                    "blueprint_id": bp_id,
                    "station_id": station,
                    "technician_id": tech if i % 2 else None,
                    "platform": "android",
                    "slot": f"s{i % 60}",
                    "status": "failed" if i % 10 == 0 else "ok",
                    "current_step": "",
                    "reason_en": "Install failed" if i % 10 == 0 else None,
                    "reason_ja": "インストールに失敗しました" if i % 10 == 0 else None,
                    "started_at": base + timedelta(minutes=i),
                }
                for i in range(runs)
            ],
        )


# Typed wrappers over pytest-qt's (untyped) QtBot input functions: clicks and keys as a person does.
def click(qtbot: QtBot, widget: QWidget, pos: QPoint | None = None,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    if pos is None:
        pos = QPoint(widget.width() // 2, widget.height() // 2)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, modifier, pos)  # type: ignore[no-untyped-call]


def double_click(qtbot: QtBot, widget: QWidget, pos: QPoint) -> None:
    """Press, release, then the double-click event (QTest alone sends only the last)."""
    click(qtbot, widget, pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)  # type: ignore[no-untyped-call]


def key(qtbot: QtBot, widget: QWidget, k: Qt.Key | str,
        modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, k, modifier)  # type: ignore[no-untyped-call]


def type_keys(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Key presses for each character (ASCII: QTest cannot type other text)."""
    qtbot.keyClicks(widget, text)  # type: ignore[no-untyped-call]


def cell(table: QTableWidget | QTableView, row: int, col: int) -> str:
    """The text shown in a table cell."""
    model = table.model()
    return str(model.data(model.index(row, col)) or "")


class GuiThreadSql:
    """Records every SQL statement run on the GUI (main) thread while active; ``check()`` fails on any.

    An SQLAlchemy ``before_cursor_execute`` listener on the log's engine: the GUI thread also drives
    every device (qasync), so a query there stalls the bench. The tests turn it on after their own
    set-up (filling a log is the test's, not the GUI's).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.offenders: list[str] = []
        self.seen = 0  # statements anywhere: a guard that saw none proves nothing

    def _listen(self, conn: object, cursor: object, statement: str, *args: object) -> None:
        self.seen += 1
        if threading.current_thread() is threading.main_thread():
            self.offenders.append(statement.split("\n")[0][:120])

    def __enter__(self) -> GuiThreadSql:
        event.listen(self.engine, "before_cursor_execute", self._listen)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._listen)

    def check(self) -> None:
        assert self.seen, "no SQL ran at all: the guard watched nothing"
        assert self.offenders == [], self.offenders


def more_runs(kitlog: KitLog, runs: int) -> None:
    """Append ``runs`` finished runs for devices :func:`fill_log` made (another station logging meanwhile)."""
    run_t = RunRecord.__table__  # type: ignore[attr-defined]
    with kitlog.engine.begin() as conn:
        first = conn.execute(run_t.select().limit(1)).mappings().one()
        conn.execute(
            insert(run_t),
            [
                {k: first[k] for k in ("device_id", "blueprint_id", "station_id", "platform", "current_step")}
                | {"slot": "s99", "status": "ok", "started_at": datetime(2026, 2, 1, tzinfo=UTC) + timedelta(minutes=i)}
                for i in range(runs)
            ],
        )

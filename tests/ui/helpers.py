"""Test helpers: a history log filled fast with SQLAlchemy Core (many rows in one transaction)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot
from sqlalchemy import insert

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


def key(qtbot: QtBot, widget: QWidget, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, k, modifier)  # type: ignore[no-untyped-call]


def cell(table: QTableWidget | QTableView, row: int, col: int) -> str:
    """The text shown in a table cell."""
    model = table.model()
    return str(model.data(model.index(row, col)) or "")

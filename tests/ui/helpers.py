"""Test helpers: a history log filled fast with SQLAlchemy Core (many rows in one transaction)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from kitstation.blueprints.loader import loads_blueprint
from kitstation.domain.model import Device, Platform
from kitstation.log import KitLog
from kitstation.log.schema import DeviceRecord, RunRecord

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

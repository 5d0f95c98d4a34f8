"""The canonical line of one row: the escapes of its text fields, as the page-wise path has them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from kitstation.reports.model import CANONICAL_FIELDS, canonical_bytes, canonical_line, display_row

RAW = {
    "run_id": 7,
    "started_at": datetime(2026, 11, 2, 9, 15, 2, 123456, tzinfo=UTC),
    "ended_at": datetime(2026, 11, 2, 9, 22, 0, tzinfo=timezone(timedelta(hours=9))),
    "status": "failed",
    "error_code": "wifi_timeout",
    "reason_en": "Wi-Fi password: hunter2 rejected",
    "reason_ja": "Wi-Fiの接続がタイムアウトしました",
    "platform": "ios",
    "device_key": "00008110-000A",
    "serial": "F2LX1",
    "imei": None,
    "imei2": None,
    "udid": "00008110-000A",
    "model_id": "iPhone15,2",
    "marketing_name": None,
    "os_version": "17.1",
    "external_state": None,
    "blueprint_name": "=HYPERLINK(x)",
    "blueprint_hash": "ab" * 32,
    "station": "bench-1",
    "technician": "佐藤",
    "slot": "3",
    "session_id": 12,
    "order_ref": "PO-1",
    "customer": "",
}


def test_canonical_bytes_escapes_like_canonical_line() -> None:
    row = display_row({**RAW, "customer": "a\tb\\c\nd"}, "en")
    values = [("" if v is None else v.isoformat() if isinstance(v, datetime) else str(v)) for v in row.values()]
    canon = dict(zip(row, values, strict=True))
    assert canonical_bytes([canon[f] for f in CANONICAL_FIELDS]) == canonical_line(row)
    assert b"a\\tb\\\\c\\nd" in canonical_line(row)

"""The CSV writer's list-of-cells path agrees with the display rows every other format uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from kitstation.reports.model import (
    CANONICAL_FIELDS,
    COLUMN_IDS,
    canonical_bytes,
    canonical_line,
    display_cells,
    display_row,
)
from kitstation.reports.summary import Summary

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


def test_cells_equal_display_row_in_both_languages() -> None:
    for language in ("en", "ja"):
        assert display_cells(RAW, language) == list(display_row(RAW, language).values())
        assert list(display_row(RAW, language)) == list(COLUMN_IDS)


def test_partial_row_falls_back_to_empty_fields() -> None:
    partial = {"run_id": 3, "status": "ok"}
    assert display_cells(partial, "en") == list(display_row(partial, "en").values())


def test_summary_by_cells_equals_summary_by_rows() -> None:
    by_row, by_cells = Summary(), Summary()
    row = display_row(RAW, "ja")
    by_row.add(row)
    by_cells.add_cells(display_cells(RAW, "ja"))
    by_cells.digest.update(row)
    assert by_row == by_cells.__class__(**{**by_cells.__dict__, "digest": by_row.digest})
    assert by_row.digest.hexdigest() == by_cells.digest.hexdigest()


def test_canonical_bytes_escapes_like_canonical_line() -> None:
    row = display_row({**RAW, "customer": "a\tb\\c\nd"}, "en")
    values = [("" if v is None else v.isoformat() if isinstance(v, datetime) else str(v)) for v in row.values()]
    canon = dict(zip(row, values, strict=True))
    assert canonical_bytes([canon[f] for f in CANONICAL_FIELDS]) == canonical_line(row)
    assert b"a\\tb\\\\c\\nd" in canonical_line(row)


def _rows() -> list[dict[str, object]]:
    """Varied raw rows: hours apart and back in time, empty fields, several blueprints and models."""
    out: list[dict[str, object]] = []
    for i in range(60):
        start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC) + timedelta(minutes=37 * i - (300 if i % 11 == 0 else 0))
        out.append({
            **RAW,
            "run_id": i + 1,
            "started_at": None if i % 13 == 5 else start,
            "ended_at": None if i % 7 == 2 else start + timedelta(minutes=7),
            "status": ("ok", "failed", "waiting_external", "interrupted")[i % 4],
            "marketing_name": None if i % 3 else "Galaxy S23",
            "model_id": ("iPhone15,2", "SM-S911C", None)[i % 3],
            "blueprint_hash": ("ab", "cd", "ef")[i % 3] * 32,
            "blueprint_name": f"bp {i % 3}",
            "customer": "" if i % 5 else "ACME",
            "order_ref": None if i % 4 else f"PO-{i}",
            "technician": None if i % 6 == 1 else "佐藤",
            "session_id": None if i % 9 == 4 else 1 + i // 10,
        })  # fmt: skip
    return out


def test_summary_by_pages_equals_summary_row_by_row() -> None:
    # add_rows / add_page / add_many count column by column: the same counts, order and digest.
    rows = _rows()
    one = Summary()
    for r in rows:
        one.add(display_row(r, "ja"))
    for split in (1, 7, 60):
        cells, dicts = Summary(), Summary()
        for lo in range(0, len(rows), split):
            cells.add_page([display_cells(r, "ja") for r in rows[lo : lo + split]])
            dicts.add_many([display_row(r, "ja") for r in rows[lo : lo + split]])
        for got in (cells, dicts):
            assert got.digest.hexdigest() == one.digest.hexdigest()
            for name in ("rows", "first_start", "last_end", "customers", "orders", "sessions", "stations",
                         "technicians", "blueprints"):
                assert getattr(got, name) == getattr(one, name), name
            for name in ("by_status", "by_platform", "by_model"):
                assert list(getattr(got, name).items()) == list(getattr(one, name).items()), name
            assert got.by_hour == one.by_hour
            assert got.buckets(UTC) == one.buckets(UTC)

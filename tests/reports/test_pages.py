"""The column-wise path (reports/pages.py) gives what the row-by-row functions give, value for value."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl.utils.datetime import to_excel

from kitstation.log.filters import HISTORY_COLUMNS
from kitstation.log.queries import stamp_text
from kitstation.reports.model import (
    COLUMN_IDS,
    COLUMNS,
    RowsDigest,
    canonical_line,
    display_row,
)
from kitstation.reports.pages import LocalStamps, canonical_page, display_columns, is_utc
from kitstation.reports.summary import Summary
from kitstation.reports.tabular import _csv_block, _csv_columns, csv_cell, write_page
from kitstation.reports.xlsx import _DATE_STYLE, _row_xml, _SheetRows

_BASE = datetime(2026, 11, 2, 9, 0, 0, 250_000, tzinfo=UTC)


def _raw_rows() -> list[dict[str, Any]]:
    """History rows with every kind of value a column can hold: None, empty, odd text, secrets."""
    rows: list[dict[str, Any]] = []
    for i in range(90):
        start = _BASE + timedelta(seconds=1237 * i - (9000 if i % 11 == 0 else 0))
        rows.append({
            "run_id": i + 1,
            "started_at": None if i % 13 == 5 else start,
            "ended_at": None if i % 7 == 2 else start + timedelta(minutes=7, seconds=i),
            "status": (None, "ok", "failed", "waiting_external", "interrupted", "odd")[i % 6],
            "current_step": "verify",
            "error_code": "wifi_timeout" if i % 6 == 2 else None,
            "reason_en": None if i % 4 else f"Wi-Fi password: hunter{i} rejected",
            "reason_ja": None if i % 8 else "Wi-Fiの接続が\tタイムアウト",
            "slot": f"hub{i % 3}",
            "platform": ("ios", "android", None)[i % 3],
            "device_key": f"KEY{i:05d}",
            "serial": None if i % 10 == 3 else f"F2L{i:09d}",
            "imei": None if i % 2 else f"35{i:013d}",
            "imei2": None,
            "udid": f"00008110-{i:016X}" if i % 2 == 0 else "",
            "model_id": ("iPhone15,2", "SM-S911C", None)[i % 3],
            "marketing_name": (None, "Galaxy S23", "iPad (10th generation)", " padded ")[i % 4],
            "os_version": "17.1",
            "external_state": ("awaiting_abm", "abm_assigned", None, "kme_assigned")[i % 4],
            "blueprint_name": ("=HYPERLINK(x)", "bp <&>", "bp 1", 'say "hi"')[i % 4] if i % 5 else "-minus",
            "blueprint_hash": ("ab", "cd", "ef")[i % 3] * 32,
            "technician": None if i % 6 == 1 else ("佐藤", "a\\b", "Tanaka")[i % 3],
            "station": "bench-1" if i % 9 else "+station",
            "session_id": None if i % 9 == 4 else 1 + i // 10,
            "order_ref": None if i % 4 else f"PO-{i},x",
            "customer": ("", "ACME", "株式会社ベンチ\nline", "@cust")[i % 4],
            "assignment_detail": (
                '{"abm_activity_id": "A1"}' if i % 4 == 1 else '{"kme_request_id": "R9"}' if i % 4 == 3 else None
            ),
            "device_name": None if i % 3 else f"iPhone {i}",
            "battery_percent": None if i % 2 else 50 + i % 50,
        })  # fmt: skip
    return rows


def _history_columns(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Rows as the log's selection_columns gives them with stamps_as_text."""
    cols = [[r[k] for r in rows] for k in HISTORY_COLUMNS]
    for key in ("started_at", "ended_at"):
        i = HISTORY_COLUMNS.index(key)
        cols[i] = [stamp_text(v) for v in cols[i]]
    return cols


@pytest.mark.parametrize("language", ["en", "ja"])
def test_display_columns_equal_display_row(language: str) -> None:
    rows = _raw_rows()
    cols = display_columns(_history_columns(rows), language)  # type: ignore[arg-type]
    for j, raw in enumerate(rows):
        expected = list(display_row(raw, language).values())  # type: ignore[arg-type]
        got = [col[j] for col in cols]
        for i, cid in enumerate(COLUMN_IDS):
            want = expected[i]
            if cid in ("started_at", "ended_at"):
                want = want.isoformat() if want is not None else ""
            assert got[i] == want, (j, cid)


def test_canonical_page_is_the_rows_canonical_lines() -> None:
    rows = _raw_rows()
    cols = display_columns(_history_columns(rows), "ja")
    expected = b"".join(canonical_line(display_row(r, "ja")) for r in rows)
    assert canonical_page(cols) == expected
    assert b"a\\\\b" in expected and b"\\n" in expected  # escapes were exercised
    one, many = RowsDigest(), RowsDigest()
    for r in rows:
        one.update(display_row(r, "ja"))
    many.update_block(canonical_page(cols), len(rows))
    assert (one.hexdigest(), one.count) == (many.hexdigest(), many.count)


def test_summary_by_columns_equals_summary_row_by_row() -> None:
    rows = _raw_rows()
    one = Summary()
    for r in rows:
        one.add(display_row(r, "ja"))
    for split in (1, 7, 90):
        got = Summary()
        for lo in range(0, len(rows), split):
            got.add_columns(display_columns(_history_columns(rows[lo : lo + split]), "ja"))
        for name in ("rows", "first_start", "last_end", "customers", "orders", "sessions", "stations",
                     "technicians", "blueprints", "by_hour"):
            assert getattr(got, name) == getattr(one, name), name
        for name in ("by_status", "by_platform", "by_model"):
            assert list(getattr(got, name).items()) == list(getattr(one, name).items()), name
        assert got.first_start is not None and got.first_start.tzinfo is UTC
        assert got.buckets(timezone(timedelta(hours=9))) == one.buckets(timezone(timedelta(hours=9)))


_ZONES: list[tzinfo] = [UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5, minutes=-30)),
                        timezone(timedelta(hours=5, minutes=45)), ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Tokyo")]  # fmt: skip


@pytest.mark.parametrize("zone", _ZONES, ids=str)
def test_local_stamps_equal_astimezone_and_to_excel(zone: tzinfo) -> None:
    # Every 7 minutes 13 seconds across the end of summer time in Berlin (2026-10-25 01:00 UTC),
    # and a few stamps from before 1900-03-01 (openpyxl's leap-year adjustment).
    stamps = [datetime(2026, 10, 24, 20, 0, 1, tzinfo=UTC) + timedelta(seconds=433 * i) for i in range(200)]
    stamps += [datetime(1900, 2, 27, 23, 59, 59, tzinfo=UTC), datetime(1900, 1, 1, 0, 0, 0, tzinfo=UTC)]
    texts = [s.isoformat() for s in stamps] + [""]
    local = LocalStamps(zone)
    for _ in range(2):  # the second time from the caches
        assert local.local_text(texts) == [s.astimezone(zone).isoformat() for s in stamps] + [""]
        expected = [str(to_excel(s.astimezone(zone).replace(tzinfo=None))) for s in stamps] + [""]
        assert local.excel(texts) == expected
    assert is_utc(zone) == (zone is UTC)


def _csv_reference(rows: list[list[Any]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue()


def test_csv_block_is_what_csv_writer_writes_or_nothing() -> None:
    rows = _raw_rows()
    cols = display_columns(_history_columns(rows), "en")
    zone = timezone(timedelta(hours=9))
    text = _csv_columns(cols, LocalStamps(zone))
    expected_rows = [list(r) for r in zip(*text, strict=True)]
    assert _csv_block(text) is None  # a customer with a newline, a blueprint with a quote: the writer's
    plain = [[v.replace("\n", " ").replace('"', "'") for v in row] for row in expected_rows]
    block = _csv_block([list(c) for c in zip(*plain, strict=True)])
    assert block is not None and '"iPhone15,2"' in block
    assert block == _csv_reference(plain)
    # The cells themselves: local ISO times, ints as digits, formula-looking free text guarded.
    first = rows[1]
    assert text[COLUMN_IDS.index("started_at")][1] == first["started_at"].astimezone(zone).replace(microsecond=0).isoformat()
    assert text[COLUMN_IDS.index("blueprint_name")][4] == "'=HYPERLINK(x)"
    assert text[COLUMN_IDS.index("customer")][3] == "'@cust"
    assert text[COLUMN_IDS.index("run_id")][1] == "2" and text[COLUMN_IDS.index("battery_percent")][1] == ""


class _Job:
    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone


@pytest.mark.parametrize("zone", [UTC, timezone(timedelta(hours=9)), ZoneInfo("Europe/Berlin")], ids=str)
def test_sheet_rows_equal_row_xml(zone: tzinfo) -> None:
    rows = _raw_rows()
    kinds = [(c.id, c.kind == "datetime") for c in COLUMNS]
    letters = [chr(ord("A") + i) for i in range(26)] + ["AA"]
    sheet = _SheetRows(letters, [d for _, d in kinds], LocalStamps(zone))
    many = [{**r, "serial": f"S{i:04d}"} for i in range(3) for r in rows]  # past the 512-value tail cache too
    many += [{**r, "run_id": 1000 + i, "marketing_name": f"model {i}"} for i, r in enumerate(rows * 7)]
    got = ""
    for lo in range(0, len(many), 64):
        got += sheet.page_xml(display_columns(_history_columns(many[lo : lo + 64]), "ja"))
    tails: list[dict[str, str] | None] = [{} for _ in kinds]
    job: Any = _Job(zone)
    expected = "".join(_row_xml(n, display_row(r, "ja"), kinds, letters, job, tails) for n, r in enumerate(many, 2))
    assert got == expected
    assert _DATE_STYLE in got and "&lt;&amp;&gt;" in got and 'xml:space="preserve"' in got


_HOSTILE = ["plain", "iPhone15,2", "a,b,c", 'say "hi"', '"', "a\nb", "a\rb", "a\r\nb", "", " padded ", "\ttab",
            "=HYPERLINK(x)", "+1", "-minus", "@cust", "\rcr", "'=already", "株式会社,ベンチ", "x\n=y", "end,"]  # fmt: skip


@pytest.mark.parametrize("value", _HOSTILE, ids=repr)
def test_hostile_cells_give_csv_writers_bytes_on_both_paths(value: str) -> None:
    # Each hostile value in a free-text column (customer: guarded), in an identifier column
    # (serial: not guarded) and in the reason (free text, scrubbed first), on some rows of a page;
    # the page goes through the writer's path (a field to quote) and its plain rows through the block.
    rows = [
        {**r, "customer": value if i % 3 else r["customer"], "serial": value if i % 2 else r["serial"],
         "reason_en": (value or None) if i % 4 == 1 else r["reason_en"], "reason_ja": (value or None) if i % 4 == 1 else None}
        for i, r in enumerate(_raw_rows())
    ]  # fmt: skip
    for zone in (UTC, timezone(timedelta(hours=9))):
        cols = display_columns(_history_columns(rows), "ja")
        text = _csv_columns(cols, None if is_utc(zone) else LocalStamps(zone))
        # The reference: each display row's cells as csv_cell makes them, through csv.writer.
        job: Any = _Job(zone)
        expected = _csv_reference(
            [[csv_cell(cid, display_row(r, "ja")[cid], job) for cid in COLUMN_IDS] for r in rows]
        )
        got = io.StringIO(newline="")
        write_page(got, csv.writer(got), text)
        assert got.getvalue() == expected
        # Without the rows that need the writer's quoting, the joined block is taken: the same bytes.
        plain = [j for j in range(len(rows)) if not any(c in text[i][j] for i in range(len(text)) for c in '"\r\n')]
        sub = [[col[j] for j in plain] for col in text]
        assert plain and _csv_block(sub) is not None
        got = io.StringIO(newline="")
        write_page(got, csv.writer(got), sub)
        assert got.getvalue() == _csv_reference([list(r) for r in zip(*sub, strict=True)])

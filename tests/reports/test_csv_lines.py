"""The CSV writer's joined lines are the bytes ``csv.writer`` writes, whatever the fields hold."""

from __future__ import annotations

import csv
import io

from kitstation.reports.tabular import _CsvLines

FIELDS = ["plain", "iPhone15,2", 'say "hi"', "a\nb", "a\rb", "", None, 42, "株式会社", " padded ", "'=x", "a,b,c"]


def test_joined_lines_equal_csv_writer_for_every_kind_of_field() -> None:
    rows = [[f, "x", 7, None] for f in FIELDS] + [list(FIELDS), ["only"], [""], [None, None]]
    expected = io.StringIO(newline="")
    csv.writer(expected).writerows(rows)
    got = io.StringIO(newline="")
    lines = _CsvLines(got, csv.writer(got))
    for row in rows:
        lines.write(list(row))
    lines.flush()
    assert got.getvalue() == expected.getvalue()


def test_blocks_keep_the_row_order_around_rows_the_writer_quotes() -> None:
    rows = [[str(i), 'q"' if i % 3 == 0 else "p", "m,1" if i % 2 else "m"] for i in range(5000)]
    expected = io.StringIO(newline="")
    csv.writer(expected).writerows(rows)
    got = io.StringIO(newline="")
    lines = _CsvLines(got, csv.writer(got))
    for row in rows:
        lines.write(list(row))
    lines.flush()
    assert got.getvalue() == expected.getvalue()

"""History at a million runs on PostgreSQL: sort indexes that keep NULLs first, prefix indexes for short-text counts

Revision ID: 0006_pg_history
Revises: 0005_model_counts
Create Date: 2026-12-02 20:00:00

Measured at 1,000,000 runs on PostgreSQL 15 (docs/BENCHMARKS.md, "Sixth round"); PostgreSQL
only, SQLite's indexes already answer both.

* **NULLs first.** The History sorts NULLs as the smallest value on both databases (SQLite's own
  order; keyset cursors rely on it): ``ORDER BY device_serial ASC NULLS FIRST`` on PostgreSQL. A
  btree there keeps NULLs last by default, read forwards (``ASC NULLS LAST``) or backwards
  (``DESC NULLS FIRST``), so migration 0004's sort indexes never gave that order: the planner
  read every run and sorted them for each page (the first page by serial 136 ms, by IMEI
  descending 304 ms). The six indexes whose sort column is nullable (a run's copies of its
  device's serial, IMEI and model) are rebuilt with that column ``NULLS FIRST``, read forwards
  for ascending and backwards for descending: exactly the History's order.
* **Short-text counts.** A text of one or two characters is counted on prefix ranges of the
  run's serial and IMEI copies ("F2": 500,000 runs). Migration 0004's indexes on them carry ten
  columns (108 MB), so PostgreSQL scanned the table in parallel instead (93-117 ms); an index of
  the copy alone (30 MB) is read in 32-45 ms.

Each index is dropped and rebuilt (or built) in the migration's transaction, under the log's
migration lock, so a station never sees one missing (1,000,000 runs: 7-9 s).
"""

from __future__ import annotations

from alembic import op

revision = "0006_pg_history"
down_revision = "0005_model_counts"
branch_labels = None
depends_on = None

_FILTERED = ["status", "started_at", "blueprint_id", "technician_id"]
_COPIES = ["device_serial", "device_imei", "device_model_id", "device_marketing_name"]


def _seq(copy: str) -> list[str]:
    return [copy, "device_id", "id", *[c for c in _COPIES if c != copy], *_FILTERED]


# Migration 0004's indexes (name -> columns) and the column each sorts by (nullable).
INDEXES = {
    "ix_run_serial_seq": (_seq("device_serial"), "device_serial"),
    "ix_run_imei_seq": (_seq("device_imei"), "device_imei"),
    "ix_run_model_seq": (_seq("device_model_id"), "device_model_id"),
    "ix_run_status_serial": (["status", "device_serial", "device_id", "id"], "device_serial"),
    "ix_run_status_imei": (["status", "device_imei", "device_id", "id"], "device_imei"),
    "ix_run_status_model": (["status", "device_model_id", "device_id", "id"], "device_model_id"),
}


# The copies a short text's count reads as prefix ranges (the model's are summed from
# run_model_count, migration 0005), each indexed alone: an index-only range scan.
PREFIX = {"ix_run_serial_prefix": "device_serial", "ix_run_imei_prefix": "device_imei"}


def _rebuild(nulls_first: bool) -> None:
    for name, (cols, sort) in INDEXES.items():
        keys = ", ".join(f"{c} NULLS FIRST" if nulls_first and c == sort else c for c in cols)
        op.execute(f"DROP INDEX {name}")
        op.execute(f"CREATE INDEX {name} ON run ({keys})")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(nulls_first=True)
        for name, col in PREFIX.items():
            op.create_index(name, "run", [col], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in PREFIX:
            op.drop_index(name, table_name="run")
        _rebuild(nulls_first=False)

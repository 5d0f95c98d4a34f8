"""History at a million runs on PostgreSQL: the device sorts' indexes keep NULLs first

Revision ID: 0006_pg_nulls
Revises: 0005_model_counts
Create Date: 2026-12-02 20:00:00

The History sorts NULLs as the smallest value on both databases (SQLite's own order; keyset
cursors rely on it): ``ORDER BY device_serial ASC NULLS FIRST`` on PostgreSQL. A btree there
keeps NULLs last by default, read forwards (``ASC NULLS LAST``) or backwards (``DESC NULLS
FIRST``), so migration 0004's sort indexes never gave that order: the planner read every run
and sorted them for each page (1,000,000 runs: the first page by serial 154 ms, by IMEI 152 ms).
The six indexes whose sort column is nullable (a run's copies of its device's serial, IMEI and
model) are rebuilt with that column ``NULLS FIRST``, read forwards for ascending and backwards
for descending, exactly the History's order. PostgreSQL only: SQLite's indexes already keep
NULLs first. Each is dropped and rebuilt in the migration's transaction (under the log's
migration lock), so a station never sees it missing.
"""

from __future__ import annotations

from alembic import op

revision = "0006_pg_nulls"
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


def _rebuild(nulls_first: bool) -> None:
    for name, (cols, sort) in INDEXES.items():
        keys = ", ".join(f"{c} NULLS FIRST" if nulls_first and c == sort else c for c in cols)
        op.execute(f"DROP INDEX {name}")
        op.execute(f"CREATE INDEX {name} ON run ({keys})")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(nulls_first=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(nulls_first=False)

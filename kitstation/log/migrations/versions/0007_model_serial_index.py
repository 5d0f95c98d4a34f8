"""History at a million runs: a model filter sorted by serial reads one index range per model pair

Revision ID: 0007_model_serial
Revises: 0006_pg_history
Create Date: 2026-12-03 09:00:00

A model filter sorted by serial walked migration 0004's ``(device_serial, device_id, id, ...)``
index and checked each entry's model: a Galaxy model's runs come after every iPhone's in the
serial order (Apple's serials sort before Samsung's ``R...``), so the first page passed 500,000
entries first (1,000,000 runs: 60-101 ms on a 2-core machine). A model filter selects the runs of
a few (model id, marketing name) pairs (``run_model_count``, migration 0005), and with this index
each pair's runs in serial order are one range of it: a page is those ranges merged, each read
for at most a page of entries (0.1-0.4 ms). It carries the columns the History's other filters
read, as 0004's sort indexes do, so a filter added to the model is checked on the index.

On PostgreSQL the serial is ``NULLS FIRST`` (the History's order, see migration 0006).
"""

from __future__ import annotations

from alembic import op

revision = "0007_model_serial"
down_revision = "0006_pg_history"
branch_labels = None
depends_on = None

NAME = "ix_run_pair_serial"
COLUMNS = [
    "device_model_id", "device_marketing_name", "device_serial", "device_id", "id", "device_imei",
    "status", "started_at", "blueprint_id", "technician_id",
]  # fmt: skip


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        keys = ", ".join(f"{c} NULLS FIRST" if c == "device_serial" else c for c in COLUMNS)
        op.execute(f"CREATE INDEX {NAME} ON run ({keys})")
    else:
        op.create_index(NAME, "run", COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index(NAME, table_name="run")

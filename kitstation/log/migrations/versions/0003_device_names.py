"""Device names: each device's running number in its batch, the name and battery level of a run

Revision ID: 0003_names
Revises: 0002
Create Date: 2026-12-02 02:00:00

``device_number`` keeps the number ``{n}`` a device got in its batch (unique per batch both ways),
so a re-run, a replug or a restart gives the same device the same number. ``run`` gains
``device_name`` (what the rename step read back) and ``battery_percent`` (the battery gate's last
reading, the level at hand-over); the latter is filled for earlier runs from their battery steps'
details, so old reports gain the column too. Nullable columns added in place, no batch rebuild.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003_names"
down_revision = "0002"
branch_labels = None
depends_on = None

BATTERY_STEPS = "('ios.battery', 'android.battery')"


def upgrade() -> None:
    op.create_table(
        "device_number",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch", sqlmodel.sql.sqltypes.AutoString(length=240), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["device.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["bench_session.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch", "device_id", name="uq_device_number_device"),
        sa.UniqueConstraint("batch", "number", name="uq_device_number_number"),
    )
    op.create_index("ix_device_number_device_id", "device_number", ["device_id"], unique=False)
    op.add_column("run", sa.Column("device_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    op.add_column("run", sa.Column("battery_percent", sa.Integer(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        level = "CAST(json_extract(s.detail, '$.battery_percent') AS INTEGER)"
    elif bind.dialect.name == "postgresql":
        level = "CAST(CAST(s.detail AS json) ->> 'battery_percent' AS INTEGER)"
    else:  # pragma: no cover - the log runs on SQLite or PostgreSQL only
        return
    op.execute(
        f"UPDATE run SET battery_percent = (SELECT {level} FROM step_event s WHERE s.run_id = run.id"
        f" AND s.step_id IN {BATTERY_STEPS} AND s.detail IS NOT NULL ORDER BY s.id DESC LIMIT 1)"
        f" WHERE run.id IN (SELECT run_id FROM step_event WHERE step_id IN {BATTERY_STEPS})"
    )


def downgrade() -> None:
    # In place (SQLite 3.35+ drops a column itself): a batch rebuild would copy the whole run table.
    op.drop_column("run", "battery_percent")
    op.drop_column("run", "device_name")
    op.drop_index("ix_device_number_device_id", table_name="device_number")
    op.drop_table("device_number")

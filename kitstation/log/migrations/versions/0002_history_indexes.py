"""History at a million runs: an index per filter with the run id, a trigram index of device text

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 22:00:00

Each History filter on ``run`` gets an index ``(column, id)``: a filtered page in id order is an
index range, a keyset page continues it, and a count reads the index alone. They replace the
single-column indexes (on SQLite an index carries the rowid anyway; on PostgreSQL it does not).
Device text (serial, IMEI, key, model) gets a trigram index for substring search: SQLite an
external-content FTS5 table kept current by triggers; PostgreSQL a GIN ``pg_trgm`` index when the
extension can be installed (without it, substring search stays a scan). Plain ``op`` DDL, no
batch: a batch rebuild would copy the whole run table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEQ = {
    "ix_run_device_seq": "device_id",
    "ix_run_blueprint_seq": "blueprint_id",
    "ix_run_session_seq": "session_id",
    "ix_run_station_seq": "station_id",
    "ix_run_technician_seq": "technician_id",
    "ix_run_platform_seq": "platform",
    "ix_run_status_seq": "status",
    "ix_run_started_seq": "started_at",
}
REPLACED = {
    "ix_run_device_id": "device_id",
    "ix_run_blueprint_id": "blueprint_id",
    "ix_run_session_id": "session_id",
    "ix_run_station_id": "station_id",
    "ix_run_technician_id": "technician_id",
    "ix_run_platform": "platform",
    "ix_run_started_at": "started_at",
}
TEXT = ("serial", "imei", "imei2", "key", "model_id", "marketing_name")
_COLS = ", ".join(TEXT)
_NEW = ", ".join(f"new.{c}" for c in TEXT)
_OLD = ", ".join(f"old.{c}" for c in TEXT)

SQLITE_FTS = [
    f"CREATE VIRTUAL TABLE device_fts USING fts5({_COLS}, content='device', content_rowid='id', tokenize='trigram')",
    "INSERT INTO device_fts(device_fts) VALUES ('rebuild')",
    f"CREATE TRIGGER device_fts_insert AFTER INSERT ON device BEGIN "
    f"INSERT INTO device_fts(rowid, {_COLS}) VALUES (new.id, {_NEW}); END",
    f"CREATE TRIGGER device_fts_delete AFTER DELETE ON device BEGIN "
    f"INSERT INTO device_fts(device_fts, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD}); END",
    # Only when a text column changes: every identify updates last_seen, which the index ignores.
    f"CREATE TRIGGER device_fts_update AFTER UPDATE OF {_COLS} ON device BEGIN "
    f"INSERT INTO device_fts(device_fts, rowid, {_COLS}) VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO device_fts(rowid, {_COLS}) VALUES (new.id, {_NEW}); END",
]


def upgrade() -> None:
    for name, col in SEQ.items():
        op.create_index(name, "run", [col, "id"], unique=False)
    for name in REPLACED:
        op.drop_index(name, table_name="run")
    op.create_index("ix_device_marketing_name", "device", ["marketing_name"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for stmt in SQLITE_FTS:
            op.execute(stmt)
    elif bind.dialect.name == "postgresql":
        available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first()
        if available is not None:
            # The extension may need a privilege this role lacks: try in a savepoint, and keep
            # substring search as a scan when it cannot be installed.
            try:
                with bind.begin_nested():
                    bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            except sa.exc.DBAPIError:
                return
            ops = ", ".join(f"{c} gin_trgm_ops" for c in TEXT)
            op.execute(f"CREATE INDEX ix_device_text_trgm ON device USING gin ({ops})")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("device_fts_insert", "device_fts_delete", "device_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS device_fts")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_device_text_trgm")
    op.drop_index("ix_device_marketing_name", table_name="device")
    for name, col in REPLACED.items():
        op.create_index(name, "run", [col], unique=False)
    for name in SEQ:
        op.drop_index(name, table_name="run")

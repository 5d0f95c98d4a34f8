"""History at a million runs, part 2: each run carries a copy of its device's serial, IMEI and model

Revision ID: 0004_history
Revises: 0003_names
Create Date: 2026-12-02 10:30:00

A sort by serial, IMEI or model walked the device index and fetched each device's runs; with a
run filter correlated with that order (every failed run a Galaxy's, the serial order starting
with half a million iPhones) it passed half the devices before the first match. A short text
(two characters) counted half a million devices with one index seek into the runs each. With
the device's ``serial``, ``imei``, ``model_id`` and ``marketing_name`` copied onto ``run``:

* a device sort is one index on ``run`` ``(device_serial, device_id, id, ...)``, and with an
  outcome filter ``(status, device_serial, device_id, id)`` -- a page is an index range; the
  sort indexes (and the platform's) carry the columns the filters read, so a filter the order
  is correlated with is checked on the index, without reading the runs it passes;
* a short text's prefix ranges and a model filter are counted on ``run``'s indexes alone.

The copy is kept by triggers, whoever writes (the station, a bulk load, a device merge):
a new run or a run moved to another device takes its device's values; a device whose values
change passes them to its runs (only when one changed: every identify rewrites them unchanged).
Existing runs are filled from their devices here. Nullable columns added in place (no batch
rebuild of the run table); indexes built after the fill.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004_history"
down_revision = "0003_names"
branch_labels = None
depends_on = None

# run column -> (device column, length)
COPIED = {
    "device_serial": ("serial", 64),
    "device_imei": ("imei", 20),
    "device_model_id": ("model_id", 64),
    "device_marketing_name": ("marketing_name", 128),
}
# The columns the History's filters read (outcome, date, blueprint, technician; text and model
# on the copies): a sort index that carries them is walked without reading a run row, so a walk
# that passes half the table before its first match (a filter correlated with the order) costs
# an index scan, not a row read per entry.
FILTERED = ["status", "started_at", "blueprint_id", "technician_id"]
_C = list(COPIED)
INDEXES = {
    "ix_run_serial_seq": ["device_serial", "device_id", "id", *[c for c in _C if c != "device_serial"], *FILTERED],
    "ix_run_imei_seq": ["device_imei", "device_id", "id", *[c for c in _C if c != "device_imei"], *FILTERED],
    "ix_run_model_seq": ["device_model_id", "device_id", "id", *[c for c in _C if c != "device_model_id"], *FILTERED],
    # A short text's parts and a model name are counted on these alone (the copies they test).
    "ix_run_marketing_name_seq": ["device_marketing_name", "id", "device_serial", "device_imei", "device_model_id"],
    "ix_run_status_serial": ["status", "device_serial", "device_id", "id"],
    "ix_run_status_imei": ["status", "device_imei", "device_id", "id"],
    "ix_run_status_model": ["status", "device_model_id", "device_id", "id"],
}
# Migration 0002's (platform, id), rebuilt to carry the filtered columns too (a platform sort).
PLATFORM = ("ix_run_platform_seq", ["platform", "id"], ["platform", "id", *_C, *FILTERED])
_RUN_COLS = ", ".join(COPIED)
_DEV_COLS = ", ".join(d for d, _ in COPIED.values())
_DEVICE_QUALIFIED = ", ".join(f"device.{d}" for d, _ in COPIED.values())
_SET_NEW = ", ".join(f"{r} = new.{d}" for r, (d, _) in COPIED.items())
_CHANGED_SQLITE = " OR ".join(f"old.{d} IS NOT new.{d}" for d, _ in COPIED.values())
_CHANGED_PG = " OR ".join(f"OLD.{d} IS DISTINCT FROM NEW.{d}" for d, _ in COPIED.values())
_COPY_ROW = (
    f"UPDATE run SET ({_RUN_COLS}) = (SELECT {_DEV_COLS} FROM device WHERE device.id = new.device_id)"
    " WHERE id = new.id"
)

SQLITE_TRIGGERS = {
    # SQLite has no BEFORE trigger that sets NEW: the row is completed right after its insert.
    "run_device_copy_insert": f"CREATE TRIGGER run_device_copy_insert AFTER INSERT ON run BEGIN {_COPY_ROW}; END",
    "run_device_copy_move": f"CREATE TRIGGER run_device_copy_move AFTER UPDATE OF device_id ON run BEGIN {_COPY_ROW}; END",
    "device_copy_to_runs": (
        f"CREATE TRIGGER device_copy_to_runs AFTER UPDATE OF {_DEV_COLS} ON device WHEN {_CHANGED_SQLITE} "
        f"BEGIN UPDATE run SET {_SET_NEW} WHERE device_id = new.id; END"
    ),
}
_INTO = ", ".join(f"NEW.{r}" for r in COPIED)
PG_STATEMENTS = [
    "CREATE FUNCTION run_device_copy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"SELECT {_DEV_COLS} INTO {_INTO} FROM device WHERE device.id = NEW.device_id; RETURN NEW; END $$",
    "CREATE TRIGGER run_device_copy BEFORE INSERT OR UPDATE OF device_id ON run "
    "FOR EACH ROW EXECUTE PROCEDURE run_device_copy()",
    "CREATE FUNCTION device_copy_to_runs() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"UPDATE run SET {_SET_NEW.replace('new.', 'NEW.')} WHERE device_id = NEW.id; RETURN NULL; END $$",
    f"CREATE TRIGGER device_copy_to_runs AFTER UPDATE OF {_DEV_COLS} ON device "
    f"FOR EACH ROW WHEN ({_CHANGED_PG}) EXECUTE PROCEDURE device_copy_to_runs()",
]


def upgrade() -> None:
    for col, (_dev, length) in COPIED.items():
        op.add_column("run", sa.Column(col, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"UPDATE run SET ({_RUN_COLS}) = ({_DEVICE_QUALIFIED}) FROM device WHERE device.id = run.device_id")
        for stmt in PG_STATEMENTS:
            op.execute(stmt)
    else:
        # One pass over the runs, each finding its device by id.
        op.execute(
            f"UPDATE run SET ({_RUN_COLS}) = (SELECT {_DEV_COLS} FROM device WHERE device.id = run.device_id)"
        )
        for stmt in SQLITE_TRIGGERS.values():
            op.execute(stmt)
    for name, cols in INDEXES.items():
        op.create_index(name, "run", cols, unique=False)
    op.drop_index(PLATFORM[0], table_name="run")
    op.create_index(PLATFORM[0], "run", PLATFORM[2], unique=False)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS device_copy_to_runs ON device")
        op.execute("DROP TRIGGER IF EXISTS run_device_copy ON run")
        op.execute("DROP FUNCTION IF EXISTS device_copy_to_runs()")
        op.execute("DROP FUNCTION IF EXISTS run_device_copy()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name in INDEXES:
        op.drop_index(name, table_name="run")
    op.drop_index(PLATFORM[0], table_name="run")
    op.create_index(PLATFORM[0], "run", PLATFORM[1], unique=False)
    # In place (SQLite 3.35+ drops a column itself): a batch rebuild would copy the whole run table.
    for col in reversed(COPIED):
        op.drop_column("run", col)

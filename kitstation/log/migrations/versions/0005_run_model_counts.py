"""History at a million runs, part 3: the number of runs per (model id, marketing name), kept by triggers

Revision ID: 0005_model_counts
Revises: 0004_history
Create Date: 2026-12-02 15:20:00

A text that matches a model counted every matching run: "iP" starts the model id and the
marketing name of every iPhone (two 500,000-entry ranges of the run copies' indexes, the second
excluding the first's entries one by one), "S23" is in the name of a sixth of the devices (the
trigram index's 166,667 devices, each joined to its runs). A fleet has a few dozen models, so
``run_model_count`` holds one row per (model id, marketing name) of the runs' copies (migration
0004) with its number of runs: a text's or a model's count is a sum over the rows it matches,
plus the runs it matches only by serial / IMEI / key (on their own indexes, which usually hold
none). NULL is stored as '' (neither a prefix nor a substring of a text, nor a model filter,
matches ''), so the pair is a plain unique key on both databases.

Triggers keep it, whoever writes: a new run adds one to its pair, a deleted run takes one off, a
run whose copies change (its device's values change, or a merge moves it) moves one. Each change
is an upsert (+1 or -1), so they add up in whatever order SQLite fires its triggers (the copies
are set by 0004's trigger right after the insert). On SQLite the pairs also get a small trigram
index (FTS5, the same tokenizer as ``device_fts``), so a substring matches a pair exactly as it
matches a device. Rows are never deleted (a pair left with no run counts 0).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_model_counts"
down_revision = "0004_history"
branch_labels = None
depends_on = None

_OLD = "coalesce(old.device_model_id, ''), coalesce(old.device_marketing_name, '')"
_NEW = "coalesce(new.device_model_id, ''), coalesce(new.device_marketing_name, '')"
_CHANGED = "old.device_model_id IS NOT new.device_model_id OR old.device_marketing_name IS NOT new.device_marketing_name"


def _add(pair: str, delta: int) -> str:
    """The upsert adding ``delta`` runs to ``pair``'s row (creating it)."""
    return (
        f"INSERT INTO run_model_count (model_id, marketing_name, runs) VALUES ({pair}, {delta}) "
        f"ON CONFLICT (model_id, marketing_name) DO UPDATE SET runs = run_model_count.runs + {delta}"
    )


SQLITE_TRIGGERS = {
    "run_model_count_insert": f"CREATE TRIGGER run_model_count_insert AFTER INSERT ON run BEGIN {_add(_NEW, 1)}; END",
    "run_model_count_delete": f"CREATE TRIGGER run_model_count_delete AFTER DELETE ON run BEGIN {_add(_OLD, -1)}; END",
    "run_model_count_update": (
        "CREATE TRIGGER run_model_count_update AFTER UPDATE OF device_model_id, device_marketing_name ON run "
        f"WHEN {_CHANGED} BEGIN {_add(_OLD, -1)}; {_add(_NEW, 1)}; END"
    ),
}
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE run_model_fts USING fts5(model_id, marketing_name, content='run_model_count', "
    "content_rowid='id', tokenize='trigram')",
    "INSERT INTO run_model_fts(run_model_fts) VALUES ('rebuild')",
    # A pair's values never change (only its count does): its text is indexed once, at insert.
    "CREATE TRIGGER run_model_fts_insert AFTER INSERT ON run_model_count BEGIN "
    "INSERT INTO run_model_fts(rowid, model_id, marketing_name) VALUES (new.id, new.model_id, new.marketing_name); END",
    "CREATE TRIGGER run_model_fts_delete AFTER DELETE ON run_model_count BEGIN "
    "INSERT INTO run_model_fts(run_model_fts, rowid, model_id, marketing_name) "
    "VALUES ('delete', old.id, old.model_id, old.marketing_name); END",
]
# PostgreSQL: one row trigger after 0004's BEFORE trigger has set the copies. A merge sets only
# device_id (the BEFORE trigger changes the copies, which "UPDATE OF" does not see), so the
# trigger listens to device_id too and compares the values itself.
PG_STATEMENTS = [
    "CREATE FUNCTION run_model_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'UPDATE' AND OLD.device_model_id IS NOT DISTINCT FROM NEW.device_model_id "
    "AND OLD.device_marketing_name IS NOT DISTINCT FROM NEW.device_marketing_name THEN RETURN NULL; END IF; "
    f"IF TG_OP <> 'INSERT' THEN {_add(_OLD.replace('old.', 'OLD.'), -1)}; END IF; "
    f"IF TG_OP <> 'DELETE' THEN {_add(_NEW.replace('new.', 'NEW.'), 1)}; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER run_model_count AFTER INSERT OR DELETE OR UPDATE OF device_id, device_model_id, "
    "device_marketing_name ON run FOR EACH ROW EXECUTE PROCEDURE run_model_count()",
]


def upgrade() -> None:
    op.create_table(
        "run_model_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.String(length=64), nullable=False),
        sa.Column("marketing_name", sa.String(length=128), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("model_id", "marketing_name", name="uq_run_model_count_pair"),
    )
    # Filled from the copies before the triggers exist (the migration runs under the log's lock).
    op.execute(
        "INSERT INTO run_model_count (model_id, marketing_name, runs) "
        "SELECT coalesce(device_model_id, ''), coalesce(device_marketing_name, ''), count(*) FROM run "
        "GROUP BY coalesce(device_model_id, ''), coalesce(device_marketing_name, '')"
    )
    if op.get_bind().dialect.name == "postgresql":
        for stmt in PG_STATEMENTS:
            op.execute(stmt)
    else:
        for stmt in [*SQLITE_FTS, *SQLITE_TRIGGERS.values()]:
            op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS run_model_count ON run")
        op.execute("DROP FUNCTION IF EXISTS run_model_count()")
    else:
        for name in [*SQLITE_TRIGGERS, "run_model_fts_insert", "run_model_fts_delete"]:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS run_model_fts")
    op.drop_table("run_model_count")

"""Alembic environment for the kitting log (run programmatically by kitstation.log.db.migrate)."""

from __future__ import annotations

from alembic import context

from kitstation.log import schema  # noqa: F401  (registers the tables on the metadata)
from kitstation.log.db import create
from kitstation.log.schema import in_models, metadata

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        # The alembic command line (no connection handed in): this engine is ours, and its pooled
        # connection is closed here rather than left to the garbage collector.
        engine = create(config.get_main_option("sqlalchemy.url") or "")
        try:
            with engine.begin() as conn:
                context.configure(
                    connection=conn, target_metadata=metadata, render_as_batch=True, include_name=in_models
                )
                with context.begin_transaction():
                    context.run_migrations()
        finally:
            engine.dispose()
        return
    context.configure(
        connection=connection, target_metadata=metadata, render_as_batch=True, include_name=in_models
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()

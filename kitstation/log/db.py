"""Engines for the log: SQLite (WAL, foreign keys) by default, any SQLAlchemy URL otherwise.

Nothing else in the project creates an engine. Opening a log runs the alembic migrations up to
head, under a lock so that several stations opening one PostgreSQL log at once do not race.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from kitstation.paths import data_dir

# Alembic finds the migrations as package resources (importlib.resources), so they are found the
# same way in a checkout, an installed wheel and a PyInstaller bundle.
MIGRATIONS = "kitstation.log:migrations"
# An arbitrary constant: the PostgreSQL advisory lock that serialises migrations.
_PG_MIGRATION_LOCK = 0x4B495453


def default_url() -> str:
    return f"sqlite:///{data_dir() / 'kitlog.sqlite3'}"


def resolve_url(url: str | None = None) -> str:
    """``--db`` wins, then ``KITSTATION_DB``, then the SQLite file in the data directory.

    A bare path (no ``scheme://``) is taken as an SQLite file.
    """
    value = url or os.environ.get("KITSTATION_DB") or default_url()
    if "://" not in value:
        value = f"sqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value[len("postgresql://") :]
    return value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across a process crash
    cur.execute("PRAGMA busy_timeout=30000")  # other writers (a second station process) wait
    cur.close()


def create(url: str) -> Engine:
    """An engine without migrating (migrations call this too)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` across processes (POSIX flock, Windows msvcrt)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows stations only
            import msvcrt

            fh.seek(0)
            while True:
                try:
                    msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def migrate(engine: Engine) -> None:
    """Bring the schema up to head (idempotent; safe with several stations at once).

    PostgreSQL: a transaction-scoped advisory lock serialises stations. SQLite: pysqlite starts
    transactions lazily, so two processes could both see an empty file and race the DDL; a lock
    file beside the database serialises them instead.
    """
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        lock: contextlib.AbstractContextManager[None] = _file_lock(Path(database + ".migrate-lock"))
    else:
        lock = contextlib.nullcontext()
    with lock, engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_engine(url: str | None = None, *, migrate_schema: bool = True) -> Engine:
    engine = create(resolve_url(url))
    if migrate_schema:
        migrate(engine)
    return engine

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
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import ExceptionContext, make_url

from kitstation.i18n import Text
from kitstation.log.errors import LogError, is_folder, no_log, translate, unknown_driver
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


class _SQLiteHints(SQLiteCompiler):
    """SQLite's compiler, rendering ``Select.with_hint(table, "INDEXED BY ix", "sqlite")``.

    SQLAlchemy's own drops table hints on SQLite (it renders them for MySQL, SQL Server, Oracle
    only); the History's reads name the index a sort walks, since SQLite without statistics
    would otherwise often pick a filter's index and sort every matching run.
    """

    def get_from_hint_text(self, table: Any, text: str | None) -> str | None:
        return text


def _hinting(engine: Engine) -> Engine:
    engine.dialect.statement_compiler = _SQLiteHints
    return engine


def _sqlite_read_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across a process crash
    cur.execute("PRAGMA busy_timeout=30000")  # other writers (a second station process) wait
    cur.close()


def _where(url: str) -> str:
    """The log's place for a message: the SQLite file, or the URL without its password."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.database or ":memory:")
    return parsed.render_as_string(hide_password=True)


def _translating(engine: Engine, where: str) -> Engine:
    """Driver errors that are the database's own failures are raised as LogError."""

    def handle(context: ExceptionContext) -> None:
        error = translate(str(context.original_exception), where)
        if error is not None:
            raise error from context.original_exception

    event.listen(engine, "handle_error", handle)
    return engine


def create(url: str, *, read_only: bool = False) -> Engine:
    """An engine without migrating (migrations call this too). ``read_only``: an SQLite file opened
    for reading only (an archived log on read-only media: no WAL switch, no lock file)."""
    try:
        parsed = make_url(url)
        backend = parsed.get_backend_name()
    except exc.ArgumentError as error:
        raise unknown_driver(url) from error
    where = _where(url)
    try:
        if backend == "sqlite":
            path = parsed.database
            if read_only and path and path != ":memory:":
                # An archived log: read-only and immutable, so SQLite writes nothing beside it
                # (no WAL index, no journal) -- a WAL log on read-only media opens too.
                engine = create_engine(
                    f"sqlite:///file:{path}?mode=ro&immutable=1&uri=true",
                    connect_args={"timeout": 30, "check_same_thread": False},
                )
                event.listen(engine, "connect", _sqlite_read_pragmas)
                return _translating(_hinting(engine), where)
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
            event.listen(engine, "connect", _sqlite_pragmas)
            return _translating(_hinting(engine), where)
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    except (exc.NoSuchModuleError, exc.ArgumentError, ModuleNotFoundError) as error:
        raise unknown_driver(where) from error
    except OSError as error:
        raise LogError(
            Text(f"Cannot create the log's folder for {where}: {error.strerror}",
                 f"{where} のフォルダーを作成できません: {error.strerror}"),
            "cannot_create",
        ) from error
    return _translating(engine, where)


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


def _at_head(engine: Engine) -> bool:
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head


def open_engine(
    url: str | None = None, *, migrate_schema: bool = True, create_log: bool = True, read_only: bool = False
) -> Engine:
    """The log's engine, migrated to head. ``create_log=False`` (read commands): an SQLite file that
    does not exist raises "no log at PATH" instead of becoming a new empty log; one that cannot be
    written (or any, with ``read_only``) is opened read-only, and must already be at the current
    schema.

    Raises :class:`LogError` for every database failure (see :mod:`kitstation.log.errors`).
    """
    resolved = resolve_url(url)
    where = _where(resolved)
    try:
        parsed = make_url(resolved)
    except exc.ArgumentError as error:
        raise unknown_driver(resolved) from error
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        if path.is_dir():
            raise is_folder(where)
        if not path.exists():
            if not create_log or read_only:
                raise no_log(where)
        elif not create_log and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            read_only = True
    else:
        read_only = False
    engine = create(resolved, read_only=read_only)
    try:
        if read_only:
            if not _at_head(engine):
                raise LogError(
                    Text(f"The read-only log {where} has an older layout: copy it somewhere writable to open it",
                         f"読み取り専用の記録 {where} は古い形式です: 書き込み可能な場所にコピーしてから開いてください"),
                    "read_only_old_schema",
                )
        elif migrate_schema:
            migrate(engine)
    except LogError:
        engine.dispose()
        raise
    except (exc.DBAPIError, OSError) as error:
        engine.dispose()
        found = translate(str(error), where)
        raise (found or LogError(
            Text(f"Cannot open the log {where}: {str(error).splitlines()[0]}",
                 f"記録 {where} を開けません: {str(error).splitlines()[0]}"),
            "cannot_open",
        )) from error
    except BaseException:
        # Anything else (an alembic error, Ctrl-C during the migration): the engine's pooled
        # connection is closed now, not left to the garbage collector.
        engine.dispose()
        raise
    return engine

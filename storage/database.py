"""Engine creation for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Table, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from . import sqlite_driver

SQLITE_BUSY_TIMEOUT_MS = 10_000
FILE_MODE = 0o600  # the database holds what citizens wrote: only the app's user reads it
FOLDER_MODE = 0o700
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class Durability(StrEnum):
    """What a commit promises. FULL: on disk when it returns, power loss included (SQLite
    ``synchronous=FULL`` in WAL mode, PostgreSQL ``synchronous_commit=on``). RELAXED
    (SQLite ``synchronous=NORMAL``, PostgreSQL ``synchronous_commit=off``): faster, but a
    power cut or an OS crash can lose the last commits, complaints whose receipt was
    already sent among them; the database itself stays consistent."""

    FULL = "full"
    RELAXED = "relaxed"


def create_engine(url: str | URL, *, schema: str | None = None, durability: Durability = Durability.FULL,
                  **kwargs: Any) -> AsyncEngine:
    """An async engine for ``sqlite+aiosqlite`` or ``postgresql+asyncpg`` URLs.

    SQLite: the file's folder is created (mode 0700, as is every folder above it that was
    missing), the file itself with mode 0600 before SQLite opens it (SQLite gives its -wal and
    -shm files the database file's mode); an existing database file or companion that is
    wider is tightened. Every connection gets WAL, foreign keys and a
    busy timeout, and every transaction starts with ``BEGIN IMMEDIATE`` (the write lock is
    taken up front, so read-then-write transactions queue instead of deadlocking), except
    on a connection given the execution option ``READ_ONLY`` (:func:`read_only`), which
    only reads.

    PostgreSQL: ``schema`` (or a ``?schema=NAME`` query parameter in the URL) becomes the
    connection's ``search_path``: every table, ``alembic_version`` included, lives there.
    The schema itself must exist before migrating.

    Both: statement parameters are left out of error messages and SQL logging
    (``hide_parameters``): they hold what citizens wrote, names and phone numbers
    included, and an error message ends up in the log. Commits are durable
    (``Durability.FULL``) unless ``durability`` says otherwise.
    """
    url = make_url(url)
    kwargs.setdefault("hide_parameters", True)
    if url.get_backend_name() == "sqlite":
        if schema is not None:
            raise ValueError("SQLite has no schemas")
        return _sqlite_engine(url, durability, **kwargs)
    if url.get_backend_name() == "postgresql":
        return _postgresql_engine(url, schema, durability, **kwargs)
    raise ValueError(f"unsupported database URL: {url.render_as_string(hide_password=True)}")


READ_ONLY = "aduan_read_only"


def dialect_insert(on: AsyncConnection | Dialect, table: Table) -> Any:
    """The dialect's INSERT (of a connection's dialect, or of ``on`` itself), which knows
    ON CONFLICT (DO NOTHING, DO UPDATE)."""
    name = on.name if isinstance(on, Dialect) else on.dialect.name
    if name == "postgresql":
        return pg_insert(table)
    if name == "sqlite":
        return sqlite_insert(table)
    raise NotImplementedError(f"unsupported dialect: {name}")


@asynccontextmanager
async def read_only(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection for reads only, in one transaction (a consistent snapshot): on SQLite it
    holds no write lock, so a long read (the public board) never stalls the bot. A write
    through it may fail on SQLite; nothing is committed."""
    async with engine.connect() as conn:
        await conn.execution_options(**{READ_ONLY: True})
        yield conn  # the transaction begins with the first statement and is rolled back at the end


async def ping(engine: AsyncEngine) -> bool:
    """True when the database answers a trivial query. Asked twice: the first connection
    taken from the pool may have died with a server restart the database is back from."""
    for _ in range(2):
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:  # any failure means "not reachable", for health checks
            continue
    return False


def _sqlite_engine(url: URL, durability: Durability, **kwargs: Any) -> AsyncEngine:
    database = url.database or ""
    in_memory = database in ("", ":memory:") or url.query.get("uri") == "true" or database.startswith("file:")
    if not in_memory:
        private_database_file(Path(database).expanduser())
    engine = create_async_engine(url, module=sqlite_driver.dbapi(write_wait_seconds=SQLITE_BUSY_TIMEOUT_MS / 1000),
                                 **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver must not issue its own BEGIN: we emit BEGIN IMMEDIATE below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: in WAL mode, each commit syncs the log (NORMAL syncs at checkpoints only)
            cursor.execute(f"PRAGMA synchronous={'FULL' if durability is Durability.FULL else 'NORMAL'}")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # a reader that never writes (READ_ONLY) takes no write lock: under WAL it reads a
        # snapshot while the bot keeps writing. Sent with the transaction's first statement.
        begin = "BEGIN" if conn.get_execution_options().get(READ_ONLY) else sqlite_driver.WRITE
        conn.connection.dbapi_connection.begin_with(begin)

    return engine


def private_database_file(path: Path) -> None:
    """Create the SQLite file's missing folders with mode 0700 and the file with mode 0600;
    tighten the file and its companions when they exist wider. A folder that already existed
    is left as it is unless it holds nothing but this database: it may be the user's own
    (a project folder, the home folder)."""
    folder = path.parent
    missing: list[Path] = []
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        missing.append(candidate)
    for candidate in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            candidate.mkdir(mode=FOLDER_MODE)
        os.chmod(candidate, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    if not missing and _only_database(folder, path.name):
        _tighten(folder, FOLDER_MODE)
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        pass
    else:
        os.close(descriptor)  # an empty file is an empty SQLite database
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS)):
        if candidate.exists():
            _tighten(candidate, FILE_MODE)


def _only_database(folder: Path, name: str) -> bool:
    ours = {name, *(name + suffix for suffix in SQLITE_COMPANIONS)}
    try:
        return all(entry in ours for entry in os.listdir(folder))
    except OSError:
        return False


def _tighten(path: Path, mode: int) -> None:
    """Take group and other permissions away (never adds any); files we do not own are left."""
    try:
        current = stat.S_IMODE(os.stat(path).st_mode)
        if current & 0o077:
            os.chmod(path, current & mode)
    except PermissionError:
        pass


def _postgresql_engine(url: URL, schema: str | None, durability: Durability, **kwargs: Any) -> AsyncEngine:
    if "schema" in url.query:
        named = url.query["schema"]
        if not isinstance(named, str):  # ?schema=a&schema=b
            raise ValueError(f"one schema in the database URL, not {len(named)}")
        schema = schema or named
        url = url.difference_update_query(["schema"])
    if schema is not None and not _SCHEMA_NAME.fullmatch(schema):
        raise ValueError(f"invalid schema name: {schema!r}")
    connect_args = dict(kwargs.pop("connect_args", {}))
    server_settings = dict(connect_args.get("server_settings", {}))
    if schema is not None:
        server_settings["search_path"] = schema
    # "on" even where the server's configuration says otherwise: a receipt promises the complaint is kept
    server_settings["synchronous_commit"] = "on" if durability is Durability.FULL else "off"
    connect_args["server_settings"] = server_settings
    kwargs["connect_args"] = connect_args
    # No pool_pre_ping: its round trip before every unit of work cost a fifth of the
    # throughput (benchmarks/pipeline.py). A connection that died with a server restart
    # fails on first use instead, the pool then replaces every old one, and callers try
    # again: the conversation engine at once, the scheduler's jobs on their next run.
    return create_async_engine(url, **kwargs)

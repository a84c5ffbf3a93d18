"""Statements every message runs, sent straight to the driver.

Each message runs the same two statements (the arrival: dedupe, flood count and dialog
read; then the dialog write). Through SQLAlchemy's execution a statement costs about
twice the driver's own work: the compiled-cache lookup, an execution context, a cursor
adapter, result metadata and row objects, and a greenlet switch per call
(benchmarks/storage_path.py: one message's storage work costs ~22 % less CPU on SQLite
and ~25 % less on PostgreSQL this way, issue 20). A :class:`DirectStatement` is still built with SQLAlchemy and
compiled by it, once per dialect, and its parameters and rows go through the same type
processors (JSON, UTC datetimes), but it is run on the connection's driver:

- in the unit of work's own transaction: the SQLAlchemy connection begins it if it has
  not yet (no I/O on either dialect: SQLite's ``BEGIN IMMEDIATE`` travels with the first
  statement, asyncpg's BEGIN is sent by its adapter before it), so ``commit()`` and
  ``rollback()`` end it as usual;
- SQLite: one trip through :meth:`storage.sqlite_driver.OneTripConnection.fetch`;
  PostgreSQL: the adapter's own prepared statement, under its lock;
- a driver error goes through SQLAlchemy's own handling: the same ``DBAPIError`` with its
  parameters hidden, and a connection lost with the server is invalidated with the pool's
  other old connections, so the conversation engine's second try gets a fresh one;
- ``before_cursor_execute`` listeners are told of it (the benchmarks count statements
  with one), with no cursor and no context; what they return is not used, and
  ``after_cursor_execute`` is not called. SQLAlchemy's echo does not log it.

Engines come from :func:`storage.database.create_engine`: SQLite through
:mod:`storage.sqlite_driver`, PostgreSQL through asyncpg.

The asyncpg side uses SQLAlchemy 2.1's adapted connection (``_execute_mutex``,
``_transaction``, ``_start_transaction``, ``_prepare``), pinned in pyproject.toml.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.expression import Executable

from .sqlite_driver import OneTripConnection

_Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One dialect's SQL, its positional parameter names and the type processors."""

    sql: str
    names: tuple[str, ...]
    binds: tuple[_Processor, ...]
    results: tuple[_Processor, ...]

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        return [params[n] if bind is None else bind(params[n]) for n, bind in zip(self.names, self.binds, strict=True)]

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(v if result is None else result(v) for v, result in zip(raw, self.results, strict=True))


class DirectStatement:
    """A statement built by ``build(dialect)`` (with named bind parameters only), compiled
    once per dialect and run on the driver: ``await stmt.rows(conn, {"name": value})``."""

    def __init__(self, build: Callable[[Dialect], Executable]) -> None:
        self._build = build
        self._compiled: dict[str, _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            stmt: Any = self._build(dialect)
            compiled = stmt.compile(dialect=dialect)
            names = tuple(compiled.positiontup or ())
            binds = tuple(compiled.binds[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names)
            results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None)
                            for c in stmt.exported_columns)
            found = self._compiled[dialect.name] = _Compiled(compiled.string, names, binds, results)
        return found

    async def rows(self, conn: AsyncConnection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        sync = conn.sync_connection
        if sync is None:
            raise RuntimeError("the connection is closed")
        driver = sync.connection.dbapi_connection
        if not isinstance(driver, OneTripConnection) and sync.dialect.driver != "asyncpg":
            raise TypeError(f"no direct statements on {sync.dialect.name}+{sync.dialect.driver}: "
                            "make the engine with storage.database.create_engine")
        compiled = self.compiled(sync.dialect)
        arguments = compiled.arguments(params)
        if not sync.in_transaction():
            sync.begin()
        for listener in sync.dispatch.before_cursor_execute:
            listener(sync, None, compiled.sql, arguments, None, False)
        try:
            if isinstance(driver, OneTripConnection):
                raw: Sequence[Sequence[Any]] = await driver.fetch(compiled.sql, arguments)
            else:
                raw = await _asyncpg_fetch(driver, compiled.sql, arguments)
        except Exception as error:
            await conn.run_sync(_raise_as_sqlalchemy, error, compiled.sql, arguments)
            raise  # _raise_as_sqlalchemy always raises
        return [compiled.row(r) for r in raw]


async def _asyncpg_fetch(adapted: Any, sql: str, arguments: list[Any]) -> Sequence[Sequence[Any]]:
    """What SQLAlchemy's asyncpg cursor does for one statement, without the cursor: the
    transaction begun if it is not yet, the prepared statement from the adapter's cache."""
    async with adapted._execute_mutex:
        try:
            if adapted._transaction is None:
                await adapted._start_transaction()
            prepared, _ = await adapted._prepare(sql, adapted._invalidate_schema_cache_asof)
            rows: Sequence[Sequence[Any]] = await prepared.fetch(*arguments)
            return rows
        except Exception as error:
            adapted._handle_exception(error)  # the adapter's DBAPI error, as its cursor raises it
            raise


def _raise_as_sqlalchemy(sync: Connection, error: Exception, sql: str, arguments: list[Any]) -> None:
    """SQLAlchemy's handling of a driver error (in a greenlet: invalidating may close)."""
    sync._handle_dbapi_exception(error, sql, tuple(arguments), None, None)

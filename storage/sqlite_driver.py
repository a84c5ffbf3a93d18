"""SQLite under asyncio with one trip to the driver per statement.

aiosqlite runs each SQLite connection in a thread of its own; every call to it is a hop
from the event loop to that thread and back (~50 µs on one core). SQLAlchemy's adapter
makes four of them for a statement (open a cursor, execute, fetch, close) and two more
per transaction (``BEGIN IMMEDIATE``, then a rollback when the pool takes the connection
back, even after a commit). Here:

- a statement is one hop: a function run in aiosqlite's thread opens the cursor,
  executes, fetches every row and closes it;
- ``BEGIN``/``BEGIN IMMEDIATE`` travels with the transaction's first statement
  (:meth:`OneTripConnection.begin_with`), so a transaction that never runs a statement
  costs nothing;
- once a write transaction's ``BEGIN IMMEDIATE`` has taken SQLite's write lock, its later
  statements run straight in the event loop's thread, with no hop at all: holding the
  lock, they cannot wait for one, and a hop (queue, thread switch, wake-up) cost about a
  third of a short statement's time. The first statement (it may wait for another
  process's lock in SQLite's busy handler), the commit (its fsync) and every statement of
  a reader still go to the driver's thread. A write's statements are short (a message's,
  a filing's, the sweep's batches of 200);
- commit and rollback are skipped when SQLite says no transaction is open (it reports
  this after every statement), so returning a connection to the pool after a commit is
  free;
- write transactions on one database file take turns in asyncio (:class:`WriteTurns`)
  before their ``BEGIN IMMEDIATE`` is sent: SQLite makes a second writer wait in its busy
  handler, which sleeps 1, 2, 5 ... 100 ms between tries, so with a few messages in
  flight a citizen waited up to ~2 s (benchmarks/pipeline.py ``--concurrency 4``). The
  turn ends with the transaction (commit, rollback, a failed first statement, the
  connection invalidated). Another process (the command line) is still waited for by SQLite.

The DBAPI module is handed to SQLAlchemy as ``module=`` (:func:`dbapi`); the dialect is
SQLAlchemy's own ``sqlite+aiosqlite``. Server-side cursors (``stream()``) keep SQLAlchemy's
cursor and its hops. Relies on ``aiosqlite.Connection._execute`` (run a function in the
connection's thread) of aiosqlite 0.22 and on SQLAlchemy 2.1's adapted
aiosqlite connection, both pinned in pyproject.toml.
"""

from __future__ import annotations

import asyncio
import collections
import os
import sqlite3
import weakref
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any, cast

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_dbapi
from sqlalchemy.util.concurrency import await_

_Description = Sequence[tuple[Any, ...]] | None


class _Outcome:
    """What one trip brought back from the driver's thread."""

    __slots__ = ("description", "in_transaction", "lastrowid", "rowcount", "rows")

    def __init__(self) -> None:
        self.description: _Description = None
        self.rows: list[Any] = []
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.in_transaction = True  # until SQLite says otherwise (also when the statement failed)


def _run(conn: sqlite3.Connection, begin: str | None, operation: str, parameters: Any, many: bool,
         outcome: _Outcome) -> None:
    """In the driver's thread: the deferred BEGIN if any, then the statement, its rows and
    its counts, the cursor closed."""
    try:
        if begin is not None:
            conn.execute(begin).close()
        cursor = conn.cursor()
        try:
            if many:
                cursor.executemany(operation, parameters)
            elif parameters is None:
                cursor.execute(operation)
            else:
                cursor.execute(operation, parameters)
            outcome.description = cursor.description
            if outcome.description:
                outcome.rows = cursor.fetchall()
            outcome.rowcount = cursor.rowcount
            outcome.lastrowid = cursor.lastrowid
        finally:
            cursor.close()
    finally:
        outcome.in_transaction = conn.in_transaction


def _in_thread(aio: aiosqlite.Connection, function: Callable[..., None], *args: Any) -> Awaitable[None]:
    """Run ``function(*args)`` in the connection's thread: one hop."""
    execute = cast(Callable[..., Awaitable[None]], aio._execute)
    return execute(function, *args)


def _finish(conn: sqlite3.Connection, commit: bool) -> None:
    if commit:
        conn.commit()
    else:
        conn.rollback()


class OneTripCursor:
    """A DBAPI cursor whose ``execute`` is one hop and whose rows are all fetched then."""

    server_side = False
    __slots__ = ("_adapt", "_rows", "arraysize", "description", "lastrowid", "rowcount")

    def __init__(self, adapt: OneTripConnection) -> None:
        self._adapt = adapt
        self._rows: collections.deque[Any] = collections.deque()
        self.arraysize = 1
        self.description: _Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    def execute(self, operation: str, parameters: Any = None) -> None:
        self._trip(operation, parameters, many=False)

    def executemany(self, operation: str, seq_of_parameters: Any) -> None:
        self._trip(operation, seq_of_parameters, many=True)

    def _trip(self, operation: str, parameters: Any, *, many: bool) -> None:
        try:
            outcome = await_(self._adapt.run(operation, parameters, many))
        except Exception as error:
            self._adapt._handle_exception(error)
        self.description = outcome.description
        self._rows = collections.deque(outcome.rows)
        self.rowcount = outcome.rowcount
        self.lastrowid = outcome.lastrowid

    async def _async_soft_close(self) -> None:
        """Nothing to close: the driver's cursor was closed in the trip."""

    def close(self) -> None:
        self._rows.clear()

    def setinputsizes(self, *inputsizes: Any) -> None:
        pass

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()

    def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        count = min(self.arraysize if size is None else size, len(self._rows))
        return [self._rows.popleft() for _ in range(count)]

    def fetchall(self) -> list[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows


WRITE = "BEGIN IMMEDIATE"  # how a write transaction begins (storage.database), and takes its turn


class WriteTurns:
    """One write transaction at a time on each database file of this process, queued in
    asyncio (first come, first served) instead of in SQLite's busy handler. A turn not
    given within ``wait_seconds`` fails as SQLite would: "database is locked"."""

    def __init__(self, wait_seconds: float) -> None:
        self.wait_seconds = wait_seconds
        # per event loop (a lock belongs to one), then per database file
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = (
            weakref.WeakKeyDictionary())

    def lock(self, database: str) -> asyncio.Lock:
        per_file = self._locks.setdefault(asyncio.get_running_loop(), {})
        found = per_file.get(database)
        if found is None:
            found = per_file[database] = asyncio.Lock()
        return found

    async def take(self, database: str) -> asyncio.Lock:
        lock = self.lock(database)
        try:
            async with asyncio.timeout(self.wait_seconds):
                await lock.acquire()
        except TimeoutError:
            raise sqlite3.OperationalError("database is locked") from None
        return lock


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's adapted aiosqlite connection with one-trip cursors, a deferred BEGIN,
    no commit or rollback sent when no transaction is open, and write transactions taking
    turns (``database``: the file; None for a database in memory, which needs none)."""

    __slots__ = ("_aio", "_begin", "_database", "_in_transaction", "_turn", "_turns")

    def __init__(self, dbapi: Any, connection: aiosqlite.Connection, *, database: str | None,
                 turns: WriteTurns) -> None:
        super().__init__(dbapi, cast(Any, connection))
        self._aio = connection
        self._begin: str | None = None
        self._in_transaction = False
        self._database = database
        self._turns = turns
        self._turn: asyncio.Lock | None = None  # held from the write's BEGIN to its end

    def begin_with(self, statement: str) -> None:
        """Open the transaction with ``statement`` together with the next statement."""
        self._begin = statement

    async def run(self, operation: str, parameters: Any, many: bool) -> _Outcome:
        outcome = _Outcome()
        begin, self._begin = self._begin, None
        if begin == WRITE and self._database is not None and self._turn is None:
            self._turn = await self._turns.take(self._database)
        async with self._execute_mutex:
            try:
                if begin is None and self._turn is not None:  # holding the write lock: nothing to wait for
                    _run(self._aio._conn, None, operation, parameters, many, outcome)
                else:
                    await _in_thread(self._aio, _run, self._aio._conn, begin, operation, parameters, many, outcome)
            finally:
                self._in_transaction = outcome.in_transaction
                if not outcome.in_transaction:  # never begun, or ended by SQLite itself
                    self._end_turn()
        return outcome

    def _end_turn(self) -> None:
        turn, self._turn = self._turn, None
        if turn is not None:
            turn.release()

    async def fetch(self, operation: str, parameters: Sequence[Any]) -> list[Any]:
        """One statement run straight from the event loop, without a cursor or SQLAlchemy's
        execution (:class:`storage.direct.DirectStatement`): its rows, in one trip; a
        driver error is raised as this DBAPI's error, as a cursor would raise it."""
        try:
            return (await self.run(operation, parameters, False)).rows
        except Exception as error:
            self._handle_exception(error)  # raises

    def cursor(self, server_side: bool = False) -> Any:
        if server_side:
            if self._begin is not None:  # SQLAlchemy's cursor knows nothing of the deferred BEGIN
                self.run_now(self._begin)
            self._in_transaction = True  # its statements are not watched: assume one is open
            return super().cursor(server_side=True)
        return OneTripCursor(self)

    def run_now(self, statement: str) -> None:
        OneTripCursor(self).execute(statement)

    def commit(self) -> None:
        self._end(commit=True)

    def rollback(self) -> None:
        self._end(commit=False)

    def _end(self, *, commit: bool) -> None:
        self._begin = None  # a BEGIN never sent has nothing to end
        if not self._in_transaction or not self._aio._connection:
            self._end_turn()
            return
        try:
            await_(_in_thread(self._aio, _finish, self._aio._conn, commit))
        except Exception as error:  # still open as far as we know: the rollback that follows (or the
            # connection's invalidation, if that fails too) ends the turn
            self._handle_exception(error)
        self._in_transaction = False
        self._end_turn()

    def terminate(self) -> None:  # an invalidated connection: closed without a rollback
        self._end_turn()
        super().terminate()


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy is given: connections are :class:`OneTripConnection`."""

    def __init__(self, turns: WriteTurns) -> None:
        super().__init__(aiosqlite, sqlite3)
        self.turns = turns

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        kw.setdefault("check_same_thread", False)  # a write's later statements run in the event loop's thread
        connection = self.aiosqlite.connect(*arg, **kw)
        connection._thread.daemon = True  # as SQLAlchemy's own adapter does
        database = str(arg[0]) if arg else str(kw.get("database", ""))
        in_memory = database in ("", ":memory:") or "mode=memory" in database
        return OneTripConnection(self, await_(connection), database=None if in_memory else os.path.realpath(
            database.removeprefix("file:").split("?", 1)[0]), turns=self.turns)


_SHARED: dict[float, WriteTurns] = {}


def dbapi(*, write_wait_seconds: float = 10.0) -> OneTripDbapi:
    """The module for one engine. Every engine of this process on one database file shares
    the same turns (the command line's and the server's, a test's two engines)."""
    turns = _SHARED.setdefault(write_wait_seconds, WriteTurns(write_wait_seconds))
    return OneTripDbapi(turns)

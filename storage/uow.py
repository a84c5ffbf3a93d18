"""The unit of work: one connection, one transaction, its repositories.

A database that cannot be reached (down, restarting, the connection dropped) surfaces as
:class:`complaints.errors.StorageUnavailable`, whatever the driver raised; nothing was
committed then (unless the commit itself was cut off: ``maybe_committed``). After a
restart, the pool's old connections fail on first use and the pool then drops them all,
so trying once more (the conversation engine does) gets a fresh connection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from complaints.errors import StorageUnavailable
from complaints.ports import UnitOfWork

from .api_requests import SqlApiRequestRepository
from .filed_messages import SqlFiledMessageRepository
from .messaging import SqlDialogRepository, SqlInboxRepository, SqlOutboxRepository
from .repositories import SqlComplaintRepository
from .senders import SqlSenderRepository
from .signin import SqlSignInRepository


class SqlUnitOfWork:
    """``async with uow: ...; await uow.commit()``. Whatever is not committed when the
    block ends (normally or by an exception) is rolled back.

    The transaction begins with the first statement (on SQLite: ``BEGIN IMMEDIATE``).
    After ``commit()`` or ``rollback()`` the unit of work stays usable: the next
    statement begins a new transaction.
    """

    complaints: SqlComplaintRepository
    outbox: SqlOutboxRepository
    dialogs: SqlDialogRepository
    inbox: SqlInboxRepository
    senders: SqlSenderRepository
    signins: SqlSignInRepository
    filed_messages: SqlFiledMessageRepository
    api_requests: SqlApiRequestRepository

    def __init__(self, engine: AsyncEngine, *, check_connection: bool = False) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None
        # a round trip first, and a fresh connection if the pooled one died with a server
        # restart: for callers that cannot simply try again (a REST API request); SQLite
        # has no server to lose
        self._check = check_connection and engine.dialect.name != "sqlite"

    async def __aenter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("unit of work is already in use")
        try:
            self._conn = await self._connect()
        except Exception as error:
            if database_lost(error, connecting=True):
                raise StorageUnavailable(_reason(error)) from error
            raise
        self.complaints = SqlComplaintRepository(self._conn)
        self.outbox = SqlOutboxRepository(self._conn)
        self.dialogs = SqlDialogRepository(self._conn)
        self.inbox = SqlInboxRepository(self._conn)
        self.senders = SqlSenderRepository(self._conn)
        self.signins = SqlSignInRepository(self._conn)
        self.filed_messages = SqlFiledMessageRepository(self._conn)
        self.api_requests = SqlApiRequestRepository(self._conn)
        return self

    async def __aexit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        conn, self._conn = self.connection, None
        try:
            try:
                if conn.in_transaction():  # after a commit there is nothing to roll back
                    await conn.rollback()
            finally:
                await conn.close()
        except Exception as error:
            if not database_lost(error):
                raise
            # a dropped connection has nothing left to roll back: the server discarded it
        if exc is not None and not isinstance(exc, StorageUnavailable) and database_lost(exc):
            raise StorageUnavailable(_reason(exc)) from exc

    async def _connect(self) -> AsyncConnection:
        conn = await self._engine.connect()
        if not self._check:
            return conn
        try:
            await conn.exec_driver_sql("SELECT 1")
        except DBAPIError as error:
            if not database_lost(error):
                await conn.close()
                raise
            await conn.close()  # the pool has dropped its old connections by now
            conn = await self._engine.connect()
        return conn

    @property
    def connection(self) -> AsyncConnection:
        """The connection, for queries the repositories do not offer."""
        if self._conn is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._conn

    async def commit(self) -> None:
        try:
            await self.connection.commit()
        except DBAPIError as error:
            if database_lost(error):
                raise StorageUnavailable(_reason(error), maybe_committed=True) from error
            raise

    async def rollback(self) -> None:
        await self.connection.rollback()


# PostgreSQL SQLSTATEs that mean "not now" rather than "not this": class 08 (connection
# exceptions), admin or crash shutdown, cannot connect now (starting up, shutting down),
# too many connections.
_UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})


def database_lost(error: BaseException, *, connecting: bool = False) -> bool:
    """True when ``error`` (or what it wraps) says the database cannot be reached, as
    opposed to a bad statement or a broken constraint. ``connecting``: the error came from
    opening a connection, where a plain ``OSError`` (refused, reset, timed out) is raised
    as it is."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StorageUnavailable):
            return True
        if isinstance(current, DBAPIError):
            if current.connection_invalidated:
                return True
            connecting = True  # what a driver error wraps is judged like a connect failure
        elif isinstance(current, OSError) and connecting:  # ConnectionRefusedError, TimeoutError, ...
            return True
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and (sqlstate.startswith("08") or sqlstate in _UNAVAILABLE_SQLSTATES):
            return True
        if type(current).__name__ == "ConnectionDoesNotExistError":  # asyncpg: the connection is gone
            return True
        current = getattr(current, "orig", None) or current.__cause__
    return False


def _reason(error: BaseException) -> str:
    """What went wrong, for the log: the driver's own words, never the statement or its
    parameters (they may hold a complainant's name)."""
    cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    return f"{type(cause).__name__}: {cause}"[:300]


def uow_factory(engine: AsyncEngine, *, check_connection: bool = False) -> Callable[[], SqlUnitOfWork]:
    """What use cases and entry points call to get a fresh unit of work."""

    def make() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine, check_connection=check_connection)

    return make


# The port holds: mypy checks this structurally against complaints.ports.UnitOfWork
# (`make lint`); the repositories are checked the same way in storage.repositories and storage.messaging.
_PORT: type[UnitOfWork] = SqlUnitOfWork

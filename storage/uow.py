"""The unit of work: one connection, one transaction, its repositories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .repositories import SqlComplaintRepository, SqlDialogRepository, SqlInboxRepository, SqlOutboxRepository


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

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None

    async def __aenter__(self) -> Self:
        if self._conn is not None:
            raise RuntimeError("unit of work is already in use")
        self._conn = await self._engine.connect()
        self.complaints = SqlComplaintRepository(self._conn)
        self.outbox = SqlOutboxRepository(self._conn)
        self.dialogs = SqlDialogRepository(self._conn)
        self.inbox = SqlInboxRepository(self._conn)
        return self

    async def __aexit__(self, *exc: object) -> None:
        conn, self._conn = self.connection, None
        try:
            await conn.rollback()
        finally:
            await conn.close()

    @property
    def connection(self) -> AsyncConnection:
        """The connection, for queries the repositories do not offer."""
        if self._conn is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._conn

    async def commit(self) -> None:
        await self.connection.commit()

    async def rollback(self) -> None:
        await self.connection.rollback()


def uow_factory(engine: AsyncEngine) -> Callable[[], SqlUnitOfWork]:
    """What use cases and entry points call to get a fresh unit of work."""

    def make() -> SqlUnitOfWork:
        return SqlUnitOfWork(engine)

    return make

"""SQLite's write transactions take turns in asyncio (storage/sqlite_driver.py
``WriteTurns``): a second writer of the same file waits for the first one's end without
SQLite's busy handler (which sleeps 1, 2, 5 ... 100 ms between tries); the turn ends with
the transaction however it ends; a turn not given in time fails as SQLite would. SQLite's
own busy timeout is set to 0 here, so a writer that reached SQLite while another held the
lock would fail at once: nothing sleeps."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage import sqlite_driver
from storage.database import create_engine
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _no_busy_wait(engine: AsyncEngine) -> AsyncEngine:
    @event.listens_for(engine.sync_engine, "connect")
    def _at_once(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.close()

    return engine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = _no_busy_wait(create_engine(f"sqlite+aiosqlite:///{tmp_path / 'turns.db'}"))
    await upgrade(engine)
    yield engine
    await engine.dispose()


async def _record(uow: SqlUnitOfWork, n: int) -> None:
    assert await uow.inbox.first_time("telegram", str(n), "555", T0)


async def _count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT count(*) FROM inbound_updates"))).scalar_one())


async def _two_writers(first_engine: AsyncEngine, second_engine: AsyncEngine) -> list[str]:
    """The first writer holds its transaction until the second has reached its turn, then
    commits; the second then writes and commits. What happened, in order."""
    first_wrote, second_waits = asyncio.Event(), asyncio.Event()
    order: list[str] = []

    async def first() -> None:
        async with SqlUnitOfWork(first_engine) as uow:
            await _record(uow, 1)
            first_wrote.set()
            await second_waits.wait()
            await uow.commit()
            order.append("first committed")

    async def second() -> None:
        await first_wrote.wait()
        async with SqlUnitOfWork(second_engine) as uow:
            writing = asyncio.ensure_future(_record(uow, 2))
            await asyncio.sleep(0)  # a yield to the loop (no time passes): it reaches its turn
            order.append("second wrote at once" if writing.done() else "second waits")
            second_waits.set()
            await writing
            order.append("second wrote")
            await uow.commit()

    await asyncio.gather(first(), second())
    return order


async def test_a_second_writer_waits_for_the_first_to_commit_then_goes_on(engine: AsyncEngine) -> None:
    assert await _two_writers(engine, engine) == ["second waits", "first committed", "second wrote"]
    assert await _count(engine) == 2


async def test_the_turn_ends_with_a_rollback_a_failed_first_statement_or_the_connection(engine: AsyncEngine) -> None:
    async with SqlUnitOfWork(engine) as uow:  # rolled back
        await _record(uow, 1)
    with pytest.raises(IntegrityError):  # its first statement failed
        async with SqlUnitOfWork(engine) as uow:
            await _record(uow, 2)
            await uow.commit()
            await uow.connection.execute(text(
                "INSERT INTO inbound_updates (channel, update_id, sender, received_at) "
                "VALUES ('telegram', '2', '555', '2026-11-23 01:00:00')"))
    conn = await engine.connect()  # invalidated: closed without a commit or a rollback
    await conn.execute(text("DELETE FROM dialog_states"))
    await conn.invalidate()
    await conn.close()
    conn = await engine.connect()  # its driver connection closed under it
    await conn.execute(text("DELETE FROM dialog_states"))
    await conn.run_sync(lambda sync: sync.connection.dbapi_connection.close())
    await conn.invalidate()
    await conn.close()
    for n in (3, 4):  # each got its turn at once
        async with SqlUnitOfWork(engine) as uow:
            await _record(uow, n)
            await uow.commit()
    assert await _count(engine) == 3


async def test_a_turn_not_given_in_time_fails_as_sqlite_would(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'impatient.db'}"
    setup = create_engine(url)
    await upgrade(setup)
    await setup.dispose()
    engine = _no_busy_wait(create_async_engine(url, module=sqlite_driver.dbapi(write_wait_seconds=0)))

    @event.listens_for(engine.sync_engine, "begin")
    def _immediate(conn: Any) -> None:
        conn.connection.dbapi_connection.begin_with("BEGIN IMMEDIATE")

    try:
        async with engine.connect() as holder:
            await holder.execute(text("DELETE FROM dialog_states"))  # holds the turn
            async with engine.connect() as other:
                with pytest.raises(OperationalError, match="database is locked"):
                    await other.execute(text("DELETE FROM dialog_states"))
                await other.rollback()
            await holder.commit()
        async with engine.begin() as conn:  # and the turn is free again
            await conn.execute(text("DELETE FROM dialog_states"))
    finally:
        await engine.dispose()


async def test_two_engines_on_one_file_take_turns_together(engine: AsyncEngine) -> None:
    other = _no_busy_wait(create_engine(str(engine.url)))  # SQLite alone would refuse its write at once
    try:
        assert await _two_writers(engine, other) == ["second waits", "first committed", "second wrote"]
    finally:
        await other.dispose()
    assert await _count(engine) == 2


async def test_a_database_in_memory_takes_no_turn() -> None:
    engine = create_engine("sqlite+aiosqlite://")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
            await conn.execute(text("INSERT INTO t VALUES (1)"))
            driver = (await conn.get_raw_connection()).dbapi_connection
            assert isinstance(driver, sqlite_driver.OneTripConnection) and driver._turn is None
    finally:
        await engine.dispose()

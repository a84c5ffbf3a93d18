"""SQLite's driver adapter (storage/sqlite_driver.py): one trip to aiosqlite's thread per
statement (none for a write's statements once its BEGIN IMMEDIATE holds the write lock),
the BEGIN sent with the first statement, no commit or rollback when nothing is open, and transactions still right when a statement fails; and what a commit promises on
both databases (storage.database.Durability)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite.core
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import READ_ONLY, Durability, create_engine
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'trips.db'}")
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every function sent to aiosqlite's thread, in order."""
    sent: list[str] = []
    original = aiosqlite.core.Connection._execute

    async def counted(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        sent.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counted)
    return sent


async def test_a_message_costs_one_trip_for_its_first_statement_and_one_for_the_commit(engine, trips) -> None:
    async with SqlUnitOfWork(engine) as uow:  # the pool's connection is open: what follows is the message
        await uow.commit()
    trips.clear()
    async with SqlUnitOfWork(engine) as uow:
        arrival = await uow.inbox.arrive("telegram", "1", "555", T0, T0 - timedelta(minutes=1))
        assert arrival is not None and arrival.dialog is None
        await uow.dialogs.put("telegram", "555", {"step": "place"}, T0)
        await uow.commit()
    # BEGIN IMMEDIATE travelled with the arrival; the dialog write, holding the write lock,
    # ran in the event loop's thread; closing after the commit sends no rollback
    assert trips == ["_run", "_finish"]


async def test_a_writes_later_statements_fail_in_the_event_loops_thread_as_in_the_drivers(engine, trips) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("CREATE TEMP TABLE kept (k INTEGER PRIMARY KEY)"))  # begins: a trip
        await conn.execute(text("INSERT INTO kept VALUES (1)"))
        with pytest.raises(IntegrityError):
            await conn.execute(text("INSERT INTO kept VALUES (1)"))
        assert (await conn.execute(text("SELECT count(*) FROM kept"))).scalar_one() == 1  # the write goes on
        await conn.commit()
    assert trips == ["_run", "_finish"]


async def test_a_readers_statements_all_go_to_the_drivers_thread(engine, trips) -> None:
    """A reader holds no write lock: under WAL it waits for none either, but only the
    write lock says for certain that a statement has nothing to wait for."""
    async with engine.connect() as conn:
        await conn.execution_options(**{READ_ONLY: True})
        await conn.execute(text("SELECT count(*) FROM dialog_states"))
        await conn.execute(text("SELECT count(*) FROM outbox"))
        await conn.rollback()
    assert trips == ["_run", "_run", "_finish"]


async def test_a_unit_of_work_that_runs_nothing_costs_no_trip(engine, trips) -> None:
    async with SqlUnitOfWork(engine) as uow:
        await uow.commit()
    trips.clear()
    async with SqlUnitOfWork(engine) as uow:
        await uow.commit()
    async with SqlUnitOfWork(engine):
        pass
    assert trips == []


async def test_the_transaction_begins_immediately_with_its_first_statement(engine) -> None:
    """The write lock is taken by the first statement, a read: a second writer waits for it
    (BEGIN IMMEDIATE), so read-then-write never deadlocks."""
    async with engine.connect() as conn:
        assert not await _write_lock_held_by_other(engine)
        await conn.execute(text("SELECT count(*) FROM dialog_states"))  # begins, takes the write lock
        assert await _write_lock_held_by_other(engine)
        await conn.rollback()
        assert not await _write_lock_held_by_other(engine)


async def _write_lock_held_by_other(engine: AsyncEngine) -> bool:
    """Whether another connection holds SQLite's write lock (asked without waiting)."""
    path = engine.url.database
    async with aiosqlite.connect(path, timeout=0) as probe:
        try:
            await probe.execute("BEGIN IMMEDIATE")
        except aiosqlite.OperationalError as error:
            assert "locked" in str(error)
            return True
        await probe.rollback()
        return False


async def test_a_failing_first_statement_leaves_its_transaction_to_be_rolled_back(engine) -> None:
    """The BEGIN went through with the statement that failed: the transaction is open and
    must be rolled back, or the connection's next BEGIN fails."""
    async with SqlUnitOfWork(engine) as uow:
        assert await uow.inbox.first_time("telegram", "1", "555", T0)
        await uow.commit()
    with pytest.raises(IntegrityError):
        async with SqlUnitOfWork(engine) as uow:
            await uow.connection.execute(text(
                "INSERT INTO inbound_updates (channel, update_id, sender, received_at) "
                "VALUES ('telegram', '1', '555', '2026-11-23 01:00:00')"))
    for n in range(2, 5):  # the same pooled connection, used again
        async with SqlUnitOfWork(engine) as uow:
            assert await uow.inbox.first_time("telegram", str(n), "555", T0)
            await uow.commit()
    assert not await _write_lock_held_by_other(engine)


async def test_rows_counts_and_many_rows_come_back_whole(engine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY, y TEXT)"))
        await conn.execute(text("INSERT INTO t (y) VALUES (:y)"), [{"y": f"v{n}"} for n in range(500)])
        done = await conn.execute(text("UPDATE t SET y = 'w' WHERE x <= 10"))
        assert done.rowcount == 10
        inserted = await conn.execute(text("INSERT INTO t (y) VALUES ('last')"))
        assert inserted.lastrowid == 501
        rows = (await conn.execute(text("SELECT x, y FROM t ORDER BY x"))).all()
        assert len(rows) == 501 and rows[0] == (1, "w") and rows[-1] == (501, "last")
        streamed = [row.x async for row in await conn.stream(text("SELECT x FROM t WHERE x > 495 ORDER BY x"))]
        assert streamed == [496, 497, 498, 499, 500, 501]
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 501


@pytest.mark.parametrize("durability", list(Durability))
async def test_commits_are_durable_unless_relaxed_is_asked_for(database_url: str, durability: Durability) -> None:
    engine = create_engine(database_url, durability=durability)
    try:
        async with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                found = (await conn.exec_driver_sql("PRAGMA synchronous")).scalar_one()
                assert found == {Durability.FULL: 2, Durability.RELAXED: 1}[durability]  # FULL, NORMAL
                assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar_one() == "wal"
            else:
                found = (await conn.exec_driver_sql("SHOW synchronous_commit")).scalar_one()
                assert found == {Durability.FULL: "on", Durability.RELAXED: "off"}[durability]
    finally:
        await engine.dispose()

"""The statements every message runs, sent straight to the driver (storage/direct.py), on
SQLite and PostgreSQL: they belong to the unit of work's transaction (a rollback undoes
them, a commit keeps them, a later statement sees them), their values go through the
column types both ways, a failing one raises SQLAlchemy's error with the parameters
hidden and leaves the unit of work usable, and statement listeners are told of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import bindparam, event, insert, select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.direct import DirectStatement
from storage.tables import dialog_states, inbound_updates
from storage.uow import SqlUnitOfWork

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
SINCE = T0 - timedelta(minutes=1)
STATE = {"step": "place", "draft": {"description": "jalan berlubang", "photos": ["a", "b"], "anonymous": True}}


def _record(_: Dialect) -> object:
    return insert(inbound_updates).values(channel=bindparam("channel"), update_id=bindparam("update_id"),
                                          sender=bindparam("sender"), received_at=bindparam("at"))


RECORD = DirectStatement(_record)


async def _dialog(engine: AsyncEngine) -> tuple[object, datetime] | None:
    async with engine.connect() as conn:
        row = (await conn.execute(select(dialog_states.c.state, dialog_states.c.updated_at))).first()
    return None if row is None else (row.state, row.updated_at)


async def test_a_rollback_undoes_them_and_a_commit_keeps_them(engine: AsyncEngine) -> None:
    async with SqlUnitOfWork(engine) as uow:
        assert await uow.inbox.arrive("telegram", "1", "555", T0, SINCE) is not None
        await uow.dialogs.put("telegram", "555", STATE, T0)
        await uow.rollback()
    assert await _dialog(engine) is None
    async with SqlUnitOfWork(engine) as uow:  # the delivery was not recorded either: it is new again
        assert await uow.inbox.arrive("telegram", "1", "555", T0, SINCE) is not None
        await uow.dialogs.put("telegram", "555", STATE, T0)
        await uow.commit()
    assert await _dialog(engine) == (STATE, T0)


async def test_they_share_the_transaction_with_the_other_statements(engine: AsyncEngine) -> None:
    async with SqlUnitOfWork(engine) as uow:
        await uow.dialogs.put("telegram", "555", STATE, T0)  # direct
        record = await uow.dialogs.get("telegram", "555")  # through SQLAlchemy: sees it before the commit
        assert record is not None and record.state == STATE
        await uow.dialogs.delete("telegram", "555")
        arrival = await uow.inbox.arrive("telegram", "1", "555", T0, SINCE)  # direct: sees the delete
        assert arrival is not None and arrival.dialog is None
        await uow.commit()
    assert await _dialog(engine) is None


async def test_values_go_through_the_column_types_both_ways(engine: AsyncEngine) -> None:
    wib = T0.astimezone(timezone(timedelta(hours=7)))  # any aware datetime: stored as UTC, read back as UTC
    async with SqlUnitOfWork(engine) as uow:
        await uow.inbox.arrive("telegram", "1", "555", wib, SINCE)
        await uow.dialogs.put("telegram", "555", STATE, wib)
        await uow.commit()
    async with SqlUnitOfWork(engine) as uow:
        arrival = await uow.inbox.arrive("telegram", "2", "555", wib + timedelta(seconds=5), SINCE)
        await uow.commit()
    assert arrival is not None and arrival.recent == 2 and arrival.dialog is not None
    assert arrival.dialog.state == STATE and arrival.dialog.updated_at == T0
    assert arrival.dialog.updated_at.tzinfo is not None and arrival.dialog.updated_at.utcoffset() == timedelta(0)
    with pytest.raises(ValueError, match="naive"):  # the type's own check still applies
        async with SqlUnitOfWork(engine) as uow:
            await uow.dialogs.put("telegram", "555", STATE, T0.replace(tzinfo=None))


async def test_a_failing_one_raises_sqlalchemys_error_without_parameters_and_the_uow_goes_on(
        engine: AsyncEngine) -> None:
    params = {"channel": "telegram", "update_id": "1", "sender": "Budi Santoso 0812", "at": T0}
    async with SqlUnitOfWork(engine) as uow:
        await RECORD.rows(uow.connection, params)
        await uow.commit()
    async with SqlUnitOfWork(engine) as uow:
        with pytest.raises(IntegrityError) as raised:  # the same delivery twice: its primary key
            await RECORD.rows(uow.connection, params)
        assert "Budi" not in str(raised.value) and "hidden" in str(raised.value)
        await uow.rollback()
        await uow.dialogs.put("telegram", "555", STATE, T0)  # a new transaction on the same connection
        await uow.commit()
    assert await _dialog(engine) == (STATE, T0)


async def test_statement_listeners_are_told_of_them(engine: AsyncEngine) -> None:
    seen: list[str] = []

    def listener(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement.split()[0] + " " + statement.split()[2])

    event.listen(engine.sync_engine, "before_cursor_execute", listener)
    try:
        async with SqlUnitOfWork(engine) as uow:
            await uow.inbox.arrive("telegram", "1", "555", T0, SINCE)
            await uow.dialogs.put("telegram", "555", STATE, T0)
            await uow.commit()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", listener)
    assert len(seen) == 2 and seen[1] == "INSERT dialog_states"


async def test_an_engine_made_elsewhere_is_refused_plainly(tmp_path: Path) -> None:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'plain.db'}")  # SQLAlchemy's own adapter
    try:
        async with engine.connect() as conn:
            with pytest.raises(TypeError, match="create_engine"):
                await RECORD.rows(conn, {"channel": "telegram", "update_id": "1", "sender": "5", "at": T0})
    finally:
        await engine.dispose()

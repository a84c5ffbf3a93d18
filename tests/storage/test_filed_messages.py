"""The chat messages filed reports were made of (complaints.ports.FiledMessageRepository),
one contract on SQLite, PostgreSQL and the in-memory fake: found by the chat and the
message id from a moment on, the latest filing of a message winning, moved to a new chat
(the new chat's own kept on a clash), pruned by age, rolled back with the transaction.
Time is passed in; nothing sleeps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.storage import test_storage_contract as contract
from tests.storage.test_storage_contract import T0, UowFactory

# the contract's backends (SQLite, PostgreSQL, the in-memory fake), as fixtures of this module
backend, sql_engine, engine, uow_factory = contract.backend, contract.sql_engine, contract.engine, contract.uow_factory

OLD, NEW = "6281100000001", "6282200000002"


async def test_a_message_is_found_by_its_chat_and_id_from_a_moment_on(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await uow.filed_messages.add("whatsapp", OLD, ["wamid.1", "wamid.2", "wamid.1"], "LPR-AAAA-AA", T0)
        await uow.filed_messages.add("whatsapp", OLD, [], "LPR-NONE-NN", T0)  # nothing to keep
        await uow.commit()
    async with uow_factory() as uow:
        fm = uow.filed_messages
        assert await fm.code_of("whatsapp", OLD, "wamid.2", T0 - timedelta(days=30)) == "LPR-AAAA-AA"
        assert await fm.code_of("whatsapp", OLD, "wamid.1", T0) == "LPR-AAAA-AA"  # filed at the moment itself
        assert await fm.code_of("whatsapp", OLD, "wamid.1", T0 + timedelta(microseconds=1)) is None
        assert await fm.code_of("whatsapp", OLD, "wamid.3", T0) is None
        assert await fm.code_of("whatsapp", NEW, "wamid.1", T0) is None  # another chat
        assert await fm.code_of("telegram", OLD, "wamid.1", T0) is None  # another channel


async def test_the_latest_filing_of_a_message_wins(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await uow.filed_messages.add("telegram", "1001", ["7", "8"], "LPR-AAAA-AA", T0)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.filed_messages.add("telegram", "1001", ["8", "9"], "LPR-BBBB-BB", T0 + timedelta(days=1))
        await uow.commit()
    async with uow_factory() as uow:
        fm, since = uow.filed_messages, T0 - timedelta(days=1)
        assert [await fm.code_of("telegram", "1001", ref, since) for ref in ("7", "8", "9")] == [
            "LPR-AAAA-AA", "LPR-BBBB-BB", "LPR-BBBB-BB"]
        assert await fm.code_of("telegram", "1001", "8", T0 + timedelta(hours=1)) == "LPR-BBBB-BB"


async def test_a_number_change_moves_the_chats_messages_and_the_new_chats_own_win(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await uow.filed_messages.add("whatsapp", OLD, ["wamid.1", "wamid.2"], "LPR-OLDD-AA", T0)
        await uow.filed_messages.add("whatsapp", NEW, ["wamid.2"], "LPR-NEWW-BB", T0 - timedelta(days=1))
        await uow.filed_messages.add("telegram", OLD, ["wamid.1"], "LPR-TELE-CC", T0)  # another channel stays
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.filed_messages.move("whatsapp", OLD, NEW) == 1
        assert await uow.filed_messages.move("whatsapp", NEW, NEW) == 0  # the same chat: nothing
        await uow.commit()
    async with uow_factory() as uow:
        fm, since = uow.filed_messages, T0 - timedelta(days=2)
        assert await fm.code_of("whatsapp", NEW, "wamid.1", since) == "LPR-OLDD-AA"
        assert await fm.code_of("whatsapp", NEW, "wamid.2", since) == "LPR-NEWW-BB"
        assert await fm.code_of("whatsapp", OLD, "wamid.1", since) is None  # the old chat keeps nothing
        assert await fm.code_of("whatsapp", OLD, "wamid.2", since) is None
        assert await fm.code_of("telegram", OLD, "wamid.1", since) == "LPR-TELE-CC"
        assert await fm.move("whatsapp", OLD, NEW) == 0  # nothing left to move


async def test_what_was_filed_before_a_moment_is_pruned(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await uow.filed_messages.add("telegram", "1001", ["1", "2"], "LPR-AAAA-AA", T0 - timedelta(days=31))
        await uow.filed_messages.add("telegram", "1002", ["1"], "LPR-BBBB-BB", T0 - timedelta(days=30))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.filed_messages.prune(T0 - timedelta(days=30)) == 2
        await uow.commit()
    async with uow_factory() as uow:
        fm, ever = uow.filed_messages, T0 - timedelta(days=365)
        assert await fm.code_of("telegram", "1001", "1", ever) is None
        assert await fm.code_of("telegram", "1002", "1", ever) == "LPR-BBBB-BB"  # filed at the moment itself: kept
        assert await fm.prune(T0 - timedelta(days=30)) == 0


async def test_what_is_not_committed_is_not_kept(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await uow.filed_messages.add("telegram", "1001", ["1"], "LPR-AAAA-AA", T0)
        assert await uow.filed_messages.code_of("telegram", "1001", "1", T0) == "LPR-AAAA-AA"  # its own write
    async with uow_factory() as uow:
        assert await uow.filed_messages.code_of("telegram", "1001", "1", T0) is None


@pytest.mark.sql_only("the schema: the pruning index")
async def test_pruning_is_served_by_an_index_on_the_filing_moment(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        indexes = await conn.run_sync(lambda sync: sa_inspect(sync).get_indexes("filed_messages"))
    assert [index["column_names"] for index in indexes] == [["filed_at"]]

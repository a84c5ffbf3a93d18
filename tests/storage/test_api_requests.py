"""Open311's fields kept on a complaint (0015: media_url, address_id) and what each API key filed (complaints.ports.ApiRequestRepository), one contract on SQLite,
PostgreSQL and the in-memory fake: a digest claimed once within its window (a repeat gets
the first code), replaced once the window has passed, apart per key, pruned by age, rolled
back with the transaction, and a second worker claiming the same digest meanwhile waits
and gets the first one's code. Time is passed in; nothing sleeps."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import create_engine
from storage.uow import SqlUnitOfWork
from tests.storage import test_storage_contract as contract
from tests.storage.test_storage_contract import (
    T0,
    UowFactory,
    complaint_columns,
    downgrade_keeps_the_rows,
    row_of_older_schema,
)

# the contract's backends (SQLite, PostgreSQL, the in-memory fake), as fixtures of this module
backend, sql_engine, engine, uow_factory = contract.backend, contract.sql_engine, contract.engine, contract.uow_factory
database_url = contract.database_url

KEY, OTHER = "apikey-1", "apikey-2"
DIGEST = "a" * 64
WINDOW = timedelta(minutes=10)


async def test_a_digest_is_claimed_once_within_its_window(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.api_requests.code_of(KEY, DIGEST, T0 - WINDOW) is None
        assert await uow.api_requests.claim(KEY, DIGEST, "LPR-AAAA-AA", T0, T0 - WINDOW) == "LPR-AAAA-AA"
        await uow.commit()
    later = T0 + timedelta(minutes=5)
    async with uow_factory() as uow:
        requests = uow.api_requests
        assert await requests.code_of(KEY, DIGEST, later - WINDOW) == "LPR-AAAA-AA"
        assert await requests.claim(KEY, DIGEST, "LPR-BBBB-BB", later, later - WINDOW) == "LPR-AAAA-AA"
        assert await requests.claim(OTHER, DIGEST, "LPR-CCCC-CC", later, later - WINDOW) == "LPR-CCCC-CC"
        assert await requests.claim(KEY, "b" * 64, "LPR-DDDD-DD", later, later - WINDOW) == "LPR-DDDD-DD"
        await uow.commit()
    async with uow_factory() as uow:  # the repeat wrote nothing: the first record holds
        assert await uow.api_requests.code_of(KEY, DIGEST, T0) == "LPR-AAAA-AA"
        assert await uow.api_requests.code_of(OTHER, DIGEST, T0) == "LPR-CCCC-CC"


async def test_a_record_older_than_the_window_is_replaced(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await uow.api_requests.claim(KEY, DIGEST, "LPR-AAAA-AA", T0, T0 - WINDOW)
        await uow.commit()
    later = T0 + timedelta(minutes=11)
    async with uow_factory() as uow:
        assert await uow.api_requests.code_of(KEY, DIGEST, later - WINDOW) is None
        assert await uow.api_requests.claim(KEY, DIGEST, "LPR-BBBB-BB", later, later - WINDOW) == "LPR-BBBB-BB"
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.api_requests.code_of(KEY, DIGEST, later) == "LPR-BBBB-BB"
        assert await uow.api_requests.code_of(KEY, DIGEST, later + timedelta(seconds=1)) is None


async def test_pruning_forgets_only_the_keys_older_records(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await uow.api_requests.claim(KEY, "1" * 64, "LPR-AAAA-AA", T0 - timedelta(days=2), T0 - timedelta(days=3))
        await uow.api_requests.claim(KEY, "2" * 64, "LPR-BBBB-BB", T0, T0 - WINDOW)
        await uow.api_requests.claim(OTHER, "1" * 64, "LPR-CCCC-CC", T0 - timedelta(days=2), T0 - timedelta(days=3))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.api_requests.prune(KEY, T0 - timedelta(days=1)) == 1
        await uow.commit()
    ever = T0 - timedelta(days=365)
    async with uow_factory() as uow:
        assert await uow.api_requests.code_of(KEY, "1" * 64, ever) is None
        assert await uow.api_requests.code_of(KEY, "2" * 64, ever) == "LPR-BBBB-BB"
        assert await uow.api_requests.code_of(OTHER, "1" * 64, ever) == "LPR-CCCC-CC"


async def test_what_is_not_committed_is_not_kept(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await uow.api_requests.claim(KEY, DIGEST, "LPR-AAAA-AA", T0, T0 - WINDOW)
        assert await uow.api_requests.code_of(KEY, DIGEST, T0) == "LPR-AAAA-AA"  # its own write
    async with uow_factory() as uow:
        assert await uow.api_requests.code_of(KEY, DIGEST, T0) is None


async def test_a_second_worker_claiming_meanwhile_gets_the_first_code(uow_factory: UowFactory) -> None:
    """Two workers filing the same request at once: the second waits for the first's
    transaction (PostgreSQL: on the key; SQLite and the fake: the one writer) and is told
    the first one's code, so it files nothing."""

    async def second_worker() -> str:
        async with uow_factory() as uow:
            code = await uow.api_requests.claim(KEY, DIGEST, "LPR-BBBB-BB", T0, T0 - WINDOW)
            await uow.commit()
            return code

    async with uow_factory() as first:
        assert await first.api_requests.claim(KEY, DIGEST, "LPR-AAAA-AA", T0, T0 - WINDOW) == "LPR-AAAA-AA"
        second = asyncio.create_task(second_worker())
        done, _ = await asyncio.wait({second}, timeout=0.2)  # it waits for the first's transaction
        assert not done
        await first.commit()
    assert await asyncio.wait_for(second, timeout=30) == "LPR-AAAA-AA"


@pytest.mark.sql_only("the schema: the pruning index")
async def test_pruning_is_served_by_an_index_on_the_key_and_the_moment(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        indexes = await conn.run_sync(lambda sync: sa_inspect(sync).get_indexes("api_requests"))
    assert [index["column_names"] for index in indexes] == [["sender", "created_at"]]


@pytest.mark.sql_only("the schema's migrations")
async def test_0015_reads_existing_complaints_without_open311_fields_and_downgrades_cleanly(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        old = await row_of_older_schema(engine, "0014", ("media_url", "address_id"))
        async with SqlUnitOfWork(engine) as uow:
            loaded = await uow.complaints.get(old.code)
            assert loaded == old and loaded is not None and (loaded.media_url, loaded.address_id) == (None, None)
            loaded.media_url, loaded.address_id = "https://portal.contoh.id/a.jpg", "GIS-1"
            await uow.complaints.save(loaded)
            await uow.api_requests.claim(KEY, DIGEST, old.code, T0, T0 - WINDOW)
            await uow.commit()
        async with SqlUnitOfWork(engine) as uow:
            again = await uow.complaints.get(old.code)
            assert again is not None and (again.media_url, again.address_id) == ("https://portal.contoh.id/a.jpg", "GIS-1")
        await downgrade_keeps_the_rows(engine, "0014")
        assert not {"media_url", "address_id"} & await complaint_columns(engine)
        async with engine.connect() as conn:
            assert "api_requests" not in await conn.run_sync(lambda sync: sa_inspect(sync).get_table_names())
    finally:
        await engine.dispose()

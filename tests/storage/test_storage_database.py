"""Engine creation details that the contract suite does not show."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.database import create_engine, ping, read_only
from storage.migrate import current_revision, head_revision, upgrade


async def test_sqlite_file_folder_is_created_and_migrations_run_from_any_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine = create_engine("sqlite+aiosqlite:///data/nested/aduan.sqlite3")  # relative to the cwd
    try:
        assert await current_revision(engine) is None
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        assert await ping(engine)
    finally:
        await engine.dispose()
    assert (tmp_path / "data" / "nested" / "aduan.sqlite3").is_file()


async def test_schema_in_the_url_sets_the_search_path(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            if engine.dialect.name != "postgresql":
                pytest.skip("PostgreSQL only")
            schema = (await conn.execute(text("SELECT current_schema()"))).scalar_one()
        assert schema is not None and database_url.endswith(f"schema={schema}")
    finally:
        await engine.dispose()


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="schema"):
        create_engine("postgresql+asyncpg://postgres@127.0.0.1/test", schema='x"; DROP TABLE y; --')
    with pytest.raises(ValueError, match="schema"):
        create_engine("postgresql+asyncpg://postgres@127.0.0.1/test?schema=Bad-Name")
    with pytest.raises(ValueError, match="SQLite"):
        create_engine("sqlite+aiosqlite:///x.db", schema="s")
    with pytest.raises(ValueError, match="unsupported"):
        create_engine("mysql+aiomysql://root@127.0.0.1/test")


async def test_ping_is_false_when_nothing_answers() -> None:
    engine = create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/test")
    try:
        assert not await ping(engine)
    finally:
        await engine.dispose()


async def test_a_read_only_connection_leaves_the_write_lock_to_writers(tmp_path) -> None:
    """SQLite: a long read (the public board) reads a snapshot and never stalls the bot's writes."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'ro.db'}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
        async with read_only(engine) as reader:
            assert (await reader.execute(text("SELECT count(*) FROM t"))).scalar() == 0
            async with asyncio.timeout(2), engine.begin() as writer:  # with BEGIN IMMEDIATE it would wait 10 s
                await writer.execute(text("INSERT INTO t VALUES (1)"))
            assert (await reader.execute(text("SELECT count(*) FROM t"))).scalar() == 0  # its snapshot
        async with read_only(engine) as reader:
            assert (await reader.execute(text("SELECT count(*) FROM t"))).scalar() == 1
    finally:
        await engine.dispose()

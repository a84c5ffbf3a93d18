"""Shared fixtures: every storage-backed test runs on SQLite and on PostgreSQL.

- ``database_url``: an empty database, parametrized with ids ``sqlite`` / ``postgresql``.
  SQLite: a file under ``tmp_path``. PostgreSQL: the server at ``ADUAN_TEST_DATABASE_URL``
  (default ``postgresql+asyncpg://postgres@127.0.0.1:5432/test``), in a fresh schema named
  in the URL (``?schema=...``, understood by ``storage.database.create_engine``) and dropped
  with CASCADE afterwards. No server: the PostgreSQL half is skipped, or fails when CI=true.
- ``engine``: a migrated engine on that database, disposed afterwards.
- ``uow_factory``: ``storage.uow.uow_factory(engine)``.
- ``app``: the bootstrapped App on that engine (``tests.chat_harness.make_app``).

A test that needs its own engines (e.g. two "processes" on one database) takes
``database_url`` and calls ``storage.database.create_engine`` itself.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from storage import uow as storage_uow
from storage.database import create_engine
from storage.migrate import upgrade

# the fake Telegram Bot API and WhatsApp Graph API servers, as fixtures
pytest_plugins = ["tests.fakes.telegram_fixtures", "tests.fakes.graph_fixtures"]

DEFAULT_POSTGRESQL_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")
CONNECT_TIMEOUT_S = 5

# Why PostgreSQL is unusable in this session (checked once, then every test knows).
_postgresql_unavailable: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sql_only(reason): about the SQL adapters themselves; skipped on the in-memory fake"
    )


def postgresql_url() -> str:
    return os.environ.get("ADUAN_TEST_DATABASE_URL") or DEFAULT_POSTGRESQL_URL


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required when CI=true: {reason}")
    pytest.skip(reason)


async def _execute(url: str, *statements: str) -> None:
    """Run statements in one transaction on a throwaway connection (no schema set)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT_S), engine.begin() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


@asynccontextmanager
async def fresh_database(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of an empty database of the given backend, removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'db' / 'aduan.sqlite3'}"
        return
    global _postgresql_unavailable
    if _postgresql_unavailable is not None:
        _skip_or_fail(_postgresql_unavailable)
    url = postgresql_url()
    schema = f"test_{uuid.uuid4().hex[:16]}"
    try:
        await _execute(url, f'CREATE SCHEMA "{schema}"')
    except (OSError, TimeoutError, sa_exc.DBAPIError) as error:
        safe_url = make_url(url).render_as_string(hide_password=True)
        _postgresql_unavailable = f"PostgreSQL at {safe_url} unavailable: {type(error).__name__}: {error}"
        _skip_or_fail(_postgresql_unavailable)
    try:
        yield str(make_url(url).update_query_dict({"schema": schema}).render_as_string(hide_password=False))
    finally:
        await _execute(url, "SET lock_timeout = '10s'", f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS, ids=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    async with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> Callable[[], storage_uow.SqlUnitOfWork]:
    return storage_uow.uow_factory(engine)


@pytest.fixture
async def app(engine: AsyncEngine):
    from tests.chat_harness import make_app  # the harness imports the whole app

    return await make_app(engine)

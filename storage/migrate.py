"""Running the Alembic migrations from code, with a configuration built in code."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` for this package's migrations (no alembic.ini involved).

    Also usable by developers: ``command.revision(alembic_config(), "message")``.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """``alembic upgrade head`` in one transaction; a no-op when already there.

    PostgreSQL: concurrent callers on the same schema are serialised by an advisory lock;
    the schema is the connection's ``search_path`` (see ``storage.database``).
    SQLite: ``BEGIN IMMEDIATE`` serialises them.
    """
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            lock = "SELECT pg_advisory_xact_lock(hashtext('aduan.migrate:' || coalesce(current_schema(), '')))"
            await conn.execute(text(lock))
        await conn.run_sync(_upgrade, revision)


def _upgrade(connection: Connection, revision: str) -> None:
    command.upgrade(alembic_config(connection), revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None before the first migration)."""
    async with engine.connect() as conn:
        return await conn.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()

"""A database to benchmark on, thrown away afterwards: a fresh schema on PostgreSQL (dropped
at the end) or a file in a temporary folder for SQLite, migrated to the head."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from complaints.taxonomy import Category
from storage.database import create_engine
from storage.migrate import upgrade

# how often each category comes (roads, rubbish, drains and lights most)
CATEGORY_WEIGHTS = {
    Category.JALAN: 16, Category.SAMPAH: 12, Category.DRAINASE: 11, Category.PENERANGAN: 9,
    Category.LALU_LINTAS: 6, Category.LINGKUNGAN: 6, Category.AIR_BERSIH: 6, Category.KETERTIBAN: 5,
    Category.ADMINDUK: 5, Category.KESEHATAN: 4, Category.PENDIDIKAN: 4, Category.SOSIAL: 4,
    Category.PELAYANAN_APARATUR: 3, Category.LISTRIK: 3, Category.PERUMAHAN: 2, Category.PERIZINAN: 2,
    Category.KETENAGAKERJAAN: 1, Category.LAINNYA: 1,
}


@asynccontextmanager
async def scratch_database(database: str, url: str, prefix: str) -> AsyncIterator[AsyncEngine]:
    """A migrated engine on a new schema named ``{prefix}_…`` (PostgreSQL, ``url`` its
    server) or a new SQLite file; all of it removed at the end."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}" if database == "postgresql" else None
    folder = tempfile.TemporaryDirectory()
    if database == "sqlite":
        url = f"sqlite+aiosqlite:///{folder.name}/bench.db"
    admin = create_engine(url, poolclass=NullPool) if schema else None
    if admin is not None:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(url, schema=schema) if schema else create_engine(url)
    try:
        await upgrade(engine)
        yield engine
    finally:
        await engine.dispose()
        if admin is not None:
            async with admin.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            await admin.dispose()
        folder.cleanup()

"""The read side of the recap report: complaints submitted in a period, with their audit
trails, a page at a time.

Pages are read by keyset on ``id`` (the order complaints were filed), each page in its own
short transaction: a long export never holds every row in memory, and on SQLite (where
every transaction takes the write lock up front, see ``storage.database``) the bot is
held up for one page at most, never for the whole export.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from complaints.model import Complaint

from .repositories import hydrate
from .tables import complaints

DEFAULT_PAGE_SIZE = 500


def _submitted(start: datetime, end: datetime, unit_id: str | None) -> list[Any]:
    """``start <= created_at < end`` (aware datetimes), optionally of one unit."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("period bounds must be timezone-aware")
    conditions = [complaints.c.created_at >= start, complaints.c.created_at < end]
    if unit_id is not None:
        conditions.append(complaints.c.unit_id == unit_id)
    return conditions


async def count_submitted(engine: AsyncEngine, start: datetime, end: datetime, *, unit_id: str | None = None) -> int:
    async with engine.connect() as conn:
        stmt = select(func.count()).select_from(complaints).where(*_submitted(start, end, unit_id))
        return (await conn.execute(stmt)).scalar_one()


async def submitted_between(
    engine: AsyncEngine, start: datetime, end: datetime, *, unit_id: str | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> AsyncIterator[list[Complaint]]:
    """Pages of complaints with ``start <= created_at < end``, in filing order."""
    if page_size < 1:
        raise ValueError("page_size must be positive")
    conditions = _submitted(start, end, unit_id)
    last_id = 0
    while True:
        async with engine.connect() as conn:
            page_stmt = select(complaints).where(*conditions, complaints.c.id > last_id)
            rows = (await conn.execute(page_stmt.order_by(complaints.c.id).limit(page_size))).all()
            if not rows:
                return
            page = await hydrate(conn, rows)
        yield page
        if len(rows) < page_size:
            return
        last_id = rows[-1].id

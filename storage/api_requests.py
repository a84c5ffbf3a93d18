"""SQL implementation of ``complaints.ports.ApiRequestRepository``: what each API key filed
(``api_requests``: the key's sender, a digest of the request, the tracking code), so that a
client re-sending a request gets the first one's code (aduan/api/filing.py).

The claim is one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` (an older record is
replaced, a recent one kept): on PostgreSQL a second worker inserting the same digest waits
for the first one's transaction and then finds its record. Like the other repositories it
works on the unit of work's ``AsyncConnection`` and never commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from complaints.ports import ApiRequestRepository

from .database import dialect_insert
from .tables import api_requests

_c = api_requests.c


class SqlApiRequestRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def code_of(self, sender: str, digest: str, since: datetime) -> str | None:
        stmt = select(_c.code).where(_c.sender == sender, _c.digest == digest, _c.created_at >= since)
        code: str | None = (await self._conn.execute(stmt)).scalar_one_or_none()
        return code

    async def claim(self, sender: str, digest: str, code: str, now: datetime, since: datetime) -> str:
        insert = dialect_insert(self._conn, api_requests).values(sender=sender, digest=digest, code=code,
                                                                 created_at=now)
        upsert = insert.on_conflict_do_update(
            index_elements=[_c.sender, _c.digest],
            set_={"code": insert.excluded.code, "created_at": insert.excluded.created_at},
            where=_c.created_at < since,  # a record older than the window is replaced
        ).returning(_c.code)
        if (await self._conn.execute(upsert)).first() is not None:
            return code
        held = select(_c.code).where(_c.sender == sender, _c.digest == digest)
        holder: str = (await self._conn.execute(held)).scalar_one()
        return holder

    async def prune(self, sender: str, before: datetime) -> int:
        stmt = delete(api_requests).where(_c.sender == sender, _c.created_at < before)
        return int((await self._conn.execute(stmt)).rowcount)


# The port holds: mypy checks this assignment structurally against complaints.ports (`make lint`).
_PORT: type[ApiRequestRepository] = SqlApiRequestRepository

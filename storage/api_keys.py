"""API keys of the REST API. Only a key's SHA-256 is stored; the key is shown once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from .tables import api_keys


@dataclass(frozen=True)
class ApiKeyRecord:
    id: int
    prefix: str
    scope: str  # public | officer | admin
    officer_id: str | None
    label: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _record(row: Row[Any]) -> ApiKeyRecord:
    return ApiKeyRecord(row.id, row.prefix, row.scope, row.officer_id, row.label, row.created_at, row.revoked_at)


class ApiKeyRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(
        self, key_hash: str, prefix: str, scope: str, officer_id: str | None, label: str, now: datetime
    ) -> ApiKeyRecord:
        stmt = (
            api_keys.insert()
            .values(key_hash=key_hash, prefix=prefix, scope=scope, officer_id=officer_id, label=label, created_at=now)
            .returning(*api_keys.c)
        )
        return _record((await self._conn.execute(stmt)).one())

    async def active_by_hash(self, key_hash: str) -> ApiKeyRecord | None:
        stmt = select(api_keys).where(api_keys.c.key_hash == key_hash, api_keys.c.revoked_at.is_(None))
        row = (await self._conn.execute(stmt)).one_or_none()
        return None if row is None else _record(row)

    async def list(self) -> list[ApiKeyRecord]:
        rows = (await self._conn.execute(select(api_keys).order_by(api_keys.c.id))).all()
        return [_record(row) for row in rows]

    async def revoke(self, key_id: int, now: datetime) -> bool:
        """False when there is no such key or it was revoked before."""
        stmt = update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None)).values(revoked_at=now)
        return (await self._conn.execute(stmt)).rowcount == 1

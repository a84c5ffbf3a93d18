"""SQL implementation of ``complaints.ports.FiledMessageRepository``: the chat messages a
filed report was made of (``filed_messages``), found again when the citizen edits or
deletes one of them (bot/edits.py).

Like the other repositories it works on the unit of work's ``AsyncConnection`` and never
commits. The upsert needs the dialect's ``ON CONFLICT``: it is built once per dialect.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from complaints.ports import FiledMessageRepository

from .database import dialect_insert
from .tables import filed_messages

_UPSERTS: dict[str, Any] = {}


def _upsert(conn: AsyncConnection) -> Any:
    """INSERT ... ON CONFLICT (channel, sender, ref) DO UPDATE: the latest filing wins."""
    name = conn.dialect.name
    if name not in _UPSERTS:
        stmt = dialect_insert(conn, filed_messages)
        _UPSERTS[name] = stmt.on_conflict_do_update(
            index_elements=[filed_messages.c.channel, filed_messages.c.sender, filed_messages.c.ref],
            set_={"code": stmt.excluded.code, "filed_at": stmt.excluded.filed_at},
        )
    return _UPSERTS[name]


_CODE_OF = select(filed_messages.c.code).where(
    filed_messages.c.channel == bindparam("channel"),
    filed_messages.c.sender == bindparam("sender"),
    filed_messages.c.ref == bindparam("ref"),
    filed_messages.c.filed_at >= bindparam("since"),
)

_theirs = filed_messages.alias("theirs")
# bind names apart from the columns' (an UPDATE reserves those for its SET clause)
_OLD = and_(filed_messages.c.channel == bindparam("in_channel"), filed_messages.c.sender == bindparam("from_sender"))
# the old chat's rows whose message id the new chat has no row of
_MOVE = update(filed_messages).where(
    _OLD,
    ~exists().where(
        _theirs.c.channel == filed_messages.c.channel,
        _theirs.c.sender == bindparam("to_sender"),
        _theirs.c.ref == filed_messages.c.ref,
    ),
).values(sender=bindparam("to_sender"))
_DROP_OLD = delete(filed_messages).where(_OLD)  # what is left: the new chat's own rows won
_PRUNE = delete(filed_messages).where(filed_messages.c.filed_at < bindparam("before"))


class SqlFiledMessageRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, channel: str, sender: str, refs: Sequence[str], code: str, at: datetime) -> None:
        rows = [{"channel": channel, "sender": sender, "ref": ref, "code": code, "filed_at": at}
                for ref in sorted(set(refs))]
        if rows:
            await self._conn.execute(_upsert(self._conn), rows)

    async def code_of(self, channel: str, sender: str, ref: str, since: datetime) -> str | None:
        params = {"channel": channel, "sender": sender, "ref": ref, "since": since}
        code: str | None = (await self._conn.execute(_CODE_OF, params)).scalar_one_or_none()
        return code

    async def move(self, channel: str, old_sender: str, new_sender: str) -> int:
        if old_sender == new_sender:
            return 0
        params = {"in_channel": channel, "from_sender": old_sender, "to_sender": new_sender}
        moved = (await self._conn.execute(_MOVE, params)).rowcount
        await self._conn.execute(_DROP_OLD, params)
        return int(moved)

    async def prune(self, before: datetime) -> int:
        return int((await self._conn.execute(_PRUNE, {"before": before})).rowcount)


# The port holds: mypy checks this assignment structurally against complaints.ports (`make lint`).
_PORT: type[FiledMessageRepository] = SqlFiledMessageRepository

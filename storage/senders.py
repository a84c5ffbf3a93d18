"""The SQL implementation of ``complaints.ports.SenderRepository``: chats the admin blocked
(``blocked_senders``), their history (``sender_events``), and what a chat filed lately.

Every incoming message pays :meth:`SqlSenderRepository.attempt`: one ``UPDATE ... RETURNING``
by primary key, prepared once. For a chat that is not blocked it matches no row, so it
writes nothing and locks nothing. Nothing here commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from complaints.ports import SenderRepository
from complaints.spam import BlockedSender, SenderAction, SenderEvent, SenderId, TextCopy

from .database import dialect_insert
from .tables import blocked_senders, complaints, sender_events

_ATTEMPT = (
    update(blocked_senders)
    .where(blocked_senders.c.channel == bindparam("b_channel"), blocked_senders.c.sender == bindparam("b_sender"))
    .values(attempts=blocked_senders.c.attempts + 1, last_attempt_at=bindparam("b_at", type_=blocked_senders.c.last_attempt_at.type))
    .returning(blocked_senders.c.attempts)
)

# filing's checks, built once: they run for every complaint filed
_SINCE = bindparam("since", type_=complaints.c.created_at.type)
_FILED_SINCE = select(func.count()).select_from(complaints).where(
    complaints.c.channel == bindparam("channel"), complaints.c.sender == bindparam("sender"),
    complaints.c.created_at >= _SINCE,
)
_SAME_TEXT_SINCE = (
    select(complaints.c.code, complaints.c.channel, complaints.c.sender, complaints.c.created_at)
    .where(complaints.c.text_fingerprint == bindparam("fingerprint"), complaints.c.created_at >= _SINCE)
    .order_by(complaints.c.created_at, complaints.c.id)
    .limit(200)
)


def _where(who: SenderId) -> Any:
    return and_(blocked_senders.c.channel == who.channel, blocked_senders.c.sender == who.sender)


def _blocked(row: Any) -> BlockedSender:
    return BlockedSender(SenderId(row.channel, row.sender), row.reason, row.blocked_by, row.blocked_at,
                         row.attempts, row.last_attempt_at)


class SqlSenderRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def attempt(self, channel: str, sender: str, now: datetime) -> int | None:
        found = await self._conn.execute(_ATTEMPT, {"b_channel": channel, "b_sender": sender, "b_at": now})
        attempts: int | None = found.scalar()
        return attempts

    async def block(self, who: SenderId, reason: str, by: str, now: datetime) -> bool:
        stmt = dialect_insert(self._conn, blocked_senders).values(
            channel=who.channel, sender=who.sender, reason=reason, blocked_by=by, blocked_at=now, attempts=0,
        ).on_conflict_do_nothing().returning(blocked_senders.c.sender)
        if (await self._conn.execute(stmt)).first() is None:
            return False
        await self._event(who, SenderAction.BLOCKED, by, now, reason)
        return True

    async def unblock(self, who: SenderId, reason: str, by: str, now: datetime) -> bool:
        stmt = delete(blocked_senders).where(_where(who)).returning(blocked_senders.c.sender)
        if (await self._conn.execute(stmt)).first() is None:
            return False
        await self._event(who, SenderAction.UNBLOCKED, by, now, reason)
        return True

    async def get(self, who: SenderId) -> BlockedSender | None:
        row = (await self._conn.execute(select(blocked_senders).where(_where(who)))).first()
        return None if row is None else _blocked(row)

    async def blocked(self, limit: int = 100) -> list[BlockedSender]:
        stmt = select(blocked_senders).order_by(blocked_senders.c.blocked_at.desc(), blocked_senders.c.channel,
                                                blocked_senders.c.sender).limit(limit)
        return [_blocked(row) for row in await self._conn.execute(stmt)]

    async def history(self, who: SenderId | None = None, limit: int = 100) -> list[SenderEvent]:
        stmt = select(sender_events).order_by(sender_events.c.at.desc(), sender_events.c.id.desc()).limit(limit)
        if who is not None:
            stmt = stmt.where(sender_events.c.channel == who.channel, sender_events.c.sender == who.sender)
        return [SenderEvent(SenderId(row.channel, row.sender), SenderAction(row.action), row.actor, row.at, row.reason)
                for row in await self._conn.execute(stmt)]

    async def remind(self, who: SenderId, now: datetime, since: datetime) -> bool:
        last = select(func.max(sender_events.c.at)).where(
            sender_events.c.channel == who.channel, sender_events.c.sender == who.sender,
            sender_events.c.action == SenderAction.REMINDED.value,
        )
        latest: datetime | None = (await self._conn.execute(last)).scalar()
        if latest is not None and latest > since:
            return False
        await self._event(who, SenderAction.REMINDED, "bot", now, "")
        return True

    async def filed_since(self, channel: str, sender: str, since: datetime) -> int:
        params = {"channel": channel, "sender": sender, "since": since}
        count: int = (await self._conn.execute(_FILED_SINCE, params)).scalar_one()
        return count

    async def same_text_since(self, text_fingerprint: str, since: datetime) -> list[TextCopy]:
        params = {"fingerprint": text_fingerprint, "since": since}
        return [TextCopy(row.code, SenderId(row.channel, row.sender), row.created_at)
                for row in await self._conn.execute(_SAME_TEXT_SINCE, params)]

    async def _event(self, who: SenderId, action: SenderAction, actor: str, at: datetime, reason: str) -> None:
        await self._conn.execute(insert(sender_events).values(
            channel=who.channel, sender=who.sender, action=action.value, actor=actor, at=at, reason=reason,
        ))


# The port holds: mypy checks this assignment structurally against complaints.ports (`make lint`).
_PORT: type[SenderRepository] = SqlSenderRepository

"""The SQL implementation of ``complaints.ports.SignInRepository``: one-time login links,
officers' password credentials, web sessions and the sign-in audit (migration 0011).
Nothing here commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from complaints.ports import SignInRepository
from complaints.signin import Credentials, LoginLink, Method, Outcome, SignInEvent, WebSession

from .database import dialect_insert
from .tables import login_links, officer_credentials, signin_events, web_sessions


def _session(row: Any) -> WebSession:
    return WebSession(row.session_digest, row.officer_id, row.csrf, row.created_at, row.last_seen_at, row.ended_at)


class SqlSignInRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add_link(self, link: LoginLink) -> None:
        await self._conn.execute(insert(login_links).values(
            token_digest=link.token_digest, officer_id=link.officer_id, created_at=link.created_at,
            expires_at=link.expires_at, used_at=link.used_at))

    async def link(self, token_digest: str) -> LoginLink | None:
        row = (await self._conn.execute(select(login_links).where(login_links.c.token_digest == token_digest))).first()
        if row is None:
            return None
        return LoginLink(row.token_digest, row.officer_id, row.created_at, row.expires_at, row.used_at)

    async def use_link(self, token_digest: str, now: datetime) -> bool:
        c = login_links.c
        done = await self._conn.execute(
            update(login_links).where(c.token_digest == token_digest, c.used_at.is_(None)).values(used_at=now))
        return bool(done.rowcount)

    async def credentials(self, officer_id: str, *, for_update: bool = False) -> Credentials | None:
        stmt = select(officer_credentials).where(officer_credentials.c.officer_id == officer_id)
        if for_update and self._conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        row = (await self._conn.execute(stmt)).first()
        if row is None:
            return None
        return Credentials(row.officer_id, row.password_hash, row.failures, row.last_failure_at, row.locked_until)

    async def put_credentials(self, credentials: Credentials, now: datetime) -> None:
        values = {"password_hash": credentials.password_hash, "failures": credentials.failures,
                  "last_failure_at": credentials.last_failure_at, "locked_until": credentials.locked_until,
                  "updated_at": now}
        stmt = dialect_insert(self._conn, officer_credentials).values(officer_id=credentials.officer_id, **values)
        await self._conn.execute(stmt.on_conflict_do_update(index_elements=[officer_credentials.c.officer_id],
                                                            set_=values))

    async def add_session(self, session: WebSession) -> None:
        await self._conn.execute(insert(web_sessions).values(
            session_digest=session.session_digest, officer_id=session.officer_id, csrf=session.csrf,
            created_at=session.created_at, last_seen_at=session.last_seen_at, ended_at=session.ended_at))

    async def session(self, session_digest: str) -> WebSession | None:
        row = (await self._conn.execute(
            select(web_sessions).where(web_sessions.c.session_digest == session_digest))).first()
        return None if row is None else _session(row)

    async def touch_session(self, session_digest: str, now: datetime) -> None:
        await self._conn.execute(update(web_sessions).where(web_sessions.c.session_digest == session_digest)
                                 .values(last_seen_at=now))

    async def end_session(self, session_digest: str, now: datetime) -> None:
        c = web_sessions.c
        await self._conn.execute(update(web_sessions).where(c.session_digest == session_digest, c.ended_at.is_(None))
                                 .values(ended_at=now))

    async def end_sessions(self, officer_id: str, now: datetime) -> int:
        c = web_sessions.c
        done = await self._conn.execute(update(web_sessions).where(c.officer_id == officer_id, c.ended_at.is_(None))
                                        .values(ended_at=now))
        return int(done.rowcount)

    async def record(self, event: SignInEvent) -> None:
        await self._conn.execute(insert(signin_events).values(
            officer_id=event.officer_id[:255], method=event.method.value, outcome=event.outcome.value,
            address=event.address[:64], at=event.at))

    async def events(self, officer_id: str | None = None, limit: int = 50) -> list[SignInEvent]:
        c = signin_events.c
        stmt = select(signin_events).order_by(c.at.desc(), c.id.desc()).limit(max(limit, 0))
        if officer_id is not None:
            stmt = stmt.where(c.officer_id == officer_id)
        rows = (await self._conn.execute(stmt)).all()
        return [SignInEvent(r.at, r.officer_id, Method(r.method), Outcome(r.outcome), r.address) for r in rows]


_PORT: type[SignInRepository] = SqlSignInRepository

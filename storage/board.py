"""The public board's read model (``/papan/``): the few complaints its figures are made of
(complaints.board.BoardSource), narrowed by SQL. Nothing here writes; nothing here decides a
rule: the domain judges what it is given.

- the month's cases: filed within the period (the ``created_at`` index), or taken up
  (complaints.board.TAKEN_UP) with their resolution target within it; their ids first, then
  rows and audit trails a page of ids at a time (drivers limit the parameters of one
  statement, and mapping a short page holds the event loop for a moment only);
- resolved within the period: the selesai entries of the period of cases still selesai or
  ditutup (``updated_at`` narrows the cases first: every entry sets it), counted whatever
  their privacy, the latest ``listed`` biasa ones loaded;
- the SKM answers given within the period, counted by score.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from complaints.board import LISTED, RESOLVED_STATUSES, TAKEN_UP, BoardSource
from complaints.model import Complaint
from complaints.taxonomy import PrivacyMode, Status

from .repositories import hydrate
from .tables import complaint_events, complaints

PAGE = 250  # complaints read per query, with their audit trails


def _codes(statuses: frozenset[Status]) -> list[str]:
    return sorted(str(status) for status in statuses)


async def board_source(conn: AsyncConnection, start: datetime, end: datetime, *, listed: int = LISTED) -> BoardSource:
    """What the board of ``start <= moment < end`` (aware datetimes) is made of."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("period bounds must be timezone-aware")
    return BoardSource(
        cases=await _cases(conn, start, end),
        resolved=await _resolved(conn, start, end, listed),
        resolved_total=await _resolved_total(conn, start, end),
        skm_scores=await _skm_scores(conn, start, end),
    )


async def _cases(conn: AsyncConnection, start: datetime, end: datetime) -> list[Complaint]:
    c = complaints.c
    filed = and_(c.created_at >= start, c.created_at < end)
    promised = and_(c.status.in_(_codes(TAKEN_UP)), c.resolve_due_at >= start, c.resolve_due_at < end)
    ids = list((await conn.execute(select(c.id).where(or_(filed, promised)).order_by(c.id))).scalars())
    found: list[Complaint] = []
    for first in range(0, len(ids), PAGE):
        page = select(complaints).where(c.id.in_(ids[first:first + PAGE])).order_by(c.id)
        found.extend(await hydrate(conn, (await conn.execute(page)).all()))
    return found


def _resolutions(start: datetime, end: datetime) -> Any:
    """(complaint id, its latest selesai within the period) of the cases still resolved."""
    c, e = complaints.c, complaint_events.c
    return (
        select(e.complaint_id.label("id"), func.max(e.at).label("resolved_at"), c.privacy)
        .select_from(complaint_events.join(complaints, complaints.c.id == e.complaint_id))
        .where(c.status.in_(_codes(RESOLVED_STATUSES)), c.updated_at >= start,
               e.to_status == str(Status.SELESAI), e.at >= start, e.at < end)
        .group_by(e.complaint_id, c.privacy)
    )


async def _resolved_total(conn: AsyncConnection, start: datetime, end: datetime) -> int:
    found = _resolutions(start, end).subquery()
    total: int = (await conn.execute(select(func.count()).select_from(found))).scalar_one()
    return total


async def _resolved(conn: AsyncConnection, start: datetime, end: datetime, listed: int) -> list[Complaint]:
    found = _resolutions(start, end).subquery()
    latest = (select(found.c.id).where(found.c.privacy == str(PrivacyMode.BIASA))
              .order_by(found.c.resolved_at.desc(), found.c.id.desc()).limit(listed))
    ids = [row.id for row in (await conn.execute(latest)).all()]
    if not ids:
        return []
    rows = (await conn.execute(select(complaints).where(complaints.c.id.in_(ids)))).all()
    return await hydrate(conn, rows)


async def _skm_scores(conn: AsyncConnection, start: datetime, end: datetime) -> dict[int, int]:
    c = complaints.c
    stmt = (select(c.skm_score, func.count()).where(c.skm_score.is_not(None), c.rated_at >= start, c.rated_at < end)
            .group_by(c.skm_score))
    return {int(score): int(n) for score, n in (await conn.execute(stmt)).all()}

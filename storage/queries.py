"""Read-only queries of the REST API and /metrics: complaints by filter, page by page,
and the counts a metrics scrape reports. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from complaints.model import Complaint
from complaints.taxonomy import Category, Status
from complaints.views import TextSearch
from complaints.visibility import Scope

from .job_runs import JobRun, job_runs_by_name
from .repositories import hydrate, in_scope
from .tables import complaints, inbound_updates, outbox

# A stage is overdue when its deadline clock runs (workflow.ESCALATING: not while waiting
# for the complainant, not once answered or closed) and its deadline has passed: its
# ``running_due_at`` (written by storage.mapping) is before the moment.


class ComplaintOrder(StrEnum):
    """How a list of complaints is ordered; ties: the later filed first."""

    NEWEST = "newest"  # the later filed first
    SUPPORTERS = "supporters"  # the most supported first (complaints.supporter_count)
    DEADLINE = "deadline"  # the running stage deadline soonest first; cases without one last


@dataclass(frozen=True)
class ComplaintFilter:
    """Every field narrows the result; None means "any"."""

    codes: frozenset[str] | None = None
    statuses: frozenset[Status] | None = None
    categories: frozenset[Category] | None = None
    unit_id: str | None = None
    channel: str | None = None
    created_from: datetime | None = None  # inclusive
    created_until: datetime | None = None  # inclusive
    overdue_at: datetime | None = None  # only complaints overdue at this moment
    scope: Scope | None = None  # only the complaints of a viewer's scope (complaints.visibility)
    place: str | None = None  # the kelurahan (or area) name contains this, any case
    assignee: str | None = None  # assigned to this officer
    # every word in the description, within what the viewer may search (complaints.views.TextSearch)
    words: tuple[str, ...] = ()
    search: TextSearch = field(default_factory=TextSearch)


def _where(stmt: Select[Any], f: ComplaintFilter) -> Select[Any]:
    c = complaints.c
    if f.codes is not None:
        stmt = stmt.where(c.code.in_(sorted(f.codes)))
    if f.statuses is not None:
        stmt = stmt.where(c.status.in_(sorted(str(s) for s in f.statuses)))
    if f.categories is not None:
        stmt = stmt.where(c.category.in_(sorted(str(s) for s in f.categories)))
    if f.unit_id is not None:
        stmt = stmt.where(c.unit_id == f.unit_id)
    if f.channel is not None:
        stmt = stmt.where(c.channel == f.channel)
    if f.created_from is not None:
        stmt = stmt.where(c.created_at >= f.created_from)
    if f.created_until is not None:
        stmt = stmt.where(c.created_at <= f.created_until)
    if f.overdue_at is not None:  # running_due_at: the deadline while its clock runs (storage.mapping)
        stmt = stmt.where(c.running_due_at < f.overdue_at)
    if f.scope is not None:
        stmt = stmt.where(in_scope(f.scope))
    if f.place:
        stmt = stmt.where(c.region_name.ilike(_contains(f.place), escape="\\"))
    if f.assignee is not None:
        stmt = stmt.where(c.assignee == f.assignee)
    if f.words:
        stmt = stmt.where(_words(f.words, f.search))
    return stmt


def _contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _words(words: tuple[str, ...], search: TextSearch) -> ColumnElement[bool]:
    """Every word in the description, only in the privacy modes the viewer may search;
    a word with a digit only where no number is masked (complaints.views.TextSearch)."""
    c = complaints.c
    matched = and_(*(c.description.ilike(_contains(word), escape="\\") for word in words))
    modes = set(search.modes)
    if not any(ch.isdigit() for word in words for ch in word):
        modes |= search.letter_modes
    if not modes:
        return false()
    return and_(c.privacy.in_(sorted(str(m) for m in modes)), matched)


async def count_complaints(conn: AsyncConnection, f: ComplaintFilter, *, at_most: int | None = None) -> int:
    """How many match; with ``at_most``, counting stops past it (a word search over every
    description need not read them all to say "more than 1,000")."""
    if at_most is None:
        count: int = (await conn.execute(_where(select(func.count()).select_from(complaints), f))).scalar_one()
        return count
    found = _where(select(complaints.c.id), f).limit(at_most + 1).subquery()
    capped: int = (await conn.execute(select(func.count()).select_from(found))).scalar_one()
    return capped


async def list_complaints(
    conn: AsyncConnection, f: ComplaintFilter, *, offset: int, limit: int, order: ComplaintOrder = ComplaintOrder.NEWEST,
) -> list[Complaint]:
    """Newest first (ties by id), or the most supported first and then the newest; with
    their audit trails."""
    c = complaints.c
    newest = (c.created_at.desc(), c.id.desc())
    if order is ComplaintOrder.SUPPORTERS:
        ordering: tuple[Any, ...] = (c.supporter_count.desc(), *newest)
    elif order is ComplaintOrder.DEADLINE:  # served by the index on (running_due_at, created_at, id)
        ordering = (c.running_due_at.asc().nulls_last(), c.created_at.asc(), c.id.asc())
    else:
        ordering = newest
    stmt = _where(select(complaints), f).order_by(*ordering)
    rows = (await conn.execute(stmt.offset(offset).limit(limit))).all()
    return await hydrate(conn, rows)


# --- what /metrics reports -----------------------------------------------------------------


@dataclass(frozen=True)
class MetricsSnapshot:
    complaints_by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    outbox: dict[tuple[str, str], int] = field(default_factory=dict)  # (status, channel) -> rows
    deliveries: dict[tuple[str, str], int] = field(default_factory=dict)  # (delivery status, channel) -> rows
    inbound_by_channel: dict[str, int] = field(default_factory=dict)
    jobs: dict[str, JobRun] = field(default_factory=dict)


async def metrics_snapshot(conn: AsyncConnection, now: datetime) -> MetricsSnapshot:
    by_status = select(complaints.c.status, func.count()).group_by(complaints.c.status)
    overdue = _where(select(func.count()).select_from(complaints), ComplaintFilter(overdue_at=now))
    queued = select(outbox.c.status, outbox.c.channel, func.count()).group_by(outbox.c.status, outbox.c.channel)
    inbound = select(inbound_updates.c.channel, func.count()).group_by(inbound_updates.c.channel)
    delivered = (select(outbox.c.delivery_status, outbox.c.channel, func.count())
                 .where(outbox.c.delivery_status.is_not(None))
                 .group_by(outbox.c.delivery_status, outbox.c.channel))
    return MetricsSnapshot(
        complaints_by_status={status: n for status, n in (await conn.execute(by_status)).all()},
        overdue=(await conn.execute(overdue)).scalar_one(),
        outbox={(status, channel): n for status, channel, n in (await conn.execute(queued)).all()},
        inbound_by_channel={channel: n for channel, n in (await conn.execute(inbound)).all()},
        deliveries={(status, channel): n for status, channel, n in (await conn.execute(delivered)).all()},
        jobs=await job_runs_by_name(conn),
    )

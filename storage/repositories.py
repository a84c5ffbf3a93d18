"""SQL implementation of the complaint repository in ``complaints.ports`` (the messaging
repositories, outbox, dialogs and inbound updates, are in ``storage.messaging``).

Each repository works on the unit of work's ``AsyncConnection``; nothing here commits.
``FOR UPDATE`` / ``SKIP LOCKED`` are rendered on PostgreSQL only; on SQLite every
transaction holds the write lock from its start (see ``storage.database``), which gives
the same exclusion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    and_,
    bindparam,
    case,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    true,
    union,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from complaints.errors import NotFound
from complaints.model import AuditEntry, Complaint, Supporter
from complaints.ports import (
    ComplaintRepository,
    DuplicateCode,
    UnitSummary,
)
from complaints.similarity import Candidate, SimilarQuery
from complaints.taxonomy import Status
from complaints.visibility import Scope
from complaints.workflow import OPEN

from . import mapping
from .database import dialect_insert
from .tables import complaint_events, complaint_supporters, complaints

# Statements built once: building a 37-column UPDATE per save cost more than running it.
_COMPLAINT_COLUMNS = [c.name for c in complaints.c if c.name != "id"]
_UPDATE_COMPLAINT = (
    update(complaints)
    .where(complaints.c.id == bindparam("row_id"))
    .values({name: bindparam(f"new_{name}") for name in _COMPLAINT_COLUMNS})
)
_INSERT_EVENT = mapping.INSERT_EVENT  # fact columns an entry lacks are NULL


def _update_params(complaint: Complaint) -> dict[str, Any]:
    values = mapping.complaint_values(complaint)
    return {"row_id": complaint.id, **{f"new_{name}": values[name] for name in _COMPLAINT_COLUMNS}}


_INSERT_COMPLAINT: dict[str, Any] = {}


def _insert_complaint(conn: AsyncConnection) -> Any:
    """INSERT ... ON CONFLICT (code) DO NOTHING RETURNING id, built once per dialect: a code
    drawn twice returns no row and leaves the transaction usable, with no savepoint and no
    check beforehand."""
    name = conn.dialect.name
    if name not in _INSERT_COMPLAINT:
        stmt = dialect_insert(conn, complaints).on_conflict_do_nothing(index_elements=[complaints.c.code])
        _INSERT_COMPLAINT[name] = stmt.returning(complaints.c.id)
    return _INSERT_COMPLAINT[name]



# the admin disposed the complaint to a unit at some point (complaints.model.Complaint.disposed)
_DISPOSED = exists().where(
    complaint_events.c.complaint_id == complaints.c.id,
    complaint_events.c.to_status == str(Status.DIDISPOSISIKAN),
)


def in_scope(scope: Scope) -> ColumnElement[bool]:
    """The complaints a viewer's scope covers (complaints.visibility.Scope); deny by default."""
    if scope.everything:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if scope.unit_id is not None:
        clauses.append(and_(complaints.c.unit_id == scope.unit_id, _DISPOSED))
    if scope.owner is not None:
        clauses.append(and_(complaints.c.channel == scope.owner[0], complaints.c.sender == scope.owner[1]))
    return or_(*clauses) if clauses else false()


# Statements of the hot paths, built once (building one per call cost more than running it)
_EVENTS_OF = (select(complaint_events).where(complaint_events.c.complaint_id.in_(bindparam("ids", expanding=True)))
              .order_by(complaint_events.c.id))
_GET = select(complaints).where(complaints.c.code == bindparam("code"))
_GET_FOR_UPDATE = _GET.with_for_update()
_NEWEST_FIRST = (complaints.c.created_at.desc(), complaints.c.id.desc())
_BY_SENDER = (select(complaints).where(complaints.c.channel == bindparam("channel"),
                                       complaints.c.sender == bindparam("sender"))
              .order_by(*_NEWEST_FIRST).limit(bindparam("limit")))
_BY_SENDER_IN = _BY_SENDER.where(complaints.c.status.in_(bindparam("statuses", expanding=True)))


async def hydrate(conn: AsyncConnection, rows: Sequence[Row[Any]]) -> list[Complaint]:
    """Complaints rows with their audit trails (one query for all of them) and their
    supporters (one more, only when some have any)."""
    if not rows:
        return []
    trails: dict[int, list[AuditEntry]] = defaultdict(list)
    for event in (await conn.execute(_EVENTS_OF, {"ids": [row.id for row in rows]})).all():
        trails[event.complaint_id].append(mapping.to_audit_entry(event))
    supported = [row.id for row in rows if row.supporter_count]
    backers: dict[int, list[Supporter]] = defaultdict(list)
    if supported:
        stmt = (select(complaint_supporters).where(complaint_supporters.c.complaint_id.in_(supported))
                .order_by(complaint_supporters.c.id))
        for found in (await conn.execute(stmt)).all():
            backers[found.complaint_id].append(mapping.to_supporter(found))
    return [mapping.to_complaint(row, trails[row.id], backers[row.id]) for row in rows]


class SqlComplaintRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        # complaint id -> how many of its audit entries are stored (as of load/add/save)
        self._stored_audit: dict[int, int] = {}
        # complaint id -> its supporters as stored (as of load/add/save)
        self._stored_supporters: dict[int, list[Supporter]] = {}

    async def add(self, complaint: Complaint) -> None:
        """Insert the complaint and its audit entries; sets ``complaint.id``.

        A code some complaint already has raises ``DuplicateCode`` and writes nothing; the
        transaction is still usable then (a new code can be tried)."""
        if complaint.id is not None:
            raise ValueError(f"complaint {complaint.code} is already stored")
        new_id = (await self._conn.execute(_insert_complaint(self._conn), mapping.complaint_values(complaint))).scalar()
        if new_id is None:
            raise DuplicateCode(complaint.code)
        await self._append_audit(new_id, complaint.audit)
        await self._write_supporters(new_id, complaint.supporters)
        complaint.id = new_id
        self._stored_audit[new_id] = len(complaint.audit)
        self._stored_supporters[new_id] = _snapshot(complaint.supporters)

    async def save(self, complaint: Complaint) -> None:
        """Update the row and append the audit entries added since load/add/save."""
        if complaint.id is None:
            raise ValueError(f"complaint {complaint.code} was never added")
        result = await self._conn.execute(_UPDATE_COMPLAINT, _update_params(complaint))
        if result.rowcount != 1:
            raise NotFound(code=complaint.code)
        await self._append_new_audit([complaint])
        await self._sync_supporters(complaint)

    async def save_many(self, batch: Sequence[Complaint]) -> None:
        """``save`` for a batch (e.g. what a sweep claimed): one executemany UPDATE and one
        INSERT of the new audit entries, instead of statements per complaint."""
        if len(batch) <= 1:
            for complaint in batch:
                await self.save(complaint)
            return
        if any(c.id is None for c in batch):
            raise ValueError("every complaint of the batch must have been added")
        await self._conn.execute(_UPDATE_COMPLAINT, [_update_params(c) for c in batch])
        await self._append_new_audit(batch)
        for complaint in batch:
            await self._sync_supporters(complaint)

    async def _sync_supporters(self, complaint: Complaint) -> None:
        """Rewrite the complaint's supporters when they changed since load/add/save (rare:
        nothing is written otherwise)."""
        assert complaint.id is not None
        if self._stored_supporters.get(complaint.id) == complaint.supporters:
            return
        if complaint.id in self._stored_supporters or complaint.supporters:
            await self._conn.execute(delete(complaint_supporters).where(
                complaint_supporters.c.complaint_id == complaint.id))
            await self._write_supporters(complaint.id, complaint.supporters)
        self._stored_supporters[complaint.id] = _snapshot(complaint.supporters)

    async def _write_supporters(self, complaint_id: int, supporters: Sequence[Supporter]) -> None:
        if supporters:
            await self._conn.execute(complaint_supporters.insert(),
                                     [mapping.supporter_values(complaint_id, s) for s in supporters])

    async def _append_new_audit(self, batch: Sequence[Complaint]) -> None:
        """Insert the audit entries appended since each complaint was loaded or saved."""
        rows = []
        for complaint in batch:
            assert complaint.id is not None
            stored = self._stored_audit.get(complaint.id)
            if stored is None:  # loaded in another unit of work: ask the database
                count = select(func.count()).where(complaint_events.c.complaint_id == complaint.id)
                stored = (await self._conn.execute(count)).scalar_one()
            if len(complaint.audit) < stored:
                raise ValueError(f"audit trail of {complaint.code} is append-only; entries were removed")
            rows += [mapping.event_values(complaint.id, e) for e in complaint.audit[stored:]]
            self._stored_audit[complaint.id] = len(complaint.audit)
        if rows:
            await self._conn.execute(_INSERT_EVENT, rows)

    async def get(self, code: str, *, for_update: bool = False) -> Complaint | None:
        row = (await self._conn.execute(_GET_FOR_UPDATE if for_update else _GET, {"code": code})).one_or_none()
        if row is None:
            return None
        return (await self._hydrate([row]))[0]

    async def list_by_sender(self, channel: str, sender: str, limit: int = 10,
                             statuses: frozenset[Status] | None = None) -> list[Complaint]:
        params: dict[str, Any] = {"channel": channel, "sender": sender, "limit": limit}
        if statuses is not None:
            params["statuses"] = sorted(str(s) for s in statuses)
        rows = (await self._conn.execute(_BY_SENDER if statuses is None else _BY_SENDER_IN, params)).all()
        return await self._hydrate(rows)

    async def list_supported(self, channel: str, sender: str, limit: int = 10) -> list[Complaint]:
        backed = select(complaint_supporters.c.complaint_id).where(
            complaint_supporters.c.channel == channel, complaint_supporters.c.sender == sender)
        return await self._newest_first(select(complaints).where(complaints.c.id.in_(backed)), limit)

    async def similar_candidates(self, query: SimilarQuery) -> list[Candidate]:
        """Index range scans, one per way of being at the same place (a UNION when both),
        with statements built once."""
        params: dict[str, Any] = {"category": str(query.category), "since": query.since, "limit": query.limit,
                                  "region": query.region_code}
        if query.box is not None:
            box = query.box
            params.update(south=box.south, north=box.north, west=box.west, east=box.east)
        if query.region_code is None and query.box is None:
            return []
        stmt = _similar_statement(query.region_code is not None, query.box is not None, query.statuses)
        rows = (await self._conn.execute(stmt, params)).all()
        return [Candidate(r.code, r.description, r.place_detail, f"{r.channel}:{r.sender}", r.created_at,
                          r.region_code, r.latitude, r.longitude) for r in rows]

    async def find(
        self, *, status: Status | None = None, unit_id: str | None = None, limit: int = 50,
        statuses: frozenset[Status] | None = None, scope: Scope | None = None,
    ) -> list[Complaint]:
        stmt = select(complaints)
        if status is not None:
            stmt = stmt.where(complaints.c.status == str(status))
        if statuses is not None:
            stmt = stmt.where(complaints.c.status.in_(sorted(str(s) for s in statuses)))
        if unit_id is not None:
            stmt = stmt.where(complaints.c.unit_id == unit_id)
        if scope is not None:
            stmt = stmt.where(in_scope(scope))
        return await self._newest_first(stmt, limit)

    async def claim_due(self, now: datetime, limit: int = 200) -> list[Complaint]:
        """Complaints whose ``next_escalation_at`` is at or before ``now``, oldest first
        (ties by id), locked until the transaction ends. PostgreSQL skips rows another
        sweep holds; SQLite has one writer at a time anyway. The caller advances or clears
        ``next_escalation_at`` and saves, or the rows are due again after the commit.

        Served by the partial index on (next_escalation_at, id): rows with no next
        escalation are not in it, and the range scan stops after ``limit`` rows."""
        if limit <= 0:
            return []
        stmt = (
            select(complaints)
            .where(complaints.c.next_escalation_at <= now)
            .order_by(complaints.c.next_escalation_at, complaints.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = (await self._conn.execute(stmt)).all()
        return await self._hydrate(rows)

    async def open_summary(
        self, unit_id: str, now: datetime, soon_until: datetime, statuses: frozenset[Status] = OPEN
    ) -> UnitSummary:
        """One aggregate query grouped by assignee; the totals are the sums of the groups. A
        deadline counts only while its clock runs (``running_due_at``): a case waiting for
        the complainant is open, never overdue."""
        due_at = complaints.c.running_due_at
        overdue = func.count(case((due_at < now, 1)))
        due_soon = func.count(case(((due_at >= now) & (due_at < soon_until), 1)))
        stmt = (
            select(complaints.c.assignee, func.count().label("open"), overdue.label("overdue"), due_soon.label("soon"))
            .where(complaints.c.unit_id == unit_id, complaints.c.status.in_(sorted(str(s) for s in statuses)))
            .group_by(complaints.c.assignee)
        )
        groups = (await self._conn.execute(stmt)).all()
        return UnitSummary(
            open=sum(g.open for g in groups),
            due_soon=sum(g.soon for g in groups),
            overdue=sum(g.overdue for g in groups),
            by_assignee={g.assignee: (g.open, g.overdue) for g in groups},
        )

    async def _newest_first(self, stmt: Any, limit: int) -> list[Complaint]:
        stmt = stmt.order_by(*_NEWEST_FIRST).limit(limit)
        rows = (await self._conn.execute(stmt)).all()
        return await self._hydrate(rows)

    async def _hydrate(self, rows: Sequence[Row[Any]]) -> list[Complaint]:
        result = await hydrate(self._conn, rows)
        for row, complaint in zip(rows, result, strict=True):
            self._stored_audit[row.id] = len(complaint.audit)
            self._stored_supporters[row.id] = _snapshot(complaint.supporters)
        return result

    async def _append_audit(self, complaint_id: int, entries: Sequence[AuditEntry]) -> None:
        if entries:
            values = [mapping.event_values(complaint_id, e) for e in entries]
            await self._conn.execute(_INSERT_EVENT, values)




@lru_cache(maxsize=16)
def _similar_statement(by_region: bool, by_box: bool, statuses: frozenset[Status]) -> Any:
    """The candidates' query, built once per shape: newest first, at most :limit; the
    statuses (the open ones) written into it."""
    c = complaints.c
    columns = (c.id, c.code, c.description, c.place_detail, c.channel, c.sender, c.created_at, c.region_code,
               c.latitude, c.longitude)
    common = (c.category == bindparam("category"), c.created_at >= bindparam("since"),
              c.status.in_(sorted(str(s) for s in statuses)))
    parts = []
    if by_region:
        parts.append(select(*columns).where(*common, c.region_code == bindparam("region")))
    if by_box:
        parts.append(select(*columns).where(*common, c.latitude.between(bindparam("south"), bindparam("north")),
                                            c.longitude.between(bindparam("west"), bindparam("east"))))
    if len(parts) == 1:
        return parts[0].order_by(c.created_at.desc(), c.id.desc()).limit(bindparam("limit"))
    both = union(*parts).subquery()
    return select(both).order_by(both.c.created_at.desc(), both.c.id.desc()).limit(bindparam("limit"))


def _snapshot(supporters: Sequence[Supporter]) -> list[Supporter]:
    return [replace(s) for s in supporters]


# The port holds: mypy checks this assignment structurally against complaints.ports
# (`make lint`), so the repository cannot drift from its protocol.
_COMPLAINTS: type[ComplaintRepository] = SqlComplaintRepository

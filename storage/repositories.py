"""SQL implementations of the repositories in ``complaints.ports``.

Each repository works on the unit of work's ``AsyncConnection``; nothing here commits.
``FOR UPDATE`` / ``SKIP LOCKED`` are rendered on PostgreSQL only; on SQLite every
transaction holds the write lock from its start (see ``storage.database``), which gives
the same exclusion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Table,
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
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from complaints.errors import NotFound
from complaints.model import AuditEntry, Complaint
from complaints.notifications import Notification
from complaints.ports import (
    ComplaintRepository,
    DialogRecord,
    DialogRepository,
    DuplicateCode,
    FailedOutboxItem,
    InboxRepository,
    JsonObject,
    OutboxItem,
    OutboxRepository,
    UnitSummary,
)
from complaints.taxonomy import Status
from complaints.visibility import Scope
from complaints.workflow import OPEN

from . import mapping
from .tables import complaint_events, complaints, dialog_states, inbound_updates, outbox

MAX_ERROR_LENGTH = 2000

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


def _insert(conn: AsyncConnection, table: Table) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT."""
    if conn.dialect.name == "postgresql":
        return pg_insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite_insert(table)
    raise NotImplementedError(f"unsupported dialect: {conn.dialect.name}")


_DIALECT_STATEMENTS: dict[tuple[str, str], Any] = {}


def _per_dialect(conn: AsyncConnection, name: str, build: Callable[[AsyncConnection], Any]) -> Any:
    """A statement built once per dialect and reused with new parameters: building one
    (and its cache key) per call cost more than running it (see benchmarks/pipeline.py)."""
    key = (conn.dialect.name, name)
    if key not in _DIALECT_STATEMENTS:
        _DIALECT_STATEMENTS[key] = build(conn)
    return _DIALECT_STATEMENTS[key]


def _upsert_dialog(conn: AsyncConnection) -> Any:
    stmt = _insert(conn, dialog_states)
    return stmt.on_conflict_do_update(
        index_elements=[dialog_states.c.channel, dialog_states.c.sender],
        set_={"state": stmt.excluded.state, "updated_at": stmt.excluded.updated_at},
    )


def _record_update(conn: AsyncConnection) -> Any:
    stmt = _insert(conn, inbound_updates)
    stmt = stmt.on_conflict_do_nothing(index_elements=[inbound_updates.c.channel, inbound_updates.c.update_id])
    return stmt.returning(inbound_updates.c.update_id)


def _record_and_count(conn: AsyncConnection) -> Any:
    """The dedupe insert returning, in the same round trip, the sender's other deliveries
    since a moment (the flood count; bind names apart from the inserted columns')."""
    others = select(func.count()).where(
        inbound_updates.c.channel == bindparam("count_channel"),
        inbound_updates.c.sender == bindparam("count_sender"),
        inbound_updates.c.received_at > bindparam("count_since"),
        inbound_updates.c.update_id != bindparam("count_update_id"),
    ).scalar_subquery()
    stmt = _insert(conn, inbound_updates)
    stmt = stmt.on_conflict_do_nothing(index_elements=[inbound_updates.c.channel, inbound_updates.c.update_id])
    return stmt.returning(others)


_INSERT_COMPLAINT = complaints.insert().returning(complaints.c.id)
_CODE_EXISTS = select(complaints.c.id).where(complaints.c.code == bindparam("code"))
_DIALOG_OF = (dialog_states.c.channel == bindparam("channel")) & (dialog_states.c.sender == bindparam("sender"))
_GET_DIALOG = select(dialog_states.c.state, dialog_states.c.updated_at).where(_DIALOG_OF)
_GET_DIALOG_FOR_UPDATE = _GET_DIALOG.with_for_update()
_DELETE_DIALOG = delete(dialog_states).where(_DIALOG_OF)


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


async def hydrate(conn: AsyncConnection, rows: Sequence[Row[Any]]) -> list[Complaint]:
    """Complaints rows with their audit trails (one query for all of them)."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    stmt = select(complaint_events).where(complaint_events.c.complaint_id.in_(ids)).order_by(complaint_events.c.id)
    trails: dict[int, list[AuditEntry]] = defaultdict(list)
    for event in (await conn.execute(stmt)).all():
        trails[event.complaint_id].append(mapping.to_audit_entry(event))
    return [mapping.to_complaint(row, trails[row.id]) for row in rows]


class SqlComplaintRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        # complaint id -> how many of its audit entries are stored (as of load/add/save)
        self._stored_audit: dict[int, int] = {}

    async def add(self, complaint: Complaint) -> None:
        """Insert the complaint and its audit entries; sets ``complaint.id``.

        Runs in a savepoint, so after ``DuplicateCode`` the transaction is still usable
        (a new code can be tried)."""
        if complaint.id is not None:
            raise ValueError(f"complaint {complaint.code} is already stored")
        try:
            async with self._conn.begin_nested():
                new_id = (await self._conn.execute(_INSERT_COMPLAINT, mapping.complaint_values(complaint))).scalar_one()
                await self._append_audit(new_id, complaint.audit)
        except IntegrityError:
            if await self.code_exists(complaint.code):
                raise DuplicateCode(complaint.code) from None
            raise
        complaint.id = new_id
        self._stored_audit[new_id] = len(complaint.audit)

    async def save(self, complaint: Complaint) -> None:
        """Update the row and append the audit entries added since load/add/save."""
        if complaint.id is None:
            raise ValueError(f"complaint {complaint.code} was never added")
        result = await self._conn.execute(_UPDATE_COMPLAINT, _update_params(complaint))
        if result.rowcount != 1:
            raise NotFound(code=complaint.code)
        await self._append_new_audit([complaint])

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
        stmt = select(complaints).where(complaints.c.code == code)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self._conn.execute(stmt)).one_or_none()
        if row is None:
            return None
        return (await self._hydrate([row]))[0]

    async def code_exists(self, code: str) -> bool:
        return (await self._conn.execute(_CODE_EXISTS, {"code": code})).first() is not None

    async def list_by_sender(self, channel: str, sender: str, limit: int = 10) -> list[Complaint]:
        stmt = select(complaints).where(complaints.c.channel == channel, complaints.c.sender == sender)
        return await self._newest_first(stmt, limit)

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
        """One aggregate query grouped by assignee; the totals are the sums of the groups."""
        due_at = complaints.c.due_at
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
        stmt = stmt.order_by(complaints.c.created_at.desc(), complaints.c.id.desc()).limit(limit)
        rows = (await self._conn.execute(stmt)).all()
        return await self._hydrate(rows)

    async def _hydrate(self, rows: Sequence[Row[Any]]) -> list[Complaint]:
        result = await hydrate(self._conn, rows)
        for row, complaint in zip(rows, result, strict=True):
            self._stored_audit[row.id] = len(complaint.audit)
        return result

    async def _append_audit(self, complaint_id: int, entries: Sequence[AuditEntry]) -> None:
        if entries:
            values = [mapping.event_values(complaint_id, e) for e in entries]
            await self._conn.execute(_INSERT_EVENT, values)


_QUEUE_STATEMENTS: dict[str, Any] = {}


def _queue_statement(conn: AsyncConnection) -> Any:
    """INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id, built once per dialect."""
    name = conn.dialect.name
    if name not in _QUEUE_STATEMENTS:
        stmt = _insert(conn, outbox).on_conflict_do_nothing(index_elements=[outbox.c.key])
        _QUEUE_STATEMENTS[name] = stmt.returning(outbox.c.id)
    return _QUEUE_STATEMENTS[name]


class SqlOutboxRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, notification: Notification, now: datetime, not_before: datetime | None = None) -> bool:
        """Queue it, due at ``not_before`` (default: ``now``); False, and nothing
        written, when its key was queued before."""
        params = {
            **mapping.notification_values(notification),
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now if not_before is None else not_before,
            "created_at": now,
            "updated_at": now,
        }
        return (await self._conn.execute(_queue_statement(self._conn), params)).first() is not None

    async def claim(
        self, channels: set[str] | None, now: datetime, limit: int = 100, lease_seconds: int = 60
    ) -> list[OutboxItem]:
        if channels is not None and not channels:
            return []
        due = (
            select(outbox.c.id)
            .where(
                outbox.c.status == "pending",
                outbox.c.next_attempt_at <= now,
                or_(outbox.c.lease_until.is_(None), outbox.c.lease_until <= now),
            )
            .order_by(outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if channels is not None:
            due = due.filter(outbox.c.channel.in_(sorted(channels)))
        ids = (await self._conn.execute(due)).scalars().all()
        if not ids:
            return []
        lease = (
            update(outbox)
            .where(outbox.c.id.in_(ids))
            .values(lease_until=now + timedelta(seconds=lease_seconds), attempts=outbox.c.attempts + 1, updated_at=now)
            .returning(*outbox.c)
        )
        rows = (await self._conn.execute(lease)).all()
        return [mapping.to_outbox_item(row) for row in sorted(rows, key=lambda r: r.id)]

    async def mark_sent(self, item_id: int, now: datetime) -> None:
        await self._update(item_id, status="sent", sent_at=now, lease_until=None, updated_at=now)

    async def mark_failed(self, item_id: int, now: datetime, error: str, retry_at: datetime | None) -> None:
        error = error[:MAX_ERROR_LENGTH]
        if retry_at is None:
            await self._update(item_id, status="failed", lease_until=None, last_error=error, updated_at=now)
        else:
            await self._update(
                item_id, status="pending", next_attempt_at=retry_at, lease_until=None, last_error=error, updated_at=now
            )

    async def requeue(self, item_id: int, now: datetime) -> bool:
        """Put a failed item back in the queue, due at ``now`` (an admin's retry)."""
        stmt = (
            update(outbox)
            .where(outbox.c.id == item_id, outbox.c.status == "failed")
            .values(status="pending", next_attempt_at=now, lease_until=None, updated_at=now)
        )
        return (await self._conn.execute(stmt)).rowcount == 1

    async def pending_count(self) -> int:
        stmt = select(func.count()).select_from(outbox).where(outbox.c.status == "pending")
        return (await self._conn.execute(stmt)).scalar_one()

    async def failed(self, limit: int = 50) -> list[FailedOutboxItem]:
        """Items given up on, most recently failed first."""
        stmt = (
            select(outbox)
            .where(outbox.c.status == "failed")
            .order_by(outbox.c.updated_at.desc(), outbox.c.id.desc())
            .limit(limit)
        )
        return [
            FailedOutboxItem(
                id=row.id,
                notification=mapping.to_notification(row),
                attempts=row.attempts,
                created_at=row.created_at,
                last_error=row.last_error,
                failed_at=row.updated_at,
            )
            for row in (await self._conn.execute(stmt)).all()
        ]

    async def _update(self, item_id: int, **values: Any) -> None:
        await self._conn.execute(update(outbox).where(outbox.c.id == item_id).values(**values))


class SqlDialogRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get(self, channel: str, sender: str, *, for_update: bool = False) -> DialogRecord | None:
        stmt = _GET_DIALOG_FOR_UPDATE if for_update else _GET_DIALOG
        row = (await self._conn.execute(stmt, {"channel": channel, "sender": sender})).one_or_none()
        return None if row is None else DialogRecord(state=row.state, updated_at=row.updated_at)

    async def put(self, channel: str, sender: str, state: JsonObject, now: datetime) -> None:
        params = {"channel": channel, "sender": sender, "state": state, "updated_at": now}
        await self._conn.execute(_per_dialect(self._conn, "upsert_dialog", _upsert_dialog), params)

    async def delete(self, channel: str, sender: str) -> None:
        await self._conn.execute(_DELETE_DIALOG, {"channel": channel, "sender": sender})


class SqlInboxRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def first_time(self, channel: str, update_id: str, sender: str, now: datetime) -> bool:
        params = {"channel": channel, "update_id": update_id, "sender": sender, "received_at": now}
        stmt = _per_dialect(self._conn, "record_update", _record_update)
        return (await self._conn.execute(stmt, params)).first() is not None

    async def record(self, channel: str, update_id: str, sender: str, now: datetime, since: datetime) -> int | None:
        params = {"channel": channel, "update_id": update_id, "sender": sender, "received_at": now,
                  "count_channel": channel, "count_sender": sender, "count_since": since,
                  "count_update_id": update_id}
        stmt = _per_dialect(self._conn, "record_and_count", _record_and_count)
        others = (await self._conn.execute(stmt, params)).scalar()
        return None if others is None else others + 1

    async def last_inbound(self, channel: str, sender: str) -> datetime | None:
        stmt = select(func.max(inbound_updates.c.received_at)).where(
            inbound_updates.c.channel == channel, inbound_updates.c.sender == sender
        )
        last: datetime | None = (await self._conn.execute(stmt)).scalar_one_or_none()
        return last


# The ports hold: mypy checks these assignments structurally against complaints.ports
# (`make lint`), so a repository that drifts from its protocol fails the lint.
_COMPLAINTS: type[ComplaintRepository] = SqlComplaintRepository
_OUTBOX: type[OutboxRepository] = SqlOutboxRepository
_DIALOGS: type[DialogRepository] = SqlDialogRepository
_INBOX: type[InboxRepository] = SqlInboxRepository

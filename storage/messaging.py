"""SQL implementations of the messaging repositories in ``complaints.ports``: the outbox,
the dialog states and the inbound-update log (deduplication and flood counts).

Like ``storage.repositories``, each works on the unit of work's ``AsyncConnection`` and
nothing here commits. Statements that need the dialect's ``ON CONFLICT`` are built once
per dialect and reused; the two every message runs (the arrival, the dialog write) are
sent straight to the driver (``storage.direct``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, or_, select, true, update
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from complaints.delivery import DeliveryError, DeliveryStatus
from complaints.notifications import Notification
from complaints.ports import (
    Arrival,
    DialogRecord,
    DialogRepository,
    FailedOutboxItem,
    InboxRepository,
    JsonObject,
    OutboxItem,
    OutboxRepository,
)

from . import mapping
from .database import dialect_insert
from .direct import DirectStatement
from .tables import dialog_states, inbound_updates, outbox

MAX_ERROR_LENGTH = 2000


_DIALECT_STATEMENTS: dict[tuple[str, str], Any] = {}


def _per_dialect(conn: AsyncConnection, name: str, build: Callable[[AsyncConnection], Any]) -> Any:
    """A statement built once per dialect and reused with new parameters: building one
    (and its cache key) per call cost more than running it (see benchmarks/pipeline.py)."""
    key = (conn.dialect.name, name)
    if key not in _DIALECT_STATEMENTS:
        _DIALECT_STATEMENTS[key] = build(conn)
    return _DIALECT_STATEMENTS[key]


def _upsert_dialog(dialect: Dialect) -> Any:
    stmt = dialect_insert(dialect, dialog_states)
    return stmt.on_conflict_do_update(
        index_elements=[dialog_states.c.channel, dialog_states.c.sender],
        set_={"state": stmt.excluded.state, "updated_at": stmt.excluded.updated_at},
    )


def _record_update(conn: AsyncConnection) -> Any:
    stmt = dialect_insert(conn, inbound_updates)
    stmt = stmt.on_conflict_do_nothing(index_elements=[inbound_updates.c.channel, inbound_updates.c.update_id])
    return stmt.returning(inbound_updates.c.update_id)


def _arrive(dialect: Dialect) -> Any:
    """The dedupe insert returning, in the same statement, the sender's other deliveries
    since a moment (the flood count) and their dialog: no row when the delivery was
    recorded before. SQLite: subqueries in RETURNING (the write lock is already held).
    PostgreSQL: the insert in a CTE, the dialog read ``FOR UPDATE`` in another, as
    ``DialogRepository.get(for_update=True)`` would."""
    others = select(func.count()).where(
        inbound_updates.c.channel == bindparam("channel"),
        inbound_updates.c.sender == bindparam("sender"),
        inbound_updates.c.received_at > bindparam("since", type_=inbound_updates.c.received_at.type),
        inbound_updates.c.update_id != bindparam("update_id"),
    ).scalar_subquery()
    stmt = dialect_insert(dialect, inbound_updates).values(
        channel=bindparam("channel"), update_id=bindparam("update_id"), sender=bindparam("sender"),
        received_at=bindparam("received_at", type_=inbound_updates.c.received_at.type),
    ).on_conflict_do_nothing(index_elements=[inbound_updates.c.channel, inbound_updates.c.update_id])
    if dialect.name == "sqlite":
        state = select(dialog_states.c.state).where(_DIALOG_OF).scalar_subquery()
        updated_at = select(dialog_states.c.updated_at).where(_DIALOG_OF).scalar_subquery()
        return stmt.returning(others.label("others"), state.label("state"), updated_at.label("updated_at"))
    arrival = stmt.returning(inbound_updates.c.update_id).cte("arrival")
    dialog = _GET_DIALOG_FOR_UPDATE.cte("dialog")
    return select(others.label("others"), dialog.c.state, dialog.c.updated_at).select_from(
        arrival.outerjoin(dialog, true()))


_DIALOG_OF = (dialog_states.c.channel == bindparam("channel")) & (dialog_states.c.sender == bindparam("sender"))
_GET_DIALOG = select(dialog_states.c.state, dialog_states.c.updated_at).where(_DIALOG_OF)
_GET_DIALOG_FOR_UPDATE = _GET_DIALOG.with_for_update()
_DELETE_DIALOG = delete(dialog_states).where(_DIALOG_OF)
# every message runs these two: straight to the driver (storage/direct.py)
_ARRIVE = DirectStatement(_arrive)
_UPSERT_DIALOG = DirectStatement(_upsert_dialog)


_QUEUE_STATEMENTS: dict[str, Any] = {}
_QUEUED = select(outbox.c.key).where(outbox.c.key.in_(bindparam("keys", expanding=True)))


def _queue_statement(conn: AsyncConnection) -> Any:
    """INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id, built once per dialect."""
    name = conn.dialect.name
    if name not in _QUEUE_STATEMENTS:
        stmt = dialect_insert(conn, outbox).on_conflict_do_nothing(index_elements=[outbox.c.key])
        _QUEUE_STATEMENTS[name] = stmt.returning(outbox.c.id)
    return _QUEUE_STATEMENTS[name]


def _failure_values(failure: DeliveryError | None) -> dict[str, Any]:
    if failure is None:
        return {}
    return {"error_code": failure.code[:32] or None, "error_title": failure.title[:255] or None}


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

    async def queued(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        return set((await self._conn.execute(_QUEUED, {"keys": list(keys)})).scalars())

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

    async def mark_sent(self, item_id: int, now: datetime, message_id: str | None = None) -> None:
        await self._update(item_id, status="sent", sent_at=now, lease_until=None, updated_at=now,
                           message_id=message_id or None, delivery_status=DeliveryStatus.SENT.value, delivery_at=now)

    async def mark_failed(
        self, item_id: int, now: datetime, error: str, retry_at: datetime | None, failure: DeliveryError | None = None
    ) -> None:
        error = error[:MAX_ERROR_LENGTH]
        facts = _failure_values(failure)
        if retry_at is None:
            if failure is not None:
                facts |= {"delivery_status": DeliveryStatus.FAILED.value, "delivery_at": now}
            await self._update(item_id, status="failed", lease_until=None, last_error=error, updated_at=now, **facts)
        else:
            await self._update(item_id, status="pending", next_attempt_at=retry_at, lease_until=None,
                               last_error=error, updated_at=now, **facts)

    async def by_message_id(self, channel: str, message_id: str) -> OutboxItem | None:
        stmt = select(outbox).where(outbox.c.channel == channel, outbox.c.message_id == message_id)
        row = (await self._conn.execute(stmt.order_by(outbox.c.id.desc()).limit(1))).first()
        return None if row is None else mapping.to_outbox_item(row)

    async def record_delivery(
        self, item_id: int, status: DeliveryStatus, at: datetime, failure: DeliveryError | None = None
    ) -> None:
        await self._update(item_id, delivery_status=status.value, delivery_at=at, **_failure_values(failure))

    async def resend(
        self, item_id: int, now: datetime, retry_at: datetime, failure: DeliveryError, *, as_template: bool = False
    ) -> None:
        values: dict[str, Any] = {"as_template": True} if as_template else {}
        await self._update(item_id, status="pending", next_attempt_at=retry_at, lease_until=None,
                           last_error=failure.reason[:MAX_ERROR_LENGTH], updated_at=now,
                           **_failure_values(failure), **values)

    async def latest_to(self, complaint_code: str, chats: Sequence[tuple[str, str]]) -> OutboxItem | None:
        if not chats:
            return None
        to_any = or_(*((outbox.c.channel == channel) & (outbox.c.recipient == recipient) for channel, recipient in chats))
        stmt = select(outbox).where(outbox.c.complaint_code == complaint_code, to_any)
        row = (await self._conn.execute(stmt.order_by(outbox.c.id.desc()).limit(1))).first()
        return None if row is None else mapping.to_outbox_item(row)

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

    async def failed(self, limit: int = 50, until: datetime | None = None) -> list[FailedOutboxItem]:
        """Items given up on, most recently failed first (``until``: failed by then)."""
        stmt = (
            select(outbox)
            .where(outbox.c.status == "failed")
            .order_by(outbox.c.updated_at.desc(), outbox.c.id.desc())
            .limit(limit)
        )
        if until is not None:
            stmt = stmt.where(outbox.c.updated_at <= until)
        return [
            FailedOutboxItem(
                id=row.id,
                notification=mapping.to_notification(row),
                attempts=row.attempts,
                created_at=row.created_at,
                last_error=row.last_error,
                failed_at=row.updated_at,
                **mapping.outbox_facts(row),
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
        await _UPSERT_DIALOG.rows(self._conn, params)

    async def delete(self, channel: str, sender: str) -> None:
        await self._conn.execute(_DELETE_DIALOG, {"channel": channel, "sender": sender})


class SqlInboxRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def first_time(self, channel: str, update_id: str, sender: str, now: datetime) -> bool:
        params = {"channel": channel, "update_id": update_id, "sender": sender, "received_at": now}
        stmt = _per_dialect(self._conn, "record_update", _record_update)
        return (await self._conn.execute(stmt, params)).first() is not None

    async def arrive(self, channel: str, update_id: str, sender: str, now: datetime,
                     since: datetime) -> Arrival | None:
        params = {"channel": channel, "update_id": update_id, "sender": sender, "received_at": now, "since": since}
        rows = await _ARRIVE.rows(self._conn, params)
        if not rows:
            return None
        others, state, updated_at = rows[0]
        dialog = None if state is None else DialogRecord(state=state, updated_at=updated_at)
        return Arrival(recent=others + 1, dialog=dialog)

    async def seen(self, channel: str, update_id: str) -> bool:
        stmt = select(inbound_updates.c.update_id).where(
            inbound_updates.c.channel == channel, inbound_updates.c.update_id == update_id
        )
        return (await self._conn.execute(stmt)).first() is not None

    async def last_inbound(self, channel: str, sender: str) -> datetime | None:
        stmt = select(func.max(inbound_updates.c.received_at)).where(
            inbound_updates.c.channel == channel, inbound_updates.c.sender == sender
        )
        last: datetime | None = (await self._conn.execute(stmt)).scalar_one_or_none()
        return last


# The ports hold: mypy checks these assignments structurally against complaints.ports
# (`make lint`), so a repository that drifts from its protocol fails the lint.
_OUTBOX: type[OutboxRepository] = SqlOutboxRepository
_DIALOGS: type[DialogRepository] = SqlDialogRepository
_INBOX: type[InboxRepository] = SqlInboxRepository

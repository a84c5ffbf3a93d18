"""An in-memory unit of work: the ports of ``complaints.ports`` with real behaviour and no
database, for service-layer tests that run in microseconds.

It passes the storage contract (``tests/storage/test_storage_contract.py``, backend ``memory``), and
``make lint`` proves it satisfies the protocols (the assignments at the end). Its semantics
are the SQLite adapter's:

- **one writer at a time**: a unit of work takes the store's lock at its first statement
  (SQLite: ``BEGIN IMMEDIATE``) and holds it until it commits or rolls back; another waits
  for it (at most ``lock_timeout`` seconds, then ``TimeoutError``, like SQLite's busy
  timeout: a unit of work opened inside another in one task never gets the lock);
- **isolation**: it works on its own copy of the tables, published by ``commit()``;
  ``rollback()``, or leaving the block without a commit, discards it. After either, the
  next statement begins a new transaction;
- **copies in, copies out**: a complaint handed out is a copy, changed in storage only by
  ``save``; the audit trail is append-only (entries added since are appended, stored ones
  never change); dialog states go through JSON as they do in a JSON column;
- **moments**: naive datetimes are refused (``ValueError``), aware ones stored as UTC;
- ids come from sequences that a rollback does not give back;
- ``store.available = False`` makes every unit of work raise ``StorageUnavailable`` (the
  database is down), until it is set back.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self, cast

from complaints.delivery import DeliveryError, DeliveryStatus, OutboxState
from complaints.errors import NotFound, StorageUnavailable
from complaints.model import Complaint
from complaints.notifications import Notification
from complaints.ports import (
    ApiRequestRepository,
    Arrival,
    ComplaintRepository,
    DialogRecord,
    DialogRepository,
    DuplicateCode,
    FailedOutboxItem,
    FiledMessageRepository,
    InboxRepository,
    JsonObject,
    OutboxItem,
    OutboxRepository,
    SenderRepository,
    SignInRepository,
    UnitOfWork,
    UnitSummary,
)
from complaints.signin import Credentials, LoginLink, SignInEvent, WebSession
from complaints.similarity import Candidate, SimilarQuery
from complaints.spam import BlockedSender, SenderAction, SenderEvent, SenderId, TextCopy, fingerprint
from complaints.taxonomy import Status
from complaints.visibility import Scope
from complaints.workflow import ESCALATING, OPEN

LOCK_TIMEOUT_S = 10.0  # storage.database.SQLITE_BUSY_TIMEOUT_MS
MAX_ERROR_LENGTH = 2000  # storage.messaging.MAX_ERROR_LENGTH

# --- the tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxRow:
    id: int
    notification: Notification
    status: str  # pending | sent | failed
    attempts: int
    next_attempt_at: datetime
    lease_until: datetime | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None = None
    last_error: str | None = None
    message_id: str | None = None
    delivery: DeliveryStatus | None = None
    delivery_at: datetime | None = None
    error_code: str | None = None
    error_title: str | None = None

    def item(self) -> OutboxItem:
        return OutboxItem(self.id, self.notification, self.attempts, self.created_at, **self.facts())

    def facts(self) -> dict[str, Any]:
        return {"state": OutboxState(self.status), "message_id": self.message_id, "delivery": self.delivery,
                "delivery_at": self.delivery_at, "error_code": self.error_code, "error_title": self.error_title,
                "updated_at": self.updated_at}


def _failure_values(failure: DeliveryError | None) -> dict[str, Any]:
    if failure is None:
        return {}
    return {"error_code": failure.code[:32] or None, "error_title": failure.title[:255] or None}


@dataclass(frozen=True)
class Delivery:
    channel: str
    update_id: str
    sender: str
    received_at: datetime


@dataclass(frozen=True)
class FiledMessage:
    code: str
    filed_at: datetime


@dataclass(frozen=True)
class ApiRequest:
    code: str
    created_at: datetime


@dataclass
class Tables:
    """One state of the store. Values are never changed in place (a write puts a new one),
    so a transaction's copy of the dicts is enough to isolate it."""

    complaints: dict[int, Complaint] = field(default_factory=dict)  # id -> stored copy
    codes: dict[str, int] = field(default_factory=dict)
    outbox: dict[int, OutboxRow] = field(default_factory=dict)
    outbox_keys: dict[str, int] = field(default_factory=dict)
    dialogs: dict[tuple[str, str], DialogRecord] = field(default_factory=dict)
    inbox: dict[tuple[str, str], Delivery] = field(default_factory=dict)  # (channel, update_id)
    blocked: dict[SenderId, BlockedSender] = field(default_factory=dict)
    sender_events: list[SenderEvent] = field(default_factory=list)  # in the order written
    login_links: dict[str, LoginLink] = field(default_factory=dict)
    credentials: dict[str, Credentials] = field(default_factory=dict)
    sessions: dict[str, WebSession] = field(default_factory=dict)
    signin_events: list[SignInEvent] = field(default_factory=list)
    filed_messages: dict[tuple[str, str, str], FiledMessage] = field(default_factory=dict)  # (channel, sender, ref)
    api_requests: dict[tuple[str, str], ApiRequest] = field(default_factory=dict)  # (sender, digest)

    def copy(self) -> Tables:
        return Tables(dict(self.complaints), dict(self.codes), dict(self.outbox), dict(self.outbox_keys),
                      dict(self.dialogs), dict(self.inbox), dict(self.blocked), list(self.sender_events),
                      dict(self.login_links), dict(self.credentials), dict(self.sessions),
                      list(self.signin_events), filed_messages=dict(self.filed_messages),
                      api_requests=dict(self.api_requests))


class MemoryStore:
    """The "database": committed tables, sequences and the writer's lock. ``store.uow`` is
    a unit-of-work factory (``Callable[[], UnitOfWork]``)."""

    def __init__(self, *, lock_timeout: float = LOCK_TIMEOUT_S) -> None:
        self.tables = Tables()
        self.available = True
        self.lock_timeout = lock_timeout
        self._lock = asyncio.Lock()
        self._sequences: dict[str, Iterator[int]] = {}

    def uow(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)

    def next_id(self, table: str) -> int:
        return next(self._sequences.setdefault(table, itertools.count(1)))

    async def acquire(self) -> None:
        try:
            async with asyncio.timeout(self.lock_timeout):
                await self._lock.acquire()
        except TimeoutError:
            raise TimeoutError(
                f"the in-memory store stayed locked for {self.lock_timeout} s by another unit of work "
                "(one opened inside another in the same task waits for ever)"
            ) from None

    def release(self) -> None:
        self._lock.release()


# --- the unit of work -------------------------------------------------------------------------


class MemoryUnitOfWork:
    complaints: MemoryComplaintRepository
    outbox: MemoryOutboxRepository
    dialogs: MemoryDialogRepository
    inbox: MemoryInboxRepository
    senders: MemorySenderRepository
    signins: MemorySignInRepository
    filed_messages: MemoryFiledMessageRepository
    api_requests: MemoryApiRequestRepository

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._entered = False
        self._working: Tables | None = None  # the open transaction's tables
        self.complaints = MemoryComplaintRepository(self)
        self.outbox = MemoryOutboxRepository(self)
        self.dialogs = MemoryDialogRepository(self)
        self.inbox = MemoryInboxRepository(self)
        self.senders = MemorySenderRepository(self)
        self.signins = MemorySignInRepository(self)
        self.filed_messages = MemoryFiledMessageRepository(self)
        self.api_requests = MemoryApiRequestRepository(self)

    async def __aenter__(self) -> Self:
        if self._entered:
            raise RuntimeError("unit of work is already in use")
        self._check_available()
        self._entered = True
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._end()
        self._entered = False

    async def commit(self) -> None:
        self._check_entered()
        if self._working is None:
            return
        if not self._store.available:
            self._end()
            raise StorageUnavailable("the in-memory store is down")
        self._store.tables = self._working
        self._end()

    async def rollback(self) -> None:
        self._check_entered()
        self._end()

    async def tables(self) -> Tables:
        """The transaction's tables; the first statement begins it (and takes the lock)."""
        self._check_entered()
        if self._working is None:
            self._check_available()
            await self._store.acquire()
            self._working = self._store.tables.copy()
        return self._working

    def next_id(self, table: str) -> int:
        return self._store.next_id(table)

    def _end(self) -> None:
        if self._working is not None:
            self._working = None
            self._store.release()

    def _check_entered(self) -> None:
        if not self._entered:
            raise RuntimeError("unit of work used outside 'async with'")

    def _check_available(self) -> None:
        if not self._store.available:
            raise StorageUnavailable("the in-memory store is down")


# --- moments and copies -----------------------------------------------------------------------


def utc(moment: datetime) -> datetime:
    """Aware moments as UTC; naive ones refused, as ``storage.tables.UTCDateTime`` does."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime refused (pass an aware one): {moment!r}")
    return moment.astimezone(UTC)


def _with_utc_moments(value: object) -> object:
    """``value`` with every datetime in it (fields of dataclasses, items of lists, tuples
    and dicts) as UTC; dataclass instances are changed in place (callers pass copies)."""
    if isinstance(value, datetime):
        return utc(value)
    if is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            old = getattr(value, f.name)
            new = _with_utc_moments(old)
            if new is not old:
                object.__setattr__(value, f.name, new)  # frozen dataclasses too
        return value
    if isinstance(value, list):
        return [_with_utc_moments(item) for item in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_with_utc_moments(item) for item in value)
    if isinstance(value, dict):
        return {key: _with_utc_moments(item) for key, item in value.items()}
    return value


def stored_copy(complaint: Complaint) -> Complaint:
    return cast(Complaint, _with_utc_moments(copy.deepcopy(complaint)))


def loaded_copy(complaint: Complaint) -> Complaint:
    return copy.deepcopy(complaint)


def json_copy(state: JsonObject) -> JsonObject:
    """What a JSON column gives back (tuples become lists, keys strings; anything that is
    not JSON is refused with TypeError or ValueError)."""
    copied: JsonObject = json.loads(json.dumps(state))
    return copied


def _newest_first(found: Iterable[Complaint]) -> list[Complaint]:
    return sorted(found, key=lambda c: (c.created_at, c.id or 0), reverse=True)


def in_scope(scope: Scope, complaint: Complaint) -> bool:
    """``storage.repositories.in_scope`` over objects: the complaints a viewer's scope covers
    (complaints.visibility.Scope), deny by default."""
    if scope.everything:
        return True
    if scope.unit_id is not None and complaint.unit_id == scope.unit_id and complaint.disposed:
        return True
    return scope.owner is not None and (complaint.channel, complaint.sender) == scope.owner


# --- the repositories -------------------------------------------------------------------------


class MemoryComplaintRepository:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, complaint: Complaint) -> None:
        if complaint.id is not None:
            raise ValueError(f"complaint {complaint.code} is already stored")
        t = await self._uow.tables()
        stored = stored_copy(complaint)  # refuses naive moments before anything is written
        if complaint.code in t.codes:
            raise DuplicateCode(complaint.code)
        stored.id = self._uow.next_id("complaints")
        t.complaints[stored.id] = stored
        t.codes[stored.code] = stored.id
        complaint.id = stored.id

    async def save(self, complaint: Complaint) -> None:
        if complaint.id is None:
            raise ValueError(f"complaint {complaint.code} was never added")
        await self._save(await self._uow.tables(), complaint)

    async def save_many(self, batch: Sequence[Complaint]) -> None:
        if any(c.id is None for c in batch):
            raise ValueError("every complaint of the batch must have been added")
        t = await self._uow.tables()
        for complaint in batch:
            await self._save(t, complaint)

    async def _save(self, t: Tables, complaint: Complaint) -> None:
        assert complaint.id is not None
        current = t.complaints.get(complaint.id)
        if current is None:
            raise NotFound(code=complaint.code)
        stored_entries = len(current.audit)
        if len(complaint.audit) < stored_entries:
            raise ValueError(f"audit trail of {complaint.code} is append-only; entries were removed")
        stored = stored_copy(complaint)
        stored.audit = current.audit + stored.audit[stored_entries:]  # stored entries never change
        if stored.code != current.code:
            if stored.code in t.codes:
                raise DuplicateCode(stored.code)
            del t.codes[current.code]
            t.codes[stored.code] = complaint.id
        t.complaints[complaint.id] = stored

    async def get(self, code: str, *, for_update: bool = False) -> Complaint | None:
        t = await self._uow.tables()  # every transaction holds the lock: for_update is implied
        found = t.codes.get(code)
        return None if found is None else loaded_copy(t.complaints[found])

    async def list_by_sender(self, channel: str, sender: str, limit: int = 10,
                             statuses: frozenset[Status] | None = None) -> list[Complaint]:
        t = await self._uow.tables()
        found = (c for c in t.complaints.values() if c.channel == channel and c.sender == sender
                 and (statuses is None or c.status in statuses))
        return [loaded_copy(c) for c in _newest_first(found)[: max(limit, 0)]]

    async def list_supported(self, channel: str, sender: str, limit: int = 10) -> list[Complaint]:
        t = await self._uow.tables()
        found = (c for c in t.complaints.values() if c.supporter(f"{channel}:{sender}") is not None)
        return [loaded_copy(c) for c in _newest_first(found)[: max(limit, 0)]]

    async def similar_candidates(self, query: SimilarQuery) -> list[Candidate]:
        t = await self._uow.tables()
        box = query.box

        def inside(c: Complaint) -> bool:
            if c.place.region_code is not None and c.place.region_code == query.region_code:
                return True
            lat, lon = c.place.latitude, c.place.longitude
            return (box is not None and lat is not None and lon is not None
                    and box.south <= lat <= box.north and box.west <= lon <= box.east)

        found = [c for c in t.complaints.values()
                 if c.category is query.category and c.status in query.statuses and c.created_at >= query.since
                 and inside(c)]
        return [Candidate(c.code, c.description, c.place.detail, c.owner, c.created_at, c.place.region_code,
                          c.place.latitude, c.place.longitude)
                for c in _newest_first(found)[: max(query.limit, 0)]]

    async def find(
        self, *, status: Status | None = None, unit_id: str | None = None, limit: int = 50,
        statuses: frozenset[Status] | None = None, scope: Scope | None = None,
    ) -> list[Complaint]:
        t = await self._uow.tables()
        found = (
            c for c in t.complaints.values()
            if (status is None or c.status is status)
            and (statuses is None or c.status in statuses)
            and (unit_id is None or c.unit_id == unit_id)
            and (scope is None or in_scope(scope, c))
        )
        return [loaded_copy(c) for c in _newest_first(found)[: max(limit, 0)]]

    async def claim_due(self, now: datetime, limit: int = 200) -> list[Complaint]:
        now = utc(now)
        if limit <= 0:
            return []
        t = await self._uow.tables()
        due = [c for c in t.complaints.values() if c.next_escalation_at is not None and c.next_escalation_at <= now]
        due.sort(key=lambda c: (c.next_escalation_at, c.id))
        return [loaded_copy(c) for c in due[:limit]]

    async def open_summary(
        self, unit_id: str, now: datetime, soon_until: datetime, statuses: frozenset[Status] = OPEN
    ) -> UnitSummary:
        now, soon_until = utc(now), utc(soon_until)
        t = await self._uow.tables()
        groups: dict[str | None, list[int]] = {}  # assignee -> [open, overdue, due soon]
        for c in t.complaints.values():
            if c.unit_id != unit_id or c.status not in statuses:
                continue
            group = groups.setdefault(c.assignee, [0, 0, 0])
            group[0] += 1
            running = c.due_at if c.status in ESCALATING else None  # storage's running_due_at
            if running is not None and running < now:
                group[1] += 1
            elif running is not None and running < soon_until:
                group[2] += 1
        return UnitSummary(
            open=sum(g[0] for g in groups.values()),
            due_soon=sum(g[2] for g in groups.values()),
            overdue=sum(g[1] for g in groups.values()),
            by_assignee={assignee: (g[0], g[1]) for assignee, g in groups.items()},
        )


class MemoryOutboxRepository:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, notification: Notification, now: datetime, not_before: datetime | None = None) -> bool:
        now = utc(now)
        due = now if not_before is None else utc(not_before)
        t = await self._uow.tables()
        if notification.key in t.outbox_keys:
            return False
        row = OutboxRow(self._uow.next_id("outbox"), notification, "pending", 0, due, None, now, now)
        t.outbox[row.id] = row
        t.outbox_keys[notification.key] = row.id
        return True

    async def queued(self, keys: Sequence[str]) -> set[str]:
        t = await self._uow.tables()
        return {key for key in keys if key in t.outbox_keys}

    async def claim(
        self, channels: set[str] | None, now: datetime, limit: int = 100, lease_seconds: int = 60
    ) -> list[OutboxItem]:
        now = utc(now)
        if channels is not None and not channels:
            return []
        t = await self._uow.tables()
        due = sorted(
            (
                row for row in t.outbox.values()
                if row.status == "pending" and row.next_attempt_at <= now
                and (row.lease_until is None or row.lease_until <= now)
                and (channels is None or row.notification.channel in channels)
            ),
            key=lambda row: row.id,
        )[: max(limit, 0)]
        lease_until = now + timedelta(seconds=lease_seconds)
        items = []
        for row in due:
            leased = replace(row, lease_until=lease_until, attempts=row.attempts + 1, updated_at=now)
            t.outbox[row.id] = leased
            items.append(leased.item())
        return items

    async def mark_sent(self, item_id: int, now: datetime, message_id: str | None = None) -> None:
        now = utc(now)
        await self._update(item_id, lambda row: replace(row, status="sent", sent_at=now, lease_until=None,
                                                        updated_at=now, message_id=message_id or None,
                                                        delivery=DeliveryStatus.SENT, delivery_at=now))

    async def mark_failed(
        self, item_id: int, now: datetime, error: str, retry_at: datetime | None, failure: DeliveryError | None = None
    ) -> None:
        now, error = utc(now), error[:MAX_ERROR_LENGTH]
        facts = _failure_values(failure)
        if retry_at is None:
            if failure is not None:
                facts |= {"delivery": DeliveryStatus.FAILED, "delivery_at": now}
            await self._update(item_id, lambda row: replace(row, status="failed", lease_until=None, last_error=error,
                                                            updated_at=now, **facts))
        else:
            retry = utc(retry_at)
            await self._update(item_id, lambda row: replace(row, status="pending", next_attempt_at=retry,
                                                            lease_until=None, last_error=error, updated_at=now,
                                                            **facts))

    async def by_message_id(self, channel: str, message_id: str) -> OutboxItem | None:
        t = await self._uow.tables()
        rows = [row for row in t.outbox.values()
                if row.notification.channel == channel and row.message_id == message_id]
        return max(rows, key=lambda row: row.id).item() if rows else None

    async def record_delivery(
        self, item_id: int, status: DeliveryStatus, at: datetime, failure: DeliveryError | None = None
    ) -> None:
        at, facts = utc(at), _failure_values(failure)
        await self._update(item_id, lambda row: replace(row, delivery=status, delivery_at=at, **facts))

    async def resend(
        self, item_id: int, now: datetime, retry_at: datetime, failure: DeliveryError, *, as_template: bool = False
    ) -> None:
        now, retry, facts = utc(now), utc(retry_at), _failure_values(failure)

        def again(row: OutboxRow) -> OutboxRow:
            notification = replace(row.notification, as_template=True) if as_template else row.notification
            return replace(row, notification=notification, status="pending", next_attempt_at=retry, lease_until=None,
                           last_error=failure.reason[:MAX_ERROR_LENGTH], updated_at=now, **facts)

        await self._update(item_id, again)

    async def latest_to(self, complaint_code: str, chats: Sequence[tuple[str, str]]) -> OutboxItem | None:
        t, wanted = await self._uow.tables(), set(chats)
        rows = [row for row in t.outbox.values() if row.notification.complaint_code == complaint_code
                and (row.notification.channel, row.notification.recipient) in wanted]
        return max(rows, key=lambda row: row.id).item() if rows else None

    async def requeue(self, item_id: int, now: datetime) -> bool:
        now = utc(now)
        t = await self._uow.tables()
        row = t.outbox.get(item_id)
        if row is None or row.status != "failed":
            return False
        t.outbox[item_id] = replace(row, status="pending", next_attempt_at=now, lease_until=None, updated_at=now)
        return True

    async def pending_count(self) -> int:
        return sum(1 for row in (await self._uow.tables()).outbox.values() if row.status == "pending")

    async def failed(self, limit: int = 50, until: datetime | None = None) -> list[FailedOutboxItem]:
        t = await self._uow.tables()
        end = None if until is None else utc(until)
        rows = sorted((row for row in t.outbox.values()
                       if row.status == "failed" and (end is None or row.updated_at <= end)),
                      key=lambda row: (row.updated_at, row.id), reverse=True)
        return [FailedOutboxItem(row.id, row.notification, row.attempts, row.created_at, row.last_error,
                                 row.updated_at, **row.facts()) for row in rows[: max(limit, 0)]]

    async def _update(self, item_id: int, change: Callable[[OutboxRow], OutboxRow]) -> None:
        t = await self._uow.tables()
        row = t.outbox.get(item_id)
        if row is not None:  # like an UPDATE that matches nothing
            t.outbox[item_id] = change(row)


class MemoryDialogRepository:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    async def get(self, channel: str, sender: str, *, for_update: bool = False) -> DialogRecord | None:
        record = (await self._uow.tables()).dialogs.get((channel, sender))
        return None if record is None else DialogRecord(json_copy(record.state), record.updated_at)

    async def put(self, channel: str, sender: str, state: JsonObject, now: datetime) -> None:
        now = utc(now)
        t = await self._uow.tables()
        t.dialogs[(channel, sender)] = DialogRecord(json_copy(state), now)

    async def delete(self, channel: str, sender: str) -> None:
        (await self._uow.tables()).dialogs.pop((channel, sender), None)


class MemoryInboxRepository:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    async def first_time(self, channel: str, update_id: str, sender: str, now: datetime) -> bool:
        now = utc(now)
        t = await self._uow.tables()
        if (channel, update_id) in t.inbox:
            return False
        t.inbox[(channel, update_id)] = Delivery(channel, update_id, sender, now)
        return True

    async def arrive(self, channel: str, update_id: str, sender: str, now: datetime,
                     since: datetime) -> Arrival | None:
        now, since = utc(now), utc(since)
        t = await self._uow.tables()
        if (channel, update_id) in t.inbox:
            return None
        others = sum(1 for d in t.inbox.values() if d.channel == channel and d.sender == sender
                     and d.received_at > since)
        t.inbox[(channel, update_id)] = Delivery(channel, update_id, sender, now)
        return Arrival(others + 1, await MemoryDialogRepository(self._uow).get(channel, sender, for_update=True))

    async def seen(self, channel: str, update_id: str) -> bool:
        return (channel, update_id) in (await self._uow.tables()).inbox

    async def last_inbound(self, channel: str, sender: str) -> datetime | None:
        t = await self._uow.tables()
        moments = [d.received_at for d in t.inbox.values() if d.channel == channel and d.sender == sender]
        return max(moments, default=None)


class MemorySenderRepository:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    async def attempt(self, channel: str, sender: str, now: datetime) -> int | None:
        now = utc(now)
        t = await self._uow.tables()
        who = SenderId(channel, sender)
        block = t.blocked.get(who)
        if block is None:
            return None
        t.blocked[who] = replace(block, attempts=block.attempts + 1, last_attempt_at=now)
        return block.attempts + 1

    async def block(self, who: SenderId, reason: str, by: str, now: datetime) -> bool:
        now = utc(now)
        t = await self._uow.tables()
        if who in t.blocked:
            return False
        t.blocked[who] = BlockedSender(who, reason, by, now)
        t.sender_events.append(SenderEvent(who, SenderAction.BLOCKED, by, now, reason))
        return True

    async def unblock(self, who: SenderId, reason: str, by: str, now: datetime) -> bool:
        now = utc(now)
        t = await self._uow.tables()
        if t.blocked.pop(who, None) is None:
            return False
        t.sender_events.append(SenderEvent(who, SenderAction.UNBLOCKED, by, now, reason))
        return True

    async def get(self, who: SenderId) -> BlockedSender | None:
        return (await self._uow.tables()).blocked.get(who)

    async def blocked(self, limit: int = 100) -> list[BlockedSender]:
        t = await self._uow.tables()
        rows = sorted(t.blocked.values(), key=lambda b: (-b.blocked_at.timestamp(), b.who.channel, b.who.sender))
        return rows[: max(limit, 0)]

    async def history(self, who: SenderId | None = None, limit: int = 100) -> list[SenderEvent]:
        t = await self._uow.tables()
        found = [(i, e) for i, e in enumerate(t.sender_events) if who is None or e.who == who]
        found.sort(key=lambda pair: (pair[1].at, pair[0]), reverse=True)
        return [e for _, e in found[: max(limit, 0)]]

    async def remind(self, who: SenderId, now: datetime, since: datetime) -> bool:
        now, since = utc(now), utc(since)
        t = await self._uow.tables()
        if any(e.who == who and e.action is SenderAction.REMINDED and e.at > since for e in t.sender_events):
            return False
        t.sender_events.append(SenderEvent(who, SenderAction.REMINDED, "bot", now))
        return True

    async def filed_since(self, channel: str, sender: str, since: datetime) -> int:
        t = await self._uow.tables()
        return sum(1 for c in t.complaints.values()
                   if c.channel == channel and c.sender == sender and c.created_at >= since)

    async def same_text_since(self, text_fingerprint: str, since: datetime) -> list[TextCopy]:
        t = await self._uow.tables()
        found = sorted(((c.created_at, i, c) for i, c in t.complaints.items()
                        if c.created_at >= since and fingerprint(c.description) == text_fingerprint),
                       key=lambda item: (item[0], item[1]))
        return [TextCopy(c.code, SenderId(c.channel, c.sender), c.created_at) for _, _, c in found[:200]]


class MemorySignInRepository:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    async def add_link(self, link: LoginLink) -> None:
        (await self._uow.tables()).login_links[link.token_digest] = link

    async def link(self, token_digest: str) -> LoginLink | None:
        return (await self._uow.tables()).login_links.get(token_digest)

    async def use_link(self, token_digest: str, now: datetime) -> bool:
        t = await self._uow.tables()
        found = t.login_links.get(token_digest)
        if found is None or found.used_at is not None:
            return False
        t.login_links[token_digest] = replace(found, used_at=utc(now))
        return True

    async def credentials(self, officer_id: str, *, for_update: bool = False) -> Credentials | None:
        return (await self._uow.tables()).credentials.get(officer_id)

    async def put_credentials(self, credentials: Credentials, now: datetime) -> None:
        (await self._uow.tables()).credentials[credentials.officer_id] = credentials

    async def add_session(self, session: WebSession) -> None:
        (await self._uow.tables()).sessions[session.session_digest] = session

    async def session(self, session_digest: str) -> WebSession | None:
        return (await self._uow.tables()).sessions.get(session_digest)

    async def touch_session(self, session_digest: str, now: datetime) -> None:
        t = await self._uow.tables()
        if session_digest in t.sessions:
            t.sessions[session_digest] = replace(t.sessions[session_digest], last_seen_at=utc(now))

    async def end_session(self, session_digest: str, now: datetime) -> None:
        t = await self._uow.tables()
        found = t.sessions.get(session_digest)
        if found is not None and found.ended_at is None:
            t.sessions[session_digest] = replace(found, ended_at=utc(now))

    async def end_sessions(self, officer_id: str, now: datetime) -> int:
        t = await self._uow.tables()
        open_ = [s for s in t.sessions.values() if s.officer_id == officer_id and s.ended_at is None]
        for found in open_:
            t.sessions[found.session_digest] = replace(found, ended_at=utc(now))
        return len(open_)

    async def record(self, event: SignInEvent) -> None:
        (await self._uow.tables()).signin_events.append(replace(event, at=utc(event.at)))

    async def events(self, officer_id: str | None = None, limit: int = 50) -> list[SignInEvent]:
        t = await self._uow.tables()
        found = [(i, e) for i, e in enumerate(t.signin_events) if officer_id is None or e.officer_id == officer_id]
        found.sort(key=lambda pair: (pair[1].at, pair[0]), reverse=True)
        return [e for _, e in found[: max(limit, 0)]]


class MemoryFiledMessageRepository:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    async def add(self, channel: str, sender: str, refs: Sequence[str], code: str, at: datetime) -> None:
        at = utc(at)
        t = await self._uow.tables()
        for ref in set(refs):
            t.filed_messages[(channel, sender, ref)] = FiledMessage(code, at)

    async def code_of(self, channel: str, sender: str, ref: str, since: datetime) -> str | None:
        since = utc(since)
        found = (await self._uow.tables()).filed_messages.get((channel, sender, ref))
        return found.code if found is not None and found.filed_at >= since else None

    async def move(self, channel: str, old_sender: str, new_sender: str) -> int:
        if old_sender == new_sender:
            return 0
        t = await self._uow.tables()
        old = [key for key in t.filed_messages if key[0] == channel and key[1] == old_sender]
        moved = 0
        for key in old:
            row = t.filed_messages.pop(key)
            if (channel, new_sender, key[2]) not in t.filed_messages:  # else the new chat's own is kept
                t.filed_messages[(channel, new_sender, key[2])] = row
                moved += 1
        return moved

    async def prune(self, before: datetime) -> int:
        before = utc(before)
        t = await self._uow.tables()
        old = [key for key, row in t.filed_messages.items() if row.filed_at < before]
        for key in old:
            del t.filed_messages[key]
        return len(old)


class MemoryApiRequestRepository:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self._uow = uow

    async def code_of(self, sender: str, digest: str, since: datetime) -> str | None:
        since = utc(since)
        found = (await self._uow.tables()).api_requests.get((sender, digest))
        return found.code if found is not None and found.created_at >= since else None

    async def claim(self, sender: str, digest: str, code: str, now: datetime, since: datetime) -> str:
        now, since = utc(now), utc(since)
        t = await self._uow.tables()
        held = t.api_requests.get((sender, digest))
        if held is not None and held.created_at >= since:
            return held.code
        t.api_requests[(sender, digest)] = ApiRequest(code, now)
        return code

    async def prune(self, sender: str, before: datetime) -> int:
        before = utc(before)
        t = await self._uow.tables()
        old = [key for key, row in t.api_requests.items() if key[0] == sender and row.created_at < before]
        for key in old:
            del t.api_requests[key]
        return len(old)


# The fake holds to the ports: mypy checks these assignments structurally (`make lint`).
_PORT: type[UnitOfWork] = MemoryUnitOfWork
_COMPLAINTS: type[ComplaintRepository] = MemoryComplaintRepository
_OUTBOX: type[OutboxRepository] = MemoryOutboxRepository
_DIALOGS: type[DialogRepository] = MemoryDialogRepository
_INBOX: type[InboxRepository] = MemoryInboxRepository
_SENDERS: type[SenderRepository] = MemorySenderRepository
_SIGNINS: type[SignInRepository] = MemorySignInRepository
_FILED_MESSAGES: type[FiledMessageRepository] = MemoryFiledMessageRepository
_API_REQUESTS: type[ApiRequestRepository] = MemoryApiRequestRepository

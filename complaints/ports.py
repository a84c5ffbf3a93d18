"""What the domain needs from storage, as protocols; ``storage/`` implements them.

The SQL implementations (``storage.repositories``, ``storage.uow``) and the in-memory fake
(``tests/fakes/uow.py``) satisfy these structurally, and ``make lint`` proves it: mypy
checks typed assignments of both to these protocols. Queries only the HTTP surface and
the command line make (paged listings with counts, API keys, metrics, the recap) are not
here: they are SQL read models in ``storage/`` that ``aduan/`` uses directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self, TypeAlias

from .delivery import DeliveryError, DeliveryStatus, OutboxState
from .model import Complaint
from .notifications import Notification
from .signin import Credentials, LoginLink, SignInEvent, WebSession
from .similarity import Candidate, SimilarQuery
from .spam import BlockedSender, SenderEvent, SenderId, TextCopy
from .taxonomy import Status
from .visibility import Scope
from .workflow import OPEN

# What a dialog state is stored as: JSON, nothing else (the engine keeps its own typed,
# versioned form and converts at the edge).
JsonScalar: TypeAlias = str | int | float | bool | None
JsonValue: TypeAlias = JsonScalar | list["JsonValue"] | dict[str, "JsonValue"]
JsonObject: TypeAlias = dict[str, JsonValue]


class DuplicateCode(Exception):
    """The tracking code is already taken (the unique constraint said so)."""


@dataclass(frozen=True)
class OutboxItem:
    id: int
    notification: Notification
    attempts: int
    created_at: datetime
    # what became of it (complaints.delivery): the relay's state, the channel's id of the
    # message sent and its delivery status, the channel's last error
    state: OutboxState = field(default=OutboxState.PENDING, kw_only=True)
    message_id: str | None = field(default=None, kw_only=True)
    delivery: DeliveryStatus | None = field(default=None, kw_only=True)
    delivery_at: datetime | None = field(default=None, kw_only=True)
    error_code: str | None = field(default=None, kw_only=True)
    error_title: str | None = field(default=None, kw_only=True)
    updated_at: datetime | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class FailedOutboxItem(OutboxItem):
    """An outbox item the relay gave up on, for the admins."""

    last_error: str | None
    failed_at: datetime | None


@dataclass(frozen=True)
class UnitSummary:
    """Open complaints of a unit as of ``now``, for the supervisors' daily digest."""

    open: int = 0
    due_soon: int = 0  # stage deadline between now and soon_until
    soon_days: int = 2  # working days from now to soon_until
    overdue: int = 0  # stage deadline before now
    # assignee officer id (None: not taken yet) -> (open, overdue)
    by_assignee: dict[str | None, tuple[int, int]] = field(default_factory=dict)
    # the central admins' digest: cases whose complainant has not received the latest
    # notice for longer than the sweep's ``undelivered_after`` (complaints.delivery)
    undelivered: tuple[str, ...] = ()


@dataclass(frozen=True)
class DialogRecord:
    state: JsonObject
    updated_at: datetime


@dataclass(frozen=True)
class Arrival:
    """A delivery recorded for the first time: the sender's deliveries in the flood window,
    this one included, and their dialog as stored (read, and on PostgreSQL locked, by the
    same statement that recorded the delivery)."""

    recent: int
    dialog: DialogRecord | None


class ComplaintRepository(Protocol):
    async def add(self, complaint: Complaint) -> None: ...

    async def save(self, complaint: Complaint) -> None:
        """Persist changed fields and audit entries appended since it was loaded."""

    async def save_many(self, batch: Sequence[Complaint]) -> None:
        """``save`` for several complaints at once (fewer round trips)."""

    async def get(self, code: str, *, for_update: bool = False) -> Complaint | None: ...

    async def list_by_sender(self, channel: str, sender: str, limit: int = 10,
                             statuses: frozenset[Status] | None = None) -> list[Complaint]:
        """The chat's complaints (in ``statuses``, when given), newest first."""

    async def list_supported(self, channel: str, sender: str, limit: int = 10) -> list[Complaint]:
        """The complaints this chat supports (complaints.model.Supporter), newest first."""

    async def similar_candidates(self, query: SimilarQuery) -> list[Candidate]:
        """The candidates of the similar-complaint lookup (complaints.similarity), at most
        ``query.limit``, the newest first; served by indexes on (category, region_code,
        created_at) and (category, latitude)."""

    async def find(
        self, *, status: Status | None = None, unit_id: str | None = None, limit: int = 50,
        statuses: frozenset[Status] | None = None, scope: Scope | None = None,
    ) -> list[Complaint]:
        """Newest first (ties: the later filed first); every argument narrows (``scope``:
        complaints.visibility.Scope, deny by default)."""

    async def claim_due(self, now: datetime, limit: int = 200) -> list[Complaint]:
        """Complaints whose ``next_escalation_at`` has come, oldest first, locked for this
        transaction (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so concurrent sweeps split
        the work). Served by an index on ``next_escalation_at``: the cost does not grow
        with the number of complaints that are not due."""

    async def open_summary(
        self, unit_id: str, now: datetime, soon_until: datetime, statuses: frozenset[Status] = OPEN
    ) -> UnitSummary:
        """Counts over the unit's complaints in ``statuses`` (default: every open one)."""


class OutboxRepository(Protocol):
    async def add(self, notification: Notification, now: datetime, not_before: datetime | None = None) -> bool:
        """Queue it, to be sent from ``not_before`` (default: now); False (and nothing
        written) when its key was queued before."""

    async def queued(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` were queued before (whatever became of them since)."""

    async def claim(
        self, channels: set[str] | None, now: datetime, limit: int = 100, lease_seconds: int = 60
    ) -> list[OutboxItem]:
        """Pending items due at ``now``, leased for ``lease_seconds`` so that no other relay
        takes them meanwhile (PostgreSQL: selected ``FOR UPDATE SKIP LOCKED``). Each claim
        counts as an attempt. An item whose lease ran out (its relay died) is due again."""

    async def mark_sent(self, item_id: int, now: datetime, message_id: str | None = None) -> None:
        """Sent; ``message_id``: the channel's id of it (delivery status "sent")."""

    async def mark_failed(
        self, item_id: int, now: datetime, error: str, retry_at: datetime | None, failure: DeliveryError | None = None
    ) -> None:
        """Record a failed attempt: retry at ``retry_at``, or give up for good when None
        (``failure``: the channel's error, kept as the error code and title)."""

    async def by_message_id(self, channel: str, message_id: str) -> OutboxItem | None:
        """The item whose message the channel knows by ``message_id`` (served by an index)."""

    async def record_delivery(
        self, item_id: int, status: DeliveryStatus, at: datetime, failure: DeliveryError | None = None
    ) -> None:
        """The channel's word on a sent item (complaints.delivery.advances is the caller's)."""

    async def resend(
        self, item_id: int, now: datetime, retry_at: datetime, failure: DeliveryError, *, as_template: bool = False
    ) -> None:
        """Back in the queue after a failure the channel reported, due at ``retry_at``
        (``as_template``: from now on only as the channel's approved template)."""

    async def latest_to(self, complaint_code: str, chats: Sequence[tuple[str, str]]) -> OutboxItem | None:
        """The last item queued about the complaint to any of ``chats`` (channel, recipient)."""

    async def requeue(self, item_id: int, now: datetime) -> bool:
        """Put an item given up on back in the queue, due at ``now`` (an admin's retry);
        False when it is not a failed item."""

    async def pending_count(self) -> int: ...

    async def failed(self, limit: int = 50, until: datetime | None = None) -> list[FailedOutboxItem]:
        """Items given up on, the most recently failed first (``until``: failed by then)."""


class DialogRepository(Protocol):
    async def get(self, channel: str, sender: str, *, for_update: bool = False) -> DialogRecord | None: ...

    async def put(self, channel: str, sender: str, state: JsonObject, now: datetime) -> None: ...

    async def delete(self, channel: str, sender: str) -> None: ...


class InboxRepository(Protocol):
    """Deliveries already handled, so a channel's retry of the same update is ignored."""

    async def first_time(self, channel: str, update_id: str, sender: str, now: datetime) -> bool:
        """Record the delivery; False (nothing written) when it was recorded before."""

    async def arrive(self, channel: str, update_id: str, sender: str, now: datetime,
                     since: datetime) -> Arrival | None:
        """Record the delivery, count for the flood limit and read the sender's dialog for
        update (``DialogRepository.get(for_update=True)``), in one statement: None (nothing
        written, nothing read) when it was recorded before; else the sender's deliveries
        after ``since`` (not at it), this one included, and their dialog."""

    async def seen(self, channel: str, update_id: str) -> bool:
        """Whether the delivery was recorded before (read only: a file is not downloaded
        again for a repeat delivery)."""

    async def last_inbound(self, channel: str, sender: str) -> datetime | None:
        """When the sender last wrote (e.g. for WhatsApp's 24-hour window)."""


class SenderRepository(Protocol):
    """Chats the admin blocked, their history, and what a chat filed lately (complaints.spam)."""

    async def attempt(self, channel: str, sender: str, now: datetime) -> int | None:
        """One statement, on every incoming message: None when the chat is not blocked
        (nothing written); else its attempts counted so far, this one included (the count
        and the last attempt's time are kept on the block, nothing else)."""

    async def block(self, who: SenderId, reason: str, by: str, now: datetime) -> bool:
        """Block the chat and write the history line; False (nothing written) when it is blocked already."""

    async def unblock(self, who: SenderId, reason: str, by: str, now: datetime) -> bool:
        """Lift the block and write the history line; False (nothing written) when it was not blocked."""

    async def get(self, who: SenderId) -> BlockedSender | None: ...

    async def blocked(self, limit: int = 100) -> list[BlockedSender]:
        """The chats blocked now, the most recently blocked first."""

    async def history(self, who: SenderId | None = None, limit: int = 100) -> list[SenderEvent]:
        """History lines (of one chat, or of all), the latest first."""

    async def remind(self, who: SenderId, now: datetime, since: datetime) -> bool:
        """Record that the bot reminded the chat of courteous language, unless it did after
        ``since``: False (nothing written) then."""

    async def filed_since(self, channel: str, sender: str, since: datetime) -> int:
        """Complaints the chat filed at or after ``since``."""

    async def same_text_since(self, text_fingerprint: str, since: datetime) -> list[TextCopy]:
        """Complaints with that text fingerprint filed at or after ``since``, oldest first."""


class SignInRepository(Protocol):
    """Officers' sign-in to the web console (complaints.signin): one-time links, password
    credentials, sessions and the sign-in audit. Secrets are stored as digests only."""

    async def add_link(self, link: LoginLink) -> None: ...

    async def link(self, token_digest: str) -> LoginLink | None: ...

    async def use_link(self, token_digest: str, now: datetime) -> bool:
        """Mark the link used; False (nothing written) when it was used already (a second
        tab or a replay racing the first)."""

    async def credentials(self, officer_id: str, *, for_update: bool = False) -> Credentials | None: ...

    async def put_credentials(self, credentials: Credentials, now: datetime) -> None: ...

    async def add_session(self, session: WebSession) -> None: ...

    async def session(self, session_digest: str) -> WebSession | None: ...

    async def touch_session(self, session_digest: str, now: datetime) -> None: ...

    async def end_session(self, session_digest: str, now: datetime) -> None: ...

    async def end_sessions(self, officer_id: str, now: datetime) -> int:
        """End every open session of the officer (a new password); how many were open."""

    async def record(self, event: SignInEvent) -> None: ...

    async def events(self, officer_id: str | None = None, limit: int = 50) -> list[SignInEvent]:
        """Audit lines (of one officer, or of all), the latest first."""


class FiledMessageRepository(Protocol):
    """The chat messages a filed report was made of (the channel's ids of them, ``refs``),
    so that a later edit or deletion of one reaches the case; one row per message of a
    chat (channel, sender), the latest filing of it wins."""

    async def add(self, channel: str, sender: str, refs: Sequence[str], code: str, at: datetime) -> None:
        """The messages ``refs`` of the chat made the report ``code``, filed ``at``."""

    async def code_of(self, channel: str, sender: str, ref: str, since: datetime) -> str | None:
        """The code of the report the chat's message ``ref`` made, when filed at or after
        ``since``; else None."""

    async def move(self, channel: str, old_sender: str, new_sender: str) -> int:
        """The old chat's messages become the new chat's (a number change); where the new
        chat has a message of the same id already, its own is kept. How many moved."""

    async def prune(self, before: datetime) -> int:
        """Forget what was filed before ``before``; how many messages were forgotten."""


class ApiRequestRepository(Protocol):
    """What each API key filed (``sender``: the key's sender, e.g. "apikey-3"), under a
    digest of the request (of its Idempotency-Key, or of its content), so that a client
    re-sending a request gets the code of the first one, on any worker."""

    async def code_of(self, sender: str, digest: str, since: datetime) -> str | None:
        """The code filed under ``digest`` at or after ``since``; else None."""

    async def claim(self, sender: str, digest: str, code: str, now: datetime, since: datetime) -> str:
        """Record that ``digest`` filed ``code``, unless a record at or after ``since`` holds
        it (another worker filed the same request meanwhile: its transaction is waited
        for): then that record's code, and nothing written."""

    async def prune(self, sender: str, before: datetime) -> int:
        """Forget what the key filed before ``before``; how many records were forgotten."""


class UnitOfWork(Protocol):
    """``async with uow: ...; await uow.commit()``: one transaction. Nothing it wrote is
    seen by another unit of work before the commit; whatever is not committed when the
    block ends is rolled back. After ``commit()`` or ``rollback()`` it stays usable: the
    next statement begins a new transaction.

    The repositories are read-only attributes (properties here), so an implementation
    may hold its own repository classes: read-only members are covariant."""

    @property
    def complaints(self) -> ComplaintRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def dialogs(self) -> DialogRepository: ...

    @property
    def inbox(self) -> InboxRepository: ...

    @property
    def senders(self) -> SenderRepository: ...

    @property
    def signins(self) -> SignInRepository: ...

    @property
    def filed_messages(self) -> FiledMessageRepository: ...

    @property
    def api_requests(self) -> ApiRequestRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Roll back whatever was not committed."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

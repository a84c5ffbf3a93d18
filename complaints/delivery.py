"""Whether a notification reached its reader, and what to do when it did not: the one
delivery policy.

Channels only translate their own errors (a Graph API error code, Telegram's 403 "bot was
blocked by the user") into a :class:`DeliveryError` of one :class:`FailureKind`; which
remedy each kind gets is decided here (:func:`remedy`), for a failure the channel reported
when we sent (the relay) and for one it reported later (a WhatsApp ``failed`` status).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .model import Complaint
from .phones import whatsapp_chat_of


class OutboxState(StrEnum):
    """Where an outbox row is in the relay's hands (the values stored since 0001)."""

    PENDING = "pending"  # waiting to be sent (again)
    SENT = "sent"  # the channel accepted it
    FAILED = "failed"  # given up on: shows in ``aduan outbox failed``


class DeliveryStatus(StrEnum):
    """What the channel told us about a message it accepted (WhatsApp's statuses)."""

    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


_ORDER = {DeliveryStatus.SENT: 0, DeliveryStatus.DELIVERED: 1, DeliveryStatus.READ: 2}


def advances(current: DeliveryStatus | None, new: DeliveryStatus) -> bool:
    """Whether ``new`` moves a message on: sent → delivered → read, never backwards (a late
    "delivered" after "read" changes nothing); "failed" only before it was delivered."""
    if current is None:
        return True
    if current is DeliveryStatus.FAILED:
        return False
    if new is DeliveryStatus.FAILED:
        return current is DeliveryStatus.SENT
    return _ORDER[new] > _ORDER[current]


class FailureKind(StrEnum):
    """What a channel's error means for the message, whatever the channel."""

    TRANSIENT = "transient"  # the channel or the network had trouble: the same again, later
    OUTSIDE_WINDOW = "outside_window"  # free text after the 24-hour window: the approved template
    PERMANENT = "permanent"  # this chat will never get it (blocked, undeliverable, unsupported)


class Remedy(StrEnum):
    RESEND = "resend"  # the same message, on the same chat, after a backoff
    AS_TEMPLATE = "as_template"  # again, now, as the channel's approved template
    OTHER_CHANNEL = "other_channel"  # to another chat of the same person, if there is one
    GIVE_UP = "give_up"  # stays failed and visible


@dataclass(frozen=True)
class DeliveryError:
    """A channel's error, translated: its own code and title kept for the operators."""

    code: str  # the channel's code: "131026", "403"
    title: str
    kind: FailureKind
    retry_after: float | None = None  # seconds, when the channel said how long to wait

    @property
    def reason(self) -> str:
        return self.title if not self.code or self.code in self.title else f"{self.code}: {self.title}"


@dataclass(frozen=True)
class Retries:
    """How often and how long apart a transient failure is tried again."""

    max_attempts: int = 8
    first_backoff: timedelta = timedelta(seconds=5)
    max_backoff: timedelta = timedelta(hours=1)

    def backoff(self, attempts: int, retry_after: float | None = None) -> timedelta:
        """Doubling from ``first_backoff`` up to ``max_backoff``; at least what the channel asked."""
        doublings = min(max(attempts - 1, 0), 32)  # 2**32 first backoffs is past any cap
        wait = min(self.first_backoff * (1 << doublings), self.max_backoff)
        return wait if retry_after is None else max(wait, timedelta(seconds=retry_after))


def remedy(kind: FailureKind, *, attempts: int, max_attempts: int, as_template: bool) -> Remedy:
    """The one rule: which failure gets which retry."""
    if kind is FailureKind.OUTSIDE_WINDOW:
        return Remedy.GIVE_UP if as_template else Remedy.AS_TEMPLATE  # a template has no window
    if kind is FailureKind.PERMANENT:
        return Remedy.OTHER_CHANNEL
    return Remedy.RESEND if attempts < max_attempts else Remedy.GIVE_UP


@dataclass(frozen=True)
class StatusReport:
    """A channel's later word on a message it accepted (a WhatsApp ``statuses[]`` item)."""

    channel: str
    message_id: str  # the channel's id of the message (a wamid)
    status: DeliveryStatus
    at: datetime
    error: DeliveryError | None = None  # with FAILED


@dataclass(frozen=True)
class Undelivered:
    """The fact officers see on a case: the complainant has not received the latest notice."""

    channel: str
    error_code: str | None
    error_title: str | None
    since: datetime


def person_chats(complaint: Complaint, channel: str, recipient: str) -> list[tuple[str, str]]:
    """Every chat known to reach the person behind (``channel``, ``recipient``) about this
    complaint, theirs first: for its complainant, the chat they filed from and the
    WhatsApp number they gave (a phone kept under their privacy choice). Nobody else's
    other chats are known: only the given one."""
    chats = [(channel, recipient)]
    if (channel, recipient) != (complaint.channel, complaint.sender):
        return chats
    whatsapp = whatsapp_chat_of(complaint.complainant.phone)
    if whatsapp is not None and complaint.channel != "whatsapp":
        chats.append(("whatsapp", whatsapp))
    return chats

"""Spam and prank control: the rules of it, in one place.

- **Blocked senders**: the admin may pause a chat's access (``aduan sender block``); every
  block and unblock is a :class:`SenderEvent` in the history, with who, when and why. A
  blocked chat is answered once, then not at all; only an attempt count is kept.
- **A daily limit** of new complaints per chat (:attr:`SpamPolicy.daily_limit`), counted
  per calendar day in the central unit's time zone. Chats only: a pull-only channel (the
  REST API and Open311, where one key files for many citizens) is rate-limited per key by
  the API instead.
- **The same text from many chats** within minutes (:attr:`SpamPolicy.copies_senders`
  chats in :attr:`SpamPolicy.copies_minutes`): flagged once to the central admins. The
  text is compared by its :func:`fingerprint` (the hash of :func:`normalise`).

Plain Python: no I/O, no clock reads.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from .errors import DomainError

FINGERPRINT_LENGTH = 16  # hex characters: complaints.text_fingerprint String(16)
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class SpamPolicy:
    """The limits; the organisation file's ``spam:`` section sets them."""

    daily_limit: int = 5  # new complaints per chat per calendar day (0: no limit)
    copies_senders: int = 3  # this many chats sending the same text ...
    copies_minutes: int = 10  # ... within this many minutes are flagged to the admins

    def __post_init__(self) -> None:
        if self.daily_limit < 0 or self.copies_senders < 2 or self.copies_minutes < 1:
            raise ValueError(f"spam policy out of range: {self}")

    @property
    def copies_window(self) -> timedelta:
        return timedelta(minutes=self.copies_minutes)

    def over_daily_limit(self, filed_today: int) -> bool:
        """Whether one more complaint would go over the limit, ``filed_today`` filed already."""
        return self.daily_limit > 0 and filed_today >= self.daily_limit


def start_of_day(now: datetime, tz: ZoneInfo) -> datetime:
    """The first moment of ``now``'s calendar day in ``tz``: where a day's count starts."""
    return datetime.combine(now.astimezone(tz).date(), time(0), tzinfo=tz)


def normalise(text: str) -> str:
    """The text as copies are compared: Unicode-folded, lowercase, every run of whitespace
    or punctuation one space ("Jalan RUSAK!!  tolong..." == "jalan rusak tolong")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def fingerprint(text: str) -> str:
    """A short hash of the normalised text (stored on the complaint, indexed)."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


# --- senders ------------------------------------------------------------------------------------


class InvalidSender(DomainError):
    """Not a "channel:sender" id."""

    code = "invalid_sender"


class SenderAction(StrEnum):
    BLOCKED = "blocked"
    UNBLOCKED = "unblocked"
    REMINDED = "reminded"  # the bot asked the chat to keep its language courteous


@dataclass(frozen=True)
class SenderId:
    """A chat: its channel and the sender id on it ("telegram:12345")."""

    channel: str
    sender: str

    @classmethod
    def parse(cls, raw: str) -> SenderId:
        channel, _, sender = raw.strip().partition(":")
        channel, sender = channel.strip().lower(), sender.strip()
        if not channel or not sender or not channel.isidentifier() or len(channel) > 32 or len(sender) > 255:
            raise InvalidSender(sender=raw)
        return cls(channel, sender)

    def __str__(self) -> str:
        return f"{self.channel}:{self.sender}"


@dataclass(frozen=True)
class BlockedSender:
    """A chat whose access is paused, and what it tried since."""

    who: SenderId
    reason: str
    blocked_by: str  # officer id
    blocked_at: datetime
    attempts: int = 0  # messages it sent while blocked
    last_attempt_at: datetime | None = None


@dataclass(frozen=True)
class SenderEvent:
    """One line of a chat's history: blocked, unblocked (by an officer) or reminded (by the bot)."""

    who: SenderId
    action: SenderAction
    actor: str
    at: datetime
    reason: str = ""


@dataclass(frozen=True)
class TextCopy:
    """A complaint filed with a given text: which, from which chat, when."""

    code: str
    who: SenderId
    created_at: datetime


def copies_flagged(policy: SpamPolicy, filed: TextCopy, earlier: list[TextCopy]) -> list[TextCopy] | None:
    """The cluster to flag when ``filed`` makes ``policy.copies_senders`` chats (itself
    included) that sent the same text within the window, oldest first; None otherwise.
    ``earlier``: the complaints with the same fingerprint filed in the window before it."""
    others = [c for c in earlier if c.who != filed.who and c.code != filed.code]
    if len({c.who for c in others}) + 1 < policy.copies_senders:
        return None
    cluster = sorted([*(c for c in earlier if c.code != filed.code), filed], key=lambda c: (c.created_at, c.code))
    return cluster

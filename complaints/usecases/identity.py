"""A citizen's chat moved: the channel says they now write from another id (a WhatsApp
number change). Their complaints, the cases they support and the news of them follow the
new chat, in the caller's transaction.

- Each complaint filed from the old chat becomes the new chat's (``Complaint.channel`` and
  ``sender``: every notice, status check and "laporan saya" finds it there); the
  complainant's phone, when it was the old number itself, becomes the new number.
- Each case the old chat supports is supported by the new chat, its phone likewise.
- Every moved case gets an audit entry (a note by the bot, for staff only; it names no
  number, so a rahasia complainant's new number is shown to nobody through it).
- The messages the old chat's reports were made of (``uow.filed_messages``) become the new
  chat's, so an edit or deletion of one, arriving from the new number, still reaches its case.

When the new chat is already in use, the two are merged: the cases of both are the new
chat's; where the new chat already supports a case, its own support is kept and the old
one dropped; where it is the complainant of a case the old chat supported, the old
support is dropped (nobody supports their own case); a message id both chats filed from
stays the new chat's. What the old chat wrote into the trail before stays as it was (the
trail is append-only): entries name the old chat.

Not moved: blocks and their history (a blocked chat's messages never reach this), the
deliveries recorded for the flood limit, and messages already queued to the old chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..model import AuditEntry, AuditKind, Complaint, Supporter
from ..ports import UnitOfWork
from ..taxonomy import Role

MAX_MOVED = 10_000  # far more cases than one chat files or supports (the daily limit keeps it small)


@dataclass(frozen=True)
class ChatMove:
    """``old`` and ``new`` are sender ids on ``channel``. A phone equal to ``old_phone`` (the
    old chat's own number, E.164; None when the chat is no phone number) becomes
    ``new_phone``."""

    channel: str
    old: str
    new: str
    old_phone: str | None = None
    new_phone: str | None = None

    @property
    def old_id(self) -> str:
        return f"{self.channel}:{self.old}"

    @property
    def new_id(self) -> str:
        return f"{self.channel}:{self.new}"

    def phone(self, phone: str | None) -> str | None:
        return self.new_phone if phone is not None and phone == self.old_phone else phone


@dataclass(frozen=True)
class Notes:
    """The audit notes, worded by the caller (staff read them)."""

    complainant: str  # on a case filed from the old chat
    supporter: str  # on a case the old chat supports


@dataclass(frozen=True)
class Moved:
    owned: tuple[str, ...]  # codes of the complaints now filed from the new chat
    supported: tuple[str, ...]  # codes of the cases the new chat supports instead of the old


async def move_chat(uow: UnitOfWork, move: ChatMove, notes: Notes, now: datetime) -> Moved:
    """Move everything of ``move.old`` to ``move.new`` (see the module); nothing when the
    two are the same chat."""
    if move.old == move.new:
        return Moved((), ())
    owned_before = await uow.complaints.list_by_sender(move.channel, move.old, MAX_MOVED)
    supported_before = await uow.complaints.list_supported(move.channel, move.old, MAX_MOVED)
    codes = sorted({c.code for c in owned_before} | {c.code for c in supported_before})
    owned: list[str] = []
    supported: list[str] = []
    for code in codes:  # locked one by one in code order, as merges lock: never a deadlock
        complaint = await uow.complaints.get(code, for_update=True)
        if complaint is None:
            continue
        note = ""
        if complaint.channel == move.channel and complaint.sender == move.old:
            _move_complainant(complaint, move)
            owned.append(code)
            note = notes.complainant
        if _move_supporter(complaint, move):
            supported.append(code)
            note = note or notes.supporter
        if note:
            complaint.record(AuditEntry(now, "bot", Role.SYSTEM, AuditKind.NOTE, None, None, note))
            await uow.complaints.save(complaint)
    await uow.filed_messages.move(move.channel, move.old, move.new)
    return Moved(tuple(owned), tuple(supported))


def _move_complainant(complaint: Complaint, move: ChatMove) -> None:
    complaint.sender = move.new
    complaint.complainant.phone = move.phone(complaint.complainant.phone)
    # the new chat supported the old chat's case: it is its own case now
    complaint.supporters = [s for s in complaint.supporters if s.id != move.new_id]


def _move_supporter(complaint: Complaint, move: ChatMove) -> bool:
    """The old chat's support of ``complaint`` becomes the new chat's (or is dropped where
    the new chat filed the case or supports it already); whether it had any."""
    old = complaint.supporter(move.old_id)
    if old is None:
        return False
    keep = complaint.owner != move.new_id and complaint.supporter(move.new_id) is None
    moved: list[Supporter] = []
    for supporter in complaint.supporters:
        if supporter is not old:
            moved.append(supporter)
        elif keep:
            supporter.sender, supporter.phone = move.new, move.phone(supporter.phone)
            moved.append(supporter)
    complaint.supporters = moved
    return True

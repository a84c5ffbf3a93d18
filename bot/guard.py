"""Spam and prank control in the chat (complaints.spam), for the engine:

- a chat the admin blocked is answered once, politely, then not at all; only its attempts
  are counted (no update id, no dialog state, no complaint is stored for it). An officer's
  chat is never refused;
- a new complaint over the chat's daily limit is not filed: the citizen hears why, and the
  draft stays where it was (at the summary), to be sent another day;
- an abusive message gets, besides the normal answer, a polite request to keep the
  language courteous, at most once every ``COURTESY_EVERY``; it is handled as any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from complaints.errors import TooManyComplaints
from complaints.model import Complaint
from complaints.ports import UnitOfWork
from complaints.spam import SenderId
from complaints.usecases import filing
from complaints.usecases.context import CaseContext
from nlu.entities.abuse import is_abusive

from . import texts
from .messages import IncomingMessage, OutgoingMessage
from .turn import Turn

COURTESY_EVERY = timedelta(hours=12)  # "once per conversation": not on every message


MAX_BLOCKED = 100_000  # more blocked chats than any office has


@dataclass
class BlockList:
    """The chats blocked, as read at most every ``refresh`` (of message time) per process:
    only a chat in it pays the statement that counts its attempt (and checks the block is
    still there), so every other message costs no query. A block made from another process
    takes effect within ``refresh``; an unblock at once."""

    refresh: timedelta = timedelta(seconds=2)
    chats: frozenset[tuple[str, str]] = frozenset()
    read_at: datetime | None = None

    async def may_be_blocked(self, uow: UnitOfWork, channel: str, sender: str, now: datetime) -> bool:
        if self.read_at is None or not self.read_at <= now < self.read_at + self.refresh:
            found = await uow.senders.blocked(limit=MAX_BLOCKED)
            self.chats, self.read_at = frozenset((b.who.channel, b.who.sender) for b in found), now
        return (channel, sender) in self.chats


async def blocked(
    uow: UnitOfWork, ctx: CaseContext, msg: IncomingMessage, now: datetime, chats: BlockList,
) -> list[OutgoingMessage] | None:
    """None when the chat may go on. For a blocked chat, its attempt counted and committed,
    and what to answer: the notice on the first attempt since the block, nothing after."""
    if ctx.org.officer_by_identity(msg.channel, msg.sender) is not None:
        return None  # no query: an officer is never refused
    if not await chats.may_be_blocked(uow, msg.channel, msg.sender, now):
        return None
    attempts = await uow.senders.attempt(msg.channel, msg.sender, now)
    if attempts is None:
        return None
    await uow.commit()
    if attempts > 1:
        return []
    return [OutgoingMessage(msg.channel, msg.sender, texts.SENDER_PAUSED.format(office=ctx.org.central.name))]


async def submit(turn: Turn, complaint: Complaint) -> bool:
    """File the complaint (complaints.usecases.filing.submit); False, with the reply said,
    when the chat reached the day's limit: nothing was written and the draft is kept."""
    try:
        await filing.submit(turn.ctx, turn.uow, complaint, turn.now)
    except TooManyComplaints as error:
        turn.say(texts.DAILY_LIMIT_REACHED.format(limit=error.params.get("limit", "-")))
        return False
    return True


async def courtesy(turn: Turn) -> None:
    """Ask first, before the normal answer, to keep the language courteous, when the message
    is abusive and the chat was not asked within ``COURTESY_EVERY``."""
    if not turn.text or not is_abusive(turn.text):
        return
    who = SenderId(turn.msg.channel, turn.msg.sender)
    if await turn.uow.senders.remind(who, turn.now, turn.now - COURTESY_EVERY):
        turn.replies.insert(0, OutgoingMessage(turn.msg.channel, turn.msg.sender, texts.COURTESY_REQUEST))

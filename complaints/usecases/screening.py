"""Spam and prank control (complaints.spam): the admin blocks and unblocks chats; filing
keeps to the daily limit of a chat and tells the central admins when the same text comes
from many chats within minutes."""

from __future__ import annotations

from datetime import datetime

from ..errors import DomainError, NotAuthorised, TooManyComplaints
from ..escalation import Level
from ..model import Complaint
from ..notifications import Notification
from ..org import Officer
from ..ports import UnitOfWork
from ..spam import BlockedSender, SenderId, TextCopy, copies_flagged, fingerprint, start_of_day
from ..taxonomy import Role
from .context import CaseContext
from .notify import notify_officers, officer_notice_key

MAX_REASON = 500


def _check_admin(ctx: CaseContext, who: SenderId, reason: str, officer: Officer) -> str:
    if officer.role is not Role.ADMIN:
        raise NotAuthorised("admin_only", actor=officer.id, role=officer.role)
    if ctx.org.officer_by_identity(who.channel, who.sender) is not None:  # an officer's chat is never refused
        raise DomainError("officer_chat", sender=str(who))
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError("reason_required", sender=str(who))
    return reason[:MAX_REASON]


async def block(ctx: CaseContext, uow: UnitOfWork, who: SenderId, reason: str, officer: Officer,
                now: datetime) -> BlockedSender:
    """The admin pauses the chat's access; the history keeps who, when and why."""
    reason = _check_admin(ctx, who, reason, officer)
    if not await uow.senders.block(who, reason, officer.id, now):
        raise DomainError("already_blocked", sender=str(who))
    return BlockedSender(who, reason, officer.id, now)


async def unblock(ctx: CaseContext, uow: UnitOfWork, who: SenderId, reason: str, officer: Officer,
                  now: datetime) -> None:
    """The admin gives the chat its access back; the history keeps who, when and why."""
    reason = _check_admin(ctx, who, reason, officer)
    if not await uow.senders.unblock(who, reason, officer.id, now):
        raise DomainError("not_blocked", sender=str(who))


async def check_daily_limit(ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, now: datetime) -> None:
    """Refuse a new complaint from a chat that filed the day's limit already (the day in the
    central unit's time zone); a pull-only channel (the REST API, Open311: one key files for
    many citizens, and the API limits each key's requests) is not counted."""
    policy = ctx.org.spam
    if complaint.channel in ctx.pull_only_channels or policy.daily_limit == 0:
        return
    since = start_of_day(now, ctx.org.central.timezone)
    if policy.over_daily_limit(await uow.senders.filed_since(complaint.channel, complaint.sender, since)):
        raise TooManyComplaints(limit=policy.daily_limit)


async def flag_copies(ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, now: datetime) -> list[Notification]:
    """When ``complaint`` (filed at ``now``) makes the policy's number of chats that sent the
    same text within its minutes, tell the central admins once: the notice is keyed on the
    oldest copy of the window, so the copies that follow do not tell them again."""
    policy = ctx.org.spam
    earlier = await uow.senders.same_text_since(fingerprint(complaint.description), now - policy.copies_window)
    filed = TextCopy(complaint.code, SenderId(complaint.channel, complaint.sender), now)
    cluster = copies_flagged(policy, earlier=earlier, filed=filed)
    if cluster is None:
        return []
    org = ctx.org
    admins = org.escalation_recipients(org.default_unit, Level.REMINDER)
    keys = [officer_notice_key(cluster[0].code, "copies", officer) for officer in admins if officer.primary_identity]
    if len(await uow.outbox.queued(keys)) == len(keys):  # every admin was told of this wave already
        return []
    first = await uow.complaints.get(cluster[0].code)
    if first is None:
        return []
    codes, senders = [c.code for c in cluster], len({c.who for c in cluster})
    return await notify_officers(
        ctx, uow, admins, first, "copies",
        lambda officer, view: ctx.notices.copies_suspected(codes, senders, policy.copies_minutes), now,
        unit=org.central, stage="verify",
    )

"""Telling the people concerned: outbox rows written in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..escalation import Level
from ..model import Actor, AuditEntry, Complaint
from ..notifications import Button, Notification
from ..org import Officer, Unit
from ..ports import UnitOfWork
from ..taxonomy import Role, Status
from ..visibility import CaseView
from .context import CaseContext

# what an officer's notice says, given the officer and the case as they may see it
NoticeText = Callable[[Officer, CaseView], str]


def officer_notice_key(code: str, event: str, officer: Officer) -> str:
    """The outbox key of an officer's notice about one event of a case: queued once."""
    return f"{code}:{event}:{officer.id}"


async def notify_officers(
    ctx: CaseContext, uow: UnitOfWork, officers: list[Officer], complaint: Complaint, event: str,
    text_for: NoticeText, now: datetime, *, unit: Unit | None = None, stage: str = "unit",
) -> list[Notification]:
    """Queue a message to each officer's first chat, with the buttons of ``stage``; each
    officer's text is worded from the case as that officer may see it."""
    queued = []
    buttons = ctx.notices.case_buttons(complaint.code, stage)
    not_before = ctx.hold_until_working_hours(complaint, unit or ctx.responsible_unit(complaint), now)
    for officer in officers:
        identity = officer.primary_identity
        if identity is None:
            continue
        channel, recipient = identity
        notice = Notification(
            key=officer_notice_key(complaint.code, event, officer),
            channel=channel,
            recipient=recipient,
            text=text_for(officer, ctx.view(officer.actor, complaint)),
            buttons=buttons,
            complaint_code=complaint.code,
        )
        if await uow.outbox.add(notice, now, not_before):
            queued.append(notice)
    return queued


async def notify_handlers(
    ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, event: str, text_for: NoticeText, now: datetime,
) -> list[Notification]:
    """Tell the officers handling the case now (``CaseContext.responsible_unit``: the
    verifiers before disposition, else its unit; the assignee among them) of something the
    complainant or a supporter added."""
    unit = ctx.responsible_unit(complaint)
    officers = ctx.org.escalation_recipients(unit.id, Level.REMINDER, complaint.assignee)
    return await notify_officers(ctx, uow, officers, complaint, event, text_for, now)


async def notify_complainant(
    ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, event: str, text: str, now: datetime,
    buttons: tuple[Button, ...] = (),
) -> Notification:
    """Queue a message to the chat the complaint was filed from (not on a pull-only channel)."""
    notice = Notification(
        key=f"{complaint.code}:{event}:{complaint.channel}:{complaint.sender}",
        channel=complaint.channel,
        recipient=complaint.sender,
        text=text,
        buttons=tuple(buttons),
        complaint_code=complaint.code,
    )
    if complaint.channel not in ctx.pull_only_channels:
        await uow.outbox.add(notice, now)
    return notice


def status_text(ctx: CaseContext, complaint: Complaint, entry: AuditEntry) -> str:
    """What the complainant reads of a status change (their own view of the case)."""
    owner = Actor(complaint.owner, Role.COMPLAINANT)
    return ctx.notices.status_changed(ctx.view(owner, complaint), entry.note, ctx.unit_of(complaint))


async def tell_complainant(
    ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, entry: AuditEntry, now: datetime
) -> Notification:
    """The status change ``entry`` told to the complainant, and to each supporter as they
    may read it; a solved case asks them for a rating."""
    buttons = ctx.notices.rating_buttons(complaint.code) if complaint.status is Status.SELESAI else ()
    event = f"status:{len(complaint.audit)}"
    await tell_supporters(ctx, uow, complaint, event, entry.note, now, buttons)
    return await notify_complainant(ctx, uow, complaint, event, status_text(ctx, complaint, entry), now, buttons)


async def tell_supporters(
    ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, event: str, note: str, now: datetime,
    buttons: tuple[Button, ...] = (),
) -> list[Notification]:
    """The status news of the case to each of its supporters, worded from their own view."""
    queued = []
    unit = ctx.unit_of(complaint)
    for supporter in complaint.supporters:
        if supporter.channel in ctx.pull_only_channels:
            continue
        viewer = Actor(supporter.id, Role.COMPLAINANT)
        text = ctx.notices.status_changed(ctx.view(viewer, complaint), ctx.visibility.text_for(viewer, complaint, note)
                                          or "", unit)
        notice = Notification(key=f"{complaint.code}:{event}:{supporter.channel}:{supporter.sender}",
                              channel=supporter.channel, recipient=supporter.sender, text=text, buttons=buttons,
                              complaint_code=complaint.code)
        if await uow.outbox.add(notice, now):
            queued.append(notice)
    return queued


async def tell_auto_closed(
    ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, working_days: int, now: datetime
) -> Notification:
    """The bot closed the answered case because no rating came within ``working_days``:
    the complainant hears why, and what they can still do (a closed case is final in the
    workflow table, so: a new report naming the code)."""
    owner = Actor(complaint.owner, Role.COMPLAINANT)
    text = ctx.notices.auto_closed(ctx.view(owner, complaint), working_days, ctx.unit_of(complaint))
    event = f"status:{len(complaint.audit)}"
    await tell_supporters(ctx, uow, complaint, event, "", now)
    return await notify_complainant(ctx, uow, complaint, event, text, now)

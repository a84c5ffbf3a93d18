"""The complainant's follow-up: answering the unit's question, rating the answer (puas /
tidak puas) and giving it an SKM score."""

from __future__ import annotations

from datetime import datetime

from ..errors import DomainError, NotAuthorised
from ..escalation import Level, reopen_level
from ..model import Actor, AuditEntry, AuditKind, Complaint, Evidence, Rating, Score
from ..ports import UnitOfWork
from ..taxonomy import Role, Status
from .casework import get, stage_deadline, start_stage
from .context import CaseContext
from .escalate import escalate
from .notify import notify_officers

SKM_SCALE = range(1, 5)
RECENT = 20  # how many of a sender's newest complaints are looked at
MAX_REASON = 1000  # characters of a rating's reason kept


async def waiting_for(uow: UnitOfWork, channel: str, sender: str) -> Complaint | None:
    """The sender's complaint that is waiting for their answer, if any (the newest)."""
    waiting = await uow.complaints.list_by_sender(channel, sender, 1, frozenset({Status.MENUNGGU_INFORMASI}))
    return waiting[0] if waiting else None


async def provide_info(
    ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, text: str, evidence: list[Evidence], now: datetime
) -> Complaint:
    """The complainant answered the unit's question: relay it into the case, resume the
    clock, and tell the officers."""
    complaint = await get(uow, complaint.code, for_update=True)
    complaint.evidence.extend(evidence)
    complaint.record(AuditEntry(now, complaint.owner, Role.COMPLAINANT, AuditKind.INFO, None, None, text))
    previous = complaint.status
    complaint.move_to(Status.DIPROSES, Actor.system(), now, "")
    start_stage(ctx, complaint, previous, now)
    await uow.complaints.save(complaint)
    unit = ctx.unit_of(complaint)
    await notify_officers(
        ctx, uow, ctx.org.escalation_recipients(unit.id, Level.REMINDER, complaint.assignee), complaint,
        f"info:{len(complaint.audit)}",
        lambda officer, view: ctx.notices.info_received(
            view, ctx.visibility.text_for(officer.actor, complaint, text), officer),
        now,
    )
    return complaint


async def awaiting_rating(uow: UnitOfWork, channel: str, sender: str) -> list[Complaint]:
    """The sender's solved complaints that wait for puas / tidak puas."""
    return await uow.complaints.list_by_sender(channel, sender, RECENT, frozenset({Status.SELESAI}))


async def rate(
    ctx: CaseContext, uow: UnitOfWork, code: str, actor: Actor, satisfied: bool, now: datetime,
    reason: str | None = None,
) -> Complaint:
    """Puas closes the case; tidak puas reopens it one escalation level higher. ``reason``:
    why, in the complainant's words; it is the rating entry's note (what a person wrote;
    the verdict itself is the entry's Rating fact), read by staff as the visibility policy
    lets them (redacted under rahasia) and by the unit in the reopening's notice."""
    complaint = await get(uow, code, for_update=True)
    if actor.role is not Role.COMPLAINANT:
        raise NotAuthorised(actor=actor.id, role=actor.role, code=code)
    ctx.authorise(actor, complaint)
    if complaint.status is not Status.SELESAI:
        raise DomainError("not_rateable", code=code, status=complaint.status)
    note = " ".join((reason or "").split())[:MAX_REASON]
    complaint.satisfied, complaint.rated_at = satisfied, now
    if satisfied:
        complaint.move_to(Status.DITUTUP, actor, now, note, facts=Rating(True))
        complaint.next_escalation_at = None
        await uow.complaints.save(complaint)
        return complaint
    deadline = stage_deadline(ctx, complaint, Status.DIBUKA_KEMBALI, now)
    complaint.move_to(Status.DIBUKA_KEMBALI, actor, now, note, facts=Rating(False), deadline=deadline)
    complaint.reopen_count += 1
    start_stage(ctx, complaint, Status.SELESAI, now, deadline)
    await escalate(ctx, uow, complaint, reopen_level(complaint.reopen_count), now, reason="reopened")
    await uow.complaints.save(complaint)
    return complaint


async def score(ctx: CaseContext, uow: UnitOfWork, code: str, actor: Actor, value: int, now: datetime) -> Complaint:
    """The SKM 1-4 score of the answer, once, after the case was rated."""
    complaint = await get(uow, code, for_update=True)
    ctx.authorise(actor, complaint)
    if value not in SKM_SCALE or complaint.satisfied is None or complaint.skm_score is not None:
        raise DomainError("not_scoreable", code=code)
    complaint.skm_score = value
    complaint.record(AuditEntry(now, actor.id, actor.role, AuditKind.RATED, None, None, facts=Score(value)))
    await uow.complaints.save(complaint)
    return complaint

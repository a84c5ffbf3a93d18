"""Moving a case through its statuses (the workflow table decides who may, and what the
deadline clock does), and the unit's work on it: taking or giving a case to an officer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..errors import DomainError, NotAuthorised, NotFound
from ..escalation import schedule_next
from ..model import Actor, Assignment, AuditEntry, AuditKind, Complaint, Deadline, Rejection
from ..notifications import Notification
from ..org import Officer
from ..ports import UnitOfWork
from ..taxonomy import Role, Status
from ..workflow import PAUSED, Clock, clock_of, roles_for
from . import verification
from .context import CaseContext
from .notify import tell_complainant


@dataclass(frozen=True)
class StatusChange:
    complaint: Complaint
    entry: AuditEntry
    queued: tuple[Notification, ...]  # written to the outbox in the same transaction


async def get(uow: UnitOfWork, code: str, *, for_update: bool = False) -> Complaint:
    complaint = await uow.complaints.get(code, for_update=for_update)
    if complaint is None:
        raise NotFound(code=code)
    return complaint


async def change_status(
    ctx: CaseContext, uow: UnitOfWork, code: str, target: Status, actor: Actor, now: datetime, note: str = "",
    *, unit_id: str | None = None, rejection: Rejection | None = None,
) -> StatusChange:
    """Move a complaint; ``unit_id`` disposes it to another unit than the suggested one;
    ``rejection`` (only with ``ditolak``) says why, when the figures tell the reason apart
    (spam: out of the unit's deadline figures)."""
    if rejection is not None and target is not Status.DITOLAK:
        raise DomainError("rejection_needs_ditolak", code=code, target=target)
    complaint = await get(uow, code, for_update=True)
    verification.check_target_unit(ctx, target, unit_id)
    if actor.role not in roles_for(target):  # say what the role may not do before whose case it is
        raise NotAuthorised(actor=actor.id, role=actor.role, target=target)
    ctx.authorise(actor, complaint)
    previous = complaint.status
    disposed = target is Status.DIDISPOSISIKAN
    facts = verification.disposition(ctx, complaint, unit_id) if disposed else None
    deadline = stage_deadline(ctx, complaint, target, now, facts.unit_id if facts is not None else None)
    entry = complaint.move_to(target, actor, now, note, facts=facts or rejection, deadline=deadline)
    if facts is not None:
        verification.route(complaint, facts)
    start_stage(ctx, complaint, previous, now, deadline)
    await uow.complaints.save(complaint)
    queued = [await tell_complainant(ctx, uow, complaint, entry, now)]
    if disposed:
        queued += await verification.tell_unit(ctx, uow, complaint, now)
    return StatusChange(complaint, entry, tuple(queued))


def stage_deadline(
    ctx: CaseContext, complaint: Complaint, target: Status, now: datetime, unit_id: str | None = None
) -> Deadline | None:
    """The deadline a move of ``complaint`` into ``target`` at ``now`` starts, for its audit
    entry: the unit's first follow-up, in the unit's time zone, when the move starts one
    (disposing to ``unit_id``, reopening); None for every other move."""
    if clock_of(complaint.status, target) is not Clock.FOLLOW_UP:
        return None
    unit = ctx.org.units.get(unit_id or "") or ctx.unit_of(complaint)
    due = ctx.policy.stage_due(Clock.FOLLOW_UP, complaint.weight, now, ctx.calendar, unit.timezone)
    return None if due is None else Deadline(unit_id or unit.id, due)


def start_stage(
    ctx: CaseContext, complaint: Complaint, previous: Status, now: datetime, deadline: Deadline | None = None
) -> None:
    """The deadline clock of the move just made, as the workflow table says; leaving a
    paused status (waiting for the complainant) gives the paused time back. ``deadline``:
    the one the move's audit entry recorded (:func:`stage_deadline`), the stage's due time."""
    clock = clock_of(previous, complaint.status)
    tz = ctx.tz(complaint)
    if previous in PAUSED and complaint.paused_at is not None:
        if complaint.resolve_due_at is not None:
            complaint.resolve_due_at += now - complaint.paused_at
        complaint.paused_at = None
    if clock is Clock.PAUSE:
        complaint.paused_at = now
        complaint.next_escalation_at = None
        return
    if clock is Clock.KEEP:
        return
    if clock is Clock.RESOLVE:
        complaint.due_at = complaint.resolve_due_at
    elif deadline is not None:
        complaint.due_at = deadline.due_at
    else:
        complaint.due_at = ctx.policy.stage_due(clock, complaint.weight, now, ctx.calendar, tz)
    complaint.escalation_level = 0
    schedule_next(complaint, ctx.calendar, tz)


async def assign(
    ctx: CaseContext, uow: UnitOfWork, code: str, officer: Officer, actor: Actor, now: datetime
) -> Complaint:
    """An officer takes a case (or a supervisor gives it to one of the unit's officers)."""
    complaint = await get(uow, code, for_update=True)
    ctx.authorise(actor, complaint)
    if officer.unit_id != complaint.unit_id and officer.role is not Role.ADMIN:
        raise NotAuthorised(actor=officer.id, role=officer.role, code=complaint.code)
    complaint.assignee = officer.id
    complaint.record(AuditEntry(now, actor.id, actor.role, AuditKind.ASSIGNED, None, None,
                                facts=Assignment(officer.id)))
    await uow.complaints.save(complaint)
    return complaint

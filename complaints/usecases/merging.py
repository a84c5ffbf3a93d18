"""Merging duplicates: the same problem reported twice becomes one case.

The duplicate is rejected (``ditolak``) with the reason "duplikat <kept>" and the facts
``Rejection(DUPLICATE, kept)``, so only the roles the workflow table lets reject may merge,
and only from the statuses it allows. Its complainant (and its own supporters) become
supporters of the kept case and are told where to follow it; its description, as their
words, and its evidence move over; its clock stops, and from then on the kept case's
deadlines are theirs. A merge made by mistake is undone (:func:`unmerge`): the duplicate
returns to the status it had, with the deadline of the stage it was in; what moved over
goes back. Everything is in both audit trails."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ..errors import DomainError, IllegalTransition, NotAuthorised
from ..escalation import schedule_next
from ..model import (
    Actor,
    AuditEntry,
    AuditKind,
    Complaint,
    Rejection,
    RejectionReason,
    Support,
    SupportChange,
    Supporter,
)
from ..notifications import Notification
from ..ports import UnitOfWork
from ..taxonomy import Role, Status
from ..workflow import OPEN, roles_for
from .casework import get, start_stage
from .context import CaseContext
from .notify import notify_complainant, tell_supporters


@dataclass(frozen=True)
class Merge:
    duplicate: Complaint
    kept: Complaint
    queued: tuple[Notification, ...]  # written to the outbox in the same transaction


def _supporter_of(complaint: Complaint, now: datetime) -> Supporter:
    person = complaint.complainant
    return Supporter(complaint.channel, complaint.sender, complaint.privacy, now, name=person.name,
                     phone=person.phone, merged_from=complaint.code)


async def merge(ctx: CaseContext, uow: UnitOfWork, code: str, into: str, actor: Actor, now: datetime) -> Merge:
    """Merge the case ``code`` into the case ``into`` (kept)."""
    if code == into:
        raise DomainError("merge_self", code=code)
    if actor.role not in roles_for(Status.DITOLAK):
        raise NotAuthorised(actor=actor.id, role=actor.role, target=Status.DITOLAK)
    first, second = sorted((code, into))  # always lock in one order: two merges never deadlock
    locked = {first: await get(uow, first, for_update=True), second: await get(uow, second, for_update=True)}
    duplicate, kept = locked[code], locked[into]
    ctx.authorise(actor, duplicate)
    ctx.authorise(actor, kept)
    # a case merged elsewhere is closed too: say where to merge instead (checked first)
    if kept.rejection is not None and kept.rejection.duplicate_of is not None:
        raise DomainError("merge_chain", code=code, into=into)
    if kept.status not in OPEN:
        raise DomainError("merge_target_closed", code=code, into=into)
    facts = Rejection(RejectionReason.DUPLICATE, kept.code)
    previous = duplicate.status
    entry = duplicate.move_to(Status.DITOLAK, actor, now, ctx.notices.merged_reason(kept.code), facts=facts)
    start_stage(ctx, duplicate, previous, now)
    # its complainant and its own supporters now wait on the kept case
    for supporter in [_supporter_of(duplicate, now), *duplicate.supporters]:
        if supporter.id == kept.owner or kept.supporter(supporter.id) is not None:
            continue
        kept.supporters.append(replace(supporter, merged_from=duplicate.code))  # a copy: the duplicate keeps its own
        words = duplicate.description if supporter.id == duplicate.owner else ""
        kept.record(AuditEntry(now, actor.id, actor.role, AuditKind.SUPPORT, None, None, words,
                               facts=Support(SupportChange.MERGED, supporter.id, merged_from=duplicate.code)))
    kept.evidence.extend(e for e in duplicate.evidence if e not in kept.evidence)
    await uow.complaints.save(duplicate)
    await uow.complaints.save(kept)
    owner = Actor(duplicate.owner, Role.COMPLAINANT)
    text = ctx.notices.merged(ctx.view(owner, duplicate), kept.code)
    event = f"status:{len(duplicate.audit)}"
    queued = [await notify_complainant(ctx, uow, duplicate, event, text, now)]
    queued += await tell_supporters(ctx, uow, duplicate, event, entry.note, now)
    return Merge(duplicate, kept, tuple(queued))


async def unmerge(ctx: CaseContext, uow: UnitOfWork, code: str, actor: Actor, now: datetime) -> Merge:
    """Undo the merge of the case ``code``: it goes back to the status it had before, with
    the deadline of that stage, and what moved over to the kept case leaves it."""
    if actor.role not in roles_for(Status.DITOLAK):
        raise NotAuthorised(actor=actor.id, role=actor.role, target=Status.DITOLAK)
    duplicate = await get(uow, code, for_update=True)
    rejection = duplicate.rejection
    if rejection is None or rejection.duplicate_of is None:
        raise DomainError("not_merged", code=code)
    ctx.authorise(actor, duplicate)
    kept = await get(uow, rejection.duplicate_of, for_update=True)
    merged = next(e for e in reversed(duplicate.audit) if e.to_status is Status.DITOLAK)
    before = merged.from_status
    if before is None:
        raise IllegalTransition(current=duplicate.status, target=Status.DITOLAK)
    duplicate.record(AuditEntry(now, actor.id, actor.role, AuditKind.UNMERGED, Status.DITOLAK, before,
                                facts=rejection))
    duplicate.status = before
    _restore_stage(ctx, duplicate, now)
    leaving = [s for s in kept.supporters if s.merged_from == duplicate.code]
    kept.supporters = [s for s in kept.supporters if s.merged_from != duplicate.code]
    for supporter in leaving:
        kept.record(AuditEntry(now, actor.id, actor.role, AuditKind.SUPPORT, None, None,
                               facts=Support(SupportChange.LEFT, supporter.id, merged_from=duplicate.code)))
    # the duplicate's files go back (a file is one upload: the kept case never had the same one)
    kept.evidence = [e for e in kept.evidence if e not in duplicate.evidence]
    await uow.complaints.save(duplicate)
    await uow.complaints.save(kept)
    owner = Actor(duplicate.owner, Role.COMPLAINANT)
    text = ctx.notices.unmerged(ctx.view(owner, duplicate), kept.code)
    queued = [await notify_complainant(ctx, uow, duplicate, f"status:{len(duplicate.audit)}", text, now)]
    return Merge(duplicate, kept, tuple(queued))


def _restore_stage(ctx: CaseContext, complaint: Complaint, now: datetime) -> None:
    """The deadline of the stage the case is back in: the one its last stage start recorded
    (filing: verification; disposing, reopening: the unit's follow-up); in diproses, the
    resolution target. The escalation starts over from it."""
    if complaint.status is Status.DIPROSES:
        complaint.due_at = complaint.resolve_due_at
    else:
        started = next((e.deadline for e in reversed(complaint.audit) if e.deadline is not None), None)
        complaint.due_at = started.due_at if started is not None else None
    complaint.escalation_level = 0
    schedule_next(complaint, ctx.calendar, ctx.tz(complaint))

"""Filing: a complete complaint gets its tracking code, suggested unit and deadlines, and
the central verifiers hear of it."""

from __future__ import annotations

from datetime import datetime, timedelta

from .. import tracking
from ..escalation import Level, schedule_next
from ..model import AuditEntry, AuditKind, Complainant, Complaint, Deadline
from ..ports import DuplicateCode, UnitOfWork
from ..taxonomy import PrivacyMode, Role, Status
from ..workflow import Clock
from .context import CaseContext
from .notify import notify_officers
from .screening import check_daily_limit, flag_copies

MAX_CODE_ATTEMPTS = 20


def new_code(ctx: CaseContext) -> str:
    """A tracking code drawn at random (whether it is free, the insert tells)."""
    return tracking.generate(ctx.rng)


async def _add_with_fresh_code(ctx: CaseContext, uow: UnitOfWork, complaint: Complaint) -> None:
    """The unique code settles a code drawn twice, here or by another worker at once: the
    insert refuses it (``DuplicateCode``, nothing written) and another is drawn. No check
    beforehand: it would cost a statement for a clash that almost never happens."""
    for _ in range(MAX_CODE_ATTEMPTS):
        complaint.code = new_code(ctx)
        try:
            await uow.complaints.add(complaint)
            return
        except DuplicateCode:
            continue
    raise RuntimeError("could not store the complaint under a free tracking code")


def outside_region(ctx: CaseContext, complaint: Complaint) -> bool:
    """Whether the complaint's place lies outside the organisation's own region (its
    Kemendagri code is known and is not within the organisation's code). Such a complaint
    goes to the central admin, who forwards it (``disalurkan``) to the body that has the
    authority; the receipt says so. The one rule of it."""
    region, place = ctx.org.region_code, complaint.place.region_code
    if not region or not place:
        return False
    return place != region and not place.startswith(region + ".")


def late_filing(ctx: CaseContext, complaint: Complaint, now: datetime) -> bool:
    """Filed more than the policy's days after the event (UU 25/2009); an ongoing problem
    never is: the rule is about events, not a problem that still continues."""
    if complaint.ongoing or complaint.event_date is None:
        return False
    age = now.astimezone(ctx.org.central.timezone).date() - complaint.event_date
    return age > timedelta(days=ctx.policy.late_filing_days)


async def submit(ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, now: datetime) -> Complaint:
    """File a complete complaint: code, suggested unit, deadlines, audit entry, and the
    verifiers told (the suggested unit hears of it when the case is disposed to it).
    An anonymous complaint keeps no name or contact, whatever the caller filled in. A
    complaint about a place outside the organisation's region (:func:`outside_region`)
    is suggested to the central unit, and its filing entry says it is to be forwarded."""
    org, policy = ctx.org, ctx.policy
    await check_daily_limit(ctx, uow, complaint, now)  # TooManyComplaints: nothing written, the caller keeps it
    if complaint.privacy is PrivacyMode.ANONIM:
        complaint.complainant = Complainant()
    outside = outside_region(ctx, complaint)
    suggested = org.central if outside else org.unit_for(complaint.category)
    complaint.unit_id = suggested.id
    complaint.status = Status.DITERIMA
    complaint.created_at = now
    tz = org.central.timezone
    complaint.due_at = policy.stage_due(Clock.VERIFY, complaint.weight, now, ctx.calendar, tz)
    deadline = Deadline(org.central.id, complaint.due_at) if complaint.due_at is not None else None
    complaint.resolve_due_at = policy.resolve_due(complaint.weight, now, tz)
    complaint.late_filing = late_filing(ctx, complaint, now)
    schedule_next(complaint, ctx.calendar, tz)
    note = ctx.notices.outside_region_note(complaint.place.region_name) if outside else ""
    complaint.record(AuditEntry(now, "bot", Role.SYSTEM, AuditKind.CREATED, None, Status.DITERIMA, note,
                                deadline=deadline))
    await _add_with_fresh_code(ctx, uow, complaint)
    verifiers = org.escalation_recipients(org.default_unit, Level.REMINDER)
    await notify_officers(
        ctx, uow, verifiers, complaint, "created",
        lambda officer, view: ctx.notices.verification_needed(view, suggested, officer), now,
        unit=org.central, stage="verify",
    )
    await flag_copies(ctx, uow, complaint, now)  # the same text from many chats: the admins hear of it once
    return complaint


async def list_for_sender(uow: UnitOfWork, channel: str, sender: str, limit: int = 10) -> list[Complaint]:
    """The complaints filed from one chat, newest first."""
    return await uow.complaints.list_by_sender(channel, sender, limit)

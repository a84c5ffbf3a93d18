"""What a complainant adds to their own open case after filing it ("tambahan: …", a photo,
a voice note): kept in the case and passed to the unit, without moving it along the
workflow. (An answer to the unit's question is ``followup.provide_info``, which resumes
the clock.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..model import AuditEntry, AuditKind, Complaint, Evidence
from ..ports import UnitOfWork
from ..taxonomy import Role
from ..workflow import OPEN
from .casework import get
from .context import CaseContext
from .notify import notify_handlers

BELONGS_WITHIN = timedelta(days=3)  # media this soon after filing plainly belongs to the case


async def latest_open(uow: UnitOfWork, channel: str, sender: str, now: datetime,
                      within: timedelta | None = None) -> Complaint | None:
    """The sender's newest complaint still being handled (filed no longer than ``within`` ago)."""
    newest = await uow.complaints.list_by_sender(channel, sender, 1, OPEN)
    if newest and (within is None or now - newest[0].created_at <= within):
        return newest[0]
    return None


async def add(
    ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, text: str, evidence: list[Evidence], now: datetime
) -> Complaint:
    """Keep the complainant's addition in the case (an INFO entry, the files as evidence)
    and tell the unit's officers, as an answer to a question would be."""
    complaint = await get(uow, complaint.code, for_update=True)
    complaint.evidence.extend(evidence)
    complaint.record(AuditEntry(now, complaint.owner, Role.COMPLAINANT, AuditKind.INFO, None, None, text))
    await uow.complaints.save(complaint)
    await notify_handlers(
        ctx, uow, complaint,
        f"info:{len(complaint.audit)}",
        lambda officer, view: ctx.notices.info_added(
            view, ctx.visibility.text_for(officer.actor, complaint, text), len(evidence), officer),
        now,
    )
    return complaint

"""Escalation: an overdue (or reopened) case is told to the next level of its responsible
unit, once per stage and level, and the level is remembered. The sweep
(``complaints.sweep``) decides when; this module what is sent and recorded."""

from __future__ import annotations

from datetime import datetime

from ..escalation import Level, schedule_next
from ..model import AuditEntry, AuditKind, Complaint, Escalation
from ..notifications import Notification
from ..ports import UnitOfWork
from ..taxonomy import Role
from .context import CaseContext
from .notify import notify_officers


async def escalate(
    ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, level: Level, now: datetime, *, reason: str
) -> list[Notification]:
    """Tell the level's people (once per stage and level) and remember the level."""
    unit = ctx.responsible_unit(complaint)
    officers = ctx.org.escalation_recipients(unit.id, level, complaint.assignee)
    stage = len(complaint.audit)  # the audit length identifies the current stage's entry
    queued = await notify_officers(
        ctx, uow, officers, complaint, f"escalation:{stage}:{level}",
        lambda officer, view: ctx.notices.escalation(view, unit, int(level), officer, reason), now, unit=unit,
    )
    complaint.escalation_level = int(level)
    facts = Escalation(int(level), unit.id, complaint.due_at, tuple(o.id for o in officers))
    complaint.record(AuditEntry(now, "bot", Role.SYSTEM, AuditKind.ESCALATED, None, None, facts=facts))
    schedule_next(complaint, ctx.calendar, unit.timezone)
    return queued

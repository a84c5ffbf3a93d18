"""Verification and disposition: the central admin's stage. A verified case is disposed to
the unit it was routed to, or re-routed to another; that unit's officers then hear of it.

The move itself goes through :func:`complaints.usecases.casework.change_status` (one
transition table); this module holds what is particular to disposing.
"""

from __future__ import annotations

from datetime import datetime

from ..errors import DomainError
from ..escalation import Level
from ..model import Complaint, Disposition
from ..notifications import Notification
from ..ports import UnitOfWork
from ..taxonomy import Status
from .context import CaseContext
from .notify import notify_officers


def check_target_unit(ctx: CaseContext, target: Status, unit_id: str | None) -> None:
    """A unit may only be named when disposing, and must be one of the organisation's."""
    if unit_id is not None and (target is not Status.DIDISPOSISIKAN or unit_id not in ctx.org.units):
        raise DomainError("bad_unit", unit=unit_id, target=target)


def disposition(ctx: CaseContext, complaint: Complaint, unit_id: str | None) -> Disposition:
    """To ``unit_id``, or to the unit the case is routed to (the suggestion, or the unit of
    an earlier disposition); a re-route names the unit it leaves."""
    current = complaint.unit_id or ctx.unit_of(complaint).id
    target = unit_id if unit_id is not None else current
    return Disposition(target, current if target != current else None)


def route(complaint: Complaint, facts: Disposition) -> None:
    """A re-routed case belongs to its new unit, and to none of the old unit's officers."""
    if facts.rerouted:
        complaint.unit_id = facts.unit_id
        complaint.assignee = None


async def tell_unit(ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, now: datetime) -> list[Notification]:
    """The unit the case was disposed to hears of its new case."""
    unit = ctx.unit_of(complaint)
    return await notify_officers(
        ctx, uow, ctx.org.escalation_recipients(unit.id, Level.REMINDER), complaint,
        f"disposed:{len(complaint.audit)}", lambda officer, view: ctx.notices.new_case(view, unit, officer), now,
    )

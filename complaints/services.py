"""Use cases, written against the unit-of-work interface. Time is always passed in."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from . import tracking
from .calendar import WorkingCalendar
from .deadlines import DeadlinePolicy
from .errors import NotAuthorised, NotFound
from .model import Actor, AuditEntry, Complaint
from .notifications import Notices, Notification
from .org import Organisation
from .ports import DuplicateCode, UnitOfWork
from .taxonomy import Role, Status

MAX_CODE_ATTEMPTS = 20


@dataclass(frozen=True)
class StatusChange:
    complaint: Complaint
    entry: AuditEntry
    queued: tuple[Notification, ...]  # written to the outbox in the same transaction


@dataclass
class ComplaintDesk:
    """Files complaints, moves them through their statuses and tells the people concerned."""

    org: Organisation
    notices: Notices
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    policy: DeadlinePolicy = field(default_factory=DeadlinePolicy)
    rng: random.Random = field(default_factory=random.SystemRandom)

    async def new_code(self, uow: UnitOfWork) -> str:
        for _ in range(MAX_CODE_ATTEMPTS):
            code = tracking.generate(self.rng)
            if not await uow.complaints.code_exists(code):
                return code
        raise RuntimeError("could not find a free tracking code")

    async def _add_with_fresh_code(self, uow: UnitOfWork, complaint: Complaint) -> None:
        """Another worker may take the same code between the check and the insert."""
        for _ in range(MAX_CODE_ATTEMPTS):
            complaint.code = await self.new_code(uow)
            try:
                await uow.complaints.add(complaint)
                return
            except DuplicateCode:
                continue
        raise RuntimeError("could not store the complaint under a free tracking code")

    async def submit(self, uow: UnitOfWork, complaint: Complaint, now: datetime) -> Complaint:
        """File a complete complaint: code, unit, deadlines, audit entry, officers told.

        The caller commits, so the complaint, its audit entry and the outbox rows land in
        one transaction (together with whatever else the caller changed, e.g. dialog state).
        """
        unit = self.org.unit_for(complaint.category)
        complaint.unit_id = unit.id
        complaint.status = Status.DITERIMA
        complaint.created_at = now
        complaint.due_at = self.policy.stage_due(Status.DITERIMA, complaint.weight, now, self.calendar, unit.timezone)
        complaint.resolve_due_at = self.policy.resolve_due(complaint.weight, now, unit.timezone)
        if complaint.event_date is not None:
            age = now.astimezone(unit.timezone).date() - complaint.event_date
            complaint.late_filing = age > timedelta(days=self.policy.late_filing_days)
        complaint.record(AuditEntry(now, "bot", Role.SYSTEM, "created", None, Status.DITERIMA))
        await self._add_with_fresh_code(uow, complaint)
        for officer in self.org.officers_of(unit.id):
            identity = officer.primary_identity
            if identity is None:
                continue
            channel, recipient = identity
            await uow.outbox.add(
                Notification(
                    key=f"{complaint.code}:created:{officer.id}",
                    channel=channel,
                    recipient=recipient,
                    text=self.notices.new_case(complaint, unit, officer),
                    complaint_code=complaint.code,
                ),
                now,
            )
        return complaint

    async def get(self, uow: UnitOfWork, code: str, *, for_update: bool = False) -> Complaint:
        complaint = await uow.complaints.get(code, for_update=for_update)
        if complaint is None:
            raise NotFound(code=code)
        return complaint

    def authorise(self, actor: Actor, complaint: Complaint) -> None:
        if actor.role in (Role.ADMIN, Role.SYSTEM):
            return
        if actor.role is Role.COMPLAINANT:
            if actor.id == f"{complaint.channel}:{complaint.sender}":
                return
        elif actor.unit_id is not None and actor.unit_id == complaint.unit_id:
            return
        raise NotAuthorised(actor=actor.id, role=actor.role, code=complaint.code)

    async def change_status(
        self, uow: UnitOfWork, code: str, target: Status, actor: Actor, now: datetime, note: str = ""
    ) -> StatusChange:
        complaint = await self.get(uow, code, for_update=True)
        self.authorise(actor, complaint)
        entry = complaint.move_to(target, actor, now, note)
        unit = self.org.units.get(complaint.unit_id or "") or self.org.unit_for(complaint.category)
        complaint.due_at = self.policy.stage_due(target, complaint.weight, now, self.calendar, unit.timezone)
        await uow.complaints.save(complaint)
        notice = Notification(
            key=f"{complaint.code}:status:{len(complaint.audit)}:{complaint.channel}:{complaint.sender}",
            channel=complaint.channel,
            recipient=complaint.sender,
            text=self.notices.status_changed(complaint, entry, unit),
            complaint_code=complaint.code,
        )
        await uow.outbox.add(notice, now)
        return StatusChange(complaint, entry, (notice,))

    async def list_for_sender(self, uow: UnitOfWork, channel: str, sender: str, limit: int = 10) -> list[Complaint]:
        return await uow.complaints.list_by_sender(channel, sender, limit)

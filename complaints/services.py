"""Use cases, written against the unit-of-work interface. Time is always passed in.

The caller commits: a complaint, its audit entries and the outbox rows of a use case land
in one transaction together with whatever else the caller changed (e.g. dialog state).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from . import tracking
from .calendar import WorkingCalendar
from .deadlines import DeadlinePolicy
from .errors import DomainError, NotAuthorised, NotFound
from .escalation import CENTRAL_STAGES, Level, reopen_level, schedule_next
from .model import (
    Actor,
    Assignment,
    AuditEntry,
    AuditKind,
    Complainant,
    Complaint,
    Disposition,
    Escalation,
    Evidence,
    Rating,
    Score,
)
from .notifications import Button, Notices, Notification
from .org import Officer, Organisation, Unit
from .ports import DuplicateCode, UnitOfWork
from .taxonomy import PrivacyMode, Role, Status, Weight
from .visibility import CaseView, Visibility
from .workflow import PAUSED, Clock, clock_of, roles_for

# what an officer's notice says, given the officer and the case as they may see it
NoticeText = Callable[[Officer, CaseView], str]

MAX_CODE_ATTEMPTS = 20
SKM_SCALE = range(1, 5)


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
    rng: random.Random = field(default_factory=random.SystemRandom)
    # channels nobody can be messaged on (a portal filing through the REST API reads the
    # status back itself): the complainant's notices are not queued for them
    pull_only_channels: frozenset[str] = frozenset()

    @property
    def policy(self) -> DeadlinePolicy:
        return self.org.policy

    @property
    def visibility(self) -> Visibility:
        return Visibility(self.org.default_unit)

    def view(self, viewer: Actor, complaint: Complaint) -> CaseView:
        """The complaint as ``viewer`` may see it (complaints.visibility)."""
        return self.visibility.view(viewer, complaint)

    # --- whose stage, which clock ---------------------------------------------------------

    def unit_of(self, complaint: Complaint) -> Unit:
        return self.org.units.get(complaint.unit_id or "") or self.org.unit_for(complaint.category)

    def responsible_unit(self, complaint: Complaint) -> Unit:
        """Verification and disposition belong to the central admin; the rest to the unit."""
        return self.org.central if complaint.status in CENTRAL_STAGES else self.unit_of(complaint)

    def tz(self, complaint: Complaint) -> ZoneInfo:
        return self.responsible_unit(complaint).timezone

    def hold_until_working_hours(self, complaint: Complaint, unit: Unit, now: datetime) -> datetime | None:
        """Officers are not pinged at night or on holidays, unless the case is urgent."""
        if complaint.weight is Weight.BERAT:
            return None
        moment = self.calendar.next_working_moment(now, unit.timezone, self.org.working_hours)
        return None if moment == now else moment

    async def notify_officers(
        self, uow: UnitOfWork, officers: list[Officer], complaint: Complaint, event: str, text_for: NoticeText,
        now: datetime, *, unit: Unit | None = None, stage: str = "unit",
    ) -> list[Notification]:
        """Queue a message to each officer's first chat, with the buttons of ``stage``; each
        officer's text is worded from the case as that officer may see it."""
        queued = []
        buttons = self.notices.case_buttons(complaint.code, stage)
        not_before = self.hold_until_working_hours(complaint, unit or self.responsible_unit(complaint), now)
        for officer in officers:
            identity = officer.primary_identity
            if identity is None:
                continue
            channel, recipient = identity
            notice = Notification(
                key=f"{complaint.code}:{event}:{officer.id}",
                channel=channel,
                recipient=recipient,
                text=text_for(officer, self.view(officer.actor, complaint)),
                buttons=buttons,
                complaint_code=complaint.code,
            )
            if await uow.outbox.add(notice, now, not_before):
                queued.append(notice)
        return queued

    async def notify_complainant(
        self, uow: UnitOfWork, complaint: Complaint, event: str, text: str, now: datetime, buttons: tuple[Button, ...] = ()
    ) -> Notification:
        notice = Notification(
            key=f"{complaint.code}:{event}:{complaint.channel}:{complaint.sender}",
            channel=complaint.channel,
            recipient=complaint.sender,
            text=text,
            buttons=tuple(buttons),
            complaint_code=complaint.code,
        )
        if complaint.channel not in self.pull_only_channels:
            await uow.outbox.add(notice, now)
        return notice

    # --- filing ---------------------------------------------------------------------------

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
        """File a complete complaint: code, suggested unit, deadlines, audit entry, and the
        verifiers told (the suggested unit hears of it when the case is disposed to it).
        An anonymous complaint keeps no name or contact, whatever the caller filled in."""
        if complaint.privacy is PrivacyMode.ANONIM:
            complaint.complainant = Complainant()
        suggested = self.org.unit_for(complaint.category)
        complaint.unit_id = suggested.id
        complaint.status = Status.DITERIMA
        complaint.created_at = now
        tz = self.org.central.timezone
        complaint.due_at = self.policy.stage_due(Clock.VERIFY, complaint.weight, now, self.calendar, tz)
        complaint.resolve_due_at = self.policy.resolve_due(complaint.weight, now, tz)
        if complaint.event_date is not None:
            age = now.astimezone(tz).date() - complaint.event_date
            complaint.late_filing = age > timedelta(days=self.policy.late_filing_days)
        schedule_next(complaint, self.calendar, tz)
        complaint.record(AuditEntry(now, "bot", Role.SYSTEM, AuditKind.CREATED, None, Status.DITERIMA))
        await self._add_with_fresh_code(uow, complaint)
        verifiers = self.org.escalation_recipients(self.org.default_unit, Level.REMINDER)
        await self.notify_officers(
            uow, verifiers, complaint, "created",
            lambda officer, view: self.notices.verification_needed(view, suggested, officer), now,
            unit=self.org.central, stage="verify",
        )
        return complaint

    async def get(self, uow: UnitOfWork, code: str, *, for_update: bool = False) -> Complaint:
        complaint = await uow.complaints.get(code, for_update=for_update)
        if complaint is None:
            raise NotFound(code=code)
        return complaint

    def authorise(self, actor: Actor, complaint: Complaint) -> None:
        self.visibility.authorise(actor, complaint)

    # --- moving through the statuses ----------------------------------------------------------

    async def change_status(
        self, uow: UnitOfWork, code: str, target: Status, actor: Actor, now: datetime, note: str = "",
        *, unit_id: str | None = None,
    ) -> StatusChange:
        """Move a complaint; ``unit_id`` disposes it to another unit than the suggested one."""
        complaint = await self.get(uow, code, for_update=True)
        if unit_id is not None and (target is not Status.DIDISPOSISIKAN or unit_id not in self.org.units):
            raise DomainError("bad_unit", unit=unit_id, target=target)
        if actor.role not in roles_for(target):  # say what the role may not do before whose case it is
            raise NotAuthorised(actor=actor.id, role=actor.role, target=target)
        self.authorise(actor, complaint)
        previous = complaint.status
        disposition = self._disposition(complaint, unit_id) if target is Status.DIDISPOSISIKAN else None
        entry = complaint.move_to(target, actor, now, note, facts=disposition)
        if disposition is not None and disposition.rerouted:
            complaint.unit_id = disposition.unit_id
            complaint.assignee = None
        self._start_stage(complaint, previous, now)
        await uow.complaints.save(complaint)
        queued = [await self._tell_complainant(uow, complaint, entry, now)]
        if target is Status.DIDISPOSISIKAN:
            unit = self.unit_of(complaint)
            queued += await self.notify_officers(
                uow, self.org.escalation_recipients(unit.id, Level.REMINDER), complaint,
                f"disposed:{len(complaint.audit)}", lambda officer, view: self.notices.new_case(view, unit, officer),
                now,
            )
        return StatusChange(complaint, entry, tuple(queued))

    def _disposition(self, complaint: Complaint, unit_id: str | None) -> Disposition:
        """To ``unit_id``, or to the unit the case is routed to (the suggestion, or the unit of
        an earlier disposition); a re-route names the unit it leaves."""
        current = complaint.unit_id or self.unit_of(complaint).id
        target = unit_id if unit_id is not None else current
        return Disposition(target, current if target != current else None)

    def _start_stage(self, complaint: Complaint, previous: Status, now: datetime) -> None:
        """The deadline clock of the move just made, as the workflow table says; leaving a
        paused status (waiting for the complainant) gives the paused time back."""
        clock = clock_of(previous, complaint.status)
        tz = self.tz(complaint)
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
        else:
            complaint.due_at = self.policy.stage_due(clock, complaint.weight, now, self.calendar, tz)
        complaint.escalation_level = 0
        schedule_next(complaint, self.calendar, tz)

    async def _tell_complainant(
        self, uow: UnitOfWork, complaint: Complaint, entry: AuditEntry, now: datetime
    ) -> Notification:
        buttons = self.notices.rating_buttons(complaint.code) if complaint.status is Status.SELESAI else ()
        text = self.status_text(complaint, entry)
        return await self.notify_complainant(uow, complaint, f"status:{len(complaint.audit)}", text, now, buttons)

    def status_text(self, complaint: Complaint, entry: AuditEntry) -> str:
        """What the complainant reads of a status change (their own view of the case)."""
        owner = Actor(complaint.owner, Role.COMPLAINANT)
        return self.notices.status_changed(self.view(owner, complaint), entry.note, self.unit_of(complaint))

    async def assign(self, uow: UnitOfWork, code: str, officer: Officer, actor: Actor, now: datetime) -> Complaint:
        """An officer takes a case (or a supervisor gives it to one of the unit's officers)."""
        complaint = await self.get(uow, code, for_update=True)
        self.authorise(actor, complaint)
        if officer.unit_id != complaint.unit_id and officer.role is not Role.ADMIN:
            raise NotAuthorised(actor=officer.id, role=officer.role, code=complaint.code)
        complaint.assignee = officer.id
        complaint.record(AuditEntry(now, actor.id, actor.role, AuditKind.ASSIGNED, None, None,
                                    facts=Assignment(officer.id)))
        await uow.complaints.save(complaint)
        return complaint

    async def list_for_sender(self, uow: UnitOfWork, channel: str, sender: str, limit: int = 10) -> list[Complaint]:
        return await uow.complaints.list_by_sender(channel, sender, limit)

    # --- the complainant's side -----------------------------------------------------------------

    async def waiting_for(self, uow: UnitOfWork, channel: str, sender: str) -> Complaint | None:
        """The sender's complaint that is waiting for their answer, if any (the newest)."""
        for complaint in await uow.complaints.list_by_sender(channel, sender, 20):
            if complaint.status is Status.MENUNGGU_INFORMASI:
                return complaint
        return None

    async def provide_info(
        self, uow: UnitOfWork, complaint: Complaint, text: str, evidence: list[Evidence], now: datetime
    ) -> Complaint:
        """The complainant answered the unit's question: relay it into the case, resume the
        clock, and tell the officers."""
        complaint = await self.get(uow, complaint.code, for_update=True)
        complaint.evidence.extend(evidence)
        complaint.record(AuditEntry(now, complaint.owner, Role.COMPLAINANT, AuditKind.INFO, None, None, text))
        previous = complaint.status
        complaint.move_to(Status.DIPROSES, Actor.system(), now, "")
        self._start_stage(complaint, previous, now)
        await uow.complaints.save(complaint)
        unit = self.unit_of(complaint)
        await self.notify_officers(
            uow, self.org.escalation_recipients(unit.id, Level.REMINDER, complaint.assignee), complaint,
            f"info:{len(complaint.audit)}",
            lambda officer, view: self.notices.info_received(
                view, self.visibility.text_for(officer.actor, complaint, text), officer),
            now,
        )
        return complaint

    async def awaiting_rating(self, uow: UnitOfWork, channel: str, sender: str) -> list[Complaint]:
        return [c for c in await uow.complaints.list_by_sender(channel, sender, 20) if c.status is Status.SELESAI]

    async def rate(self, uow: UnitOfWork, code: str, actor: Actor, satisfied: bool, now: datetime) -> Complaint:
        """Puas closes the case; tidak puas reopens it one escalation level higher."""
        complaint = await self.get(uow, code, for_update=True)
        if actor.role is not Role.COMPLAINANT:
            raise NotAuthorised(actor=actor.id, role=actor.role, code=code)
        self.authorise(actor, complaint)
        if complaint.status is not Status.SELESAI:
            raise DomainError("not_rateable", code=code, status=complaint.status)
        complaint.satisfied, complaint.rated_at = satisfied, now
        if satisfied:
            complaint.move_to(Status.DITUTUP, actor, now, self.notices.satisfied_note(), facts=Rating(True))
            complaint.next_escalation_at = None
            await uow.complaints.save(complaint)
            return complaint
        complaint.move_to(Status.DIBUKA_KEMBALI, actor, now, self.notices.unsatisfied_note(), facts=Rating(False))
        complaint.reopen_count += 1
        self._start_stage(complaint, Status.SELESAI, now)
        level = reopen_level(complaint.reopen_count)
        await self.escalate(uow, complaint, level, now, reason="reopened")
        await uow.complaints.save(complaint)
        return complaint

    async def score(self, uow: UnitOfWork, code: str, actor: Actor, score: int, now: datetime) -> Complaint:
        """The SKM 1-4 score of the answer, once, after the case was rated."""
        complaint = await self.get(uow, code, for_update=True)
        self.authorise(actor, complaint)
        if score not in SKM_SCALE or complaint.satisfied is None or complaint.skm_score is not None:
            raise DomainError("not_scoreable", code=code)
        complaint.skm_score = score
        complaint.record(AuditEntry(now, actor.id, actor.role, AuditKind.RATED, None, None, facts=Score(score)))
        await uow.complaints.save(complaint)
        return complaint

    # --- escalation -------------------------------------------------------------------------------

    async def escalate(
        self, uow: UnitOfWork, complaint: Complaint, level: Level, now: datetime, *, reason: str
    ) -> list[Notification]:
        """Tell the level's people (once per stage and level) and remember the level."""
        unit = self.responsible_unit(complaint)
        officers = self.org.escalation_recipients(unit.id, level, complaint.assignee)
        stage = len(complaint.audit)  # the audit length identifies the current stage's entry
        queued = await self.notify_officers(
            uow, officers, complaint, f"escalation:{stage}:{level}",
            lambda officer, view: self.notices.escalation(view, unit, int(level), officer, reason), now, unit=unit,
        )
        complaint.escalation_level = int(level)
        facts = Escalation(int(level), unit.id, complaint.due_at, tuple(o.id for o in officers))
        complaint.record(AuditEntry(now, "bot", Role.SYSTEM, AuditKind.ESCALATED, None, None, facts=facts))
        schedule_next(complaint, self.calendar, unit.timezone)
        return queued

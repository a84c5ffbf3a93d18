"""The periodic sweep: escalate what is due, auto-close what nobody rated, forget which
chat messages filed reports were made of after ``FILED_MESSAGES_KEPT_FOR``, and the
supervisors' daily digest. Each is a use case; the scheduler only supplies the time.

Each pass reads the organisation's current snapshot once (``ContextSource.current``), so
a changed organisation file applies from the next pass on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from .escalation import reached, schedule_next
from .model import Actor, Complaint
from .notifications import Notification
from .ports import UnitOfWork
from .taxonomy import Role, Status
from .usecases.context import CaseContext, ContextSource
from .usecases.delivery import undelivered_since
from .usecases.escalate import escalate
from .usecases.notify import tell_auto_closed
from .workflow import BEFORE_DISPOSITION, OPEN

# how long an edit or deletion of a message a report was made of still reaches the case
# (bot/edits.py); the sweep forgets older ones
FILED_MESSAGES_KEPT_FOR = timedelta(days=30)


@dataclass
class SweepReport:
    escalated: list[tuple[str, int]] = field(default_factory=list)  # (code, level)
    closed: list[str] = field(default_factory=list)
    queued: list[Notification] = field(default_factory=list)  # what the pass wrote to the outbox
    forgotten: int = 0  # filed chat messages forgotten (older than FILED_MESSAGES_KEPT_FOR)


@dataclass
class Sweeper:
    contexts: ContextSource
    uow_factory: Callable[[], UnitOfWork]
    batch_size: int = 200
    digest_soon_days: int = 2  # the digest counts what falls due within these working days
    # the central unit's digest lists the cases whose complainant has not received the
    # latest notice for this long (complaints.delivery)
    undelivered_after: timedelta = timedelta(hours=24)

    async def sweep(self, now: datetime) -> SweepReport:
        """Handle every complaint whose next escalation (or auto-close) time has come.

        Batches are claimed and committed one at a time, so concurrent sweeps on
        PostgreSQL split the work (SKIP LOCKED) and each level is sent once.
        """
        report = SweepReport()
        ctx = self.contexts.current()
        first = True
        while True:
            async with self.uow_factory() as uow:
                if first:  # one indexed DELETE a pass, committed with the first batch
                    report.forgotten, first = await uow.filed_messages.prune(now - FILED_MESSAGES_KEPT_FOR), False
                due = await uow.complaints.claim_due(now, self.batch_size)
                for complaint in due:
                    await self._handle(ctx, uow, complaint, now, report)
                await uow.complaints.save_many(due)
                await uow.commit()
            if len(due) < self.batch_size:
                return report

    @staticmethod
    async def _handle(
        ctx: CaseContext, uow: UnitOfWork, complaint: Complaint, now: datetime, report: SweepReport
    ) -> None:
        """Decide and queue; the batch is saved together by ``sweep``."""
        if complaint.status is Status.SELESAI:
            days = ctx.policy.days(complaint.weight).auto_close
            complaint.move_to(Status.DITUTUP, Actor.system(), now, ctx.notices.auto_close_note(days))
            complaint.next_escalation_at = None
            report.queued.append(await tell_auto_closed(ctx, uow, complaint, days, now))
            report.closed.append(complaint.code)
            return
        tz = ctx.tz(complaint)
        level = reached(complaint, now, ctx.calendar, tz)
        if level is None:  # not due after all (e.g. the deadline moved): just reschedule
            schedule_next(complaint, ctx.calendar, tz)
        else:
            report.queued += await escalate(ctx, uow, complaint, level, now, reason="overdue")
            report.escalated.append((complaint.code, int(level)))

    async def digest(self, now: datetime) -> list[Notification]:
        """One summary a day to each supervisor (and head) of every unit; queued once per
        day even when several schedulers run it."""
        ctx = self.contexts.current()
        org = ctx.org
        queued: list[Notification] = []
        async with self.uow_factory() as uow:
            for unit in org.units.values():
                readers = org.officers_of(unit.id, frozenset({Role.SUPERVISOR, Role.HEAD}))
                if not readers:
                    continue
                soon = ctx.calendar.add_working_days(now, self.digest_soon_days, unit.timezone)
                # a unit counts what was disposed to it; the central unit also what it verifies
                statuses = OPEN if unit.id == org.default_unit else OPEN - BEFORE_DISPOSITION
                summary = replace(await uow.complaints.open_summary(unit.id, now, soon, statuses),
                                  soon_days=self.digest_soon_days)
                if unit.id == org.default_unit:
                    summary = replace(summary, undelivered=await undelivered_since(uow, now - self.undelivered_after))
                day = now.astimezone(unit.timezone).date().isoformat()
                not_before = ctx.calendar.next_working_moment(now, unit.timezone, org.working_hours)
                for officer in readers:
                    identity = officer.primary_identity
                    if identity is None:
                        continue
                    notice = Notification(
                        key=f"digest:{day}:{officer.id}",
                        channel=identity[0],
                        recipient=identity[1],
                        text=ctx.notices.digest(unit, summary, officer, now, org.officers),
                    )
                    if await uow.outbox.add(notice, now, not_before if not_before != now else None):
                        queued.append(notice)
            await uow.commit()
        return queued

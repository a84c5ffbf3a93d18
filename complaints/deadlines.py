"""Deadline policy per stage and weight (defaults from TAXONOMY.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from .calendar import WorkingCalendar
from .taxonomy import Weight
from .workflow import Clock


@dataclass(frozen=True)
class StageDays:
    verify: int = 3  # diterima -> didisposisikan, working days (SP4N-LAPOR!)
    follow_up: int = 5  # didisposisikan -> diproses, working days (SP4N-LAPOR!)
    resolve: int = 60  # diterima -> selesai, calendar days (Perpres 76/2013)
    auto_close: int = 10  # selesai without reply -> ditutup, working days


@dataclass(frozen=True)
class DeadlinePolicy:
    normal: StageDays = StageDays()
    urgent: StageDays = StageDays(verify=1, follow_up=2, resolve=14)
    late_filing_days: int = 30  # UU 25/2009: complaints should arrive within 30 days

    def days(self, weight: Weight) -> StageDays:
        return self.urgent if weight is Weight.BERAT else self.normal

    def working_days(self, clock: Clock, weight: Weight) -> int | None:
        """The working days a clock counts (None: it counts none, or calendar days)."""
        days = self.days(weight)
        return {Clock.VERIFY: days.verify, Clock.FOLLOW_UP: days.follow_up, Clock.AUTO_CLOSE: days.auto_close}.get(clock)

    def stage_due(
        self, clock: Clock, weight: Weight, now: datetime, calendar: WorkingCalendar, tz: ZoneInfo
    ) -> datetime | None:
        """When a stage whose ``clock`` starts at ``now`` must be finished, or None if that
        clock counts no working days (the resolution target is set once, at filing)."""
        working = self.working_days(clock, weight)
        if working is None:
            return None
        return calendar.add_working_days(now, working, tz)

    def resolve_due(self, weight: Weight, now: datetime, tz: ZoneInfo) -> datetime:
        last_day = now.astimezone(tz).date() + timedelta(days=self.days(weight).resolve)
        return datetime.combine(last_day, time(23, 59, 59), tzinfo=tz)


class Urgency(StrEnum):
    """How a case's running deadline stands now (the officers' lists colour it)."""

    NONE = "none"  # no deadline runs (paused, answered, closed)
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"  # due by the end of the next working day
    OVERDUE = "overdue"


def urgency(due_at: datetime | None, running: bool, now: datetime, calendar: WorkingCalendar, tz: ZoneInfo) -> Urgency:
    """``running``: the case is in a status whose stage deadline runs (workflow.ESCALATING)."""
    if not running or due_at is None:
        return Urgency.NONE
    if due_at < now:
        return Urgency.OVERDUE
    if due_at <= calendar.add_working_days(now, 1, tz):
        return Urgency.DUE_SOON
    return Urgency.ON_TIME

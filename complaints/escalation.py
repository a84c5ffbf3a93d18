"""When a stage's deadline nears or passes, tell someone, one level higher each time.

Level 1 reminds the officers one working day before the deadline (from the start of the
deadline's day), level 2 tells the supervisor at the deadline, level 3 the head one
working day later. Each complaint stores the level it reached and when the next one is
due, so one indexed sweep finds what is due and each level is sent once.
"""

from __future__ import annotations

from datetime import datetime, time
from enum import IntEnum
from zoneinfo import ZoneInfo

from .calendar import WorkingCalendar
from .model import Complaint
from .taxonomy import Status
from .workflow import BEFORE_DISPOSITION, ESCALATING


class Level(IntEnum):
    REMINDER = 1  # the officers handling the stage
    SUPERVISOR = 2
    HEAD = 3  # the unit's head, or the central admin's


TOP = Level.HEAD

# Statuses whose stage deadline escalates (workflow.ESCALATING): waiting for the complainant
# pauses the clock; "selesai" has its own clock (auto-close), handled by the sweep without
# escalation. The verify-and-dispose stage belongs to the central admin, not to the
# suggested unit.
CENTRAL_STAGES: frozenset[Status] = BEFORE_DISPOSITION


def level_times(due_at: datetime, calendar: WorkingCalendar, tz: ZoneInfo) -> dict[Level, datetime]:
    local_due = due_at.astimezone(tz)
    return {
        Level.REMINDER: datetime.combine(local_due.date(), time(0, 0), tzinfo=tz),
        Level.SUPERVISOR: due_at,
        Level.HEAD: calendar.add_working_days(due_at, 1, tz),
    }


def schedule_next(complaint: Complaint, calendar: WorkingCalendar, tz: ZoneInfo) -> None:
    """Set ``next_escalation_at``: the next level's time, the auto-close time, or None."""
    if complaint.status is Status.SELESAI:
        complaint.next_escalation_at = complaint.due_at
        return
    if complaint.status not in ESCALATING or complaint.due_at is None or complaint.escalation_level >= TOP:
        complaint.next_escalation_at = None
        return
    times = level_times(complaint.due_at, calendar, tz)
    complaint.next_escalation_at = times[Level(complaint.escalation_level + 1)]


def reached(complaint: Complaint, now: datetime, calendar: WorkingCalendar, tz: ZoneInfo) -> Level | None:
    """The highest level whose time has come and that was not sent yet (catch-up after
    downtime sends only this one, not every level it slept through)."""
    if complaint.due_at is None:
        return None
    times = level_times(complaint.due_at, calendar, tz)
    due = [level for level, at in times.items() if at <= now and level > complaint.escalation_level]
    return max(due) if due else None


def reopen_level(reopen_count: int) -> Level:
    """A complaint reopened by its complainant goes one level up each time: the supervisor,
    then the head (TOP; after that the citizen is pointed to the Ombudsman)."""
    return Level(min(1 + reopen_count, TOP))

"""Working days: weekends and holidays skipped, counted in a unit's own time zone."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SATURDAY, SUNDAY = 5, 6


@dataclass(frozen=True)
class WorkingCalendar:
    # Any container of dates: a set, or the ``holidays`` package's calendar (which the
    # composition root passes in, with national holidays and cuti bersama).
    holidays: Container[date] = field(default_factory=frozenset)
    weekend: frozenset[int] = frozenset({SATURDAY, SUNDAY})

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays

    def add_working_days(self, start: datetime, days: int, tz: ZoneInfo) -> datetime:
        """The end (23:59:59 local) of the ``days``-th working day after ``start``'s date."""
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        day = start.astimezone(tz).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return datetime.combine(day, time(23, 59, 59), tzinfo=tz)

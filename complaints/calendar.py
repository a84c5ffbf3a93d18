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
    # year -> working days among its first n days, n = 0..365/366: built once per year asked
    # for, so counting the working days of a year-long case is two lookups, not a day-by-day walk
    _counts: dict[int, tuple[int, ...]] = field(default_factory=dict, init=False, repr=False, compare=False,
                                                hash=False)

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

    def working_days_between(self, start: datetime, end: datetime, tz: ZoneInfo) -> int:
        """Working days after ``start``'s date up to and including ``end``'s date (local)."""
        day, last = start.astimezone(tz).date(), end.astimezone(tz).date()
        if last <= day:
            return 0
        return self._through(last) - self._through(day) + sum(self._year(y)[-1] for y in range(day.year, last.year))

    def _through(self, day: date) -> int:
        """Working days from 1 January of ``day``'s year up to and including ``day``."""
        return self._year(day.year)[day.timetuple().tm_yday]

    def _year(self, year: int) -> tuple[int, ...]:
        counts = self._counts.get(year)
        if counts is None:
            running, found, day = 0, [0], date(year, 1, 1)
            while day.year == year:
                running += self.is_working_day(day)
                found.append(running)
                day += timedelta(days=1)
            counts = self._counts[year] = tuple(found)
        return counts

    def next_working_moment(self, moment: datetime, tz: ZoneInfo, hours: WorkingHours) -> datetime:
        """``moment`` if it falls in working hours on a working day, else when they next begin."""
        local = moment.astimezone(tz)
        if self.is_working_day(local.date()) and hours.start <= local.time() < hours.end:
            return moment
        day = local.date()
        if not (self.is_working_day(day) and local.time() < hours.start):
            day += timedelta(days=1)
            while not self.is_working_day(day):
                day += timedelta(days=1)
        return datetime.combine(day, hours.start, tzinfo=tz)


@dataclass(frozen=True)
class WorkingHours:
    start: time = time(8, 0)
    end: time = time(16, 0)

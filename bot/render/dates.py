"""Dates and moments as Indonesian readers write them: "Senin, 23 November 2026 pukul
09.00 WIB", in the unit's own time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..texts import public, report


def zone_name(tz: ZoneInfo) -> str:
    """WIB, WITA or WIT; the zone's key for any other."""
    return public.ZONE_NAMES.get(tz.key, tz.key)


def format_date(day: date) -> str:
    return public.DATE.format(day=day.day, month=public.MONTHS[day.month - 1], year=day.year)


def format_day(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return public.DAY_AND_DATE.format(weekday=public.DAYS[local.weekday()], date=format_date(local.date()))


def format_moment(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return public.MOMENT.format(day=format_day(local, tz), time=f"{local:%H.%M}", zone=zone_name(tz))


def report_week(start: date, end: date) -> str:
    """A week of the recap book's trend: "23–29 Nov", "30 Nov–6 Des", or one day: "1 Nov"."""

    def short(day: date, with_month: bool = True) -> str:
        if not with_month:
            return str(day.day)
        return report.REPORT_WEEK_DAY.format(day=day.day, month=report.REPORT_MONTHS_SHORT[day.month - 1])

    if start == end:
        return short(start)
    return report.REPORT_WEEK.format(start=short(start, start.month != end.month), end=short(end))

"""The dashboard of heads, supervisors and the admin (/petugas/dasbor).

Per unit: what is open and overdue now, and for the complaints filed in a period (this
month unless the form names another) the median times to the first answer and to the
resolution, the share resolved within the deadline and the IKM; complaints.dashboard
defines each figure, the recap (complaints.recap) judges every deadline. A bar chart drawn
here as a small SVG (no script; its numbers are also in the table and its description),
and the recap book of the same period and scope as xlsx or csv, written by aduan.report's
own writers.

Everything obeys the visibility policy: only the complaints of the officer's scope
(complaints.visibility.Scope) are read or counted; a unit's head or supervisor sees their
unit, the admin and the central unit's staff every unit. Plain officers get a 403 page.
Every page reads in one transaction on a read-only connection (storage.database.read_only:
on SQLite it takes no write lock, so a long period never stalls the bot).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.concurrency import run_in_threadpool

from bot import texts
from bot.render.dates import format_date, format_moment, zone_name
from bot.render.labels import shorten
from complaints.dashboard import OPEN_DISPOSED, OPEN_UNDISPOSED, Dashboard, DashboardBook, OpenCount, UnitFigures
from complaints.recap import Period, RecapBook, RecapRow, RecapRules, RecapSummary
from complaints.taxonomy import Status
from complaints.usecases.context import CaseContext
from complaints.visibility import Scope
from storage.database import read_only
from storage.queries import ComplaintFilter, count_complaints, list_complaints

from ..report.export import ReportFormat, default_name
from ..report.table import Num, ReportContext, format_number
from .context import CONSOLE, PRIVATE_HEADERS, SECURITY_HEADERS, Context, PageError, SignedIn, Staff

MAX_DAYS = 366  # the longest period one request reads
PAGE_SIZE = 500
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOCAL = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")  # 01-11-2026, 1/11/2026
DOWNLOADS = {  # path -> (format, which of the format's files, media type)
    "rekap.xlsx": ("xlsx", 0, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "rekap.csv": ("csv", 0, "text/csv; charset=utf-8"),
    "rekap-ringkasan.csv": ("csv", 1, "text/csv; charset=utf-8"),
}


# --- the period -----------------------------------------------------------------------------------

class PeriodError(ValueError):
    """The form's dates cannot be read: the message says why, in Indonesian."""


def parse_day(name: str, value: str | None) -> date | None:
    """2026-11-01 (a date field), or 01-11-2026 / 1/11/2026 typed by hand; None when empty."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        if _ISO.fullmatch(text):
            return date.fromisoformat(text)
        local = _LOCAL.fullmatch(text)
        if local:
            return date(int(local[3]), int(local[2]), int(local[1]))
    except ValueError:
        pass
    raise PeriodError(texts.DASHBOARD_BAD_DATE.format(field=texts.DASHBOARD_FIELDS[name], value=shorten(text, 30)))


def parse_period(dari: str | None, sampai: str | None, today: date) -> Period:
    """The form's period; a date left empty is this month's first or last day."""
    default = Period.month_of(today)
    start = parse_day("dari", dari) or default.start
    end = parse_day("sampai", sampai) or default.end
    if start > end:
        raise PeriodError(texts.DASHBOARD_BAD_RANGE.format(start=format_date(start), end=format_date(end)))
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError(texts.DASHBOARD_TOO_LONG.format(days=MAX_DAYS))
    return Period(start, end)


# --- reading ----------------------------------------------------------------------------------------

def allowed(staff: Staff) -> Scope:
    """The officer's scope, or the 403 page for those the dashboard is not for."""
    if not staff.sees_dashboard:
        raise PageError(403, texts.WEB_NO_ACCESS_DASHBOARD)
    return staff.cases.visibility.scope(staff.officer.actor)


def units_shown(cases: CaseContext, scope: Scope) -> list[str]:
    if scope.everything:
        return list(cases.org.units)
    return [scope.unit_id] if scope.unit_id is not None else []


async def open_counts(conn: AsyncConnection, scope: Scope, units: list[str], central: str,
                      now: datetime) -> dict[str, OpenCount]:
    """Each unit's open and overdue complaints now; the undisposed ones are the central unit's."""

    async def count(statuses: frozenset[Status], unit_id: str | None) -> OpenCount:
        where = ComplaintFilter(statuses=statuses, unit_id=unit_id, scope=scope)
        overdue = ComplaintFilter(statuses=statuses, unit_id=unit_id, scope=scope, overdue_at=now)
        return OpenCount(await count_complaints(conn, where), await count_complaints(conn, overdue))

    counts: dict[str, OpenCount] = {}
    for unit_id in units:
        found = await count(OPEN_DISPOSED, unit_id)
        if unit_id == central:
            found += await count(OPEN_UNDISPOSED, None)
        counts[unit_id] = found
    return counts


async def read_period(conn: AsyncConnection, cases: CaseContext, scope: Scope, period: Period, now: datetime,
                      book: DashboardBook | None = None) -> tuple[list[RecapRow], RecapSummary]:
    """The recap of the scope's complaints filed in the period: rows in filing order, summary."""
    start, end = period.bounds(cases.org.central.timezone)
    wanted = ComplaintFilter(created_from=start, created_until=end - timedelta(microseconds=1), scope=scope)
    recap = RecapBook(RecapRules(cases.org, cases.calendar, now), period)
    rows: list[RecapRow] = []
    offset = 0
    while True:
        page = await list_complaints(conn, wanted, offset=offset, limit=PAGE_SIZE)  # newest first
        for complaint in page:
            row = recap.add(complaint)
            rows.append(row)
            if book is not None:
                book.add(complaint, row)
        if len(page) < PAGE_SIZE:
            break
        offset += PAGE_SIZE
    rows.sort(key=lambda row: (row.submitted_at, row.code))
    return rows, recap.summary()


# --- what the page shows ------------------------------------------------------------------------

def duration(value: timedelta | None) -> str:
    if value is None:
        return texts.DASHBOARD_EMPTY
    minutes = round(value.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        hours += minutes >= 30
        if hours == 24:
            days, hours = days + 1, 0
        return (texts.DASHBOARD_DAYS_HOURS if hours else texts.DASHBOARD_DAYS).format(days=days, hours=hours)
    if hours:
        return (texts.DASHBOARD_HOURS_MINUTES if minutes else texts.DASHBOARD_HOURS).format(hours=hours,
                                                                                           minutes=minutes)
    return texts.DASHBOARD_MINUTES.format(minutes=minutes)


@dataclass(frozen=True)
class Line:
    """One row of the table (and one card set for the total), in words and numbers."""

    name: str
    open: int
    overdue: int
    filed: int
    resolved: int
    first_response: str
    answered: int
    resolution: str
    on_time: str
    met: int
    decided: int
    ikm: str
    grade: str
    respondents: int


def line(cases: CaseContext, figures: UnitFigures) -> Line:
    unit = cases.org.units.get(figures.unit_id) if figures.unit_id else None
    name = texts.DASHBOARD_ALL_UNITS if figures.unit_id is None else (unit.name if unit else figures.unit_id)
    index, grade = figures.skm_index, figures.grade
    return Line(
        name=name, open=figures.open, overdue=figures.overdue, filed=figures.filed, resolved=figures.resolved,
        first_response=duration(figures.first_response), answered=figures.answered,
        resolution=duration(figures.resolution),
        on_time=format_number(Num(figures.on_time_share, 1, percent=True)),
        met=figures.on_time.met, decided=figures.on_time.decided,
        ikm=texts.DASHBOARD_EMPTY if index is None else format_number(Num(float(index), 2)),
        grade="" if grade is None else texts.REPORT_GRADES[grade.value], respondents=figures.respondents,
    )


@dataclass(frozen=True)
class Bar:
    name: str
    top: int  # y of the unit's name; its two bars follow
    open: int
    overdue: int
    open_width: float
    overdue_width: float


@dataclass(frozen=True)
class Chart:
    """Horizontal bars per unit (open, overdue) in a 360-wide viewBox: legible on a phone."""

    bars: tuple[Bar, ...]
    height: int
    description: str
    width: int = 360
    bar_area: int = 300  # the longest bar; the count is written after it


def chart(lines: list[Line]) -> Chart:
    largest = max([1, *(item.open for item in lines)])
    step, first = 62, 44  # per unit: its name, then two bars of 16
    bars = tuple(Bar(shorten(item.name, 48), first + i * step, item.open, item.overdue,
                     300 * item.open / largest, 300 * item.overdue / largest) for i, item in enumerate(lines))
    description = " ".join(texts.DASHBOARD_CHART_UNIT.format(unit=item.name, open=item.open, overdue=item.overdue)
                           for item in lines)
    return Chart(bars, first + len(lines) * step + 4, description)


def period_query(period: Period) -> str:
    return urlencode({"dari": period.start.isoformat(), "sampai": period.end.isoformat()})


# --- the routes --------------------------------------------------------------------------------------

def router() -> APIRouter:
    web = APIRouter(prefix=CONSOLE, include_in_schema=False)

    @web.get("/dasbor")
    async def dashboard_page(request: Request, ctx: Context, staff: SignedIn, dari: str | None = None,
                             sampai: str | None = None) -> Response:
        scope = allowed(staff)
        cases, now = staff.cases, ctx.clock()
        tz = cases.org.central.timezone
        today = now.astimezone(tz).date()
        error, typed = None, {"dari": dari or "", "sampai": sampai or ""}
        try:
            period = parse_period(dari, sampai, today)
            typed = {"dari": period.start.isoformat(), "sampai": period.end.isoformat()}
        except PeriodError as bad:
            error, period = str(bad), Period.month_of(today)
        units = units_shown(cases, scope)
        book = DashboardBook(cases.org.default_unit, units)
        async with read_only(ctx.app.db) as conn:
            await read_period(conn, cases, scope, period, now, book)
            counts = await open_counts(conn, scope, units, cases.org.default_unit, now)
        figures: Dashboard = book.figures(counts)
        lines = [line(cases, unit) for unit in figures.units]
        return ctx.render(request, "dashboard.html", {
            "staff": staff, "page": "dashboard", "error": error, "typed": typed,
            "showing_default": texts.DASHBOARD_SHOWING_DEFAULT if error else None,
            "period": texts.DASHBOARD_PERIOD.format(start=format_date(period.start), end=format_date(period.end)),
            "zone": zone_name(tz), "as_of": format_moment(now, tz), "lines": lines,
            "total": line(cases, figures.total), "several": len(lines) > 1, "chart": chart(lines),
            "legend": texts.DASHBOARD_CHART_LEGEND, "chart_title": texts.DASHBOARD_CHART_TITLE,
            "query": period_query(period), "downloads": list(DOWNLOADS),
        }, status=400 if error else 200)

    @web.get("/dasbor/{name}")
    async def recap_download(ctx: Context, staff: SignedIn, name: str, dari: str | None = None,
                             sampai: str | None = None) -> Response:
        scope = allowed(staff)
        if name not in DOWNLOADS:
            raise PageError(404, texts.WEB_NOT_FOUND)
        output_format, which, media_type = DOWNLOADS[name]
        cases, now = staff.cases, ctx.clock()
        try:
            period = parse_period(dari, sampai, now.astimezone(cases.org.central.timezone).date())
        except PeriodError as bad:
            raise PageError(400, str(bad)) from None
        async with read_only(ctx.app.db) as conn:
            rows, summary = await read_period(conn, cases, scope, period, now)
        unit_id = None if scope.everything else scope.unit_id
        report = ReportContext(cases.org, period, now, unit_id)
        filename = default_name(output_format, period, unit_id)
        files = await run_in_threadpool(write_report, output_format, filename, rows, summary, report)
        chosen, content = files[which]
        headers = {**SECURITY_HEADERS, **PRIVATE_HEADERS, "Content-Disposition": f'attachment; filename="{chosen}"'}
        return Response(content, media_type=media_type, headers=headers)

    return web


def _format(name: str) -> ReportFormat:
    # imported when used, as aduan.report does: pages that download nothing load no openpyxl
    if name == "xlsx":
        from ..report import xlsx

        return xlsx
    from ..report import csv

    return csv


def write_report(output_format: str, filename: str, rows: list[RecapRow], summary: RecapSummary,
                 report: ReportContext) -> list[tuple[str, bytes]]:
    """The format's files (xlsx: one; csv: the book and its summary), written in a
    temporary folder that is removed afterwards."""
    writer_module = _format(output_format)
    with tempfile.TemporaryDirectory(prefix="aduan-rekap-") as folder:
        paths = writer_module.targets(Path(folder) / filename)
        writer = writer_module.open_report(paths, report)
        try:
            for row in rows:
                writer.add(row)
            writer.finish(summary)
        finally:
            writer.close()
        return [(path.name, path.read_bytes()) for path in paths]

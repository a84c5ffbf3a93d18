"""The public board (``/papan/``): this month's complaints as anyone may read them, without
signing in. The figures are complaints.board's (every rule borrowed from the recap book,
the SKM index and the visibility policy); this module only formats them in Indonesian.

How it stays fast: a short **in-process cache**, refreshed in the background. The board
(complaints.board.Board) is computed at most every five minutes per process (by the app's clock).
Computing it reads only this month's complaints (storage.board: the ``created_at`` index, and
the cases whose resolution target falls this month) and judges them with the recap's rules:
with 100,000 complaints (about 6,000 filed and 8,000 promised this month) that takes
seconds, not milliseconds. So no reader waits for it but the very first one after the
process starts: once the five minutes are over, the next request starts one refresh in the
background (never two at a time) and is answered at once with the board it replaces;
every request only renders the cached figures, without touching the database. The response
says ``Cache-Control: public, max-age=300``: a proxy or the browser may keep it as long
too. The page holds nothing personal (only biasa cases are listed, as the public view of
the visibility policy reads them), so every reader may share it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bot import texts
from bot.render.dates import format_date, format_moment
from bot.render.labels import category_label, grouped
from complaints.board import Board, BoardRules, PromisedRepair, ResolvedCase, month_of
from complaints.recap import RecapRules, Tally, Verdict
from storage.board import board_source
from storage.database import read_only

from .context import Context, WebContext

log = logging.getLogger(__name__)

PATH = "/papan/"
TTL = timedelta(minutes=5)  # a rebuild reads the month's cases (seconds with 100,000 complaints)
CACHE_CONTROL = f"public, max-age={int(TTL.total_seconds())}"
VERDICT_STYLE = {Verdict.MET: "due-ok", Verdict.MISSED: "due-late", Verdict.RUNNING: "due-soon"}


# --- the cache --------------------------------------------------------------------------------

@dataclass
class BoardCache:
    """The last board computed, and when (by the app's clock); one per app (its server's
    ``state.board``)."""

    ttl: timedelta = TTL
    board: Board | None = None
    computed_at: datetime | None = None
    first: asyncio.Lock = field(default_factory=asyncio.Lock)
    refreshing: asyncio.Task[None] | None = None

    def stale(self, now: datetime) -> bool:
        board, at = self.board, self.computed_at
        if board is None or at is None or not at <= now < at + self.ttl:
            return True
        return not board.period.start <= now.astimezone(board.as_of.tzinfo).date() <= board.period.end

    async def get(self, ctx: WebContext) -> Board:
        now = ctx.clock()
        board = self.board
        if board is None:
            async with self.first:  # the first readers wait for one computation
                board = self.board
                if board is None:
                    board = await self.refresh(ctx, now)
            return board
        if self.stale(now) and (self.refreshing is None or self.refreshing.done()):
            self.refreshing = asyncio.create_task(self._refresh_quietly(ctx, now))
        return board

    async def refresh(self, ctx: WebContext, now: datetime) -> Board:
        board = await compute(ctx, now)
        self.board, self.computed_at = board, now
        return board

    async def _refresh_quietly(self, ctx: WebContext, now: datetime) -> None:
        try:
            await self.refresh(ctx, now)
        except Exception:  # the board read before is kept; the next request tries again
            log.warning("public board not refreshed, the previous figures are kept", exc_info=True)

    async def settled(self) -> None:
        """Wait for a background refresh (tests)."""
        if self.refreshing is not None:
            await self.refreshing


def board_cache(request: Request) -> BoardCache:
    found = getattr(request.app.state, "board", None)
    if not isinstance(found, BoardCache):
        found = request.app.state.board = BoardCache()
    return found


async def compute(ctx: WebContext, now: datetime) -> Board:
    cases = ctx.app.context()
    tz = cases.org.central.timezone
    rules = BoardRules(RecapRules(cases.org, cases.calendar, now.astimezone(tz)), month_of(now, tz),
                       cases.visibility)
    start, end = rules.bounds
    async with read_only(ctx.app.db) as conn:  # no write lock on SQLite: the bot keeps writing meanwhile
        source = await board_source(conn, start, end, listed=rules.listed)
    # seconds of pure Python with many cases: in a worker thread, so that the event loop
    # (the bot's webhooks, the API) keeps answering meanwhile
    return await asyncio.to_thread(rules.board, source)


# --- what the page shows ----------------------------------------------------------------------

def decimal(value: Decimal | float, places: int) -> str:
    text = f"{value:.{places}f}".replace(".", ",")
    return text[:-2] if places == 1 and text.endswith(",0") else text


def share(tally: Tally) -> str | None:
    found = tally.share
    return None if found is None else texts.BOARD_PERCENT.format(value=decimal(found * 100, 1))


@dataclass(frozen=True)
class Line:
    """One row of a count table."""

    label: str
    count: str


@dataclass(frozen=True)
class ResolvedLine:
    day: str
    category: str
    place: str
    answer: str


@dataclass(frozen=True)
class PromiseLine:
    category: str
    place: str
    unit: str
    promised: str
    verdict: str
    style: str
    resolved: str | None


@dataclass(frozen=True)
class BoardPage:
    organisation: str
    month: str
    as_of: str
    filed: str
    resolved_total: str
    on_time: str | None
    on_time_met: str
    on_time_decided: str
    on_time_running: str
    ikm: str | None
    grade: str | None
    respondents: str
    categories: tuple[Line, ...]
    units: tuple[Line, ...]
    resolved: tuple[ResolvedLine, ...]
    resolved_more: str | None
    kept: str
    late: str
    pending: str
    promised: tuple[PromiseLine, ...]
    promised_more: str | None


def kelurahan(region: str | None) -> str:
    """The kelurahan and its kecamatan of a region's name ("Kebraon, Karang Pilang, Kota
    Surabaya, Jawa Timur" reads "Kebraon, Karang Pilang"): the city is the board's own."""
    return ", ".join(region.split(", ")[:2]) if region else texts.BOARD_NO_PLACE


def _resolved_line(case: ResolvedCase, tz: ZoneInfo) -> ResolvedLine:
    return ResolvedLine(format_date(case.resolved_at.astimezone(tz).date()), category_label(case.category),
                        kelurahan(case.place), case.answer or texts.BOARD_NO_ANSWER)


def _promise_line(repair: PromisedRepair, tz: ZoneInfo) -> PromiseLine:
    resolved = None
    if repair.resolved_at is not None:
        resolved = texts.BOARD_RESOLVED_ON.format(date=format_date(repair.resolved_at.astimezone(tz).date()))
    return PromiseLine(category_label(repair.category), kelurahan(repair.place), repair.unit_name,
                       format_date(repair.promised_at.astimezone(tz).date()),
                       texts.BOARD_PROMISE_VERDICTS[repair.verdict], VERDICT_STYLE[repair.verdict], resolved)


def _more(shown: int, total: int) -> str | None:
    return texts.BOARD_SHOWING.format(shown=grouped(shown), total=grouped(total)) if total > shown else None


def page_of(board: Board, ctx: WebContext) -> BoardPage:
    org = ctx.app.context().org
    tz = org.central.timezone
    index, grade = board.skm_index, board.grade
    month = texts.BOARD_MONTH.format(month=texts.MONTHS[board.period.start.month - 1], year=board.period.start.year)
    return BoardPage(
        organisation=org.name,
        month=month,
        as_of=texts.BOARD_AS_OF.format(moment=format_moment(board.as_of, tz)),
        filed=grouped(board.filed),
        resolved_total=grouped(board.resolved_total),
        on_time=share(board.on_time),
        on_time_met=grouped(board.on_time.met),
        on_time_decided=grouped(board.on_time.decided),
        on_time_running=grouped(board.on_time.running),
        ikm=None if index is None else decimal(index, 2),
        grade=None if grade is None else texts.REPORT_GRADES[grade],
        respondents=grouped(board.skm_respondents),
        categories=tuple(Line(category_label(c.category), grouped(c.complaints)) for c in board.by_category),
        units=tuple(Line(u.name, grouped(u.complaints)) for u in board.by_unit),
        resolved=tuple(_resolved_line(case, tz) for case in board.resolved),
        resolved_more=_more(len(board.resolved), board.resolved_total),
        kept=grouped(board.promises.met),
        late=grouped(board.promises.missed),
        pending=grouped(board.promises.running),
        promised=tuple(_promise_line(repair, tz) for repair in board.promised),
        promised_more=_more(len(board.promised), board.promises.met + board.promises.missed + board.promises.running),
    )


def router() -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.api_route(PATH, methods=["GET", "HEAD"], response_class=HTMLResponse)
    async def board(request: Request, ctx: Context) -> HTMLResponse:
        found = await board_cache(request).get(ctx)
        response = ctx.render(request, "board.html", {"page": page_of(found, ctx),
                                                      "minutes": int(TTL.total_seconds() // 60)}, public=True)
        response.headers["Cache-Control"] = CACHE_CONTROL
        return response

    return routes

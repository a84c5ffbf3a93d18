"""The console's inbox (GET /petugas/): the cases the officer may see, sorted by their
running deadline, with filters, a search, pages; and the admin's bulk verify/dispose
(POST /petugas/massal). The scope and what each row shows come from the visibility
policy; every move goes through the same use case as the chat, the CLI and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from bot import texts
from bot.render.errors import domain_error
from bot.render.labels import category_label, grouped, status_label
from complaints import tracking
from complaints.deadlines import Urgency, urgency
from complaints.errors import DomainError
from complaints.model import Complaint
from complaints.taxonomy import Category, Role, Status
from complaints.usecases import casework
from complaints.views import CaseView
from complaints.workflow import ESCALATING, OPEN, allowed_targets
from storage.database import read_only
from storage.queries import ComplaintFilter, ComplaintOrder, count_complaints, list_complaints

from .context import CONSOLE, Context, SignedIn, Staff, check_csrf, see_other
from .flash import flash

PAGE_SIZE = 25
COUNT_WORDS_UP_TO = 1000  # a word search counts its matches up to this many ("lebih dari 1.000")
MAX_WORDS = 5
# the admin's own stage: the statuses from which the admin verifies or disposes (workflow table)
ADMIN_MOVES = frozenset({Status.DIVERIFIKASI, Status.DIDISPOSISIKAN})
WAITING_FOR_ADMIN = frozenset(s for s in Status if allowed_targets(s, Role.ADMIN) & ADMIN_MOVES)
BULK = {"verifikasi": Status.DIVERIFIKASI, "disposisi": Status.DIDISPOSISIKAN}
ALL, OPEN_ONLY, WAITING = "semua", "terbuka", "menunggu"


@dataclass(frozen=True)
class Row:
    case: CaseView
    urgency: Urgency
    assignee: str | None  # the officer's name


@dataclass(frozen=True)
class Filters:
    status: str
    category: str
    place: str
    overdue: bool
    mine: bool
    search: str
    page: int

    def query(self, page: int | None = None) -> str:
        values = {"status": self.status, "kategori": self.category, "kelurahan": self.place,
                  "terlambat": "1" if self.overdue else "", "saya": "1" if self.mine else "",
                  "cari": self.search, "halaman": str(page or self.page)}
        return urlencode({k: v for k, v in values.items() if v and not (k == "halaman" and v == "1")})


def _statuses(choice: str, staff: Staff) -> frozenset[Status] | None:
    if choice == ALL:
        return None
    if choice == OPEN_ONLY:
        return OPEN
    if choice == WAITING:
        return WAITING_FOR_ADMIN
    try:
        return frozenset({Status(choice)})
    except ValueError:
        return WAITING_FOR_ADMIN if staff.is_admin else OPEN


def _code_searched(search: str) -> str | None:
    """The tracking code typed in the search box: with its LPR prefix, or with a digit
    ("7kq3mn"); a word that happens to spell a valid code ("mampet") is a word."""
    typed = tracking.parse(search) if search else None
    if typed is None or typed.code is None:
        return None
    meant = search.strip().upper().startswith(tracking.PREFIX) or any(ch.isdigit() for ch in search)
    return typed.code if meant else None


def _words(search: str) -> tuple[str, ...]:
    return tuple(word[:40] for word in search.split() if len(word) >= 2)[:MAX_WORDS]


def _filter(staff: Staff, f: Filters, now: datetime) -> ComplaintFilter:
    officer, cases = staff.officer, staff.cases
    scope = cases.visibility.scope(officer.actor)
    code = _code_searched(f.search)
    if code is not None:  # a code: that case, whatever the other filters
        return ComplaintFilter(codes=frozenset({code}), scope=scope)
    try:
        category = frozenset({Category(f.category)}) if f.category else None
    except ValueError:
        category = None
    return ComplaintFilter(
        statuses=_statuses(f.status, staff), categories=category, scope=scope, place=f.place.strip()[:80] or None,
        overdue_at=now if f.overdue else None,
        assignee=officer.id if f.mine else None,
        words=_words(f.search), search=cases.visibility.text_search(officer.actor),
    )


def _rows(staff: Staff, found: list[Complaint], ctx: Context) -> list[Row]:
    cases, now = staff.cases, ctx.clock()
    rows = []
    for complaint in found:
        view = cases.view(staff.officer.actor, complaint)
        unit = cases.unit_of(complaint)
        due = urgency(view.due_at, view.status in ESCALATING, now, cases.calendar, unit.timezone)
        assignee = view.details.assignee if view.details else None
        officer = cases.org.officers.get(assignee) if assignee else None
        rows.append(Row(view, due, officer.name if officer else assignee))
    return rows


def router() -> APIRouter:
    web = APIRouter(prefix=CONSOLE, include_in_schema=False)

    @web.get("/")
    async def inbox(request: Request, ctx: Context, staff: SignedIn, status: str = "",
                    kategori: str = "", kelurahan: str = "", terlambat: str = "", saya: str = "", cari: str = "",
                    halaman: str = "1") -> Response:
        page = int(halaman) if halaman.isdigit() and 0 < int(halaman) <= 10_000 else 1
        default = WAITING if staff.is_admin else OPEN_ONLY
        f = Filters(status or default, kategori, kelurahan[:80], bool(terlambat), bool(saya), cari.strip()[:200], page)
        query = _filter(staff, f, ctx.clock())
        async with read_only(ctx.app.db) as conn:  # one snapshot; on SQLite no write lock is taken
            total = await count_complaints(conn, query, at_most=COUNT_WORDS_UP_TO if query.words else None)
            found = await list_complaints(conn, query, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE,
                                          order=ComplaintOrder.DEADLINE)
        pages = max(1, -(-total // PAGE_SIZE))
        cases = staff.cases
        return ctx.render(request, "inbox.html", {
            "staff": staff, "page": "inbox", "filters": f, "rows": _rows(staff, found, ctx),
            "total": texts.WEB_MORE_THAN.format(count=grouped(COUNT_WORDS_UP_TO))
            if total > COUNT_WORDS_UP_TO and query.words else total,
            "pages": pages, "previous": f.query(page - 1) if page > 1 else None,
            "next": f.query(page + 1) if page < pages else None, "here": f.query(),
            "status_choices": _status_choices(staff), "categories": [(c.value, category_label(c)) for c in Category],
            "units": sorted(cases.org.units.values(), key=lambda u: u.name),
            "bulk": staff.is_admin, "searched_words": bool(query.words), "urgency_labels": texts.WEB_URGENCY,
        })

    @web.post("/massal")
    async def bulk(ctx: Context, staff: SignedIn,
                   kode: Annotated[list[str] | None, Form(max_length=64)] = None,
                   aksi: Annotated[str, Form(max_length=20)] = "", unit: Annotated[str, Form(max_length=64)] = "",
                   kembali: Annotated[str, Form(max_length=600)] = "",
                   csrf: Annotated[str | None, Form(max_length=200)] = None) -> Response:
        check_csrf(staff, csrf)
        back = f"{CONSOLE}/?{kembali}" if kembali and "//" not in kembali else f"{CONSOLE}/"
        response = see_other(back)
        target = BULK.get(aksi)
        codes = [c for c in (kode or [])[:100] if c]
        if target is None or not codes:
            flash(response, texts.WEB_BULK_NONE, error=True)
            return response
        done, failed = 0, []
        for typed in codes:
            code = tracking.parse(typed).code or typed
            async with ctx.checked_uow() as uow:  # each case on its own: one refusal stops no other
                try:
                    await casework.change_status(staff.cases, uow, code, target, staff.officer.actor, ctx.clock(), "",
                                                 unit_id=(unit or None) if target is Status.DIDISPOSISIKAN else None)
                except DomainError as error:
                    failed.append(texts.WEB_BULK_FAILED.format(code=code, reason=domain_error(error)))
                    continue
                await uow.commit()
                done += 1
        message = " ".join([texts.WEB_BULK_DONE.format(done=done, label=status_label(target)), *failed])
        flash(response, message, error=bool(failed))
        return response

    return web


def _status_choices(staff: Staff) -> list[tuple[str, str]]:
    first = [(WAITING, texts.WEB_STATUS_WAITING)] if staff.is_admin else []
    return [*first, (OPEN_ONLY, texts.WEB_STATUS_OPEN), (ALL, texts.WEB_STATUS_ALL),
            *((s.value, status_label(s)) for s in Status)]

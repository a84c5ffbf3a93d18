"""/api/v1: what Open311 cannot say. The full status history, escalation level,
deadlines, assignment and rating of a complaint; and officers acting on complaints by API
with the same rules as from their chat or the command line (``complaints.usecases``)."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from bot import texts
from bot.render.labels import shorten
from bot.sanitize import clean_text
from complaints import tracking
from complaints.errors import DomainError
from complaints.model import Actor, Rejection, RejectionReason
from complaints.taxonomy import Category, Status
from complaints.usecases import casework, merging
from storage.queries import ComplaintFilter, ComplaintOrder, count_complaints, list_complaints

from .context import ApiContext, IsoDay, KeyHolder, Uow
from .errors import ApiError, from_domain
from .keys import Caller
from .schemas import (
    ID_PATTERN,
    AssignmentIn,
    ComplaintDetail,
    ComplaintPage,
    ErrorBody,
    MergeIn,
    MergeOut,
    StatusChangeIn,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorBody, "description": "An error body; the message is Indonesian."},
    503: {"model": ErrorBody, "description": "The database cannot be reached right now."},
}
CodePath = Annotated[str, Path(max_length=64, description="The tracking code, e.g. LPR-7KQ3-MN.")]


def _code(typed: str) -> str:
    check = tracking.parse(typed)
    if not check.ok or not check.code:
        raise ApiError(404, "not_found", texts.API_COMPLAINT_NOT_FOUND.format(code=shorten(typed, 40)))
    return check.code


def _actor(caller: Caller) -> Actor:
    actor = caller.actor
    if actor is None:
        raise ApiError(403, "forbidden_scope", texts.API_FORBIDDEN_SCOPE.format(scope=caller.scope.value))
    return actor


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(prefix="/api/v1", tags=["aduan v1"], responses=ERRORS)

    @api.get("/complaints", summary="Complaints, newest first (or the most supported first), a page at a time")
    async def complaints(
        request: Request,
        caller: KeyHolder,
        uow: Uow,
        status: Annotated[list[Status] | None, Query(description="Repeat for several.")] = None,
        category: Annotated[list[Category] | None, Query(description="Repeat for several.")] = None,
        unit: Annotated[str | None, Query(pattern=ID_PATTERN, description="Unit id.")] = None,
        channel: Annotated[str | None, Query(pattern=ID_PATTERN, description="telegram, whatsapp, api...")] = None,
        from_: Annotated[IsoDay | None, Query(alias="from", description="Filed on or after this day (YYYY-MM-DD).")] = None,
        to: Annotated[IsoDay | None, Query(description="Filed on or before this day (YYYY-MM-DD).")] = None,
        overdue: Annotated[bool, Query(description="true: only complaints past their stage deadline.")] = False,
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
        page_size: Annotated[int, Query(ge=1, le=100)] = 20,
        sort: Annotated[ComplaintOrder, Query(description="newest: the later filed first; supporters: the most "
                                                          "supported first, then the newest.")] = ComplaintOrder.NEWEST,
    ) -> ComplaintPage:
        viewer = ctx.viewer(caller)
        if channel is not None and not caller.staff:  # the channel is not part of the public view
            raise ApiError(403, "forbidden_filter", texts.API_FORBIDDEN_FILTER.format(name="channel"))
        query = ComplaintFilter(
            statuses=frozenset(status) if status else None,
            categories=frozenset(category) if category else None,
            unit_id=unit,
            channel=channel,
            created_from=ctx.moment(from_) if from_ else None,
            created_until=ctx.moment(to, end_of_day=True) if to else None,
            overdue_at=viewer.now if overdue else None,
            # staff list what they handle (their inbox); public keys the public view of all
            scope=viewer.scope if caller.staff else None,
        )
        total = await count_complaints(uow.connection, query)
        found = await list_complaints(uow.connection, query, offset=(page - 1) * page_size, limit=page_size,
                                      order=sort)
        more = page * page_size < total
        return ComplaintPage(
            items=[viewer.summary(complaint) for complaint in found],
            total=total,
            page=page,
            page_size=page_size,
            next=ctx.page_link(request, page + 1) if more else None,
        )

    @api.get("/complaints/{code}", summary="One complaint with its history, deadlines, escalation and rating")
    async def complaint(caller: KeyHolder, uow: Uow, code: CodePath) -> ComplaintDetail:
        found = await uow.complaints.get(_code(code))
        if found is None:
            raise ApiError(404, "not_found", texts.API_COMPLAINT_NOT_FOUND.format(code=_code(code)))
        return ctx.viewer(caller).detail(found)

    @api.post("/complaints/{code}/status", summary="Move a complaint to another status (officer, admin)")
    async def change_status(
        caller: KeyHolder, uow: Uow, code: CodePath, change: StatusChangeIn
    ) -> ComplaintDetail:
        actor = _actor(caller)
        cases = ctx.app.context()
        try:
            result = await casework.change_status(cases, uow, _code(code), change.status, actor, ctx.clock(),
                                                  clean_text(change.note), unit_id=change.unit,
                                                  rejection=Rejection(RejectionReason.SPAM) if change.spam else None)
        except DomainError as error:
            raise from_domain(error) from None
        await uow.commit()
        return ctx.viewer(caller, cases).detail(result.complaint)

    @api.post("/complaints/{code}/assign", summary="Give a complaint to an officer of its unit (officer, admin)")
    async def assign(caller: KeyHolder, uow: Uow, code: CodePath, assignment: AssignmentIn) -> ComplaintDetail:
        actor = _actor(caller)
        cases = ctx.app.context()
        officer = cases.org.officers.get(assignment.officer)
        if officer is None:
            raise ApiError(422, "unknown_officer", texts.UNKNOWN_OFFICER.format(officer=assignment.officer))
        try:
            found = await casework.assign(cases, uow, _code(code), officer, actor, ctx.clock())
        except DomainError as error:
            raise from_domain(error) from None
        await uow.commit()
        return ctx.viewer(caller, cases).detail(found)

    @api.post("/complaints/{code}/merge", summary="Merge a duplicate into the complaint kept (admin)")
    async def merge(caller: KeyHolder, uow: Uow, code: CodePath, body: MergeIn) -> MergeOut:
        """The complaint ``code`` is rejected as a duplicate of ``into``; its complainant
        becomes a supporter of ``into`` and is told where to follow it."""
        actor = _actor(caller)
        cases = ctx.app.context()
        into = tracking.parse(body.into)
        if not into.ok or not into.code:
            raise ApiError(422, "invalid_request", texts.API_INVALID_REQUEST.format(fields="into"))
        try:
            merged = await merging.merge(cases, uow, _code(code), into.code, actor, ctx.clock())
        except DomainError as error:
            raise from_domain(error) from None
        await uow.commit()
        return _merge_out(ctx.viewer(caller, cases).detail(merged.duplicate), merged.kept.code)

    @api.post("/complaints/{code}/unmerge", summary="Undo the merge of a duplicate (admin)")
    async def unmerge(caller: KeyHolder, uow: Uow, code: CodePath) -> MergeOut:
        """The complaint returns to the status and deadline it had before the merge."""
        actor = _actor(caller)
        cases = ctx.app.context()
        try:
            result = await merging.unmerge(cases, uow, _code(code), actor, ctx.clock())
        except DomainError as error:
            raise from_domain(error) from None
        await uow.commit()
        return _merge_out(ctx.viewer(caller, cases).detail(result.duplicate), result.kept.code)

    return api


def _merge_out(detail: ComplaintDetail, kept: str) -> MergeOut:
    return MergeOut(**detail.model_dump(), kept=kept)

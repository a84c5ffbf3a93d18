"""Open311 GeoReport v2, the JSON subset: services (our categories) and service requests
(our complaints) at /open311/v2/... .json.

Statuses map to "open" (every status still being handled) and "closed" (answered,
closed, forwarded or rejected). Pages: ``page`` and ``page_size`` on requests.json, an
extension of the standard; without dates or codes the list covers the last 90 days, as
GeoReport v2 says.
"""

from collections.abc import Iterable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Security
from pydantic import ValidationError

from bot import texts
from bot.render.dates import format_day
from bot.render.labels import category_label, shorten
from complaints import tracking
from complaints.taxonomy import Category, Status
from complaints.usecases.filing import submit
from complaints.workflow import OPEN
from nlu.keywords import KEYWORDS
from storage.queries import ComplaintFilter, list_complaints

from .context import ApiContext, IsoMoment, Reader, Uow, client_address
from .errors import ApiError
from .filing import new_complaint, read_body
from .keys import HEADER, QUERY
from .schemas import Open311Created, Open311Error, Open311NewRequest, Open311Request, Open311Service

DEFAULT_WINDOW = timedelta(days=90)
MAX_KEYWORDS = 6
STATUS_SETS: dict[str, frozenset[Status]] = {"open": OPEN, "closed": frozenset(Status) - OPEN}


def _comma_list(words: Iterable[str]) -> str:
    choice = "|".join(words)
    return f"^({choice})(,({choice}))*$"


SERVICE_CODES = _comma_list(c.value for c in Category)
STATUSES = _comma_list(STATUS_SETS)

ERRORS: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": list[Open311Error], "description": "GeoReport v2 error list (Indonesian descriptions)."},
    503: {"model": list[Open311Error], "description": "The database cannot be reached right now."},
}

# Reads need no key (GeoReport v2 convention): without one they are limited per address.
KEY_OPTIONAL: dict[str, Any] = {"security": [{"ApiKeyHeader": []}, {"ApiKeyQuery": []}, {}]}


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with its local ``$defs`` references replaced by what they name."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {key: _inline(value, defs) for key, value in node.items() if key != "$defs"}
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    return node


def _body_schema() -> dict[str, Any]:
    raw = Open311NewRequest.model_json_schema(by_alias=True)
    schema = _inline(raw, raw.get("$defs", {}))
    return {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {"schema": schema},
            "application/json": {"schema": schema},
        },
    }


def keywords(category: Category) -> str:
    strong = [phrase for phrase, weight in KEYWORDS.get(category, {}).items() if weight >= 3 and "*" not in phrase]
    return ", ".join(strong[:MAX_KEYWORDS])


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(prefix="/open311/v2", tags=["Open311 GeoReport v2"], responses=ERRORS)

    @api.get("/services.json", summary="Services: the complaint categories", openapi_extra=KEY_OPTIONAL)
    async def services(caller: Reader) -> list[Open311Service]:
        org = ctx.app.org
        return [
            Open311Service(
                service_code=category.value,
                service_name=category_label(category),
                description=texts.OPEN311_SERVICE_DESCRIPTION.format(
                    label=category_label(category), unit=org.unit_for(category).name),
                metadata=False,
                type="realtime",
                keywords=keywords(category),
                group=org.unit_for(category).name,
            )
            for category in Category
        ]

    @api.get("/requests.json", summary="Service requests (complaints), newest first", openapi_extra=KEY_OPTIONAL)
    async def list_requests(
        caller: Reader,
        uow: Uow,
        service_request_id: Annotated[
            str | None, Query(max_length=2000, description="Comma-separated codes; the other filters are then ignored.")
        ] = None,
        service_code: Annotated[str | None, Query(pattern=SERVICE_CODES, description="Comma-separated.")] = None,
        status: Annotated[str | None, Query(pattern=STATUSES, description="open, closed, or open,closed.")] = None,
        start_date: Annotated[IsoMoment | None, Query(description="Requested at or after (ISO 8601).")] = None,
        end_date: Annotated[IsoMoment | None, Query(description="Requested at or before (ISO 8601).")] = None,
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
        page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> list[Open311Request]:
        if service_request_id is not None:  # GeoReport v2: codes override every other filter
            checks = [tracking.parse(part) for part in service_request_id.split(",") if part.strip()]
            query = ComplaintFilter(codes=frozenset(check.code for check in checks if check.ok and check.code))
        else:
            created_from = ctx.moment(start_date) if start_date else None
            created_until = ctx.moment(end_date) if end_date else None
            if created_from is None and created_until is None:
                created_from = ctx.clock() - DEFAULT_WINDOW
            query = ComplaintFilter(
                categories=_categories(service_code),
                statuses=_statuses(status),
                created_from=created_from,
                created_until=created_until,
            )
        found = await list_complaints(uow.connection, query, offset=(page - 1) * page_size, limit=page_size)
        viewer = ctx.viewer(caller)
        return [viewer.open311(complaint) for complaint in found]

    @api.get("/requests/{service_request_id}.json", summary="One service request", openapi_extra=KEY_OPTIONAL)
    async def get_request(
        caller: Reader,
        uow: Uow,
        service_request_id: Annotated[str, Path(max_length=64, description="The tracking code.")],
    ) -> list[Open311Request]:
        check = tracking.parse(service_request_id)
        complaint = await uow.complaints.get(check.code) if check.ok and check.code else None
        if complaint is None:
            typed = shorten(service_request_id, 40)
            raise ApiError(404, "not_found", texts.API_COMPLAINT_NOT_FOUND.format(code=typed))
        return [ctx.viewer(caller).open311(complaint)]

    @api.post(
        "/requests.json",
        status_code=201,
        summary="File a complaint (an API key is required)",
        openapi_extra={"requestBody": _body_schema()},
    )
    async def create_request(
        request: Request,
        uow: Uow,
        header_key: Annotated[str | None, Security(HEADER)] = None,
        query_key: Annotated[str | None, Security(QUERY)] = None,
    ) -> list[Open311Created]:
        data = await read_body(request)
        body_key = data.get("api_key") if isinstance(data.get("api_key"), str) else None
        caller = await ctx.gate.identify(uow.connection, header_key or query_key or body_key, client_address(request),
                                         required=True)
        try:
            new = Open311NewRequest.model_validate(data)
        except ValidationError as error:
            fields = ", ".join(dict.fromkeys(".".join(str(p) for p in e["loc"]) or "body" for e in error.errors()))
            raise ApiError(400, "invalid_request", texts.API_INVALID_REQUEST.format(fields=fields)) from None
        now = ctx.clock()
        complaint = new_complaint(ctx.app, new, caller.sender, now)
        cases = ctx.app.context()
        await submit(cases, uow, complaint, now)
        await uow.commit()
        due = format_day(complaint.due_at, cases.org.central.timezone) if complaint.due_at else "-"
        return [Open311Created(service_request_id=complaint.code,
                               service_notice=texts.OPEN311_RECEIVED.format(code=complaint.code, due=due),
                               account_id=None)]

    return api


def _categories(service_code: str | None) -> frozenset[Category] | None:
    """``service_code`` as the query's pattern allows it: known codes, comma-separated."""
    return None if service_code is None else frozenset(Category(part) for part in service_code.split(","))


def _statuses(status: str | None) -> frozenset[Status] | None:
    if status is None:
        return None
    return frozenset().union(*(STATUS_SETS[part] for part in status.split(",")))

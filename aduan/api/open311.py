"""Open311 GeoReport v2: services (our categories), their definitions and service requests
(our complaints) at /open311/v2/..., each in JSON (.json) and XML (.xml, aduan/api/xml.py):
one handler per endpoint, declared at both paths. Discovery: aduan/api/discovery.py.

Statuses map to "open" (every status still being handled) and "closed" (answered,
closed, forwarded or rejected). A list holds up to 1,000 requests, and without dates or
codes covers the last 90 days, as GeoReport v2 says; ``page`` and ``page_size`` (up to
1,000) page through it, an extension of the standard, with the total in ``X-Total-Count``
and the next page in ``Link``. An empty parameter (``status=``) is an absent one.
"""

from collections.abc import Iterable
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Header, Path, Query, Request, Security
from fastapi.responses import Response
from fastapi.routing import APIRoute

from bot import texts
from bot.render.dates import format_day
from bot.render.labels import category_label, shorten
from complaints import tracking
from complaints.taxonomy import Category, Status
from complaints.workflow import OPEN
from nlu.keywords import KEYWORDS
from storage.queries import ComplaintFilter, count_complaints, list_complaints

from . import xml
from .context import ApiContext, IsoMoment, Reader, Uow, client_address
from .discovery import service_definition
from .errors import ApiError
from .filing import file_once, parse_request, read_body
from .keys import HEADER, QUERY
from .schemas import (
    Open311Created,
    Open311Error,
    Open311NewRequest,
    Open311Request,
    Open311Service,
    Open311ServiceDefinition,
)
from .xml import ResponseFormat, respond

DEFAULT_WINDOW = timedelta(days=90)
MAX_PAGE = 1000  # GeoReport v2: "up to 1000 requests" by default
MAX_COUNT = 100_000  # X-Total-Count counts up to this many
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


class Open311Route(APIRoute):
    """A route of GeoReport v2, where an empty parameter (``status=``) means an absent one:
    blank query parameters are left out before the route reads its parameters."""

    def get_route_handler(self) -> Any:
        handler = super().get_route_handler()

        async def without_blanks(request: Request) -> Response:
            query: bytes = request.scope.get("query_string", b"")
            parts = query.split(b"&") if query else []
            kept = [part for part in parts if unquote_plus(part.partition(b"=")[2].decode("latin-1")).strip()]
            if len(kept) < len(parts):  # before anything read the parameters
                request.scope["query_string"] = b"&".join(kept)
            response: Response = await handler(request)
            return response

        return without_blanks


LIST_HEADERS: dict[str, Any] = {
    "X-Total-Count": {"description": f"How many requests match (counted up to {MAX_COUNT:,}).",
                      "schema": {"type": "integer", "minimum": 0}},
    "Link": {"description": 'The next page, as <URL>; rel="next", when there is one.', "schema": {"type": "string"}},
}


def keywords(category: Category) -> str:
    strong = [phrase for phrase, weight in KEYWORDS.get(category, {}).items() if weight >= 3 and "*" not in phrase]
    return ", ".join(strong[:MAX_KEYWORDS])


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(prefix="/open311/v2", tags=["Open311 GeoReport v2"], responses=ERRORS, route_class=Open311Route)

    @api.get("/services.xml", include_in_schema=False)
    @api.get("/services.json", response_model=list[Open311Service], openapi_extra=KEY_OPTIONAL,
             summary="Services: the complaint categories (also services.xml: the same as GeoReport v2 XML)")
    async def services(caller: Reader, fmt: ResponseFormat) -> Response:
        org = ctx.app.org
        found = [
            Open311Service(
                service_code=category.value,
                service_name=category_label(category),
                description=texts.OPEN311_SERVICE_DESCRIPTION.format(
                    label=category_label(category), unit=org.unit_for(category).name),
                metadata=True,
                type="realtime",
                keywords=keywords(category),
                group=org.unit_for(category).name,
            )
            for category in Category
        ]
        return respond(fmt, found, xml.services)

    @api.get("/services/{service_code}.xml", include_in_schema=False)
    @api.get("/services/{service_code}.json", response_model=Open311ServiceDefinition, openapi_extra=KEY_OPTIONAL,
             summary="A service's definition: the attributes to fill in, the privacy choice among them (also .xml)")
    async def definition(
        caller: Reader,
        fmt: ResponseFormat,
        service_code: Annotated[str, Path(max_length=64, json_schema_extra={"enum": [c.value for c in Category]},
                                          description="A service_code of services.json; another is 404.")],
    ) -> Response:
        category = next((c for c in Category if c.value == service_code), None)
        if category is None:
            raise ApiError(404, "not_found", texts.OPEN311_SERVICE_NOT_FOUND.format(code=shorten(service_code, 40)))
        return respond(fmt, service_definition(category), xml.definition)

    @api.get("/requests.xml", include_in_schema=False)
    @api.get("/requests.json", response_model=list[Open311Request], openapi_extra=KEY_OPTIONAL,
             responses={200: {"headers": LIST_HEADERS}},
             summary="Service requests (complaints), newest first (also requests.xml, as GeoReport v2 XML)")
    async def list_requests(
        request: Request,
        caller: Reader,
        uow: Uow,
        fmt: ResponseFormat,
        service_request_id: Annotated[
            str | None, Query(max_length=2000, description="Comma-separated codes; the other filters are then ignored.")
        ] = None,
        service_code: Annotated[str | None, Query(pattern=SERVICE_CODES, description="Comma-separated.")] = None,
        status: Annotated[str | None, Query(pattern=STATUSES, description="open, closed, or open,closed.")] = None,
        start_date: Annotated[IsoMoment | None, Query(description="Requested at or after (ISO 8601).")] = None,
        end_date: Annotated[IsoMoment | None, Query(description="Requested at or before (ISO 8601).")] = None,
        page: Annotated[int, Query(ge=1, le=10_000, description="An extension of GeoReport v2.")] = 1,
        page_size: Annotated[int, Query(ge=1, le=MAX_PAGE, description="An extension of GeoReport v2.")] = MAX_PAGE,
    ) -> Response:
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
        offset = (page - 1) * page_size
        found = await list_complaints(uow.connection, query, offset=offset, limit=page_size)
        total = await count_complaints(uow.connection, query, at_most=MAX_COUNT)
        headers = {"X-Total-Count": str(min(total, MAX_COUNT))}
        if offset + len(found) < total:
            headers["Link"] = f'<{ctx.page_link(request, page + 1)}>; rel="next"'
        viewer = ctx.viewer(caller)
        return respond(fmt, [viewer.open311(complaint) for complaint in found], xml.requests, headers=headers)

    @api.get("/requests/{service_request_id}.xml", include_in_schema=False)
    @api.get("/requests/{service_request_id}.json", response_model=list[Open311Request], openapi_extra=KEY_OPTIONAL,
             summary="One service request (also .xml, as GeoReport v2 XML)")
    async def get_request(
        caller: Reader,
        uow: Uow,
        fmt: ResponseFormat,
        service_request_id: Annotated[str, Path(max_length=64, description="The tracking code.")],
    ) -> Response:
        check = tracking.parse(service_request_id)
        complaint = await uow.complaints.get(check.code) if check.ok and check.code else None
        if complaint is None:
            typed = shorten(service_request_id, 40)
            raise ApiError(404, "not_found", texts.API_COMPLAINT_NOT_FOUND.format(code=typed))
        return respond(fmt, [ctx.viewer(caller).open311(complaint)], xml.requests)

    @api.post("/requests.xml", status_code=201, include_in_schema=False)
    @api.post(
        "/requests.json",
        status_code=201,
        response_model=list[Open311Created],
        summary="File a complaint (an API key is required; also requests.xml, answered as GeoReport v2 XML)",
        openapi_extra={"requestBody": _body_schema()},
    )
    async def create_request(
        request: Request,
        uow: Uow,
        fmt: ResponseFormat,
        header_key: Annotated[str | None, Security(HEADER)] = None,
        query_key: Annotated[str | None, Security(QUERY)] = None,
        idempotency_key: Annotated[str | None, Header(
            alias="Idempotency-Key", max_length=255,
            description="The client's own id of this request: sent again within 24 hours, the same request's "
                        "answer comes back and nothing new is filed. Without it, the same request from the same "
                        "key within 24 hours is taken as sent again.")] = None,
    ) -> Response:
        data = await read_body(request)
        body_key = data.get("api_key") if isinstance(data.get("api_key"), str) else None
        caller = await ctx.gate.identify(uow.connection, header_key or query_key or body_key, client_address(request),
                                         required=True)
        new = parse_request(data)
        filed = await file_once(ctx.app, uow, new, caller.sender, idempotency_key, ctx.clock())
        complaint = filed.complaint
        due = format_day(complaint.due_at, ctx.app.context().org.central.timezone) if complaint.due_at else "-"
        created = [Open311Created(service_request_id=complaint.code,
                                  service_notice=texts.OPEN311_RECEIVED.format(code=complaint.code, due=due),
                                  account_id=None)]
        # a repeat answers as the first time did (FixMyStreet reads the code from a 201)
        headers = {"Idempotent-Replayed": "true"} if filed.repeated else None
        return respond(fmt, created, xml.created, status_code=201, headers=headers)

    return api


def _categories(service_code: str | None) -> frozenset[Category] | None:
    """``service_code`` as the query's pattern allows it: known codes, comma-separated."""
    return None if service_code is None else frozenset(Category(part) for part in service_code.split(","))


def _statuses(status: str | None) -> frozenset[Status] | None:
    if status is None:
        return None
    return frozenset().union(*(STATUS_SETS[part] for part in status.split(",")))

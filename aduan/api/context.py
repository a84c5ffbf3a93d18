"""What every route needs: the App, the clock, the key gate, and the request's unit of work."""

import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from ipaddress import IPv6Address, IPv6Network, ip_address
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request, Security
from pydantic import BeforeValidator

from complaints.usecases.context import CaseContext
from storage.uow import SqlUnitOfWork, uow_factory

from ..bootstrap import App, area_name
from .keys import HEADER, QUERY, Caller, Gate
from .views import Viewer

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass
class ApiContext:
    app: App
    clock: Callable[[], datetime]
    gate: Gate
    # a request is not retried: its connection is checked first, so the first request
    # after a database restart is answered rather than refused
    checked_uow: Callable[[], SqlUnitOfWork] = field(init=False)

    def __post_init__(self) -> None:
        self.checked_uow = uow_factory(self.app.db, check_connection=True)

    def viewer(self, caller: Caller, cases: CaseContext | None = None) -> Viewer:
        """How ``caller`` reads complaints, with the organisation as it is now (or as ``cases``,
        the snapshot the request already acted with)."""
        cases = cases or self.app.context()
        return Viewer(caller, cases, self.app.tz, self.clock(), area_name(self.app.nlu, cases.org.region_code))

    def page_link(self, request: Request, page: int) -> str:
        """The URL of another page of the same list: on the configured public address (never
        the request's Host header), with the request's parameters but the API key."""
        params = [(name, value) for name, value in request.query_params.multi_items()
                  if name not in (QUERY.model.name, "page")]
        params.append(("page", str(page)))
        return f"{self.app.settings.public_url}{request.url.path}?{urlencode(params)}"

    def moment(self, value: datetime | date, *, end_of_day: bool = False) -> datetime:
        """A time from a request, in UTC; naive times and dates are in the deployment's zone.
        A bound pushed past the calendar by its offset (year 1, year 9999) bounds nothing."""
        if not isinstance(value, datetime):
            value = datetime.combine(value, time.max if end_of_day else time.min)
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=self.app.tz)
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            return (datetime.min if value.year == datetime.min.year else datetime.max).replace(tzinfo=UTC)


def client_address(request: Request) -> str:
    """Whose bucket a request without a key takes: the peer's address as the server saw it
    (a trusted proxy's X-Forwarded-For has already replaced it, see aduan.http; nobody
    else's is read). An IPv6 host usually holds a whole /64, so that is one address; an
    IPv4-mapped address is the IPv4 one; anything else (a Unix socket, no peer, a proxy
    passing junk) shares one bucket rather than making a new one per value."""
    client = request.scope.get("client")
    host = client[0] if client else None
    try:
        ip = ip_address(host) if isinstance(host, str) else None
    except ValueError:
        ip = None
    if ip is None:
        return "unknown"
    if isinstance(ip, IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(IPv6Network((int(ip), 64), strict=False))  # int(): without a %zone
    return str(ip)


def iso_day(value: object) -> object:
    """A day in a query is written YYYY-MM-DD; pydantic alone would also read "0" or
    "1700000000" as a Unix time."""
    if isinstance(value, str) and not ISO_DAY.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


IsoDay = Annotated[date, BeforeValidator(iso_day)]
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def iso_moment(value: object) -> object:
    """A moment in a query is ISO 8601 (2026-11-23, 2026-11-23T09:00:00+07:00); never a
    Unix time like "0.5"."""
    if isinstance(value, str) and not ISO_MOMENT.fullmatch(value.strip()):
        raise ValueError("a moment is written as ISO 8601, e.g. 2026-11-23T09:00:00+07:00")
    return value


IsoMoment = Annotated[datetime, BeforeValidator(iso_moment)]


def api_context(request: Request) -> ApiContext:
    """The context ``create_api`` stored on the application."""
    context = request.app.state.context
    if not isinstance(context, ApiContext):  # pragma: no cover - create_api always sets it
        raise TypeError("the API was not built by create_api")
    return context


Context = Annotated[ApiContext, Depends(api_context)]


async def unit_of_work(ctx: Context) -> AsyncIterator[SqlUnitOfWork]:
    """The request's unit of work (one per request: the key check and the route share it)."""
    async with ctx.checked_uow() as uow:
        yield uow


Uow = Annotated[SqlUnitOfWork, Depends(unit_of_work)]
HeaderKey = Annotated[str | None, Security(HEADER)]
QueryKey = Annotated[str | None, Security(QUERY)]


async def key_holder(request: Request, ctx: Context, uow: Uow, header_key: HeaderKey = None,
                     query_key: QueryKey = None) -> Caller:
    """The caller, who must show a key."""
    return await ctx.gate.identify(uow.connection, header_key or query_key, client_address(request), required=True)


async def reader(request: Request, ctx: Context, uow: Uow, header_key: HeaderKey = None,
                 query_key: QueryKey = None) -> Caller:
    """The caller; without a key, anyone reading at the public level."""
    return await ctx.gate.identify(uow.connection, header_key or query_key, client_address(request), required=False)


KeyHolder = Annotated[Caller, Depends(key_holder)]
Reader = Annotated[Caller, Depends(reader)]

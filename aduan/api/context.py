"""What every route needs: the App, the clock, the key gate, and the request's unit of work."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import Depends, Request, Security

from storage.uow import SqlUnitOfWork, uow_factory

from ..bootstrap import App
from .keys import HEADER, QUERY, Caller, Gate
from .views import Viewer


@dataclass
class ApiContext:
    app: App
    clock: Callable[[], datetime]
    gate: Gate

    def viewer(self, caller: Caller) -> Viewer:
        return Viewer(caller, self.app.desk, self.app.tz, self.clock())

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
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True)
class Dependencies:
    uow: Any  # Annotated[SqlUnitOfWork, Depends(...)]
    caller: Any  # a key is required
    reader: Any  # no key reads at the public level


def dependencies(ctx: ApiContext) -> Dependencies:
    # a request is not retried: its connection is checked first, so the first request
    # after a database restart is answered rather than refused
    checked_uow = uow_factory(ctx.app.db, check_connection=True)

    async def unit_of_work() -> AsyncIterator[SqlUnitOfWork]:
        async with checked_uow() as uow:
            yield uow

    Uow = Annotated[SqlUnitOfWork, Depends(unit_of_work)]

    def identify(required: bool):
        async def caller(
            request: Request,
            uow: Uow,
            header_key: Annotated[str | None, Security(HEADER)] = None,
            query_key: Annotated[str | None, Security(QUERY)] = None,
        ) -> Caller:
            return await ctx.gate.identify(uow.connection, header_key or query_key, client_address(request),
                                           required=required)

        return caller

    return Dependencies(
        uow=Uow,
        caller=Annotated[Caller, Depends(identify(True))],
        reader=Annotated[Caller, Depends(identify(False))],
    )

"""What the benchmarked messages cost the database: SQL statements and driver trips.

A *statement* is one SQL statement executed through SQLAlchemy (BEGIN, COMMIT and
ROLLBACK included when they reach the driver). A *driver trip* is one round trip to the
driver: on SQLite (aiosqlite) a hop from the event loop to the connection's thread and
back, counted at ``aiosqlite.Connection._execute``, through which every hop goes; on
PostgreSQL (asyncpg) one exchange with the server, counted at the protocol's calls that
send something and wait for the answer (a prepared statement found in asyncpg's cache
costs none).

    counter = Trips()
    counter.watch(engine)   # before the engine's first connection
    ...
    counter.statements, counter.trips
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aiosqlite.core
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

_ASYNCPG_TRIPS = frozenset({"query", "prepare", "bind_execute", "bind_execute_many", "bind", "execute",
                            "close_statement", "copy_in", "copy_out"})


class Trips:
    """Counts, from ``watch`` on, in this process."""

    def __init__(self) -> None:
        self.statements = 0
        self.trips = 0

    def reset(self) -> None:
        self.statements = self.trips = 0

    def per(self, messages: int) -> dict[str, float]:
        return {"statements_per_message": round(self.statements / max(messages, 1), 2),
                "driver_trips_per_message": round(self.trips / max(messages, 1), 2)}

    def watch(self, engine: AsyncEngine) -> None:
        sync = engine.sync_engine

        @event.listens_for(sync, "before_cursor_execute")
        def _statement(*_: Any) -> None:
            self.statements += 1

        for name in ("commit", "rollback"):  # the SQLAlchemy-level ones (a pool reset is counted in trips only)
            event.listen(sync, name, self._count_statement)

        if engine.dialect.name == "sqlite":
            self._hop_sqlite()
        else:
            event.listen(sync, "connect", self._wrap_asyncpg)

    def _count_statement(self, *_: Any) -> None:
        self.statements += 1

    def _hop_sqlite(self) -> None:
        connection = aiosqlite.core.Connection
        original = connection._execute
        if getattr(original, "_trips_counted", False):
            return
        counter = self

        async def counted(conn: Any, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            counter.trips += 1
            return await original(conn, fn, *args, **kwargs)

        counted._trips_counted = True  # type: ignore[attr-defined]
        connection._execute = counted  # type: ignore[method-assign]

    def _wrap_asyncpg(self, dbapi_connection: Any, _record: Any) -> None:
        raw = dbapi_connection._connection  # asyncpg's Connection under SQLAlchemy's adapter
        raw._protocol = _CountingProtocol(raw._protocol, self)


class _CountingProtocol:
    """asyncpg's protocol, with each call that talks to the server counted."""

    def __init__(self, protocol: Any, counter: Trips) -> None:
        self._protocol = protocol
        self._counter = counter

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._protocol, name)
        if name not in _ASYNCPG_TRIPS:
            return found
        counter = self._counter

        def counted(*args: Any, **kwargs: Any) -> Any:
            counter.trips += 1
            return found(*args, **kwargs)

        return counted

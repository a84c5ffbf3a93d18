"""Benchmark of the officers' web console (``/petugas/``) and the public board (``/papan/``)
with a year's caseload: N complaints (default 100 000) filed over the 12 months before
Monday 23 November 2026 10:00 WIB, each walked through the workflow by the domain
(``workload/console_data.py``): statuses across the workflow, the demo organisation's
units, stage deadlines (some overdue, with their escalations), audit trails, privacy modes
mixed, ratings and SKM scores, a few supporters.

Pages are served by the real ASGI app (``aduan.http.create_http_app``) in-process through
``httpx.ASGITransport``, signed in as the tests sign in (a one-time link, then the session
cookie). **Server time** is the time of one request through the ASGI app (no network):
``--requests`` timed requests per page after ``--warmup`` untimed ones; p50/p95/p99/max in
ms. Targets: the inbox's first page p95 < 150 ms, the board p95 < 100 ms (PostgreSQL).

The board keeps what it computed for a few minutes and then refreshes it in the background
while readers get the previous figures (aduan/web/board.py): ``board_first`` is the first
request of the process (it waits for the computation), ``board`` what readers get from the
cache, ``board_build`` the computation itself (``aduan.web.board.compute``: reading the
month's cases and judging them), ``--board-builds`` times, and ``board_during_refresh`` the
requests served while a background refresh runs in the same process (how long the event
loop is held up by it), with ``refresh_s``.

Each page is then requested once more with its SQL statements recorded: ``db_ms`` (their
time) and ``statements``; ``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) of the slowest
statement of each page on stderr (PostgreSQL; SQLite: EXPLAIN QUERY PLAN).

Prints one JSON object per database on stdout; progress on stderr. PostgreSQL:
ADUAN_BENCH_DATABASE_URL (default postgresql+asyncpg://postgres@127.0.0.1:5432/test), in a
schema dropped at the end; SQLite: a file in a temporary folder.

    python benchmarks/console.py                                  # PostgreSQL, 100 000 complaints
    python benchmarks/console.py --databases sqlite,postgresql --explain
    python benchmarks/console.py --size 10000 --requests 50       # quick
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import sqlalchemy
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Receive, Scope, Send
from workload.backlog import NOW
from workload.console_data import load
from workload.scratch import scratch_database

from aduan.api.ratelimit import TokenBucketLimiter
from aduan.bootstrap import App, bootstrap
from aduan.http import create_http_app
from aduan.settings import Settings
from aduan.web.board import compute
from complaints.usecases import signin

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
TARGETS_MS = {"inbox": 150, "board": 100}  # p95, PostgreSQL
TOTAL = re.compile(r"· ([0-9]+) laporan")
FORM = re.compile(r'name="form" value="([^"]+)"')


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def figures(timings: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(timings, 0.5), 1), "p95_ms": round(percentile(timings, 0.95), 1),
            "p99_ms": round(percentile(timings, 0.99), 1), "max_ms": round(max(timings), 1)}


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


class Timed:
    """The ASGI app, with the time of its last request (ms): the server time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app, self.last_ms = app, 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.last_ms = (time.perf_counter() - started) * 1000


@dataclass
class Statements:
    """The SQL a request sends, with the time of each (the driver's call until it returns)."""

    on: bool = False
    found: list[tuple[float, str, Any]] = field(default_factory=list)
    _started: list[float] = field(default_factory=list)

    def attach(self, engine: AsyncEngine) -> None:
        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
            if self.on:
                self._started.append(time.perf_counter())

        @event.listens_for(engine.sync_engine, "after_cursor_execute")
        def after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
            if self.on and self._started:
                self.found.append(((time.perf_counter() - self._started.pop()) * 1000, statement, parameters))


@dataclass
class Page:
    name: str
    who: str  # an officer id, or "" for the public
    urls: list[str]
    kind: str = ""  # "inbox" or "board": the target it is held to
    requests: int | None = None  # None: --requests


async def sign_in(app: App, transport: httpx.ASGITransport, officer_id: str) -> httpx.AsyncClient:
    """A browser signed in as ``officer_id`` by a one-time link (as tests/web_harness.py does)."""
    http = httpx.AsyncClient(transport=transport, base_url="http://aduan")
    async with app.uow() as uow:
        issued = await signin.issue_link(app.context(), uow, app.org.officers[officer_id], NOW)
        await uow.commit()
    link = f"/petugas/masuk/{issued.token}"
    page = await http.get(link)
    form = FORM.search(page.text)
    assert form, page.text[:500]
    done = await http.post(link, data={"form": form.group(1)})
    assert done.status_code == 303, done.text[:500]
    return http


async def measure(page: Page, http: httpx.AsyncClient, timed: Timed, clock: Clock, warmup: int,
                  requests: int) -> dict[str, Any]:
    timings: list[float] = []
    total = None
    count = page.requests or requests
    for n in range(warmup + count):
        reply = await http.get(page.urls[n % len(page.urls)])
        assert reply.status_code == 200, (page.name, reply.status_code, reply.text[:300])
        if n >= warmup:
            timings.append(timed.last_ms)
        found = TOTAL.search(reply.text)
        total = int(found.group(1)) if found else total
    clock.now = NOW
    result: dict[str, Any] = {"requests": count, **figures(timings)}
    if total is not None:
        result["matched"] = total
    return result


async def profile(page: Page, http: httpx.AsyncClient, sql: Statements) -> tuple[float, str, Any] | None:
    """One more request with its statements recorded; returns the slowest (None: it sent none)."""
    sql.found.clear()
    sql.on = True
    try:
        await http.get(page.urls[0])
    finally:
        sql.on = False
    return max(sql.found, key=lambda found: found[0], default=None)


def short(statement: str) -> str:
    """The statement as logged: long lists of parameters and of columns cut."""
    statement = re.sub(r"(?:(?:\?|\$\d+), ){4,}", "…, ", statement)
    return re.sub(r"SELECT ((?:\w+\.\w+, ){3})(?:\w+\.\w+, )+", r"SELECT \1…, ", statement)


async def explain(engine: AsyncEngine, statement: str, parameters: Any) -> str:
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection
        if engine.dialect.name == "postgresql":
            rows = await driver.fetch("EXPLAIN (ANALYZE, BUFFERS) " + statement, *(parameters or ()))
            return "\n".join(row[0] for row in rows)
        cursor = await driver.execute("EXPLAIN QUERY PLAN " + statement, tuple(parameters or ()))
        return "\n".join(str(row) for row in await cursor.fetchall())


async def board_builds(server: Any, http: httpx.AsyncClient, timed: Timed, clock: Clock, sql: Statements,
                       builds: int) -> dict[str, Any]:
    """The board's computation timed on its own, then readers served during a background refresh."""
    timings, db = [], []
    for _ in range(builds):
        sql.found.clear()
        sql.on = True
        started = time.perf_counter()
        try:
            await compute(server.state.web, NOW)
        finally:
            sql.on = False
        timings.append((time.perf_counter() - started) * 1000)
        db.append(sum(s[0] for s in sql.found))
    build = {"builds": builds, **figures(timings), "db_ms": round(statistics.median(db), 1),
             "statements": len(sql.found)}
    await http.get("/papan/")  # the cache filled (with --only, no reader came before)
    clock.now = NOW + timedelta(minutes=30)  # the cached board is stale: the next reader starts a refresh
    served, started = [], time.perf_counter()
    try:
        reply = await http.get("/papan/")
        assert reply.status_code == 200, reply.status_code
        served.append(timed.last_ms)
        refreshing = server.state.board.refreshing
        while refreshing is not None and not refreshing.done():
            await http.get("/papan/")
            served.append(timed.last_ms)
        if refreshing is not None:
            await refreshing
    finally:
        clock.now = NOW
    during = {"requests": len(served), **figures(served), "refresh_s": round(time.perf_counter() - started, 2)}
    return {"board_build": build, "board_during_refresh": during}


async def codes_sample(app: App, n: int) -> list[str]:
    rng = random.Random(5)
    async with app.uow() as uow:
        size = (await uow.connection.execute(text("SELECT max(id) FROM complaints"))).scalar_one()
        ids = sorted(rng.sample(range(1, size + 1), min(n, size)))
        rows = await uow.connection.execute(text(f"SELECT code FROM complaints WHERE id IN ({','.join(map(str, ids))})"))
        return [row.code for row in rows]


def pages(codes: list[str]) -> list[Page]:
    return [
        Page("board_first", "", ["/papan/"], requests=1),  # the first request computes the board
        Page("inbox_admin", "admin-pusat", ["/petugas/"], "inbox"),
        Page("inbox_unit", "petugas-dsdabm", ["/petugas/"], "inbox"),
        Page("inbox_admin_open", "admin-pusat", ["/petugas/?status=terbuka"], "inbox"),
        Page("inbox_admin_overdue", "admin-pusat", ["/petugas/?status=terbuka&terlambat=1"], "inbox"),
        Page("inbox_admin_category", "admin-pusat", ["/petugas/?status=semua&kategori=jalan"], "inbox"),
        Page("inbox_admin_search", "admin-pusat", ["/petugas/?status=semua&cari=jalan"], "inbox"),
        Page("inbox_unit_overdue", "petugas-dsdabm", ["/petugas/?terlambat=1"], "inbox"),
        Page("inbox_unit_search", "petugas-dsdabm", ["/petugas/?status=semua&cari=jalan"], "inbox"),
        Page("inbox_admin_all", "admin-pusat", ["/petugas/?status=semua"], "inbox"),
        Page("inbox_admin_all_page50", "admin-pusat", ["/petugas/?status=semua&halaman=50"]),
        Page("case_page", "admin-pusat", [f"/petugas/laporan/{code}" for code in codes]),
        Page("board", "", ["/papan/"], "board"),
    ]


async def run(database: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {"benchmark": "console", "database": database, "size": args.size}
    clients: list[httpx.AsyncClient] = []
    async with scratch_database(database, url, "bench_console") as engine:
        try:
            await measure_all(database, engine, args, result, clients)
        finally:
            for client in clients:
                await client.aclose()
    return result


async def measure_all(database: str, engine: AsyncEngine, args: argparse.Namespace, result: dict[str, Any],
                  clients: list[httpx.AsyncClient]) -> None:
    app = await bootstrap(Settings(), db=engine, migrate=False, rng=random.Random(1))
    log(f"{database}: loading {args.size:,} complaints ...")
    result["data"] = await load(engine, app.context(), NOW, args.size, log=log)
    result["load_s"] = result["data"].pop("load_s")
    if args.extra_sql:  # e.g. an index proposed for a slow page, tried on this data
        result["extra_sql"] = args.extra_sql
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            for statement in args.extra_sql:
                await conn.exec_driver_sql(statement)
    clock = Clock()
    server = create_http_app(app, clock=clock, limiter=TokenBucketLimiter(10**9))
    timed = Timed(server)
    transport = httpx.ASGITransport(app=timed)
    public = httpx.AsyncClient(transport=transport, base_url="http://aduan")
    browsers = {"": public}
    clients.append(public)
    for officer in ("admin-pusat", "petugas-dsdabm"):
        browsers[officer] = await sign_in(app, transport, officer)
        clients.append(browsers[officer])
    sql = Statements()
    sql.attach(engine)
    measured: dict[str, Any] = {}
    for page in pages(await codes_sample(app, 200)):
        if page.name not in args.only and args.only:
            continue
        http = browsers[page.who]
        measured[page.name] = found = await measure(page, http, timed, clock, 0 if page.requests == 1 else
                                                    args.warmup,
                                                    args.requests)
        if page.name != "board_first":
            slowest = await profile(page, http, sql)
            found.update(db_ms=round(sum(s[0] for s in sql.found), 1), statements=len(sql.found))
            if slowest is not None:
                found["slowest_statement_ms"] = round(slowest[0], 1)
            if args.explain and slowest is not None:
                plan = await explain(engine, slowest[1], slowest[2])
                log(f"--- {page.name}: slowest statement ({slowest[0]:.1f} ms)\n{short(slowest[1])}\n{plan}")
        if page.kind:
            found["target_p95_ms"] = TARGETS_MS[page.kind]
            found["meets_target"] = found["p95_ms"] < TARGETS_MS[page.kind]
        log(f"{database}: {page.name}: {json.dumps(found)}")
    if not args.only or "board_build" in args.only:
        measured.update(await board_builds(server, public, timed, clock, sql, args.board_builds))
        log(f"{database}: board_build: {json.dumps(measured['board_build'])}")
        log(f"{database}: board_during_refresh: {json.dumps(measured['board_during_refresh'])}")
    result["pages"] = measured
    held = [p for p in measured.values() if "meets_target" in p]
    result["meets_targets"] = all(p["meets_target"] for p in held) if database == "postgresql" else None
    result.update(machine())


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "sqlalchemy": sqlalchemy.__version__,
            "cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()],
            "machine": platform.machine(), "when": datetime.now().astimezone().isoformat(timespec="seconds")}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--databases", default="postgresql", help="comma-separated: postgresql, sqlite")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests before them")
    parser.add_argument("--board-builds", type=int, default=5, help="timed computations of the board")
    parser.add_argument("--only", type=lambda s: [p for p in s.split(",") if p], default=[],
                        help="only these pages (comma-separated names)")
    parser.add_argument("--extra-sql", action="append", default=[],
                        help="a statement run after loading (e.g. CREATE INDEX ...; ANALYZE); repeatable")
    parser.add_argument("--explain", action="store_true", help="plans of the slowest statements (stderr)")
    args = parser.parse_args()
    url = os.environ.get("ADUAN_BENCH_DATABASE_URL", DEFAULT_URL)
    for database in (d.strip() for d in args.databases.split(",") if d.strip()):
        print(json.dumps(await run(database, url, args)), flush=True)


if __name__ == "__main__":
    asyncio.run(main())

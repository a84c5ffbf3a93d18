"""Benchmark of the escalation sweep on PostgreSQL.

For each size N: N open complaints, exactly 100 of them due (next_escalation_at <= now);
the rest are due far in the future (60 %) or have no next escalation at all (40 %:
waiting for the complainant, or already at the top level). Measures

  (a) the claim query alone: ``uow.complaints.claim_due(now, 200)`` in a transaction that
      is rolled back (median of 5, after one warm-up call);
  (b) a full ``Sweeper.sweep(now)`` pass over the 100 due complaints: escalation, audit
      entries, outbox rows (median of 3, after one warm-up pass; the 100 rows are reset
      and the events/outbox rows the pass wrote are deleted before every pass).

Prints one JSON object on stdout. Runs in a fresh schema (created and dropped here) of
the server at ADUAN_BENCH_DATABASE_URL (default
postgresql+asyncpg://postgres@127.0.0.1:5432/test).

    python benchmarks/sweep.py                   # sizes 10_000 and 1_000_000
    python benchmarks/sweep.py --sizes 10000     # quick run
    python benchmarks/sweep.py --profile         # + where the sweep's time goes (stderr)
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool
from workload.backlog import DUE, NOW, DueRow, load, reset, scalar

from aduan.bootstrap import App, bootstrap
from aduan.settings import DEMO_ORGANISATION, Settings
from storage.database import create_engine
from storage.migrate import upgrade

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
DEFAULT_SIZES = (10_000, 1_000_000)
CLAIM_LIMIT = 200
CLAIM_RUNS = 5
SWEEP_RUNS = 3
TARGET_MS = 100.0


async def claim_once(app: App) -> tuple[float, int]:
    async with app.uow() as uow:
        started = time.perf_counter()
        claimed = await uow.complaints.claim_due(NOW, CLAIM_LIMIT)
        elapsed = time.perf_counter() - started
        await uow.rollback()
    return elapsed * 1000, len(claimed)


def plan_nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [node]
    for child in node.get("Plans", []):
        nodes += plan_nodes(child)
    return nodes


async def explain_claim(app: App, engine: AsyncEngine) -> dict[str, Any]:
    """EXPLAIN (ANALYZE, BUFFERS) of exactly the statement claim_due sends."""
    captured: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if "SKIP LOCKED" in statement and not captured:
            captured.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        await claim_once(app)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    statement, parameters = captured[0]
    async with engine.connect() as conn:
        raw = (await conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters)).scalar()
        await conn.rollback()
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
    nodes = plan_nodes(plan["Plan"])
    scan = next(n for n in nodes if n.get("Relation Name") == "complaints")
    return {
        "claim_plan": " > ".join(n["Node Type"] for n in nodes),
        "claim_plan_node": scan["Node Type"],
        "claim_plan_index": next((n["Index Name"] for n in nodes if "Index Name" in n), None),
        "claim_plan_estimated_rows": scan.get("Plan Rows"),
        "claim_plan_rows": scan.get("Actual Rows"),
        "claim_plan_buffers": scan.get("Shared Hit Blocks", 0) + scan.get("Shared Read Blocks", 0),
        "claim_plan_server_ms": round(plan.get("Execution Time", 0.0), 3),
    }


async def sweep_once(app: App, engine: AsyncEngine, due: list[DueRow], marks: tuple[int, int]) -> tuple[float, Any]:
    await reset(engine, due, *marks)
    started = time.perf_counter()
    report = await app.sweeper.sweep(NOW)
    elapsed = (time.perf_counter() - started) * 1000
    assert len(report.escalated) + len(report.closed) == DUE, report
    return elapsed, report


async def measure(app: App, engine: AsyncEngine, n: int, profile: bool) -> dict[str, Any]:
    due, load_s = await load(app, engine, n)
    log(f"N={n:,}: loaded in {load_s:.1f} s")

    await claim_once(app)  # warm-up: connection pool, statement caches
    claims = []
    for _ in range(CLAIM_RUNS):
        ms, count = await claim_once(app)
        assert count == DUE, count
        claims.append(ms)

    marks = (await scalar(engine, "SELECT coalesce(max(id), 0) FROM complaint_events"),
             await scalar(engine, "SELECT coalesce(max(id), 0) FROM outbox"))
    first_ms, report = await sweep_once(app, engine, due, marks)  # warm-up pass
    sweeps = [(await sweep_once(app, engine, due, marks))[0] for _ in range(SWEEP_RUNS)]
    outbox_rows = await scalar(engine, "SELECT count(*) FROM outbox WHERE id > :m", m=marks[1])
    event_rows = await scalar(engine, "SELECT count(*) FROM complaint_events WHERE id > :m", m=marks[0])

    await reset(engine, due, *marks)
    result = {
        "open_complaints": n,
        "due": DUE,
        "claim_ms": round(statistics.median(claims), 2),
        "sweep_ms": round(statistics.median(sweeps), 2),
        "sweep_ms_per_due": round(statistics.median(sweeps) / DUE, 3),
        "claim_runs_ms": [round(x, 2) for x in claims],
        "sweep_runs_ms": [round(x, 2) for x in sweeps],
        "sweep_first_pass_ms": round(first_ms, 2),
        "escalated": len(report.escalated),
        "closed": len(report.closed),
        "outbox_rows_written": outbox_rows,
        "audit_rows_written": event_rows,
        "load_s": round(load_s, 1),
        **await explain_claim(app, engine),
    }
    if profile:
        result["profile"] = await profile_sweep(app, engine, due, marks)
    await reset(engine, due, *marks)
    return result


@contextmanager
def phase_timers() -> Iterator[dict[str, list[float]]]:
    """Time (inclusive) the parts of a sweep pass by wrapping them for the duration."""
    from bot.notices import IndonesianNotices
    from complaints import sweep as sweep_module
    from complaints.usecases import escalate as escalate_module
    from complaints.usecases.context import CaseContext
    from storage.repositories import SqlComplaintRepository, SqlOutboxRepository
    from storage.uow import SqlUnitOfWork

    spent: dict[str, list[float]] = defaultdict(list)
    targets = [  # (owner, attribute, label)
        (SqlUnitOfWork, "__aenter__", "unit of work: connection checkout (pre-ping)"),
        (SqlComplaintRepository, "claim_due", "claim_due: SELECT .. SKIP LOCKED + audit trails + hydrate"),
        (SqlComplaintRepository, "save", "complaints.save: UPDATE complaints (37 columns) + INSERT audit"),
        (SqlOutboxRepository, "add", "outbox.add: INSERT outbox ON CONFLICT DO NOTHING RETURNING"),
        (SqlUnitOfWork, "commit", "commit"),
        (IndonesianNotices, "escalation", "texts: notices.escalation"),
        (IndonesianNotices, "status_changed", "texts: notices.status_changed"),
        (CaseContext, "hold_until_working_hours", "calendar: hold_until_working_hours"),
        (sweep_module, "reached", "calendar: escalation.reached"),
        (sweep_module, "schedule_next", "calendar: escalation.schedule_next (sweep)"),
        (escalate_module, "schedule_next", "calendar: escalation.schedule_next (escalate)"),
    ]
    originals = []
    for owner, name, label in targets:
        original = getattr(owner, name)
        originals.append((owner, name, original))
        if asyncio.iscoroutinefunction(original):
            async def wrapper(*args, __f=original, __label=label, **kwargs):
                started = time.perf_counter()
                try:
                    return await __f(*args, **kwargs)
                finally:
                    spent[__label].append(time.perf_counter() - started)
        else:
            def wrapper(*args, __f=original, __label=label, **kwargs):
                started = time.perf_counter()
                try:
                    return __f(*args, **kwargs)
                finally:
                    spent[__label].append(time.perf_counter() - started)
        setattr(owner, name, wrapper)
    try:
        yield spent
    finally:
        for owner, name, original in reversed(originals):
            setattr(owner, name, original)


def statement_kind(statement: str) -> str:
    words = statement.split()
    verb = words[0].upper()
    if verb == "SELECT" and "SKIP LOCKED" in statement:
        return "SELECT complaints FOR UPDATE SKIP LOCKED"
    for table in ("complaint_events", "complaints", "outbox"):
        if f" {table} " in f" {statement} " or f" {table}(" in statement:
            return f"{verb} {table}"
    return verb


async def profile_sweep(app: App, engine: AsyncEngine, due: list[DueRow], marks: tuple[int, int]) -> dict[str, Any]:
    """Two more passes, not counted in the results: one with every statement counted and
    timed from handing it to the driver until the driver returns (round trip + server),
    and the parts of the pass timed; then one under cProfile (top functions on stderr)."""
    starts: dict[int, float] = {}
    per_kind: dict[str, list[float]] = defaultdict(list)

    def before(_conn, _cursor, _statement, _params, context, _many):
        starts[id(context)] = time.perf_counter()

    def after(_conn, _cursor, statement, _params, context, _many):
        per_kind[statement_kind(statement)].append(time.perf_counter() - starts.pop(id(context)))

    await reset(engine, due, *marks)
    event.listen(engine.sync_engine, "before_cursor_execute", before)
    event.listen(engine.sync_engine, "after_cursor_execute", after)
    try:
        with phase_timers() as spent:
            started = time.perf_counter()
            await app.sweeper.sweep(NOW)
            total_ms = (time.perf_counter() - started) * 1000
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", before)
        event.remove(engine.sync_engine, "after_cursor_execute", after)

    def summary(times: dict[str, list[float]]) -> dict[str, dict[str, float]]:
        rows = {k: {"calls": len(v), "ms": round(sum(v) * 1000, 2)} for k, v in times.items()}
        return dict(sorted(rows.items(), key=lambda kv: -kv[1]["ms"]))

    statements = summary(per_kind)
    statement_ms = sum(s["ms"] for s in statements.values())

    profiler = cProfile.Profile()
    await reset(engine, due, *marks)
    profiler.enable()
    await app.sweeper.sweep(NOW)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(50)
    stats.sort_stats("tottime").print_stats(30)
    log(out.getvalue())
    return {
        "note": "one instrumented pass; timers add overhead, compare the parts with each other",
        "sweep_ms": round(total_ms, 2),
        "statements": sum(s["calls"] for s in statements.values()),
        "statement_ms": round(statement_ms, 2),
        "outside_statements_ms": round(total_ms - statement_ms, 2),
        "by_statement": statements,
        "by_part_inclusive": summary(spent),
    }


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def run(url: str, sizes: list[int], profile: bool) -> dict[str, Any]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, poolclass=NullPool)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        server_version = (await conn.execute(text("SHOW server_version"))).scalar()
    engine = create_engine(url, schema=schema)
    try:
        await upgrade(engine)
        settings = Settings(organisation_file=DEMO_ORGANISATION, timezone="Asia/Jakarta")
        app = await bootstrap(settings, db=engine, migrate=False)
        results = [await measure(app, engine, n, profile) for n in sizes]
    finally:
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()
    by_size = {r["open_complaints"]: r for r in results}
    smallest, largest = min(by_size), max(by_size)
    return {
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "postgres": server_version,
            "platform": platform.platform(),
        },
        "now": NOW.astimezone(UTC).isoformat(),
        "results": results,
        "target_ms": TARGET_MS,
        "ok": all(r["sweep_ms"] <= TARGET_MS for r in results),
        "grows_with_not_due": (
            round(by_size[largest]["claim_ms"] / by_size[smallest]["claim_ms"], 2) if largest != smallest else None
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=lambda s: [int(x.replace("_", "")) for x in s.split(",")],
                        default=list(DEFAULT_SIZES), help="comma-separated numbers of open complaints")
    parser.add_argument("--profile", action="store_true", help="also count/time the sweep's statements and cProfile it")
    args = parser.parse_args()
    if any(n < DUE for n in args.sizes):
        parser.error(f"every size must be at least {DUE}")
    url = os.environ.get("ADUAN_BENCH_DATABASE_URL") or DEFAULT_URL
    print(json.dumps(asyncio.run(run(url, sorted(args.sizes), args.profile)), indent=2))


if __name__ == "__main__":
    main()

"""Pipeline benchmark: simulated citizens file complaints through the whole engine.

N conversations (default 1,000) are opened at once and driven message by message,
round-robin: every conversation sends its first message before any sends its second, so
all N dialogs are open in the database together. Each conversation is a complete intake
that ends with a submitted complaint: 3 to 9 messages from a citizen, 6.8 on average
(rich first messages or step by step, twelve kinds of problem, 60 kelurahan, dates typed
or skipped, anonymous, confidential or named, phone typed or not, buttons pressed or
answers typed). Every
message goes through ``ConversationEngine.handle`` exactly as a Telegram update does
(channel "telegram", an update id: dedupe and the flood count included): NLU, dialog
state, and on the last message the complaint, its audit entry and the verifiers' outbox
rows, in one transaction. The clock is fixed and advanced per message; the rng is seeded.

    python benchmarks/pipeline.py                          # SQLite, then PostgreSQL with 2 workers
    python benchmarks/pipeline.py --backend sqlite --conversations 200
    python benchmarks/pipeline.py --backend postgresql --workers 2 --concurrency 2

SQLite: one process pinned to one core, a file database in a temporary folder.
PostgreSQL: ``--workers`` processes (multiprocessing "spawn"), each driving its share of
the conversations against one fresh schema of the server at ADUAN_BENCH_DATABASE_URL
(default postgresql+asyncpg://postgres@127.0.0.1:5432/test), dropped at the end.

Prints one JSON object per backend (one per line): messages per second (all messages /
wall time of the slowest worker), latency of each ``handle`` call (p50, p90, p99, max, in
ms; from the call to its return, so with ``--concurrency`` > 1 messages in flight per
process (default 1) it includes waiting for a connection, a lock or the CPU), peak
resident memory, and the check that exactly N complaints
were stored (no duplicates, no dialog left open). Targets (issue 7): >= 500 messages/s on
SQLite on one core, >= 1,000 on PostgreSQL with two workers, p99 < 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from workload.citizens import Conversation, Persona, make_persona
from workload.trips import Trips

from aduan import loop
from aduan.bootstrap import App, bootstrap
from aduan.settings import DEMO_ORGANISATION, Settings
from bot.messages import IncomingMessage
from storage.database import create_engine
from storage.migrate import upgrade

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)  # Monday 23 November 2026, 09:00 WIB
MESSAGE_STEP = timedelta(milliseconds=50)  # the fixed clock moves this much per message
WARM_UP_SENDER = "warmup-"
TARGETS = {"sqlite": 500, "postgresql": 1000}
TARGET_P99_MS = 20.0


# --- one worker: drive its conversations, measure each handle() -------------------------------


@dataclass
class WorkerResult:
    worker: int
    messages: int
    conversations: int
    seconds: float
    latencies_ms: list[float]
    peak_rss_mb: float
    turns: dict[int, int]
    statements: int = 0
    driver_trips: int = 0
    cpu_seconds: float = 0.0  # this process's, threads included (SQLite's driver thread)
    machine_busy_seconds: float = 0.0


async def drive(app: App, personas: list[Persona], worker: int, concurrency: int) -> WorkerResult:
    conversations = deque(Conversation(p) for p in personas)
    latencies: list[float] = []
    counter = iter(range(10**9))
    handle = app.conversation.handle

    async def one_lane() -> None:
        while conversations:
            conv = conversations.popleft()
            text_, button = conv.next_message()
            n = next(counter)
            msg = IncomingMessage("telegram", conv.sender, text=text_, button=button, update_id=f"{worker}-{n}")
            now = START + MESSAGE_STEP * n
            started = time.perf_counter()
            replies = await handle(msg, now)
            latencies.append((time.perf_counter() - started) * 1000)
            conv.took(text_, button, replies)
            if not conv.done:
                conversations.append(conv)
            else:
                finished.append(conv)

    finished: list[Conversation] = []
    started, cpu, machine_busy = time.perf_counter(), time.process_time(), busy_seconds()
    await asyncio.gather(*(one_lane() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    turns: dict[int, int] = {}
    for conv in finished:
        turns[conv.turns] = turns.get(conv.turns, 0) + 1
    return WorkerResult(worker, len(latencies), len(finished), seconds, latencies,
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, turns,
                        cpu_seconds=time.process_time() - cpu, machine_busy_seconds=busy_seconds() - machine_busy)


def busy_seconds() -> float:
    """CPU time the whole machine spent busy so far (every core, every process: the
    database server's included), from /proc/stat; 0 where there is none."""
    try:
        with open("/proc/stat", encoding="ascii") as proc:
            ticks = [int(x) for x in proc.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle and waiting for I/O
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


def personas_for(count: int, seed: int) -> list[Persona]:
    rng = random.Random(seed)
    people = [make_persona(rng, 5_000_000 + n) for n in range(count)]
    rng.shuffle(people)
    return people


async def warm_up(app: App) -> None:
    """What the NLU loads lazily is loaded before the clock starts, as ``aduan serve`` does."""
    app.warm_up()


async def warm_up_engine(app: App, worker: int) -> None:
    """One complaint filed before the clock starts (its statements compiled, its code
    paths loaded); its sender is left out of the counts."""
    persona = make_persona(random.Random(worker), 0)
    conv = Conversation(persona)
    n = 0
    while not conv.done:
        text_, button = conv.next_message()
        msg = IncomingMessage("telegram", f"{WARM_UP_SENDER}{worker}", text=text_, button=button,
                              update_id=f"warm-{worker}-{n}")
        conv.took(text_, button, await app.conversation.handle(msg, START - timedelta(hours=1) + MESSAGE_STEP * n))
        n += 1


async def run_worker(url: str, schema: str | None, personas: list[Persona], worker: int, concurrency: int,
                     seed: int) -> WorkerResult:
    engine = create_engine(url, schema=schema)
    trips = Trips()
    trips.watch(engine)
    try:
        settings = Settings(organisation_file=DEMO_ORGANISATION, timezone="Asia/Jakarta")
        app = await bootstrap(settings, db=engine, migrate=False, rng=random.Random(seed * 1000 + worker))
        await warm_up(app)
        await warm_up_engine(app, worker)
        trips.reset()
        result = await drive(app, personas, worker, concurrency)
        result.statements, result.driver_trips = trips.statements, trips.trips
        return result
    finally:
        await engine.dispose()


def worker_process(args: tuple[str, str | None, list[Persona], int, int, int]) -> WorkerResult:
    return loop.run(run_worker(*args))  # as aduan serve runs


# --- checks and figures ----------------------------------------------------------------------


async def stored_counts(url: str, schema: str | None, *, probe: bool = False) -> dict[str, int]:
    engine = create_engine(url, schema=schema, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            if probe:  # only whether the server answers
                await conn.execute(text("SELECT 1"))
                return {}
            ours = {"warm_up": f"{WARM_UP_SENDER}%"}
            row = (await conn.execute(text(
                "SELECT count(*), count(DISTINCT code), count(DISTINCT sender) FROM complaints "
                "WHERE sender NOT LIKE :warm_up"), ours)).one()
            dialogs = (await conn.execute(text(
                "SELECT count(*) FROM dialog_states WHERE sender NOT LIKE :warm_up"), ours)).scalar_one()
            outbox = (await conn.execute(text(
                "SELECT count(*) FROM outbox WHERE complaint_code IN "
                "(SELECT code FROM complaints WHERE sender NOT LIKE :warm_up)"), ours)).scalar_one()
    finally:
        await engine.dispose()
    return {"complaints": row[0], "distinct_codes": row[1], "distinct_senders": row[2],
            "open_dialogs": dialogs, "outbox_rows": outbox}


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def figures(backend: str, results: list[WorkerResult], counts: dict[str, int], n: int, concurrency: int,
            cores: str) -> dict[str, Any]:
    latencies = sorted(x for r in results for x in r.latencies_ms)
    messages = sum(r.messages for r in results)
    wall = max(r.seconds for r in results)
    rate = messages / wall
    p99 = percentile(latencies, 0.99)
    turns: dict[int, int] = {}
    for r in results:
        for k, v in r.turns.items():
            turns[k] = turns.get(k, 0) + v
    stored_ok = (counts["complaints"] == counts["distinct_codes"] == counts["distinct_senders"] == n
                 and counts["open_dialogs"] == 0)
    return {
        "benchmark": "pipeline",
        "backend": backend,
        "workers": len(results),
        "concurrency_per_worker": concurrency,
        "cores": cores,
        "conversations": n,
        "messages": messages,
        "messages_per_conversation": round(messages / n, 2),
        "turns_histogram": dict(sorted(turns.items())),
        "seconds": round(wall, 2),
        "messages_per_second": round(rate),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50), 2),
            "p90": round(percentile(latencies, 0.90), 2),
            "p99": round(p99, 2),
            "max": round(latencies[-1], 2),
            "mean": round(statistics.fmean(latencies), 2),
        },
        # where the time goes: the worker's own CPU, and the whole machine's (the server's,
        # the other workers', the kernel's) while the slowest worker ran
        "worker_cpu_ms_per_message": round(1000 * sum(r.cpu_seconds for r in results) / messages, 3),
        "machine_cpu_ms_per_message": round(1000 * max(r.machine_busy_seconds for r in results) / messages, 3),
        "statements_per_message": round(sum(r.statements for r in results) / messages, 2),
        "driver_trips_per_message": round(sum(r.driver_trips for r in results) / messages, 2),
        "peak_rss_mb": round(max(r.peak_rss_mb for r in results), 1),
        "peak_rss_mb_per_worker": [round(r.peak_rss_mb, 1) for r in results],
        "stored": counts,
        "target_messages_per_second": TARGETS[backend],
        "target_p99_ms": TARGET_P99_MS,
        "ok": stored_ok and rate >= TARGETS[backend] and p99 < TARGET_P99_MS,
        "stored_ok": stored_ok,
    }


def machine() -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")
    except OSError:
        pass
    return {"cpu": model, "cpu_count": os.cpu_count(), "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


# --- the two backends ------------------------------------------------------------------------


def run_sqlite(n: int, seed: int, concurrency: int, pin: bool) -> dict[str, Any]:
    all_cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    cores = "all"
    if pin and all_cores:
        core = min(all_cores)
        os.sched_setaffinity(0, {core})  # one core, as the target says
        cores = f"1 (cpu {core})"
    try:
        with tempfile.TemporaryDirectory(prefix="aduan-bench-") as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'aduan.db'}"

            async def main() -> tuple[WorkerResult, dict[str, int]]:
                engine = create_engine(url)
                await upgrade(engine)
                await engine.dispose()
                result = await run_worker(url, None, personas_for(n, seed), 0, concurrency, seed)
                return result, await stored_counts(url, None)

            result, counts = loop.run(main())
    finally:
        if pin and all_cores:
            os.sched_setaffinity(0, all_cores)
    return figures("sqlite", [result], counts, n, concurrency, cores)


def run_postgresql(url: str, n: int, seed: int, workers: int, concurrency: int) -> dict[str, Any]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"

    async def admin(sql: str) -> None:
        engine = create_engine(url, poolclass=NullPool)
        try:
            async with engine.begin() as conn:
                await conn.execute(text(sql))
        finally:
            await engine.dispose()

    async def migrate() -> None:
        await admin(f'CREATE SCHEMA "{schema}"')
        engine = create_engine(url, schema=schema)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(migrate())
    try:
        people = personas_for(n, seed)
        shares = [people[w::workers] for w in range(workers)]
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers) as pool:
            results = pool.map(worker_process, [(url, schema, share, w, concurrency, seed)
                                                for w, share in enumerate(shares)])
        counts = asyncio.run(stored_counts(url, schema))
    finally:
        asyncio.run(admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    return figures("postgresql", results, counts, n, concurrency, f"all ({os.cpu_count()}), shared with the server")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--conversations", type=int, default=1000, help="complete intakes, all open at once")
    parser.add_argument("--workers", type=int, default=2, help="PostgreSQL: worker processes")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="messages in flight per process (default 1: more only queue for the CPU)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-pin", action="store_true", help="SQLite: do not pin the process to one core")
    args = parser.parse_args()
    url = os.environ.get("ADUAN_BENCH_DATABASE_URL") or DEFAULT_URL
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        log(f"== pipeline on {backend}: {args.conversations} conversations")
        if backend == "sqlite":
            result = run_sqlite(args.conversations, args.seed, args.concurrency or 1, not args.no_pin)
        else:
            try:
                asyncio.run(stored_counts(url, None, probe=True))
            except (OSError, DBAPIError) as error:  # no server: say so, and let `make bench` go on
                print(json.dumps({"benchmark": "pipeline", "backend": "postgresql",
                                  "skipped": f"PostgreSQL unavailable: {type(error).__name__}: {error}"}), flush=True)
                continue
            result = run_postgresql(url, args.conversations, args.seed, args.workers, args.concurrency or 1)
        result["machine"] = machine()
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

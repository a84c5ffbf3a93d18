"""The storage work of one message, through SQLAlchemy's execution and sent straight to the
driver (storage/direct.py), side by side in one process.

Each message opens a unit of work, runs the arrival (dedupe, flood count, the dialog read;
on PostgreSQL the dialog locked), writes the dialog and commits, as
``ConversationEngine.handle`` does for every message. The same two statements are run in
rounds, one round through ``AsyncConnection.execute`` and the next through the
repositories (``DirectStatement``), alternating, so that the machine's drift falls on both
alike; CPU time of the process (SQLite's driver thread included) per message.

    python benchmarks/storage_path.py                       # SQLite, then PostgreSQL
    python benchmarks/storage_path.py --backend sqlite --rounds 6

Prints one JSON object per backend: the median and the lowest CPU µs a message of each
way, and the saving. PostgreSQL: a fresh schema of the server at ADUAN_BENCH_DATABASE_URL
(default postgresql+asyncpg://postgres@127.0.0.1:5432/test), dropped at the end.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import DEFAULT_URL, machine
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from aduan import loop
from storage import messaging
from storage.database import create_engine
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
SENDERS = 300
STATE = {"step": "place", "draft": {"description": "jalan depan SD berlubang", "category": "jalan_rusak"}}


async def measure(url: str, schema: str | None, rounds: int, per_round: int) -> dict[str, Any]:
    engine = create_engine(url, schema=schema)
    await upgrade(engine)
    arrive, upsert = messaging._arrive(engine.dialect), messaging._upsert_dialog(engine.dialect)
    counter = iter(range(10**9))

    async def message(direct: bool) -> None:
        n = next(counter)
        sender = f"62812{n % SENDERS:07d}"
        async with SqlUnitOfWork(engine) as uow:
            if direct:
                await uow.inbox.arrive("telegram", str(n), sender, NOW, NOW - timedelta(minutes=1))
                await uow.dialogs.put("telegram", sender, STATE, NOW)
            else:
                await uow.connection.execute(arrive, {"channel": "telegram", "update_id": str(n), "sender": sender,
                                                      "received_at": NOW, "since": NOW - timedelta(minutes=1)})
                await uow.connection.execute(upsert, {"channel": "telegram", "sender": sender, "state": STATE,
                                                      "updated_at": NOW})
            await uow.commit()

    async def round_of(run: Callable[[], Awaitable[None]]) -> float:
        for _ in range(per_round // 10):  # warm
            await run()
        started = time.process_time()
        for _ in range(per_round):
            await run()
        return 1e6 * (time.process_time() - started) / per_round

    spent: dict[bool, list[float]] = {False: [], True: []}
    try:
        for r in range(rounds):
            for direct in ((False, True) if r % 2 == 0 else (True, False)):
                spent[direct].append(await round_of(functools.partial(message, direct)))
    finally:
        await engine.dispose()
    core, direct_ = statistics.median(spent[False]), statistics.median(spent[True])
    return {
        "sqlalchemy_execution_cpu_us_per_message": {"median": round(core), "lowest": round(min(spent[False]))},
        "direct_cpu_us_per_message": {"median": round(direct_), "lowest": round(min(spent[True]))},
        "saving_percent": round(100 * (core - direct_) / core, 1),
        "rounds": rounds, "messages_per_round": per_round,
    }


async def on_postgresql(url: str, rounds: int, per_round: int) -> dict[str, Any]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, poolclass=NullPool)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        return await measure(url, schema, rounds, per_round)
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--per-round", type=int, default=400)
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="aduan-bench-") as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'aduan.db'}"
            figures = loop.run(measure(url, None, args.rounds, args.per_round))
        print(json.dumps({"benchmark": "storage_path", "backend": "sqlite", **figures, "machine": machine()}))
    if args.backend in ("postgresql", "both"):
        url = os.environ.get("ADUAN_BENCH_DATABASE_URL", DEFAULT_URL)
        figures = loop.run(on_postgresql(url, args.rounds, args.per_round))
        print(json.dumps({"benchmark": "storage_path", "backend": "postgresql", **figures, "machine": machine()}))


if __name__ == "__main__":
    main()

"""Outbox relay benchmark: how close the Telegram relay gets to Telegram's flood limit.

10,000 notifications (``--count``) for 500 different chats (``--chats``, each message to a
chat drawn at random, seeded, so several messages to one chat often fall within the same
second) are queued in the outbox of a fresh database. The fake Telegram Bot API
(tests/fakes/telegram_api.py, in a process of its own) enforces Telegram's limits: at
most 30 messages in any sliding second, one a second per chat, a 429 beyond either. The
real relay (scheduler/relay.py) with the real sender (``TelegramSender``: a
python-telegram-bot ``Bot`` pointed at the fake, and its rate limiter) delivers them,
called the way the scheduler calls it (``drain(now)``, again as long as anything is
pending).

    python benchmarks/relay.py                       # 10 000 notifications, ~6 minutes
    python benchmarks/relay.py --count 1000          # a quick run (~35 s)
    python benchmarks/relay.py --backend postgresql  # the outbox on PostgreSQL

Prints one JSON object: delivered, messages per second (from the first accepted send to
the last), that rate as a share of the 30/s limit, the 429s the fake answered (must be 0),
duplicates (must be 0), the most sends the fake accepted within any one second, and
whether the target (>= 90 % of the limit, no 429) was met. PostgreSQL: a fresh schema of
the server at ADUAN_BENCH_DATABASE_URL (default
postgresql+asyncpg://postgres@127.0.0.1:5432/test), dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import machine  # (benchmarks/pipeline.py)
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from aduan import loop
from bot.channels.rate_limit import RateLimiter, telegram_limiter
from bot.channels.telegram import TelegramSender
from bot.channels.telegram_http import telegram_bot
from complaints.notifications import Button, Notification
from scheduler.relay import OutboxRelay
from storage.database import create_engine
from storage.migrate import upgrade
from storage.uow import uow_factory
from tests.fakes.telegram_api import FakeTelegramApi

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
LIMIT_PER_SECOND = 30
PER_CHAT_INTERVAL = 1.0
TARGET_SHARE = 0.90
FIRST_CHAT = 7_100_000
STATUS_TEXTS = (
    "Status laporan {code} berubah menjadi: Sedang ditindaklanjuti.\nCatatan petugas: tim dijadwalkan besok pagi.",
    "Laporan {code} sudah diverifikasi dan diteruskan ke Dinas Lingkungan Hidup.",
    "Laporan {code} telah selesai ditindaklanjuti. Apakah Anda puas dengan penyelesaiannya?",
    "Petugas memerlukan informasi tambahan untuk laporan {code}: mohon kirim foto lokasinya.",
)


def serve_fake(conn: Any, limits: tuple[int, float] | None) -> None:
    """The fake Bot API in a process of its own, as Telegram is: the bot's process (its
    event loop, its database work) cannot delay when the fake sees a request, nor the fake
    take the bot's CPU time. ``limits``: (per second, per chat interval) to enforce, or
    None. Sends back its URL and token, then, when told to stop, what it saw."""
    api = FakeTelegramApi().start()
    sends = SendLog()
    if limits is not None:
        api.enforce_limits(per_second=limits[0], per_chat_interval=limits[1])
        sends.watch(api)
    conn.send((api.url, api.token))
    conn.recv()  # "stop"
    api.stop()
    with sends.lock:
        conn.send({"accepted": sends.accepted, "refused": sends.refused, "texts": [m["text"] for m in api.sent],
                   "send_calls": len(api.calls_of("sendMessage"))})
    conn.close()


class SendLog:
    """What the fake's flood check saw: when each send arrived, and whether it was refused."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted: list[tuple[float, str]] = []  # (when, chat)
        self.refused: list[tuple[float, str]] = []  # (when, "second" or "chat": which limit)

    def watch(self, api: FakeTelegramApi) -> None:
        limits = api.limits
        assert limits is not None
        check = limits.check

        def recording_check(chat_id: str) -> Any:
            fault = check(chat_id)  # the fake calls it under its lock
            now = limits.clock()
            with self.lock:
                if fault is None:
                    self.accepted.append((now, chat_id))
                else:  # the order of the fake's checks: the overall limit first, then the chat's
                    self.refused.append((now, "second" if len(limits.recent) >= limits.per_second else "chat"))
            return fault

        limits.check = recording_check  # type: ignore[method-assign]


def busiest_second(times: list[float]) -> int:
    """The most sends accepted within any one second (sorted arrival times)."""
    return max((bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times)), default=0)


def notifications(count: int, chats: int, seed: int) -> list[Notification]:
    rng = random.Random(seed)
    result = []
    for n in range(count):
        code = f"LPR-BNCH-{n:05d}"
        text_ = rng.choice(STATUS_TEXTS).format(code=code) + f"\n(#{n})"
        buttons = ()
        if "puas" in text_:
            buttons = (Button(f"rate:{code}:puas", "Puas"), Button(f"rate:{code}:tidak", "Tidak puas"))
        recipient = str(FIRST_CHAT + rng.randrange(chats))
        result.append(Notification(f"bench:{n}", "telegram", recipient, text_, buttons, code))
    return result


async def queue_all(uow: Any, items: list[Notification]) -> None:
    now = datetime.now(UTC)
    for start in range(0, len(items), 500):
        async with uow() as unit:
            for item in items[start:start + 500]:
                assert await unit.outbox.add(item, now)
            await unit.commit()


async def pending(uow: Any) -> int:
    async with uow() as unit:
        return await unit.outbox.pending_count()


async def report_progress(uow: Any, count: int, started: float) -> None:
    while True:
        await asyncio.sleep(30)
        log(f"  {count - await pending(uow)} of {count} sent after {time.perf_counter() - started:.0f} s")


async def measure(url: str, schema: str | None, count: int, chats: int, seed: int, backend: str,
                  plain_limiter: bool) -> dict[str, Any]:
    engine = create_engine(url, schema=schema)
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    server = multiprocessing.get_context("spawn").Process(
        target=serve_fake, args=(theirs, (LIMIT_PER_SECOND, PER_CHAT_INTERVAL)), daemon=True)
    server.start()
    try:
        await upgrade(engine)
        uow = uow_factory(engine)
        items = notifications(count, chats, seed)
        await queue_all(uow, items)
        log(f"relay on {backend}: {count} notifications queued for {len({n.recipient for n in items})} chats")

        api_url, token = await asyncio.to_thread(ours.recv)
        async with telegram_bot(token, api_url) as bot:  # as aduan serve builds it
            limiter = RateLimiter() if plain_limiter else telegram_limiter()
            relay = OutboxRelay(uow, {"telegram": TelegramSender(bot, limiter)})
            started = time.perf_counter()
            deadline = started + count / (LIMIT_PER_SECOND * 0.5) + 120  # give up at half the limit
            progress = asyncio.create_task(report_progress(uow, count, started))
            left = count
            try:
                while left and time.perf_counter() < deadline:
                    await relay.drain(datetime.now(UTC))  # as the scheduler's relay job does
                    left = await pending(uow)
                    if left:  # only retries are left, not due yet (the scheduler runs every 2 s)
                        await asyncio.sleep(0.5)
            finally:
                progress.cancel()
            seconds = time.perf_counter() - started
        async with engine.connect() as conn:
            statuses = dict((await conn.execute(text("SELECT status, count(*) FROM outbox GROUP BY status"))).all())
        ours.send("stop")
        seen = await asyncio.to_thread(ours.recv)
    finally:
        server.join(10)
        if server.is_alive():
            server.terminate()
        await engine.dispose()

    delivered = seen["texts"]
    copies = Counter(delivered)
    accepted = sorted(when for when, _ in seen["accepted"])
    refused_kinds = Counter(kind for _, kind in seen["refused"])
    span = accepted[-1] - accepted[0] if len(accepted) > 1 else 0.0
    rate = (len(accepted) - 1) / span if span else 0.0
    refused = len(seen["refused"])
    return {
        "benchmark": "relay",
        "backend": backend,
        "limiter": "RateLimiter() defaults" if plain_limiter else "telegram_limiter()",
        "queued": count,
        "chats": chats,
        "delivered": len(delivered),
        "outbox": {k: statuses.get(k, 0) for k in ("sent", "pending", "failed")},
        "seconds": round(seconds, 1),
        "messages_per_second": round(rate, 2),
        "limit_per_second": LIMIT_PER_SECOND,
        "share_of_limit": round(rate / LIMIT_PER_SECOND, 3),
        "rejected_429": refused,
        "rejected_429_by_limit": dict(refused_kinds),
        "duplicates": sum(n - 1 for n in copies.values() if n > 1),
        "busiest_second": busiest_second(accepted),
        "target_share": TARGET_SHARE,
        "ok": len(copies) == count and refused == 0 and rate >= TARGET_SHARE * LIMIT_PER_SECOND
        and all(n == 1 for n in copies.values()),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": machine(),
    }


async def run(backend: str, count: int, chats: int, seed: int, plain_limiter: bool = False) -> dict[str, Any]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="aduan-bench-") as folder:
            return await measure(f"sqlite+aiosqlite:///{Path(folder) / 'aduan.db'}", None, count, chats, seed, backend,
                                 plain_limiter)
    url = os.environ.get("ADUAN_BENCH_DATABASE_URL") or DEFAULT_URL
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, poolclass=NullPool)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        return await measure(url, schema, count, chats, seed, backend, plain_limiter)
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="notifications to deliver")
    parser.add_argument("--chats", type=int, default=500, help="different recipients")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--plain-limiter", action="store_true",
                        help="the RateLimiter's defaults (a second's worth at once, no margin) instead of telegram_limiter()")
    args = parser.parse_args()
    result = loop.run(run(args.backend, args.count, args.chats, args.seed, args.plain_limiter))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

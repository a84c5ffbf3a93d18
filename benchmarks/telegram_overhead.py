"""Overhead over the framework: the same Telegram updates through a python-telegram-bot
echo bot and through our whole pipeline, in one run.

2,000 text updates (``--updates``) from 200 chats (``--chats``), taken in turns, chat after
chat, are handled twice, one update at a time, each reply sent over HTTP to the fake
Telegram Bot API (tests/fakes/telegram_api.py, in a process of its own, as Telegram is;
its flood limits are off, they are not what is measured here):

  echo  a python-telegram-bot ``Application`` with one ``MessageHandler`` that replies
        with the same text: ``await application.process_update(Update.de_json(data, bot))``;
  ours  ``TelegramChannel.process_update(data)``, built as ``aduan serve`` builds it, on
        ``bootstrap()`` with a fresh SQLite database: update parsing, dedupe and flood
        count, NLU, the dialog, complaints filed with their audit entries and outbox rows,
        and the replies (often two messages, with inline keyboards).

Each chat is a citizen filing complaints by typing (no buttons, so the echo bot handles
every update too): the updates are made as our bot asks, one after another, and the echo
bot gets exactly the same ones afterwards. Both get a few warm-up updates first.

    python benchmarks/telegram_overhead.py
    python benchmarks/telegram_overhead.py --updates 500 --chats 50

Prints one JSON object: the ratio's two sides (seconds, updates per second, ms per
update, CPU ms per update and sendMessage calls per update of each; for ours also the SQL
statements and driver trips per update, counted by benchmarks/workload/trips.py after the
warm-up), the ratio (ours / echo, wall time; target <= 2, issues 7 and 20), the same on CPU
time, and the stack both bots ran on (``stack``: the versions of python-telegram-bot, httpx,
httpcore, anyio and h11, and sniffio's, None when it is not installed: then httpcore fails
to import it four times a request, in both bots).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import importlib.util
import json
import multiprocessing
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import START, machine, warm_up
from relay import serve_fake
from sqlalchemy import text
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    MessageHandler,
    filters,
)
from workload.citizens import Conversation, make_persona
from workload.trips import Trips

from aduan import loop
from aduan.bootstrap import bootstrap
from aduan.settings import DEMO_ORGANISATION, Settings
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_format import render_rows
from bot.channels.telegram_http import aiohttp_requests, telegram_bot
from bot.messages import IncomingMessage, OutgoingMessage
from storage.database import create_engine

TARGET_RATIO = 2.0
FIRST_CHAT = 8_100_000
WARM_UP_CHAT = 8_099_999
UPDATE_STEP = timedelta(milliseconds=50)  # our bot's clock moves this much per update
WARM_UPS = ("halo", "bantuan", "terima kasih", "laporan saya", "batal")


class Updates:
    """Telegram updates as the Bot API delivers them (text messages in private chats)."""

    def __init__(self) -> None:
        self.next_id = 500_000

    def text(self, chat_id: int, words: str) -> dict[str, Any]:
        self.next_id += 1
        user = {"id": chat_id, "is_bot": False, "first_name": "Warga", "language_code": "id"}
        message = {"message_id": self.next_id, "date": 1795400000 + self.next_id,
                   "chat": {"id": chat_id, "type": "private", "first_name": "Warga"}, "from": user, "text": words}
        return {"update_id": self.next_id, "message": message}


@dataclass
class Clock:
    now: Any = START

    def __call__(self) -> Any:
        return self.now


@dataclass
class Run:
    updates: int
    seconds: float  # the process_update calls only
    cpu_seconds: float  # this process's CPU time in them (all its threads: SQLite's too)
    statements: int = 0  # SQL statements and driver trips in those calls (ours only)
    driver_trips: int = 0
    sends: int = 0  # sendMessage calls in those calls

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds

    def figures(self) -> dict[str, Any]:
        return {"seconds": round(self.seconds, 2), "updates_per_second": round(self.per_second),
                "ms_per_update": round(self.seconds / self.updates * 1000, 3),
                "cpu_ms_per_update": round(self.cpu_seconds / self.updates * 1000, 3),
                "sends_per_update": round(self.sends / self.updates, 3)}


async def run_ours(api_url: str, token: str, total: int, chats: int, seed: int,
                   factory: Updates) -> tuple[Run, list[dict[str, Any]], dict[str, int]]:
    """Our bot, driven as its citizens would (each answers what it was asked); returns
    the timing, the updates it was given (for the echo bot), and what was stored."""
    with tempfile.TemporaryDirectory(prefix="aduan-bench-") as folder:
        settings = Settings(organisation_file=DEMO_ORGANISATION, timezone="Asia/Jakarta",
                            database_url=f"sqlite+aiosqlite:///{Path(folder) / 'aduan.db'}",
                            media_dir=Path(folder) / "media")
        engine = create_engine(settings.effective_database_url, durability=settings.database_durability)
        trips = Trips()
        trips.watch(engine)  # before its first connection, as bootstrap() would make it
        app = await bootstrap(settings, rng=random.Random(seed), db=engine)
        await warm_up(app)
        clock = Clock()
        replies: dict[str, list[OutgoingMessage]] = {}

        async def handle(msg: IncomingMessage, now: Any) -> list[OutgoingMessage]:
            answer = await app.conversation.handle(msg, now)
            replies[msg.sender] = answer  # read by the citizen, after the channel sent it
            return answer

        async with telegram_bot(token, api_url) as bot:
            channel = TelegramChannel(handle, bot, settings.media_dir, settings.max_media_bytes, clock)
            for words in WARM_UPS:
                await channel.process_update(factory.text(WARM_UP_CHAT, words))
                clock.now += UPDATE_STEP
            trips.reset()

            rng = random.Random(seed)
            people = [Conversation(make_persona(rng, FIRST_CHAT + n), text_only=True) for n in range(chats)]
            given: list[dict[str, Any]] = []
            spent = cpu = 0.0
            sends = 0  # sendMessage calls: a long text goes in pieces (as TelegramCore.reply sends it)
            while len(given) < total:
                for n, person in enumerate(people):
                    if len(given) == total:
                        break
                    if person.done:  # filed: the same citizen starts another complaint
                        person = people[n] = Conversation(make_persona(rng, person.persona.chat_id), text_only=True)
                    words, _ = person.next_message()
                    assert words is not None
                    update = factory.text(person.persona.chat_id, words)
                    started, cpu_started = time.perf_counter(), time.process_time()
                    await channel.process_update(update)
                    spent += time.perf_counter() - started
                    cpu += time.process_time() - cpu_started
                    clock.now += UPDATE_STEP
                    given.append(update)
                    answer = replies.pop(person.sender, [])
                    sends += sum(len(render_rows(reply.text, reply.buttons)) for reply in answer)
                    person.took(words, None, answer)
        run = Run(len(given), spent, cpu, trips.statements, trips.trips, sends)  # before the counting queries below
        async with app.db.connect() as conn:
            stored = {
                "complaints": (await conn.execute(text("SELECT count(*) FROM complaints"))).scalar_one(),
                "outbox_rows": (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar_one(),
            }
        await app.close()
    return run, given, stored


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


async def run_echo(api_url: str, token: str, given: list[dict[str, Any]], factory: Updates, *,
                   on_aiohttp: bool = False) -> Run:
    """``on_aiohttp``: the echo bot sends with our AiohttpRequest instead of PTB's own
    httpx request, the transport our bot uses."""
    builder = ApplicationBuilder().token(token).base_url(f"{api_url}/bot").base_file_url(f"{api_url}/file/bot")
    if on_aiohttp:
        calls, updates = aiohttp_requests()  # as telegram_bot() builds ours
        builder = builder.request(calls).get_updates_request(updates)
    application: Application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with application:  # initialize() ... shutdown()
        for words in WARM_UPS:
            await application.process_update(Update.de_json(factory.text(WARM_UP_CHAT, words), application.bot))
        spent = cpu = 0.0
        for data in given:
            started, cpu_started = time.perf_counter(), time.process_time()
            await application.process_update(Update.de_json(data, application.bot))
            spent += time.perf_counter() - started
            cpu += time.process_time() - cpu_started
    return Run(len(given), spent, cpu, sends=len(given))  # one echo each


async def measure(total: int, chats: int, seed: int) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    ours_end, fake_end = context.Pipe()
    server = context.Process(target=serve_fake, args=(fake_end, None), daemon=True)
    server.start()
    cores = pin_apart(server.pid)
    try:
        api_url, token = await asyncio.to_thread(ours_end.recv)
        factory = Updates()
        log(f"telegram overhead: {total} updates from {chats} chats through our pipeline")
        ours, given, stored = await run_ours(api_url, token, total, chats, seed, factory)
        log("... and through a python-telegram-bot echo bot, on PTB's own request (httpx), then on aiohttp")
        plain = await run_echo(api_url, token, given, factory)
        plain_aiohttp = await run_echo(api_url, token, given, factory, on_aiohttp=True)
        ours_end.send("stop")
        seen = await asyncio.to_thread(ours_end.recv)
    finally:
        server.join(10)
        if server.is_alive():
            server.terminate()
    ratio = ours.seconds / plain.seconds
    cpu_ratio = ours.cpu_seconds / plain.cpu_seconds
    per_update = {"statements_per_update": round(ours.statements / ours.updates, 2),
                  "driver_trips_per_update": round(ours.driver_trips / ours.updates, 2)}
    return {
        "benchmark": "telegram_overhead",
        "updates": len(given),
        "chats": chats,
        "echo": plain.figures(),
        "echo_on_aiohttp": plain_aiohttp.figures(),
        "ours": {**ours.figures(), **per_update, "replies_sent": ours.sends, **stored},
        "sends_seen_by_the_fake": seen["send_calls"],  # both bots, warm-ups included
        "ratio": round(ratio, 2),
        "cpu_ratio": round(cpu_ratio, 2),  # steadier on a busy machine; the target is on ratio
        # against the echo bot on the transport ours uses: what our own work costs over PTB's
        "ratio_same_transport": round(ours.seconds / plain_aiohttp.seconds, 2),
        "cores": cores,
        "target_ratio": TARGET_RATIO,
        "ok": ratio <= TARGET_RATIO,
        "stack": stack(),
        "machine": machine(),
    }


def stack() -> dict[str, Any]:
    """What both bots ran on: one process, one installed set of packages."""
    versions = {name: importlib.metadata.version(name)
                for name in ("python-telegram-bot", "httpx", "httpcore", "anyio", "h11", "aiohttp")}
    sniffio = importlib.util.find_spec("sniffio") is not None
    return {**versions, "sniffio": importlib.metadata.version("sniffio") if sniffio else None}


def pin_apart(server_pid: int | None) -> str:
    """Both bots on one core, the fake Bot API on another (as Telegram is elsewhere): the
    same conditions for both, and no thread hop of the SQLite driver crossing cores."""
    if not hasattr(os, "sched_setaffinity") or server_pid is None:
        return "all"
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return "all (one core, shared with the fake)"
    os.sched_setaffinity(server_pid, set(cores[1:]))
    os.sched_setaffinity(0, {cores[0]})
    return f"bots on cpu {cores[0]}, fake Bot API on cpu {','.join(map(str, cores[1:]))}"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(loop.run(measure(args.updates, args.chats, args.seed))), flush=True)  # as aduan serve runs


if __name__ == "__main__":
    main()

"""Delivery under failure: the Bot API answering 429 and 500 for a while, and two scheduler
processes (each with its sweep and its outbox relay) racing over one PostgreSQL database.
Every notification reaches its chat exactly once, every escalation happens once.

The relay gets its time as an argument: the test moves a fake ``now`` past the backoff
and the Retry-After instead of waiting, and the sender's rate limiter waits on a fake
clock. The scheduler processes run on the real clock; the test waits for PostgreSQL to
tell it (LISTEN/NOTIFY, from a trigger the test installs in its own schema) that every
item was marked sent, never sleeps.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Self

import asyncpg
import pytest
import yaml
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from aduan.bootstrap import bootstrap
from aduan.clock import system_now
from aduan.settings import DEMO_ORGANISATION, Settings
from bot import texts
from bot.channels.rate_limit import RateLimiter
from bot.channels.telegram import TelegramSender
from bot.channels.telegram_http import telegram_bot
from complaints.model import Complaint, Place
from complaints.notifications import Notification
from complaints.taxonomy import Category, Weight
from complaints.usecases import filing
from scheduler.relay import OutboxRelay
from storage.tables import outbox
from tests.chat_harness import FakeTime, RecordingSender
from tests.fakes.telegram_api import FakeTelegramApi

# PTB warns, building RetryAfter, that retry_after becomes a timedelta in v23
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

ADUAN = str(Path(sys.executable).parent / "aduan")
CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)




def notification(n: int, recipient: str) -> Notification:
    return Notification(f"uji:{n}", "telegram", recipient, f"Status laporan Anda berubah (pemberitahuan uji #{n:03d})")


async def outbox_statuses(uow_factory) -> Counter[str]:
    async with uow_factory() as uow:
        rows = (await uow.connection.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status))).all()
    return Counter({status: count for status, count in rows})


# --- 429 and 500 for a while, then the Bot API recovers ---------------------------------------


@pytest.fixture
async def relay(uow_factory, telegram_api: FakeTelegramApi) -> AsyncIterator[OutboxRelay]:
    fake = FakeTime()
    async with telegram_bot(telegram_api.token, telegram_api.url) as bot:
        yield OutboxRelay(uow_factory, {"telegram": TelegramSender(bot, RateLimiter(clock=fake, sleep=fake.sleep))})


async def test_bot_api_answering_429_and_500_for_a_while_then_recovering_delivers_each_notification_exactly_once(
    relay: OutboxRelay, uow_factory, telegram_api: FakeTelegramApi,
) -> None:
    # 40 notifications: 30 chats with one each, one chat with ten
    queued = [notification(n, str(1000 + n)) for n in range(30)] + [notification(n, "1999") for n in range(30, 40)]
    async with uow_factory() as uow:
        for item in queued:
            await uow.outbox.add(item, T0)
        await uow.commit()
    # the outage: flood control first, then server errors, then flood control again
    telegram_api.fail_next("sendMessage", 8, "429", retry_after=20)
    telegram_api.fail_next("sendMessage", 15, "500")
    telegram_api.fail_next("sendMessage", 5, "429", retry_after=3)

    now, ticks, early = T0, 0, None
    while (await outbox_statuses(uow_factory))["pending"]:
        report = await relay.drain(now)
        if early is None:
            early = report
        now += timedelta(seconds=5)  # the scheduler's next tick, without waiting for it
        ticks += 1
        assert ticks < 200, "the relay never caught up"
    assert early.retried == 28 and early.sent == 12  # the first pass ran into all 28 failures

    delivered = Counter((m["chat"]["id"], m["text"]) for m in telegram_api.sent)
    assert delivered == Counter((int(n.recipient), n.text) for n in queued), "each notification exactly once"
    assert len(telegram_api.calls_of("sendMessage")) == len(queued) + 28  # every failure was one more try
    assert await outbox_statuses(uow_factory) == Counter({"sent": len(queued)})
    async with uow_factory() as uow:
        assert await uow.outbox.failed() == []
    assert (await relay.drain(now + timedelta(days=1))).sent == 0  # and nothing goes out again later


# --- two scheduler processes (two sweeps, two relays) on one PostgreSQL database ---------------


def telegram_organisation(path: Path) -> dict[str, int]:
    """The demo organisation with every officer on Telegram; their chat ids."""
    spec = yaml.safe_load(DEMO_ORGANISATION.read_text(encoding="utf-8"))
    chats = {}
    for n, officer in enumerate(spec["officers"]):
        chats[officer["id"]] = 91000 + n
        officer["chats"] = {"telegram": chats[officer["id"]]}
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return chats


class SentWatch:
    """Counts outbox items as they are marked sent: a trigger in the test's schema
    NOTIFYs on every such update (delivered when its transaction commits)."""

    def __init__(self, engine, database_url: str, expected: int) -> None:
        url = make_url(database_url)
        self.schema = url.query["schema"]
        self.channel = f"{self.schema}_sent"
        self.dsn = url.set(drivername="postgresql").difference_update_query(["schema"]).render_as_string(
            hide_password=False)
        self.engine = engine
        self.expected = expected
        self.seen: set[str] = set()
        self.all_sent = asyncio.Event()

    async def __aenter__(self) -> Self:
        async with self.engine.begin() as conn:
            await conn.execute(text(f"""
                CREATE FUNCTION "{self.schema}".notify_sent() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.status = 'sent' AND OLD.status <> 'sent' THEN
                        PERFORM pg_notify('{self.channel}', NEW.id::text);
                    END IF;
                    RETURN NEW;
                END $$"""))
            await conn.execute(text(f'CREATE TRIGGER notify_sent AFTER UPDATE ON "{self.schema}".outbox '
                                    f'FOR EACH ROW EXECUTE FUNCTION "{self.schema}".notify_sent()'))
        self.listener = await asyncpg.connect(self.dsn)
        await self.listener.add_listener(self.channel, self._on_sent)
        return self

    def _on_sent(self, _connection, _pid, _channel, item_id: str) -> None:
        self.seen.add(item_id)
        if len(self.seen) >= self.expected:
            self.all_sent.set()

    async def __aexit__(self, *exc: object) -> None:
        await self.listener.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_scheduler_processes_on_one_database_escalate_and_notify_exactly_once(
    database_url: str, engine, telegram_api: FakeTelegramApi, tmp_path: Path,
) -> None:
    organisation = tmp_path / "organisation.yaml"
    chats = telegram_organisation(organisation)
    app = await bootstrap(Settings(organisation_file=organisation), db=engine, migrate=False, rng=random.Random(5))
    now = system_now()  # the processes sweep and relay on the real clock
    filed = now - timedelta(days=30)  # long overdue: the head is told (level 3), once
    codes = []
    for n in range(6):
        complaint = Complaint(code="", description=f"jalan berlubang besar nomor {n}, ada pengendara jatuh",
                              channel="telegram", sender=str(70000 + n), created_at=filed, category=Category.JALAN,
                              weight=Weight.BERAT, place=Place("depan SDN 3", "35.78.01.1002", "Kebraon"))
        async with app.uow() as uow:
            await filing.submit(app.context(), uow, complaint, filed)
            await uow.commit()
        codes.append(complaint.code)
    await app.relay({"telegram": RecordingSender()}).drain(now)  # the new-case messages of back then are out
    load = [notification(n, str(810000 + n)) for n in range(200)]
    async with app.uow() as uow:
        for item in load:
            await uow.outbox.add(item, now - timedelta(minutes=1))
        await uow.commit()

    env = {**os.environ, "ADUAN_DATABASE_URL": database_url, "ADUAN_DATA_DIR": str(tmp_path),
           "ADUAN_ORGANISATION_FILE": str(organisation), "ADUAN_TELEGRAM_BOT_TOKEN": telegram_api.token,
           "ADUAN_TELEGRAM_API_BASE": telegram_api.url, "ADUAN_LOG_LEVEL": "WARNING"}
    env.pop("ADUAN_TELEGRAM_WEBHOOK_URL", None)
    head = str(chats["kepala-pusat"])
    everything = len(load) + len(codes)  # and one escalation message to the head per complaint
    async with SentWatch(engine, database_url, everything) as watch:
        schedulers = [await asyncio.create_subprocess_exec(ADUAN, "scheduler", "--sweep-seconds", "3600", env=env,
                                                           cwd=tmp_path, stderr=asyncio.subprocess.PIPE)
                      for _ in range(2)]
        try:
            for process in schedulers:
                assert process.stderr is not None
                started = (await process.stderr.readline()).decode()
                assert texts.SCHEDULER_STARTED in started, started
            try:
                await asyncio.wait_for(watch.all_sent.wait(), 90)
            except TimeoutError:
                pytest.fail(f"{len(watch.seen)} of {everything} marked sent; {len(telegram_api.sent)} at the Bot API")
        finally:
            for process in schedulers:
                process.send_signal(signal.SIGINT)
            errors = [(await asyncio.wait_for(process.communicate(), 60))[1].decode() for process in schedulers]
    assert all(process.returncode == 0 for process in schedulers), errors

    delivered = Counter((str(m["chat"]["id"]), m["text"]) for m in telegram_api.sent)
    assert max(delivered.values()) == 1, [k for k, v in delivered.items() if v > 1][:3]
    assert {(n.recipient, n.text) for n in load} <= set(delivered)
    to_head = telegram_api.texts_to(head)
    assert sorted(CODE.search(t).group(0) for t in to_head) == sorted(codes)  # one escalation message each
    for code in codes:
        async with app.uow() as uow:
            complaint = await uow.complaints.get(code)
        assert [e.action for e in complaint.audit].count("escalated") == 1 and complaint.escalation_level == 3
    assert (await outbox_statuses(app.uow))["pending"] == 0

"""Duplicate and out-of-order webhook deliveries: each update is handled once.

Telegram redelivers an update its webhook did not acknowledge in time, Meta retries
WhatsApp calls, and with several workers a later update can be handled before an earlier
one, or the same one twice at the same moment. Each update id (``update_id``, ``wamid``)
is recorded under a unique key in the transaction that handles it, so whatever the order
and however often it comes, it is answered once. Through the real webhook routes, on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from bot import texts
from bot.channels.telegram import SECRET_HEADER
from storage.tables import inbound_updates
from tests.chat_harness import Clock, make_app
from tests.fakes.graph_api import FakeGraphApi, WhatsAppUser, envelope, signed
from tests.fakes.telegram_api import FakeTelegramApi
from tests.webhook_harness import webhook_stack

SECRET = "rahasia-webhook-dup"
CHAT = 5550313
WA_PHONE = "6281355503131"


@dataclass
class Webhooks:
    app: Any
    clock: Clock
    http: httpx.AsyncClient
    tg_api: FakeTelegramApi
    wa_api: FakeGraphApi

    async def telegram(self, update: dict[str, Any]) -> int:
        response = await self.http.post("/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET})
        self.clock.advance(seconds=5)
        return response.status_code

    async def whatsapp(self, payload: dict[str, Any]) -> int:
        body, headers = signed(payload, self.wa_api.app_secret)
        response = await self.http.post("/whatsapp/webhook", content=body, headers=headers)
        self.clock.advance(seconds=5)
        return response.status_code

    async def recorded(self, channel: str) -> int:
        async with self.app.uow() as uow:
            return (await uow.connection.execute(select(func.count()).select_from(inbound_updates).where(
                inbound_updates.c.channel == channel))).scalar_one()


@pytest.fixture
async def hooks(engine, telegram_api: FakeTelegramApi, graph_api: FakeGraphApi,
                tmp_path: Path) -> AsyncIterator[Webhooks]:
    app = await make_app(engine)
    clock = Clock()
    async with webhook_stack(app, clock, telegram_api, graph_api, tmp_path / "media", SECRET) as stack:
        yield Webhooks(app, clock, stack.http, telegram_api, graph_api)


# Three updates whose answers tell them apart, whatever state the chat is in
GREETING, NOTHING_FILED, BAD_CODE = "selamat datang", texts.NO_COMPLAINTS, "salah ketik"


def answers(received: list[str]) -> list[str]:
    kinds = []
    for reply in received:
        kinds += [kind for kind in (GREETING, NOTHING_FILED, BAD_CODE) if kind in reply.lower() or kind in reply]
    return kinds


async def test_duplicate_and_out_of_order_telegram_updates_are_each_handled_once(hooks: Webhooks) -> None:
    one = hooks.tg_api.text_update(CHAT, "halo")
    two = hooks.tg_api.text_update(CHAT, "laporan saya")
    three = hooks.tg_api.text_update(CHAT, "cek LPR-7KQ3-M8")  # a mistyped code: its own answer
    statuses = [await hooks.telegram(update) for update in (three, one, two, two, three, one, one)]
    assert statuses == [200] * 7  # every delivery is acknowledged, so Telegram stops sending it
    assert answers(hooks.tg_api.texts_to(CHAT)) == [BAD_CODE, GREETING, NOTHING_FILED]
    assert await hooks.recorded("telegram") == 3


async def test_the_same_telegram_update_delivered_twice_at_once_is_handled_once(hooks: Webhooks) -> None:
    """Two workers get the same update at the same moment (a redelivery racing the original)."""
    update = hooks.tg_api.text_update(CHAT, "sampah numpuk di depan pasar wonokromo udah 3 hari")
    statuses = await asyncio.gather(*(hooks.telegram(dict(update)) for _ in range(3)))
    assert list(statuses) == [200, 200, 200]
    received = hooks.tg_api.texts_to(CHAT)
    assert len([t for t in received if texts.SUMMARY_HEADER in t]) == 1  # the summary, once
    assert await hooks.recorded("telegram") == 1
    async with hooks.app.uow() as uow:
        assert (await uow.dialogs.get("telegram", str(CHAT))).state["step"] == "confirm"


async def test_duplicate_and_out_of_order_whatsapp_messages_are_each_handled_once(hooks: Webhooks) -> None:
    user = WhatsAppUser(WA_PHONE, clock=hooks.clock)
    one, two, three = user.text("halo"), user.text("laporan saya"), user.text("cek LPR-7KQ3-M8")
    for payload in (three, one, two, two, three):
        assert await hooks.whatsapp(payload) == 200
    # Meta may also batch: one call carrying a message already handled and a new one
    four = user.text("halo lagi")
    batched = envelope({"contacts": four["entry"][0]["changes"][0]["value"]["contacts"],
                        "messages": [one["entry"][0]["changes"][0]["value"]["messages"][0],
                                     four["entry"][0]["changes"][0]["value"]["messages"][0]]})
    assert await hooks.whatsapp(batched) == 200
    assert answers(hooks.wa_api.texts_to(WA_PHONE)) == [BAD_CODE, GREETING, NOTHING_FILED, GREETING]
    assert await hooks.recorded("whatsapp") == 4

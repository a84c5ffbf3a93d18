"""Both channels wired as ``aduan/channels.py`` wires them for ``aduan serve`` (the engine's
``seen`` before a download, WhatsApp statuses into the outbox, replies counted by the
metrics, the one media policy), behind the app's real HTTP routes (``aduan.http``), talking
to the fake Bot API and Graph API. Updates are posted with the secret token / a valid
signature; each post returns what the bot sent meanwhile, to anyone.

Time is the test's: every post moves the clock by ``step`` (20 seconds unless a test says).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from starlette.routing import Route

from aduan.bootstrap import App
from aduan.http import create_http_app
from bot.channels.telegram import SECRET_HEADER, TelegramChannel
from bot.channels.telegram_http import telegram_bot
from bot.channels.whatsapp import WhatsAppChannel, WhatsAppClient
from bot.channels.whatsapp.statuses import status_sink
from bot.media import MediaPolicy
from tests.chat_harness import Clock
from tests.fakes.graph_api import FakeGraphApi, message_buttons, message_text, signed
from tests.fakes.telegram_api import BOT_USERNAME, FakeTelegramApi

SECRET = "rahasia-korpus-42"
WHATSAPP_PATH = "/whatsapp/webhook"
TELEGRAM_PATH = "/telegram/webhook"
POLICY = MediaPolicy(max_bytes=64 * 1024, max_voice_bytes=128 * 1024, max_video_bytes=256 * 1024)


@dataclass(frozen=True)
class Sent:
    """One message the bot sent: to whom (a chat id, a number, a group id), what it says,
    and the ids of its buttons."""

    to: str
    text: str
    buttons: tuple[str, ...] = ()


@dataclass
class Rig:
    app: App
    clock: Clock
    telegram_api: FakeTelegramApi
    graph_api: FakeGraphApi
    http: httpx.AsyncClient
    media_dir: Path
    step: timedelta = timedelta(seconds=20)

    def reset(self) -> None:
        """The fakes forget the previous test (the database and the clock go on)."""
        self.telegram_api.reset()
        self.graph_api.reset()
        self.step = timedelta(seconds=20)

    # --- posting ---------------------------------------------------------------------------

    async def telegram(self, update: dict[str, Any]) -> list[Sent]:
        before = len(self.telegram_api.sent)
        response = await self.http.post(TELEGRAM_PATH, json=update, headers={SECRET_HEADER: SECRET})
        assert response.status_code == 200, response.text
        self.clock.now += self.step
        return [Sent(str(m["chat"]["id"]), m.get("text", ""), tuple(self.telegram_api.button_data(m)))
                for m in self.telegram_api.sent[before:]]

    async def whatsapp(self, payload: dict[str, Any]) -> list[Sent]:
        before = len(self.graph_api.sent)
        body, headers = signed(payload, self.graph_api.app_secret)
        response = await self.http.post(WHATSAPP_PATH, content=body, headers=headers)
        assert response.status_code == 200, response.text
        self.clock.now += self.step
        return [Sent(str(m.get("to") or m.get("recipient")), message_text(m), tuple(b for b, _ in message_buttons(m)))
                for m in self.graph_api.sent[before:]]

    async def post(self, channel: str, payload: dict[str, Any]) -> list[Sent]:
        return await (self.telegram(payload) if channel == "telegram" else self.whatsapp(payload))

    # --- what is stored ------------------------------------------------------------------

    async def recorded(self, channel: str, update_id: str) -> bool:
        """Whether the engine recorded the delivery (dedupe, throttle, the 24-hour window)."""
        async with self.app.uow() as uow:
            return bool(await uow.inbox.seen(channel, update_id))

    async def dialog(self, channel: str, sender: str) -> dict[str, Any] | None:
        async with self.app.uow() as uow:
            record = await uow.dialogs.get(channel, sender)
        return record.state if record else None

    async def outbox_count(self) -> int:
        async with self.app.uow() as uow:
            return int(await uow.outbox.pending_count())

    def stored_files(self) -> list[Path]:
        return sorted(p for p in self.media_dir.rglob("*") if p.is_file())


@asynccontextmanager
async def open_rig(app: App, clock: Clock, telegram_api: FakeTelegramApi, graph_api: FakeGraphApi,
                   media_dir: Path) -> AsyncIterator[Rig]:
    handle = app.metrics.count_replies(app.conversation.handle)
    async with telegram_bot(telegram_api.token, telegram_api.url) as bot, \
            WhatsAppClient(graph_api.base_url, graph_api.access_token, graph_api.phone_number_id) as client:
        telegram = TelegramChannel(handle, bot, media_dir, POLICY.max_bytes, clock, webhook_secret=SECRET,
                                   policy=POLICY, seen=app.conversation.seen, username=BOT_USERNAME)
        whatsapp = WhatsAppChannel(handle, client, graph_api.verify_token, graph_api.app_secret, media_dir,
                                   POLICY.max_bytes, clock, policy=POLICY, seen=app.conversation.seen,
                                   statuses=status_sink(app.uow, channels=frozenset({"telegram", "whatsapp"})))
        web = create_http_app(app, [Route(TELEGRAM_PATH, telegram.webhook, methods=["POST"]),
                                    *whatsapp.routes(WHATSAPP_PATH)])
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://aduan.test") as http:
            yield Rig(app, clock, telegram_api, graph_api, http, media_dir)


@asynccontextmanager
async def rig_on(backend: str, folder: Path, telegram_api: FakeTelegramApi, graph_api: FakeGraphApi
                 ) -> AsyncIterator[Rig]:
    """A rig on a fresh, migrated database of ``backend`` ("sqlite" | "postgresql"), for a
    whole module: each case writes from a chat of its own."""
    from storage.database import create_engine
    from storage.migrate import upgrade
    from tests.chat_harness import make_app
    from tests.conftest import fresh_database

    async with fresh_database(backend, folder) as url:
        engine = create_engine(url)
        try:
            await upgrade(engine)
            app = await make_app(engine)
            async with open_rig(app, Clock(), telegram_api, graph_api, folder / "media") as rig:
                yield rig
        finally:
            await engine.dispose()

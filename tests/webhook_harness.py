"""The app's real webhook routes (Telegram and WhatsApp) on an in-process HTTP client,
with the two channels talking to the fake Bot API and Graph API servers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from starlette.routing import Route
from telegram import Bot

from aduan.bootstrap import App
from aduan.http import create_http_app
from bot.channels.telegram import TelegramChannel
from bot.channels.whatsapp import WhatsAppChannel, WhatsAppClient
from bot.channels.whatsapp.statuses import status_sink
from tests.chat_harness import Clock
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.telegram_api import BOT_USERNAME, FakeTelegramApi

MAX_MEDIA_BYTES = 50_000


@dataclass
class WebhookStack:
    telegram: TelegramChannel
    whatsapp: WhatsAppChannel
    http: httpx.AsyncClient  # posts to /telegram/webhook and /whatsapp/webhook


@asynccontextmanager
async def webhook_stack(app: App, clock: Clock, telegram_api: FakeTelegramApi, graph_api: FakeGraphApi,
                        media_dir: Path, secret: str) -> AsyncIterator[WebhookStack]:
    async with Bot(telegram_api.token, base_url=telegram_api.base_url,
                   base_file_url=telegram_api.base_file_url) as bot, \
            WhatsAppClient(graph_api.base_url, graph_api.access_token, graph_api.phone_number_id) as client:
        # wired as aduan/channels.py wires them: a repeat file is not downloaded, statuses are kept
        telegram = TelegramChannel(app.conversation.handle, bot, media_dir, MAX_MEDIA_BYTES, clock,
                                   webhook_secret=secret, seen=app.conversation.seen, username=BOT_USERNAME)
        whatsapp = WhatsAppChannel(app.conversation.handle, client, graph_api.verify_token, graph_api.app_secret,
                                   media_dir, MAX_MEDIA_BYTES, clock, seen=app.conversation.seen,
                                   statuses=status_sink(app.uow, channels=frozenset({"telegram", "whatsapp"})))
        web = create_http_app(app, [Route("/telegram/webhook", telegram.webhook, methods=["POST"]),
                                    *whatsapp.routes()])
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://aduan.test") as http:
            yield WebhookStack(telegram, whatsapp, http)

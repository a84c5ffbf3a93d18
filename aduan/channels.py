"""Opens the channels the settings enable (Telegram, WhatsApp): their webhook routes,
their outbox senders, their pollers, and what must be closed on the way out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import BaseRoute, Route

from bot.media import MediaPolicy
from complaints.notifications import Sender

from .bootstrap import App
from .clock import system_now
from .settings import Settings

log = logging.getLogger(__name__)


def media_policy(settings: Settings) -> MediaPolicy:
    """The one media policy with the configured limits, for every channel."""
    return MediaPolicy(max_bytes=settings.max_media_bytes, max_voice_bytes=settings.max_voice_bytes,
                       max_video_bytes=settings.max_video_bytes)


@dataclass
class Channels:
    routes: list[BaseRoute] = field(default_factory=list)
    senders: dict[str, Sender] = field(default_factory=dict)
    pollers: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]] = field(default_factory=list)  # tasks
    closers: list[Callable[[], Awaitable[object]]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return sorted(self.senders)

    async def close(self) -> None:
        for close in reversed(self.closers):
            try:
                await close()
            except Exception:  # closing one must not keep the others open
                log.exception("closing a channel failed")


async def open_channels(app: App, *, inbound: bool = True) -> Channels:
    """``inbound=False`` (the scheduler): senders only, no webhook, no polling."""
    settings, channels = app.settings, Channels()
    if settings.telegram_bot_token:
        await _open_telegram(app, channels, inbound, settings.telegram_bot_token)
    if settings.whatsapp_access_token and settings.whatsapp_phone_number_id:
        await _open_whatsapp(app, channels, inbound)
    return channels


async def _open_telegram(app: App, channels: Channels, inbound: bool, token: str) -> None:
    from bot.channels.telegram import TelegramChannel, TelegramSender  # the optional "telegram" extra
    from bot.channels.telegram_http import telegram_bot

    settings = app.settings
    bot = telegram_bot(token, settings.telegram_api_base)
    await bot.initialize()
    channels.closers.append(bot.shutdown)
    channels.senders["telegram"] = TelegramSender(bot)
    if not inbound:
        return
    channel = TelegramChannel(
        app.metrics.count_replies(app.conversation.handle), bot, settings.media_dir, settings.max_media_bytes,
        system_now,
        webhook_secret=settings.telegram_webhook_secret, policy=media_policy(settings), seen=app.conversation.seen,
        username=bot.username,
    )
    if settings.telegram_webhook_url:
        await channel.set_webhook(settings.telegram_webhook_url)
        channels.routes.append(Route("/telegram/webhook", channel.webhook, methods=["POST"]))
    else:
        channels.pollers.append(channel.run_polling)


async def _open_whatsapp(app: App, channels: Channels, inbound: bool) -> None:
    from bot.channels.whatsapp import (
        WhatsAppChannel,
        WhatsAppClient,
        WhatsAppSender,
        last_inbound_from_database,
    )
    from bot.channels.whatsapp.statuses import status_sink

    settings = app.settings
    client = WhatsAppClient.from_settings(settings)
    channels.closers.append(client.aclose)
    channels.senders["whatsapp"] = WhatsAppSender(
        client, last_inbound_from_database(app.uow), settings.whatsapp_status_template,
        settings.whatsapp_template_language, system_now,
    )
    if inbound:
        channel = WhatsAppChannel(
            app.metrics.count_replies(app.conversation.handle), client, settings.whatsapp_verify_token or "",
            settings.whatsapp_app_secret or "",
            settings.media_dir, settings.max_media_bytes, system_now, policy=media_policy(settings),
            seen=app.conversation.seen,
            statuses=status_sink(app.uow, channels=frozenset(channels.senders)),
        )
        channels.routes += channel.routes()

"""Telegram through aiogram 3: a fresh ``Router`` for a team that already runs an aiogram bot.

    from bot.channels.telegram_aiogram import create_router

    dp = Dispatcher()
    dp.include_router(team_router)              # the team's own handlers first
    dp.include_router(create_router(app.conversation.handle, media_dir=settings.media_dir,
                                    max_media_bytes=settings.max_media_bytes, clock=system_now))

Same engine, same behaviour as the python-telegram-bot adapter: both hand the update (as
Bot API JSON) to :class:`bot.channels.telegram_core.TelegramCore`; here aiogram's ``Bot``
(injected by the dispatcher into each handler) does the talking (:class:`AiogramApi`).
Each call returns a new router holding its own core; nothing lives at module level. An
update the core does not take (say a group chat's message) is passed on with
``SkipHandler``, so routers included after this one still see it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import aiohttp
from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.exceptions import AiogramError, TelegramRetryAfter
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    TelegramObject,
    Update,
)

from ..media import MediaPolicy
from ..messages import Seen
from .telegram_core import (
    FileTooBig,
    FloodWait,
    Handle,
    Sleep,
    TelegramApiError,
    TelegramCore,
)
from .telegram_format import Rows


def markup(rows: Rows | None) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=b.label, callback_data=b.id) for b in row] for row in rows
    ])


@contextmanager
def _translated_errors() -> Iterator[None]:
    try:
        yield
    except TelegramRetryAfter as error:
        raise FloodWait(error.message, float(error.retry_after)) from error
    except (TimeoutError, AiogramError, aiohttp.ClientError) as error:
        raise TelegramApiError(str(error)) from error


class AiogramApi:
    """:class:`telegram_core.TelegramApi` on an aiogram ``Bot``."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def answer_callback(self, query_id: str) -> None:
        with _translated_errors():
            await self.bot.answer_callback_query(callback_query_id=query_id)

    async def download(self, file_id: str, out: BinaryIO, *, policy: MediaPolicy) -> None:
        """aiogram streams the file into ``out`` chunk by chunk; ``out`` stops it past the
        ``policy``'s limit."""
        with _translated_errors():
            file = await self.bot.get_file(file_id)
            if policy.too_big(file.file_size) or not file.file_path:  # no path: too big for Telegram
                raise FileTooBig(file_id)
            await self.bot.download_file(file.file_path, destination=out, seek=False)

    async def send_text(self, chat_id: str, text: str, rows: Rows | None) -> None:
        with _translated_errors():  # parse_mode=None: plain text, whatever the bot's defaults
            await self.bot.send_message(chat_id=chat_id, text=text, reply_markup=markup(rows), parse_mode=None)

    async def clear_keyboard(self, chat_id: str, message_id: int) -> None:
        with _translated_errors():
            await self.bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)


def create_router(
    handle: Handle,
    *,
    media_dir: Path,
    max_media_bytes: int,
    clock: Callable[[], datetime],
    name: str = "aduan",
    sleep: Sleep = asyncio.sleep,
    reply_retry_limit: float = 2.0,
    policy: MediaPolicy | None = None,
    seen: Seen | None = None,
    username: str | None = None,
) -> Router:
    """A new router answering citizens' private messages and button presses with the
    engine's ``handle`` (``ConversationEngine.handle``); include it after the team's own
    handlers, since it takes every private message they leave. ``policy``: the media
    policy with every limit (by default only ``max_media_bytes`` is set, for photos and
    documents; voice notes and videos keep :class:`MediaPolicy`'s defaults). ``seen``: the
    engine's ``seen``, so a repeat delivery of a file is not downloaded again; ``username``:
    the bot's @name, so a group command naming another bot is left to that bot."""
    core = TelegramCore(handle, Path(media_dir), max_media_bytes, clock,
                        sleep=sleep, reply_retry_limit=reply_retry_limit, policy=policy, seen=seen, username=username)
    router = Router(name=name)

    async def on_update(event: TelegramObject, bot: Bot, event_update: Update) -> None:
        data = event_update.model_dump(mode="json", exclude_none=True, by_alias=True)
        if not await core.process(data, AiogramApi(bot)):
            raise SkipHandler

    router.message.register(on_update)
    router.edited_message.register(on_update)
    router.callback_query.register(on_update)
    return router

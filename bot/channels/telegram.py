"""Telegram through python-telegram-bot 22: webhook, long polling, and outbound delivery.

Thin: what an update means, what is sent back, commands, media checks, splitting and
keyboards live in :mod:`bot.channels.telegram_core` (shared with the aiogram router in
:mod:`bot.channels.telegram_aiogram`); here PTB's ``Bot`` does the talking (:class:`PtbApi`).

- :class:`TelegramChannel`: ``process_update`` (one update, as JSON), ``webhook`` (a
  Starlette endpoint checking ``X-Telegram-Bot-Api-Secret-Token``), ``run_polling``.
- :class:`TelegramSender`: the outbox relay's sender, rate limited by :class:`RateLimiter`
  (about 30 messages a second in total, one a second per chat), mapping Telegram's
  errors to :class:`DeliveryFailed`.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from starlette.requests import Request
from starlette.responses import Response
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning

from complaints.delivery import FailureKind
from complaints.notifications import Button, DeliveryFailed, Notification

from ..media import MediaPolicy
from ..messages import Seen
from .rate_limit import RateLimiter, telegram_limiter
from .telegram_core import (  # noqa: F401 - re-exported: the names this module always had
    ALLOWED_UPDATES,
    CHANNEL,
    COMMANDS,
    MAX_BUTTON_ID,
    FileTooBig,
    FloodWait,
    Handle,
    Sleep,
    TelegramApiError,
    TelegramCore,
)
from .telegram_format import (  # noqa: F401 - re-exported: the names this module always had
    MAX_TEXT,
    SHORT_LABEL,
    Rows,
    keyboard_rows,
    render_rows,
    split_text,
)

log = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


# --- outgoing: keyboards ---------------------------------------------------------------------


def markup(rows: Rows | None) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.id) for b in row] for row in rows])


def keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """One button a row, or two a row when every label is short; ids that do not fit
    Telegram's callback data are left out (see :func:`telegram_core.keyboard_rows`)."""
    return markup(keyboard_rows(buttons))


def render(text: str, buttons: Sequence[Button]) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """The sendMessage calls for one message: the buttons go with the last piece."""
    return [(piece, markup(rows)) for piece, rows in render_rows(text, buttons)]


def retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int will become a timedelta: take both
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class PtbApi:
    """:class:`telegram_core.TelegramApi` on a python-telegram-bot ``Bot``."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def answer_callback(self, query_id: str) -> None:
        with _translated_errors():
            await self.bot.answer_callback_query(query_id)

    async def download(self, file_id: str, out: BinaryIO, *, policy: MediaPolicy) -> None:
        """PTB fetches the whole file, then writes it into ``out`` in one piece (Telegram
        serves bots files of at most 20 MB); ``out`` refuses it past the ``policy``'s limit."""
        with _translated_errors():
            file = await self.bot.get_file(file_id)
            if policy.too_big(file.file_size) or not file.file_path:  # no path: too big for Telegram
                raise FileTooBig(file_id)
            await file.download_to_memory(out)

    async def send_text(self, chat_id: str, text: str, rows: Rows | None) -> None:
        with _translated_errors():
            await self.bot.send_message(chat_id=chat_id, text=text, reply_markup=markup(rows))

    async def clear_keyboard(self, chat_id: str, message_id: int) -> None:
        with _translated_errors():
            await self.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)


@contextmanager
def _translated_errors() -> Iterator[None]:
    try:
        yield
    except RetryAfter as error:
        raise FloodWait(error.message, retry_seconds(error)) from error
    except TelegramError as error:
        raise TelegramApiError(error.message) from error


# --- incoming -------------------------------------------------------------------------------


class TelegramChannel:
    """Webhook and long polling with python-telegram-bot; the rest is :class:`TelegramCore`."""

    def __init__(
        self,
        engine_handle: Handle,
        bot: Bot,
        media_dir: Path,
        max_media_bytes: int,
        clock: Callable[[], datetime],
        *,
        webhook_secret: str | None = None,
        sleep: Sleep = asyncio.sleep,
        reply_retry_limit: float = 2.0,
        policy: MediaPolicy | None = None,
        seen: Seen | None = None,
        username: str | None = None,
    ) -> None:
        self.bot = bot
        self.webhook_secret = webhook_secret
        self.api = PtbApi(bot)
        self.core = TelegramCore(engine_handle, media_dir, max_media_bytes, clock,
                                 sleep=sleep, reply_retry_limit=reply_retry_limit, policy=policy, seen=seen,
                                 username=username)

    async def process_update(self, data: dict[str, Any]) -> None:
        """Handle one update as Telegram sends it (JSON)."""
        await self.core.process(data, self.api)

    async def process(self, update: Update) -> None:
        await self.core.process(update.to_dict(), self.api)

    # --- webhook mode -----------------------------------------------------------------------

    def _secret_ok(self, given: str | None) -> bool:
        if not self.webhook_secret or given is None:
            return False
        return hmac.compare_digest(given.encode("utf-8"), self.webhook_secret.encode("utf-8"))

    async def webhook(self, request: Request) -> Response:
        """The webhook endpoint: 401 without the right secret token, 400 for a body that is
        not an update, otherwise the update is handled and 200 returned (also when handling
        failed: Telegram would only send it again, and the citizen has been answered).

        With the database down the citizen is told to try again in a moment and that the
        message was not stored (texts.DATABASE_UNAVAILABLE), and the answer is still 200:
        a 5xx would make Telegram redeliver the update later, on top of the message the
        citizen sends again, so it would be taken twice (and hold up the bot's other
        updates meanwhile). Nothing is lost: what was stored before stays, the dialog
        resumes at its last stored step, and the citizen knows this message must be resent.
        The WhatsApp webhook answers the same way."""
        if not self._secret_ok(request.headers.get(SECRET_HEADER)):
            return Response(status_code=401)
        body = await request.body()
        if len(body) > MAX_WEBHOOK_BYTES:
            return Response(status_code=413)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return Response(status_code=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return Response(status_code=400)
        try:
            await self.process_update(data)
        except Exception:
            log.exception("handling Telegram update %s failed", data.get("update_id"))
        return Response(status_code=200)

    async def set_webhook(self, url: str) -> None:
        await self.bot.set_webhook(url, secret_token=self.webhook_secret, allowed_updates=list(ALLOWED_UPDATES))

    # --- polling mode -----------------------------------------------------------------------

    async def run_polling(self, stop: asyncio.Event, *, poll_timeout: int = 30, max_backoff: float = 60.0) -> None:
        """Long-poll getUpdates until ``stop`` is set. An update is confirmed (by the next
        call's offset) only after it was handled, so a crash redelivers it; the engine
        ignores what it has already handled."""
        await self.bot.delete_webhook()
        offset: int | None = None
        backoff = first_backoff = min(1.0, max_backoff)
        while not stop.is_set():
            fetch = asyncio.ensure_future(self.bot.get_updates(
                offset=offset, timeout=poll_timeout, allowed_updates=list(ALLOWED_UPDATES)))
            stopped = asyncio.ensure_future(stop.wait())
            done, _ = await asyncio.wait({fetch, stopped}, return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            if fetch not in done:
                fetch.cancel()
                with suppress(asyncio.CancelledError, TelegramError):
                    await fetch
                break
            try:
                updates = fetch.result()
            except RetryAfter as error:
                await self._pause(stop, retry_seconds(error))
                continue
            except TimedOut:
                continue
            except TelegramError as error:  # network trouble, a webhook set elsewhere, ...
                log.warning("getUpdates failed (%s); trying again in %.0f s", error, backoff)
                await self._pause(stop, backoff)
                backoff = min(backoff * 2, max_backoff)
                continue
            backoff = first_backoff
            for update in updates:
                offset = update.update_id + 1
                try:
                    await self.process(update)
                except Exception:
                    log.exception("handling Telegram update %s failed", update.update_id)
        if offset is not None:  # confirm what was handled, so a restart does not fetch it again
            with suppress(TelegramError):
                await self.bot.get_updates(offset=offset, timeout=0, allowed_updates=list(ALLOWED_UPDATES))

    async def _pause(self, stop: asyncio.Event, seconds: float) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)


# --- outgoing notifications -----------------------------------------------------------------


def delivery_failure(error: TelegramError) -> DeliveryFailed:
    """A Telegram error in complaints.delivery's terms (the one policy decides the retry)."""
    reason = f"telegram: {error.message}"
    if isinstance(error, RetryAfter):
        return DeliveryFailed(reason, retry_after=retry_seconds(error), code="429")
    if isinstance(error, Forbidden):  # "bot was blocked by the user", deactivated, kicked
        return DeliveryFailed(reason, code="403", kind=FailureKind.PERMANENT)
    if isinstance(error, ChatMigrated):  # moved to a supergroup
        return DeliveryFailed(reason, code="400", kind=FailureKind.PERMANENT)
    if isinstance(error, InvalidToken):
        return DeliveryFailed(reason, code="401")  # our configuration, not the message: retry after the fix
    if isinstance(error, BadRequest):
        return DeliveryFailed(reason, code="400", kind=FailureKind.PERMANENT)  # chat not found: never better
    return DeliveryFailed(reason)  # TimedOut, NetworkError, 5xx


class TelegramSender:
    """Delivers outbox notifications on Telegram (the relay's sender for "telegram")."""

    def __init__(self, bot: Bot, limiter: RateLimiter | None = None) -> None:
        self.bot = bot
        self.limiter = limiter or telegram_limiter()

    async def send(self, notification: Notification) -> str | None:
        """Sent; the message_id of the (last) message."""
        message_id = None
        for text, markup in render(notification.text, notification.buttons):
            await self.limiter.acquire(notification.recipient)
            try:
                message = await self.bot.send_message(chat_id=notification.recipient, text=text, reply_markup=markup)
            except TelegramError as error:
                raise delivery_failure(error) from error
            message_id = getattr(message, "message_id", None)
        return None if message_id is None else str(message_id)

"""Telegram through python-telegram-bot 22: webhook, long polling, and outbound delivery.

Thin: what an update means, what is sent back, commands, media checks, splitting and
keyboards live in :mod:`bot.channels.telegram_core` (shared with the aiogram router in
:mod:`bot.channels.telegram_aiogram`); here PTB's ``Bot`` does the talking (:class:`PtbApi`).

- :class:`TelegramChannel`: ``process_update`` (one update, as JSON), ``webhook`` (a
  Starlette endpoint checking ``X-Telegram-Bot-Api-Secret-Token``), ``run_polling``.
- :class:`TelegramSender`: the outbox relay's sender, rate limited by :class:`RateLimiter`
  (about 30 messages a second in total, one a second per chat), mapping Telegram's
  errors to :class:`DeliveryFailed`.

Calls whose answer nobody reads (sendMessage, editMessageReplyMarkup, answerCallbackQuery)
and getUpdates go through :func:`bot_api`: PTB's own request and error mapping, with
Telegram's JSON taken as it comes instead of being built into PTB objects (issue 20). The
``Bot`` ``aduan serve`` builds sends them with aiohttp (:mod:`bot.channels.telegram_http`).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from starlette.requests import Request
from starlette.responses import Response
from telegram import Bot, Update
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
from complaints.notifications import DeliveryFailed, Notification

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
# What getUpdates may take beyond its long-poll timeout before the read times out: what
# Bot.get_updates adds (the request's read timeout, 5 s unless the Bot was built otherwise)
POLL_READ_SLACK = 5.0


async def bot_api(bot: Bot, method: str, fields: dict[str, Any], *, read_timeout: float | None = None) -> Any:
    """One Bot API call through ``bot``: the same request on the wire as its own method
    (None fields left out), the same errors (Forbidden, RetryAfter, BadRequest, TimedOut,
    ...), and Telegram's ``result`` returned as JSON: no ``Message`` built from every
    sendMessage answer (``Bot.send_message`` does, a sizeable share of a reply's cost).
    ``Bot._post`` is where every PTB method ends; ``Bot.do_api_request``, its public
    form, warns when the method is one PTB knows. ``Defaults`` of an ``ExtBot`` are not
    applied (we build a plain ``Bot``; replies are plain text on purpose). ``read_timeout``:
    this call's, instead of the request's."""
    if read_timeout is None:
        return await bot._post(method, fields)
    return await bot._post(method, fields, read_timeout=read_timeout)


# --- outgoing: keyboards ---------------------------------------------------------------------


def markup_json(rows: Rows | None) -> dict[str, Any] | None:
    """``reply_markup`` as the Bot API takes it: what PTB's ``InlineKeyboardMarkup`` of
    the same rows serialises to (tests/channels/test_telegram_wire.py compares them)."""
    if not rows:
        return None
    return {"inline_keyboard": [[{"callback_data": b.id, "text": b.label} for b in row] for row in rows]}


def send_fields(chat_id: str, text: str, rows: Rows | None) -> dict[str, Any]:
    """sendMessage's fields: plain text, with the inline keyboard if any."""
    return {"chat_id": chat_id, "text": text, "reply_markup": markup_json(rows)}


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
        await self._call("answerCallbackQuery", {"callback_query_id": query_id})

    async def download(self, file_id: str, out: BinaryIO, *, policy: MediaPolicy) -> None:
        """PTB fetches the whole file, then writes it into ``out`` in one piece (Telegram
        serves bots files of at most 20 MB); ``out`` refuses it past the ``policy``'s limit."""
        with _translated_errors():
            file = await self.bot.get_file(file_id)
            if policy.too_big(file.file_size) or not file.file_path:  # no path: too big for Telegram
                raise FileTooBig(file_id)
            await file.download_to_memory(out)

    async def send_text(self, chat_id: str, text: str, rows: Rows | None) -> None:
        await self._call("sendMessage", send_fields(chat_id, text, rows))

    async def clear_keyboard(self, chat_id: str, message_id: int) -> None:
        await self._call("editMessageReplyMarkup", {"chat_id": chat_id, "message_id": message_id})

    async def _call(self, method: str, fields: dict[str, Any]) -> None:
        with _translated_errors():
            await bot_api(self.bot, method, fields)


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
        """Handle one update PTB has already built (polling reads JSON: see run_polling)."""
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
        ignores what it has already handled. Updates are read as JSON, as by webhook: no
        PTB ``Update`` is built (and one PTB cannot read does not stop the poller)."""
        await self.bot.delete_webhook()
        offset: int | None = None
        backoff = first_backoff = min(1.0, max_backoff)
        while not stop.is_set():
            fetch = asyncio.ensure_future(self._updates(offset, poll_timeout))
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
            for data in updates if isinstance(updates, list) else ():
                update_id = data.get("update_id") if isinstance(data, dict) else None
                if not isinstance(update_id, int):
                    log.warning("a Telegram update without an update_id was dropped")
                    continue
                offset = update_id + 1
                try:
                    await self.process_update(data)
                except Exception:
                    log.exception("handling Telegram update %s failed", update_id)
        if offset is not None:  # confirm what was handled, so a restart does not fetch it again
            with suppress(TelegramError):
                await self._updates(offset, 0)

    async def _updates(self, offset: int | None, timeout: int) -> Any:
        """getUpdates, as Telegram's JSON (a list of updates)."""
        fields = {"offset": offset, "timeout": timeout, "allowed_updates": list(ALLOWED_UPDATES)}
        return await bot_api(self.bot, "getUpdates", fields, read_timeout=POLL_READ_SLACK + timeout)

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
        for text, rows in render_rows(notification.text, notification.buttons):
            await self.limiter.acquire(notification.recipient)
            try:
                message = await bot_api(self.bot, "sendMessage", send_fields(notification.recipient, text, rows))
            except TelegramError as error:
                raise delivery_failure(error) from error
            message_id = message.get("message_id") if isinstance(message, dict) else None
        return None if message_id is None else str(message_id)

"""Telegram through python-telegram-bot 22: updates in, replies and notifications out.

Thin: an update becomes an :class:`IncomingMessage`, the engine decides, each
:class:`OutgoingMessage` becomes ``sendMessage`` calls. Nothing here keeps conversation
state; repeat deliveries of an ``update_id`` are recognised by the engine (in the database).

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
import time
import uuid
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.warnings import PTBDeprecationWarning
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from complaints.notifications import Button, DeliveryFailed, Notification

from .. import texts
from ..messages import IncomingMessage, Media, OutgoingMessage

log = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_TEXT = 4096  # Telegram's limit, in UTF-16 code units
MAX_CALLBACK_DATA = 64  # bytes
MAX_BUTTON_ID = 128  # longer callback data (only a forged update has it) is cut; the engine refuses it
SHORT_LABEL = 14  # buttons whose labels are all at most this long go two to a row
MAX_WEBHOOK_BYTES = 1024 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ("message", "callback_query")

# What citizens may send as evidence: MIME type -> (kind, file suffix, leading bytes)
MEDIA_TYPES: dict[str, tuple[str, str, tuple[bytes, ...]]] = {
    "image/jpeg": ("photo", ".jpg", (b"\xff\xd8\xff",)),
    "image/png": ("photo", ".png", (b"\x89PNG\r\n\x1a\n",)),
    "image/webp": ("photo", ".webp", (b"RIFF",)),
    "application/pdf": ("document", ".pdf", (b"%PDF-",)),
}
SUFFIX_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp",
                ".pdf": "application/pdf"}
# Commands and the words the engine understands for them
COMMANDS = {"start": "halo", "mulai": "halo", "help": "bantuan", "bantuan": "bantuan", "cek": "cek",
            "batal": "batal", "cancel": "batal"}

Handle = Callable[[IncomingMessage, datetime], Awaitable[list[OutgoingMessage]]]
Sleep = Callable[[float], Awaitable[Any]]


# --- outgoing: splitting and keyboards ------------------------------------------------------


def _units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _prefix_within(text: str, limit: int) -> int:
    """The number of characters of ``text`` that fit in ``limit`` UTF-16 code units."""
    used = 0
    for index, char in enumerate(text):
        used += _units(char)
        if used > limit:
            return index
    return len(text)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 code units, cut at a line break, else at a space,
    else anywhere; no piece is empty."""
    pieces: list[str] = []
    rest = text
    while _prefix_within(rest, limit) < len(rest):
        fit = _prefix_within(rest, limit)
        window = rest[:fit + 1]  # a separator just past the limit is a fine place to cut
        cut = -1
        for separator in ("\n", " "):
            at = window.rfind(separator)
            if at > limit // 2 and at <= fit:
                cut = at
                break
        if cut < 0:
            for separator in ("\n", " "):
                at = window.rfind(separator, 0, fit + 1)
                if 0 < at <= fit:
                    cut = at
                    break
        if cut > 0:
            piece, rest = rest[:cut], rest[cut + 1:]
        else:
            piece, rest = rest[:fit], rest[fit:]
        if piece.strip():
            pieces.append(piece.rstrip())
    if rest.strip() or not pieces:
        pieces.append(rest)
    return pieces


def keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """One button a row, or two a row when every label is short. A button whose id does
    not fit Telegram's 64-byte callback data is left out (and logged)."""
    usable: list[InlineKeyboardButton] = []
    for button in buttons:
        if len(button.id.encode("utf-8")) > MAX_CALLBACK_DATA:
            log.error("button %r left out: its id is longer than %d bytes", button.id[:80], MAX_CALLBACK_DATA)
            continue
        usable.append(InlineKeyboardButton(button.label, callback_data=button.id))
    if not usable:
        return None
    per_row = 2 if len(usable) > 1 and all(len(b.text) <= SHORT_LABEL for b in usable) else 1
    return InlineKeyboardMarkup([usable[i:i + per_row] for i in range(0, len(usable), per_row)])


def render(text: str, buttons: Sequence[Button]) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """The sendMessage calls for one message: the buttons go with the last piece."""
    pieces = split_text(text)
    markup = keyboard(buttons)
    return [(piece, markup if i == len(pieces) - 1 else None) for i, piece in enumerate(pieces)]


def retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int will become a timedelta: take both
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _size_label(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


# --- incoming -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Refusal:
    """A reply the adapter gives itself (a file it will not take); the engine is not asked."""

    chat_id: str
    text: str


class TelegramChannel:
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
    ) -> None:
        self.engine_handle = engine_handle
        self.bot = bot
        self.media_dir = Path(media_dir)
        self.max_media_bytes = max_media_bytes
        self.clock = clock
        self.webhook_secret = webhook_secret
        self.sleep = sleep
        self.reply_retry_limit = reply_retry_limit

    # --- one update -------------------------------------------------------------------------

    async def process_update(self, data: dict[str, Any]) -> None:
        """Handle one update as Telegram sends it (JSON)."""
        try:
            update = Update.de_json(data, self.bot)
        except Exception:  # a malformed update is dropped, never retried
            log.warning("a Telegram update that cannot be read was dropped (update_id %r)", data.get("update_id"))
            return
        await self.process(update)

    async def process(self, update: Update) -> None:
        now = self.clock()
        translated = await self.translate(update, now)
        if translated is None:
            return
        if isinstance(translated, _Refusal):
            await self._reply(OutgoingMessage(CHANNEL, translated.chat_id, translated.text))
            return
        for reply in await self.engine_handle(translated, now):
            await self._reply(reply)
        query = update.callback_query
        if query is not None and query.message is not None:  # the pressed keyboard has done its job
            with suppress(TelegramError):
                await self.bot.edit_message_reply_markup(query.message.chat.id, query.message.message_id,
                                                         reply_markup=None)

    async def translate(self, update: Update, now: datetime) -> IncomingMessage | _Refusal | None:
        update_id = str(update.update_id)
        query = update.callback_query
        if query is not None:
            with suppress(TelegramError):  # stops the client's spinner; an old query may refuse
                await self.bot.answer_callback_query(query.id)
            chat = query.message.chat if query.message is not None else None
            if chat is not None and chat.type != "private":
                return None
            sender = str(chat.id if chat is not None else query.from_user.id)
            if query.data is None:
                return None
            return IncomingMessage(CHANNEL, sender, button=query.data[:MAX_BUTTON_ID], update_id=update_id)
        message = update.message
        if message is None:  # edits, channel posts, polls...: not for us
            return None
        sender = str(message.chat.id)
        if message.chat.type != "private":
            if message.text and message.text.startswith("/"):
                return _Refusal(sender, texts.TELEGRAM_PRIVATE_ONLY)
            return None
        if message.text is not None:
            return IncomingMessage(CHANNEL, sender, text=self._command(message.text), update_id=update_id)
        if message.location is not None:
            location = (message.location.latitude, message.location.longitude)
            return IncomingMessage(CHANNEL, sender, location=location, update_id=update_id)
        if message.photo or message.document is not None:
            media = await self._media(message, now)
            if isinstance(media, str):
                return _Refusal(sender, media)
            return IncomingMessage(CHANNEL, sender, media=media, update_id=update_id)
        return _Refusal(sender, texts.TELEGRAM_UNSUPPORTED)

    @staticmethod
    def _command(text: str) -> str:
        if not text.startswith("/"):
            return text
        word, _, rest = text.partition(" ")
        name = word[1:].split("@", 1)[0].lower()
        meaning = COMMANDS.get(name)
        if meaning is None:
            return text
        if meaning == "cek" and rest.strip():
            return f"cek {rest.strip()}"
        return meaning

    async def _media(self, message: Message, now: datetime) -> Media | str:
        """The file downloaded into the media store, or the refusal to send instead."""
        if message.photo:
            size = max(message.photo, key=lambda p: (p.file_size or 0, p.width * p.height))
            file_id, declared, mime = size.file_id, size.file_size, "image/jpeg"
        else:
            document = message.document
            assert document is not None
            file_id, declared = document.file_id, document.file_size
            mime = (document.mime_type or "").lower()
            suffix = Path(document.file_name or "").suffix.lower()
            if mime not in MEDIA_TYPES:
                mime = SUFFIX_TYPES.get(suffix, "") if mime in ("", "application/octet-stream") else ""
            if not mime:
                return texts.TELEGRAM_MEDIA_TYPE
        too_big = texts.TELEGRAM_MEDIA_TOO_BIG.format(limit=_size_label(self.max_media_bytes))
        if declared is not None and declared > self.max_media_bytes:
            return too_big
        kind, suffix, magic = MEDIA_TYPES[mime]
        folder = self.media_dir / f"{now:%Y}" / f"{now:%m}"
        target = folder / f"{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex}{suffix}"
        partial = target.with_name(target.name + ".part")
        try:
            file = await self.bot.get_file(file_id)
            if file.file_size is not None and file.file_size > self.max_media_bytes:
                return too_big
            folder.mkdir(parents=True, exist_ok=True)
            await file.download_to_drive(partial)
            size = partial.stat().st_size
            if size > self.max_media_bytes:
                return too_big
            with partial.open("rb") as handle:
                head = handle.read(16)
            if not head.startswith(magic):
                return texts.TELEGRAM_MEDIA_TYPE
            partial.replace(target)
        except (TelegramError, OSError):
            log.warning("downloading Telegram file %s failed", file_id, exc_info=True)
            return texts.TELEGRAM_MEDIA_FAILED
        finally:
            with suppress(OSError):
                partial.unlink(missing_ok=True)
        return Media(kind, str(target), message.caption or "", source=f"{CHANNEL}:{file_id}")

    async def _reply(self, reply: OutgoingMessage) -> None:
        for text, markup in render(reply.text, reply.buttons):
            for attempt in (1, 2):
                try:
                    await self.bot.send_message(chat_id=reply.recipient, text=text, reply_markup=markup)
                    break
                except RetryAfter as error:
                    wait = retry_seconds(error)
                    if attempt == 2 or wait > self.reply_retry_limit:
                        log.warning("a reply to a Telegram chat was dropped: flood control (%ss)", wait)
                        return
                    await self.sleep(wait)
                except TelegramError as error:
                    log.warning("a reply to a Telegram chat could not be sent: %s", error)
                    return

    # --- webhook mode -----------------------------------------------------------------------

    def _secret_ok(self, given: str | None) -> bool:
        if not self.webhook_secret or given is None:
            return False
        return hmac.compare_digest(given.encode("utf-8"), self.webhook_secret.encode("utf-8"))

    async def webhook(self, request: Request) -> Response:
        """The webhook endpoint: 401 without the right secret token, 400 for a body that is
        not an update, otherwise the update is handled and 200 returned (also when handling
        failed: Telegram would only send it again, and the citizen has been answered)."""
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


class RateLimiter:
    """At most ``per_second`` sends in any second and one per chat every
    ``per_chat_interval`` seconds. Callers wait (with ``sleep``) for their slot; the clock
    and the sleep are injectable, so tests move time by hand."""

    def __init__(
        self,
        per_second: int = 30,
        per_chat_interval: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.per_second = per_second
        self.per_chat_interval = per_chat_interval
        self.clock = clock
        self.sleep = sleep
        self._slots: deque[float] = deque(maxlen=per_second)  # the latest slots given, in order
        self._chat_next: dict[str, float] = {}
        self._chat_locks: dict[str, asyncio.Lock] = {}

    async def acquire(self, chat: str) -> float:
        """Wait until a message to ``chat`` may be sent; returns the slot's time."""
        lock = self._chat_locks.setdefault(chat, asyncio.Lock())
        async with lock:  # one message to a chat at a time, so the spacing holds
            now = self.clock()
            while (chat_wait := self._chat_next.get(chat, now) - now) > 0:  # again only if woken early
                await self.sleep(chat_wait)
                now = self.clock()
            slot = now
            if len(self._slots) == self.per_second:
                slot = max(slot, self._slots[0] + 1.0)
            self._slots.append(slot)  # slots are given in time order: see the tests
            self._chat_next[chat] = slot + self.per_chat_interval
            if slot > now:
                await self.sleep(slot - now)
        self._forget_idle(now)
        return slot

    def _forget_idle(self, now: float) -> None:
        if len(self._chat_next) < 1000:
            return
        for chat in [c for c, t in self._chat_next.items() if t <= now]:
            lock = self._chat_locks.get(chat)
            if lock is None or not lock.locked():
                self._chat_next.pop(chat, None)
                self._chat_locks.pop(chat, None)


def delivery_failure(error: TelegramError) -> DeliveryFailed:
    """What the relay should do about a Telegram error."""
    reason = f"telegram: {error.message}"
    if isinstance(error, RetryAfter):
        return DeliveryFailed(reason, retry_after=retry_seconds(error))
    if isinstance(error, (Forbidden, ChatMigrated)):
        return DeliveryFailed(reason, permanent=True)  # blocked, deactivated, kicked, moved
    if isinstance(error, InvalidToken):
        return DeliveryFailed(reason)  # our configuration, not the message: retry after the fix
    if isinstance(error, BadRequest):
        return DeliveryFailed(reason, permanent=True)  # chat not found, bad text: never better
    return DeliveryFailed(reason)  # TimedOut, NetworkError, 5xx


class TelegramSender:
    """Delivers outbox notifications on Telegram (the relay's sender for "telegram")."""

    def __init__(self, bot: Bot, limiter: RateLimiter | None = None) -> None:
        self.bot = bot
        self.limiter = limiter or RateLimiter()

    async def send(self, notification: Notification) -> None:
        for text, markup in render(notification.text, notification.buttons):
            await self.limiter.acquire(notification.recipient)
            try:
                await self.bot.send_message(chat_id=notification.recipient, text=text, reply_markup=markup)
            except TelegramError as error:
                raise delivery_failure(error) from error

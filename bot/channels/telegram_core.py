"""Telegram without a client library: the part of the adapter both libraries share.

An update arrives as the Bot API's JSON (a dict). :class:`TelegramCore` turns it into an
:class:`IncomingMessage` (or a refusal the adapter gives itself, or nothing), asks the
engine, and sends the replies through a :class:`TelegramApi`: four calls that
python-telegram-bot (``telegram.py``) and aiogram (``telegram_aiogram.py``) each implement
in a few lines. Commands, media checks (types, sizes, leading bytes, the media store,
``.part`` then rename), text splitting and keyboards (as plain rows of :class:`Button`)
live here only. Nothing here keeps conversation state; repeat deliveries of an
``update_id`` are recognised by the engine (in the database).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from .. import texts
from ..messages import IncomingMessage, Media, OutgoingMessage
from ..sanitize import coordinates
from .telegram_format import (  # noqa: F401 - re-exported
    MAX_CALLBACK_DATA,
    MAX_TEXT,
    SHORT_LABEL,
    Rows,
    keyboard_rows,
    render_rows,
    split_text,
)

log = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_BUTTON_ID = 128  # longer callback data (only a forged update has it) is cut; the engine refuses it
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


# --- what a client library provides -----------------------------------------------------------


class TelegramApiError(Exception):
    """A Bot API call failed (the adapters turn their library's errors into this)."""


class FloodWait(TelegramApiError):
    """429: flood control; try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class FileTooBig(Exception):
    """getFile reported a file larger than allowed: it was not downloaded."""


class TelegramApi(Protocol):
    async def answer_callback(self, query_id: str) -> None: ...

    async def download(self, file_id: str, destination: Path, *, max_bytes: int) -> None:
        """getFile, then the file into ``destination``; :class:`FileTooBig` (and no download)
        when getFile reports more than ``max_bytes``."""

    async def send_text(self, chat_id: str, text: str, rows: Rows | None) -> None: ...

    async def clear_keyboard(self, chat_id: str, message_id: int) -> None: ...


# --- commands -------------------------------------------------------------------------------


def command(text: str) -> str:
    """``/cek LPR-...`` -> ``cek LPR-...``, ``/start@bot`` -> ``halo``; other text unchanged."""
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


def size_label(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


# --- incoming -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """A reply the adapter gives itself (a file it will not take); the engine is not asked."""

    chat_id: str
    text: str


def _dict(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError("not an object")
    return value


class TelegramCore:
    """One update (Bot API JSON) in, the engine's replies out through a :class:`TelegramApi`."""

    def __init__(
        self,
        engine_handle: Handle,
        media_dir: Path,
        max_media_bytes: int,
        clock: Callable[[], datetime],
        *,
        sleep: Sleep = asyncio.sleep,
        reply_retry_limit: float = 2.0,
    ) -> None:
        self.engine_handle = engine_handle
        self.media_dir = Path(media_dir)
        self.max_media_bytes = max_media_bytes
        self.clock = clock
        self.sleep = sleep
        self.reply_retry_limit = reply_retry_limit

    async def process(self, update: Mapping[str, Any], api: TelegramApi) -> bool:
        """Handle one update; False when it was not for us (nothing was sent, bar the
        answer to a callback query)."""
        now = self.clock()
        try:
            translated = await self.translate(update, api, now)
        except (ValueError, TypeError, KeyError, AttributeError):  # a malformed update is dropped
            log.warning("a Telegram update that cannot be read was dropped (update_id %r)", update.get("update_id"))
            return False
        if translated is None:
            return False
        if isinstance(translated, Refusal):
            await self.reply(OutgoingMessage(CHANNEL, translated.chat_id, translated.text), api)
            return True
        for reply in await self.engine_handle(translated, now):
            await self.reply(reply, api)
        query = update.get("callback_query")
        message = query.get("message") if isinstance(query, Mapping) else None
        if isinstance(message, Mapping):  # the pressed keyboard has done its job
            with suppress(TelegramApiError):
                await api.clear_keyboard(str(message["chat"]["id"]), int(message["message_id"]))
        return True

    async def translate(self, update: Mapping[str, Any], api: TelegramApi,
                        now: datetime) -> IncomingMessage | Refusal | None:
        update_id = str(int(update["update_id"]))
        query = update.get("callback_query")
        if query is not None:
            query = _dict(query)
            with suppress(TelegramApiError):  # stops the client's spinner; an old query may refuse
                await api.answer_callback(str(query["id"]))
            message = query.get("message")
            chat = _dict(_dict(message)["chat"]) if message is not None else None
            if chat is not None and chat.get("type") != "private":
                return None
            sender = str(int(chat["id"] if chat is not None else _dict(query["from"])["id"]))
            data = query.get("data")
            if not isinstance(data, str):
                return None
            return IncomingMessage(CHANNEL, sender, button=data[:MAX_BUTTON_ID], update_id=update_id)
        message = update.get("message")
        if message is None:  # edits, channel posts, polls...: not for us
            return None
        message = _dict(message)
        chat = _dict(message["chat"])
        sender = str(int(chat["id"]))
        text = message.get("text")
        if chat.get("type") != "private":
            if isinstance(text, str) and text.startswith("/"):
                return Refusal(sender, texts.TELEGRAM_PRIVATE_ONLY)
            return None
        if isinstance(text, str):
            return IncomingMessage(CHANNEL, sender, text=command(text), update_id=update_id)
        location = message.get("location")
        if location is not None:
            place = coordinates(_dict(location).get("latitude"), location.get("longitude"))
            if place is None:
                raise ValueError("not a usable location")
            return IncomingMessage(CHANNEL, sender, location=place, update_id=update_id)
        if message.get("photo") or message.get("document") is not None:
            media = await self.media(message, api, now)
            if isinstance(media, str):
                return Refusal(sender, media)
            return IncomingMessage(CHANNEL, sender, media=media, update_id=update_id)
        return Refusal(sender, texts.TELEGRAM_UNSUPPORTED)

    async def media(self, message: Mapping[str, Any], api: TelegramApi, now: datetime) -> Media | str:
        """The file downloaded into the media store, or the refusal to send instead."""
        if message.get("photo"):
            sizes = [_dict(p) for p in message["photo"]]
            size = max(sizes, key=lambda p: (p.get("file_size") or 0, (p.get("width") or 0) * (p.get("height") or 0)))
            file_id, declared, mime = str(size["file_id"]), size.get("file_size"), "image/jpeg"
        else:
            document = _dict(message["document"])
            file_id, declared = str(document["file_id"]), document.get("file_size")
            mime = str(document.get("mime_type") or "").lower()
            suffix = Path(str(document.get("file_name") or "")).suffix.lower()
            if mime not in MEDIA_TYPES:
                mime = SUFFIX_TYPES.get(suffix, "") if mime in ("", "application/octet-stream") else ""
            if not mime:
                return texts.TELEGRAM_MEDIA_TYPE
        too_big = texts.TELEGRAM_MEDIA_TOO_BIG.format(limit=size_label(self.max_media_bytes))
        if isinstance(declared, int) and declared > self.max_media_bytes:
            return too_big
        kind, suffix, magic = MEDIA_TYPES[mime]
        folder = self.media_dir / f"{now:%Y}" / f"{now:%m}"
        target = folder / f"{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex}{suffix}"
        partial = target.with_name(target.name + ".part")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            await api.download(file_id, partial, max_bytes=self.max_media_bytes)
            if partial.stat().st_size > self.max_media_bytes:
                return too_big
            with partial.open("rb") as handle:
                head = handle.read(16)
            if not head.startswith(magic):
                return texts.TELEGRAM_MEDIA_TYPE
            partial.replace(target)
        except FileTooBig:
            return too_big
        except (TelegramApiError, OSError):
            log.warning("downloading Telegram file %s failed", file_id, exc_info=True)
            return texts.TELEGRAM_MEDIA_FAILED
        finally:
            with suppress(OSError):
                partial.unlink(missing_ok=True)
        caption = message.get("caption")
        return Media(kind, str(target), caption if isinstance(caption, str) else "", source=f"{CHANNEL}:{file_id}")

    async def reply(self, reply: OutgoingMessage, api: TelegramApi) -> None:
        """Send one reply; a flood wait longer than ``reply_retry_limit`` drops it (logged)."""
        for text, rows in render_rows(reply.text, reply.buttons):
            for attempt in (1, 2):
                try:
                    await api.send_text(reply.recipient, text, rows)
                    break
                except FloodWait as error:
                    if attempt == 2 or error.retry_after > self.reply_retry_limit:
                        log.warning("a reply to a Telegram chat was dropped: flood control (%ss)", error.retry_after)
                        return
                    await self.sleep(error.retry_after)
                except TelegramApiError as error:
                    log.warning("a reply to a Telegram chat could not be sent: %s", error)
                    return

"""Telegram without a client library: the part of the adapter both libraries share.

An update arrives as the Bot API's JSON (a dict). :class:`TelegramCore` turns it into an
:class:`IncomingMessage` of its :class:`bot.messages.Kind` (or nothing, when it is not for
us), asks the engine, and sends the replies through a :class:`TelegramApi`: four calls that
python-telegram-bot (``telegram.py``) and aiogram (``telegram_aiogram.py``) each implement
in a few lines. Commands, media (downloaded within the size limit, judged by
:class:`bot.media.MediaPolicy` from the bytes alone, kept in the :class:`bot.media.MediaStore`),
text splitting and keyboards (as plain rows of :class:`Button`) live here only. Nothing here
keeps conversation state; repeat deliveries of an ``update_id`` are recognised by the engine
(in the database).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from ..media import Accepted, CappedBuffer, MediaKind, MediaPolicy, MediaStore, MediaTooBig, RefusalReason, Refused
from ..messages import IncomingMessage, Kind, Media, OutgoingMessage, Profile, Seen
from ..sanitize import coordinates
from .files import DownloadFailed, receive
from .profile import display_name, e164, profile
from .telegram_format import (  # noqa: F401 - re-exported
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
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")

# Commands and the words the engine understands for them
COMMANDS = {"start": "halo", "mulai": "halo", "help": "bantuan", "bantuan": "bantuan", "cek": "cek",
            "batal": "batal", "cancel": "batal"}

# The files a message may carry (Bot API fields), and the kind each is declared as: what it
# is in the end comes from its bytes (bot.media), only voice against video from here
MEDIA_FIELDS: dict[str, MediaKind] = {"photo": "photo", "document": "document", "voice": "voice", "audio": "voice",
                                      "video": "video", "video_note": "video"}
# Content a citizen sends that is not a complaint's: answered plainly, the question again. An
# animation carries a "document" too, so these are looked at first. A message with none of
# these fields nor text, a location, a file or a contact is a service message (a pin, an
# auto-delete timer, write access allowed, members joining): recorded, never answered.
UNSUPPORTED_FIELDS = ("animation", "sticker", "poll", "dice", "game", "story", "invoice", "paid_media",
                      "giveaway", "giveaway_winners", "checklist", "successful_payment")

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


class FileTooBig(MediaTooBig):
    """getFile reported a file larger than allowed: it was not downloaded."""


class TelegramApi(Protocol):
    async def answer_callback(self, query_id: str) -> None: ...

    async def download(self, file_id: str, out: BinaryIO, *, policy: MediaPolicy) -> None:
        """getFile, then the file written into ``out`` (the ``policy``'s
        :class:`bot.media.CappedBuffer`, which raises :class:`MediaTooBig` past the limit);
        :class:`FileTooBig` (and no download) when getFile reports a size the ``policy``
        finds too big, or gives no path (Telegram's own limit)."""

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


# --- incoming -------------------------------------------------------------------------------


def _dict(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError("not an object")
    return value


def sender_profile(user: Any) -> Profile | None:
    """The sender's first and last name from a ``User`` (``from``); a bot has none here.
    Telegram never tells a bot the user's phone number unless they share it."""
    if not isinstance(user, Mapping) or user.get("is_bot") is not False:
        return None
    return profile(display_name(user.get("first_name"), user.get("last_name")))


def _media_field(message: Mapping[str, Any]) -> str | None:
    for field in MEDIA_FIELDS:
        if message.get(field):
            return field
    return None


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
        policy: MediaPolicy | None = None,
        seen: Seen | None = None,
        username: str | None = None,
    ) -> None:
        self.engine_handle = engine_handle
        self.username = username  # the bot's own @name, to tell a group command to us from one to another bot
        self.seen = seen  # whether an update was handled before: its file is not downloaded again
        self.media_dir = Path(media_dir)
        self.max_media_bytes = max_media_bytes
        self.policy = policy or MediaPolicy(max_bytes=max_media_bytes)
        self.store = MediaStore(self.media_dir)
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
        for reply in await self.engine_handle(translated, now):
            await self.reply(reply, api)
        query = update.get("callback_query")
        message = query.get("message") if isinstance(query, Mapping) else None
        if isinstance(message, Mapping):  # the pressed keyboard has done its job
            with suppress(TelegramApiError):
                await api.clear_keyboard(str(message["chat"]["id"]), int(message["message_id"]))
        return True

    async def translate(self, update: Mapping[str, Any], api: TelegramApi, now: datetime) -> IncomingMessage | None:
        """The update as the engine takes it; None when it is not for us (a channel post, a
        group's ordinary traffic, a live location moving)."""
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
            return IncomingMessage(CHANNEL, sender, button=data[:MAX_BUTTON_ID], update_id=update_id,
                                   profile=sender_profile(query.get("from")))
        edited = update.get("edited_message") is not None
        message = update.get("edited_message") if edited else update.get("message")
        if message is None:  # channel posts, polls, members' status...: not for us
            return None
        message = _dict(message)
        chat = _dict(message["chat"])
        base = IncomingMessage(CHANNEL, str(int(chat["id"])), update_id=update_id,
                               ref=str(int(message["message_id"])), profile=sender_profile(message.get("from")))
        text = message.get("text")
        if chat.get("type") != "private":  # a command to us in a group: go to a private chat (once a day)
            ours = isinstance(text, str) and not edited and self.addressed_to_us(text)
            return replace(base, kind=Kind.GROUP, profile=None) if ours else None
        if edited:
            words = text if isinstance(text, str) else message.get("caption")
            return replace(base, kind=Kind.EDIT, text=words) if isinstance(words, str) else None  # a live location moves
        if isinstance(text, str):
            return replace(base, text=command(text))
        return await self._content(message, base, api, now)

    def addressed_to_us(self, text: str) -> bool:
        """A command without a bot's name, or with ours (``/start@aduan_bot``): a command
        naming another bot is that bot's, and so is one naming a bot when ours is unknown."""
        if not text.startswith("/"):
            return False
        _, at, name = text.partition(" ")[0].partition("@")
        return not at or (self.username is not None and name.lower() == self.username.lower())

    async def _content(self, message: Mapping[str, Any], base: IncomingMessage, api: TelegramApi,
                       now: datetime) -> IncomingMessage:
        if any(message.get(field) for field in UNSUPPORTED_FIELDS):
            return replace(base, kind=Kind.UNSUPPORTED)
        location = message.get("location")
        if location is not None:
            place = coordinates(_dict(location).get("latitude"), location.get("longitude"))
            if place is None:
                raise ValueError("not a usable location")
            venue = message.get("venue")
            label = None
            if isinstance(venue, Mapping):  # a place picked from the map: its name and address
                label = display_name(", ".join(v for v in (venue.get("title"), venue.get("address")) if isinstance(v, str) and v))
            return replace(base, location=place, place=label)
        contact = message.get("contact")
        if isinstance(contact, Mapping):
            return replace(base, kind=Kind.CONTACT, contact_phone=e164(contact.get("phone_number")))
        field = _media_field(message)
        if field is None:
            return replace(base, kind=Kind.SERVICE)
        if self.seen is not None and await self.seen(base):
            return base  # a repeat delivery: the engine drops it; the file is not downloaded again
        media = await self.media(message, field, api, now)
        if isinstance(media, str):
            return replace(base, kind=Kind.REFUSED, notice=media)
        return replace(base, media=media)

    async def media(self, message: Mapping[str, Any], field: str, api: TelegramApi, now: datetime) -> Media | str:
        """The file in ``field`` (a key of :data:`MEDIA_FIELDS`) downloaded into the media
        store, or the refusal to send instead. What the file is comes from its bytes
        (:class:`MediaPolicy`), never from its declared MIME type or name; the field only
        caps the download (a voice note's limit, a video's) and settles voice against video.
        A size Telegram reports in advance spares the download."""
        declared = MEDIA_FIELDS[field]
        if field == "photo":
            sizes = [_dict(p) for p in message["photo"]]
            size = max(sizes, key=lambda p: (p.get("file_size") or 0, (p.get("width") or 0) * (p.get("height") or 0)))
            file_id, declared_size = str(size["file_id"]), size.get("file_size")
        else:
            attachment = _dict(message[field])
            file_id, declared_size = str(attachment["file_id"]), attachment.get("file_size")
        if self.policy.for_download(declared).too_big(declared_size):
            return self.policy.refusal_text(RefusalReason.TOO_BIG, declared)

        async def download(out: CappedBuffer, policy: MediaPolicy) -> None:
            try:  # FileTooBig (a MediaTooBig) when getFile tells the size
                await api.download(file_id, out, policy=policy)
            except TelegramApiError as error:
                raise DownloadFailed(f"download failed: {error}") from error

        def name(accepted: Accepted) -> Path:
            return Path(f"{now:%Y}", f"{now:%m}", f"{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex}{accepted.suffix}")

        taken = await receive(self.policy, self.store, declared, download, name, CHANNEL)
        if isinstance(taken, Refused):
            return self.policy.refusal_text(taken.reason, declared)
        accepted, target = taken
        caption = message.get("caption")
        return Media(accepted.kind, str(target), caption if isinstance(caption, str) else "",
                     source=f"{CHANNEL}:{file_id}")

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

"""The terminal channel: an interactive chat, and the JSON-lines interface for scripts.

JSON lines in: ``{"from": "warga-1", "text": "..."}`` (or ``"button": ID``,
``"location": {"lat": .., "lon": ..}``, ``"photo": PATH``, ``"document": PATH``,
``"voice": PATH``, ``"video": PATH``), optionally with ``"profile": {"name": .., "phone": ..}``:
what a real channel would say about the sender (a Telegram name, a WhatsApp profile name and
number); the phone is read as a phone number and kept as E.164.
JSON lines out: one for every message the system sends to anyone on this channel,
officers included: ``{"to": ..., "text": ..., "buttons": [{"id": .., "label": ..}]}``.

A photo, document, voice note or video is a file on this machine, named by its path. :class:`ConsoleChat` reads
it within the size limit and judges it by its bytes with the same
:class:`bot.media.MediaPolicy` as Telegram and WhatsApp: a refused file gets the same reply
as there, and the engine is not asked (nothing changes in the draft); an accepted one goes
to the engine with its path, as the kind its content shows (a PDF sent as ``"photo"`` is a
document; only voice against video is taken as given). The file is not copied: the terminal's user owns it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from typing import Any, Final, get_args

from complaints.errors import StorageUnavailable
from complaints.notifications import Button, Notification

from .. import texts
from ..media import Accepted, MediaKind, MediaPolicy, Refused, read_local
from ..messages import IncomingMessage, Kind, Media, OutgoingMessage, Profile
from ..sanitize import coordinates
from .profile import MAX_NAME, display_name, e164, profile

log = logging.getLogger(__name__)

CHANNEL = "console"
MAX_SENDER_LENGTH = 64
MEDIA_KINDS: Final[tuple[MediaKind, ...]] = get_args(MediaKind)  # the JSON keys of a file
KINDS: Final = ("text", "button", "location", *MEDIA_KINDS)
PROFILE_FIELDS: Final = frozenset({"name", "phone"})

Handle = Callable[[IncomingMessage, datetime], Awaitable[list[OutgoingMessage]]]
Relay = Callable[[datetime], Awaitable[Any]]


def _buttons(buttons: tuple[Button, ...]) -> list[dict[str, str]]:
    return [{"id": b.id, "label": b.label} for b in buttons]


def outgoing_line(recipient: str, text: str, buttons: tuple[Button, ...] = ()) -> dict[str, Any]:
    return {"to": recipient, "text": text, "buttons": _buttons(buttons)}


class ConsoleSender:
    """Delivers outbox notifications of the console channel by writing them out."""

    def __init__(self, write: Callable[[dict[str, Any]], None]) -> None:
        self.write = write

    async def send(self, notification: Notification) -> None:
        self.write(outgoing_line(notification.recipient, notification.text, notification.buttons))


class BadLine(ValueError):
    """A JSON line that cannot be taken; the message is for the person running the script."""


def parse_line(line: str) -> IncomingMessage:
    try:
        data = json.loads(line)
    # ValueError: JSONDecodeError, and integers over Python's 4,300-digit limit
    except (ValueError, RecursionError) as error:
        raise BadLine(texts.JSONL_BAD_JSON.format(error=str(error)[:80])) from error
    if not isinstance(data, dict):
        raise BadLine(texts.JSONL_NOT_OBJECT)
    sender = data.get("from")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_LENGTH:
        raise BadLine(texts.JSONL_BAD_SENDER)
    sender = sender.strip()
    kinds = [k for k in KINDS if k in data]
    if len(kinds) != 1:
        raise BadLine(texts.JSONL_ONE_KIND)
    kind = kinds[0]
    value = data[kind]
    base = IncomingMessage(CHANNEL, sender, profile=parse_profile(data.get("profile")))
    if kind == "location":
        if not isinstance(value, dict):
            raise BadLine(texts.JSONL_BAD_LOCATION)
        location = coordinates(value.get("lat"), value.get("lon"))
        if location is None:
            raise BadLine(texts.JSONL_BAD_LOCATION)
        lat, lon = location
        return replace(base, location=(lat, lon))
    if not isinstance(value, str):
        raise BadLine(texts.JSONL_NOT_STRING.format(field=kind))
    if kind == "text":
        return replace(base, text=value)
    if kind == "button":
        return replace(base, button=value[:128])
    caption = data.get("caption")
    return replace(base, media=Media(kind, value[:1024], caption if isinstance(caption, str) else ""))


def parse_profile(value: object) -> Profile | None:
    """A line's ``"profile"``: an object with a ``"name"`` and/or a ``"phone"`` (text; the
    phone a valid number, kept as E.164); absent, null or ``{}``: no profile."""
    if value is None:
        return None
    if not isinstance(value, dict) or not set(value) <= PROFILE_FIELDS:
        raise BadLine(texts.JSONL_BAD_PROFILE)
    name, phone = value.get("name"), value.get("phone")
    if name is not None and (not isinstance(name, str) or len(name) > MAX_NAME or display_name(name) is None):
        raise BadLine(texts.JSONL_BAD_PROFILE_NAME.format(limit=MAX_NAME))
    number = e164(phone) if phone is not None else None
    if phone is not None and number is None:
        raise BadLine(texts.JSONL_BAD_PROFILE_PHONE)
    return profile(display_name(name), number)


class ConsoleChat:
    """Runs the conversation loop over lines of input; never stops on bad input."""

    def __init__(self, handle: Handle, relay: Relay, clock: Callable[[], datetime], write: Callable[[dict[str, Any]], None],
                 *, policy: MediaPolicy | None = None) -> None:
        self.handle = handle
        self.relay = relay
        self.clock = clock
        self.write = write
        self.policy = policy or MediaPolicy()
        self._lock = asyncio.Lock()

    async def process(self, message: IncomingMessage) -> None:
        async with self._lock:
            now = self.clock()
            if message.media is not None:
                checked = await self.check_media(message, message.media)
                if isinstance(checked, Refused):  # the engine says why, and asks the pending question again
                    notice = self.policy.refusal_text(checked.reason, _declared(message.media.kind))
                    checked = replace(message, media=None, kind=Kind.REFUSED, notice=notice)
                message = checked
            for reply in await self.handle(message, now):
                self.write(outgoing_line(reply.recipient, reply.text, reply.buttons))
            await self._deliver(now)

    async def check_media(self, message: IncomingMessage, media: Media) -> IncomingMessage | Refused:
        """The file at the media's path, read (within the limit of the kind it is given
        as) and judged by the policy."""
        declared = _declared(media.kind)
        content = await asyncio.to_thread(read_local, media.ref, self.policy.for_download(declared))
        if isinstance(content, Refused):
            verdict: Accepted | Refused = content
        else:
            verdict = await asyncio.to_thread(self.policy.check, content, declared)
        if isinstance(verdict, Refused):
            log.info("a file given on the terminal was refused: %s (%s)", verdict.reason, verdict.detail)
            return verdict
        return replace(message, media=Media(verdict.kind, media.ref, media.caption, media.source))

    async def deliver_pending(self) -> None:
        async with self._lock:
            await self._deliver(self.clock())

    async def _deliver(self, now: datetime) -> None:
        try:
            await self.relay(now)
        except StorageUnavailable as error:  # what is queued stays queued: the next round sends it
            log.warning("queued messages wait, the database is unavailable: %s", error)

    async def run(
        self,
        lines: AsyncIterator[str],
        translate: Callable[[str], IncomingMessage] = parse_line,
        poll_seconds: float | None = None,
    ) -> None:
        ticker = asyncio.create_task(self._tick(poll_seconds)) if poll_seconds else None
        try:
            number = 0
            async for line in lines:
                number += 1
                if not line.strip():
                    continue
                try:
                    message = translate(line)
                except BadLine as bad:
                    self.write({"error": texts.JSONL_LINE.format(number=number, problem=bad)})
                    continue
                await self.process(message)
            await self.deliver_pending()
        finally:
            if ticker is not None:
                ticker.cancel()
                with suppress(asyncio.CancelledError):
                    await ticker

    async def _tick(self, seconds: float) -> None:
        """Deliver what other processes queued (an officer's status change) while idle."""
        while True:
            await asyncio.sleep(seconds)
            await self.deliver_pending()


def _declared(kind: str) -> MediaKind:
    for known in MEDIA_KINDS:
        if kind == known:
            return known
    return "document"


async def stdin_lines(prompt: str | None = None) -> AsyncIterator[str]:
    """Lines from standard input without blocking the event loop (the relay keeps running)."""
    import sys

    while True:
        if prompt:
            sys.stdout.write(prompt)
            sys.stdout.flush()
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            return
        yield line


class TypedInput:
    """What a person types in the interactive chat, as messages from one sender.

    A number presses the button with that number from the last reply; ``/lokasi LAT,LON``
    shares a location; ``/foto PATH``, ``/dokumen PATH``, ``/suara PATH`` and ``/video PATH``
    attach a photo, a document, a voice note or a video; anything else is text.
    """

    ATTACH: Final[dict[str, MediaKind]] = {"/foto": "photo", "/dokumen": "document", "/suara": "voice",
                                           "/video": "video"}

    def __init__(self, sender: str) -> None:
        self.sender = sender
        self.last_buttons: list[Button] = []

    def translate(self, line: str) -> IncomingMessage:
        typed = line.rstrip("\n")
        stripped = typed.strip()
        if stripped.isdigit() and len(stripped) <= 2 and self.last_buttons:  # not a phone number
            index = int(stripped) - 1
            if not 0 <= index < len(self.last_buttons):
                raise BadLine(texts.CONSOLE_NO_SUCH_BUTTON.format(count=len(self.last_buttons)))
            return IncomingMessage(CHANNEL, self.sender, button=self.last_buttons[index].id)
        command, _, rest = stripped.partition(" ")
        if command == "/lokasi":
            try:
                lat, lon = (float(part) for part in rest.split(","))
            except ValueError as error:
                raise BadLine(texts.JSONL_BAD_LOCATION) from error
            return IncomingMessage(CHANNEL, self.sender, location=(lat, lon))
        if command in self.ATTACH and rest:
            return IncomingMessage(CHANNEL, self.sender, media=Media(self.ATTACH[command], rest.strip()))
        return IncomingMessage(CHANNEL, self.sender, text=typed)

    def show(self, line: dict[str, Any]) -> str:
        """Format an output line for a person; remembers the buttons of the citizen's replies."""
        if "error" in line:
            return f"⚠️  {line['error']}"
        buttons = [Button(b["id"], b["label"]) for b in line.get("buttons", [])]
        if line["to"] == self.sender:
            self.last_buttons = buttons
            head = "Bot: "
        else:
            head = texts.CONSOLE_FOR_OTHER.format(recipient=line["to"])
        body = str(line["text"]).replace("\n", "\n     ")
        if line["to"] == self.sender:
            choices = "  ".join(f"[{i}] {b.label}" for i, b in enumerate(buttons, 1))
        else:  # someone else's buttons cannot be pressed from here: show them unnumbered
            choices = texts.CONSOLE_OTHERS_BUTTONS.format(labels=" · ".join(b.label for b in buttons)) if buttons else ""
        return head + body + (f"\n     {choices}" if choices else "")

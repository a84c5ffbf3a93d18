"""The 24-hour window, and webhook payloads read into incoming messages."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from ...media import MediaKind
from ...messages import Profile
from ...sanitize import coordinates
from ..profile import display_name, e164, profile
from .common import BSUID, CHANNEL, IGNORED_TYPES, MAX_BUTTON_ID, PHONE, LastInbound

# --- the 24-hour window ----------------------------------------------------------------


class ContactWindow(Protocol):
    """When each sender last wrote to us: free text is allowed for 24 hours after it."""

    async def touch(self, sender: str, at: datetime) -> None: ...

    async def last_inbound(self, sender: str) -> datetime | None: ...


class InMemoryContactWindow:
    """For tests and single-process demos; production reads the database (see below)."""

    def __init__(self) -> None:
        self._last: dict[str, datetime] = {}

    async def touch(self, sender: str, at: datetime) -> None:
        previous = self._last.get(sender)
        if previous is None or at > previous:
            self._last[sender] = at

    async def last_inbound(self, sender: str) -> datetime | None:
        return self._last.get(sender)


def last_inbound_from_database(uow_factory: Callable[[], Any], channel: str = CHANNEL) -> LastInbound:
    """``last_inbound`` read from the deliveries the engine records (``inbound_updates``)."""

    async def last_inbound(sender: str) -> datetime | None:
        async with uow_factory() as uow:
            last: datetime | None = await uow.inbox.last_inbound(channel, sender)
            return last

    return last_inbound


# --- inbound ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Inbound:
    """One message of a webhook call, before media is fetched."""

    wamid: str
    sender: str
    kind: str  # text | media | location | button | unsupported
    sent_at: datetime | None = None
    text: str | None = None
    button: str | None = None
    location: tuple[float, float] | None = None
    media_kind: MediaKind | None = None  # what the message type declares: photo | document | voice | video
    media_id: str | None = None
    caption: str = ""
    profile: Profile | None = None  # the sender's profile name and number, from contacts[]


# The message types that carry a file, and the kind each is declared as ("audio" is a voice
# note, with "voice": true, or an audio file); what it is comes from its bytes (bot.media)
MEDIA_TYPES: dict[str, MediaKind] = {"image": "photo", "document": "document", "audio": "voice", "video": "video"}


def _sender(message: dict[str, Any], contacts: list[Any]) -> str | None:
    """The phone number (wa_id) when given, else the business-scoped user id."""
    # contacts[] describes the senders of messages[]; with one sender it is unambiguous
    contact = contacts[0] if len(contacts) == 1 and isinstance(contacts[0], dict) else {}
    for value in (message.get("from"), contact.get("wa_id")):
        if isinstance(value, str) and PHONE.match(value):
            return value
    for value in (message.get("from_user_id"), contact.get("user_id"), message.get("from")):
        if isinstance(value, str) and BSUID.match(value):
            return value
    return None


def _profile(sender: str, contacts: list[Any]) -> Profile | None:
    """The profile name of the contact that is the sender (matched by its wa_id or user id,
    never by position alone), and the sender's number as E.164 when the sender is one."""
    for contact in contacts:
        if not isinstance(contact, dict) or sender not in (contact.get("wa_id"), contact.get("user_id")):
            continue
        about = contact.get("profile")
        name = display_name(about.get("name")) if isinstance(about, dict) else None
        phone = e164(f"+{sender}") if PHONE.match(sender) else None
        return profile(name, phone)
    return None


def _timestamp(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _str(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _inbound(message: dict[str, Any], contacts: list[Any]) -> Inbound | None:
    wamid, kind = message.get("id"), message.get("type")
    sender = _sender(message, contacts)
    if not isinstance(wamid, str) or not wamid or len(wamid) > 255 or sender is None:
        return None
    if isinstance(kind, str) and kind in IGNORED_TYPES:  # a list or object here was a 500 (unhashable)
        return None
    base: dict[str, Any] = {"wamid": wamid, "sender": sender, "sent_at": _timestamp(message.get("timestamp")),
                            "profile": _profile(sender, contacts)}
    body = message.get(kind) if isinstance(kind, str) else None
    body = body if isinstance(body, dict) else {}
    if kind == "text" and isinstance(body.get("body"), str):
        return Inbound(kind="text", text=body["body"], **base)
    if isinstance(kind, str) and kind in MEDIA_TYPES and isinstance(body.get("id"), str):
        return Inbound(
            kind="media", media_kind=MEDIA_TYPES[kind],
            media_id=body["id"][:255], caption=_str(body.get("caption"), 4096), **base,
        )
    if kind == "location":
        location = coordinates(body.get("latitude"), body.get("longitude"))
        if location is not None:
            return Inbound(kind="location", location=location, **base)
    if kind == "interactive":
        reply = body.get(body.get("type")) if body.get("type") in ("button_reply", "list_reply") else None
        if isinstance(reply, dict) and isinstance(reply.get("id"), str) and reply["id"]:
            return Inbound(kind="button", button=reply["id"][:MAX_BUTTON_ID], **base)
    if kind == "button" and isinstance(body.get("payload"), str) and body["payload"]:
        return Inbound(kind="button", button=body["payload"][:MAX_BUTTON_ID], **base)  # template quick reply
    return Inbound(kind="unsupported", **base)


def parse_webhook(payload: Any, phone_number_id: str | None = None) -> list[Inbound]:
    """The messages of a webhook payload, in order; statuses and other fields are skipped."""
    found: list[Inbound] = []
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return found
    entries = payload.get("entry")
    for entry in entries if isinstance(entries, list) else []:  # a number here was a 500
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            if not isinstance(change, dict) or change.get("field") != "messages":
                continue
            value = change.get("value")
            if not isinstance(value, dict):
                continue
            metadata = value.get("metadata")
            metadata = metadata if isinstance(metadata, dict) else {}
            if phone_number_id and metadata.get("phone_number_id") not in (None, phone_number_id):
                continue  # another number on the same app
            contacts = value.get("contacts")
            contacts = contacts if isinstance(contacts, list) else []
            messages = value.get("messages")
            messages = messages if isinstance(messages, list) else []
            for message in messages:
                inbound = _inbound(message, contacts) if isinstance(message, dict) else None
                if inbound is not None:
                    found.append(inbound)
    return found


def valid_signature(app_secret: str, body: bytes, header: str | None) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header[len("sha256="):].strip().lower().encode())

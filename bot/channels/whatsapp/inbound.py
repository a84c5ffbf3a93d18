"""The 24-hour window, and webhook payloads read into incoming messages."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from ...media import MediaKind
from ...messages import IncomingMessage, Kind, Profile
from ...sanitize import coordinates
from ..profile import display_name, e164, profile
from .common import BSUID, CHANNEL, MAX_BUTTON_ID, PHONE, LastInbound

log = logging.getLogger(__name__)

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
    """One message of a webhook call: what the engine is handed, and the file still to fetch
    (its ``media`` is filled in after the download)."""

    message: IncomingMessage
    sent_at: datetime | None = None
    media_kind: MediaKind | None = None  # what the message type declares: photo | document | voice | video
    media_id: str | None = None
    caption: str = ""

    @property
    def wamid(self) -> str:
        return self.message.update_id or ""

    @property
    def sender(self) -> str:
        return self.message.sender


# The message types that carry a file, and the kind each is declared as ("audio" is a voice
# note, with "voice": true, or an audio file); what it is comes from its bytes (bot.media)
MEDIA_TYPES: dict[str, MediaKind] = {"image": "photo", "document": "document", "audio": "voice", "video": "video"}
# What is recorded but never answered: a reaction, a notice that the chat's messages now
# disappear, the first opening of the chat, a system notice other than a number change
SERVICE_TYPES = frozenset({"reaction", "system", "ephemeral", "request_welcome"})
GROUP_ID = re.compile(r"^[A-Za-z0-9@._-]{1,128}$")


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


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _place(body: dict[str, Any]) -> str | None:
    """A shared place's name and address ("Puskesmas Tambaksari, Jl. Pacar Keling 5")."""
    return display_name(", ".join(_str(body.get(key), 300) for key in ("name", "address") if _str(body.get(key), 300)))


def _card_phone(cards: Any) -> str | None:
    """The first number of the first contact card that has one, as E.164."""
    for card in cards if isinstance(cards, list) else []:
        phones = _obj(card).get("phones")
        for phone in phones if isinstance(phones, list) else []:
            number = _obj(phone).get("phone") or (f"+{_obj(phone)['wa_id']}" if _obj(phone).get("wa_id") else None)
            if (found := e164(number)) is not None:
                return found
    return None


def _edited(message: dict[str, Any], body: dict[str, Any]) -> tuple[str | None, str | None]:
    """An edit's original message id and new text. Meta's shape: ``edit.original_message_id``
    and the new content as ``edit.message`` (a message object); a ``context.id`` or a text
    body beside it is read too."""
    original = body.get("original_message_id") or _obj(message.get("context")).get("id")
    inner = _obj(body.get("message")) or body or message
    text = _obj(inner.get("text")).get("body")
    if not isinstance(text, str):
        text = _obj(inner.get(str(inner.get("type")))).get("caption")
    return (original if isinstance(original, str) and original else None), (text if isinstance(text, str) else None)


def _content(message: dict[str, Any], kind: Any, body: dict[str, Any]) -> dict[str, Any] | None:
    """The fields of the :class:`IncomingMessage` for the content of ``message`` (None: a
    file, read by the caller)."""
    if kind == "text" and isinstance(body.get("body"), str):
        return {"text": body["body"]}
    if kind == "location":
        location = coordinates(body.get("latitude"), body.get("longitude"))
        return {"location": location, "place": _place(body)} if location is not None else {"kind": Kind.UNSUPPORTED}
    if kind == "interactive":
        reply = body.get(str(body.get("type"))) if body.get("type") in ("button_reply", "list_reply") else None
        if isinstance(reply, dict) and isinstance(reply.get("id"), str) and reply["id"]:
            return {"button": reply["id"][:MAX_BUTTON_ID]}
    if kind == "button" and isinstance(body.get("payload"), str) and body["payload"]:
        return {"button": body["payload"][:MAX_BUTTON_ID]}  # template quick reply
    if kind == "contacts":
        return {"kind": Kind.CONTACT, "contact_phone": _card_phone(message.get("contacts"))}
    if kind in ("edit", "revoke"):
        original, text = _edited(message, body)
        if original is None or len(original) > 255 or (kind == "edit" and text is None):
            return {"kind": Kind.SERVICE}
        return {"kind": Kind.EDIT, "text": text, "ref": original} if kind == "edit" else {"kind": Kind.DELETE, "ref": original}
    if kind == "system" and body.get("type") in ("user_changed_number", "customer_changed_number"):
        new = body.get("wa_id") or body.get("new_wa_id")  # the second: webhooks up to v11
        if isinstance(new, str) and PHONE.match(new):
            return {"kind": Kind.NUMBER_CHANGED, "new_sender": new}
    if isinstance(kind, str) and kind in SERVICE_TYPES:
        return {"kind": Kind.SERVICE}
    return {"kind": Kind.UNSUPPORTED}


def _inbound(message: dict[str, Any], contacts: list[Any]) -> Inbound | None:
    wamid, kind = message.get("id"), message.get("type")
    sender = _sender(message, contacts)
    if not isinstance(wamid, str) or not wamid or len(wamid) > 255 or sender is None:
        log.warning("a WhatsApp message without a usable id or sender was dropped (type %r)",
                    kind if isinstance(kind, str) else type(kind).__name__)
        return None
    base = IncomingMessage(CHANNEL, sender, update_id=wamid, ref=wamid, profile=_profile(sender, contacts))
    sent_at = _timestamp(message.get("timestamp"))
    group = message.get("group_id")
    if group is not None:  # written in a group the business number is in: not a complaint
        if not isinstance(group, str) or not GROUP_ID.match(group):
            log.warning("a WhatsApp group message with an unusable group id was dropped")
            return None
        return Inbound(replace(base, sender=group, kind=Kind.GROUP, profile=None), sent_at)
    body = _obj(message.get(kind)) if isinstance(kind, str) else {}
    if isinstance(kind, str) and kind in MEDIA_TYPES and isinstance(body.get("id"), str):
        return Inbound(base, sent_at, MEDIA_TYPES[kind], body["id"][:255], _str(body.get("caption"), 4096))
    return Inbound(replace(base, **(_content(message, kind, body) or {})), sent_at)


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

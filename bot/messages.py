"""Channel-neutral messages: what adapters hand to the engine and what it hands back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum

from complaints.model import Evidence
from complaints.notifications import Button

# A photo, document, voice note or video as it arrives: kind "photo" | "document" |
# "voice" | "video", ref a channel file id or a path in the media store, and its caption.
# The same shape the complaint keeps.
Media = Evidence


@dataclass(frozen=True)
class Profile:
    """What the channel itself says about the sender: the Telegram first and last name, the
    WhatsApp profile name and number. Known facts are not asked again; the citizen confirms
    them on the summary."""

    name: str | None = None
    phone: str | None = None  # E.164, only when the channel vouches for it (WhatsApp)


class Kind(StrEnum):
    """What an update is. Every kind takes the same path through the engine: deduplicated,
    throttled, counted and recorded for WhatsApp's 24-hour window; the engine decides the
    reply (or the silence)."""

    MESSAGE = "message"  # text, a pressed button, a location or a file: the conversation
    UNSUPPORTED = "unsupported"  # a sticker, a poll, a game…: said plainly, the pending question again
    REFUSED = "refused"  # a file the media policy refused: ``notice`` says why
    SERVICE = "service"  # a pin, a reaction, an auto-delete timer…: recorded, never answered
    GROUP = "group"  # written in a group: answered once a day (go to a private chat), then silence
    EDIT = "edit"  # ``text`` is the new wording of the sender's earlier message ``ref``
    DELETE = "delete"  # the sender deleted their earlier message ``ref``
    NUMBER_CHANGED = "number_changed"  # the sender now writes from ``new_sender`` (WhatsApp)
    CONTACT = "contact"  # a contact card; ``contact_phone`` its first number (E.164), if any


@dataclass(frozen=True)
class IncomingMessage:
    channel: str
    sender: str
    text: str | None = None
    button: str | None = None  # the id of a pressed button (callback data), as sent: bot.buttons decodes it
    location: tuple[float, float] | None = None  # (latitude, longitude)
    media: Media | None = None
    # the channel's id of this delivery (Telegram update_id, WhatsApp message id): a repeat
    # delivery of the same id is acknowledged and ignored
    update_id: str | None = None
    profile: Profile | None = None
    kind: Kind = Kind.MESSAGE
    # the channel's id of the message itself (Telegram message_id, WhatsApp wamid), kept with
    # what it added to a draft; for EDIT and DELETE, the id of the message edited or deleted
    ref: str | None = None
    notice: str | None = None  # REFUSED: the refusal to say
    place: str | None = None  # with a location: the shared place's name and address, as sent
    new_sender: str | None = None  # NUMBER_CHANGED: the sender's new id on the same channel
    contact_phone: str | None = None  # CONTACT: E.164


@dataclass(frozen=True)
class OutgoingMessage:
    channel: str
    recipient: str
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)


# Whether a delivery was handled before: asked by an adapter before it downloads a file
Seen = Callable[[IncomingMessage], Awaitable[bool]]

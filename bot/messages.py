"""Channel-neutral messages: what adapters hand to the engine and what it hands back."""

from __future__ import annotations

from dataclasses import dataclass, field

from complaints.model import Evidence
from complaints.notifications import Button

# A photo or document as it arrives: kind "photo" | "document", ref a channel file id or
# a path in the media store, and its caption. The same shape the complaint keeps.
Media = Evidence


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


@dataclass(frozen=True)
class OutgoingMessage:
    channel: str
    recipient: str
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)

"""Channel-neutral messages: what adapters hand to the engine and what it hands back."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class OutgoingMessage:
    channel: str
    recipient: str
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)

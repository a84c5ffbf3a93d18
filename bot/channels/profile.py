"""What a channel says about a sender (:class:`bot.messages.Profile`), made safe to keep.

A display name is whatever the sender typed into their app: it is cleaned like chat text
(control and invisible characters dropped, spaces collapsed) and cut to ``MAX_NAME``; a
name that is then empty is no name. A phone number is kept only as E.164, as
:func:`nlu.parse_phone` reads it.
"""

from __future__ import annotations

from typing import Final

from nlu import parse_phone

from ..messages import Profile
from ..sanitize import clean_text

MAX_NAME: Final = 100


def display_name(*parts: object) -> str | None:
    """The non-empty string ``parts`` joined by a space and cleaned, or None."""
    words = [part for part in parts if isinstance(part, str)]
    name = clean_text(" ".join(words)).replace("\n", " ")[:MAX_NAME].strip()
    return name or None


def e164(number: object) -> str | None:
    """A phone number as E.164 (``+62...``), or None when it is not a valid number."""
    if not isinstance(number, str) or not number.strip() or len(number) > 32:
        return None
    return parse_phone(number.strip())


def profile(name: str | None, phone: str | None = None) -> Profile | None:
    """A :class:`Profile`, or None when the channel said nothing usable."""
    return Profile(name, phone) if name is not None or phone is not None else None

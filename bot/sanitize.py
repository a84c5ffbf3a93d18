"""Make raw chat text safe to understand and store."""

from __future__ import annotations

import math
import unicodedata

from .messages import IncomingMessage

_KEEP = {"\n", "\t"}
# Control characters, format characters (zero-width spaces and joiners, RTL/LTR marks and
# overrides, BOM) and lone surrogates: invisible, confusing, or unstorable in PostgreSQL.
_DROP_CATEGORIES = {"Cc", "Cf", "Cs"}


def clean_text(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw)
    kept = (ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in _DROP_CATEGORIES)
    lines = (" ".join(line.split()) for line in "".join(kept).splitlines())
    return "\n".join(line for line in lines if line).strip()


MAX_ID_LENGTH = 255  # senders and update ids are stored in columns of this size


def clean_token(raw: str) -> str:
    """A file reference or id without control characters or lone surrogates."""
    return "".join(ch for ch in raw if unicodedata.category(ch) not in _DROP_CATEGORIES).strip()


def acceptable_identity(msg: IncomingMessage) -> bool:
    """Sender and the other ids as a real channel gives them: short, printable, storable."""
    ids = [msg.sender] + [i for i in (msg.update_id, msg.ref, msg.new_sender) if i is not None]
    return all(0 < len(i) <= MAX_ID_LENGTH and clean_token(i) == i.strip() and i.strip() for i in ids)


def coordinates(latitude: object, longitude: object) -> tuple[float, float] | None:
    """A location as channels may pass it on: two finite numbers within range, or None
    (NaN, Infinity, strings, booleans, huge integers: PostgreSQL's JSONB cannot even store NaN)."""
    pair = []
    for value, limit in ((latitude, 90.0), (longitude, 180.0)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        try:
            number = float(value)
        except OverflowError:  # an integer with hundreds of digits
            return None
        if not (math.isfinite(number) and -limit <= number <= limit):
            return None
        pair.append(number)
    return pair[0], pair[1]

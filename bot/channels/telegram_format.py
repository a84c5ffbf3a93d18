"""Telegram's text limits and inline keyboards, as plain data (no client library).

Part of the library-neutral Telegram adapter (:mod:`bot.channels.telegram_core`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from complaints.notifications import Button

from ..buttons import MAX_BYTES as MAX_CALLBACK_DATA  # Telegram's limit on callback data, in bytes

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit, in UTF-16 code units
SHORT_LABEL = 14  # buttons whose labels are all at most this long go two to a row

Rows = list[list[Button]]  # an inline keyboard: rows of buttons (label shown, id as callback data)


def _units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _prefix_within(text: str, limit: int) -> int:
    """The number of characters of ``text`` that fit in ``limit`` UTF-16 code units."""
    used = 0
    for index, char in enumerate(text):
        used += _units(char)
        if used > limit:
            return index
    return len(text)


def _fits(text: str, limit: int) -> bool:
    """Whether ``text`` is at most ``limit`` UTF-16 code units (counted in C, not char by char)."""
    return len(text) * 2 <= limit or len(text.encode("utf-16-le", "surrogatepass")) <= 2 * limit


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 code units, cut at a line break, else at a space,
    else anywhere; no piece is empty."""
    if _fits(text, limit):  # nearly every reply: one piece, as the loop below would give
        return [text]
    pieces: list[str] = []
    rest = text
    while _prefix_within(rest, limit) < len(rest):
        fit = _prefix_within(rest, limit)
        window = rest[:fit + 1]  # a separator just past the limit is a fine place to cut
        cut = -1
        for separator in ("\n", " "):
            at = window.rfind(separator)
            if at > limit // 2 and at <= fit:
                cut = at
                break
        if cut < 0:
            for separator in ("\n", " "):
                at = window.rfind(separator, 0, fit + 1)
                if 0 < at <= fit:
                    cut = at
                    break
        if cut > 0:
            piece, rest = rest[:cut], rest[cut + 1:]
        else:
            piece, rest = rest[:fit], rest[fit:]
        if piece.strip():
            pieces.append(piece.rstrip())
    if rest.strip() or not pieces:
        pieces.append(rest)
    return pieces


def keyboard_rows(buttons: Sequence[Button]) -> Rows | None:
    """One button a row, or two a row when every label is short. A button whose id does
    not fit Telegram's 64-byte callback data is left out (and logged)."""
    usable: list[Button] = []
    for button in buttons:
        if len(button.id.encode("utf-8")) > MAX_CALLBACK_DATA:
            log.error("button %r left out: its id is longer than %d bytes", button.id[:80], MAX_CALLBACK_DATA)
            continue
        usable.append(button)
    if not usable:
        return None
    per_row = 2 if len(usable) > 1 and all(len(b.label) <= SHORT_LABEL for b in usable) else 1
    return [usable[i:i + per_row] for i in range(0, len(usable), per_row)]


def render_rows(text: str, buttons: Sequence[Button]) -> list[tuple[str, Rows | None]]:
    """The sendMessage calls for one message: the buttons go with the last piece."""
    pieces = split_text(text)
    rows = keyboard_rows(buttons)
    return [(piece, rows if i == len(pieces) - 1 else None) for i, piece in enumerate(pieces)]

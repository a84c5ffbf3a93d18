"""Chats that are phone numbers, and the other way round: a WhatsApp chat id is its number's
digits (E.164 without the plus). The one home of that rule for the visibility policy (a
complainant's chat number is redacted like the number they gave), the delivery policy (the
number they gave reaches them on WhatsApp) and a WhatsApp number change."""

from __future__ import annotations

MIN_DIGITS, MAX_DIGITS = 8, 15  # E.164 allows at most 15 digits; no real number has fewer than 8


def number_of_chat(chat_id: str) -> str | None:
    """The phone number, in E.164 ("+62812..."), that a chat id is, when it is one."""
    if chat_id.isascii() and chat_id.isdigit() and MIN_DIGITS <= len(chat_id) <= MAX_DIGITS:
        return f"+{chat_id}"
    return None


def whatsapp_chat_of(phone: str | None) -> str | None:
    """The WhatsApp chat id of a number a person gave ("+62812..." or "62812..."), when it
    is one."""
    digits = (phone or "").lstrip("+")
    return digits if digits.isascii() and digits.isdigit() else None

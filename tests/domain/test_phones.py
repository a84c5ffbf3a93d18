"""Chats that are phone numbers (complaints/phones.py): the one rule behind redacting a
complainant's chat number, reaching them on WhatsApp at the number they gave, and a
WhatsApp number change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from complaints.model import Complainant, Complaint
from complaints.phones import number_of_chat, whatsapp_chat_of
from complaints.redaction import EVERYTHING, redact
from complaints.visibility import known_phones


@pytest.mark.parametrize(("chat_id", "number"), [
    ("6281234567890", "+6281234567890"),  # a WhatsApp chat: the number's digits
    ("12345678", "+12345678"),  # the shortest
    ("123456789012345", "+123456789012345"),  # E.164's longest
    ("1234567", None),  # too short for a number
    ("1234567890123456", None),  # longer than E.164 allows
    ("officer-1", None),  # the console's ids
    ("+6281234567890", None),  # a chat id never has the plus
    ("٦٢٨١٢٣٤٥٦٧٨٩", None),  # digits of another script are no chat id
    ("", None),
])
def test_a_chat_id_is_a_number_when_it_is_8_to_15_ascii_digits(chat_id: str, number: str | None) -> None:
    assert number_of_chat(chat_id) == number


@pytest.mark.parametrize(("phone", "chat"), [
    ("+6281234567890", "6281234567890"),
    ("6281234567890", "6281234567890"),
    ("0812-3456-7890", None),  # as typed: the intake keeps numbers in E.164
    ("", None),
    (None, None),
])
def test_a_given_number_is_a_whatsapp_chat_when_it_is_digits(phone: str | None, chat: str | None) -> None:
    assert whatsapp_chat_of(phone) == chat


def test_the_visibility_policy_knows_a_whatsapp_complainants_chat_as_their_number() -> None:
    at = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    on_whatsapp = Complaint("LPR-7KQ3-MN", "x", "whatsapp", "6281234567890", at,
                            complainant=Complainant(phone="+6289876543210"))
    on_telegram = Complaint("LPR-7KQ3-MP", "x", "telegram", "2002", at)  # a Telegram id is no number
    assert known_phones(on_whatsapp) == ("+6289876543210", "+6281234567890")
    assert known_phones(on_telegram) == ()
    # both are taken out of what the complainant writes, however they are written
    note = "hubungi saya di 0812 3456 7890 atau +62 898-7654-3210"
    redacted = redact(note, EVERYTHING, phones=known_phones(on_whatsapp))
    assert "7890" not in redacted and "3210" not in redacted and redacted.startswith("hubungi saya di ")

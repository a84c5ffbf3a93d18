"""Phone numbers (Indonesia by default): 08..., +62..., 62..., (031) ...; value E.164."""

from __future__ import annotations

import re

import phonenumbers

from ..normalize import per_string
from ..result import Entity

REGION = "ID"
_DIGIT = re.compile(r"\d")
_PLAUSIBLE_START = re.compile(r"^\(?(?:\+|62|0)")


@per_string
def extract(text: str) -> list[Entity]:
    found: list[Entity] = []
    if _DIGIT.search(text) is None:
        return found  # the matcher's pattern needs a digit (and the matcher is slow to say so)
    for match in phonenumbers.PhoneNumberMatcher(text, REGION, leniency=phonenumbers.Leniency.VALID):
        raw = match.raw_string
        if not _PLAUSIBLE_START.match(raw):
            continue  # "1.500.000" is a valid short number, but here it is money
        value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.append(Entity("phone", value, raw, match.start, match.end))
    return found


def parse_phone(text: str) -> str | None:
    """The first phone number in an answer, as E.164, or None."""
    found = extract(text)
    if found:
        return str(found[0].value)
    digits = re.sub(r"[\s().-]", "", text)
    if re.fullmatch(r"\+?\d{8,15}", digits) and _PLAUSIBLE_START.match(digits):
        try:
            number = phonenumbers.parse(digits, REGION)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None

"""Tracking codes such as ``LPR-7KQ3-MN``.

Five random characters and one check character from a 31-symbol alphabet without the
characters people confuse when reading aloud or typing on a phone (0/O, 1/I/L). 31 is
prime, so a weighted sum modulo 31 (weights 1..6) detects every single mistyped
character and every swap of two neighbouring characters: a mistyped code is told apart
from a code that does not exist.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from enum import StrEnum

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIX = "LPR"
PAYLOAD_LENGTH = 5
_BASE = len(ALPHABET)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
assert _BASE == 31

# Anything that looks like a code in free text: optional prefix, then 6 symbols in
# groups separated by spaces, dots or dashes (checked further by ``parse``).
CODE_PATTERN = re.compile(
    r"(?<![A-Za-z0-9])(?:lpr[\s.\-]*)?([A-Za-z0-9]{4}[\s.\-]?[A-Za-z0-9]{2}|[A-Za-z0-9]{6})(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _check_char(payload: str) -> str:
    total = sum((i + 1) * _VALUE[ch] for i, ch in enumerate(payload))
    # choose c so that total + 6*c == 0 (mod 31); 6 * 26 = 156 = 1 (mod 31)
    inverse_of_weight = pow(PAYLOAD_LENGTH + 1, -1, _BASE)
    return ALPHABET[(-total * inverse_of_weight) % _BASE]


def format_code(symbols: str) -> str:
    return f"{PREFIX}-{symbols[:4]}-{symbols[4:]}"


def generate(rng: random.Random) -> str:
    payload = "".join(rng.choice(ALPHABET) for _ in range(PAYLOAD_LENGTH))
    return format_code(payload + _check_char(payload))


class CodeProblem(StrEnum):
    FORMAT = "format"  # wrong length or not a code at all
    CHARACTER = "character"  # contains a symbol the alphabet never uses (0, O, 1, I, L)
    CHECKSUM = "checksum"  # well formed, but the check character disagrees: a typo


@dataclass(frozen=True)
class CodeCheck:
    code: str | None
    problem: CodeProblem | None
    typed: str

    @property
    def ok(self) -> bool:
        return self.problem is None


def parse(text: str) -> CodeCheck:
    """Normalise what a person typed ("lpr 7kq3 m9", "7KQ3-M9") and check it."""
    typed = text.strip()
    compact = re.sub(r"[\s.\-_]", "", typed.upper())
    if compact.startswith(PREFIX) and len(compact) == len(PREFIX) + PAYLOAD_LENGTH + 1:
        compact = compact[len(PREFIX):]
    if len(compact) != PAYLOAD_LENGTH + 1 or not compact.isalnum() or not compact.isascii():
        return CodeCheck(None, CodeProblem.FORMAT, typed)
    if any(ch not in _VALUE for ch in compact):
        return CodeCheck(None, CodeProblem.CHARACTER, typed)
    if _check_char(compact[:PAYLOAD_LENGTH]) != compact[-1]:
        return CodeCheck(None, CodeProblem.CHECKSUM, typed)
    return CodeCheck(format_code(compact), None, typed)


def code_like(token: str, body: str) -> bool:
    """Whether a token matched by CODE_PATTERN is meant as a code: it carries the LPR
    prefix, or it mixes letters and digits (plain words such as "jalan" or numbers such
    as "200000" are not codes). Without the prefix, a word and a number apart ("gang 24",
    "blok 12") are an address, not a code, unless the first part mixes letters and digits
    too ("7KQ3 MN")."""
    if token.upper().startswith(PREFIX) and len(token) > len(body):
        return True
    if not (any(c.isalpha() for c in body) and any(c.isdigit() for c in body)):
        return False
    head = body[:4]
    separated = len(body) > 6
    return not (separated and body[4].isspace() and (head.isalpha() or head.isdigit()))


def find_in_text(text: str) -> CodeCheck | None:
    """The first code-like token in free text (see ``code_like``), checked; None if
    nothing looks like one."""
    for match in CODE_PATTERN.finditer(text):
        if code_like(match.group(0), match.group(1)):
            return parse(match.group(0))
    return None

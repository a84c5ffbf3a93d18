"""NIK (Nomor Induk Kependudukan): 16 digits with a plausible structure.

Positions: 1-2 province, 3-4 regency/city, 5-6 district, 7-8 day of birth (41-71 for
women), 9-10 month, 11-12 year, 13-16 serial. Sixteen digits that break the structure
give ``nik_invalid`` (value: the digits) so the dialog can ask again.
"""

from __future__ import annotations

import re

from ..normalize import per_string
from ..result import Entity

# Kemendagri province codes (the region list in nlu/data/regions).
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
     71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
)
_CANDIDATE = re.compile(r"(?<![\d+])(\d{4}[ .-]?\d{4}[ .-]?\d{4}[ .-]?\d{4})(?![\d])")


def is_plausible(digits: str) -> bool:
    if len(digits) != 16 or not digits.isdigit():
        return False
    province, day, month = int(digits[0:2]), int(digits[6:8]), int(digits[8:10])
    return (
        province in PROVINCE_CODES
        and digits[2:4] != "00"
        and digits[4:6] != "00"
        and (1 <= day <= 31 or 41 <= day <= 71)
        and 1 <= month <= 12
        and digits[12:16] != "0000"
    )


@per_string
def extract(text: str) -> list[Entity]:
    found: list[Entity] = []
    for match in _CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        kind = "nik" if is_plausible(digits) else "nik_invalid"
        found.append(Entity(kind, digits, match.group(1), match.start(1), match.end(1), 1.0 if kind == "nik" else 0.6))
    return found

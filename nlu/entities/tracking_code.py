"""Tracking codes ("LPR-7KQ3-MN"), checked with ``complaints.tracking``.

A well-formed code gives ``tracking_code`` with the canonical code as value. A token
that is clearly meant as a code (it carries the LPR prefix, or is one unbroken token
mixing letters and digits) but fails the check gives ``tracking_code_invalid`` with
value ``{"typed": ..., "problem": "format" | "character" | "checksum"}``.
"""

from __future__ import annotations

from complaints import tracking

from ..normalize import per_string
from ..result import Entity


@per_string
def extract(text: str) -> list[Entity]:
    found: list[Entity] = []
    for match in tracking.CODE_PATTERN.finditer(text):
        token, body = match.group(0), match.group(1)
        prefixed = token.upper().startswith(tracking.PREFIX) and len(token) > len(body)
        # a bare token must look like a code, not a word with a reduplication 2 ("cewek2")
        # nor an address ("gang 24")
        mixed = sum(c.isalpha() for c in body) >= 2 and sum(c.isdigit() for c in body) >= 2
        if not (prefixed or (mixed and tracking.code_like(token, body))):
            continue
        check = tracking.parse(token)
        if check.ok:
            found.append(Entity("tracking_code", check.code, token, match.start(), match.end()))
        elif prefixed or (" " not in token and sum(c.isdigit() for c in body) >= 2):
            value = {"typed": check.typed, "problem": check.problem.value if check.problem else None}
            found.append(Entity("tracking_code_invalid", value, token, match.start(), match.end(), 0.8))
    return found

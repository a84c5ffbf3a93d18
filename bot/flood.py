"""Per-sender flood limit for the chat channels.

A sender who writes faster than ``limit`` messages per ``window`` is asked once to slow
down and then ignored until the window passes; everyone else is unaffected. The count
comes from the deliveries recorded for deduplication (indexed by sender and time), so it
holds across workers and costs no extra write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class FloodGuard:
    limit: int = 30  # messages per window; a person typing never gets near it
    window: timedelta = timedelta(minutes=1)

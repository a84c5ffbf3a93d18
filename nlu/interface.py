"""The protocol the dialog engine depends on; RuleNlu implements it (and so will the
ML-based NLU that replaces it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from complaints.org import FaqEntry

from .entities.date import DateResult
from .entities.person import PersonName
from .regions import PlaceMatch
from .result import Parse


@runtime_checkable
class Understanding(Protocol):
    def parse(self, text: str, now: datetime) -> Parse:
        """Everything understood from one message; ``now`` must be timezone-aware."""
        ...

    def parse_date(self, text: str, now: datetime, tz: ZoneInfo) -> DateResult:
        """Read one answer to "when did it happen?"."""
        ...

    def resolve_place(self, text: str) -> PlaceMatch | None:
        """Read one answer to "where?" (or free text) against the region list."""
        ...

    def parse_phone(self, text: str) -> str | None:
        """Read one answer to "your phone number?" as E.164."""
        ...

    def match_faq(self, text: str, faq: Sequence[FaqEntry], *, strict: bool = False) -> FaqEntry | None:
        """The entry of the organisation's FAQ that ``text`` asks about, by meaning; None if none
        (``strict``: only a clear match, for a message that may as well be a complaint)."""
        ...

    def split_problems(self, text: str, now: datetime) -> list[str]:
        """The message cut into one part per distinct problem (categories differ);
        ``[text]`` when it describes one problem or when in doubt."""
        ...

    def parse_name(self, text: str) -> PersonName | None:
        """Read one answer to "Siapa nama Anda?"; None when it gives no name (refusals too)."""
        ...

    def resolve_outside(self, text: str) -> PlaceMatch | None:
        """A place named in ``text`` that lies outside the deployment's region but in its
        province ("Waru" for Kota Surabaya: Kabupaten Sidoarjo), or None."""
        ...

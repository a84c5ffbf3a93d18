"""Messages the domain asks to send, written to the outbox in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from .delivery import DeliveryError, FailureKind
from .org import Officer, Unit

if TYPE_CHECKING:
    from .ports import UnitSummary
    from .visibility import CaseView


@dataclass(frozen=True)
class Button:
    id: str
    label: str


@dataclass(frozen=True)
class Notification:
    key: str  # dedupe key: (complaint, event, recipient); delivered at most once per key
    channel: str
    recipient: str
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)
    complaint_code: str | None = None
    # send only as the channel's approved template (WhatsApp: the citizen's 24-hour window
    # closed after it was queued, complaints.delivery.Remedy.AS_TEMPLATE)
    as_template: bool = False


class Notices(Protocol):
    """Words the notifications; implemented by the bot's Indonesian texts. Each text is
    worded from the case as its reader may see it (complaints.visibility), never from the
    raw complaint."""

    def verification_needed(self, case: CaseView, suggested: Unit, officer: Officer) -> str: ...

    def new_case(self, case: CaseView, unit: Unit, officer: Officer) -> str: ...

    def status_changed(self, case: CaseView, note: str, unit: Unit) -> str:
        """To the complainant: ``case`` is their own view, ``note`` the officer's note."""

    def rating_buttons(self, code: str) -> tuple[Button, ...]: ...

    def case_buttons(self, code: str, stage: str) -> tuple[Button, ...]:
        """Actions offered to officers on a case message ("verify" for the verifiers)."""

    def info_received(self, case: CaseView, text: str | None, officer: Officer) -> str:
        """``text``: the complainant's answer as the officer may read it (None: withheld)."""

    def supported(self, case: CaseView, words: str | None, officer: Officer) -> str:
        """A citizen supports the case (``words``: what they added, as the officer may read it)."""

    def merged_reason(self, kept: str) -> str:
        """The note of a duplicate's rejection when it is merged into the case ``kept``."""

    def merged(self, case: CaseView, kept: str) -> str:
        """To the duplicate's complainant (``case``: their own view): it was merged into ``kept``."""

    def unmerged(self, case: CaseView, kept: str) -> str:
        """To the duplicate's complainant: the merge into ``kept`` was a mistake, undone."""

    def info_added(self, case: CaseView, text: str | None, files: int, officer: Officer) -> str:
        """The complainant added to their open case: ``text`` as the officer may read it
        (None: withheld, "" for none), ``files`` how many files came with it."""

    def escalation(self, case: CaseView, unit: Unit, level: int, officer: Officer, reason: str) -> str: ...

    def digest(
        self, unit: Unit, summary: UnitSummary, officer: Officer, now: datetime, officers: dict[str, Officer]
    ) -> str: ...

    def auto_close_note(self, working_days: int) -> str:
        """The note of the bot's move to ``ditutup`` when nobody rated the answer in time."""

    def auto_closed(self, case: CaseView, working_days: int, unit: Unit) -> str:
        """To the complainant (``case``: their own view): the case closed itself because no
        rating came within ``working_days``, and what they can still do."""

    def outside_region_note(self, region_name: str | None) -> str:
        """The note of a filing about a place outside the organisation's region: to be
        forwarded (``disalurkan``) by the central admin."""

    def copies_suspected(self, codes: list[str], senders: int, minutes: int) -> str:
        """To the central admins: the same text came from ``senders`` chats within
        ``minutes`` (complaints.spam), the cases ``codes``, oldest first."""


class DeliveryFailed(Exception):
    """A channel could not deliver a notification: its error as ``error``
    (complaints.delivery decides what follows from its kind).

    ``permanent`` means this chat never will (blocked bot, unknown user). Otherwise retry,
    after ``retry_after`` seconds when the channel said so.
    """

    def __init__(
        self, reason: str, *, permanent: bool = False, retry_after: float | None = None, code: str = "",
        kind: FailureKind | None = None,
    ) -> None:
        super().__init__(reason)
        kind = kind or (FailureKind.PERMANENT if permanent else FailureKind.TRANSIENT)
        self.reason = reason
        self.permanent = kind is FailureKind.PERMANENT
        self.retry_after = retry_after
        self.error = DeliveryError(code, reason, kind, retry_after)


class Sender(Protocol):
    """Delivers notifications on one channel; raises DeliveryFailed when it cannot."""

    async def send(self, notification: Notification) -> str | None:
        """The channel's id of the message sent (the last one, when it took several):
        a WhatsApp wamid, a Telegram message_id; None when the channel gives none."""

"""Button callback data: one typed value per kind of button, and the one codec for them.

In the manner of aiogram's ``CallbackData`` (a prefix and the fields joined by ``:``), but
our own few lines and no aiogram in the core: every button the bot sends is one of the
frozen dataclasses below, ``encode()`` gives its id (Telegram's callback data, WhatsApp's
reply id, the console's ``"button"``), and :func:`decode` turns a pressed id back into the
typed value, or into :class:`Refused` for anything else (forged, truncated, unknown,
non-ASCII, too long). It never raises. No other module builds or splits button ids.

The encoded forms are those the bot has always sent (``rate:LPR-7KQ3-MN:puas``,
``off:take:LPR-7KQ3-MN``, ``privacy:anonim``, ...), so buttons already in citizens' and
officers' chats keep working. Whether a well-formed button still fits the conversation
(``confirm:send`` before the summary) is the dialog's call, not the codec's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Self, TypeVar

from complaints import tracking
from complaints.notifications import Button
from complaints.taxonomy import Category, PrivacyMode

SEP = ":"
MAX_BYTES = 64  # Telegram's limit on callback data; every id here is ASCII, so also characters
E164 = re.compile(r"\+[1-9][0-9]{7,14}")  # a phone number in a button (CardPhone)
SKM_SCORES = range(1, 5)  # the SKM scale of the answer (complaints.usecases.followup.SKM_SCALE)


class MenuItem(StrEnum):
    NEW = "new"
    CHECK = "check"
    MINE = "mine"
    HELP = "help"


class ResumeChoice(StrEnum):
    CONTINUE = "continue"
    RESTART = "restart"


class ConfirmChoice(StrEnum):
    SEND = "send"
    EDIT = "edit"
    CANCEL = "cancel"


class OfferChoice(StrEnum):
    """The answers to the bot's yes/no offers around the intake."""

    YES = "yes"  # make the report (after an unsure message, an emergency, an unanswered question)
    NO = "no"
    SPLIT = "split"  # two problems in one message: two reports
    ONE = "one"  # ... or one
    CANCEL = "cancel"  # yes, throw the draft away
    KEEP = "keep"  # no, go on with it
    FORWARD = "forward"  # a place outside the area: file it to be forwarded
    LAPOR = "lapor"  # ... or go to SP4N-LAPOR!
    PLACE = "place"  # ... or give another place
    NEW = "new"  # the same problem is already reported: file a new report anyway


class EditField(StrEnum):
    """The parts of the summary a citizen may change before sending."""

    DESCRIPTION = "description"
    PLACE = "place"
    DATE = "date"
    SERVICE = "service"
    IDENTITY = "identity"


class OfficerAction(StrEnum):
    """What an officer does to a case from their chat (buttons and commands); the status
    each moves the case to is one table, ``bot.officers.STATUS_OF``."""

    VERIFY = "verify"
    DISPOSE = "dispose"
    PROGRESS = "progress"
    ASK = "ask"
    RESOLVE = "resolve"
    FORWARD = "forward"
    REJECT = "reject"
    TAKE = "take"
    SHOW = "show"
    MERGE = "merge"  # the case is a duplicate of another: asks which


class Refusal(StrEnum):
    TOO_LONG = "too_long"
    MALFORMED = "malformed"  # not ASCII, wrong number of fields, a value out of range
    UNKNOWN = "unknown"  # no button kind has this prefix


@dataclass(frozen=True)
class Refused:
    """An id that is none of our buttons: answered with texts.STALE_BUTTON, changes nothing."""

    reason: Refusal
    data: str  # the first characters, for a log line


E = TypeVar("E", bound=StrEnum)


def _enum(kind: type[E], text: str) -> E | None:
    try:
        return kind(text)
    except ValueError:
        return None


def _code(text: str) -> str | None:
    """A tracking code as the bot writes it; anything else (a typo, a forgery) is None."""
    check = tracking.parse(text)
    return check.code if check.ok and check.code == text else None


class CallbackData:
    """One kind of button: a ``prefix`` and the fields after it, in a fixed order."""

    prefix: ClassVar[str]

    def fields(self) -> tuple[str, ...]:
        return ()

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        """The button from the fields after the prefix, or None when they are not ours."""
        raise NotImplementedError

    def encode(self) -> str:
        fields = self.fields()
        data = SEP.join((self.prefix, *fields))
        if len(data) > MAX_BYTES or not data.isascii() or data.count(SEP) != len(fields):
            raise ValueError(f"button id {data[:80]!r} cannot be sent")  # a programming error
        return data

    def button(self, label: str) -> Button:
        return Button(self.encode(), label)


@dataclass(frozen=True)
class Menu(CallbackData):
    prefix: ClassVar[str] = "menu"
    item: MenuItem

    def fields(self) -> tuple[str, ...]:
        return (self.item.value,)

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        item = _enum(MenuItem, fields[0]) if len(fields) == 1 else None
        return cls(item) if item is not None else None


@dataclass(frozen=True)
class Resume(CallbackData):
    prefix: ClassVar[str] = "resume"
    choice: ResumeChoice

    def fields(self) -> tuple[str, ...]:
        return (self.choice.value,)

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        choice = _enum(ResumeChoice, fields[0]) if len(fields) == 1 else None
        return cls(choice) if choice is not None else None


@dataclass(frozen=True)
class Confirm(CallbackData):
    prefix: ClassVar[str] = "confirm"
    choice: ConfirmChoice

    def fields(self) -> tuple[str, ...]:
        return (self.choice.value,)

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        choice = _enum(ConfirmChoice, fields[0]) if len(fields) == 1 else None
        return cls(choice) if choice is not None else None


@dataclass(frozen=True)
class Edit(CallbackData):
    prefix: ClassVar[str] = "edit"
    field: EditField

    def fields(self) -> tuple[str, ...]:
        return (self.field.value,)

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        field = _enum(EditField, fields[0]) if len(fields) == 1 else None
        return cls(field) if field is not None else None


@dataclass(frozen=True)
class DateUnknown(CallbackData):
    """The answer "Tidak ingat": the citizen does not remember when it happened."""

    prefix: ClassVar[str] = "date"

    def fields(self) -> tuple[str, ...]:
        return ("unknown",)

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        return cls() if fields == ["unknown"] else None


@dataclass(frozen=True)
class Service(CallbackData):
    """One of the categories the NLU found likeliest, offered as a choice."""

    prefix: ClassVar[str] = "service"
    category: Category

    def fields(self) -> tuple[str, ...]:
        return (self.category.value,)

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        category = _enum(Category, fields[0]) if len(fields) == 1 else None
        return cls(category) if category is not None else None


@dataclass(frozen=True)
class Privacy(CallbackData):
    prefix: ClassVar[str] = "privacy"
    mode: PrivacyMode

    def fields(self) -> tuple[str, ...]:
        return (self.mode.value,)

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        mode = _enum(PrivacyMode, fields[0]) if len(fields) == 1 else None
        return cls(mode) if mode is not None else None


@dataclass(frozen=True)
class ContactByChat(CallbackData):
    """The answer "Cukup lewat chat ini": no phone number, the unit reaches the citizen here."""

    prefix: ClassVar[str] = "contact"

    def fields(self) -> tuple[str, ...]:
        return ("chat",)

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        return cls() if fields == ["chat"] else None


@dataclass(frozen=True)
class CardPhone(CallbackData):
    """"Ya" (``phone``: the number of the contact card the citizen sent, E.164) or "Tidak"
    (None) to "use this number to be reached?" (bot/contacts.py)."""

    prefix: ClassVar[str] = "card"
    phone: str | None

    def fields(self) -> tuple[str, ...]:
        return (self.phone or "no",)

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        if fields == ["no"]:
            return cls(None)
        return cls(fields[0]) if len(fields) == 1 and E164.fullmatch(fields[0]) else None


@dataclass(frozen=True)
class Rate(CallbackData):
    """Puas / Tidak puas on the answer to a complaint."""

    prefix: ClassVar[str] = "rate"
    code: str
    satisfied: bool

    def fields(self) -> tuple[str, ...]:
        return (self.code, "puas" if self.satisfied else "tidak")

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        if len(fields) != 2 or fields[1] not in ("puas", "tidak"):
            return None
        code = _code(fields[0])
        return cls(code, fields[1] == "puas") if code is not None else None


@dataclass(frozen=True)
class Skm(CallbackData):
    """The SKM score (1-4) of the answer, after "Puas"."""

    prefix: ClassVar[str] = "skm"
    code: str
    score: int

    def fields(self) -> tuple[str, ...]:
        return (self.code, str(self.score))

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        if len(fields) != 2 or fields[1] not in {str(score) for score in SKM_SCORES}:
            return None
        code = _code(fields[0])
        return cls(code, int(fields[1])) if code is not None else None


@dataclass(frozen=True)
class Offer(CallbackData):
    prefix: ClassVar[str] = "offer"
    choice: OfferChoice

    def fields(self) -> tuple[str, ...]:
        return (self.choice.value,)

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        choice = _enum(OfferChoice, fields[0]) if len(fields) == 1 else None
        return cls(choice) if choice is not None else None


@dataclass(frozen=True)
class CaseAction(CallbackData):
    """An action on a case, from the buttons on the messages officers get."""

    prefix: ClassVar[str] = "off"
    action: OfficerAction
    code: str

    def fields(self) -> tuple[str, ...]:
        return (self.action.value, self.code)

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        if len(fields) != 2:
            return None
        action, code = _enum(OfficerAction, fields[0]), _code(fields[1])
        return cls(action, code) if action is not None and code is not None else None


@dataclass(frozen=True)
class SupportCase(CallbackData):
    """"Dukung laporan ini": support a similar open case instead of filing the same problem."""

    prefix: ClassVar[str] = "support"
    code: str

    def fields(self) -> tuple[str, ...]:
        return (self.code,)

    @classmethod
    def read(cls, fields: list[str]) -> Self | None:
        code = _code(fields[0]) if len(fields) == 1 else None
        return cls(code) if code is not None else None


ButtonData = (
    Menu | Resume | Confirm | Edit | DateUnknown | Service | Privacy | ContactByChat | CardPhone | Rate | Skm | Offer
    | CaseAction | SupportCase
)
KINDS: tuple[type[ButtonData], ...] = (
    Menu, Resume, Confirm, Edit, DateUnknown, Service, Privacy, ContactByChat, CardPhone, Rate, Skm, Offer, CaseAction,
    SupportCase,
)
_BY_PREFIX: dict[str, type[ButtonData]] = {kind.prefix: kind for kind in KINDS}


def decode(data: str) -> ButtonData | Refused:
    """The typed button for a pressed id, or why it is none of ours. Never raises."""
    if len(data) > MAX_BYTES:
        return Refused(Refusal.TOO_LONG, data[:MAX_BYTES])
    if not data.isascii():
        return Refused(Refusal.MALFORMED, data)
    prefix, *fields = data.split(SEP)
    kind = _BY_PREFIX.get(prefix)
    if kind is None:
        return Refused(Refusal.UNKNOWN, data)
    button = kind.read(fields)
    return button if button is not None else Refused(Refusal.MALFORMED, data)

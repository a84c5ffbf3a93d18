"""The complaint draft of the intake dialog: its typed fields, what is still missing, how
the citizen's words fill it, and the Complaint it becomes.

The draft is part of the dialog state (``bot/state.py``), stored as JSON per channel and
sender, so any worker can continue it and a restart loses nothing. The Rasa actions
(``bot/channels/rasa/``) and the Open311 API (``aduan/api/filing.py``) fill the same draft
with the same functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from complaints.model import Complainant, Complaint, Evidence, Place
from complaints.taxonomy import (
    Category,
    CategoryOrigin,
    Maladministration,
    PrivacyMode,
    ReportType,
    Weight,
)
from nlu import Parse

from .buttons import EditField
from .messages import IncomingMessage, Kind

PRECISE_LEVELS = frozenset({"kecamatan", "kelurahan", "desa"})  # a city or province alone says not where
MAX_PLACE_TRIES = 2  # after this many unknown places, the text is accepted as it is
MIN_DESCRIPTION_WORDS = 4
DONT_REMEMBER = re.compile(r"\b(lupa|tidak ingat|tdk ingat|gak ingat|ga ingat|nggak ingat|tidak tahu|gak tau|ga tau|entah)\b")


@dataclass(frozen=True)
class IntakeConfig:
    tz: ZoneInfo
    area_name: str | None = None  # e.g. "Kota Surabaya", to word "unknown place" replies


class Step(StrEnum):
    """The question the intake is waiting for an answer to."""

    DESCRIPTION = "description"
    PLACE = "place"
    DATE = "date"
    SERVICE = "service"
    PRIVACY = "privacy"
    NAME = "name"
    CONTACT = "contact"
    CONFIRM = "confirm"  # the summary: send (biasa, rahasia or anonim), change or cancel
    SIMILAR = "similar"  # before the summary: the same problem is already reported; support it or file anew
    SUPPORT_PRIVACY = "support_privacy"  # supporting a case: how the supporter's identity is kept
    EDIT = "edit"  # which part to change
    CANCEL_CONFIRM = "cancel_confirm"  # "batal" on a draft with content: really?
    SPLIT = "split"  # two problems in one message: two reports or one?
    OUTSIDE = "outside"  # the place lies outside the area: forward, SP4N-LAPOR! or another place


class NotRemembered(Enum):
    """The answer "I don't remember" to "when did it happen?": asked and answered, no date."""

    DATE = "unknown"


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OutsidePlace(_Part):
    """A place the citizen named that lies outside the deployment's region."""

    code: str
    name: str
    path: str
    regency: str  # "Kabupaten Sidoarjo"


class PlaceDraft(_Part):
    detail: str = ""  # street, RT/RW, landmark, as the citizen wrote it
    region_code: str | None = None  # the kelurahan/kecamatan found in the region list
    region_name: str | None = None
    latitude: float | None = None  # a shared location
    longitude: float | None = None
    accepted: bool = False  # not found after MAX_PLACE_TRIES: kept as written
    outside: OutsidePlace | None = None  # named, but outside the area: the citizen decides

    @property
    def done(self) -> bool:
        return bool(self.region_code or self.latitude is not None or self.accepted)


class EvidenceDraft(_Part):
    kind: str  # "photo" | "document"
    ref: str  # a path in the media store
    caption: str  # "" for none
    source: str  # the channel's own file id, "" for none


class Contributed(StrEnum):
    """What one message of the citizen gave the draft (see :class:`Source`)."""

    DESCRIPTION = "description"  # words of the description (the first message, an answer, a correction)
    PLACE = "place"  # the answer to "where?" (or a shared location); "" text: understood from the description
    DATE = "date"  # the answer to "when?"; "" text: understood from the description
    NAME = "name"
    CONTACT = "contact"
    EVIDENCE = "evidence"  # a file: ``text`` is its ref in the media store


class Source(_Part):
    """Which message (the channel's id, ``IncomingMessage.ref``) filled which part of the
    draft, so that an edit or a deletion of it changes that part (``bot/edits.py``)."""

    ref: str
    part: Contributed
    text: str = ""  # the words it added to the description, the answer as typed, or the file's ref


class Contact(_Part):
    """The answer to "which number may the unit call?"."""

    phone: str | None = None  # E.164; None: through this chat only


class Draft(_Part):
    description: str | None = None
    place: PlaceDraft = Field(default_factory=PlaceDraft)
    place_tries: int = 0  # unknown places given so far
    # None: not asked yet (read left to right: pydantic's "smart" union tries every member twice)
    event_date: date | NotRemembered | None = Field(default=None, union_mode="left_to_right")
    category: Category | None = None
    ranking: list[Category] = Field(default_factory=list)  # the NLU's likeliest categories, to offer
    category_origin: CategoryOrigin | None = None  # who chose ``category`` (None: not chosen yet)
    category_confidence: float | None = None  # the NLU's confidence in its best suggestion for the description
    agency: str | None = None
    report_type: ReportType | None = None
    weight: Weight | None = None
    maladministration: Maladministration | None = None
    privacy: PrivacyMode | None = None
    name: str | None = None
    title: str | None = None  # "Bu", "Pak": kept for the salutation, not part of the name
    name_from_profile: bool = False  # shown as such on the summary, to be confirmed
    contact: Contact | None = None  # None: not asked yet
    ongoing: bool = False  # "sudah 2 bulan tidak diangkut": the date is when it started
    sending: bool = False  # "Kirim" was pressed on the summary: file as soon as the name is given
    evidence: list[EvidenceDraft] = Field(default_factory=list)
    # before the summary: whether similar open cases were looked for, those offered, the one chosen
    similar_checked: bool = False
    similar: list[str] = Field(default_factory=list)
    similar_offer: str = ""  # the offer as worded when they were found (asked again as it was)
    supporting: str | None = None
    sources: list[Source] = Field(default_factory=list)  # the messages that filled it (none on the console)


SINGLE_PARTS = frozenset({Contributed.PLACE, Contributed.DATE, Contributed.NAME, Contributed.CONTACT})


def remember(draft: Draft, msg: IncomingMessage, part: Contributed, text: str = "") -> None:
    """Note that the citizen's message ``msg`` (typed or sent, with a channel id; not a
    button) filled ``part``; a new answer of a part that has one value replaces the old one's note."""
    if msg.ref is None or msg.kind is not Kind.MESSAGE or msg.button is not None:
        return
    if part in SINGLE_PARTS:
        draft.sources = [source for source in draft.sources if source.part is not part]
    draft.sources.append(Source(ref=msg.ref, part=part, text=text))


def remember_description(draft: Draft, msg: IncomingMessage, parse: Parse) -> None:
    """``msg`` described the problem (``parse`` is of its words): the description it gave,
    and the place and date understood from it, are its parts of the draft."""
    remember(draft, msg, Contributed.DESCRIPTION, draft.description or "")
    if draft.place.done and (parse.entity("place") is not None or parse.entity("place_detail") is not None):
        remember(draft, msg, Contributed.PLACE)
    if draft.event_date is not None and parse.entity("date") is not None:
        remember(draft, msg, Contributed.DATE)


# --- what is still missing ---------------------------------------------------------------

def next_missing(draft: Draft) -> Step | None:
    """The next question about the problem, in order; None when the summary can be shown.
    Who is reporting is settled on the summary (see :func:`identity_missing`)."""
    if not draft.description:
        return Step.DESCRIPTION
    if draft.report_type is ReportType.PERMINTAAN_INFORMASI:  # a question: no place or date to ask
        return None if draft.category or draft.agency else Step.SERVICE
    if draft.place.outside is not None:
        return Step.OUTSIDE
    if not draft.place.done:
        return Step.PLACE
    if draft.event_date is None:
        return Step.DATE
    if not draft.category and not draft.agency:
        return Step.SERVICE
    return None


def identity_missing(draft: Draft, phone_required: bool) -> Step | None:
    """What must still be asked before a report sent with ``draft.privacy`` can be filed:
    nothing for anonim; the name otherwise; the phone only where the organisation requires
    one and the channel did not give it."""
    if draft.privacy is PrivacyMode.ANONIM:
        return None
    if not draft.name:
        return Step.NAME
    if phone_required and (draft.contact is None or not draft.contact.phone):
        return Step.CONTACT
    return None


# --- filling the draft from what the NLU understood --------------------------------------

def absorb(draft: Draft, parse: Parse, config: IntakeConfig, *, describe: bool) -> None:
    """Fill empty draft fields from a parse of the citizen's words; never overwrite."""
    if describe and not draft.description:
        draft.description = parse.text.strip()
    if parse.category is not None and not draft.category and parse.category_certain:
        choose_category(draft, parse.category, CategoryOrigin.AUTOMATIC)
    if parse.category_ranking and not draft.ranking:
        draft.ranking = [category for category, _ in parse.category_ranking]
        if describe and draft.category_confidence is None:
            draft.category_confidence = parse.category_ranking[0][1]
    if draft.report_type is None:
        draft.report_type = parse.report_type
    if draft.weight is None:
        draft.weight = parse.weight
    if draft.maladministration is None and parse.maladministration is not None:
        draft.maladministration = parse.maladministration
    place = draft.place
    found = parse.entity("place")
    if found is not None and not place.region_code and isinstance(found.value, dict) and (
        found.value.get("level") in PRECISE_LEVELS
    ):
        place.region_code = str(found.value["code"])
        place.region_name = str(found.value.get("path") or found.value["name"])
    detail = parse.entity("place_detail")
    if detail is not None and not place.detail:
        place.detail = str(detail.value)
    when = parse.entity("date")
    if when is not None and draft.event_date is None and isinstance(when.value, date):
        draft.event_date = when.value
    if parse.entity("ongoing") is not None:
        draft.ongoing = True
    outside = parse.entity("place_outside")
    if outside is not None and not place.done and isinstance(outside.value, dict) and place.outside is None:
        place.outside = outside_place(outside.value)
    person = parse.entity("person")
    if person is not None and isinstance(person.value, dict) and person.value.get("name") and (
        not draft.name or draft.name_from_profile
    ):
        draft.name, draft.title = str(person.value["name"]), _opt(person.value.get("title"))
        draft.name_from_profile = False
    agency = parse.entity("agency")
    if agency is not None and not draft.agency:
        draft.agency = str(agency.value)
    phone = parse.entity("phone")
    if phone is not None and (draft.contact is None or not draft.contact.phone):
        draft.contact = Contact(phone=str(phone.value))


def _opt(value: object) -> str | None:
    return str(value) if value else None


def outside_place(value: dict[str, object]) -> OutsidePlace:
    return OutsidePlace(code=str(value.get("code", "")), name=str(value.get("name", "")),
                        path=str(value.get("path", "")), regency=str(value.get("regency") or value.get("name", "")))


def is_substantive(parse: Parse) -> bool:
    """Does this first message already describe a problem (not just "mau lapor")?"""
    return parse.category is not None or len(parse.text.split()) >= MIN_DESCRIPTION_WORDS


def share_context(draft: Draft, source: Draft) -> None:
    """One of several problems told together: where and when, when its own words do not
    say, are those of the whole message ("…, dua-duanya sejak minggu lalu")."""
    if not draft.place.done and draft.place.outside is None and source.place.done:
        draft.place = source.place.model_copy()
    if draft.event_date is None and source.event_date is not None:
        draft.event_date, draft.ongoing = source.event_date, source.ongoing


def clear_field(draft: Draft, part: EditField) -> None:
    """Forget one part of the draft (the citizen chose to change it on the summary)."""
    if part is EditField.DESCRIPTION:  # the new words are classified afresh
        draft.description = None
        draft.category = None
        draft.category_origin = None
        draft.category_confidence = None
        draft.ranking = []
        draft.agency = None
    elif part is EditField.PLACE:
        draft.place = PlaceDraft()
        draft.place_tries = 0
    elif part is EditField.DATE:
        draft.event_date = None
    elif part is EditField.SERVICE:
        draft.category = None
        draft.category_origin = None
        draft.agency = None
    elif part is EditField.IDENTITY:
        draft.privacy = None
        draft.name = None
        draft.title = None
        draft.name_from_profile = False
        draft.contact = None
    cleared = CLEARED_SOURCES.get(part, frozenset())
    draft.sources = [source for source in draft.sources if source.part not in cleared]
    if part is not EditField.DATE and part is not EditField.IDENTITY:  # the problem or place changed
        draft.similar_checked, draft.similar, draft.supporting = False, [], None


CLEARED_SOURCES = {
    EditField.DESCRIPTION: frozenset({Contributed.DESCRIPTION}), EditField.PLACE: frozenset({Contributed.PLACE}),
    EditField.DATE: frozenset({Contributed.DATE}),
    EditField.IDENTITY: frozenset({Contributed.NAME, Contributed.CONTACT}),
}


def choose_category(draft: Draft, category: Category, origin: CategoryOrigin) -> None:
    """The category, and who chose it: the NLU when sure (``AUTOMATIC``), else the citizen."""
    draft.category = category
    draft.category_origin = origin


def category_origin(draft: Draft) -> CategoryOrigin:
    """Who chose the category the draft is filed with: nobody when it has none (filed as
    lainnya); the citizen when a draft kept from before this was recorded has one."""
    if draft.category is None:
        return CategoryOrigin.UNKNOWN
    return draft.category_origin or CategoryOrigin.CITIZEN


def choose_privacy(draft: Draft, mode: PrivacyMode) -> None:
    draft.privacy = mode
    if mode is PrivacyMode.ANONIM:  # nothing identifying is kept, even what was given before
        draft.name = None
        draft.contact = None


# --- the result --------------------------------------------------------------------------

def to_complaint(draft: Draft, channel: str, sender: str, now: datetime) -> Complaint:
    """The complete draft as a Complaint ready to be filed (code and unit come later)."""
    place = draft.place
    privacy = draft.privacy or PrivacyMode.BIASA
    complainant = Complainant()
    if privacy is not PrivacyMode.ANONIM:
        complainant = Complainant(name=draft.name, phone=draft.contact.phone if draft.contact else None)
    return Complaint(
        code="",
        description=draft.description or "",
        channel=channel,
        sender=sender,
        created_at=now,
        category=draft.category or Category.LAINNYA,
        category_origin=category_origin(draft),
        category_confidence=draft.category_confidence,
        report_type=draft.report_type or ReportType.PENGADUAN,
        weight=draft.weight or Weight.SEDANG,
        maladministration=draft.maladministration,
        place=Place(
            detail=place.detail,
            region_code=place.region_code,
            region_name=place.region_name,
            latitude=place.latitude,
            longitude=place.longitude,
        ),
        event_date=draft.event_date if isinstance(draft.event_date, date) else None,
        ongoing=draft.ongoing,
        agency=draft.agency,
        evidence=[Evidence(e.kind, e.ref, e.caption, e.source) for e in draft.evidence],
        complainant=complainant,
        privacy=privacy,
    )

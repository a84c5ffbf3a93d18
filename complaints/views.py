"""The views of a complaint every surface renders (complaints.visibility decides what goes in
them for each reader): a case, its details, its history, its evidence, a person; the
audience a view was made for; the scope of a reader's inbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from .delivery import Undelivered
from .model import AuditKind
from .taxonomy import Category, CategoryOrigin, Maladministration, PrivacyMode, ReportType, Role, Status, Weight


class Audience(StrEnum):
    PUBLIC = "public"  # anyone; also staff of another unit, and a unit before disposition
    UNIT = "unit"  # the handling unit's staff after disposition; the central unit's staff
    ADMIN = "admin"  # the central admin (and the bot itself)
    OWNER = "owner"  # the complainant, in the chat they filed from
    # a citizen who supports the case (complaints.model.Supporter): what the public reads,
    # and the unit's notes and answers with every personal datum redacted
    SUPPORTER = "supporter"


# --- the views ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PersonView:
    name: str | None
    phone: str | None  # E.164
    email: str | None


@dataclass(frozen=True)
class EntryView:
    """An audit entry as one viewer may read it. The facts of the entry
    (complaints.model.Facts), laid flat, are for staff only: None (or empty) for the
    public and the complainant, whatever the entry recorded; but the complainant reads
    which unit their case was disposed (or re-routed) to, as they are told anyway. The
    note of a complainant's rating is their reason: staff read it (redacted as every
    text), the complainant too, the public never."""

    at: datetime
    action: AuditKind
    role: Role
    actor: str | None  # an officer id or "bot"; the complainant's chat never; None for the public
    from_status: Status | None
    to_status: Status | None
    note: str  # redacted for the viewer; "" when withheld
    level: int | None = None  # escalated: 1 reminder, 2 supervisor, 3 head
    # escalated: whose stage it was; didisposisikan: the unit disposed to; an entry that
    # started a stage (filing, disposing, reopening): whose stage it is
    unit_id: str | None = None
    from_unit_id: str | None = None  # didisposisikan to another unit (re-routing): the unit before
    due_at: datetime | None = None  # escalated: the deadline reminded of or missed; a stage start: its deadline
    officers: tuple[str, ...] = ()  # escalated: the officers told
    officer_id: str | None = None  # assigned: the officer who took (or was given) the case
    satisfied: bool | None = None  # the complainant's rating of the answer (a move out of selesai)
    skm_score: int | None = None  # rated: SKM 1-4


@dataclass(frozen=True)
class EvidenceView:
    kind: str
    ref: str
    caption: str


@dataclass(frozen=True)
class CaseDetails:
    """What the complainant, the handling unit and the admin read beyond the public view."""

    report_type: ReportType
    weight: Weight
    maladministration: Maladministration | None
    privacy: PrivacyMode
    channel: str
    place_detail: str
    region_code: str | None
    latitude: float | None
    longitude: float | None
    event_date: date | None
    agency: str | None
    complainant: PersonView | None  # None: withheld (rahasia for the unit) or never kept (anonim)
    evidence: tuple[EvidenceView, ...]
    assignee: str | None
    escalation_level: int
    next_escalation_at: datetime | None
    resolve_due_at: datetime | None
    paused_at: datetime | None
    reopen_count: int
    satisfied: bool | None
    skm_score: int | None
    rated_at: datetime | None
    category_origin: CategoryOrigin = CategoryOrigin.GIVEN  # who chose the category (the verifier checks an uncertain one)
    category_confidence: float | None = None  # the NLU's confidence in its best suggestion


@dataclass(frozen=True)
class CaseView:
    """A complaint as one viewer may see it."""

    audience: Audience
    code: str
    status: Status
    category: Category
    unit_id: str | None
    region_name: str | None
    created_at: datetime
    updated_at: datetime | None
    due_at: datetime | None
    late_filing: bool
    ongoing: bool  # the complainant said the problem is still going on
    description: str | None  # None: withheld from this viewer
    public_note: str | None  # the latest note an officer wrote for the complainant, redacted
    # (model.is_officer_note: never the complainant's reason for a rating, nor the bot's note)
    history: tuple[EntryView, ...]
    details: CaseDetails | None  # None for the public
    supporters: int = 0  # citizens who support the case besides its complainant
    # where the problem is (latitude, longitude): exact for staff, the complainant and the
    # integration that filed it; for the public rounded to about 100 m, and only on a biasa
    # complaint about a public place (visibility.PUBLIC_PLACES); None otherwise
    point: tuple[float, float] | None = None
    located: bool = False  # the complaint has a point, whether or not this viewer reads it
    resolve_due_at: datetime | None = None  # when the complaint is expected to be resolved
    # what an Open311 client sent with the request: the address of its picture (under the
    # point's rule) and its own id of the address (where the exact point is shown)
    media_url: str | None = None
    address_id: str | None = None
    # staff only: the complainant has not received the latest notice (complaints.delivery),
    # filled in by visibility.with_delivery where a surface looked it up
    undelivered: Undelivered | None = None

    @property
    def staff(self) -> bool:
        return self.audience in (Audience.UNIT, Audience.ADMIN)


@dataclass(frozen=True)
class Scope:
    """The complaints a viewer may see beyond the public view (their inbox), as a filter
    storage applies to its queries. Deny by default: the empty scope matches nothing."""

    everything: bool = False
    unit_id: str | None = None  # the complaints disposed to this unit
    owner: tuple[str, str] | None = None  # (channel, sender): the complainant's own

    @property
    def empty(self) -> bool:
        return not self.everything and self.unit_id is None and self.owner is None


@dataclass(frozen=True)
class TextSearch:
    """Which complaints a viewer may find by the words of their description, so that a
    search never confirms what the viewer's view redacts (a name, a phone, a NIK): any
    word in ``modes``, and only words without digits in ``letter_modes`` (where numbers
    such as NIK are masked). A complaint of another mode is found by its code only."""

    modes: frozenset[PrivacyMode] = frozenset()
    letter_modes: frozenset[PrivacyMode] = frozenset()

"""Who may see what of a complaint: one policy, and the views every surface renders.

A viewer is an :class:`~complaints.model.Actor`: the public (``PUBLIC``), a complainant in
their own chat, an officer, supervisor or head with their unit, the admin. For a viewer
and a complaint the policy decides an :class:`Audience`, and the audience and the
complaint's privacy mode decide what the viewer reads:

- **biasa**: the handling unit (after disposition) sees the complainant's name and
  contact; NIK numbers are masked for everyone but the admin, also inside the texts.
- **rahasia**: name, phone, NIK, e-mail and any other identifying number are visible only
  to the admin and the complainant, inside the complaint text, notes and captions too.
- **anonim**: nothing identifying is kept but the chat needed to answer; never shown.
- **the public** never sees identities; rahasia and anonim complaints without any text
  (category, status, area and dates only); every text of a biasa complaint redacted; never
  what the complainant wrote into the trail (a rating's reason).
- **before disposition** a unit's staff can neither see nor act on a case, even when it
  was suggested for their unit: verifying and disposing are the central admin's.

Chat replies, officer notices, the command line, the REST API, Open311, exports and the
web pages all render a :class:`CaseView`, never a raw Complaint. Deny by default: a
viewer this module does not recognise reads the public view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from .errors import NotAuthorised
from .model import (
    Actor,
    Assignment,
    AuditEntry,
    AuditKind,
    Complaint,
    Disposition,
    Escalation,
    Rating,
    Score,
    is_officer_note,
)
from .notifications import Notification
from .redaction import EVERYTHING, PersonalData, redact
from .taxonomy import Category, CategoryOrigin, Maladministration, PrivacyMode, ReportType, Role, Status, Weight

PUBLIC = Actor("publik", Role.PUBLIC)
COMPLAINANT_ADDRESS = "pelapor"  # how a message to the complainant is addressed for others
UNIT_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.HEAD})


class Audience(StrEnum):
    PUBLIC = "public"  # anyone; also staff of another unit, and a unit before disposition
    UNIT = "unit"  # the handling unit's staff after disposition; the central unit's staff
    ADMIN = "admin"  # the central admin (and the bot itself)
    OWNER = "owner"  # the complainant, in the chat they filed from


B, R, A = PrivacyMode.BIASA, PrivacyMode.RAHASIA, PrivacyMode.ANONIM
NOTHING: frozenset[PersonalData] = frozenset()
NIK_ONLY = frozenset({PersonalData.NIK})

# What is redacted from every text a viewer reads (the complaint, notes, answers,
# captions, the address); None: the texts are withheld altogether.
TEXT_REDACTION: dict[tuple[Audience, PrivacyMode], frozenset[PersonalData] | None] = {
    (Audience.OWNER, B): NOTHING, (Audience.OWNER, R): NOTHING, (Audience.OWNER, A): NOTHING,
    (Audience.ADMIN, B): NOTHING, (Audience.ADMIN, R): NOTHING, (Audience.ADMIN, A): EVERYTHING,
    (Audience.UNIT, B): NIK_ONLY, (Audience.UNIT, R): EVERYTHING, (Audience.UNIT, A): EVERYTHING,
    (Audience.PUBLIC, B): EVERYTHING, (Audience.PUBLIC, R): None, (Audience.PUBLIC, A): None,
}
# Who reads the complainant's name, phone and e-mail.
IDENTITY_SHOWN: frozenset[tuple[Audience, PrivacyMode]] = frozenset(
    {(Audience.OWNER, B), (Audience.OWNER, R), (Audience.ADMIN, B), (Audience.ADMIN, R), (Audience.UNIT, B)}
)
# The audit entries the public and the complainant read (staff read the whole trail, with
# the facts of each entry: levels, units, deadlines, the officers told, ratings).
PUBLIC_ACTIONS: frozenset[AuditKind] = frozenset({AuditKind.CREATED, AuditKind.STATUS})


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


# --- the policy ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Visibility:
    central_unit: str  # the organisation's default unit: its admin verifies and disposes

    def audience(self, viewer: Actor, complaint: Complaint) -> Audience:
        if viewer.role in (Role.ADMIN, Role.SYSTEM):
            return Audience.ADMIN
        if viewer.role is Role.COMPLAINANT:
            return Audience.OWNER if viewer.id == complaint.owner else Audience.PUBLIC
        if viewer.role in UNIT_ROLES:
            if viewer.unit_id == self.central_unit:
                return Audience.UNIT  # the central unit's supervisors and head oversee every case
            if viewer.unit_id is not None and viewer.unit_id == complaint.unit_id and complaint.disposed:
                return Audience.UNIT
        return Audience.PUBLIC

    def scope(self, viewer: Actor) -> Scope:
        """The query form of :meth:`audience`: the complaints whose audience is not public."""
        if viewer.role in (Role.ADMIN, Role.SYSTEM):
            return Scope(everything=True)
        if viewer.role is Role.COMPLAINANT:
            channel, _, sender = viewer.id.partition(":")
            return Scope(owner=(channel, sender)) if sender else Scope()
        if viewer.role in UNIT_ROLES and viewer.unit_id is not None:
            if viewer.unit_id == self.central_unit:
                return Scope(everything=True)
            return Scope(unit_id=viewer.unit_id)
        return Scope()

    def authorise(self, actor: Actor, complaint: Complaint) -> None:
        """May ``actor`` act on this case at all (the workflow table then says which moves)?
        The admin and the bot everywhere; the complainant on their own; a unit's staff once
        the case is disposed to their unit."""
        if actor.role in (Role.ADMIN, Role.SYSTEM):
            return
        if actor.role is Role.COMPLAINANT and actor.id == complaint.owner:
            return
        if actor.role in UNIT_ROLES and actor.unit_id is not None and actor.unit_id == complaint.unit_id:
            if complaint.disposed:
                return
            raise NotAuthorised("not_disposed", actor=actor.id, role=actor.role, code=complaint.code)
        raise NotAuthorised(actor=actor.id, role=actor.role, code=complaint.code)

    def require_staff_view(self, viewer: Actor, complaint: Complaint) -> CaseView:
        """The view for an officer's surface that shows a whole case (``/lihat``, ``aduan
        case show``): refused, as acting would be, when the viewer would read only the
        public view."""
        found = self.view(viewer, complaint)
        if found.staff:
            return found
        if viewer.role in UNIT_ROLES and viewer.unit_id == complaint.unit_id and not complaint.disposed:
            raise NotAuthorised("not_disposed", actor=viewer.id, role=viewer.role, code=complaint.code)
        raise NotAuthorised(actor=viewer.id, role=viewer.role, code=complaint.code)

    def recipient_for(self, viewer: Actor, complaint: Complaint, notice: Notification) -> str:
        """The address of a queued message as ``viewer`` may read it: the complainant's chat
        (on WhatsApp, their phone number) only for the admin and the complainant."""
        to_complainant = (notice.channel, notice.recipient) == (complaint.channel, complaint.sender)
        if to_complainant and self.audience(viewer, complaint) not in (Audience.ADMIN, Audience.OWNER):
            return COMPLAINANT_ADDRESS
        return notice.recipient

    def redactor(self, viewer: Actor, complaint: Complaint) -> Callable[[str], str] | None:
        """How texts of this complaint read for ``viewer``; None: withheld."""
        return self._redactor(self.audience(viewer, complaint), complaint)

    def text_for(self, viewer: Actor, complaint: Complaint, text: str) -> str | None:
        """One text of this complaint (e.g. the complainant's answer relayed to officers)."""
        redactor = self.redactor(viewer, complaint)
        return None if redactor is None else redactor(text)

    @staticmethod
    def _redactor(audience: Audience, complaint: Complaint) -> Callable[[str], str] | None:
        kinds = TEXT_REDACTION[(audience, complaint.privacy)]
        if kinds is None:
            return None
        if not kinds:
            return _as_is
        names = tuple(name for name in (complaint.complainant.name,) if name)
        return lambda text: redact(text, kinds, names=names)

    def view(self, viewer: Actor, complaint: Complaint) -> CaseView:
        audience = self.audience(viewer, complaint)
        return build_view(audience, complaint, self._redactor(audience, complaint), self.central_unit)


def _as_is(text: str) -> str:
    return text


def entry_view(e: AuditEntry, audience: Audience, note: str, central_unit: str) -> EntryView:
    """One audit entry for ``audience``, its note already redacted for the viewer."""
    actor = None
    if audience is not Audience.PUBLIC:
        actor = COMPLAINANT_ADDRESS if e.role is Role.COMPLAINANT else e.actor
    if audience is Audience.PUBLIC and e.role is Role.COMPLAINANT:
        note = ""  # what the complainant wrote (a rating's reason) is never public
    plain = EntryView(e.at, e.action, e.role, actor, e.from_status, e.to_status, note)
    if audience is Audience.OWNER and isinstance(e.facts, Disposition):
        return replace(plain, unit_id=e.facts.unit_id, from_unit_id=e.facts.from_unit_id)
    if audience not in (Audience.UNIT, Audience.ADMIN):
        return plain
    if e.deadline is not None:  # the stage the entry started (beside a disposition or rating)
        plain = replace(plain, unit_id=e.deadline.unit_id, due_at=e.deadline.due_at)
    facts = e.facts
    if isinstance(facts, Escalation):
        return replace(plain, level=facts.level, unit_id=facts.unit_id or central_unit, due_at=facts.due_at,
                       officers=facts.officers)
    if isinstance(facts, Disposition):
        return replace(plain, unit_id=facts.unit_id, from_unit_id=facts.from_unit_id)
    if isinstance(facts, Assignment):
        return replace(plain, officer_id=facts.officer_id)
    if isinstance(facts, Rating):
        return replace(plain, satisfied=facts.satisfied)
    if isinstance(facts, Score):
        return replace(plain, skm_score=facts.skm)
    return plain


def build_view(
    audience: Audience, complaint: Complaint, redactor: Callable[[str], str] | None, central_unit: str
) -> CaseView:
    c = complaint
    staff = audience in (Audience.UNIT, Audience.ADMIN)

    def text(value: str) -> str:
        return "" if redactor is None else redactor(value)

    history = tuple(entry_view(e, audience, text(e.note) if e.note else "", central_unit)
                    for e in c.audit if staff or e.action in PUBLIC_ACTIONS)
    notes = [e.note for e in c.audit if is_officer_note(e)]
    public_note = text(notes[-1]) if notes and redactor is not None else None
    details = None
    if audience is not Audience.PUBLIC:
        person = c.complainant
        shown = (audience, c.privacy) in IDENTITY_SHOWN and any((person.name, person.phone, person.email))
        details = CaseDetails(
            report_type=c.report_type,
            weight=c.weight,
            maladministration=c.maladministration,
            privacy=c.privacy,
            channel=c.channel,
            place_detail=text(c.place.detail),
            region_code=c.place.region_code,
            latitude=c.place.latitude,
            longitude=c.place.longitude,
            event_date=c.event_date,
            agency=text(c.agency) if c.agency else None,
            complainant=PersonView(person.name, person.phone, person.email) if shown else None,
            evidence=tuple(EvidenceView(e.kind, e.ref, text(e.caption)) for e in c.evidence),
            assignee=c.assignee if staff else None,
            escalation_level=c.escalation_level,
            next_escalation_at=c.next_escalation_at,
            resolve_due_at=c.resolve_due_at,
            paused_at=c.paused_at,
            reopen_count=c.reopen_count,
            satisfied=c.satisfied,
            skm_score=c.skm_score,
            rated_at=c.rated_at,
            category_origin=c.category_origin,
            category_confidence=c.category_confidence,
        )
    return CaseView(
        audience=audience,
        code=c.code,
        status=c.status,
        category=c.category,
        unit_id=c.unit_id,
        region_name=c.place.region_name,
        created_at=c.created_at,
        updated_at=c.updated_at,
        due_at=c.due_at,
        late_filing=c.late_filing,
        ongoing=c.ongoing,
        description=None if redactor is None else redactor(c.description),
        public_note=public_note or None,
        history=history,
        details=details,
    )

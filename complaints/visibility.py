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
  (category, status, area and dates only); every text of a biasa complaint redacted, the
  unit's notes too, of the case's known identity in any writing (the complainant's name and
  each word of it, their phone, e-mail) and of any NIK, phone or e-mail; never what the
  complainant wrote into the trail (a rating's reason).
- **where the problem is**: staff and the complainant read the exact point; the public
  only that of a biasa complaint about a public place (PUBLIC_PLACES: roads, drains,
  lights, traffic, rubbish, the environment, public order), rounded to about 100 m so no
  home is pinpointed; none of a rahasia or anonim complaint, nor of one about a person's
  own affairs (adminduk, sosial, kesehatan, ...). An integration that filed the complaint
  (an Open311 key) reads back the exact point and what else it sent about the place.
- **a supporter** (a citizen who supports the case, complaints.model.Supporter) reads what
  the public reads, and the unit's notes and answers with every personal datum redacted;
  what a supporter wrote is read under the supporter's own privacy choice.
- **before disposition** a unit's staff can neither see nor act on a case, even when it
  was suggested for their unit: verifying and disposing are the central admin's.

Chat replies, officer notices, the command line, the REST API, Open311, exports and the
web pages all render a :class:`CaseView`, never a raw Complaint. Deny by default: a
viewer this module does not recognise reads the public view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .delivery import Undelivered
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
    Support,
    Supporter,
    is_officer_note,
)
from .notifications import Notification
from .phones import number_of_chat
from .redaction import EVERYTHING, PersonalData, redact
from .views import (
    Audience,
    CaseDetails,
    CaseView,
    EntryView,
    EvidenceView,
    PersonView,
    Scope,
    TextSearch,
)

__all__ = ["Audience", "CaseDetails", "CaseView", "EntryView", "EvidenceView", "PersonView", "Scope", "Visibility"]
from .taxonomy import Category, PrivacyMode, Role

PUBLIC = Actor("publik", Role.PUBLIC)
COMPLAINANT_ADDRESS = "pelapor"  # how a message to the complainant is addressed for others
UNIT_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.HEAD})


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
    (Audience.SUPPORTER, B): EVERYTHING, (Audience.SUPPORTER, R): EVERYTHING, (Audience.SUPPORTER, A): EVERYTHING,
}
# Whose description is withheld although its other texts are not: a supporter reads the
# unit's answers to a rahasia or anonim case, never what its complainant wrote.
DESCRIPTION_WITHHELD: frozenset[tuple[Audience, PrivacyMode]] = frozenset({(Audience.SUPPORTER, R), (Audience.SUPPORTER, A)})
# Who reads the complainant's name, phone and e-mail.
IDENTITY_SHOWN: frozenset[tuple[Audience, PrivacyMode]] = frozenset(
    {(Audience.OWNER, B), (Audience.OWNER, R), (Audience.ADMIN, B), (Audience.ADMIN, R), (Audience.UNIT, B)}
)
# The audit entries the public and the complainant read (staff read the whole trail, with
# the facts of each entry: levels, units, deadlines, the officers told, ratings).
PUBLIC_ACTIONS: frozenset[AuditKind] = frozenset({AuditKind.CREATED, AuditKind.STATUS})
# The complaints about public places, whose point (and picture) the public reads when they
# were filed openly (biasa); the others are about a person's own affairs or premises.
PUBLIC_PLACES: frozenset[Category] = frozenset({
    Category.JALAN, Category.DRAINASE, Category.PENERANGAN, Category.LALU_LINTAS, Category.SAMPAH,
    Category.LINGKUNGAN, Category.KETERTIBAN,
})
# Decimals of the public point: 0.001 degree is about 111 m of latitude, and as much of
# longitude near the equator (at least 109 m anywhere in Indonesia): about 100 m.
PUBLIC_POINT_DECIMALS = 3
# Who reads the exact point, the picture and the address id sent with the complaint.
EXACT_PLACE: frozenset[Audience] = frozenset({Audience.OWNER, Audience.UNIT, Audience.ADMIN})


# --- the policy ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Visibility:
    central_unit: str  # the organisation's default unit: its admin verifies and disposes

    def audience(self, viewer: Actor, complaint: Complaint) -> Audience:
        if viewer.role in (Role.ADMIN, Role.SYSTEM):
            return Audience.ADMIN
        if viewer.role is Role.COMPLAINANT:
            if viewer.id == complaint.owner:
                return Audience.OWNER
            return Audience.SUPPORTER if complaint.supporter(viewer.id) is not None else Audience.PUBLIC
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

    def text_search(self, viewer: Actor) -> TextSearch:
        """What of the viewer's scope a word search may look into (views.TextSearch): the
        privacy modes whose texts this viewer's staff view redacts nothing of, and those
        where only numbers (NIK) are masked. Read from TEXT_REDACTION, like the views."""
        if viewer.role in (Role.ADMIN, Role.SYSTEM):
            audience = Audience.ADMIN
        elif viewer.role in UNIT_ROLES and not self.scope(viewer).empty:
            audience = Audience.UNIT
        else:
            return TextSearch()
        rules = {mode: TEXT_REDACTION[(audience, mode)] for mode in PrivacyMode}
        return TextSearch(frozenset(m for m, rule in rules.items() if rule == NOTHING),
                          frozenset(m for m, rule in rules.items() if rule == NIK_ONLY))

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

    def supporter_words(self, viewer: Actor, complaint: Complaint, supporter: Supporter, text: str) -> str | None:
        """What a supporter wrote into the case, as ``viewer`` may read it: under the
        supporter's own privacy choice, not the complainant's."""
        redactor = _words_redactor(self.audience(viewer, complaint), supporter)
        return None if redactor is None else redactor(text)

    def text_for(self, viewer: Actor, complaint: Complaint, text: str) -> str | None:
        """One text of this complaint (e.g. the complainant's answer relayed to officers)."""
        redactor = self.redactor(viewer, complaint)
        return None if redactor is None else redactor(text)

    @staticmethod
    def _redactor(audience: Audience, complaint: Complaint) -> Callable[[str], str] | None:
        person = complaint.complainant
        return _redaction(audience, complaint.privacy, person.name, known_phones(complaint), person.email)

    def view(self, viewer: Actor, complaint: Complaint, *, filer: str | None = None) -> CaseView:
        """The complaint as ``viewer`` reads it. ``filer``: the chat (``channel:sender``) an
        integration files from (an Open311 key): reading a complaint filed from it, it reads
        back the exact point, picture and address id it sent, nothing else beyond its view."""
        audience = self.audience(viewer, complaint)
        found = build_view(audience, complaint, self._redactor(audience, complaint), self.central_unit)
        if filer is not None and filer == complaint.owner and audience not in EXACT_PLACE:
            return replace(found, point=exact_point(complaint), media_url=complaint.media_url,
                           address_id=complaint.address_id)
        return found


def with_delivery(view: CaseView, fact: Undelivered | None) -> CaseView:
    """The view with the fact that the complainant has not received the latest notice
    (complaints.usecases.delivery.undelivered): for staff only."""
    return replace(view, undelivered=fact) if view.staff and fact is not None else view


def _as_is(text: str) -> str:
    return text


def _redaction(
    audience: Audience, mode: PrivacyMode, name: str | None, phones: tuple[str, ...] = (), email: str | None = None
) -> Callable[[str], str] | None:
    """How the texts of a person who chose ``mode`` read for ``audience``; None: withheld.
    ``name``, ``phones``, ``email``: the person's known identity, redacted in any writing."""
    kinds = TEXT_REDACTION[(audience, mode)]
    if kinds is None:
        return None
    if not kinds:
        return _as_is
    names = (name,) if name else ()
    emails = (email,) if email else ()
    return lambda text: redact(text, kinds, names=names, phones=phones, emails=emails)


def known_phones(complaint: Complaint) -> tuple[str, ...]:
    """The complainant's numbers the case knows: the one they gave, and their chat when it
    is a number (a WhatsApp chat is the phone number)."""
    numbers = (complaint.complainant.phone, number_of_chat(complaint.sender))
    return tuple(number for number in numbers if number)


def exact_point(complaint: Complaint) -> tuple[float, float] | None:
    place = complaint.place
    return None if place.latitude is None or place.longitude is None else (place.latitude, place.longitude)


def published(complaint: Complaint) -> bool:
    """Whether the public reads where the problem is (rounded) and the picture sent with it:
    a biasa complaint about a public place."""
    return complaint.privacy is PrivacyMode.BIASA and complaint.category in PUBLIC_PLACES


def point_for(audience: Audience, complaint: Complaint) -> tuple[float, float] | None:
    """The point of the problem as ``audience`` reads it (see the module's docstring)."""
    point = exact_point(complaint)
    if point is None or audience in EXACT_PLACE:
        return point
    if not published(complaint):
        return None
    latitude, longitude = (round(value, PUBLIC_POINT_DECIMALS) + 0.0 for value in point)  # + 0.0: no -0.0
    return latitude, longitude


def _words_redactor(audience: Audience, supporter: Supporter | None) -> Callable[[str], str] | None:
    """How a supporter's words read for ``audience``: under the supporter's own privacy
    mode; withheld (None) from the public and from other supporters."""
    if supporter is None or audience in (Audience.PUBLIC, Audience.SUPPORTER):
        return None
    return _redaction(audience, supporter.privacy, supporter.name, (supporter.phone,) if supporter.phone else ())


def entry_view(e: AuditEntry, audience: Audience, note: str, central_unit: str) -> EntryView:
    """One audit entry for ``audience``, its note already redacted for the viewer."""
    actor = None
    outsider = audience in (Audience.PUBLIC, Audience.SUPPORTER)
    if not outsider:
        actor = COMPLAINANT_ADDRESS if e.role is Role.COMPLAINANT else e.actor
    if outsider and e.role is Role.COMPLAINANT:
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

    def note_of(e: AuditEntry) -> str:
        if not e.note:
            return ""
        if isinstance(e.facts, Support):  # a supporter's words: under their own privacy choice
            words = _words_redactor(audience, c.supporter(e.facts.supporter))
            return "" if words is None else words(e.note)
        return text(e.note)

    history = tuple(entry_view(e, audience, note_of(e), central_unit)
                    for e in c.audit if staff or e.action in PUBLIC_ACTIONS)
    notes = [e.note for e in c.audit if is_officer_note(e)]
    public_note = text(notes[-1]) if notes and redactor is not None else None
    details = None
    if audience not in (Audience.PUBLIC, Audience.SUPPORTER):
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
        description=None if redactor is None or (audience, c.privacy) in DESCRIPTION_WITHHELD else redactor(c.description),
        public_note=public_note or None,
        history=history,
        details=details,
        supporters=len(c.supporters),
        point=point_for(audience, c),
        located=exact_point(c) is not None,
        resolve_due_at=c.resolve_due_at,
        media_url=c.media_url if audience in EXACT_PLACE or published(c) else None,
        address_id=c.address_id if audience in EXACT_PLACE else None,
    )

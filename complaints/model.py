"""The Complaint and what it is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from . import workflow
from .taxonomy import Category, CategoryOrigin, Maladministration, PrivacyMode, ReportType, Role, Status, Weight


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the bot, the complainant, or an officer with a role and unit."""

    id: str
    role: Role
    unit_id: str | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls("bot", Role.SYSTEM)


@dataclass
class Place:
    detail: str = ""  # street, RT/RW, landmark, as the citizen wrote it
    region_code: str | None = None  # Kemendagri code (kelurahan/desa, kecamatan, ...)
    region_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class Complainant:
    name: str | None = None
    phone: str | None = None  # E.164
    email: str | None = None


@dataclass
class Evidence:
    kind: str  # "photo" | "document"
    ref: str  # a path in the media store (or, before download, the channel's file id)
    caption: str = ""
    source: str = ""  # the channel's own file id, e.g. "telegram:AgACAgIAAxk..."


class AuditKind(StrEnum):
    """What an audit entry records. The values are the strings stored since 0001."""

    CREATED = "created"  # filed
    STATUS = "status"  # a move along the workflow; facts: Disposition or Rating, when it is one
    NOTE = "note"  # a note without a move
    ASSIGNED = "assigned"  # facts: Assignment
    INFO = "info"  # the complainant answered the unit's question; the note is the answer
    ESCALATED = "escalated"  # facts: Escalation
    RATED = "rated"  # the SKM score; facts: Score
    SUPPORT = "support"  # a citizen joined, left or rated the case as a supporter; facts: Support
    # a merge undone: the duplicate goes back to the status it had (from ditolak); facts: the
    # Rejection undone
    UNMERGED = "unmerged"


# --- the facts of an entry: one frozen dataclass per kind of fact --------------------------------

@dataclass(frozen=True)
class Escalation:
    """A stage's deadline came near or passed, and the level's people were told."""

    level: int  # complaints.escalation.Level: 1 reminder, 2 supervisor, 3 head (0: unknown, pre-0006)
    # whose stage it was; None only on entries from before migration 0006 about the central
    # admin's stage (the database does not know which unit is central): read as the central unit
    unit_id: str | None
    due_at: datetime | None  # the stage deadline reminded of or missed; None on entries from before 0006
    officers: tuple[str, ...] = ()  # the officer ids told (staff only)

    def __post_init__(self) -> None:
        if self.level < 0:
            raise ValueError(f"escalation level {self.level}")


@dataclass(frozen=True)
class Assignment:
    """An officer took the case, or was given it."""

    officer_id: str


@dataclass(frozen=True)
class Disposition:
    """The admin disposed the case to a unit (a move to ``didisposisikan``)."""

    unit_id: str  # the unit disposed to
    from_unit_id: str | None = None  # set when that changed the unit (re-routing): the unit before

    @property
    def rerouted(self) -> bool:
        return self.from_unit_id is not None


@dataclass(frozen=True)
class Rating:
    """The complainant's verdict on the answer (a move out of ``selesai``)."""

    satisfied: bool  # puas / tidak puas


@dataclass(frozen=True)
class Score:
    """The complainant's SKM score of the answer."""

    skm: int  # 1-4

    def __post_init__(self) -> None:
        if self.skm not in range(1, 5):
            raise ValueError(f"SKM scores are 1-4, got {self.skm}")


class RejectionReason(StrEnum):
    """The reasons for a rejection the figures tell apart (the note says it in words)."""

    DUPLICATE = "duplicate"  # merged into another case: Rejection.duplicate_of
    SPAM = "spam"  # a prank, spam or abuse: out of the unit's deadline figures, in the recap with its reason


@dataclass(frozen=True)
class Rejection:
    """Why the admin rejected the case (a move to ``ditolak``), when it is one of the
    reasons the figures tell apart."""

    reason: RejectionReason
    duplicate_of: str | None = None  # DUPLICATE: the code of the case kept

    def __post_init__(self) -> None:
        if (self.reason is RejectionReason.DUPLICATE) != (self.duplicate_of is not None):
            raise ValueError(f"a {self.reason} rejection with duplicate_of={self.duplicate_of!r}")


class SupportChange(StrEnum):
    JOINED = "joined"  # the citizen chose to support the case instead of filing a new one
    MERGED = "merged"  # the complainant of a duplicate merged into the case
    LEFT = "left"  # the merge was undone: the duplicate's complainant no longer supports the case
    RATED = "rated"  # the supporter rated the answer (puas / tidak puas): Support.satisfied
    ADDED = "added"  # the supporter added information or files to the case (the entry's note)


@dataclass(frozen=True)
class Support:
    """A citizen's support of the case changed."""

    change: SupportChange
    supporter: str  # their chat, "channel:sender" (as Complaint.owner)
    merged_from: str | None = None  # MERGED, LEFT: the duplicate's code
    satisfied: bool | None = None  # RATED: their verdict

    def __post_init__(self) -> None:
        if (self.change is SupportChange.RATED) != (self.satisfied is not None):
            raise ValueError(f"a {self.change} support with satisfied={self.satisfied!r}")
        if (self.change in (SupportChange.MERGED, SupportChange.LEFT)) != (self.merged_from is not None):
            raise ValueError(f"a {self.change} support with merged_from={self.merged_from!r}")


Facts = Escalation | Assignment | Disposition | Rating | Score | Rejection | Support


@dataclass(frozen=True)
class Deadline:
    """The stage an entry started, as the use case computed it then: whose stage it is and
    when it is due. Filing starts the central unit's verification; a move into
    ``workflow.FOLLOW_UP_STARTS`` (disposing, reopening) the unit's first follow-up. Kept
    beside the entry's facts (a reopening by the complainant is also a Rating); None on
    entries from before it was recorded."""

    unit_id: str
    due_at: datetime


def facts_fit(
    kind: AuditKind, facts: Facts | None, from_status: Status | None, to_status: Status | None,
    deadline: Deadline | None = None,
) -> bool:
    """Which facts each kind of entry carries: the one table of it. A stage deadline only
    on the entries that start a stage (optional: older ones lack it); on a disposition it
    is the unit disposed to's stage."""
    if deadline is not None:
        starts = kind is AuditKind.CREATED or (kind is AuditKind.STATUS and to_status in workflow.FOLLOW_UP_STARTS)
        if not starts or (isinstance(facts, Disposition) and facts.unit_id != deadline.unit_id):
            return False
    if kind is AuditKind.ESCALATED:
        return isinstance(facts, Escalation)
    if kind is AuditKind.ASSIGNED:
        return isinstance(facts, Assignment)
    if kind is AuditKind.RATED:
        return isinstance(facts, Score)
    if kind is AuditKind.SUPPORT:
        return isinstance(facts, Support)
    if kind is AuditKind.UNMERGED:
        return (isinstance(facts, Rejection) and facts.reason is RejectionReason.DUPLICATE
                and from_status is Status.DITOLAK and to_status is not None)
    if kind is AuditKind.STATUS:  # a disposition before 0006 may lack its facts (see storage 0006)
        return (facts is None
                or (isinstance(facts, Disposition) and to_status is Status.DIDISPOSISIKAN)
                or (isinstance(facts, Rejection) and to_status is Status.DITOLAK)
                or (isinstance(facts, Rating) and from_status is Status.SELESAI))
    return facts is None


@dataclass(frozen=True)
class AuditEntry:
    """One line of a complaint's audit trail: who did what when, the facts of it, and the
    note a person wrote (an officer's note, the complainant's answer, a reason); facts
    are never written into the note."""

    at: datetime
    actor: str
    role: Role
    action: AuditKind
    from_status: Status | None
    to_status: Status | None
    note: str = ""
    facts: Facts | None = None
    deadline: Deadline | None = None  # the deadline of the stage this entry started

    def __post_init__(self) -> None:
        if not isinstance(self.action, AuditKind):  # a stored string: refused unless it is a kind
            object.__setattr__(self, "action", AuditKind(self.action))
        if not facts_fit(self.action, self.facts, self.from_status, self.to_status, self.deadline):
            raise ValueError(f"an audit entry {self.action!r} ({self.from_status} -> {self.to_status}) "
                             f"cannot carry {self.facts!r} with {self.deadline!r}")


STAFF_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.HEAD, Role.ADMIN})


def is_officer_note(entry: AuditEntry) -> bool:
    """Whether ``entry`` is a status change with a note a member of staff wrote for the
    complainant (an answer, a question, a reason), not the complainant's nor the bot's."""
    return entry.action is AuditKind.STATUS and bool(entry.note) and entry.role in STAFF_ROLES


def is_rating(entry: AuditEntry) -> bool:
    """Whether ``entry`` is the complainant's rating of an answer (puas / tidak puas); its
    note is the reason they gave, if any."""
    return isinstance(entry.facts, Rating) and entry.role is Role.COMPLAINANT


@dataclass
class Supporter:
    """A citizen who waits on the case too: they chose "Dukung laporan ini" instead of filing
    the same problem again, or their own report was merged into it. They are told of every
    status change, may add information and rate the answer; the case stays the complainant's.
    Their name and phone are kept as their own privacy choice allows (none when anonim)."""

    channel: str
    sender: str
    privacy: PrivacyMode
    joined_at: datetime
    name: str | None = None
    phone: str | None = None  # E.164
    merged_from: str | None = None  # the duplicate's code, when a merge brought them
    satisfied: bool | None = None  # their verdict on the answer
    rated_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.privacy is PrivacyMode.ANONIM:
            self.name = self.phone = None

    @property
    def id(self) -> str:
        """Their chat as an actor id (as ``Complaint.owner``)."""
        return f"{self.channel}:{self.sender}"


@dataclass
class Complaint:
    code: str
    description: str
    channel: str
    sender: str
    created_at: datetime
    category: Category = Category.LAINNYA
    # who chose the category, and the NLU's confidence in its own best suggestion for the
    # description (None when the NLU was not asked: API, Open311, command line)
    category_origin: CategoryOrigin = CategoryOrigin.GIVEN
    category_confidence: float | None = None
    report_type: ReportType = ReportType.PENGADUAN
    weight: Weight = Weight.SEDANG
    maladministration: Maladministration | None = None
    place: Place = field(default_factory=Place)
    event_date: date | None = None
    agency: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    # what an Open311 client sent with the request: the address of its picture (shown as
    # given, never fetched by the server) and its own id of the address
    media_url: str | None = None
    address_id: str | None = None
    complainant: Complainant = field(default_factory=Complainant)
    privacy: PrivacyMode = PrivacyMode.BIASA
    status: Status = Status.DITERIMA
    unit_id: str | None = None
    due_at: datetime | None = None  # deadline of the current stage
    resolve_due_at: datetime | None = None  # overall resolution target
    late_filing: bool = False  # filed more than 30 days after the event (UU 25/2009); never when ongoing
    # the complainant said the problem is still going on ("sudah 2 bulan tidak diangkut"):
    # the 30-day rule is about events, so an ongoing problem is never a late filing
    ongoing: bool = False
    updated_at: datetime | None = None
    assignee: str | None = None  # the officer who took the case
    # escalation of the current stage: the last level sent, and when the next one is due
    escalation_level: int = 0
    next_escalation_at: datetime | None = None
    # the deadline clock pauses while the unit waits for the complainant (menunggu_informasi)
    paused_at: datetime | None = None
    reopen_count: int = 0
    satisfied: bool | None = None
    skm_score: int | None = None  # SKM scale 1-4 on the answer
    rated_at: datetime | None = None
    audit: list[AuditEntry] = field(default_factory=list)
    supporters: list[Supporter] = field(default_factory=list)  # in the order they joined
    id: int | None = None

    def record(self, entry: AuditEntry) -> AuditEntry:
        """Append to the audit trail; the trail is never rewritten."""
        self.audit.append(entry)
        self.updated_at = entry.at
        return entry

    def move_to(
        self, target: Status, actor: Actor, now: datetime, note: str = "", *,
        facts: Disposition | Rating | Rejection | None = None,
        deadline: Deadline | None = None,
    ) -> AuditEntry:
        """Move along a row of the workflow table (complaints.workflow), or refuse;
        ``deadline``: of the stage the move starts."""
        note = note.strip()
        workflow.check(self.status, target, actor.role, note, actor=actor.id)
        entry = AuditEntry(now, actor.id, actor.role, AuditKind.STATUS, self.status, target, note, facts, deadline)
        self.status = target
        return self.record(entry)

    @property
    def public_note(self) -> str:
        """The latest note an officer attached to a status change (what the citizen reads):
        not the complainant's reason for a rating, nor a note the bot wrote."""
        for entry in reversed(self.audit):
            if is_officer_note(entry):
                return entry.note
        return ""

    @property
    def disposed(self) -> bool:
        """Whether the admin has disposed it to a unit (from then on the unit handles it)."""
        return any(entry.to_status is Status.DIDISPOSISIKAN for entry in self.audit)

    def supporter(self, actor_id: str) -> Supporter | None:
        """The supporter writing from ``actor_id`` ("channel:sender"), if they support it."""
        return next((s for s in self.supporters if s.id == actor_id), None)

    @property
    def rejection(self) -> Rejection | None:
        """Why it was rejected, when it is ``ditolak`` for a reason the figures tell apart."""
        if self.status is not Status.DITOLAK:
            return None
        for entry in reversed(self.audit):
            if entry.to_status is Status.DITOLAK:
                return entry.facts if isinstance(entry.facts, Rejection) else None
        return None

    @property
    def owner(self) -> str:
        """The complainant as an actor id: their channel and chat."""
        return f"{self.channel}:{self.sender}"

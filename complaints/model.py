"""The Complaint and what it is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from . import workflow
from .taxonomy import Category, Maladministration, PrivacyMode, ReportType, Role, Status, Weight


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


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    role: Role
    action: str  # "created" | "status" | "note" | "assigned"
    from_status: Status | None
    to_status: Status | None
    note: str = ""


@dataclass
class Complaint:
    code: str
    description: str
    channel: str
    sender: str
    created_at: datetime
    category: Category = Category.LAINNYA
    report_type: ReportType = ReportType.PENGADUAN
    weight: Weight = Weight.SEDANG
    maladministration: Maladministration | None = None
    place: Place = field(default_factory=Place)
    event_date: date | None = None
    agency: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    complainant: Complainant = field(default_factory=Complainant)
    privacy: PrivacyMode = PrivacyMode.BIASA
    status: Status = Status.DITERIMA
    unit_id: str | None = None
    due_at: datetime | None = None  # deadline of the current stage
    resolve_due_at: datetime | None = None  # overall resolution target
    late_filing: bool = False  # filed more than 30 days after the event (UU 25/2009)
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
    id: int | None = None

    def record(self, entry: AuditEntry) -> AuditEntry:
        """Append to the audit trail; the trail is never rewritten."""
        self.audit.append(entry)
        self.updated_at = entry.at
        return entry

    def move_to(self, target: Status, actor: Actor, now: datetime, note: str = "") -> AuditEntry:
        """Move along a row of the workflow table (complaints.workflow), or refuse."""
        note = note.strip()
        workflow.check(self.status, target, actor.role, note, actor=actor.id)
        entry = AuditEntry(now, actor.id, actor.role, "status", self.status, target, note)
        self.status = target
        return self.record(entry)

    @property
    def public_note(self) -> str:
        """The latest note an officer attached to a status change (what the citizen reads)."""
        for entry in reversed(self.audit):
            if entry.action == "status" and entry.note:
                return entry.note
        return ""

    @property
    def disposed(self) -> bool:
        """Whether the admin has disposed it to a unit (from then on the unit handles it)."""
        return any(entry.to_status is Status.DIDISPOSISIKAN for entry in self.audit)

    @property
    def owner(self) -> str:
        """The complainant as an actor id: their channel and chat."""
        return f"{self.channel}:{self.sender}"

"""What a caller may see of a complaint.

Two levels: the public view (category, status, area, dates, public notes) for public keys
and for staff looking at another unit's complaint; the staff view for the unit that
handles it (the domain's ``authorise``, the same rule as the officers' chat) and for
admin keys. The complainant's identity (name, phone, email; the chat id never) appears
only in the staff view of a complaint filed openly (privacy ``biasa``): for confidential
and anonymous complaints it is never shown to anyone, and NIK and phone numbers in their
texts are masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from aduan.privacy import mask_personal_data
from bot import texts
from complaints.errors import NotAuthorised
from complaints.model import AuditEntry, Complaint
from complaints.services import ComplaintDesk
from complaints.status import OPEN
from complaints.taxonomy import PrivacyMode, Role
from storage.queries import OVERDUE_STATUSES

from .keys import Caller, Scope
from .schemas import (
    ComplainantView,
    ComplaintDetail,
    ComplaintSummary,
    Deadlines,
    Escalation,
    HistoryEntry,
    OfficerRef,
    Open311Request,
    Rating,
    UnitRef,
)

PUBLIC_ACTIONS = frozenset({"created", "status"})
COMPLAINANT = "pelapor"


@dataclass(frozen=True)
class Viewer:
    caller: Caller
    desk: ComplaintDesk
    tz: ZoneInfo
    now: datetime

    def handles(self, complaint: Complaint) -> bool:
        """May the caller see the staff view of this complaint?"""
        if self.caller.scope is Scope.ADMIN:
            return True
        actor = self.caller.actor
        if actor is None:
            return False
        try:
            self.desk.authorise(actor, complaint)
        except NotAuthorised:
            return False
        return True

    # --- pieces ------------------------------------------------------------------------------

    def _at(self, moment: datetime | None) -> datetime | None:
        return None if moment is None else moment.astimezone(self.tz)

    @staticmethod
    def _text(complaint: Complaint, text: str) -> str:
        return mask_personal_data(text) if complaint.identity_hidden else text

    def _unit(self, complaint: Complaint) -> UnitRef:
        unit = self.desk.unit_of(complaint)
        return UnitRef(id=unit.id, name=unit.name)

    def overdue(self, complaint: Complaint) -> bool:
        return complaint.status in OVERDUE_STATUSES and complaint.due_at is not None and complaint.due_at < self.now

    def _history(self, complaint: Complaint, staff: bool) -> list[HistoryEntry]:
        def actor(entry: AuditEntry) -> str | None:
            if not staff:
                return None
            return COMPLAINANT if entry.role is Role.COMPLAINANT else entry.actor

        return [
            HistoryEntry(at=entry.at.astimezone(self.tz), action=entry.action, from_status=entry.from_status,
                         to_status=entry.to_status, note=self._text(complaint, entry.note), actor=actor(entry))
            for entry in complaint.audit
            if staff or entry.action in PUBLIC_ACTIONS
        ]

    @staticmethod
    def _complainant(complaint: Complaint) -> ComplainantView | None:
        if complaint.privacy is not PrivacyMode.BIASA:
            return None
        person = complaint.complainant
        return ComplainantView(name=person.name, phone=person.phone, email=person.email)

    def _address(self, complaint: Complaint, staff: bool) -> str | None:
        if staff:
            line = texts.place_line(complaint)
            return None if line == "-" else self._text(complaint, line)
        return complaint.place.region_name

    # --- views -------------------------------------------------------------------------------

    def summary(self, complaint: Complaint) -> ComplaintSummary:
        return ComplaintSummary(**self._summary_fields(complaint, self.handles(complaint)))

    def _summary_fields(self, complaint: Complaint, staff: bool) -> dict:
        return {
            "view": "staff" if staff else "public",
            "code": complaint.code,
            "status": complaint.status,
            "status_label": texts.status_label(complaint.status),
            "category": complaint.category,
            "category_label": texts.category_label(complaint.category),
            "unit": self._unit(complaint),
            "area": complaint.place.region_name,
            "channel": complaint.channel if staff else None,
            "created_at": self._at(complaint.created_at),
            "updated_at": self._at(complaint.updated_at),
            "due_at": self._at(complaint.due_at),
            "overdue": self.overdue(complaint),
        }

    def detail(self, complaint: Complaint) -> ComplaintDetail:
        staff = self.handles(complaint)
        c = complaint
        deadlines = Deadlines(stage_due_at=self._at(c.due_at), resolve_due_at=self._at(c.resolve_due_at),
                              overdue=self.overdue(c), paused_since=self._at(c.paused_at))
        fields = self._summary_fields(c, staff)
        if not staff:
            return ComplaintDetail(
                **fields, description=None, report_type=None, weight=None, maladministration=None,
                address=self._address(c, False), latitude=None, longitude=None, event_date=None, agency=None,
                late_filing=c.late_filing, privacy=None, complainant=None, assignee=None, escalation=None,
                deadlines=deadlines, rating=None, history=self._history(c, False),
            )
        assignee = None
        if c.assignee is not None:
            officer = self.desk.org.officers.get(c.assignee)
            assignee = OfficerRef(id=c.assignee, name=officer.name if officer else None)
        return ComplaintDetail(
            **fields,
            description=self._text(c, c.description),
            report_type=c.report_type,
            weight=c.weight,
            maladministration=c.maladministration,
            address=self._address(c, True),
            latitude=c.place.latitude,
            longitude=c.place.longitude,
            event_date=c.event_date,
            agency=c.agency,
            late_filing=c.late_filing,
            privacy=c.privacy,
            complainant=self._complainant(c),
            assignee=assignee,
            escalation=Escalation(level=c.escalation_level, next_at=self._at(c.next_escalation_at)),
            deadlines=deadlines,
            rating=Rating(satisfied=c.satisfied, skm_score=c.skm_score, rated_at=self._at(c.rated_at),
                          reopen_count=c.reopen_count),
            history=self._history(c, True),
        )

    def open311(self, complaint: Complaint) -> Open311Request:
        staff = self.handles(complaint)
        c = complaint
        is_open = c.status in OPEN
        return Open311Request(
            service_request_id=c.code,
            status="open" if is_open else "closed",
            status_notes=self._text(c, c.public_note) or None,
            service_name=texts.category_label(c.category),
            service_code=c.category.value,
            description=self._text(c, c.description) if staff else None,
            agency_responsible=self.desk.unit_of(c).name,
            service_notice=None,
            requested_datetime=c.created_at.astimezone(self.tz),
            updated_datetime=self._at(c.updated_at),
            expected_datetime=self._at(c.due_at) if is_open else None,
            address=self._address(c, staff),
            address_id=None,
            zipcode=None,
            lat=c.place.latitude if staff else None,
            long=c.place.longitude if staff else None,
            media_url=None,
        )

"""The API's bodies, rendered from the visibility policy's views (complaints.visibility).

A caller reads a complaint as the policy lets its key's actor see it: public keys (and
readers without a key) the public view; officer keys the handling unit's view of the
complaints disposed to their unit and the public view of the rest; admin keys everything.
A key reading a complaint it filed (its chat: channel "api", sender "apikey-N") reads back
the exact point it sent. Nothing here decides what is shown: it only lays out a CaseView.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot import texts
from bot.render.labels import category_label, status_label
from bot.render.officer import history_label, place_line
from complaints.model import Actor, Complaint
from complaints.usecases.context import CaseContext
from complaints.visibility import PUBLIC, CaseView, Scope
from complaints.workflow import ESCALATING, OPEN

from ..bootstrap import API_CHANNEL
from .keys import Caller
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


@dataclass(frozen=True)
class Viewer:
    caller: Caller
    ctx: CaseContext  # the organisation as it is for this request
    tz: ZoneInfo
    now: datetime
    area_name: str | None = None  # the deployment's area ("Kota Surabaya"): a bare point's address

    @property
    def actor(self) -> Actor:
        return self.caller.actor or PUBLIC

    @property
    def scope(self) -> Scope:
        """The complaints this caller may see beyond the public view."""
        return self.ctx.visibility.scope(self.actor)

    @property
    def filer(self) -> str | None:
        """The chat complaints filed with this caller's key come from (None without a key)."""
        return None if self.caller.key_id is None else f"{API_CHANNEL}:{self.caller.sender}"

    def view(self, complaint: Complaint) -> CaseView:
        return self.ctx.visibility.view(self.actor, complaint, filer=self.filer)

    # --- pieces ------------------------------------------------------------------------------

    def _at(self, moment: datetime | None) -> datetime | None:
        return None if moment is None else moment.astimezone(self.tz)

    def _unit(self, complaint: Complaint) -> UnitRef:
        unit = self.ctx.unit_of(complaint)
        return UnitRef(id=unit.id, name=unit.name)

    def overdue(self, case: CaseView) -> bool:
        return case.status in ESCALATING and case.due_at is not None and case.due_at < self.now

    def _unit_ref(self, unit_id: str | None) -> UnitRef | None:
        if unit_id is None:
            return None
        unit = self.ctx.org.units.get(unit_id)
        return UnitRef(id=unit_id, name=unit.name if unit else unit_id)

    def _officer_ref(self, officer_id: str | None) -> OfficerRef | None:
        if officer_id is None:
            return None
        officer = self.ctx.org.officers.get(officer_id)
        return OfficerRef(id=officer_id, name=officer.name if officer else None)

    def _history(self, case: CaseView) -> list[HistoryEntry]:
        """The entries as the view has them: the facts are there for staff only."""
        return [
            HistoryEntry(
                at=entry.at.astimezone(self.tz), action=entry.action, label=history_label(entry, self.tz),
                from_status=entry.from_status, to_status=entry.to_status, note=entry.note,
                actor=entry.actor if case.staff else None, level=entry.level, unit=self._unit_ref(entry.unit_id),
                from_unit=self._unit_ref(entry.from_unit_id), due_at=self._at(entry.due_at),
                officers=list(entry.officers) if entry.level is not None else None,
                officer=self._officer_ref(entry.officer_id), satisfied=entry.satisfied, skm_score=entry.skm_score,
            )
            for entry in case.history
        ]

    def _address(self, case: CaseView) -> str | None:
        """Staff: the place as written, its area, or its point; the others: the area
        (kelurahan, kecamatan). A complaint located by a point only names the deployment's
        area: the region list has no geometry to find the kelurahan of a point."""
        if case.staff and case.details is not None:
            line = place_line(case)
            return None if line == "-" else line
        if case.region_name or not case.located:
            return case.region_name
        return self.area_name or texts.OPEN311_ADDRESS_POINT

    @staticmethod
    def _status_notes(case: CaseView, is_open: bool) -> str | None:
        """The latest note the caller may read; a closed request's outcome before it."""
        outcome = None if is_open else texts.OPEN311_OUTCOMES.get(case.status)
        if outcome is None:
            return case.public_note
        if case.public_note:
            return texts.OPEN311_OUTCOME_NOTE.format(outcome=outcome, note=case.public_note)
        return texts.OPEN311_OUTCOME_ONLY.format(outcome=outcome)

    # --- views -------------------------------------------------------------------------------

    def summary(self, complaint: Complaint) -> ComplaintSummary:
        return ComplaintSummary(**self._summary_fields(complaint, self.view(complaint)))

    def _summary_fields(self, complaint: Complaint, case: CaseView) -> dict[str, Any]:
        return {
            "view": "staff" if case.staff else "public",
            "code": case.code,
            "status": case.status,
            "status_label": status_label(case.status),
            "category": case.category,
            "category_label": category_label(case.category),
            "unit": self._unit(complaint),
            "area": case.region_name,
            "channel": case.details.channel if case.staff and case.details else None,
            "created_at": self._at(case.created_at),
            "updated_at": self._at(case.updated_at),
            "due_at": self._at(case.due_at),
            "overdue": self.overdue(case),
            "supporters": case.supporters,
        }

    def detail(self, complaint: Complaint) -> ComplaintDetail:
        case = self.view(complaint)
        fields = self._summary_fields(complaint, case)
        d = case.details if case.staff else None
        deadlines = Deadlines(stage_due_at=self._at(case.due_at), resolve_due_at=self._at(d.resolve_due_at) if d else None,
                              overdue=self.overdue(case), paused_since=self._at(d.paused_at) if d else None)
        if d is None:
            return ComplaintDetail(
                **fields, description=case.description, report_type=None, weight=None, maladministration=None,
                address=self._address(case), latitude=case.point[0] if case.point else None,
                longitude=case.point[1] if case.point else None, event_date=None, agency=None,
                late_filing=case.late_filing, privacy=None, complainant=None, assignee=None, escalation=None,
                deadlines=deadlines, rating=None, history=self._history(case),
            )
        assignee = self._officer_ref(d.assignee)
        person = d.complainant
        return ComplaintDetail(
            **fields,
            description=case.description,
            report_type=d.report_type,
            weight=d.weight,
            maladministration=d.maladministration,
            address=self._address(case),
            latitude=d.latitude,
            longitude=d.longitude,
            event_date=d.event_date,
            agency=d.agency,
            late_filing=case.late_filing,
            privacy=d.privacy,
            complainant=ComplainantView(name=person.name, phone=person.phone, email=person.email) if person else None,
            assignee=assignee,
            escalation=Escalation(level=d.escalation_level, next_at=self._at(d.next_escalation_at)),
            deadlines=deadlines,
            rating=Rating(satisfied=d.satisfied, skm_score=d.skm_score, rated_at=self._at(d.rated_at),
                          reopen_count=d.reopen_count),
            history=self._history(case),
        )

    def open311(self, complaint: Complaint) -> Open311Request:
        case = self.view(complaint)
        is_open = case.status in OPEN
        point = case.point
        return Open311Request(
            service_request_id=case.code,
            status="open" if is_open else "closed",
            status_notes=self._status_notes(case, is_open),
            aduan_status=case.status,
            service_name=category_label(case.category),
            service_code=case.category.value,
            description=case.description,
            agency_responsible=self.ctx.unit_of(complaint).name,
            service_notice=None,
            requested_datetime=case.created_at.astimezone(self.tz),
            updated_datetime=self._at(case.updated_at),
            expected_datetime=self._at(case.resolve_due_at) if is_open else None,
            address=self._address(case),
            address_id=case.address_id,
            zipcode=None,
            lat=point[0] if point else None,
            long=point[1] if point else None,
            media_url=case.media_url,
        )

"""Rows to domain objects and back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, Row, bindparam

from complaints.delivery import DeliveryStatus, OutboxState
from complaints.model import (
    Assignment,
    AuditEntry,
    AuditKind,
    Complainant,
    Complaint,
    Deadline,
    Disposition,
    Escalation,
    Evidence,
    Facts,
    Place,
    Rating,
    Rejection,
    RejectionReason,
    Score,
    Support,
    SupportChange,
    Supporter,
)
from complaints.notifications import Button, Notification
from complaints.ports import OutboxItem
from complaints.spam import fingerprint
from complaints.taxonomy import (
    Category,
    CategoryOrigin,
    Maladministration,
    PrivacyMode,
    ReportType,
    Role,
    Status,
    Weight,
)
from complaints.workflow import ESCALATING

from .tables import complaint_events


def complaint_values(c: Complaint) -> dict[str, Any]:
    """Column values of a complaint row (everything but ``id``)."""
    return {
        "code": c.code,
        "description": c.description,
        "channel": c.channel,
        "sender": c.sender,
        "category": str(c.category),
        "report_type": str(c.report_type),
        "weight": str(c.weight),
        "maladministration": None if c.maladministration is None else str(c.maladministration),
        "place_detail": c.place.detail,
        "region_code": c.place.region_code,
        "region_name": c.place.region_name,
        "latitude": c.place.latitude,
        "longitude": c.place.longitude,
        "event_date": c.event_date,
        "agency": c.agency,
        "evidence": [{"kind": e.kind, "ref": e.ref, "caption": e.caption, "source": e.source} for e in c.evidence],
        "media_url": c.media_url,
        "address_id": c.address_id,
        "complainant_name": c.complainant.name,
        "complainant_phone": c.complainant.phone,
        "complainant_email": c.complainant.email,
        "privacy": str(c.privacy),
        "status": str(c.status),
        "unit_id": c.unit_id,
        "due_at": c.due_at,
        "resolve_due_at": c.resolve_due_at,
        "late_filing": c.late_filing,
        "ongoing": c.ongoing,
        "category_origin": str(c.category_origin),
        "category_confidence": c.category_confidence,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "assignee": c.assignee,
        "escalation_level": c.escalation_level,
        "next_escalation_at": c.next_escalation_at,
        "paused_at": c.paused_at,
        "reopen_count": c.reopen_count,
        "satisfied": c.satisfied,
        "skm_score": c.skm_score,
        "rated_at": c.rated_at,
        "text_fingerprint": fingerprint(c.description),
        "supporter_count": len(c.supporters),
        "running_due_at": c.due_at if c.status in ESCALATING else None,
    }


def supporter_values(complaint_id: int, s: Supporter) -> dict[str, Any]:
    return {
        "complaint_id": complaint_id,
        "channel": s.channel,
        "sender": s.sender,
        "privacy": str(s.privacy),
        "name": s.name,
        "phone": s.phone,
        "joined_at": s.joined_at,
        "merged_from": s.merged_from,
        "satisfied": s.satisfied,
        "rated_at": s.rated_at,
    }


def to_supporter(row: Row[Any]) -> Supporter:
    return Supporter(
        channel=row.channel, sender=row.sender, privacy=PrivacyMode(row.privacy), joined_at=row.joined_at,
        name=row.name, phone=row.phone, merged_from=row.merged_from, satisfied=row.satisfied, rated_at=row.rated_at,
    )


# --- audit entries ---------------------------------------------------------------------------

# The columns of an entry's facts (since 0006), each NULL unless the entry's kind has it.
FACT_COLUMNS = ("escalation_level", "officers_told", "unit_id", "from_unit_id", "due_at", "officer_id",
                "satisfied", "skm_score", "supporter", "support_change", "related_code",
                "rejection_reason")

# Inserts rows of ``event_values``: a fact column a row does not name is NULL, so rows of
# entries with and without facts go in one executemany.
INSERT_EVENT: Insert = complaint_events.insert().values(
    {name: bindparam(name, None, type_=complaint_events.c[name].type, required=False) for name in FACT_COLUMNS}
)


def fact_values(facts: Facts | None) -> dict[str, Any]:
    """The fact columns an entry fills (the others stay NULL)."""
    match facts:
        case Escalation(level=level, unit_id=unit_id, due_at=due_at, officers=officers):
            return {"escalation_level": level, "unit_id": unit_id, "due_at": due_at, "officers_told": list(officers)}
        case Assignment(officer_id=officer_id):
            return {"officer_id": officer_id}
        case Disposition(unit_id=unit_id, from_unit_id=from_unit_id):
            return {"unit_id": unit_id, "from_unit_id": from_unit_id}
        case Rating(satisfied=satisfied):
            return {"satisfied": satisfied}
        case Score(skm=skm):
            return {"skm_score": skm}
        case Rejection(reason=reason, duplicate_of=duplicate_of):
            return {"rejection_reason": str(reason), "related_code": duplicate_of}
        case Support(change=change, supporter=supporter, merged_from=merged_from, satisfied=satisfied):
            return {"support_change": str(change), "supporter": supporter, "related_code": merged_from,
                    "satisfied": satisfied}
    return {}


def deadline_values(deadline: Deadline | None) -> dict[str, Any]:
    """The stage deadline an entry recorded: whose stage (a disposition's unit is the same
    unit, in the same column) and when it is due."""
    return {} if deadline is None else {"unit_id": deadline.unit_id, "due_at": deadline.due_at}


def event_values(complaint_id: int, e: AuditEntry) -> dict[str, Any]:
    """Column values of an audit entry row; an entry without facts names only the columns
    every schema since 0001 has. Insert them with ``INSERT_EVENT``."""
    return {
        "complaint_id": complaint_id,
        "at": e.at,
        "actor": e.actor,
        "role": str(e.role),
        "action": str(e.action),
        "from_status": None if e.from_status is None else str(e.from_status),
        "to_status": None if e.to_status is None else str(e.to_status),
        "note": e.note,
        **fact_values(e.facts),
        **deadline_values(e.deadline),
    }


def _required(row: Row[Any], column: str) -> Any:
    value = getattr(row, column)
    if value is None:
        raise ValueError(f"complaint_events row {row.id} ({row.action}) lacks {column}")
    return value


def _officers(row: Row[Any]) -> tuple[str, ...]:
    told = row.officers_told if row.officers_told is not None else []
    if not isinstance(told, list) or not all(isinstance(officer, str) for officer in told):
        raise ValueError(f"complaint_events row {row.id}: officers_told is not a list of ids: {told!r}")
    return tuple(told)


def to_facts(row: Row[Any], kind: AuditKind) -> Facts | None:
    """The facts of an entry row, checked against its kind (complaints.model.facts_fit)."""
    if kind is AuditKind.ESCALATED:
        return Escalation(int(_required(row, "escalation_level")), row.unit_id, row.due_at, _officers(row))
    if kind is AuditKind.ASSIGNED:
        return Assignment(_required(row, "officer_id"))
    if kind is AuditKind.RATED:
        return Score(int(_required(row, "skm_score")))
    if kind is AuditKind.SUPPORT:
        return Support(SupportChange(_required(row, "support_change")), _required(row, "supporter"),
                       row.related_code, row.satisfied)
    if kind in (AuditKind.STATUS, AuditKind.UNMERGED) and row.rejection_reason is not None:
        return Rejection(RejectionReason(row.rejection_reason), row.related_code)
    if kind is AuditKind.STATUS and row.satisfied is not None:
        return Rating(bool(row.satisfied))
    if kind is AuditKind.STATUS and row.to_status == Status.DIDISPOSISIKAN and row.unit_id is not None:
        return Disposition(row.unit_id, row.from_unit_id)
    return None


def to_deadline(row: Row[Any], kind: AuditKind) -> Deadline | None:
    """The deadline of the stage a filing or status row started; None on rows written
    before it was recorded (and on every other kind: an escalation's columns are its own)."""
    if kind in (AuditKind.CREATED, AuditKind.STATUS) and row.due_at is not None:
        return Deadline(_required(row, "unit_id"), row.due_at)
    return None


def to_audit_entry(row: Row[Any]) -> AuditEntry:
    kind = AuditKind(row.action)
    return AuditEntry(
        at=row.at,
        actor=row.actor,
        role=Role(row.role),
        action=kind,
        from_status=None if row.from_status is None else Status(row.from_status),
        to_status=None if row.to_status is None else Status(row.to_status),
        note=row.note,
        facts=to_facts(row, kind),
        deadline=to_deadline(row, kind),
    )


def to_complaint(row: Row[Any], audit: Sequence[AuditEntry], supporters: Sequence[Supporter] = ()) -> Complaint:
    return Complaint(
        id=row.id,
        code=row.code,
        description=row.description,
        channel=row.channel,
        sender=row.sender,
        created_at=row.created_at,
        category=Category(row.category),
        report_type=ReportType(row.report_type),
        weight=Weight(row.weight),
        maladministration=None if row.maladministration is None else Maladministration(row.maladministration),
        place=Place(
            detail=row.place_detail,
            region_code=row.region_code,
            region_name=row.region_name,
            latitude=row.latitude,
            longitude=row.longitude,
        ),
        event_date=row.event_date,
        agency=row.agency,
        evidence=[
            Evidence(kind=e["kind"], ref=e["ref"], caption=e.get("caption", ""), source=e.get("source", ""))
            for e in row.evidence
        ],
        media_url=row.media_url,
        address_id=row.address_id,
        complainant=Complainant(name=row.complainant_name, phone=row.complainant_phone, email=row.complainant_email),
        privacy=PrivacyMode(row.privacy),
        status=Status(row.status),
        unit_id=row.unit_id,
        due_at=row.due_at,
        resolve_due_at=row.resolve_due_at,
        late_filing=row.late_filing,
        ongoing=row.ongoing,
        category_origin=CategoryOrigin(row.category_origin),
        category_confidence=row.category_confidence,
        updated_at=row.updated_at,
        assignee=row.assignee,
        escalation_level=row.escalation_level,
        next_escalation_at=row.next_escalation_at,
        paused_at=row.paused_at,
        reopen_count=row.reopen_count,
        satisfied=row.satisfied,
        skm_score=row.skm_score,
        rated_at=row.rated_at,
        audit=list(audit),
        supporters=list(supporters),
    )


def notification_values(n: Notification) -> dict[str, Any]:
    return {
        "key": n.key,
        "channel": n.channel,
        "recipient": n.recipient,
        "text": n.text,
        "buttons": [{"id": b.id, "label": b.label} for b in n.buttons],
        "complaint_code": n.complaint_code,
        "as_template": n.as_template,
    }


def to_notification(row: Row[Any]) -> Notification:
    return Notification(
        key=row.key,
        channel=row.channel,
        recipient=row.recipient,
        text=row.text,
        buttons=tuple(Button(id=b["id"], label=b["label"]) for b in row.buttons),
        complaint_code=row.complaint_code,
        as_template=bool(row.as_template),
    )


def to_outbox_item(row: Row[Any]) -> OutboxItem:
    return OutboxItem(id=row.id, notification=to_notification(row), attempts=row.attempts, created_at=row.created_at,
                      **outbox_facts(row))


def outbox_facts(row: Row[Any]) -> dict[str, Any]:
    """What became of an outbox row (complaints.delivery), as OutboxItem's keyword fields."""
    return {
        "state": OutboxState(row.status),
        "message_id": row.message_id,
        "delivery": DeliveryStatus(row.delivery_status) if row.delivery_status else None,
        "delivery_at": row.delivery_at,
        "error_code": row.error_code,
        "error_title": row.error_title,
        "updated_at": row.updated_at,
    }

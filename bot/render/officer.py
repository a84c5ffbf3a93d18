"""The replies built for officers: a case with its history, a row of the case list, the
buttons on a case message, and the organisation as ``aduan org show`` prints it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from complaints.deadlines import DeadlinePolicy
from complaints.delivery import Undelivered
from complaints.notifications import Button
from complaints.org import Organisation, Unit
from complaints.taxonomy import PrivacyMode, Role
from complaints.visibility import CaseView, EntryView

from ..buttons import CaseAction, OfficerAction
from ..texts import citizen as citizen_texts
from ..texts import commands as command_texts
from ..texts import officer as texts
from ..texts import support as support_texts
from .dates import format_date, format_moment, zone_name
from .labels import category_label, shorten, status_label

JAKARTA = ZoneInfo("Asia/Jakarta")  # where a case has no unit (yet)

# the buttons on a case message: for the verifiers, and for the unit it was disposed to
VERIFIER_ACTIONS = (OfficerAction.VERIFY, OfficerAction.DISPOSE, OfficerAction.REJECT, OfficerAction.MERGE,
                    OfficerAction.SHOW)
UNIT_ACTIONS = (OfficerAction.TAKE, OfficerAction.PROGRESS, OfficerAction.ASK, OfficerAction.RESOLVE)
BUTTON_LABELS = {**texts.OFFICER_BUTTONS, OfficerAction.MERGE: support_texts.BTN_MERGE}


def officer_buttons(code: str, actions: tuple[OfficerAction, ...]) -> tuple[Button, ...]:
    return tuple(CaseAction(action, code).button(BUTTON_LABELS[action]) for action in actions)


def complainant_line(case: CaseView) -> str:
    """Who reported, as far as the reader may know: the name and contact, or why not."""
    details = case.details
    if details is None:
        return texts.PERSON_WITHHELD[PrivacyMode.RAHASIA]
    person = details.complainant
    if person is None:
        return texts.PERSON_WITHHELD[details.privacy]
    who = person.name or "-"
    contact = ", ".join(c for c in (person.phone, person.email) if c)
    return f"{who} ({contact})" if contact else who


def place_line(case: CaseView) -> str:
    details = case.details
    detail = details.place_detail if details else ""
    parts = [p for p in (detail, case.region_name) if p]
    if len(parts) == 2 and parts[1].casefold().startswith(parts[0].casefold()):
        parts = parts[1:]  # "Kebraon" is already in "Kebraon, Karang Pilang, ..."
    if not parts and details is not None and details.latitude is not None and details.longitude is not None:
        parts.append(texts.CASE_POINT.format(latitude=details.latitude, longitude=details.longitude))
    return ", ".join(parts) or "-"


def description(case: CaseView, limit: int | None = None) -> str:
    """What the citizen wrote, or that it is withheld from this reader."""
    if case.description is None:
        return texts.WITHHELD
    return shorten(case.description, limit) if limit else case.description


def category_origin_line(case: CaseView) -> str:
    """How the case's category was chosen, for staff: flagged when uncertain (the NLU was
    unsure and the citizen chose, or nobody did); "" when the filer named it or for others."""
    d = case.details
    if d is None or not case.staff:
        return ""
    confidence = "" if d.category_confidence is None else texts.CATEGORY_CONFIDENCE.format(
        percent=round(d.category_confidence * 100))
    return texts.CATEGORY_ORIGIN[d.category_origin.value].format(confidence=confidence)


def case_detail(case: CaseView, unit: Unit | None, policy: DeadlinePolicy) -> str:
    """The whole case for an officer, as the visibility policy lets them see it."""
    tz = unit.timezone if unit else JAKARTA
    d = case.details
    lines = [
        texts.CASE_TITLE.format(code=case.code, status=status_label(case.status), value=case.status.value),
        texts.CASE_DESCRIPTION.format(description=description(case)),
    ]
    if d is not None:
        service = texts.CASE_SERVICE_FULL.format(
            category=category_label(case.category), report_type=d.report_type.value, weight=d.weight.value)
        if d.maladministration:
            service += texts.CASE_MALADMINISTRATION.format(value=d.maladministration.value)
        place = texts.CASE_PLACE.format(place=place_line(case))
        if d.region_code:
            place += texts.CASE_REGION_CODE.format(code=d.region_code)
        lines += [
            service,
            *filter(None, [category_origin_line(case)]),
            place,
            texts.CASE_EVENT_DATE.format(
                date=format_date(d.event_date) if d.event_date else texts.CASE_EVENT_DATE_UNKNOWN),
            texts.CASE_AGENCY.format(agency=d.agency or "-"),
            texts.CASE_COMPLAINANT.format(who=complainant_line(case)),
            texts.CASE_CHANNEL.format(channel=d.channel),
        ]
    else:
        lines += [texts.CASE_SERVICE.format(category=category_label(case.category)),
                  texts.CASE_PLACE.format(place=place_line(case))]
    lines += [texts.CASE_UNIT.format(unit=unit.name if unit else "-"),
              texts.CASE_RECEIVED.format(moment=format_moment(case.created_at, tz))]
    if case.due_at:
        lines.append(texts.CASE_STAGE_DUE.format(moment=format_moment(case.due_at, tz)))
    if case.ongoing:
        lines.append(texts.CASE_ONGOING)
    if case.undelivered is not None:
        lines.append(undelivered_line(case.undelivered, tz))
    if case.late_filing:
        lines.append(texts.LATE_FILING_FLAG.format(days=policy.late_filing_days))
    if d is not None and d.evidence:
        lines.append(texts.CASE_EVIDENCE.format(count=len(d.evidence)))
    if case.supporters:
        lines.append(support_texts.SUPPORTERS_LINE.format(count=case.supporters))
    lines.append(texts.CASE_HISTORY)
    for entry in case.history:
        note = history_note(entry)
        lines.append(texts.CASE_HISTORY_ROW.format(
            moment=format_moment(entry.at, tz), actor=entry.actor or "-", label=history_label(entry, tz), note=note))
    return "\n".join(lines)


def undelivered_line(fact: Undelivered, tz: ZoneInfo) -> str:
    """"Warga belum menerima kabar": the latest notice to the complainant failed for good."""
    error = " ".join(filter(None, (fact.error_code, fact.error_title)))
    return texts.CASE_UNDELIVERED.format(channel=fact.channel, moment=format_moment(fact.since, tz),
                                         error=texts.CASE_UNDELIVERED_ERROR.format(error=error) if error else "")


def history_note(entry: EntryView) -> str:
    """The note after an entry's label in the Riwayat: what a person wrote; a rating's note
    is the complainant's reason (redacted for the viewer as every text)."""
    if not entry.note:
        return ""
    if entry.role is Role.COMPLAINANT and entry.satisfied is not None:
        return texts.HISTORY_RATING_REASON.format(note=entry.note)
    return texts.CASE_HISTORY_NOTE.format(note=entry.note)


def history_label(entry: EntryView, tz: ZoneInfo) -> str:
    """What an audit entry records, from its facts as the viewer may see them (the officers'
    Riwayat, the API's history)."""
    if entry.action == "escalated":
        name = texts.LEVEL_NAMES.get(entry.level or 0)
        parts = [texts.HISTORY_ESCALATED_LEVEL.format(level=entry.level, name=name) if name
                 else texts.HISTORY_ESCALATED]
        if entry.unit_id:
            parts.append(texts.HISTORY_UNIT.format(unit=entry.unit_id))
        if entry.due_at is not None:
            parts.append(texts.HISTORY_DUE.format(moment=format_moment(entry.due_at, tz)))
        if entry.officers:
            parts.append(texts.HISTORY_NOTIFIED.format(officers=", ".join(entry.officers)))
        return ", ".join(parts)
    if entry.action == "assigned":
        return texts.HISTORY_ASSIGNED_TO.format(officer=entry.officer_id) if entry.officer_id \
            else texts.HISTORY_ASSIGNED
    if entry.action == "rated":
        score = citizen_texts.SKM_LABELS.get(entry.skm_score or 0)
        return texts.HISTORY_RATED_SCORE.format(score=score) if score else texts.HISTORY_RATED
    if entry.action == "info":
        return texts.HISTORY_INFO
    if entry.action == "support":
        return support_texts.HISTORY_SUPPORTERS
    if entry.action == "unmerged" and entry.to_status is not None:
        return support_texts.HISTORY_UNMERGED.format(status=status_label(entry.to_status))
    if entry.to_status is None:
        return texts.HISTORY_NOTE
    label = status_label(entry.to_status)
    if entry.unit_id and entry.from_unit_id:
        label += texts.HISTORY_REROUTED.format(unit=entry.unit_id, from_unit=entry.from_unit_id)
    elif entry.unit_id:
        label += texts.HISTORY_TO_UNIT.format(unit=entry.unit_id)
    if entry.satisfied is not None:
        label += texts.HISTORY_SATISFIED if entry.satisfied else texts.HISTORY_UNSATISFIED
    if entry.due_at is not None:  # the deadline of the stage the entry started
        label += texts.HISTORY_STAGE_DUE.format(moment=format_moment(entry.due_at, tz))
    return label


def case_row(case: CaseView) -> str:
    """One line of ``aduan case list`` and of the officers' /daftar."""
    row = (
        f"{case.code}  {case.status.value:<18} {case.category.value:<18} "
        f"{(case.unit_id or '-'):<14} {description(case, 50)}"
    )
    return row + support_texts.SUPPORTERS_ROW.format(count=case.supporters) if case.supporters else row


def organisation_summary(org: Organisation) -> str:
    """The organisation file as it was read: units, officers, routes, deadlines."""
    t = command_texts
    lines = [org.name, t.ORG_REGION.format(region=org.region_code or "-", unit=org.default_unit),
             t.ORG_HOURS.format(start=f"{org.working_hours.start:%H.%M}", end=f"{org.working_hours.end:%H.%M}")]
    for label, days in ((t.ORG_WEIGHT_NORMAL, org.policy.normal), (t.ORG_WEIGHT_URGENT, org.policy.urgent)):
        lines.append(t.ORG_DEADLINES.format(label=label, verify=days.verify, follow_up=days.follow_up,
                                            resolve=days.resolve, auto_close=days.auto_close))
    if org.extra_holidays:
        lines.append(t.ORG_HOLIDAYS.format(days=", ".join(format_date(d) for d in sorted(org.extra_holidays))))
    lines.append(t.ORG_UNITS)
    for unit in org.units.values():
        routed = [c for c, u in org.routing.items() if u == unit.id]
        line = t.ORG_UNIT.format(id=unit.id, name=unit.name, kind=unit.kind, zone=zone_name(unit.timezone))
        if routed:
            line += t.ORG_UNIT_ROUTES.format(categories=", ".join(category_label(c) for c in routed))
        lines.append(line)
        for officer in org.officers_of(unit.id):
            chats = ", ".join(f"{ch}:{who}" for ch, who in officer.identities.items()) or "-"
            lines.append(t.ORG_OFFICER.format(id=officer.id, name=officer.name, role=officer.role.value, chats=chats))
        for level in (1, 2, 3):
            who = ", ".join(o.id for o in org.escalation_recipients(unit.id, level)) or "-"
            lines.append(t.ORG_ESCALATION.format(level=level, who=who))
    return "\n".join(lines)

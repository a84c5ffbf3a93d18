"""The replies built for the citizen: the summary of their draft, the receipt, a status
check, their list of complaints, and the rating buttons."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from complaints.deadlines import DeadlinePolicy
from complaints.notifications import Button
from complaints.org import Unit
from complaints.taxonomy import PrivacyMode
from complaints.visibility import Audience, CaseView

from ..buttons import Rate, Skm
from ..draft import Draft
from ..texts import citizen as texts
from ..texts import public
from ..texts import support as support_texts
from .dates import format_date, format_day, format_moment
from .labels import category_label, shorten, status_label

JAKARTA = ZoneInfo("Asia/Jakarta")  # where a case has no unit (yet)


def summary(draft: Draft, sensitive: bool = False) -> str:
    """The draft to check before sending it; the buttons under it choose how it is sent."""
    place = draft.place
    named = ", ".join(p for p in (place.detail, place.region_name) if p)
    point = texts.SUMMARY_POINT if place.latitude is not None and place.longitude is not None else ""
    place_text = ", ".join(p for p in (named, point) if p) or "-"  # never raw coordinates
    when = draft.event_date
    when_text = format_date(when) if isinstance(when, date) else texts.SUMMARY_DATE_UNKNOWN
    if draft.ongoing and isinstance(when, date):
        when_text = texts.SUMMARY_ONGOING.format(date=when_text)
    service = draft.agency or "-"
    if draft.category:
        service = category_label(draft.category)
        if draft.agency:
            service = texts.SUMMARY_SERVICE_AGENCY.format(category=service, agency=draft.agency)
    lines = [
        texts.SUMMARY_HEADER,
        texts.SUMMARY_DESCRIPTION.format(description=draft.description or "-"),
        texts.SUMMARY_PLACE.format(place=place_text),
        texts.SUMMARY_DATE.format(date=when_text),
        texts.SUMMARY_SERVICE.format(service=service),
    ]
    if draft.privacy is not None:
        lines.append(texts.SUMMARY_PRIVACY.format(privacy=public.PRIVACY_LABELS[draft.privacy]))
    if draft.privacy is not PrivacyMode.ANONIM:
        if draft.name:
            name = " ".join(p for p in (draft.title, draft.name) if p)
            lines.append((texts.SUMMARY_NAME_PROFILE if draft.name_from_profile else texts.SUMMARY_NAME).format(name=name))
        if draft.contact is not None and draft.contact.phone:
            lines.append(texts.SUMMARY_PHONE.format(phone=draft.contact.phone))
    if draft.evidence:
        lines.append(texts.SUMMARY_EVIDENCE.format(count=len(draft.evidence)))
    lines.append(texts.SUMMARY_FOOTER_SENSITIVE if sensitive else texts.SUMMARY_FOOTER)
    return "\n".join(lines)


def salutation(title: str | None, name: str | None) -> str | None:
    """"Bu Sulastri", "Bapak Suharto", or the name alone; None without a name."""
    if not name:
        return None
    return " ".join(p for p in (title, name) if p)


def receipt(case: CaseView, unit: Unit, policy: DeadlinePolicy, greet: str | None = None,
            outside: str | None = None) -> str:
    """The tanda bukti, from the complainant's own view of what they filed (``greet``: how
    to address them; ``outside``: the region outside the area it must be forwarded to)."""
    tz = unit.timezone
    lines = [
        texts.RECEIPT_HEADER_NAMED.format(salutation=greet) if greet else texts.RECEIPT_HEADER,
        texts.RECEIPT_CODE.format(code=case.code),
        texts.RECEIPT_DATE.format(moment=format_moment(case.created_at, tz)),
        texts.HANDLED_BY.format(unit=unit.name),
    ]
    if case.due_at:
        lines.append(texts.RECEIPT_VERIFY_DUE.format(day=format_day(case.due_at, tz)))
    if case.details and case.details.resolve_due_at:
        resolve_by = case.details.resolve_due_at.astimezone(tz).date()
        lines.append(texts.RECEIPT_RESOLVE_DUE.format(date=format_date(resolve_by)))
    if outside:
        lines.append(texts.RECEIPT_OUTSIDE.format(region=outside))
    if case.late_filing:
        lines.append(texts.LATE_FILING_NOTE.format(days=policy.late_filing_days))
    lines.append(texts.RECEIPT_FOOTER.format(code=case.code))
    return "\n".join(lines)


def status_view(case: CaseView, unit: Unit | None) -> str:
    """A status reply. Only the complainant's own chat reads what they wrote and the
    officer's note (the unit's latest answer, also after a rating) and their own rating;
    from any other chat the status only, never personal data."""
    from .case import rating_line  # local: this module's imports are edited elsewhere

    tz = unit.timezone if unit else JAKARTA
    last_change = case.updated_at or case.created_at
    lines = [
        texts.STATUS_VIEW_TITLE.format(code=case.code),
        texts.STATUS_VIEW_STATUS.format(status=status_label(case.status), moment=format_moment(last_change, tz)),
        texts.STATUS_VIEW_SERVICE.format(category=category_label(case.category)),
        texts.HANDLED_BY.format(unit=unit.name if unit else "-"),
        texts.STATUS_VIEW_RECEIVED.format(date=format_date(case.created_at.astimezone(tz).date())),
    ]
    if case.details is not None:
        lines.insert(1, texts.STATUS_VIEW_DESCRIPTION.format(description=shorten(case.description or "-", 120)))
        if case.public_note:
            lines.append(texts.STATUS_VIEW_NOTE.format(note=case.public_note))
        rating = rating_line(case)
        if rating:
            lines.append(rating)
    elif case.audience is Audience.SUPPORTER:  # the unit's answer, redacted; never the complainant's words
        lines.append(support_texts.STATUS_VIEW_SUPPORTER.format(count=case.supporters + 1))
        if case.public_note:
            lines.append(texts.STATUS_VIEW_NOTE.format(note=case.public_note))
    return "\n".join(lines)


def my_complaints(cases: list[CaseView], tz: ZoneInfo) -> str:
    lines = [texts.MY_COMPLAINTS_HEADER]
    for c in cases:
        lines.append(texts.MY_COMPLAINTS_ROW.format(
            code=c.code, date=format_date(c.created_at.astimezone(tz).date()), status=status_label(c.status),
            description=shorten(c.description or "-", 50),
        ))
    lines.append(texts.MY_COMPLAINTS_FOOTER)
    return "\n".join(lines)


def rating_buttons(code: str) -> tuple[Button, ...]:
    """Satisfied or not with the answer to ``code``."""
    return (Rate(code, True).button(texts.RATE_SATISFIED), Rate(code, False).button(texts.RATE_UNSATISFIED))


def skm_buttons(code: str) -> tuple[Button, ...]:
    """The SKM question: the quality of the officer's answer, 1 to 4."""
    return tuple(Skm(code, score).button(label) for score, label in texts.SKM_LABELS.items())

"""The notification texts the domain asks for (``complaints.notifications.Notices``), in
Indonesian: to the citizen when their complaint moves on, to officers when a case arrives,
is answered, escalates, and in their daily digest. The wording is in ``bot/texts``."""

from __future__ import annotations

from datetime import datetime

from complaints.deadlines import DeadlinePolicy
from complaints.notifications import Button
from complaints.org import Officer, Unit
from complaints.ports import UnitSummary
from complaints.taxonomy import Status
from complaints.visibility import Audience, CaseView

from .render.case import latest_rating
from .render.citizen import rating_buttons
from .render.dates import format_day, format_moment
from .render.labels import category_label, shorten, status_label
from .render.officer import (
    UNIT_ACTIONS,
    VERIFIER_ACTIONS,
    category_origin_line,
    complainant_line,
    description,
    officer_buttons,
    place_line,
)
from .texts import citizen as citizen_texts
from .texts import followup as followup_texts
from .texts import officer as texts
from .texts import spam as spam_texts
from .texts import support as support_texts


class IndonesianNotices:
    """The notification texts the domain asks for (complaints.notifications.Notices), each
    worded from the case as its reader may see it."""

    def __init__(self, templates: dict[str, str] | None = None, policy: DeadlinePolicy | None = None) -> None:
        self.headlines = {**texts.ESCALATION_HEADLINES, **(templates or {})}
        self.policy = policy or DeadlinePolicy()

    @staticmethod
    def _case_lines(case: CaseView) -> list[str]:
        weight = texts.CASE_WEIGHT.format(weight=case.details.weight.value) if case.details else ""
        lines = [
            texts.CASE_SERVICE.format(category=category_label(case.category)) + weight,
            texts.CASE_DESCRIPTION.format(description=description(case, 300)),
            texts.CASE_PLACE.format(place=place_line(case)),
            texts.CASE_COMPLAINANT.format(who=complainant_line(case)),
        ]
        if case.ongoing:
            lines.insert(2, texts.CASE_ONGOING)
        if case.supporters:
            lines.append(support_texts.SUPPORTERS_LINE.format(count=case.supporters))
        return lines

    @staticmethod
    def _reopen_reason(case: CaseView) -> str:
        """The complainant's reason for not being satisfied, as this officer may read it."""
        rating = latest_rating(case)
        if rating is None or rating.to_status is not Status.DIBUKA_KEMBALI:
            return ""
        return texts.REOPEN_REASON.format(reason=shorten(rating.note, 1000)) if rating.note \
            else texts.REOPEN_NO_REASON

    def verification_needed(self, case: CaseView, suggested: Unit, officer: Officer) -> str:
        lines = [texts.VERIFICATION_NEEDED.format(code=case.code), *self._case_lines(case)]
        origin = category_origin_line(case)
        if origin:
            lines.insert(2, origin)  # under the service it is about
        lines.append(texts.SUGGESTED_UNIT.format(unit=suggested.name, unit_id=suggested.id))
        created = case.history[0] if case.history else None
        if created is not None and created.note:  # e.g. outside the organisation's region
            lines.append(texts.CREATED_NOTE.format(note=created.note))
        if case.late_filing:
            lines.append(texts.LATE_FILING_FLAG.format(days=self.policy.late_filing_days))
        if case.due_at:
            lines.append(texts.VERIFY_DUE.format(moment=format_moment(case.due_at, suggested.timezone)))
        lines.append(texts.DISPOSE_HINT.format(code=case.code, officer=officer.id))
        return "\n".join(lines)

    def new_case(self, case: CaseView, unit: Unit, officer: Officer) -> str:
        lines = [texts.NEW_CASE.format(unit=unit.name, code=case.code), *self._case_lines(case)]
        if case.due_at:
            lines.append(texts.FIRST_FOLLOW_UP_DUE.format(moment=format_moment(case.due_at, unit.timezone)))
        lines.append(texts.SHOW_HINT.format(code=case.code, officer=officer.id))
        return "\n".join(lines)

    def status_changed(self, case: CaseView, note: str, unit: Unit) -> str:
        supporter = case.audience is Audience.SUPPORTER
        title = support_texts.SUPPORTER_NEWS_TITLE if supporter else citizen_texts.STATUS_NEWS_TITLE
        lines = [
            title.format(code=case.code),
            citizen_texts.STATUS_NEWS_STATUS.format(status=status_label(case.status)),
        ]
        if note:
            label = citizen_texts.NOTE_LABELS.get(case.status, citizen_texts.NOTE_LABEL_OTHER)
            lines.append(citizen_texts.NOTE_LINE.format(label=label, note=note))
        if case.status is Status.MENUNGGU_INFORMASI and not supporter:  # the question is the complainant's
            lines.append(citizen_texts.STATUS_NEWS_ASK_INFO)
        if case.status is Status.SELESAI:
            lines.append(citizen_texts.STATUS_NEWS_ASK_RATING)
        lines.append(citizen_texts.STATUS_NEWS_FOOTER.format(code=case.code))
        return "\n".join(lines)

    def rating_buttons(self, code: str) -> tuple[Button, ...]:
        return rating_buttons(code)

    def case_buttons(self, code: str, stage: str) -> tuple[Button, ...]:
        actions = VERIFIER_ACTIONS if stage == "verify" else UNIT_ACTIONS
        return officer_buttons(code, actions)

    def info_received(self, case: CaseView, text: str | None, officer: Officer) -> str:
        answer = shorten(text, 1000) if text is not None else texts.WITHHELD
        return texts.INFO_RECEIVED.format(code=case.code, answer=answer)

    def supported(self, case: CaseView, words: str | None, officer: Officer) -> str:
        said = support_texts.SUPPORT_NOTICE_WORDS.format(words=shorten(words, 1000)) if words else ""
        return support_texts.SUPPORT_NOTICE.format(code=case.code, count=case.supporters, words=said)

    def merged_reason(self, kept: str) -> str:
        return support_texts.MERGED_REASON.format(code=kept)

    def merged(self, case: CaseView, kept: str) -> str:
        return support_texts.MERGED_NOTICE.format(duplicate=case.code, kept=kept)

    def unmerged(self, case: CaseView, kept: str) -> str:
        return support_texts.UNMERGED_NOTICE.format(duplicate=case.code, kept=kept)

    def info_added(self, case: CaseView, text: str | None, files: int, officer: Officer) -> str:
        answer = shorten(text, 1000) if text is not None else texts.WITHHELD
        lines = [texts.INFO_ADDED.format(code=case.code, answer=answer or "-")]
        if files:
            lines.append(texts.INFO_ADDED_FILES.format(count=files, code=case.code))
        return "\n".join(lines)

    def escalation(self, case: CaseView, unit: Unit, level: int, officer: Officer, reason: str) -> str:
        tz = unit.timezone
        key = "dibuka_kembali" if reason == "reopened" else {1: "pengingat", 2: "lewat_batas"}.get(level, "pimpinan")
        due = format_moment(case.due_at, tz) if case.due_at else "-"
        head = self.headlines[key].format(kode=case.code, unit=unit.name, batas=due)
        lines = [head, texts.ESCALATION_UNIT_STATUS.format(unit=unit.name, status=status_label(case.status)),
                 *self._case_lines(case)[:2]]
        if case.supporters:  # fifty people waiting on one drain weigh more than one
            lines.append(support_texts.SUPPORTERS_LINE.format(count=case.supporters))
        if reason == "reopened" and (why := self._reopen_reason(case)):
            lines.append(why)
        if case.due_at:
            lines.append(texts.ESCALATION_DUE.format(moment=format_moment(case.due_at, tz)))
        if case.details is not None and case.details.assignee:
            lines.append(texts.ESCALATION_ASSIGNEE.format(assignee=case.details.assignee))
        lines.append(texts.SHOW_HINT.format(code=case.code, officer=officer.id))
        return "\n".join(lines)

    def digest(self, unit: Unit, summary: UnitSummary, officer: Officer, now: datetime,
               officers: dict[str, Officer]) -> str:
        lines = [
            texts.DIGEST_TITLE.format(unit=unit.name, day=format_day(now, unit.timezone)),
            texts.DIGEST_OPEN.format(count=summary.open),
            texts.DIGEST_DUE_SOON.format(days=summary.soon_days, count=summary.due_soon),
            texts.DIGEST_OVERDUE.format(count=summary.overdue),
        ]
        if summary.by_assignee:
            lines.append(texts.DIGEST_BY_ASSIGNEE)
            for assignee, (open_count, overdue) in sorted(summary.by_assignee.items(), key=lambda kv: kv[0] or ""):
                name = officers[assignee].name if assignee in officers else (assignee or texts.DIGEST_NOT_TAKEN)
                lines.append(texts.DIGEST_ROW.format(name=name, open=open_count, overdue=overdue))
        if summary.undelivered:
            lines.append(texts.DIGEST_UNDELIVERED.format(codes=", ".join(summary.undelivered)))
        return "\n".join(lines)

    def auto_close_note(self, working_days: int) -> str:
        return texts.AUTO_CLOSE_NOTE.format(days=working_days)

    def auto_closed(self, case: CaseView, working_days: int, unit: Unit) -> str:
        lines = [followup_texts.AUTO_CLOSED.format(code=case.code, days=working_days)]
        if case.public_note:
            lines.append(followup_texts.AUTO_CLOSED_ANSWER.format(answer=case.public_note))
        lines += [followup_texts.AUTO_CLOSED_NEXT.format(code=case.code),
                  citizen_texts.NEXT_STEP_OMBUDSMAN.format(code=case.code)]
        return "\n".join(lines)

    def outside_region_note(self, region_name: str | None) -> str:
        if region_name:
            return followup_texts.OUTSIDE_REGION_NOTE.format(region=region_name)
        return followup_texts.OUTSIDE_REGION_NOTE_UNNAMED

    def copies_suspected(self, codes: list[str], senders: int, minutes: int) -> str:
        return spam_texts.COPIES_SUSPECTED.format(senders=senders, minutes=minutes, codes=", ".join(codes))

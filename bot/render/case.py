"""Why a case is where it is, told to its complainant from their own view of it: the
reason a rejection gave, to whom it was forwarded, how it closed, what the unit asked, or
who is working on it and until when. Only what the visibility policy lets the viewer see
(``CaseContext.view``); from any other chat the status only."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from complaints.model import AuditKind
from complaints.org import Unit
from complaints.taxonomy import Role, Status
from complaints.visibility import Audience, CaseView, EntryView

from ..texts import followup as texts
from .dates import format_date, format_moment
from .labels import status_label

RATING_MOVES = frozenset({Status.DITUTUP, Status.DIBUKA_KEMBALI})  # out of selesai: puas, tidak puas


def last_move(case: CaseView, target: Status | None = None) -> EntryView | None:
    """The latest status change of the case (into ``target``, when given)."""
    for entry in reversed(case.history):
        if entry.to_status is not None and entry.action is AuditKind.STATUS and target in (None, entry.to_status):
            return entry
    return None


def is_rating(entry: EntryView) -> bool:
    """The complainant's rating of an answer: their move out of ``selesai``."""
    return entry.role is Role.COMPLAINANT and entry.from_status is Status.SELESAI and entry.to_status in RATING_MOVES


def latest_rating(case: CaseView) -> EntryView | None:
    """The complainant's rating of the unit's latest answer; None when there is none, or a
    newer answer or move by staff came after it (the rating was of an earlier answer)."""
    for entry in reversed(case.history):
        if entry.to_status is None:
            continue
        if is_rating(entry):
            return entry
        if entry.role is not Role.SYSTEM:
            return None
    return None


def auto_closed(case: CaseView) -> bool:
    closed = last_move(case, Status.DITUTUP)
    return case.status is Status.DITUTUP and closed is not None and closed.role is Role.SYSTEM


def rating_line(case: CaseView) -> str | None:
    """The complainant's own verdict on the answer, with their reason, for a status check;
    or that the case closed itself unrated. None for any other reader or case."""
    if case.audience is not Audience.OWNER:
        return None
    if auto_closed(case):
        return texts.STATUS_VIEW_AUTO_CLOSED
    rating = latest_rating(case)
    if rating is None:
        return None
    line = texts.STATUS_VIEW_RATING[rating.to_status is Status.DITUTUP]
    if rating.note:
        line += texts.STATUS_VIEW_RATING_REASON.format(reason=rating.note)
    return line


def explain(view: CaseView, tz: ZoneInfo, unit: Unit | None = None) -> str:
    """Why the case is where it is, from the history ``view`` lets its reader see;
    ``unit``: the unit handling it (its name is said), in ``tz``."""
    title = texts.EXPLAIN_TITLE.format(code=view.code, status=status_label(view.status))
    if view.details is None:  # not the complainant's own chat: the status only
        return texts.EXPLAIN_STATUS_ONLY.format(code=view.code, status=status_label(view.status))
    return "\n".join([title, *_why(view, tz, unit)])


def _why(view: CaseView, tz: ZoneInfo, unit: Unit | None) -> list[str]:
    status, code = view.status, view.code
    move = last_move(view, status)
    note = move.note if move is not None else ""
    unit_name = unit.name if unit is not None else texts.EXPLAIN_UNIT_FALLBACK
    if status is Status.DITOLAK:
        reason = texts.EXPLAIN_REJECTED.format(reason=note) if note else texts.EXPLAIN_REJECTED_NO_REASON
        return [reason, texts.EXPLAIN_REJECTED_NEXT.format(code=code)]
    if status is Status.DISALURKAN:
        return [texts.EXPLAIN_FORWARDED.format(to=note) if note else texts.EXPLAIN_FORWARDED_NO_NOTE]
    if status is Status.DITUTUP:
        return _closed(view, move)
    if status is Status.SELESAI:
        return [texts.EXPLAIN_ANSWERED, *_answer(view)]
    if status is Status.MENUNGGU_INFORMASI:
        return [texts.EXPLAIN_WAITING.format(question=note or "-"), texts.EXPLAIN_WAITING_NEXT]
    lines = [texts.EXPLAIN_IN_PROCESS.get(status, texts.EXPLAIN_IN_PROCESS[Status.DIPROSES]).format(unit=unit_name)]
    if status is Status.DIBUKA_KEMBALI and move is not None and move.note and move.role is Role.COMPLAINANT:
        lines.append(texts.EXPLAIN_YOUR_REASON.format(reason=move.note))
    if _rerouted(view):
        lines.append(texts.EXPLAIN_REROUTED.format(unit=unit_name))
    if view.public_note and status is not Status.DITERIMA:
        lines.append(texts.EXPLAIN_OFFICER_NOTE.format(note=view.public_note))
    if view.due_at is not None:
        lines.append(texts.EXPLAIN_NEXT_DUE.format(moment=format_moment(view.due_at, tz)))
    if view.details is not None and view.details.resolve_due_at is not None:
        resolve_by = view.details.resolve_due_at.astimezone(tz).date()
        lines.append(texts.EXPLAIN_RESOLVE_DUE.format(date=format_date(resolve_by)))
    return lines


def _answer(view: CaseView) -> list[str]:
    return [texts.EXPLAIN_ANSWER.format(answer=view.public_note)] if view.public_note else []


def _closed(view: CaseView, move: EntryView | None) -> list[str]:
    next_step = texts.EXPLAIN_CLOSED_NEXT.format(code=view.code)
    if move is not None and move.role is Role.SYSTEM:
        return [texts.EXPLAIN_CLOSED_AUTO, *_answer(view), next_step]
    if move is not None and is_rating(move):
        lines = [texts.EXPLAIN_CLOSED_SATISFIED, *_answer(view)]
        if move.note:
            lines.append(texts.EXPLAIN_YOUR_REASON.format(reason=move.note))
        return lines
    lines = [texts.EXPLAIN_CLOSED_BY_ADMIN]
    if move is not None and move.note:
        lines.append(texts.EXPLAIN_OFFICER_NOTE.format(note=move.note))
    return [*lines, next_step]


def _rerouted(view: CaseView) -> bool:
    """Whether the admin disposed the case to another unit than the one first suggested
    (the complainant's view carries the units of a disposition)."""
    return any(e.to_status is Status.DIDISPOSISIKAN and e.from_unit_id for e in view.history)

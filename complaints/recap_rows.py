"""One complaint's line of the recap book (complaints.recap): its stages, their deadlines
and verdicts, the days it took; and the period a recap covers.

Pure domain code: a complaint, the organisation and a working calendar in, its row out.
Nothing here reads the clock: the report's moment (``as_of``) is passed in.

Stage deadlines are read from the audit trail (the entry that started a stage recorded its
deadline and unit, complaints.model.Deadline; older entries get theirs recomputed):

- verification and disposition (``diterima`` until the first decision: disposed,
  forwarded or rejected): the filing entry's deadline, the central unit's stage;
- the unit's first follow-up, once per disposition or reopening (until the next status
  change): that move's deadline and unit;
- resolution (``diterima`` until the last ``selesai``): the complaint's stored
  ``resolve_due_at``, which already gives back the time spent waiting for the
  complainant; not applicable to forwarded or rejected complaints.

A stage not finished yet counts as missed once its deadline has passed, otherwise as
running. "Days taken" run from submission to the resolution (the last ``selesai``), the
forwarding or rejection, or ``as_of``; in the central unit's time zone, as working days
and as calendar days, waiting time included.
Escalations: the facts the desk recorded (complaints.model.Escalation).

A case the admin rejected as spam (complaints.model.Rejection, reason spam) is not judged:
its row has no stages and no escalations (``RecapRow.spam``), so it weighs on no unit's
deadline figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from .calendar import WorkingCalendar
from .model import AuditEntry, AuditKind, Complaint, Escalation, RejectionReason
from .org import Organisation
from .taxonomy import Category, Status, Weight
from .workflow import FOLLOW_UP_STARTS

RESOLVED: frozenset[Status] = frozenset({Status.SELESAI, Status.DITUTUP})
ENDED_ELSEWHERE: frozenset[Status] = frozenset({Status.DISALURKAN, Status.DITOLAK})


class Stage(StrEnum):
    VERIFY = "verifikasi"
    FOLLOW_UP = "tindak_lanjut"
    RESOLVE = "penyelesaian"


class Verdict(StrEnum):
    MET = "tepat_waktu"
    MISSED = "terlambat"
    RUNNING = "berjalan"  # not finished, deadline not passed yet
    NOT_APPLICABLE = "tidak_berlaku"


# --- the period -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included, in a given time zone."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"period starts after it ends: {self.start} > {self.end}")

    @classmethod
    def month_of(cls, day: date) -> Period:
        """The calendar month ``day`` falls in."""
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return cls(first, following - timedelta(days=1))

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[first moment, first moment after the period) in ``tz``."""
        return (datetime.combine(self.start, time(0), tzinfo=tz),
                datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=tz))

    def weeks(self) -> list[tuple[date, date]]:
        """Monday-to-Sunday weeks, the first and last clipped to the period."""
        monday = self.start - timedelta(days=self.start.weekday())
        weeks = []
        while monday <= self.end:
            weeks.append((max(monday, self.start), min(monday + timedelta(days=6), self.end)))
            monday += timedelta(days=7)
        return weeks


# --- one complaint ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StageCheck:
    stage: Stage
    unit_id: str  # who answers for the stage
    started_at: datetime
    due_at: datetime
    ended_at: datetime | None
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class RecapRow:
    code: str
    submitted_at: datetime
    submitted_on: date  # in the central unit's time zone
    channel: str
    category: Category
    weight: Weight
    unit_id: str
    status: Status
    ended_at: datetime | None  # resolved (last selesai), forwarded or rejected
    days_working: int
    days_calendar: int
    stages: tuple[StageCheck, ...]
    satisfied: bool | None
    skm_score: int | None
    escalations: tuple[tuple[str, int], ...]  # (unit id, level) per escalation
    spam: bool = False  # rejected as spam: no stages, no escalations (out of the deadline figures)
    supporters: int = 0  # citizens who support the case besides its complainant
    merged: bool = False  # rejected as a duplicate: merged into another case

    @property
    def resolved(self) -> bool:
        return self.status in RESOLVED

    def verdict(self, stage: Stage) -> Verdict:
        """One verdict per stage: missed if any instance was missed (a case reopened twice
        has three follow-up stages)."""
        return combine(check.verdict for check in self.stages if check.stage is stage)

    @property
    def on_time(self) -> Verdict:
        """Within every deadline: missed if any stage was, running while one runs."""
        return combine(check.verdict for check in self.stages)


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    found = set(verdicts)
    for verdict in (Verdict.MISSED, Verdict.RUNNING, Verdict.MET):
        if verdict in found:
            return verdict
    return Verdict.NOT_APPLICABLE


def _judge(ended_at: datetime | None, due_at: datetime, as_of: datetime) -> Verdict:
    if ended_at is not None:
        return Verdict.MET if ended_at <= due_at else Verdict.MISSED
    return Verdict.MISSED if as_of > due_at else Verdict.RUNNING


@dataclass(frozen=True)
class RecapRules:
    """What a row needs besides the complaint: the organisation, its calendar, the moment."""

    org: Organisation
    calendar: WorkingCalendar
    as_of: datetime

    def __post_init__(self) -> None:
        if self.as_of.tzinfo is None:
            raise ValueError("as_of must be timezone-aware")

    @property
    def tz(self) -> ZoneInfo:
        return self.org.central.timezone

    def unit_id(self, complaint: Complaint) -> str:
        return complaint.unit_id or self.org.unit_for(complaint.category).id

    def unit_tz(self, unit_id: str) -> ZoneInfo:
        unit = self.org.units.get(unit_id)
        return unit.timezone if unit is not None else self.tz

    def row(self, complaint: Complaint) -> RecapRow:
        moves = [e for e in complaint.audit if e.action is AuditKind.STATUS and e.to_status is not None]
        unit_id = self.unit_id(complaint)
        ended_at = self._ended_at(complaint, moves)
        end = max(ended_at or self.as_of, complaint.created_at)
        local_start, local_end = complaint.created_at.astimezone(self.tz), end.astimezone(self.tz)
        rejection = complaint.rejection
        spam = rejection is not None and rejection.reason is RejectionReason.SPAM
        return RecapRow(
            code=complaint.code,
            submitted_at=complaint.created_at,
            submitted_on=local_start.date(),
            channel=complaint.channel,
            category=complaint.category,
            weight=complaint.weight,
            unit_id=unit_id,
            status=complaint.status,
            ended_at=ended_at,
            days_working=self.calendar.working_days_between(complaint.created_at, end, self.tz),
            days_calendar=(local_end.date() - local_start.date()).days,
            stages=() if spam else tuple(self._stages(complaint, moves, unit_id)),
            satisfied=complaint.satisfied,
            skm_score=complaint.skm_score,
            escalations=() if spam else tuple(self._escalations(complaint)),
            spam=spam,
            supporters=len(complaint.supporters),
            merged=rejection is not None and rejection.reason is RejectionReason.DUPLICATE,
        )

    def _ended_at(self, complaint: Complaint, moves: list[AuditEntry]) -> datetime | None:
        if complaint.status in RESOLVED:
            return next((e.at for e in reversed(moves) if e.to_status is Status.SELESAI), None)
        if complaint.status in ENDED_ELSEWHERE:
            return next((e.at for e in reversed(moves) if e.to_status is complaint.status), None)
        return None

    def _stages(self, complaint: Complaint, moves: list[AuditEntry], unit_id: str) -> list[StageCheck]:
        days = self.org.policy.days(complaint.weight)
        start = complaint.created_at
        decided = next((e.at for e in moves if e.to_status is not Status.DIVERIFIKASI), None)
        filed = next((e for e in complaint.audit if e.action is AuditKind.CREATED), None)
        owner, due = self._recorded(filed, self.org.default_unit, start, days.verify, self.tz)
        checks = [StageCheck(Stage.VERIFY, owner, start, due, decided, _judge(decided, due, self.as_of))]
        for i, entry in enumerate(moves):
            if entry.to_status in FOLLOW_UP_STARTS:
                ended = moves[i + 1].at if i + 1 < len(moves) else None
                owner, due = self._recorded(entry, unit_id, entry.at, days.follow_up, self.unit_tz(unit_id))
                checks.append(StageCheck(Stage.FOLLOW_UP, owner, entry.at, due, ended, _judge(ended, due, self.as_of)))
        if complaint.status not in ENDED_ELSEWHERE:
            due = complaint.resolve_due_at or self.org.policy.resolve_due(complaint.weight, start, self.tz)
            resolved = self._ended_at(complaint, moves)
            if resolved is None and complaint.status is Status.MENUNGGU_INFORMASI and complaint.paused_at:
                due += max(self.as_of - complaint.paused_at, timedelta(0))  # the clock is paused
            checks.append(StageCheck(Stage.RESOLVE, unit_id, start, due, resolved,
                                     _judge(resolved, due, self.as_of)))
        return checks

    def _recorded(self, entry: AuditEntry | None, unit_id: str, start: datetime, days: int,
                  tz: ZoneInfo) -> tuple[str, datetime]:
        """The unit and deadline ``entry`` recorded, else (older) ``days`` working days on."""
        if entry is not None and entry.deadline is not None:
            return entry.deadline.unit_id, entry.deadline.due_at
        return unit_id, self.calendar.add_working_days(start, days, tz)

    def _escalations(self, complaint: Complaint) -> list[tuple[str, int]]:
        """(unit whose stage it was, level) of each escalation; an entry from before 0006
        that names no unit was about the central admin's stage."""
        return [(e.facts.unit_id or self.org.default_unit, e.facts.level)
                for e in complaint.audit if isinstance(e.facts, Escalation)]

"""The recap book (Buku Rekapitulasi Pengaduan) and its summary.

Pure domain code: complaints, the organisation and a working calendar in; one row per
complaint (complaints.recap_rows: its stages, deadlines and verdicts) and a summary out
(with how categories were chosen: complaints.routing). Nothing here reads the clock: the
report's moment (``as_of``) is passed in.

A case the admin rejected as spam (complaints.model.Rejection) is counted (by status,
category, unit, channel, and as ``rejected_spam``) but left out of every deadline figure:
it has no stages, no escalations and no days taken.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from .model import Complaint
from .recap_rows import (
    ENDED_ELSEWHERE,
    RESOLVED,
    Period,
    RecapRow,
    RecapRules,
    Stage,
    StageCheck,
    Verdict,
    combine,
)
from .routing import RoutingTally
from .skm import Grade, service_grade, skm_index
from .taxonomy import Category, Status

__all__ = [
    "ENDED_ELSEWHERE", "RESOLVED", "Period", "RecapBook", "RecapRow", "RecapRules", "RecapSummary", "Stage",
    "StageCheck", "Tally", "Verdict", "Week", "combine", "recap",
]

K = TypeVar("K")


# --- the summary ------------------------------------------------------------------------------

@dataclass
class Tally:
    met: int = 0
    missed: int = 0
    running: int = 0

    def add(self, verdict: Verdict) -> None:
        if verdict is Verdict.MET:
            self.met += 1
        elif verdict is Verdict.MISSED:
            self.missed += 1
        elif verdict is Verdict.RUNNING:
            self.running += 1

    @property
    def decided(self) -> int:
        return self.met + self.missed

    @property
    def share(self) -> float | None:
        """Share of decided stages that met their deadline, 0-1 (None: none decided)."""
        return self.met / self.decided if self.decided else None


@dataclass(frozen=True)
class Week:
    start: date
    end: date
    submitted: int
    resolved: int  # resolutions (last selesai) that fell in this week


@dataclass(frozen=True)
class RecapSummary:
    period: Period
    as_of: datetime
    total: int
    by_status: dict[Status, int]
    by_category: dict[Category, int]  # largest first
    by_unit: dict[str, int]
    by_channel: dict[str, int]
    stages: dict[Stage, Tally]
    compliance_by_unit: dict[str, Tally]  # every stage a unit answers for
    on_time: Tally  # per complaint: every deadline met
    resolved: int
    average_days_working: float | None  # over resolved complaints
    average_days_calendar: float | None
    escalations_by_unit: dict[str, dict[int, int]]  # unit -> level -> escalations
    skm_scores: dict[int, int]  # 1-4 -> respondents
    satisfied: int
    unsatisfied: int
    weeks: tuple[Week, ...]
    routing: RoutingTally  # routed automatically, and re-routed after that
    rejected_spam: int = 0  # rejected as spam (in by_status as ditolak; in no deadline figure)
    merged: int = 0  # rejected as duplicates, merged into another case (in by_status as ditolak)
    supporters: int = 0  # citizens who supported a case instead of reporting it again
    supported_cases: int = 0  # cases with at least one supporter

    @property
    def skm_respondents(self) -> int:
        return sum(self.skm_scores.values())

    @property
    def skm_index(self) -> Decimal | None:
        return skm_index(score for score, n in self.skm_scores.items() for _ in range(n))

    @property
    def grade(self) -> Grade | None:
        index = self.skm_index
        return None if index is None else service_grade(index)


def _largest_first(counter: Counter[K]) -> dict[K, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], str(item[0]))))


@dataclass
class RecapBook:
    """Rows one complaint at a time (so a long export streams), and the summary at the end.

    ``add`` takes the complaints in any order; only the summary is kept in memory."""

    rules: RecapRules
    period: Period
    _status: Counter[Status] = field(default_factory=Counter)
    _category: Counter[Category] = field(default_factory=Counter)
    _unit: Counter[str] = field(default_factory=Counter)
    _channel: Counter[str] = field(default_factory=Counter)
    _stages: dict[Stage, Tally] = field(default_factory=lambda: {stage: Tally() for stage in Stage})
    _by_unit: dict[str, Tally] = field(default_factory=dict)
    _on_time: Tally = field(default_factory=Tally)
    _days_working: list[int] = field(default_factory=list)
    _days_calendar: list[int] = field(default_factory=list)
    _escalations: dict[str, Counter[int]] = field(default_factory=dict)
    _skm: Counter[int] = field(default_factory=Counter)
    _rated: Counter[bool] = field(default_factory=Counter)
    _submitted_on: Counter[date] = field(default_factory=Counter)
    _resolved_on: Counter[date] = field(default_factory=Counter)
    _routing: RoutingTally = field(default_factory=RoutingTally)
    _spam: int = 0
    _merged: int = 0
    _supporters: int = 0
    _supported: int = 0

    def add(self, complaint: Complaint) -> RecapRow:
        row = self.rules.row(complaint)
        self._status[row.status] += 1
        self._category[row.category] += 1
        self._unit[row.unit_id] += 1
        self._channel[row.channel] += 1
        for check in row.stages:
            self._stages[check.stage].add(check.verdict)
            self._by_unit.setdefault(check.unit_id, Tally()).add(check.verdict)
        self._on_time.add(row.on_time)
        if row.resolved:
            self._days_working.append(row.days_working)
            self._days_calendar.append(row.days_calendar)
            if row.ended_at is not None:
                self._resolved_on[row.ended_at.astimezone(self.rules.tz).date()] += 1
        for unit_id, level in row.escalations:
            self._escalations.setdefault(unit_id, Counter())[level] += 1
        if row.skm_score is not None:
            self._skm[row.skm_score] += 1
        if row.satisfied is not None:
            self._rated[row.satisfied] += 1
        self._submitted_on[row.submitted_on] += 1
        self._spam += row.spam
        self._merged += row.merged
        self._supporters += row.supporters
        self._supported += row.supporters > 0
        self._routing.add(complaint)
        return row

    def summary(self) -> RecapSummary:
        weeks = tuple(
            Week(start, end,
                 sum(n for day, n in self._submitted_on.items() if start <= day <= end),
                 sum(n for day, n in self._resolved_on.items() if start <= day <= end))
            for start, end in self.period.weeks()
        )
        return RecapSummary(
            period=self.period,
            as_of=self.rules.as_of,
            total=sum(self._status.values()),
            by_status=_largest_first(self._status),
            by_category=_largest_first(self._category),
            by_unit=_largest_first(self._unit),
            by_channel=_largest_first(self._channel),
            stages=dict(self._stages),
            compliance_by_unit=dict(sorted(self._by_unit.items())),
            on_time=self._on_time,
            resolved=len(self._days_working),
            average_days_working=_mean(self._days_working),
            average_days_calendar=_mean(self._days_calendar),
            escalations_by_unit={unit: dict(sorted(levels.items())) for unit, levels in sorted(self._escalations.items())},
            skm_scores={score: self._skm[score] for score in (1, 2, 3, 4)},
            satisfied=self._rated[True],
            unsatisfied=self._rated[False],
            weeks=weeks,
            routing=self._routing,
            rejected_spam=self._spam,
            merged=self._merged,
            supporters=self._supporters,
            supported_cases=self._supported,
        )


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def recap(complaints: Iterable[Complaint], rules: RecapRules, period: Period) -> tuple[list[RecapRow], RecapSummary]:
    """Every row and the summary, for callers that hold all complaints anyway."""
    book = RecapBook(rules, period)
    rows = [book.add(complaint) for complaint in complaints]
    return rows, book.summary()

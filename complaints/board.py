"""The public board's figures (``/papan/``): this month's complaints by category and unit,
the share handled within every deadline, the satisfaction index, the cases resolved this
month and the repairs promised for this month, kept or late.

Pure domain code: complaints in (storage.board reads them), figures out. Nothing here reads
the clock: the board's moment (``as_of``) and its month are passed in. Every rule is borrowed:

- **counts**: complaints filed this month, by category and by the unit that answers for them
  (complaints.recap_rows.RecapRules.unit_id); cases the admin rejected as spam are left out.
  Every privacy mode is counted.
- **within deadline**: the recap book's per-complaint verdict (RecapRow.on_time: every stage
  deadline met) over this month's complaints, tallied with complaints.recap.Tally: the share
  of those already decided (met or missed; cases whose deadlines still run are not judged yet).
- **IKM**: complaints.skm.skm_index over the SKM answers given this month (any filing date),
  and its grade (service_grade).
- **resolved**: cases whose last move to selesai fell this month and that are still selesai
  or ditutup; counted whatever their privacy, listed (the latest first) only when biasa.
- **promised repairs**: cases a unit took up (:data:`TAKEN_UP`) whose resolution target
  (``resolve_due_at``) falls this month, whatever their filing date. The promise is the
  recap's resolution stage (Stage.RESOLVE: its deadline, with the time waiting for the
  complainant given back): kept (Verdict.MET: selesai by the date), late (Verdict.MISSED:
  selesai after it, or still open past it) or pending (Verdict.RUNNING). Counted whatever
  their privacy; listed only when biasa, the decided ones first (latest date first), then the
  pending ones (nearest date first).

Only biasa complaints are listed, and only as the public reads them: category, kelurahan and
the unit's last answer come from the visibility policy's public view (complaints.visibility:
the answer redacted of every personal datum); rahasia and anonim complaints are only counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from .model import Complaint
from .recap import Tally
from .recap_rows import Period, RecapRow, RecapRules, Stage, StageCheck, Verdict
from .skm import Grade, service_grade, skm_index
from .taxonomy import Category, PrivacyMode, Status
from .visibility import PUBLIC, Visibility

LISTED = 20  # cases listed per table (resolved; promised repairs)

# The statuses of a case a unit took up: it is working on it, asked the complainant for more,
# answered it (selesai, then ditutup) or had it reopened. Its resolution target is then the
# unit's promise. Storage selects by the same set.
TAKEN_UP: frozenset[Status] = frozenset(
    {Status.DIPROSES, Status.MENUNGGU_INFORMASI, Status.SELESAI, Status.DITUTUP, Status.DIBUKA_KEMBALI}
)
RESOLVED_STATUSES: frozenset[Status] = frozenset({Status.SELESAI, Status.DITUTUP})


def month_of(moment: datetime, tz: ZoneInfo) -> Period:
    """The calendar month ``moment`` falls in, in ``tz``."""
    return Period.month_of(moment.astimezone(tz).date())


# --- what storage hands over ------------------------------------------------------------------

@dataclass(frozen=True)
class BoardSource:
    """The complaints the board is made of, with their audit trails (storage.board)."""

    # filed within the period, and those taken up whose resolution target falls within it
    # (one list: a case may be both); the domain tells them apart
    cases: Sequence[Complaint]
    # biasa cases resolved within the period, the latest resolution first (at most LISTED)
    resolved: Sequence[Complaint]
    resolved_total: int  # every case resolved within the period, whatever its privacy
    skm_scores: dict[int, int]  # SKM answers given within the period: score 1-4 -> respondents


# --- what the board shows ---------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryCount:
    category: Category
    complaints: int


@dataclass(frozen=True)
class UnitCount:
    unit_id: str
    name: str
    complaints: int


@dataclass(frozen=True)
class ResolvedCase:
    """A biasa case resolved this month, as the public reads it."""

    category: Category
    place: str | None  # the kelurahan (region) named, if any
    resolved_at: datetime
    answer: str | None  # the unit's last answer, every personal datum redacted


@dataclass(frozen=True)
class PromisedRepair:
    """A biasa case's promised resolution date, and whether it was kept."""

    category: Category
    place: str | None
    unit_name: str
    promised_at: datetime  # the resolution target (time spent waiting for the complainant given back)
    resolved_at: datetime | None
    verdict: Verdict  # MET kept, MISSED late, RUNNING pending


@dataclass(frozen=True)
class Board:
    period: Period
    as_of: datetime
    filed: int  # complaints filed this month (spam left out)
    by_category: tuple[CategoryCount, ...]  # largest first
    by_unit: tuple[UnitCount, ...]  # largest first
    on_time: Tally  # this month's complaints: every deadline met / one missed / still running
    skm_scores: dict[int, int]  # 1-4 -> respondents (answers given this month)
    resolved_total: int  # every case resolved this month
    resolved: tuple[ResolvedCase, ...]  # biasa ones, the latest first (at most LISTED)
    promises: Tally  # repairs promised for this month: kept (met), late (missed), pending (running)
    promised: tuple[PromisedRepair, ...]  # biasa ones (at most LISTED)

    @property
    def skm_respondents(self) -> int:
        return sum(self.skm_scores.values())

    @property
    def skm_index(self) -> Decimal | None:
        return skm_index(score for score, n in sorted(self.skm_scores.items()) for _ in range(n))

    @property
    def grade(self) -> Grade | None:
        index = self.skm_index
        return None if index is None else service_grade(index)


# --- the figures ------------------------------------------------------------------------------

def _within(moment: datetime | None, bounds: tuple[datetime, datetime]) -> bool:
    return moment is not None and bounds[0] <= moment < bounds[1]


def _resolution(row: RecapRow) -> StageCheck | None:
    return next((check for check in row.stages if check.stage is Stage.RESOLVE), None)


def _promise_order(found: tuple[StageCheck, Complaint, str]) -> tuple[bool, float]:
    """Decided first, the latest date first; then pending, the nearest date first."""
    check = found[0]
    stamp = check.due_at.timestamp()
    return (check.verdict is Verdict.RUNNING, stamp if check.verdict is Verdict.RUNNING else -stamp)


def _unit_name(rules: RecapRules, unit_id: str) -> str:
    unit = rules.org.units.get(unit_id)
    return unit.name if unit is not None else unit_id


class _Remembered(Container[date]):
    """A calendar's holidays, each day looked up once: the board judges thousands of cases
    over the same few hundred days (the ``holidays`` package's lookup is slow)."""

    def __init__(self, holidays: Container[date]) -> None:
        self._holidays = holidays
        self._known: dict[object, bool] = {}

    def __contains__(self, day: object) -> bool:
        found = self._known.get(day)
        if found is None:
            found = self._known[day] = day in self._holidays
        return found


@dataclass(frozen=True)
class BoardRules:
    """What the figures need besides the complaints: the recap's rules (the organisation, its
    calendar, the moment), the month, and the privacy policy."""

    rules: RecapRules
    period: Period
    visibility: Visibility
    listed: int = LISTED

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return self.period.bounds(self.rules.tz)

    def board(self, source: BoardSource) -> Board:
        calendar = self.rules.calendar
        rules = replace(self.rules, calendar=replace(calendar, holidays=_Remembered(calendar.holidays)))
        bounds = self.bounds
        categories: Counter[Category] = Counter()
        units: Counter[str] = Counter()
        on_time, promises = Tally(), Tally()
        promised: list[tuple[StageCheck, Complaint, str]] = []
        for complaint in source.cases:
            row = rules.row(complaint)
            if _within(complaint.created_at, bounds) and not row.spam:
                categories[row.category] += 1
                units[row.unit_id] += 1
                on_time.add(row.on_time)
            check = self._promise(complaint, row, bounds)
            if check is not None:
                promises.add(check.verdict)
                if complaint.privacy is PrivacyMode.BIASA:
                    promised.append((check, complaint, row.unit_id))
        promised.sort(key=_promise_order)
        return Board(
            period=self.period,
            as_of=self.rules.as_of,
            filed=sum(categories.values()),
            by_category=tuple(CategoryCount(c, n) for c, n in sorted(categories.items(), key=lambda i: (-i[1], i[0]))),
            by_unit=tuple(sorted((UnitCount(u, _unit_name(rules, u), n) for u, n in units.items()),
                                 key=lambda unit: (-unit.complaints, unit.name))),
            on_time=on_time,
            skm_scores={score: source.skm_scores.get(score, 0) for score in (1, 2, 3, 4)},
            resolved_total=source.resolved_total,
            resolved=self._resolved(rules, source.resolved, bounds),
            promises=promises,
            promised=tuple(self._repair(*found) for found in promised[: self.listed]),
        )

    @staticmethod
    def _promise(complaint: Complaint, row: RecapRow, bounds: tuple[datetime, datetime]) -> StageCheck | None:
        """The resolution stage of a case taken up whose target falls within the period."""
        if complaint.status not in TAKEN_UP or not _within(complaint.resolve_due_at, bounds):
            return None
        check = _resolution(row)
        return None if check is None or check.verdict is Verdict.NOT_APPLICABLE else check

    def _repair(self, check: StageCheck, complaint: Complaint, unit_id: str) -> PromisedRepair:
        view = self.visibility.view(PUBLIC, complaint)
        return PromisedRepair(view.category, view.region_name, _unit_name(self.rules, unit_id),
                              check.due_at, check.ended_at, check.verdict)

    def _resolved(self, rules: RecapRules, complaints: Sequence[Complaint],
                  bounds: tuple[datetime, datetime]) -> tuple[ResolvedCase, ...]:
        found: list[ResolvedCase] = []
        for complaint in complaints:
            if complaint.privacy is not PrivacyMode.BIASA or complaint.status not in RESOLVED_STATUSES:
                continue  # rahasia and anonim cases are only counted
            ended = rules.row(complaint).ended_at
            if ended is None or not _within(ended, bounds):
                continue
            view = self.visibility.view(PUBLIC, complaint)
            found.append(ResolvedCase(view.category, view.region_name, ended, view.public_note))
        found.sort(key=lambda case: case.resolved_at, reverse=True)
        return tuple(found[: self.listed])


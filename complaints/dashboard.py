"""The dashboard of heads, supervisors and the admin: per unit, what is open and overdue
now, and for the complaints filed in a period how long the first answer and the
resolution took, the share resolved within the deadline and the IKM.

Pure domain code: complaints and their recap rows (complaints.recap_rows, the one home of
deadline verdicts) in, figures out. Nothing here reads the clock or the database; the
open and overdue counts are counted by storage and handed in.

The figures, one definition each:

- **the unit a complaint counts for** (:func:`answering_unit`): the unit it was disposed
  to; before any disposition (and when the central admin forwarded or rejected it without
  one) the central unit, whose stage verifying and disposing is. The visibility policy
  draws the same line (a unit's staff see a case once it is disposed to them), so a unit
  head and the admin read the same numbers for that unit.
- **open** (now, whatever the period): in a status of ``workflow.OPEN``; an open case in
  ``diterima`` or ``diverifikasi`` has not been disposed yet (no move leads back there)
  and counts for the central unit (:data:`OPEN_UNDISPOSED`). **Overdue**: open, its stage
  deadline clock running (not while waiting for the complainant) and passed, as
  ``/metrics`` counts it (storage.queries).
- **first response**: from filing to the first status move an officer must write a note
  to the complainant for (``workflow.NOTE_REQUIRED``: diproses, menunggu_informasi,
  selesai, disalurkan, ditolak): the first answer written for the complainant, not a
  bare verification or disposition. Read from the audit trail (the rows do not carry it).
- **resolution**: from filing to the last ``selesai`` (``RecapRow.ended_at`` of a
  resolved row).
- both durations are elapsed time (calendar hours, nights and holidays included: what
  the complainant waited), and the figure is their median over the complaints filed in
  the period that have one so far.
- **resolved within the deadline**: the recap's verdict of the resolution stage: met /
  (met + missed); a case still open after its resolution deadline counts as missed, one
  whose deadline has not come yet is not counted yet.
- **IKM**: complaints.skm over the SKM answers (1-4) given for the period's complaints.

A case rejected as spam counts as filed and in no other figure, as in the recap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from .model import STAFF_ROLES, AuditKind, Complaint
from .recap import RecapRow, Stage, Tally
from .skm import Grade, service_grade, skm_index
from .taxonomy import Status
from .workflow import BEFORE_DISPOSITION, NOTE_REQUIRED, OPEN

__all__ = [
    "OPEN_DISPOSED", "OPEN_UNDISPOSED", "Dashboard", "DashboardBook", "OpenCount", "UnitFigures",
    "answering_unit", "first_response_at", "median",
]

OPEN_UNDISPOSED: frozenset[Status] = OPEN & BEFORE_DISPOSITION  # the central unit's stage
OPEN_DISPOSED: frozenset[Status] = OPEN - BEFORE_DISPOSITION  # the handling unit's
ANSWERS: frozenset[Status] = NOTE_REQUIRED  # a move into these carries an answer for the complainant


def answering_unit(complaint: Complaint, central_unit: str) -> str:
    """The unit whose figures a complaint counts in (see the module's notes)."""
    if complaint.disposed and complaint.unit_id:
        return complaint.unit_id
    return central_unit


def first_response_at(complaint: Complaint) -> datetime | None:
    """When an officer first moved the case with an answer for the complainant, if ever."""
    for entry in complaint.audit:
        if (entry.action is AuditKind.STATUS and entry.to_status in ANSWERS and entry.role in STAFF_ROLES
                and entry.at >= complaint.created_at):
            return entry.at
    return None


def median(values: Sequence[timedelta]) -> timedelta | None:
    """The middle value (the mean of the two middle ones for an even count); None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class OpenCount:
    """Open complaints of one unit now, and how many of them are overdue."""

    open: int = 0
    overdue: int = 0

    def __add__(self, other: OpenCount) -> OpenCount:
        return OpenCount(self.open + other.open, self.overdue + other.overdue)


@dataclass(frozen=True)
class UnitFigures:
    """One line of the dashboard: a unit, or every unit shown (``unit_id`` None)."""

    unit_id: str | None
    open: int
    overdue: int
    filed: int  # filed in the period
    resolved: int  # of those, resolved (selesai or ditutup) by now
    first_response: timedelta | None  # median
    answered: int  # complaints the first-response median is over
    resolution: timedelta | None  # median, over the resolved ones
    on_time: Tally  # the resolution stage's verdicts
    skm_index: Decimal | None
    respondents: int  # SKM answers the index is over

    @property
    def on_time_share(self) -> float | None:
        """Resolved within the deadline, 0-1, of the decided cases (None: none decided)."""
        return self.on_time.share

    @property
    def grade(self) -> Grade | None:
        return None if self.skm_index is None else service_grade(self.skm_index)


@dataclass(frozen=True)
class Dashboard:
    units: tuple[UnitFigures, ...]  # the units shown, in the order asked for
    total: UnitFigures  # all of them together (medians over every complaint, not of medians)

    def unit(self, unit_id: str) -> UnitFigures:
        return next(figures for figures in self.units if figures.unit_id == unit_id)


@dataclass
class _Pile:
    """What one line accumulates."""

    filed: int = 0
    resolved: int = 0
    first_response: list[timedelta] = field(default_factory=list)
    resolution: list[timedelta] = field(default_factory=list)
    on_time: Tally = field(default_factory=Tally)
    skm: list[int] = field(default_factory=list)

    def add(self, complaint: Complaint, row: RecapRow) -> None:
        self.filed += 1
        if row.spam:
            return
        if row.resolved:
            self.resolved += 1
            if row.ended_at is not None:
                self.resolution.append(max(row.ended_at - row.submitted_at, timedelta(0)))
        answered = first_response_at(complaint)
        if answered is not None:
            self.first_response.append(answered - complaint.created_at)
        self.on_time.add(row.verdict(Stage.RESOLVE))
        if row.skm_score is not None:
            self.skm.append(row.skm_score)

    def figures(self, unit_id: str | None, count: OpenCount) -> UnitFigures:
        return UnitFigures(
            unit_id=unit_id, open=count.open, overdue=count.overdue, filed=self.filed, resolved=self.resolved,
            first_response=median(self.first_response), answered=len(self.first_response),
            resolution=median(self.resolution), on_time=self.on_time, skm_index=skm_index(self.skm),
            respondents=len(self.skm),
        )


@dataclass
class DashboardBook:
    """The period's complaints one at a time (with the row the recap book made of each),
    then the figures. ``units``: the units shown, in order (those the viewer may see); a
    complaint of a unit not among them (one since removed from the organisation) adds
    its own line after them."""

    central_unit: str
    units: Sequence[str]
    _piles: dict[str, _Pile] = field(default_factory=dict)
    _total: _Pile = field(default_factory=_Pile)

    def add(self, complaint: Complaint, row: RecapRow) -> None:
        if row.code != complaint.code:
            raise ValueError(f"the row of {row.code} does not belong to {complaint.code}")
        unit_id = answering_unit(complaint, self.central_unit)
        self._piles.setdefault(unit_id, _Pile()).add(complaint, row)
        self._total.add(complaint, row)

    def add_all(self, pairs: Iterable[tuple[Complaint, RecapRow]]) -> None:
        for complaint, row in pairs:
            self.add(complaint, row)

    def figures(self, open_counts: Mapping[str, OpenCount]) -> Dashboard:
        """The lines, given each unit's open and overdue counts (as attributed above)."""
        shown = list(dict.fromkeys([*self.units, *sorted(set(self._piles) - set(self.units))]))
        lines = tuple(self._piles.get(unit_id, _Pile()).figures(unit_id, open_counts.get(unit_id, OpenCount()))
                      for unit_id in shown)
        counted = sum((open_counts.get(unit_id, OpenCount()) for unit_id in shown), OpenCount())
        return Dashboard(lines, self._total.figures(None, counted))

"""The workflow: one table of who may move a complaint from which status to which, whether
the citizen must be given a note, and what happens to the deadline clocks.

Every surface (the officers' chat and its buttons, the command line, the REST API, later
the web console) and every use case reads this table; nothing else decides a transition.
The sets derived at the bottom (final, open, paused, escalating statuses) are read from it
too, so a row added here changes them everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import IllegalTransition, NotAuthorised
from .taxonomy import Role, Status

S = Status


class Clock(StrEnum):
    """What entering the target status does to the deadline of the case."""

    VERIFY = "verify"  # filed: the central admin verifies and disposes, in working days
    KEEP = "keep"  # the stage goes on: verifying and disposing are one stage, one clock
    FOLLOW_UP = "follow_up"  # the unit's first follow-up, in working days
    RESOLVE = "resolve"  # the case runs against its resolution target
    PAUSE = "pause"  # waiting for the complainant: no deadline runs
    AUTO_CLOSE = "auto_close"  # answered: closes itself unless the complainant replies
    STOP = "stop"  # the case ended: no clock at all


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]
    note_required: bool  # the citizen reads a reason, a question, an answer or a progress note
    clock: Clock


ADMIN = frozenset({Role.ADMIN})
# the handling unit's staff; the admin may act in every unit's place
UNIT = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.HEAD, Role.ADMIN})
BEFORE_DISPOSITION = frozenset({S.DITERIMA, S.DIVERIFIKASI})  # the central admin's stage


def _row(sources: set[Status], target: Status, roles: frozenset[Role], note: bool, clock: Clock) -> Transition:
    return Transition(frozenset(sources), target, roles, note, clock)


TABLE: tuple[Transition, ...] = (
    # Only the central admin verifies, disposes (also to another unit: re-routing), forwards
    # to another body (penyaluran) and rejects.
    _row({S.DITERIMA}, S.DIVERIFIKASI, ADMIN, False, Clock.KEEP),
    _row({S.DITERIMA, S.DIVERIFIKASI, S.DIBUKA_KEMBALI}, S.DIDISPOSISIKAN, ADMIN, False, Clock.FOLLOW_UP),
    _row({S.DITERIMA, S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.DIPROSES}, S.DISALURKAN, ADMIN, True, Clock.STOP),
    _row({S.DITERIMA, S.DIVERIFIKASI, S.DIDISPOSISIKAN}, S.DITOLAK, ADMIN, True, Clock.STOP),
    # The unit follows up: the first follow-up is "diproses" with a note the citizen reads.
    _row({S.DIDISPOSISIKAN, S.MENUNGGU_INFORMASI, S.DIBUKA_KEMBALI}, S.DIPROSES, UNIT, True, Clock.RESOLVE),
    # The complainant answered the unit's question: the bot resumes the case.
    _row({S.MENUNGGU_INFORMASI}, S.DIPROSES, frozenset({Role.SYSTEM}), False, Clock.RESOLVE),
    _row({S.DIDISPOSISIKAN, S.DIPROSES, S.DIBUKA_KEMBALI}, S.MENUNGGU_INFORMASI, UNIT, True, Clock.PAUSE),
    _row({S.DIDISPOSISIKAN, S.DIPROSES, S.MENUNGGU_INFORMASI, S.DIBUKA_KEMBALI}, S.SELESAI, UNIT, True,
         Clock.AUTO_CLOSE),
    # The complainant rates the answer (the bot closes it when nobody does); the admin may too.
    _row({S.SELESAI}, S.DITUTUP, frozenset({Role.SYSTEM, Role.COMPLAINANT, Role.ADMIN}), False, Clock.STOP),
    _row({S.SELESAI}, S.DIBUKA_KEMBALI, frozenset({Role.COMPLAINANT, Role.ADMIN}), False, Clock.FOLLOW_UP),
)


def rows(current: Status, target: Status) -> list[Transition]:
    return [row for row in TABLE if row.target is target and current in row.sources]


def check(current: Status, target: Status, role: Role, note: str, *, actor: str = "") -> Transition:
    """The row that allows ``role`` to move ``current`` to ``target`` with ``note``, or the
    refusal: IllegalTransition (no such move, or the note is missing) or NotAuthorised."""
    found = rows(current, target)
    if not found:
        raise IllegalTransition(current=current, target=target)
    allowed = [row for row in found if role in row.roles]
    if not allowed:
        raise NotAuthorised(actor=actor, role=role, target=target)
    row = min(allowed, key=lambda r: r.note_required)  # a role with a note-free row needs none
    if row.note_required and not note.strip():
        raise IllegalTransition("note_required", current=current, target=target)
    return row


def clock_of(current: Status, target: Status) -> Clock:
    """The clock of a move (the same for every role that may make it)."""
    found = rows(current, target)
    if not found:
        raise IllegalTransition(current=current, target=target)
    return found[0].clock


def targets(current: Status) -> frozenset[Status]:
    return frozenset(row.target for row in TABLE if current in row.sources)


def allowed_targets(current: Status, role: Role) -> frozenset[Status]:
    """Where ``role`` may move a complaint that is in ``current`` (for menus and buttons)."""
    return frozenset(row.target for row in TABLE if current in row.sources and role in row.roles)


def roles_for(target: Status) -> frozenset[Role]:
    """Every role that may move some complaint into ``target``."""
    return frozenset(role for row in TABLE if row.target is target for role in row.roles)


def note_required(target: Status, role: Role) -> bool:
    """Whether ``role`` must always write a note to move a complaint into ``target``."""
    found = [row for row in TABLE if row.target is target and role in row.roles]
    return bool(found) and all(row.note_required for row in found)


def _entered_with(clock: Clock) -> frozenset[Status]:
    return frozenset(row.target for row in TABLE if row.clock is clock)


TRANSITIONS: dict[Status, frozenset[Status]] = {status: targets(status) for status in Status}
FINAL: frozenset[Status] = frozenset(status for status, found in TRANSITIONS.items() if not found)
ANSWERED: frozenset[Status] = _entered_with(Clock.AUTO_CLOSE)  # waiting for the complainant's rating
OPEN: frozenset[Status] = frozenset(Status) - FINAL - ANSWERED  # still being handled
PAUSED: frozenset[Status] = _entered_with(Clock.PAUSE)  # no deadline runs
ESCALATING: frozenset[Status] = OPEN - PAUSED  # a stage deadline runs and escalates
FOLLOW_UP_STARTS: frozenset[Status] = _entered_with(Clock.FOLLOW_UP)
# Statuses every staff member must give a note for (the API documents them in its schema).
NOTE_REQUIRED: frozenset[Status] = frozenset(
    status for status in Status if note_required(status, Role.OFFICER) or note_required(status, Role.ADMIN)
)

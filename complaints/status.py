"""Allowed status transitions (TAXONOMY.md) and who may make them."""

from __future__ import annotations

from .taxonomy import Role, Status

S = Status

# from-status -> the statuses it may move to
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.DITERIMA: frozenset({S.DIVERIFIKASI, S.DIDISPOSISIKAN, S.DISALURKAN, S.DITOLAK}),
    S.DIVERIFIKASI: frozenset({S.DIDISPOSISIKAN, S.DISALURKAN, S.DITOLAK}),
    S.DIDISPOSISIKAN: frozenset({S.DIPROSES, S.MENUNGGU_INFORMASI, S.SELESAI, S.DISALURKAN, S.DITOLAK}),
    S.DIPROSES: frozenset({S.MENUNGGU_INFORMASI, S.SELESAI, S.DISALURKAN}),
    S.MENUNGGU_INFORMASI: frozenset({S.DIPROSES, S.SELESAI}),
    S.SELESAI: frozenset({S.DITUTUP, S.DIBUKA_KEMBALI}),
    S.DIBUKA_KEMBALI: frozenset({S.DIDISPOSISIKAN, S.DIPROSES, S.MENUNGGU_INFORMASI, S.SELESAI}),
    S.DITUTUP: frozenset(),
    S.DISALURKAN: frozenset(),
    S.DITOLAK: frozenset(),
}

FINAL: frozenset[Status] = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
OPEN: frozenset[Status] = frozenset(Status) - FINAL - {S.SELESAI}

_STAFF = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.HEAD})
_UNIT = _STAFF | {Role.OFFICER}

# target status -> roles that may move a complaint into it
ALLOWED_ROLES: dict[Status, frozenset[Role]] = {
    S.DITERIMA: frozenset({Role.SYSTEM}),
    S.DIVERIFIKASI: frozenset({Role.ADMIN}),
    S.DIDISPOSISIKAN: _STAFF,
    S.DIPROSES: _UNIT | {Role.SYSTEM},  # the bot resumes a case when the complainant answers
    S.MENUNGGU_INFORMASI: _UNIT,
    S.SELESAI: _UNIT,
    S.DITUTUP: frozenset({Role.SYSTEM, Role.ADMIN, Role.COMPLAINANT}),
    S.DIBUKA_KEMBALI: frozenset({Role.COMPLAINANT, Role.ADMIN}),
    S.DISALURKAN: frozenset({Role.ADMIN}),
    S.DITOLAK: frozenset({Role.ADMIN}),
}

# Moving into these needs a note the citizen will read: the reason, the question,
# the answer, or the body the complaint was forwarded to.
NOTE_REQUIRED: frozenset[Status] = frozenset({S.DITOLAK, S.DISALURKAN, S.MENUNGGU_INFORMASI, S.SELESAI})


def can_move(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]

"""The organisation: units, officers and category routing (loaded by the composition root)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from .calendar import WorkingHours
from .deadlines import DeadlinePolicy
from .model import Actor
from .similarity import Box
from .spam import SpamPolicy
from .taxonomy import Category, Role


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str  # "opd" | "kelurahan" | "kecamatan" | "pusat"
    timezone: ZoneInfo


@dataclass(frozen=True)
class Officer:
    id: str
    name: str
    role: Role
    unit_id: str
    # channel -> sender id on that channel, in order of preference
    identities: dict[str, str] = field(default_factory=dict)

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.role, self.unit_id)

    @property
    def primary_identity(self) -> tuple[str, str] | None:
        return next(iter(self.identities.items()), None)


@dataclass(frozen=True)
class FaqEntry:
    """One question citizens ask that is answered rather than filed (the ``faq:`` section):
    a few ways of asking it, and the answer in Indonesian."""

    id: str
    questions: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class EmergencyNumbers:
    """Who to call when lives are at risk (the ``emergency:`` section; national defaults)."""

    general: str = "112"
    fire: str = "113"  # pemadam kebakaran
    police: str = "110"
    ambulance: str = "119"
    local: tuple[tuple[str, str], ...] = ()  # (label, number): the city's own lines, shown too


@dataclass(frozen=True)
class Organisation:
    name: str
    units: dict[str, Unit]
    officers: dict[str, Officer]
    routing: dict[Category, str]  # category -> unit id
    default_unit: str  # where unrouted categories go (the central admin)
    region_code: str | None = None  # the deployment's own Kemendagri region, if any
    policy: DeadlinePolicy = field(default_factory=DeadlinePolicy)
    working_hours: WorkingHours = field(default_factory=WorkingHours)
    extra_holidays: frozenset[date] = frozenset()  # local holidays on top of the national ones
    # unit id -> level -> officer ids, overriding the default ladder by role
    ladders: dict[str, dict[int, tuple[str, ...]]] = field(default_factory=dict)
    templates: dict[str, str] = field(default_factory=dict)  # escalation headlines, by kind
    faq: tuple[FaqEntry, ...] = ()
    emergency: EmergencyNumbers = field(default_factory=EmergencyNumbers)
    phone_required: bool = False  # ask for a phone number when the channel cannot supply one
    spam: SpamPolicy = field(default_factory=SpamPolicy)  # the daily limit, copies of one text
    # the deployment's extent as a box of latitudes and longitudes, margin included: a shared
    # location outside it is refused (bot/places.py); None: only places abroad are
    area: Box | None = None

    def unit_for(self, category: Category) -> Unit:
        return self.units[self.routing.get(category, self.default_unit)]

    def officers_of(self, unit_id: str, roles: frozenset[Role] | None = None) -> list[Officer]:
        return [
            o for o in self.officers.values() if o.unit_id == unit_id and (roles is None or o.role in roles)
        ]

    def officer_by_identity(self, channel: str, sender: str) -> Officer | None:
        for officer in self.officers.values():
            if officer.identities.get(channel) == sender:
                return officer
        return None

    @property
    def central(self) -> Unit:
        return self.units[self.default_unit]

    def escalation_recipients(self, unit_id: str, level: int, assignee: str | None = None) -> list[Officer]:
        """Who hears of a stage at ``level``: 1 the officers (the assignee if there is one),
        2 the supervisors, 3 the head, falling back upwards and then to the central unit."""
        override = self.ladders.get(unit_id, {}).get(level)
        if override:
            return [self.officers[i] for i in override if i in self.officers]
        if level == 1 and assignee in self.officers:
            return [self.officers[assignee]]
        by_level = {
            1: (frozenset({Role.OFFICER, Role.ADMIN}), frozenset({Role.SUPERVISOR}), frozenset({Role.HEAD})),
            2: (frozenset({Role.SUPERVISOR}), frozenset({Role.HEAD})),
            3: (frozenset({Role.HEAD}),),
        }[min(max(level, 1), 3)]
        for roles in by_level:
            found = self.officers_of(unit_id, roles)
            if found:
                return found
        for roles in (frozenset({Role.HEAD}), frozenset({Role.ADMIN})):
            found = self.officers_of(self.default_unit, roles)
            if found:
                return found
        return []

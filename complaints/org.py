"""The organisation: units, officers and category routing (loaded by the composition root)."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .model import Actor
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
class Organisation:
    name: str
    units: dict[str, Unit]
    officers: dict[str, Officer]
    routing: dict[Category, str]  # category -> unit id
    default_unit: str  # where unrouted categories go (the central admin)
    region_code: str | None = None  # the deployment's own Kemendagri region, if any

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

"""Load and validate the organisation file (YAML) into the domain's Organisation."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date, time
from pathlib import Path
from string import Formatter
from typing import Annotated
from zoneinfo import ZoneInfo

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.texts.officer import ESCALATION_HEADLINES, TEMPLATE_FIELDS
from complaints.calendar import WorkingHours
from complaints.deadlines import DeadlinePolicy, StageDays
from complaints.org import EmergencyNumbers, FaqEntry, Officer, Organisation, Unit
from complaints.similarity import Box
from complaints.spam import SpamPolicy
from complaints.taxonomy import Category, Role

TIME_ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
INDONESIAN_ZONES = set(TIME_ZONES.values()) | {"Asia/Pontianak"}
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]


def _phone_number(value: object) -> str:
    """A telephone number as people dial it: digits only (112, 0315344444); ``112``
    unquoted works too."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not re.fullmatch(r"\d{2,15}", text):
        raise ValueError(f"a phone number is 2 to 15 digits only (e.g. 112 or 0315344444), got {value!r}")
    return text


PhoneNumber = Annotated[str, BeforeValidator(_phone_number)]


class OrganisationFileError(Exception):
    """The file is missing, not YAML, or not a valid organisation; the message says where."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UnitSpec(_Model):
    id: Identifier
    name: str = Field(min_length=1)
    kind: str = "opd"
    timezone: str = Field(default="WIB", validate_default=True)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        zone = TIME_ZONES.get(value.upper(), value)
        if zone not in INDONESIAN_ZONES:
            raise ValueError(f"unknown time zone {value!r}; use WIB, WITA or WIT")
        return zone


class OfficerSpec(_Model):
    id: Identifier
    name: str = Field(min_length=1)
    role: Role
    unit: Identifier
    chats: dict[str, str] = Field(default_factory=dict)  # channel -> sender id

    @field_validator("chats", mode="before")
    @classmethod
    def _numeric_ids(cls, value: object) -> object:
        """Telegram user ids are numbers; ``telegram: 12345`` unquoted must work too."""
        if isinstance(value, dict):
            return {k: str(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in value.items()}
        return value

    @field_validator("role")
    @classmethod
    def _staff(cls, value: Role) -> Role:
        if value in (Role.SYSTEM, Role.COMPLAINANT, Role.PUBLIC):
            raise ValueError(f"{value.value!r} is not an officer role")
        return value


class StageDaysSpec(_Model):
    verify: int = Field(ge=1, le=60)
    follow_up: int = Field(ge=1, le=60)
    resolve: int = Field(ge=1, le=365)
    auto_close: int = Field(ge=1, le=60)


class DeadlinesSpec(_Model):
    """Working days per stage (resolve: calendar days), for normal and urgent (berat) cases."""

    normal: StageDaysSpec = StageDaysSpec(**asdict(StageDays()))
    urgent: StageDaysSpec = StageDaysSpec(**asdict(DeadlinePolicy().urgent))


class WorkingHoursSpec(_Model):
    start: time = time(8, 0)
    end: time = time(16, 0)

    @model_validator(mode="after")
    def _order(self) -> WorkingHoursSpec:
        if self.start >= self.end:
            raise ValueError("working_hours.start must be before working_hours.end")
        return self


class FaqSpec(_Model):
    """One question the bot answers instead of filing it: a few ways of asking, the answer."""

    id: Identifier
    questions: list[str] = Field(min_length=1)
    answer: str

    @field_validator("questions")
    @classmethod
    def _questions(cls, value: list[str]) -> list[str]:
        cleaned = [" ".join(q.split()) for q in value]
        if not all(cleaned):
            raise ValueError("a question is empty")
        repeated = sorted({q for q in cleaned if cleaned.count(q) > 1})
        if repeated:
            raise ValueError(f"questions repeated: {repeated}")
        return cleaned

    @field_validator("answer")
    @classmethod
    def _answer(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the answer is empty")
        return value.strip()


class LocalNumberSpec(_Model):
    label: str = Field(min_length=1, pattern=r"\S")
    number: PhoneNumber


class EmergencySpec(_Model):
    """Who to call when lives are at risk; the national numbers unless the file says otherwise."""

    general: PhoneNumber = EmergencyNumbers.general
    fire: PhoneNumber = EmergencyNumbers.fire
    police: PhoneNumber = EmergencyNumbers.police
    ambulance: PhoneNumber = EmergencyNumbers.ambulance
    local: list[LocalNumberSpec] = Field(default_factory=list)


class IntakeSpec(_Model):
    phone_required: bool = False  # ask for a phone number when the channel cannot supply one


class AreaSpec(_Model):
    """The deployment's extent (``area:``): a box of latitudes and longitudes, margin
    included; a location a citizen shares outside it is refused (bot/places.py)."""

    south: float = Field(ge=-90, le=90)
    north: float = Field(ge=-90, le=90)
    west: float = Field(ge=-180, le=180)
    east: float = Field(ge=-180, le=180)

    @model_validator(mode="after")
    def _ordered(self) -> AreaSpec:
        if not (self.south < self.north and self.west < self.east):
            raise ValueError("area: south must lie below north and west of east")
        return self


class SpamSpec(_Model):
    """Spam and prank control (complaints.spam.SpamPolicy)."""

    daily_limit: int = Field(default=SpamPolicy.daily_limit, ge=0, le=1000)  # per chat per day; 0: none
    copies_senders: int = Field(default=SpamPolicy.copies_senders, ge=2, le=1000)
    copies_minutes: int = Field(default=SpamPolicy.copies_minutes, ge=1, le=24 * 60)


class OrganisationSpec(_Model):
    name: str
    deadlines: DeadlinesSpec = DeadlinesSpec()
    working_hours: WorkingHoursSpec = WorkingHoursSpec()
    holidays: list[date] = Field(default_factory=list)  # local holidays on top of the national ones
    templates: dict[str, str] = Field(default_factory=dict)
    # unit id -> {1: [officer ids], 2: [...], 3: [...]}: who hears of each escalation level
    escalation: dict[Identifier, dict[Annotated[int, Field(ge=1, le=3)], list[Identifier]]] = Field(
        default_factory=dict
    )
    region: str | None = Field(default=None, pattern=r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
    default_unit: Identifier
    units: list[UnitSpec] = Field(min_length=1)
    officers: list[OfficerSpec] = Field(default_factory=list)
    routing: dict[Category, Identifier] = Field(default_factory=dict)
    faq: list[FaqSpec] = Field(default_factory=list)
    emergency: EmergencySpec = EmergencySpec()
    intake: IntakeSpec = IntakeSpec()
    spam: SpamSpec = SpamSpec()
    area: AreaSpec | None = None

    @field_validator("templates")
    @classmethod
    def _templates(cls, value: dict[str, str]) -> dict[str, str]:
        for key, text in value.items():
            if key not in ESCALATION_HEADLINES:
                raise ValueError(f"unknown template {key!r}; known: {sorted(ESCALATION_HEADLINES)}")
            try:
                fields = {name for _, name, _, _ in Formatter().parse(text) if name is not None}
            except ValueError as error:
                raise ValueError(f"template {key!r}: {error}") from error
            unknown = fields - TEMPLATE_FIELDS
            if unknown:
                raise ValueError(f"template {key!r} uses unknown placeholders {sorted(unknown)}; "
                                 f"use {sorted(TEMPLATE_FIELDS)}")
        return value

    @model_validator(mode="after")
    def _references(self) -> OrganisationSpec:
        unit_ids = [u.id for u in self.units]
        duplicates = {u for u in unit_ids if unit_ids.count(u) > 1}
        if duplicates:
            raise ValueError(f"duplicate unit ids: {sorted(duplicates)}")
        officer_ids = [o.id for o in self.officers]
        repeated = sorted({o for o in officer_ids if officer_ids.count(o) > 1})
        if repeated:
            raise ValueError(f"duplicate officer ids: {repeated}")
        known = set(unit_ids)
        if self.default_unit not in known:
            raise ValueError(f"default_unit {self.default_unit!r} is not one of the units")
        for officer in self.officers:
            if officer.unit not in known:
                raise ValueError(f"officer {officer.id!r} belongs to unknown unit {officer.unit!r}")
        for category, unit in self.routing.items():
            if unit not in known:
                raise ValueError(f"routing of {category.value!r} points to unknown unit {unit!r}")
        for unit, ladder in self.escalation.items():
            if unit not in known:
                raise ValueError(f"escalation ladder for unknown unit {unit!r}")
            for level, ids in ladder.items():
                unknown = sorted(set(ids) - set(officer_ids))
                if unknown:
                    raise ValueError(f"escalation level {level} of {unit!r} names unknown officers {unknown}")
        faq_ids = [entry.id for entry in self.faq]
        repeated_faq = sorted({i for i in faq_ids if faq_ids.count(i) > 1})
        if repeated_faq:
            raise ValueError(f"duplicate faq ids: {repeated_faq}")
        asked: dict[str, str] = {}
        for entry in self.faq:
            for question in entry.questions:
                other = asked.setdefault(question.casefold(), entry.id)
                if other != entry.id:
                    raise ValueError(f"faq {other!r} and {entry.id!r} share the question {question!r}")
        seen: dict[tuple[str, str], str] = {}
        for officer in self.officers:
            for channel, sender in officer.chats.items():
                other = seen.setdefault((channel, sender), officer.id)
                if other != officer.id:
                    raise ValueError(f"officers {other!r} and {officer.id!r} share the {channel} chat {sender!r}")
        return self

    def build(self) -> Organisation:
        units = {u.id: Unit(u.id, u.name, u.kind, ZoneInfo(u.timezone)) for u in self.units}
        officers = {o.id: Officer(o.id, o.name, o.role, o.unit, dict(o.chats)) for o in self.officers}
        policy = DeadlinePolicy(
            normal=StageDays(**self.deadlines.normal.model_dump()),
            urgent=StageDays(**self.deadlines.urgent.model_dump()),
        )
        return Organisation(
            self.name, units, officers, dict(self.routing), self.default_unit, self.region,
            policy=policy,
            working_hours=WorkingHours(self.working_hours.start, self.working_hours.end),
            extra_holidays=frozenset(self.holidays),
            ladders={unit: {level: tuple(ids) for level, ids in ladder.items()} for unit, ladder in self.escalation.items()},
            templates=dict(self.templates),
            faq=tuple(FaqEntry(f.id, tuple(f.questions), f.answer) for f in self.faq),
            emergency=EmergencyNumbers(
                self.emergency.general, self.emergency.fire, self.emergency.police, self.emergency.ambulance,
                tuple((n.label.strip(), n.number) for n in self.emergency.local),
            ),
            phone_required=self.intake.phone_required,
            spam=SpamPolicy(**self.spam.model_dump()),
            area=Box(self.area.south, self.area.north, self.area.west, self.area.east) if self.area else None,
        )


def load_organisation(path: Path) -> Organisation:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise OrganisationFileError(f"{path}: file not found") from error
    except OSError as error:  # a folder, no permission, ...
        raise OrganisationFileError(f"{path}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise OrganisationFileError(f"{path}: not valid YAML: not UTF-8 text") from error
    except yaml.YAMLError as error:
        raise OrganisationFileError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise OrganisationFileError(f"{path}: expected a mapping at the top level")
    try:
        return OrganisationSpec.model_validate(raw).build()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in error.errors()
        )
        raise OrganisationFileError(f"{path}: {problems}") from error

"""bootstrap(): builds settings, database, NLU, the live organisation and the engine at run time.

Every entry point (CLI, channels, scheduler, tests) goes through it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.engine import ConversationEngine, EngineConfig
from bot.notices import IndonesianNotices
from complaints.calendar import WorkingCalendar
from complaints.notifications import Sender
from complaints.org import Organisation
from complaints.ports import UnitOfWork
from complaints.usecases.context import CaseContext
from nlu.parser import RuleNlu
from scheduler.relay import OutboxRelay
from storage.database import create_engine
from storage.migrate import upgrade
from storage.uow import uow_factory

from .live import LiveOrganisation, signature
from .metrics import Metrics, TimedSweeper
from .organisation import load_organisation
from .settings import Settings

# complaints filed through the REST API: the portal reads their status back, nobody is messaged
API_CHANNEL = "api"


def indonesian_calendar(local_holidays: frozenset[date] = frozenset()) -> WorkingCalendar:
    """National holidays and cuti bersama (the ``government`` category), years filled
    lazily, plus the deployment's own local holidays."""
    calendar = holidays.country_holidays("ID", categories=("public", "government"))
    calendar.update({day: "Libur daerah" for day in local_holidays})
    return WorkingCalendar(calendar)


def area_name(nlu: RuleNlu, region_code: str | None) -> str | None:
    region = nlu.gazetteer.regions.get(region_code) if region_code else None
    return region.name if region else None


def case_context_builder(rng: random.Random, login_url: str = "") -> Callable[[Organisation], CaseContext]:
    """How a loaded organisation becomes the snapshot the use cases read (one tracking-code
    generator across reloads)."""

    def build(org: Organisation) -> CaseContext:
        return CaseContext(org, IndonesianNotices(org.templates, org.policy), indonesian_calendar(org.extra_holidays),
                           rng=rng, pull_only_channels=frozenset({API_CHANNEL}),
                           login_url=login_url)

    return build


@dataclass
class App:
    settings: Settings
    db: AsyncEngine
    uow: Callable[[], UnitOfWork]
    nlu: RuleNlu
    organisation: LiveOrganisation  # the current snapshot, re-read when the file changes
    conversation: ConversationEngine
    tz: ZoneInfo
    sweeper: TimedSweeper  # built once; each pass reads the current organisation
    metrics: Metrics = field(default_factory=Metrics)  # this process's Prometheus registry

    def context(self) -> CaseContext:
        """The organisation's snapshot to use now (for one command, request or message)."""
        return self.organisation.current()

    @property
    def org(self) -> Organisation:
        return self.organisation.current().org

    def warm_up(self) -> None:
        """Read what the NLU loads on first use (its model, the places of the city and of
        its province, the date parser) before a citizen waits for it: ``aduan serve``
        calls this before it takes traffic."""
        now = datetime.now(self.tz)
        self.nlu.parse("lampu jalan mati sejak kemarin, nomor saya 0812-3456-7890", now)
        self.nlu.resolve_place("jalan raya")
        self.nlu.resolve_outside("jalan raya")  # the province's places
        self.nlu.parse_date("pas lebaran", now, self.tz)  # an answer the rules cannot read: dateparser

    def relay(self, senders: Mapping[str, Sender]) -> OutboxRelay:
        return OutboxRelay(self.uow, senders)

    async def close(self) -> None:
        await self.db.dispose()


async def bootstrap(
    settings: Settings | None = None,
    *,
    migrate: bool = True,
    organisation: Organisation | None = None,
    rng: random.Random | None = None,
    db: AsyncEngine | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> App:
    """``organisation`` given: used as is, for good. Otherwise the settings' organisation
    file, looked at again (``monotonic`` seconds) while the App runs."""
    settings = settings or Settings()
    path = None if organisation is not None else settings.organisation_file
    seen = signature(path) if path is not None else None  # before reading: a change meanwhile is seen
    org = organisation or load_organisation(settings.organisation_file)
    live = LiveOrganisation(case_context_builder(rng or random.SystemRandom(), settings.login_url), org, path=path, seen=seen,
                            clock=monotonic)
    tz = ZoneInfo(settings.timezone)
    db = db or create_engine(settings.effective_database_url, durability=settings.database_durability)
    if migrate:
        await upgrade(db)
    uow = uow_factory(db)
    nlu = RuleNlu(region_scope=org.region_code, tz=tz)
    config = EngineConfig(
        tz=tz,
        area_name=area_name(nlu, org.region_code),
        resume_after=timedelta(minutes=settings.resume_after_minutes),
        max_chars=settings.max_message_chars,
    )
    conversation = ConversationEngine(uow, nlu, live, config)
    sweeper = TimedSweeper(live, uow, db=db,  # records each pass's duration
                           undelivered_after=timedelta(hours=settings.undelivered_digest_hours))
    return App(settings, db, uow, nlu, live, conversation, tz, sweeper)

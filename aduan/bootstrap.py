"""bootstrap(): builds settings, database, NLU, domain services and the engine at run time.

Every entry point (CLI, channels, scheduler, tests) goes through it.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.engine import ConversationEngine, EngineConfig
from bot.texts import IndonesianNotices
from complaints.calendar import WorkingCalendar
from complaints.notifications import Sender
from complaints.org import Organisation
from complaints.ports import UnitOfWork
from complaints.services import ComplaintDesk
from complaints.sweep import Sweeper
from nlu.parser import RuleNlu
from scheduler.relay import OutboxRelay
from storage.database import create_engine
from storage.migrate import upgrade
from storage.uow import uow_factory

from .metrics import Metrics, TimedSweeper
from .organisation import OrganisationFileError, load_organisation
from .settings import Settings

log = logging.getLogger(__name__)

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


@dataclass
class App:
    settings: Settings
    org: Organisation
    db: AsyncEngine
    uow: Callable[[], UnitOfWork]
    nlu: RuleNlu
    desk: ComplaintDesk
    conversation: ConversationEngine
    tz: ZoneInfo
    organisation_mtime: float | None = None  # of the file loaded, to reload it when it changes
    metrics: Metrics = field(default_factory=Metrics)  # this process's Prometheus registry

    def relay(self, senders: Mapping[str, Sender]) -> OutboxRelay:
        return OutboxRelay(self.uow, senders)

    @property
    def sweeper(self) -> Sweeper:
        return TimedSweeper(self.desk, self.uow, db=self.db)  # records each pass's duration

    async def reload_organisation_if_changed(self) -> bool:
        """Re-read the organisation file when it changed on disk; a broken file is logged
        and the running configuration kept."""
        path = self.settings.organisation_file
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return False
        if mtime == self.organisation_mtime:
            return False
        self.organisation_mtime = mtime
        try:
            org = load_organisation(path)
        except OrganisationFileError as error:
            log.error("organisation file not reloaded: %s", error)
            return False
        self.org = self.desk.org = self.conversation.org = org
        self.desk.calendar = indonesian_calendar(org.extra_holidays)
        self.desk.notices = IndonesianNotices(org.templates, org.policy)
        return True

    async def close(self) -> None:
        await self.db.dispose()


async def bootstrap(
    settings: Settings | None = None,
    *,
    migrate: bool = True,
    organisation: Organisation | None = None,
    rng: random.Random | None = None,
    db: AsyncEngine | None = None,
) -> App:
    settings = settings or Settings()
    org = organisation or load_organisation(settings.organisation_file)
    tz = ZoneInfo(settings.timezone)
    db = db or create_engine(settings.effective_database_url)
    if migrate:
        await upgrade(db)
    uow = uow_factory(db)
    nlu = RuleNlu(region_scope=org.region_code, tz=tz)
    desk = ComplaintDesk(org, IndonesianNotices(org.templates, org.policy), indonesian_calendar(org.extra_holidays),
                         rng=rng or random.SystemRandom(), pull_only_channels=frozenset({API_CHANNEL}))
    config = EngineConfig(
        tz=tz,
        area_name=area_name(nlu, org.region_code),
        resume_after=timedelta(minutes=settings.resume_after_minutes),
        max_chars=settings.max_message_chars,
    )
    conversation = ConversationEngine(uow, nlu, desk, org, config)
    app = App(settings, org, db, uow, nlu, desk, conversation, tz)
    if organisation is None:
        app.organisation_mtime = settings.organisation_file.stat().st_mtime
    return app

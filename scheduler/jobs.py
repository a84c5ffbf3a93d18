"""The scheduler process: APScheduler runs thin jobs that read the clock and call use cases.

The job store is in memory and private to this process (never shared): deadlines are data
in the database, and one periodic sweep finds what is due.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from complaints.errors import StorageUnavailable
from complaints.sweep import Sweeper

from .relay import OutboxRelay

log = logging.getLogger(__name__)


@dataclass
class Jobs:
    sweeper: Sweeper
    relay: OutboxRelay
    clock: Callable[[], datetime]
    digest_owed_for: date | None = None  # the day whose digest could not be queued yet
    # the sweeps and digests under way, so that stopping can let them finish
    running: set[asyncio.Task[object]] = field(default_factory=set)

    @contextlib.contextmanager
    def _under_way(self) -> Iterator[None]:
        task = asyncio.current_task()
        added = task is not None and task not in self.running
        if added and task is not None:
            self.running.add(task)
        try:
            yield
        finally:
            if added and task is not None:
                self.running.discard(task)

    async def sweep(self) -> None:
        with self._under_way():
            await self._sweep()

    async def _sweep(self) -> None:
        try:
            report = await self.sweeper.sweep(self.clock())
        except StorageUnavailable as error:
            log.warning("sweep postponed to its next run, the database is unavailable: %s", error)
            return
        if report.escalated or report.closed:
            log.info("sweep: %d escalated, %d closed", len(report.escalated), len(report.closed))
        if self.digest_owed_for == self._today():  # the database was down at digest time
            await self.digest()

    async def deliver(self) -> None:
        try:
            await self.relay.drain(self.clock())
        except StorageUnavailable as error:
            log.warning("outbox relay postponed to its next run, the database is unavailable: %s", error)

    async def digest(self) -> None:
        with self._under_way():
            await self._digest()

    async def _digest(self) -> None:
        try:
            queued = await self.sweeper.digest(self.clock())
        except StorageUnavailable as error:  # the next sweep that reaches the database queues it
            self.digest_owed_for = self._today()
            log.warning("today's digest waits for the database to come back: %s", error)
            return
        self.digest_owed_for = None
        log.info("digest: %d summaries queued", len(queued))

    def _today(self) -> date:
        return self.clock().date()

    async def relay_loop(self, stop: asyncio.Event, every: float) -> None:
        """Deliver, then wait ``every`` seconds (or until stopped), until stopped. A loop of
        its own rather than an APScheduler job: a drain at Telegram's pace outlasts any
        interval, and stopping must let the sends under way finish."""
        while not stop.is_set():
            await self.deliver()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)


@dataclass
class SchedulerProcess:
    """The sweep and the digest on APScheduler, the relay in its own loop; ``stop()`` lets
    a running delivery, sweep or digest finish before the process exits."""

    jobs: Jobs
    scheduler: AsyncIOScheduler
    relay_seconds: float = 2.0
    _stop: asyncio.Event = field(default_factory=asyncio.Event, init=False)
    _relay_task: asyncio.Task[None] | None = field(default=None, init=False)

    def start(self) -> None:
        self.scheduler.start()
        self._relay_task = asyncio.create_task(self.jobs.relay_loop(self._stop, self.relay_seconds))

    async def stop(self, timeout: float = 30.0) -> None:
        self.jobs.relay.stop()
        self._stop.set()
        self.scheduler.pause()  # no new run; a sweep or digest under way finishes its transaction
        if self.jobs.running:  # (shutting the scheduler down would cancel it mid-way)
            _, unfinished = await asyncio.wait(set(self.jobs.running), timeout=timeout)
            if unfinished:
                log.warning("%d scheduled job(s) did not finish within %.0f s of the shutdown", len(unfinished), timeout)
        self.scheduler.shutdown(wait=False)
        if self._relay_task is not None:
            try:
                await asyncio.wait_for(self._relay_task, timeout)
            except TimeoutError:
                log.warning("the outbox relay did not finish within %.0f s of the shutdown", timeout)


def build_scheduler(jobs: Jobs, tz: ZoneInfo, *, sweep_seconds: float = 60, digest_at: time = time(7, 0)) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=tz)
    common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
    # the first sweep runs at start: it catches up on whatever fell due while nothing ran
    scheduler.add_job(jobs.sweep, IntervalTrigger(seconds=sweep_seconds, timezone=tz), id="sweep",
                      next_run_time=datetime.now(tz), **common)
    scheduler.add_job(jobs.digest, CronTrigger(day_of_week="mon-fri", hour=digest_at.hour, minute=digest_at.minute,
                                               timezone=tz), id="digest", **common)
    return scheduler

"""The outbox relay: delivers queued notifications through per-channel senders.

Items are claimed with a lease (so several relays never send the same one), sent, and
marked sent or failed one by one, each in its own short transaction: a relay that dies
mid-batch leaves its unsent items to be claimed again when the lease runs out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from complaints.notifications import DeliveryFailed, Sender
from complaints.ports import OutboxItem, UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class RelayReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __iadd__(self, other: RelayReport) -> RelayReport:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        return self


@dataclass
class OutboxRelay:
    uow_factory: Callable[[], UnitOfWork]
    senders: Mapping[str, Sender]
    max_attempts: int = 8
    first_backoff: timedelta = timedelta(seconds=5)
    max_backoff: timedelta = timedelta(hours=1)
    batch_size: int = 20  # small enough that a batch is sent within its lease even at 1 msg/s per chat
    lease_seconds: int = 60

    def backoff(self, attempts: int) -> timedelta:
        return min(self.first_backoff * (2 ** max(attempts - 1, 0)), self.max_backoff)

    async def run_once(self, now: datetime) -> RelayReport:
        """Claim one batch of due items and try each once."""
        async with self.uow_factory() as uow:
            items = await uow.outbox.claim(set(self.senders), now, self.batch_size, self.lease_seconds)
            await uow.commit()
        report = RelayReport()
        for item in items:
            await self._deliver(item, now, report)
        return report

    async def drain(self, now: datetime) -> RelayReport:
        """Run batches until nothing is due at ``now``."""
        total = RelayReport()
        while True:
            report = await self.run_once(now)
            total += report
            if not (report.sent or report.retried or report.failed):
                return total

    async def _deliver(self, item: OutboxItem, now: datetime, report: RelayReport) -> None:
        sender = self.senders[item.notification.channel]
        try:
            await sender.send(item.notification)
        except DeliveryFailed as failure:
            await self._failed(item, now, failure.reason, failure.permanent, failure.retry_after, report)
        except Exception as error:  # an unexpected sender error is treated as transient
            log.exception("sending outbox item %s failed", item.id)
            await self._failed(item, now, f"{type(error).__name__}: {error}", False, None, report)
        else:
            async with self.uow_factory() as uow:
                await uow.outbox.mark_sent(item.id, now)
                await uow.commit()
            report.sent += 1

    async def _failed(
        self, item: OutboxItem, now: datetime, reason: str, permanent: bool, retry_after: float | None,
        report: RelayReport,
    ) -> None:
        give_up = permanent or item.attempts >= self.max_attempts
        retry_at = None
        if not give_up:
            wait = self.backoff(item.attempts)
            if retry_after is not None:
                wait = max(wait, timedelta(seconds=retry_after))
            retry_at = now + wait
        async with self.uow_factory() as uow:
            await uow.outbox.mark_failed(item.id, now, reason, retry_at)
            await uow.commit()
        if give_up:
            report.failed += 1
            log.warning("outbox item %s failed for good: %s", item.id, reason)
        else:
            report.retried += 1

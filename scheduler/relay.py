"""The outbox relay: delivers queued notifications through per-channel senders.

Items are claimed with a lease (so several relays never send the same one), sent, and
marked sent or failed one by one, each in its own short transaction: a relay that dies
mid-batch leaves its unsent items to be claimed again when the lease runs out.

A message that went out but could not be marked sent (the database went away at that
moment) is remembered by this relay and marked first on its next run, before anything is
claimed, so it is not sent again when its lease runs out. A send under way is not
cancelled when a sibling fails: it finishes and is recorded.

Several items are sent at once (``concurrency``), each waiting for its own turn from its
channel's rate limiter, so a message held back by its chat's limit (Telegram: one a
second per chat) does not hold up the messages to everyone else. Messages to the same
recipient still go one at a time, in the order they were queued.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from complaints.delivery import DeliveryError, FailureKind, Retries
from complaints.notifications import DeliveryFailed, Sender
from complaints.ports import OutboxItem, UnitOfWork
from complaints.usecases import delivery
from complaints.usecases.delivery import Outcome

log = logging.getLogger(__name__)


@dataclass
class RelayReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    rerouted: int = 0  # failed for good on its chat, queued to another chat of the same person

    def __iadd__(self, other: RelayReport) -> RelayReport:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.rerouted += other.rerouted
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
    concurrency: int = 20  # items being sent at once (a network round trip to Telegram is ~0.1-0.3 s)
    # ids sent but not yet marked sent in the database (it was unreachable at that moment),
    # and the channel's ids of their messages
    unmarked: set[int] = field(default_factory=set, init=False)
    message_ids: dict[int, str | None] = field(default_factory=dict, init=False)
    stopping: bool = field(default=False, init=False)

    def stop(self) -> None:
        """Finish the sends under way and take nothing more (the process is shutting down).
        Items claimed but not yet taken are claimed again when their lease runs out."""
        self.stopping = True

    @property
    def retries(self) -> Retries:
        return Retries(self.max_attempts, self.first_backoff, self.max_backoff)

    async def run_once(self, now: datetime) -> RelayReport:
        """Claim one batch of due items and try each once."""
        return await self._pump(now, more_batches=False)

    async def drain(self, now: datetime) -> RelayReport:
        """Deliver until nothing is due at ``now``. The next batch is claimed as soon as the
        last one is all handed out, while its items are still being sent, so the channel is
        kept busy; ``now`` stays as given, but the leases taken are extended by the time the
        drain has run, so they do not run out under the items still being sent."""
        return await self._pump(now, more_batches=True)

    async def _pump(self, now: datetime, *, more_batches: bool) -> RelayReport:
        report = RelayReport()
        for item_id in sorted(self.unmarked):  # sent on an earlier run: record it before claiming
            await self._mark_sent(item_id, now, self.message_ids.get(item_id))
        started = time.monotonic()
        claimed: deque[OutboxItem] = deque()
        claiming = asyncio.Lock()
        batches = 0
        exhausted = False
        recipients: dict[tuple[str, str], asyncio.Lock] = {}

        async def take() -> OutboxItem | None:
            nonlocal batches, exhausted
            async with claiming:  # one claim at a time; the others wait for its items
                if self.stopping:
                    return None
                if not claimed and not exhausted and (more_batches or batches == 0):
                    batch = await self._claim(now, int(time.monotonic() - started))
                    batches += 1
                    exhausted = not batch
                    claimed.extend(batch)
                return claimed.popleft() if claimed else None

        async def work() -> None:
            while (item := await take()) is not None:
                # taken in queue order, and this lock joined at once, so one recipient's
                # messages keep their order
                key = (item.notification.channel, item.notification.recipient)
                async with recipients.setdefault(key, asyncio.Lock()):
                    if self.stopping:  # taken, not started: claimed again after its lease
                        continue
                    # shielded: a sibling's failure cancels this worker, not a send under way
                    await asyncio.shield(self._deliver(item, now, report))

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(max(1, self.concurrency)):
                    group.create_task(work())
        except BaseExceptionGroup as errors:  # e.g. the database went away: raise it as it came
            raise errors.exceptions[0] from errors
        return report

    async def _claim(self, now: datetime, running_seconds: int) -> list[OutboxItem]:
        async with self.uow_factory() as uow:
            lease = self.lease_seconds + running_seconds
            items = await uow.outbox.claim(set(self.senders), now, self.batch_size, lease)
            await uow.commit()
        return items

    async def _deliver(self, item: OutboxItem, now: datetime, report: RelayReport) -> None:
        sender = self.senders[item.notification.channel]
        try:
            message_id = await sender.send(item.notification)
        except DeliveryFailed as failure:
            await self._failed(item, now, failure.error, report)
        except Exception as error:  # an unexpected sender error is treated as transient
            log.exception("sending outbox item %s failed", item.id)
            await self._failed(item, now, DeliveryError("", f"{type(error).__name__}: {error}", FailureKind.TRANSIENT),
                               report)
        else:
            self.unmarked.add(item.id)
            self.message_ids[item.id] = message_id
            report.sent += 1
            await self._mark_sent(item.id, now, message_id)

    async def _mark_sent(self, item_id: int, now: datetime, message_id: str | None) -> None:
        async with self.uow_factory() as uow:
            await uow.outbox.mark_sent(item_id, now, message_id)
            await uow.commit()
        self.unmarked.discard(item_id)
        self.message_ids.pop(item_id, None)

    async def _failed(self, item: OutboxItem, now: datetime, failure: DeliveryError, report: RelayReport) -> None:
        """The remedy of complaints.delivery: again later, as the template, to another chat
        of the same person, or failed for good."""
        async with self.uow_factory() as uow:
            outcome = await delivery.failed(uow, item, failure, now, self.retries, set(self.senders))
            await uow.commit()
        if outcome in (Outcome.RESENT, Outcome.AS_TEMPLATE):
            report.retried += 1
            return
        if outcome is Outcome.REROUTED:
            report.rerouted += 1
        else:
            report.failed += 1
        log.warning("outbox item %s failed for good (%s): %s", item.id, outcome.value, failure.reason)

"""The outbox relay as a citizen or an admin sees it: every queued message arrives once,
a flaky channel is retried politely, a blocked user is given up on and shown to the
admins. Runs on SQLite and on PostgreSQL; time is passed in, nothing sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from complaints.errors import StorageUnavailable
from complaints.notifications import Button, DeliveryFailed, Notification
from scheduler.relay import OutboxRelay
from storage.uow import SqlUnitOfWork

UowFactory = Callable[[], SqlUnitOfWork]

# Monday 23 November 2026, 09:00 WIB
T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def note(key: str, *, channel: str = "telegram", recipient: str = "1001") -> Notification:
    return Notification(
        key=key,
        channel=channel,
        recipient=recipient,
        text=f"Status laporan LPR-7KQ3-MN berubah ({key})",
        buttons=(Button("rate:4", "Sangat puas"),),
        complaint_code="LPR-7KQ3-MN",
    )


@dataclass
class FakeSender:
    """A channel that delivers into ``sent``, or raises the failures it was told to."""

    sent: list[Notification] = field(default_factory=list)
    attempts: Counter[str] = field(default_factory=Counter)
    _failures: dict[str | None, list[BaseException]] = field(default_factory=dict)

    def fail(self, times: int, error: Exception | Callable[[], Exception], *, key: str | None = None) -> None:
        """The next ``times`` sends (of ``key``, or of anything) raise ``error``."""
        make = error if not isinstance(error, BaseException) else (lambda: error)
        self._failures.setdefault(key, []).extend(make() for _ in range(times))

    def fail_always(self, error: Exception, *, key: str | None = None) -> None:
        self.fail(1000, error, key=key)

    async def send(self, notification: Notification) -> None:
        self.attempts[notification.key] += 1
        for key in (notification.key, None):
            queue = self._failures.get(key)
            if queue:
                raise queue.pop(0)
        self.sent.append(notification)

    @property
    def sent_keys(self) -> list[str]:
        return [n.key for n in self.sent]


async def queue(uow_factory: UowFactory, *notifications: Notification, now: datetime = T0) -> None:
    async with uow_factory() as uow:
        for notification in notifications:
            assert await uow.outbox.add(notification, now)
        await uow.commit()


async def pending(uow_factory: UowFactory) -> int:
    async with uow_factory() as uow:
        return await uow.outbox.pending_count()


async def failed(uow_factory: UowFactory):
    async with uow_factory() as uow:
        return await uow.outbox.failed()


def relay(uow_factory: UowFactory, sender: FakeSender, channel: str = "telegram", **options) -> OutboxRelay:
    return OutboxRelay(uow_factory, {channel: sender}, **options)


# --- delivery -----------------------------------------------------------------------------


async def test_queued_notifications_are_delivered_exactly_once(uow_factory: UowFactory) -> None:
    sender = FakeSender()
    messages = [note("a", recipient="1001"), note("b", recipient="1002"), note("c", recipient="1003")]
    await queue(uow_factory, *messages)
    relay_ = relay(uow_factory, sender)

    report = await relay_.drain(T0)
    assert (report.sent, report.retried, report.failed) == (3, 0, 0)
    assert sender.sent == messages  # text, buttons, recipient as queued, in queue order

    for later in (T0, T0 + timedelta(minutes=1), T0 + timedelta(days=30)):
        again = await relay_.drain(later)
        assert (again.sent, again.retried, again.failed) == (0, 0, 0)
    assert sender.sent_keys == ["a", "b", "c"]
    assert await pending(uow_factory) == 0
    assert await failed(uow_factory) == []


async def test_drain_goes_through_every_batch(uow_factory: UowFactory) -> None:
    sender = FakeSender()
    keys = [f"k{n:02}" for n in range(7)]
    await queue(uow_factory, *(note(k) for k in keys))

    report = await relay(uow_factory, sender, batch_size=2).drain(T0)

    assert report.sent == 7 and sender.sent_keys == keys
    assert await pending(uow_factory) == 0


async def test_notifications_queued_for_later_wait_until_due(uow_factory: UowFactory) -> None:
    sender = FakeSender()
    await queue(uow_factory, note("later"), now=T0 + timedelta(minutes=10))
    relay_ = relay(uow_factory, sender)

    assert (await relay_.drain(T0)).sent == 0
    assert (await relay_.drain(T0 + timedelta(minutes=10))).sent == 1
    assert sender.sent_keys == ["later"]


# --- transient failures -------------------------------------------------------------------


async def test_transient_failure_is_retried_only_after_the_backoff(uow_factory: UowFactory) -> None:
    sender = FakeSender()
    sender.fail(2, lambda: DeliveryFailed("502 Bad Gateway"))
    await queue(uow_factory, note("flaky"))
    relay_ = relay(uow_factory, sender, first_backoff=timedelta(seconds=5))

    first = await relay_.drain(T0)
    assert (first.sent, first.retried, first.failed) == (0, 1, 0)
    assert await pending(uow_factory) == 1  # still queued, not lost

    # first retry after 5 s, not a moment before; not even by draining again and again
    assert (await relay_.drain(T0)).retried == 0
    assert (await relay_.drain(T0 + timedelta(seconds=4))).retried == 0
    assert sender.attempts["flaky"] == 1
    second = await relay_.drain(T0 + timedelta(seconds=5))
    assert (second.sent, second.retried) == (0, 1)

    # the backoff doubles: the next try is 10 s after the second failure
    assert (await relay_.drain(T0 + timedelta(seconds=14))).sent == 0
    assert sender.attempts["flaky"] == 2
    third = await relay_.drain(T0 + timedelta(seconds=15))
    assert third.sent == 1
    assert sender.sent_keys == ["flaky"] and sender.attempts["flaky"] == 3
    assert await pending(uow_factory) == 0


async def test_retry_after_longer_than_the_backoff_is_honoured(uow_factory: UowFactory) -> None:
    sender = FakeSender()
    sender.fail(1, DeliveryFailed("429 Too Many Requests: retry after 120", retry_after=120))
    await queue(uow_factory, note("throttled"))
    relay_ = relay(uow_factory, sender, first_backoff=timedelta(seconds=5))

    assert (await relay_.drain(T0)).retried == 1
    assert (await relay_.drain(T0 + timedelta(seconds=5))).sent == 0  # the backoff alone would allow it
    assert (await relay_.drain(T0 + timedelta(seconds=119))).sent == 0
    assert sender.attempts["throttled"] == 1
    assert (await relay_.drain(T0 + timedelta(seconds=120))).sent == 1
    assert sender.sent_keys == ["throttled"]


async def test_retry_after_shorter_than_the_backoff_does_not_shorten_it(uow_factory: UowFactory) -> None:
    sender = FakeSender()
    sender.fail(1, DeliveryFailed("429 Too Many Requests", retry_after=1))
    await queue(uow_factory, note("throttled"))
    relay_ = relay(uow_factory, sender, first_backoff=timedelta(seconds=30))

    await relay_.drain(T0)
    assert (await relay_.drain(T0 + timedelta(seconds=29))).sent == 0
    assert (await relay_.drain(T0 + timedelta(seconds=30))).sent == 1


async def test_unexpected_sender_error_is_retried_like_a_transient_failure(uow_factory: UowFactory) -> None:
    sender = FakeSender()
    sender.fail(1, ConnectionResetError("connection reset by peer"))
    await queue(uow_factory, note("reset"))
    relay_ = relay(uow_factory, sender, first_backoff=timedelta(seconds=5))

    report = await relay_.drain(T0)  # the relay does not crash
    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    assert (await relay_.drain(T0 + timedelta(seconds=5))).sent == 1
    assert sender.sent_keys == ["reset"]


async def test_one_failing_recipient_does_not_hold_up_the_others(uow_factory: UowFactory) -> None:
    sender = FakeSender()
    sender.fail(1, DeliveryFailed("502 Bad Gateway"), key="b")
    await queue(uow_factory, note("a"), note("b"), note("c"))

    report = await relay(uow_factory, sender).drain(T0)

    assert (report.sent, report.retried) == (2, 1)
    assert sender.sent_keys == ["a", "c"]


async def test_gives_up_after_max_attempts_transient_failures(uow_factory: UowFactory) -> None:
    sender = FakeSender()
    sender.fail_always(DeliveryFailed("503 Service Unavailable"))
    await queue(uow_factory, note("down"))
    relay_ = relay(uow_factory, sender, max_attempts=3, first_backoff=timedelta(seconds=5))

    assert (await relay_.drain(T0)).retried == 1
    assert (await relay_.drain(T0 + timedelta(seconds=5))).retried == 1
    last = await relay_.drain(T0 + timedelta(seconds=15))
    assert (last.sent, last.retried, last.failed) == (0, 0, 1)
    assert sender.attempts["down"] == 3

    for later in (T0 + timedelta(hours=1), T0 + timedelta(days=7)):  # not retried forever
        assert (await relay_.drain(later)).retried == 0
    assert sender.attempts["down"] == 3 and sender.sent == []
    assert await pending(uow_factory) == 0
    [dead] = await failed(uow_factory)
    assert dead.notification.key == "down" and dead.attempts == 3
    assert dead.last_error == "503 Service Unavailable"
    assert dead.failed_at == T0 + timedelta(seconds=15)


async def test_backoff_is_capped(uow_factory: UowFactory) -> None:
    sender = FakeSender()
    sender.fail(3, lambda: DeliveryFailed("502 Bad Gateway"))
    await queue(uow_factory, note("capped"))
    relay_ = relay(uow_factory, sender, first_backoff=timedelta(minutes=40), max_backoff=timedelta(hours=1))

    now = T0
    await relay_.drain(now)  # 1st failure: wait 40 min
    now += timedelta(minutes=40)
    await relay_.drain(now)  # 2nd failure: 80 min, capped at 60
    now += timedelta(minutes=60)
    await relay_.drain(now)  # 3rd failure: 160 min, capped at 60
    assert sender.attempts["capped"] == 3
    assert (await relay_.drain(now + timedelta(minutes=59))).sent == 0
    assert (await relay_.drain(now + timedelta(minutes=60))).sent == 1


# --- permanent failures -------------------------------------------------------------------


async def test_blocked_user_is_failed_after_one_attempt_and_shown_to_admins(uow_factory: UowFactory) -> None:
    sender = FakeSender()
    reason = "403 Forbidden: bot was blocked by the user"
    sender.fail(1, DeliveryFailed(reason, permanent=True), key="blocked")
    await queue(uow_factory, note("ok-before", recipient="1001"), note("blocked", recipient="2002"),
                note("ok-after", recipient="1003"))
    relay_ = relay(uow_factory, sender)

    report = await relay_.drain(T0)
    assert (report.sent, report.retried, report.failed) == (2, 0, 1)
    assert sender.sent_keys == ["ok-before", "ok-after"]

    for later in (T0 + timedelta(seconds=5), T0 + timedelta(hours=2), T0 + timedelta(days=30)):
        assert (await relay_.drain(later)).failed == 0
    assert sender.attempts["blocked"] == 1  # never retried
    assert await pending(uow_factory) == 0

    [dead] = await failed(uow_factory)
    assert dead.notification == note("blocked", recipient="2002")
    assert dead.attempts == 1 and dead.last_error == reason and dead.failed_at == T0


async def test_failed_listing_shows_the_latest_failures_first(uow_factory: UowFactory) -> None:
    sender = FakeSender()
    sender.fail(1, DeliveryFailed("403 blocked", permanent=True), key="first")
    sender.fail(1, DeliveryFailed("400 chat not found", permanent=True), key="second")
    relay_ = relay(uow_factory, sender)
    await queue(uow_factory, note("first"))
    await relay_.drain(T0)
    await queue(uow_factory, note("second"), now=T0 + timedelta(hours=1))
    await relay_.drain(T0 + timedelta(hours=1))

    listing = await failed(uow_factory)
    assert [(i.notification.key, i.last_error) for i in listing] == [
        ("second", "400 chat not found"),
        ("first", "403 blocked"),
    ]


# --- several relays -----------------------------------------------------------------------


async def test_item_of_a_dead_relay_waits_for_its_lease_then_is_sent(uow_factory: UowFactory) -> None:
    await queue(uow_factory, note("orphan"))
    async with uow_factory() as uow:  # a relay claims it, commits, and dies before sending
        [claimed] = await uow.outbox.claim({"telegram"}, T0, lease_seconds=60)
        await uow.commit()
    assert claimed.notification.key == "orphan"

    sender = FakeSender()
    second = relay(uow_factory, sender, lease_seconds=60)
    assert (await second.drain(T0)).sent == 0
    assert (await second.drain(T0 + timedelta(seconds=59))).sent == 0
    assert sender.sent == [] and await pending(uow_factory) == 1  # not lost meanwhile

    assert (await second.drain(T0 + timedelta(seconds=60))).sent == 1
    assert sender.sent_keys == ["orphan"]
    assert (await second.drain(T0 + timedelta(minutes=5))).sent == 0


async def test_two_relays_draining_at_once_deliver_each_item_once(uow_factory: UowFactory) -> None:
    keys = [f"k{n:02}" for n in range(24)]
    await queue(uow_factory, *(note(k, recipient=f"10{n:02}") for n, k in enumerate(keys)))
    first_sender, second_sender = FakeSender(), FakeSender()
    first = relay(uow_factory, first_sender, batch_size=3)
    second = relay(uow_factory, second_sender, batch_size=3)

    reports = await asyncio.wait_for(asyncio.gather(first.drain(T0), second.drain(T0)), timeout=60)

    delivered = first_sender.sent_keys + second_sender.sent_keys
    assert sorted(delivered) == keys  # every item, none twice
    assert sum(r.sent for r in reports) == 24 and all(r.retried == r.failed == 0 for r in reports)
    assert await pending(uow_factory) == 0
    assert (await first.drain(T0 + timedelta(hours=1))).sent == 0
    assert (await second.drain(T0 + timedelta(hours=1))).sent == 0


async def test_two_relays_share_a_retry_without_sending_twice(uow_factory: UowFactory) -> None:
    sender = FakeSender()  # both relays talk to the same channel
    sender.fail(1, DeliveryFailed("502 Bad Gateway"), key="k03")
    keys = [f"k{n:02}" for n in range(10)]
    await queue(uow_factory, *(note(k) for k in keys))
    first = relay(uow_factory, sender, batch_size=2, first_backoff=timedelta(seconds=5))
    second = relay(uow_factory, sender, batch_size=2, first_backoff=timedelta(seconds=5))

    await asyncio.wait_for(asyncio.gather(first.drain(T0), second.drain(T0)), timeout=60)
    assert sorted(sender.sent_keys) == [k for k in keys if k != "k03"]
    later = T0 + timedelta(seconds=5)
    await asyncio.wait_for(asyncio.gather(first.drain(later), second.drain(later)), timeout=60)
    assert sorted(sender.sent_keys) == keys
    assert sender.attempts["k03"] == 2 and all(sender.attempts[k] == 1 for k in keys if k != "k03")


# --- channels -----------------------------------------------------------------------------


async def test_unknown_channel_is_left_pending_not_lost(uow_factory: UowFactory) -> None:
    telegram = FakeSender()
    await queue(uow_factory, note("tg", channel="telegram"), note("wa", channel="whatsapp", recipient="6281234567890"))

    report = await relay(uow_factory, telegram).drain(T0)
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    assert telegram.sent_keys == ["tg"]
    assert (await relay(uow_factory, telegram).drain(T0 + timedelta(days=2))).sent == 0
    assert await pending(uow_factory) == 1
    assert await failed(uow_factory) == []

    # once a relay that knows the channel runs, the message goes out
    whatsapp = FakeSender()
    both = OutboxRelay(uow_factory, {"telegram": telegram, "whatsapp": whatsapp})
    assert (await both.drain(T0 + timedelta(days=2))).sent == 1
    assert whatsapp.sent == [note("wa", channel="whatsapp", recipient="6281234567890")]
    assert telegram.sent_keys == ["tg"] and await pending(uow_factory) == 0


async def test_each_channel_goes_to_its_own_sender(uow_factory: UowFactory) -> None:
    telegram, console = FakeSender(), FakeSender()
    await queue(uow_factory, note("t1", channel="telegram"), note("c1", channel="console"),
                note("t2", channel="telegram"))

    await OutboxRelay(uow_factory, {"telegram": telegram, "console": console}).drain(T0)

    assert telegram.sent_keys == ["t1", "t2"] and console.sent_keys == ["c1"]


async def test_relay_without_senders_touches_nothing(uow_factory: UowFactory) -> None:
    await queue(uow_factory, note("x"))
    report = await OutboxRelay(uow_factory, {}).drain(T0)
    assert (report.sent, report.retried, report.failed) == (0, 0, 0)
    assert await pending(uow_factory) == 1


class MarkingFails:
    """Units of work whose outbox cannot record a delivery the first ``times`` times, as
    when the database goes away just after the message went out."""

    def __init__(self, uow_factory: UowFactory, times: int) -> None:
        self.uow_factory, self.times = uow_factory, times

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[SqlUnitOfWork]:
        async with self.uow_factory() as uow:
            mark_sent = uow.outbox.mark_sent

            async def refuse_first(item_id: int, now: datetime, message_id: str | None = None) -> None:
                if self.times > 0:
                    self.times -= 1
                    raise StorageUnavailable("ConnectionDoesNotExistError: connection was closed")
                await mark_sent(item_id, now, message_id)

            uow.outbox.mark_sent = refuse_first  # type: ignore[method-assign]
            yield uow


async def test_a_message_sent_while_the_database_went_away_is_not_sent_again(uow_factory: UowFactory) -> None:
    await queue(uow_factory, note("n1"), note("n2", recipient="1002"))
    sender = FakeSender()
    relay = OutboxRelay(MarkingFails(uow_factory, times=1), {"telegram": sender})
    with contextlib.suppress(StorageUnavailable):  # the job logs it and runs again on its next tick
        await relay.drain(T0)
    assert sorted(sender.sent_keys) == ["n1", "n2"]  # the other send under way was not cancelled
    # the next run, long after the lease ran out, records the delivery instead of repeating it
    report = await relay.drain(T0 + timedelta(minutes=10))
    assert sorted(sender.sent_keys) == ["n1", "n2"] and report.sent == 0
    assert await pending(uow_factory) == 0 and relay.unmarked == set()


async def test_one_recipients_messages_keep_their_order_while_others_go_at_once(uow_factory: UowFactory) -> None:
    first = [note(f"a{i}", recipient="1001") for i in range(5)]
    others = [note(f"b{i}", recipient=f"20{i:02d}") for i in range(30)]
    interleaved = [n for pair in zip(first, others[:5], strict=True) for n in pair] + others[5:]
    await queue(uow_factory, *interleaved)
    sender = FakeSender()
    await OutboxRelay(uow_factory, {"telegram": sender}, batch_size=7, concurrency=4).drain(T0)
    assert [k for k in sender.sent_keys if k.startswith("a")] == [n.key for n in first]
    assert sorted(sender.sent_keys) == sorted(n.key for n in interleaved)

"""The outbox's delivery facts (complaints.delivery), one contract on SQLite, PostgreSQL and
the in-memory fake: the channel's message id kept when sent and found again, delivery
statuses recorded, a failure's code and title, a resend as the template, the latest notice
about a case, failures up to a moment. Time is passed in; nothing sleeps."""

from __future__ import annotations

from datetime import timedelta

from complaints.delivery import DeliveryError, DeliveryStatus, FailureKind, OutboxState
from tests.storage import test_storage_contract as contract
from tests.storage.test_storage_contract import T0, UowFactory, notification, queue

# the contract's backends (SQLite, PostgreSQL, the in-memory fake), as fixtures of this module
backend, sql_engine, uow_factory = contract.backend, contract.sql_engine, contract.uow_factory

UNDELIVERABLE = DeliveryError("131026", "Message undeliverable", FailureKind.PERMANENT)
WINDOW = DeliveryError("131047", "Re-engagement message", FailureKind.OUTSIDE_WINDOW)


async def _sent(uow_factory: UowFactory, key: str, message_id: str | None, channel: str = "whatsapp") -> int:
    await queue(uow_factory, key, channel=channel)
    async with uow_factory() as uow:
        [item] = await uow.outbox.claim({channel}, T0)
        await uow.outbox.mark_sent(item.id, T0, message_id)
        await uow.commit()
    return item.id


async def test_a_sent_item_is_found_by_its_channel_and_message_id(uow_factory: UowFactory) -> None:
    item_id = await _sent(uow_factory, "k1", "wamid.A")
    await _sent(uow_factory, "k2", "wamid.A", channel="telegram")  # the same id on another channel
    async with uow_factory() as uow:
        item = await uow.outbox.by_message_id("whatsapp", "wamid.A")
        assert item is not None and item.id == item_id and item.notification.key == "k1"
        assert (item.state, item.message_id, item.delivery, item.delivery_at) == (
            OutboxState.SENT, "wamid.A", DeliveryStatus.SENT, T0)
        assert await uow.outbox.by_message_id("whatsapp", "wamid.B") is None


async def test_delivery_statuses_and_a_failure_are_recorded(uow_factory: UowFactory) -> None:
    item_id = await _sent(uow_factory, "k1", "wamid.A")
    async with uow_factory() as uow:
        await uow.outbox.record_delivery(item_id, DeliveryStatus.READ, T0 + timedelta(minutes=1))
        await uow.commit()
    async with uow_factory() as uow:
        item = await uow.outbox.by_message_id("whatsapp", "wamid.A")
        assert (item.delivery, item.delivery_at, item.state) == (
            DeliveryStatus.READ, T0 + timedelta(minutes=1), OutboxState.SENT)
        await uow.outbox.record_delivery(item_id, DeliveryStatus.FAILED, T0 + timedelta(minutes=2), UNDELIVERABLE)
        await uow.outbox.mark_failed(item_id, T0 + timedelta(minutes=2), UNDELIVERABLE.reason, None, UNDELIVERABLE)
        await uow.commit()
    async with uow_factory() as uow:
        [failed] = await uow.outbox.failed()
        assert (failed.state, failed.delivery, failed.error_code, failed.error_title) == (
            OutboxState.FAILED, DeliveryStatus.FAILED, "131026", "Message undeliverable")
        assert failed.failed_at == T0 + timedelta(minutes=2) and "131026" in (failed.last_error or "")
        assert await uow.outbox.failed(until=T0 + timedelta(minutes=1)) == []
        assert [i.id for i in await uow.outbox.failed(until=T0 + timedelta(minutes=2))] == [item_id]


async def test_a_resend_as_the_template_is_claimed_again_as_one(uow_factory: UowFactory) -> None:
    item_id = await _sent(uow_factory, "k1", "wamid.A")
    later = T0 + timedelta(minutes=3)
    async with uow_factory() as uow:
        await uow.outbox.resend(item_id, later, later, WINDOW, as_template=True)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.outbox.claim({"whatsapp"}, later - timedelta(seconds=1)) == []
        [again] = await uow.outbox.claim({"whatsapp"}, later)
        assert again.id == item_id and again.notification.as_template and again.error_code == "131047"
        assert again.state is OutboxState.PENDING and again.attempts == 2
        await uow.outbox.mark_sent(again.id, later, "wamid.B")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.outbox.by_message_id("whatsapp", "wamid.A") is None
        item = await uow.outbox.by_message_id("whatsapp", "wamid.B")
        assert item is not None and item.delivery is DeliveryStatus.SENT and item.notification.as_template


async def test_the_latest_notice_to_some_chats_about_a_case(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        for key, channel, recipient in (("a", "telegram", "2002"), ("b", "console", "officer"),
                                        ("c", "whatsapp", "628123"), ("d", "console", "officer")):
            n = notification(key, channel, recipient)
            assert await uow.outbox.add(n, T0)
        await uow.commit()
    async with uow_factory() as uow:
        chats = [("telegram", "2002"), ("whatsapp", "628123")]
        latest = await uow.outbox.latest_to("LPR-7KQ3-MN", chats)
        assert latest is not None and latest.notification.key == "c" and latest.state is OutboxState.PENDING
        first = await uow.outbox.latest_to("LPR-7KQ3-MN", [("telegram", "2002")])
        assert first is not None and first.notification.key == "a"
        assert await uow.outbox.latest_to("LPR-AAAA-AA", chats) is None
        assert await uow.outbox.latest_to("LPR-7KQ3-MN", []) is None

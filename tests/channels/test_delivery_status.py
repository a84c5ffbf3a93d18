"""Delivery status is data (issue 18): the channel's message id kept on each outbox row,
WhatsApp ``statuses[]`` moving it sent → delivered → read or to failed, the remedy each
failure gets (complaints.delivery), and where a failure shows (``aduan outbox failed``, the
officers' case view, the central admins' digest).

Through the real webhook path with signed payloads and the fake Graph API, on SQLite and
PostgreSQL; Telegram's 403 through the fake Bot API. Time is passed in, nothing sleeps.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot.channels.rate_limit import RateLimiter as TelegramLimiter
from bot.channels.telegram import TelegramSender
from bot.channels.telegram_http import telegram_bot
from bot.channels.whatsapp import RateLimiter, WhatsAppChannel, WhatsAppClient, WhatsAppSender
from bot.channels.whatsapp import last_inbound_from_database as last_inbound
from bot.channels.whatsapp.statuses import status_sink
from complaints.delivery import DeliveryStatus, OutboxState
from complaints.model import Complainant, Complaint
from complaints.notifications import Notification
from scheduler.relay import OutboxRelay
from tests.chat_harness import Clock, FakeTime, RecordingSender, dispose
from tests.cli.inprocess import aduan_runner
from tests.fakes.graph_api import FakeGraphApi, WhatsAppUser, envelope, signed
from tests.fakes.telegram_api import FakeTelegramApi

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
PHONE = "6281234567890"
PATH = "/whatsapp/webhook"


async def _no_sleep(seconds: float) -> None:
    return None


@dataclass
class Rig:
    app: Any
    fake: FakeGraphApi
    http: httpx.AsyncClient
    clock: Clock
    user: WhatsAppUser
    relay: OutboxRelay
    officers: RecordingSender

    async def post(self, payload: dict[str, Any]) -> None:
        body, headers = signed(payload, self.fake.app_secret)
        response = await self.http.post(PATH, content=body, headers=headers)
        assert response.status_code == 200, response.text

    async def status(self, wamid: str, status: str, errors: list[dict[str, Any]] | None = None) -> None:
        item: dict[str, Any] = {"id": wamid, "status": status, "recipient_id": PHONE,
                                "timestamp": str(int(self.clock().timestamp()))}
        if errors is not None:
            item["errors"] = errors
        await self.post(envelope({"messaging_product": "whatsapp", "statuses": [item]}, self.fake.phone_number_id))

    async def failed(self, wamid: str, code: int, title: str) -> None:
        await self.status(wamid, "failed", [{"code": code, "title": title, "message": title,
                                             "error_data": {"details": title}}])

    async def file_and_notify(self) -> str:
        """A complaint filed on WhatsApp (anonymous), disposed and taken in hand: the
        citizen's status notice relayed."""
        await self.post(self.user.text("sampah numpuk di depan pasar wonokromo udah 3 hari"))
        self.clock.advance(seconds=20)
        sent = len(self.fake.sent)
        await self.post(self.user.button("privacy:anonim"))
        code = CODE.search(str(self.fake.sent[sent:])).group(0)
        await dispose(self.app, code, self.clock(), take_up="Truk dijadwalkan besok")
        await self.relay.drain(self.clock())
        return code

    async def notice(self, code: str):
        async with self.app.uow() as uow:
            return await uow.outbox.latest_to(code, [("whatsapp", PHONE)])


@pytest.fixture
async def rig(app, graph_api: FakeGraphApi, tmp_path: Path) -> AsyncIterator[Rig]:
    clock = Clock()
    async with WhatsAppClient(graph_api.base_url, graph_api.access_token, graph_api.phone_number_id) as client:
        sender = WhatsAppSender(client, last_inbound(app.uow), "status_laporan", "id", clock,
                                limiter=RateLimiter(80, monotonic=lambda: 0.0, sleep=_no_sleep))
        officers = RecordingSender()
        relay = app.relay({"whatsapp": sender, "console": officers})
        channel = WhatsAppChannel(app.conversation.handle, client, graph_api.verify_token, graph_api.app_secret,
                                  tmp_path / "media", 64 * 1024, clock, statuses=status_sink(app.uow))
        web = Starlette(routes=channel.routes(PATH))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://aduan.test") as http:
            yield Rig(app, graph_api, http, clock, WhatsAppUser(PHONE, clock=clock), relay, officers)


async def test_a_relayed_notice_keeps_its_wamid_and_moves_to_delivered_then_read_never_back(rig: Rig) -> None:
    code = await rig.file_and_notify()
    item = await rig.notice(code)
    assert item.state is OutboxState.SENT and item.delivery is DeliveryStatus.SENT
    assert item.message_id == rig.fake.wamids[-1] and rig.fake.sent[-1]["to"] == PHONE
    sent = len(rig.fake.sent)

    await rig.status(item.message_id, "delivered")
    assert (await rig.notice(code)).delivery is DeliveryStatus.DELIVERED
    rig.clock.advance(minutes=5)
    await rig.status(item.message_id, "read")
    read = await rig.notice(code)
    assert read.delivery is DeliveryStatus.READ
    await rig.status(item.message_id, "delivered")  # late: changes nothing
    await rig.failed(item.message_id, 131026, "Message undeliverable")  # after "read": nothing either
    assert (await rig.notice(code)) == read
    assert len(rig.fake.sent) == sent  # statuses are never answered


async def test_a_status_for_an_unknown_wamid_is_ignored(rig: Rig, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG", logger="bot.channels.whatsapp.statuses")
    await rig.failed("wamid.NOT-OURS", 131026, "Message undeliverable")
    assert rig.fake.sent == [] or all(m.get("to") != PHONE for m in rig.fake.sent)
    assert "changes nothing" in caplog.text
    async with rig.app.uow() as uow:
        assert await uow.outbox.failed() == []


async def test_a_failed_131026_shows_in_outbox_failed_the_case_view_and_later_the_admins_digest(
    rig: Rig, database_url: str, tmp_path: Path
) -> None:
    code = await rig.file_and_notify()
    wamid = (await rig.notice(code)).message_id
    await rig.failed(wamid, 131026, "Message undeliverable")
    item = await rig.notice(code)
    assert item.state is OutboxState.FAILED and item.delivery is DeliveryStatus.FAILED
    assert (item.error_code, item.error_title) == ("131026", "Message undeliverable")

    env = {**os.environ, "ADUAN_DATABASE_URL": database_url, "ADUAN_DATA_DIR": str(tmp_path)}
    run = aduan_runner(env)
    listing = run("outbox", "failed")
    assert listing.returncode == 0
    [row] = [line for line in listing.stdout.splitlines() if code in line]
    assert "[whatsapp → 6281…90]" in row and "131026 Message undeliverable" in row and PHONE not in row
    shown = run("case", "show", code, "--by", "admin-pusat")
    assert "Warga belum menerima kabar terakhir (whatsapp" in shown.stdout
    assert "Warga belum menerima kabar" not in run("case", "show", code).stdout  # the public view: never

    assert code not in "\n".join(n.text for n in await rig.app.sweeper.digest(rig.clock() + timedelta(hours=1)))
    later = await rig.app.sweeper.digest(rig.clock() + timedelta(days=2))
    [admins] = [n for n in later if n.recipient == "kepala-pusat"]
    assert f"Warga belum menerima kabar terakhir tentang laporan: {code}" in admins.text


async def test_a_131047_failure_is_queued_again_as_the_template_and_sent_as_one(rig: Rig) -> None:
    code = await rig.file_and_notify()
    first = await rig.notice(code)
    assert rig.fake.sent[-1]["type"] in ("text", "interactive")  # inside the window: free text
    await rig.failed(first.message_id, 131047, "Re-engagement message")
    again = await rig.notice(code)
    assert again.state is OutboxState.PENDING and again.notification.as_template
    assert again.error_code == "131047"

    report = await rig.relay.drain(rig.clock())
    assert report.sent == 1
    assert rig.fake.sent[-1]["type"] == "template" and rig.fake.sent[-1]["to"] == PHONE
    resent = await rig.notice(code)
    assert resent.state is OutboxState.SENT and resent.message_id == rig.fake.wamids[-1] != first.message_id


async def test_a_transient_failure_is_sent_again_after_the_backoff(rig: Rig) -> None:
    code = await rig.file_and_notify()
    first = await rig.notice(code)
    await rig.failed(first.message_id, 131000, "Something went wrong")
    assert (await rig.notice(code)).state is OutboxState.PENDING
    assert (await rig.relay.drain(rig.clock())).sent == 0  # not before the backoff
    assert (await rig.relay.drain(rig.clock() + timedelta(seconds=5))).sent == 1
    assert (await rig.notice(code)).message_id == rig.fake.wamids[-1]


# --- Telegram: 403 "bot was blocked by the user" ----------------------------------------------


@pytest.fixture
async def telegram_relay(app, telegram_api: FakeTelegramApi) -> AsyncIterator[tuple[OutboxRelay, RecordingSender]]:
    fake = FakeTime()
    whatsapp = RecordingSender()
    async with telegram_bot(telegram_api.token, telegram_api.url) as bot:
        sender = TelegramSender(bot, TelegramLimiter(clock=fake, sleep=fake.sleep))
        yield app.relay({"telegram": sender, "whatsapp": whatsapp}), whatsapp


async def _telegram_complaint(app, phone: str | None) -> str:
    clock = Clock()
    complaint = Complaint("LPR-7KQ3-MN", "lampu jalan mati di jl. ahmad yani", "telegram", "2002", clock(),
                          complainant=Complainant(name="Budi", phone=phone))
    async with app.uow() as uow:
        await uow.complaints.add(complaint)
        await uow.outbox.add(Notification("LPR-7KQ3-MN:diproses:telegram:2002", "telegram", "2002",
                                          "Status laporan LPR-7KQ3-MN: Diproses.", complaint_code="LPR-7KQ3-MN"),
                             clock())
        await uow.commit()
    return complaint.code


async def test_a_telegram_message_id_is_kept(app, telegram_relay, telegram_api: FakeTelegramApi) -> None:
    relay, _ = telegram_relay
    code = await _telegram_complaint(app, None)
    assert (await relay.drain(Clock()())).sent == 1
    async with app.uow() as uow:
        item = await uow.outbox.latest_to(code, [("telegram", "2002")])
    assert item.state is OutboxState.SENT and item.message_id == str(telegram_api.messages_to("2002")[-1]["message_id"])


async def test_a_telegram_403_fails_for_good_and_goes_to_the_whatsapp_number_the_citizen_gave(
    app, telegram_relay, telegram_api: FakeTelegramApi
) -> None:
    relay, whatsapp = telegram_relay
    code = await _telegram_complaint(app, "+6281234567890")
    telegram_api.fail_next("sendMessage", 1, "403")
    report = await relay.drain(Clock()())
    assert (report.sent, report.failed, report.rerouted) == (0, 0, 1)
    assert (await relay.drain(Clock()())).sent == 1  # the copy to the other chat
    async with app.uow() as uow:
        [dead] = await uow.outbox.failed()
        complaint = await uow.complaints.get(code)
        from complaints.usecases.delivery import undelivered
        fact = await undelivered(uow, complaint)
    assert dead.state is OutboxState.FAILED and dead.error_code == "403" and "blocked by the user" in dead.error_title
    [copy] = whatsapp.sent
    assert (copy.channel, copy.recipient, copy.text) == ("whatsapp", PHONE, "Status laporan LPR-7KQ3-MN: Diproses.")
    assert fact is None  # the citizen got it on WhatsApp


async def test_a_telegram_403_without_another_chat_stays_failed_and_shows_on_the_case(
    app, telegram_relay, telegram_api: FakeTelegramApi
) -> None:
    relay, whatsapp = telegram_relay
    code = await _telegram_complaint(app, None)
    telegram_api.fail_next("sendMessage", 1, "403")
    report = await relay.drain(Clock()())
    assert (report.sent, report.failed, report.rerouted) == (0, 1, 0) and whatsapp.sent == []
    from bot.render.officer import case_detail
    from complaints.usecases.delivery import undelivered
    from complaints.visibility import with_delivery

    ctx = app.context()
    async with app.uow() as uow:
        complaint = await uow.complaints.get(code)
        view = with_delivery(ctx.view(app.org.officers["admin-pusat"].actor, complaint),
                             await undelivered(uow, complaint))
    assert view.undelivered is not None and view.undelivered.error_code == "403"
    assert "Warga belum menerima kabar terakhir (telegram" in case_detail(view, ctx.unit_of(complaint), ctx.policy)

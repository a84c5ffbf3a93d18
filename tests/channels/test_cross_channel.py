"""One case across channels: the citizen writes on WhatsApp, the verifier and the unit's
officer act from Telegram, and every notification reaches the right chat through the
outbox relay, against the fake Graph API and the fake Bot API."""

import random
import re

import httpx
import pytest
import yaml
from starlette.applications import Starlette

from aduan.bootstrap import bootstrap
from aduan.settings import DEMO_ORGANISATION, Settings
from bot.channels.telegram import TelegramChannel, TelegramSender
from bot.channels.telegram_http import telegram_bot
from bot.channels.whatsapp import WhatsAppChannel, WhatsAppClient, WhatsAppSender, last_inbound_from_database
from complaints.taxonomy import Status
from tests.chat_harness import Clock
from tests.fakes.graph_api import WhatsAppUser, message_buttons, message_text, signed

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
ADMIN_CHAT, OFFICER_CHAT, CITIZEN = 7001, 7002, "6281298765432"


@pytest.fixture
def organisation(tmp_path):
    """The demo organisation, with the verifier and the DLH officer on Telegram."""
    spec = yaml.safe_load(DEMO_ORGANISATION.read_text(encoding="utf-8"))
    chats = {"admin-pusat": ADMIN_CHAT, "petugas-dlh": OFFICER_CHAT}
    for officer in spec["officers"]:
        if officer["id"] in chats:
            officer["chats"] = {"telegram": chats[officer["id"]]}
    path = tmp_path / "organisation.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


async def test_officers_on_telegram_and_a_citizen_on_whatsapp(engine, organisation, telegram_api, graph_api, tmp_path):
    app = await bootstrap(Settings(organisation_file=organisation), db=engine, migrate=False, rng=random.Random(3))
    clock = Clock()
    bot = telegram_bot(telegram_api.token, telegram_api.url)
    await bot.initialize()
    telegram = TelegramChannel(app.conversation.handle, bot, tmp_path / "media", 1 << 20, clock)
    async with WhatsAppClient(graph_api.base_url, graph_api.access_token, graph_api.phone_number_id) as client:
        whatsapp = WhatsAppChannel(app.conversation.handle, client, graph_api.verify_token, graph_api.app_secret,
                                   tmp_path / "media", 1 << 20, clock)
        relay = app.relay({
            "telegram": TelegramSender(bot),
            "whatsapp": WhatsAppSender(client, last_inbound_from_database(app.uow), "status_laporan", "id", clock),
        })
        web = httpx.AsyncClient(transport=httpx.ASGITransport(app=Starlette(routes=whatsapp.routes())),
                                base_url="http://aduan.test")
        citizen = WhatsAppUser(CITIZEN, clock=clock)

        async def citizen_sends(payload) -> list[dict]:
            before = len(graph_api.sent)
            body, headers = signed(payload, graph_api.app_secret)
            assert (await web.post("/whatsapp/webhook", content=body, headers=headers)).status_code == 200
            clock.advance(seconds=30)
            return graph_api.sent[before:]

        async def officer_presses(chat: int, data: str) -> list[str]:
            before = len(telegram_api.texts_to(chat))
            await telegram.process_update(telegram_api.callback_update(chat, data))
            clock.advance(seconds=30)
            return telegram_api.texts_to(chat)[before:]

        async with web:
            await citizen_sends(citizen.text("sampah numpuk di depan pasar wonokromo udah 3 hari"))
            receipt = await citizen_sends(citizen.button("privacy:anonim"))  # "Kirim anonim" on the summary
            code = CODE.search(" ".join(message_text(m) for m in receipt)).group(0)

            await relay.drain(clock())  # the verifier hears on Telegram, with buttons
            [to_admin] = telegram_api.messages_to(ADMIN_CHAT)
            assert code in to_admin["text"] and f"off:dispose:{code}" in telegram_api.button_data(to_admin)
            assert any("Status" in t for t in await officer_presses(ADMIN_CHAT, f"off:dispose:{code}"))

            await relay.drain(clock())
            to_officer = telegram_api.messages_to(OFFICER_CHAT)[-1]
            assert code in to_officer["text"] and f"off:resolve:{code}" in telegram_api.button_data(to_officer)
            prompt = await officer_presses(OFFICER_CHAT, f"off:resolve:{code}")
            assert "jawaban" in prompt[-1].lower()
            await telegram.process_update(telegram_api.text_update(OFFICER_CHAT, "Sampah sudah diangkut pagi ini"))

            before = len(graph_api.sent)
            await relay.drain(clock())
            to_citizen = [m for m in graph_api.sent[before:] if m.get("to") == CITIZEN]
            answer = to_citizen[-1]
            assert "Sampah sudah diangkut pagi ini" in message_text(answer)
            assert [b for b, _ in message_buttons(answer)] == [f"rate:{code}:puas", f"rate:{code}:tidak"]

            closed = await citizen_sends(citizen.button(f"rate:{code}:puas"))
            assert any("tutup" in message_text(m) for m in closed)
    await bot.shutdown()
    async with app.uow() as uow:
        complaint = await uow.complaints.get(code)
    assert complaint.status is Status.DITUTUP and complaint.channel == "whatsapp"
    assert [e.actor for e in complaint.audit if e.action == "status"] == [
        "admin-pusat", "petugas-dlh", f"whatsapp:{CITIZEN}"]

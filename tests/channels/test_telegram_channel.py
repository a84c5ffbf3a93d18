"""Telegram end to end: the real python-telegram-bot ``Bot`` talks to a fake Bot API server
on 127.0.0.1, the engine runs on SQLite and PostgreSQL. Covers a whole complaint through
updates (commands, inline buttons, a photo, a location), bad input (stale or forged
callbacks, oversized, foreign or hostile files, forged webhooks), long polling with duplicates,
and notifications through the outbox relay (429, 500, 403). Nothing sleeps in real time
except the fake server's short long polls.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from telegram import Bot
from telegram.error import RetryAfter

from bot import texts
from bot.channels.rate_limit import telegram_limiter
from bot.channels.telegram import (
    MAX_TEXT,
    SECRET_HEADER,
    RateLimiter,
    TelegramChannel,
    TelegramSender,
    markup_json,
    split_text,
)
from bot.channels.telegram_format import keyboard_rows
from bot.channels.telegram_http import telegram_bot
from bot.messages import IncomingMessage, OutgoingMessage
from complaints.notifications import Button, Notification
from scheduler.relay import OutboxRelay
from tests.chat_harness import Clock, FakeTime, make_app
from tests.fakes import media_files
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.telegram_chat import CITIZEN, TelegramChat

# PTB itself warns, building RetryAfter, that retry_after becomes a timedelta in v23 (we take both)
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
SECRET = "rahasia-webhook-123"
JPEG = media_files.jpeg((320, 240))
PDF = media_files.pdf()
MAX_MEDIA = 50_000


def new_bot(api: FakeTelegramApi) -> Bot:
    return telegram_bot(api.token, api.url)


@dataclass(kw_only=True)
class Telegram(TelegramChat):
    """The citizen's chat; updates arrive through the channel as by webhook."""

    channel: TelegramChannel

    async def feed(self, update: dict) -> None:
        await self.channel.process_update(update)


@pytest.fixture
async def tg(engine, telegram_api: FakeTelegramApi, tmp_path: Path) -> AsyncIterator[Telegram]:
    app = await make_app(engine)
    clock = Clock()
    media_dir = tmp_path / "media"
    async with new_bot(telegram_api) as bot:
        channel = TelegramChannel(app.conversation.handle, bot, media_dir, MAX_MEDIA, clock, webhook_secret=SECRET)
        yield Telegram(telegram_api, app, clock, media_dir, channel=channel)


# --- a whole complaint ----------------------------------------------------------------------


async def test_a_complaint_through_telegram_with_buttons_a_photo_and_a_location(tg: Telegram) -> None:
    greeting = await tg.command("start")
    assert greeting.startswith("Halo, selamat datang")
    assert "menu:new" in tg.buttons
    keyboard_rows = tg.replies[-1]["reply_markup"]["inline_keyboard"]
    assert all(len(row) <= 2 for row in keyboard_rows) and len(keyboard_rows) < len(tg.buttons)

    await tg.says("sampah numpuk di depan pasar wonokromo udah 3 hari, baunya sampai ke rumah warga")
    assert tg.replies, "the bot answers the complaint"

    update, stored = tg.api.photo_update(CITIZEN, JPEG, caption="ini fotonya")
    await tg.deliver(update)
    assert "foto sudah kami lampirkan" in tg.last
    [photo] = tg.stored_files()
    assert photo.read_bytes() == JPEG  # the largest size was downloaded
    assert photo.relative_to(tg.media_dir).parts[:2] == ("2026", "11") and photo.suffix == ".jpg"
    assert [c["file_id"] for c in tg.api.calls_of("getFile")] == [stored.file_id]

    await tg.deliver(tg.api.location_update(CITIZEN, -7.3025, 112.7378))
    assert tg.replies

    # the summary, with the ways to send it: "Kirim anonim" files at once
    assert "privacy:anonim" in tg.buttons and "confirm:send" in tg.buttons
    assert texts.SUMMARY_HEADER in tg.last and "Lampiran: 1 berkas" in tg.last

    answered = len(tg.api.calls_of("answerCallbackQuery"))
    receipt = await tg.presses("privacy:anonim")
    assert len(tg.api.calls_of("answerCallbackQuery")) == answered + 1
    code = CODE.search(receipt).group(0)
    # the pressed keyboard is removed, so it cannot be pressed twice
    assert tg.api.calls_of("editMessageReplyMarkup")

    async with tg.app.uow() as uow:
        complaint = await uow.complaints.get(code)
    assert complaint.channel == "telegram" and complaint.sender == str(CITIZEN)
    assert complaint.place.latitude == pytest.approx(-7.3025)
    [evidence] = complaint.evidence
    assert (evidence.kind, evidence.ref, evidence.caption) == ("photo", str(photo), "ini fotonya")
    assert evidence.source == f"telegram:{stored.file_id}"

    status = await tg.command("cek", code)
    assert code in status
    assert await tg.state() == {}


async def test_help_and_cancel_commands(tg: Telegram) -> None:
    assert await tg.command("help") == texts.HELP
    assert await tg.command("bantuan") == texts.HELP
    await tg.says("lampu jalan di gang 5 kebraon mati sudah seminggu")
    assert (await tg.state()).get("step")
    assert texts.ASK_CANCEL_CONFIRM in await tg.command("batal")  # the draft has a description: asked first
    assert tg.buttons == ["offer:cancel", "offer:keep"]
    assert texts.CANCELLED in await tg.presses("offer:cancel")
    assert await tg.state() == {}
    assert texts.ASK_CODE in await tg.command("cek")
    reply = await tg.says("LPR-2222-22")  # the answer to "which code?"
    assert "LPR-2222-22" in reply and texts.ASK_CODE not in reply


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("data", ["confirm:send", "privacy:sangat-rahasia", "x" * 70, "menu:new'; DROP TABLE"])
async def test_stale_or_forged_callbacks_are_answered_and_change_nothing(tg: Telegram, data: str) -> None:
    await tg.says("jalan depan SDN 3 Kebraon bolong gede, ada yang jatuh")
    before = await tg.state()
    assert before.get("step") == "date"  # not at the summary: "Kirim" is not an answer here
    answered = len(tg.api.calls_of("answerCallbackQuery"))
    reply = await tg.presses(data)
    assert len(tg.api.calls_of("answerCallbackQuery")) == answered + 1
    assert texts.STALE_BUTTON in reply
    assert await tg.state() == before


async def test_a_callback_outside_any_conversation_is_stale(tg: Telegram) -> None:
    assert texts.STALE_BUTTON in await tg.presses("rate:LPR-2222-22:puas")
    assert await tg.state() == {}


async def test_oversized_and_foreign_files_are_refused_and_not_stored(tg: Telegram) -> None:
    await tg.says("lampu jalan di gang 5 kebraon mati sudah seminggu")
    before, question = await tg.state(), tg.replies[-1]["text"]

    big, _ = tg.api.document_update(CITIZEN, PDF, "foto.pdf", "application/pdf", declared_size=MAX_MEDIA + 1)
    await tg.deliver(big)
    assert "terlalu besar" in tg.replies[0]["text"] and tg.replies[-1]["text"] == question
    lying, _ = tg.api.document_update(CITIZEN, b"%PDF-" + b"0" * (MAX_MEDIA + 10), "a.pdf", "application/pdf",
                                     declared_size=1000)  # only the download shows its size
    await tg.deliver(lying)
    assert tg.said == [texts.MEDIA_TOO_BIG.format(limit="48 KB"), question]  # the pending question again
    zipped, _ = tg.api.document_update(CITIZEN, b"PK\x03\x04junk", "bukti.zip", "application/zip")
    await tg.deliver(zipped)
    assert tg.said == [texts.MEDIA_TYPE, question]
    junk, _ = tg.api.document_update(CITIZEN, b"MZ\x90\x00 not a pdf", "bukti.pdf", "application/pdf")
    await tg.deliver(junk)
    assert tg.said == [texts.MEDIA_TYPE, question]

    assert tg.stored_files() == []
    assert await tg.state() == before

    good, stored = tg.api.document_update(CITIZEN, PDF, "surat.pdf", "application/pdf", caption="surat RT")
    await tg.deliver(good)
    assert "dokumen sudah kami lampirkan" in tg.last
    [pdf] = tg.stored_files()
    assert pdf.suffix == ".pdf" and pdf.read_bytes() == PDF


@pytest.mark.parametrize("content, name, mime", [
    (media_files.png_claiming(100_000, 100_000), "foto.png", "image/png"),  # a decompression bomb
    (media_files.png_claiming(9_000, 6_000), "foto.png", "image/png"),  # 54 megapixels
    (b"\xff\xd8\xff\xe0 only the first bytes of a JPEG", "foto.jpg", "image/jpeg"),
    (media_files.zip_bomb(20 * 1024 * 1024), "surat.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (media_files.lying_zip(), "surat.docx", "application/octet-stream"),
    (media_files.office("docx", {"word/vbaProject.bin": b"macro"}), "surat.docx", "application/msword"),
    (b"GIF89a" + bytes(40), "foto.gif", "image/gif"),
])
async def test_hostile_files_are_refused_and_change_nothing(tg: Telegram, content: bytes, name: str, mime: str) -> None:
    await tg.says("lampu jalan di gang 5 kebraon mati sudah seminggu")
    before, question = await tg.state(), tg.replies[-1]["text"]
    update, _ = tg.api.document_update(CITIZEN, content, name, mime)
    await tg.deliver(update)
    assert tg.said == [texts.MEDIA_TYPE, question]
    assert tg.stored_files() == [] and await tg.state() == before


async def test_what_a_file_is_comes_from_its_bytes_not_its_name_or_type(tg: Telegram) -> None:
    await tg.says("lampu jalan di gang 5 kebraon mati sudah seminggu")
    png, _ = tg.api.document_update(CITIZEN, media_files.png(), "surat.pdf", "application/pdf")
    await tg.deliver(png)
    assert "foto sudah kami lampirkan" in tg.last
    update, _ = tg.api.photo_update(CITIZEN, PDF)  # a "photo" that is a PDF (only a forged update has one)
    update["message"]["photo"] = update["message"]["photo"][-1:]
    await tg.deliver(update)
    assert "dokumen sudah kami lampirkan" in tg.last
    xlsx = media_files.office("xlsx")
    sheet, _ = tg.api.document_update(CITIZEN, xlsx, "data", "application/octet-stream")
    await tg.deliver(sheet)
    assert "dokumen sudah kami lampirkan" in tg.last
    assert sorted(p.suffix for p in tg.stored_files()) == [".pdf", ".png", ".xlsx"]
    evidence = (await tg.state())["draft"]["evidence"]
    assert [e["kind"] for e in evidence] == ["photo", "document", "document"]


async def test_a_duplicate_update_is_answered_once(tg: Telegram) -> None:
    update = tg.api.text_update(CITIZEN, "lampu jalan di gang 5 kebraon mati sudah seminggu")
    first = await tg.deliver(update)
    assert first
    again = await tg.deliver(dict(update))
    assert again == [], "a repeat delivery of an update_id gets no second reply"


# --- webhook --------------------------------------------------------------------------------


def webhook_client(channel: TelegramChannel) -> httpx.AsyncClient:
    app = Starlette(routes=[Route("/telegram/webhook", channel.webhook, methods=["POST"])])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://aduan.test")


async def test_the_webhook_refuses_forged_and_malformed_calls(tg: Telegram) -> None:
    update = tg.api.text_update(CITIZEN, "halo")
    async with webhook_client(tg.channel) as client:
        for headers in ({}, {SECRET_HEADER: "salah"}, {SECRET_HEADER: SECRET + "x"}, {SECRET_HEADER: ""}):
            response = await client.post("/telegram/webhook", json=update, headers=headers)
            assert response.status_code == 401
        assert tg.api.sent == [] and [c.method for c in tg.api.calls] == ["getMe"]  # getMe: the Bot's start
        assert await tg.state() == {}

        for body in (b"{not json", b"[1, 2]", b'{"message": {}}', b"\xff\xfe"):
            response = await client.post("/telegram/webhook", content=body, headers={SECRET_HEADER: SECRET})
            assert response.status_code == 400
        assert tg.api.sent == []

        response = await client.post("/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET})
        assert response.status_code == 200
    assert tg.api.texts_to(CITIZEN)[0].startswith("Halo, selamat datang")


async def test_the_webhook_answers_200_when_handling_fails(telegram_api: FakeTelegramApi, tmp_path: Path) -> None:
    async def broken(msg: IncomingMessage, now: datetime) -> list[OutgoingMessage]:
        raise RuntimeError("boom")

    async with new_bot(telegram_api) as bot:
        channel = TelegramChannel(broken, bot, tmp_path, MAX_MEDIA, Clock(), webhook_secret=SECRET)
        async with webhook_client(channel) as client:
            response = await client.post("/telegram/webhook", json=telegram_api.text_update(1, "halo"),
                                         headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200


async def test_without_a_configured_secret_every_webhook_call_is_refused(telegram_api, tmp_path) -> None:
    async def handle(msg, now):
        raise AssertionError("must not be called")

    async with new_bot(telegram_api) as bot:
        channel = TelegramChannel(handle, bot, tmp_path, MAX_MEDIA, Clock())
        async with webhook_client(channel) as client:
            response = await client.post("/telegram/webhook", json=telegram_api.text_update(1, "halo"),
                                         headers={SECRET_HEADER: ""})
    assert response.status_code == 401


# --- long polling ---------------------------------------------------------------------------


async def wait_for(api: FakeTelegramApi, condition, timeout: float = 5.0, what=lambda: None) -> None:
    """Wait (in a worker thread, woken by the fake's sends) while this loop runs the poller."""
    assert await asyncio.to_thread(api.wait_until, condition, timeout), f"timed out: {what()}"


async def test_long_polling_handles_updates_once_and_stops(tg: Telegram) -> None:
    api = tg.api
    api.webhook = {"url": "https://old.example/hook"}
    hello = api.text_update(CITIZEN, "halo")
    api.inject_update(hello)
    api.inject_update(dict(hello))  # Telegram delivers it twice
    api.inject_update(api.command_update(CITIZEN + 1, "help"))

    stop = asyncio.Event()
    poller = asyncio.create_task(tg.channel.run_polling(stop, poll_timeout=10))
    await wait_for(api, lambda: len(api.texts_to(CITIZEN + 1)) >= 1, what=lambda: (api.sent, [c.method for c in api.calls]))
    api.inject_update(api.command_update(CITIZEN, "cek"))  # arrives during a long poll
    await wait_for(api, lambda: any(texts.ASK_CODE in t for t in api.texts_to(CITIZEN)))
    stop.set()
    await asyncio.wait_for(poller, 2)

    assert [c.method for c in api.calls if c.method != "getMe"][0] == "deleteWebhook" and api.webhook is None
    greetings = [t for t in api.texts_to(CITIZEN) if t.startswith("Halo, selamat datang")]
    assert len(greetings) == 1
    assert api.texts_to(CITIZEN + 1) == [texts.HELP]
    offsets = [c.get("offset") for c in api.calls_of("getUpdates")]
    assert offsets[-1] == max(u for u in offsets if u) and api.pending == []


async def test_long_polling_survives_server_errors(telegram_api: FakeTelegramApi, tmp_path: Path) -> None:
    seen: list[IncomingMessage] = []

    async def handle(msg, now):
        seen.append(msg)
        return [OutgoingMessage("telegram", msg.sender, "ok")]

    telegram_api.fail_next("getUpdates", 1, "500")
    telegram_api.fail_next("getUpdates", 1, "429", retry_after=0)
    telegram_api.inject_update(telegram_api.text_update(42, "halo"))
    async with new_bot(telegram_api) as bot:
        channel = TelegramChannel(handle, bot, tmp_path, MAX_MEDIA, Clock())
        stop = asyncio.Event()
        # the backoff after the 500 is cut short: the test only waits for the update
        poller = asyncio.create_task(channel.run_polling(stop, poll_timeout=1, max_backoff=0.05))
        await wait_for(telegram_api, lambda: telegram_api.texts_to(42) == ["ok"], timeout=5)
        stop.set()
        await asyncio.wait_for(poller, 3)
    assert [m.text for m in seen] == ["halo"] and seen[0].update_id


async def test_long_polling_drops_an_unreadable_update_and_goes_on(telegram_api: FakeTelegramApi,
                                                                   tmp_path: Path) -> None:
    """Updates are read as JSON (no PTB ``Update`` built): one that cannot be read, even by
    PTB, is dropped alone; the rest of its batch is handled and all of it confirmed."""
    seen: list[IncomingMessage] = []

    async def handle(msg, now):
        seen.append(msg)
        return [OutgoingMessage("telegram", msg.sender, "ok")]

    telegram_api.inject_update({"update_id": telegram_api.next_update_id(), "message": {"message_id": 1, "text": "x"}})
    telegram_api.inject_update(telegram_api.text_update(43, "halo"))
    async with new_bot(telegram_api) as bot:
        channel = TelegramChannel(handle, bot, tmp_path, MAX_MEDIA, Clock())
        stop = asyncio.Event()
        poller = asyncio.create_task(channel.run_polling(stop, poll_timeout=1))
        await wait_for(telegram_api, lambda: telegram_api.texts_to(43) == ["ok"], timeout=5)
        stop.set()
        await asyncio.wait_for(poller, 3)
    assert [m.text for m in seen] == ["halo"] and telegram_api.pending == []


# --- outgoing: splitting and keyboards ------------------------------------------------------


def test_long_texts_are_split_at_line_breaks_within_the_limit() -> None:
    lines = [f"{n:04d}. LPR-7KQ3-MN — Jalan berlubang di depan SDN {n} Kebraon, status: diproses" for n in range(150)]
    text = "\n".join(lines)
    assert len(text) > MAX_TEXT
    pieces = split_text(text)
    assert len(pieces) >= 2 and all(len(p) <= MAX_TEXT for p in pieces)
    assert "\n".join(pieces) == text  # cut only between lines
    words = " ".join(["kata"] * 2000)
    assert " ".join(split_text(words)) == words
    solid = "x" * 9000
    assert "".join(split_text(solid)) == solid and [len(p) for p in split_text(solid)] == [4096, 4096, 808]
    emoji = "😀" * 3000  # two UTF-16 code units each, as Telegram counts
    assert all(len(p.encode("utf-16-le")) // 2 <= MAX_TEXT for p in split_text(emoji))
    assert split_text("pendek") == ["pendek"]


def test_keyboards_pair_short_labels_and_drop_ids_telegram_cannot_carry() -> None:
    def ids(buttons: list[Button]) -> list[list[str]] | None:
        sent = markup_json(keyboard_rows(buttons))
        return None if sent is None else [[b["callback_data"] for b in row] for row in sent["inline_keyboard"]]

    assert ids([Button("a", "Kirim"), Button("b", "Ubah"), Button("c", "Batal")]) == [["a", "b"], ["c"]]
    assert ids([Button("a", "Cukup lewat chat ini"), Button("b", "Tidak ingat")]) == [["a"], ["b"]]
    assert ids([Button("ok", "Ya"), Button("x" * 65, "Terlalu panjang")]) == [["ok"]]
    assert ids([]) is None


async def test_a_long_reply_is_sent_in_pieces_with_the_buttons_last(telegram_api, tmp_path) -> None:
    long_text = "\n".join(f"Laporan ke-{n}: LPR-7KQ3-MN, jalan berlubang, sedang diproses." for n in range(200))

    async def handle(msg, now):
        return [OutgoingMessage("telegram", msg.sender, long_text, (Button("menu:new", "Buat laporan"),))]

    async with new_bot(telegram_api) as bot:
        channel = TelegramChannel(handle, bot, tmp_path, MAX_MEDIA, Clock())
        await channel.process_update(telegram_api.text_update(77, "laporan saya"))
    sent = telegram_api.messages_to(77)
    assert len(sent) >= 2 and "\n".join(m["text"] for m in sent) == long_text
    assert [telegram_api.button_data(m) for m in sent] == [[]] * (len(sent) - 1) + [["menu:new"]]


# --- notifications through the outbox relay -------------------------------------------------

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)




def note(key: str, recipient: str = "1001", text: str = "Status laporan LPR-7KQ3-MN berubah: diproses") -> Notification:
    return Notification(key, "telegram", recipient, text, (Button("rate:LPR-7KQ3-MN:puas", "Puas"),), "LPR-7KQ3-MN")


@pytest.fixture
async def relay(uow_factory, telegram_api) -> AsyncIterator[OutboxRelay]:
    fake = FakeTime()
    async with new_bot(telegram_api) as bot:
        sender = TelegramSender(bot, RateLimiter(clock=fake, sleep=fake.sleep))
        yield OutboxRelay(uow_factory, {"telegram": sender})


async def queue(uow_factory, *notifications: Notification) -> None:
    async with uow_factory() as uow:
        for notification in notifications:
            await uow.outbox.add(notification, T0)
        await uow.commit()


async def test_a_429_is_retried_after_retry_after_and_delivered_once(relay, uow_factory, telegram_api) -> None:
    await queue(uow_factory, note("n1"))
    telegram_api.fail_next("sendMessage", 1, "429", retry_after=30)

    first = await relay.drain(T0)
    assert (first.sent, first.retried, first.failed) == (0, 1, 0)
    early = await relay.drain(T0 + timedelta(seconds=10))  # the relay's own backoff alone would allow it
    assert (early.sent, early.retried) == (0, 0)
    later = await relay.drain(T0 + timedelta(seconds=30))
    assert later.sent == 1
    assert (await relay.drain(T0 + timedelta(hours=1))).sent == 0
    [message] = telegram_api.messages_to(1001)
    assert message["text"] == note("n1").text and telegram_api.button_data(message) == ["rate:LPR-7KQ3-MN:puas"]


async def test_a_server_error_is_retried(relay, uow_factory, telegram_api) -> None:
    await queue(uow_factory, note("n1"))
    telegram_api.fail_next("sendMessage", 1, "500")
    assert (await relay.drain(T0)).retried == 1
    assert (await relay.drain(T0 + timedelta(seconds=5))).sent == 1
    assert len(telegram_api.messages_to(1001)) == 1


@pytest.mark.parametrize("kind, reason", [("403", "blocked by the user"), ("400", "chat not found")])
async def test_a_blocked_or_unknown_chat_fails_for_good_with_the_reason(relay, uow_factory, telegram_api, kind, reason) -> None:
    await queue(uow_factory, note("n1"), note("n2", recipient="1002"))
    telegram_api.fail_next("sendMessage", 1, kind)
    report = await relay.drain(T0)
    assert (report.sent, report.failed) == (1, 1)
    assert (await relay.drain(T0 + timedelta(days=1))).sent == 0
    async with uow_factory() as uow:
        [failed] = await uow.outbox.failed()
    assert failed.notification.key == "n1" and reason in failed.last_error.lower()
    assert telegram_api.messages_to(1001) == [] and len(telegram_api.messages_to(1002)) == 1


async def test_the_fake_enforces_telegram_flood_limits_when_asked(telegram_api) -> None:
    telegram_api.enforce_limits(clock=lambda: 500.0)  # all within one second, however slow the machine
    async with new_bot(telegram_api) as bot:
        await bot.send_message(1, "satu")
        with pytest.raises(RetryAfter):
            await bot.send_message(1, "dua")
        for chat in range(2, 31):
            await bot.send_message(chat, "x")
        with pytest.raises(RetryAfter):
            await bot.send_message(99, "ke-31 dalam satu detik")


# --- the rate limiter -----------------------------------------------------------------------


async def test_the_31st_message_in_a_second_waits_for_the_next_second() -> None:
    fake = FakeTime()
    limiter = RateLimiter(clock=fake, sleep=fake.sleep)
    start = fake.now
    slots = [await limiter.acquire(f"chat-{n}") for n in range(31)]
    assert slots[:30] == [start] * 30 and fake.slept == [1.0]
    assert slots[30] == start + 1.0 and fake.now == start + 1.0


async def test_messages_to_one_chat_are_a_second_apart() -> None:
    fake = FakeTime()
    limiter = RateLimiter(clock=fake, sleep=fake.sleep)
    first = await limiter.acquire("1001")
    fake.now += 0.25
    other = await limiter.acquire("1002")  # another chat does not wait
    second = await limiter.acquire("1001")
    third = await limiter.acquire("1001")
    assert other == first + 0.25
    assert second - first >= 1.0 and third - second >= 1.0
    assert fake.slept == [0.75, 1.0]


async def test_the_telegram_limiter_spaces_messages_evenly_with_a_margin() -> None:
    """No burst of 30 then a pause (jitter on the way then lands two windows' messages
    within one second at Telegram): one every 1.05/30 s, a chat every 1.05 s."""
    fake = FakeTime()
    limiter = telegram_limiter()
    limiter.clock, limiter.sleep = fake, fake.sleep
    slots = [await limiter.acquire(f"chat-{n % 50}") for n in range(100)]
    gaps = [b - a for a, b in zip(slots, slots[1:])]
    assert min(gaps) >= 1.05 / 30 - 1e-9
    assert all(slots[i + 30] - slots[i] >= 1.05 - 1e-9 for i in range(len(slots) - 30))
    assert 27 <= 99 / (slots[-1] - slots[0]) <= 30  # still over 90 % of Telegram's 30 a second
    same_chat = slots[::50]
    assert all(b - a >= 1.05 - 1e-9 for a, b in zip(same_chat, same_chat[1:]))


async def test_concurrent_senders_keep_both_limits() -> None:
    fake = FakeTime()
    limiter = RateLimiter(per_second=30, clock=fake, sleep=fake.sleep)
    chats = [f"c{n % 40}" for n in range(100)]
    slots = await asyncio.gather(*(limiter.acquire(c) for c in chats))
    ordered = sorted(slots)
    assert all(ordered[i + 30] - ordered[i] >= 1.0 for i in range(len(ordered) - 30))
    for chat in set(chats):
        mine = sorted(s for s, c in zip(slots, chats) if c == chat)
        assert all(b - a >= 1.0 for a, b in zip(mine, mine[1:]))

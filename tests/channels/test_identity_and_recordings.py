"""What each channel says about the sender (bot.messages.Profile), and voice notes, audio and
videos taken as evidence on Telegram (both libraries), WhatsApp and the terminal.

The engine is replaced by a recorder: these are the adapters' own decisions (what reaches
the engine, what is refused before it). Files are judged by bot.media; its own tests are
tests/bot/test_media_policy.py."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, cast

import pytest
from aiogram import Bot as AiogramBot
from aiogram import Dispatcher
from aiogram.types import Update as AiogramUpdate
from telegram import Bot as PtbBot
from telegram import Update as PtbUpdate

from bot import texts
from bot.channels.console import BadLine, ConsoleChat, TypedInput, parse_line
from bot.channels.telegram_aiogram import create_router
from bot.channels.telegram_core import FileTooBig, TelegramCore, sender_profile
from bot.channels.whatsapp.channel import WhatsAppChannel
from bot.channels.whatsapp.client import WhatsAppClient
from bot.channels.whatsapp.inbound import parse_webhook
from bot.media import CappedBuffer, MediaPolicy, MediaTooBig, RefusalReason
from bot.messages import IncomingMessage, Kind, Media, OutgoingMessage, Profile
from bot.speech import NoRecogniser, Recogniser
from tests.fakes import media_files
from tests.fakes.graph_api import WhatsAppUser, envelope

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OGG = b"OggS\x00\x02" + bytes(20) + b"\x01\x13OpusHead\x01\x01" + bytes(64)
MP4 = (24).to_bytes(4, "big") + b"ftypisom" + bytes(4) + b"isommp42" + bytes(64)
POLICY = MediaPolicy(max_bytes=64 * 1024, max_voice_bytes=128 * 1024, max_video_bytes=256 * 1024)
BUDI = {"id": 42, "is_bot": False, "first_name": "Budi", "last_name": "Santoso", "language_code": "id"}


def recorder(handled: list[IncomingMessage]) -> Callable[[IncomingMessage, datetime], Awaitable[list[OutgoingMessage]]]:
    async def handle(message: IncomingMessage, now: datetime) -> list[OutgoingMessage]:
        handled.append(message)
        return []
    return handle


class BotApi:
    """The Bot API as TelegramCore uses it; getFile tells the file's true size."""

    def __init__(self, content: bytes = b"") -> None:
        self.content = content
        self.sent: list[str] = []
        self.downloaded: list[str] = []

    async def answer_callback(self, query_id: str) -> None:
        return None

    async def download(self, file_id: str, out: BinaryIO, *, policy: MediaPolicy) -> None:
        if policy.too_big(len(self.content)):
            raise FileTooBig(file_id)
        self.downloaded.append(file_id)
        out.write(self.content)

    async def send_text(self, chat_id: str, text: str, rows: object) -> None:
        self.sent.append(text)

    async def clear_keyboard(self, chat_id: str, message_id: int) -> None:
        return None


def message(user: dict[str, Any] | None = BUDI, chat_type: str = "private", **body: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"message_id": 7, "date": 0, "chat": {"id": 42, "type": chat_type}, **body}
    if user is not None:
        found["from"] = user
    return {"update_id": 1001, "message": found}


async def on_telegram(update: dict[str, Any], content: bytes = b"") -> tuple[BotApi, list[IncomingMessage]]:
    handled: list[IncomingMessage] = []
    core = TelegramCore(recorder(handled), Path("/nonexistent"), 64 * 1024, lambda: NOW, policy=POLICY)
    api = BotApi(content)
    await core.process(update, api)
    return api, handled


# --- Telegram: who is writing ----------------------------------------------------------------


@pytest.mark.parametrize("user, expected", [
    (BUDI, Profile("Budi Santoso", None)),
    ({"id": 42, "is_bot": False, "first_name": "  Siti  "}, Profile("Siti", None)),
    ({"id": 42, "is_bot": False, "first_name": "\u200b", "last_name": " "}, None),  # nothing visible
    ({"id": 42, "is_bot": False, "first_name": "Andi\u202e", "last_name": "Wijaya\n"}, Profile("Andi Wijaya", None)),
    ({"id": 42, "is_bot": True, "first_name": "HelperBot"}, None),
    ({"id": 42, "first_name": "Tanpa is_bot"}, None),  # not a user as Telegram sends one
    ("Budi", None),
    (None, None),
])
def test_a_telegram_users_first_and_last_name_is_their_profile(user: Any, expected: Profile | None) -> None:
    assert sender_profile(user) == expected


async def test_every_kind_of_private_telegram_message_carries_the_profile() -> None:
    budi = Profile("Budi Santoso", None)
    for update in (message(text="lampu jalan mati"), message(text="/start"),
                   message(location={"latitude": -7.25, "longitude": 112.75}),
                   {"update_id": 1002, "callback_query": {"id": "q", "from": BUDI, "data": "confirm:send",
                                                          "message": {"message_id": 3, "date": 0,
                                                                      "chat": {"id": 42, "type": "private"}}}}):
        _, handled = await on_telegram(update)
        assert [m.profile for m in handled] == [budi], update


async def test_a_group_message_is_not_taken_and_a_message_without_a_sender_has_no_profile() -> None:
    api, handled = await on_telegram(message(chat_type="group", text="lampu mati"))
    assert handled == [] and api.sent == []
    _, handled = await on_telegram(message(user=None, text="lampu mati"))
    assert [m.profile for m in handled] == [None]


async def test_python_telegram_bot_keeps_the_sender_when_it_hands_the_update_on() -> None:
    bot = PtbBot("123456:TEST-TOKEN")
    data = PtbUpdate.de_json(message(text="halo"), bot).to_dict()  # what TelegramChannel.process passes
    _, handled = await on_telegram(data)
    assert [m.profile for m in handled] == [Profile("Budi Santoso", None)]


async def test_the_aiogram_router_passes_the_profile_to_the_engine(tmp_path: Path) -> None:
    handled: list[IncomingMessage] = []
    dispatcher = Dispatcher()
    dispatcher.include_router(create_router(recorder(handled), media_dir=tmp_path, max_media_bytes=64 * 1024,
                                            clock=lambda: NOW))
    bot = AiogramBot("123456:TEST-TOKEN")
    try:
        await dispatcher.feed_update(bot, AiogramUpdate.model_validate(message(text="halo"), context={"bot": bot}))
    finally:
        await bot.session.close()
    assert [(m.text, m.profile) for m in handled] == [("halo", Profile("Budi Santoso", None))]


# --- Telegram: voice notes, audio, videos --------------------------------------------------


@pytest.mark.parametrize("field, body, content, kind", [
    ("voice", {"duration": 4, "mime_type": "audio/ogg"}, OGG, "voice"),
    ("audio", {"duration": 4, "mime_type": "audio/mp4", "title": "rekaman"}, MP4, "voice"),  # audio in MP4
    ("video", {"duration": 4, "width": 64, "height": 48}, MP4, "video"),
    ("video_note", {"duration": 4, "length": 240}, MP4, "video"),
    ("document", {"file_name": "rekaman.ogg", "mime_type": "audio/ogg"}, OGG, "voice"),
])
async def test_telegram_voice_notes_audio_and_videos_reach_the_engine_as_evidence(
    tmp_path: Path, field: str, body: dict[str, Any], content: bytes, kind: str,
) -> None:
    handled: list[IncomingMessage] = []
    core = TelegramCore(recorder(handled), tmp_path / "media", 64 * 1024, lambda: NOW, policy=POLICY)
    api = BotApi(content)
    attachment: dict[str, Any] = {field: {"file_id": "f-9", "file_unique_id": "u-9", **body}}
    update = message(BUDI, "private", caption="di depan pasar", **attachment)
    assert await core.process(update, api)
    [got] = handled
    assert got.media is not None and got.media.kind == kind and got.media.caption == "di depan pasar"
    assert Path(got.media.ref).read_bytes() == content and got.media.source == "telegram:f-9"
    assert got.profile == Profile("Budi Santoso", None) and api.sent == []


async def test_a_telegram_video_is_capped_at_the_video_limit_and_told_that_limit() -> None:
    big = MP4 + bytes(300 * 1024)
    api, handled = await on_telegram(message(video={"file_id": "f", "file_unique_id": "u", "duration": 1,
                                                    "width": 1, "height": 1, "file_size": len(big)}), big)
    assert api.downloaded == [] and api.sent == []  # the size Telegram announced spared the download
    [refused] = handled  # the engine says it (and asks the pending question again)
    assert refused.kind is Kind.REFUSED and refused.notice == POLICY.refusal_text(RefusalReason.TOO_BIG, "video")
    assert "256 KB" in refused.notice
    # over a photo's limit but within a voice note's: taken
    api, handled = await on_telegram(message(voice={"file_id": "f", "file_unique_id": "u", "duration": 1}),
                                     OGG + bytes(100 * 1024))
    assert api.sent == [] and [m.media.kind for m in handled if m.media] == ["voice"]


async def test_a_telegram_voice_note_that_is_not_one_is_refused() -> None:
    api, handled = await on_telegram(message(voice={"file_id": "f", "file_unique_id": "u", "duration": 1}),
                                     b"MZ\x90\x00 a program")
    assert [(m.kind, m.notice, m.media) for m in handled] == [(Kind.REFUSED, texts.MEDIA_TYPE, None)]


@pytest.mark.parametrize("body", [
    {"sticker": {"file_id": "s", "file_unique_id": "u", "type": "regular", "width": 512, "height": 512,
                 "is_animated": False, "is_video": False}},
    {"poll": {"id": "p", "question": "?", "options": [], "total_voter_count": 0, "is_closed": False,
              "is_anonymous": True, "type": "regular", "allows_multiple_answers": False}},
    {"dice": {"emoji": "🎲", "value": 3}},
    {"animation": {"file_id": "a", "file_unique_id": "u", "width": 1, "height": 1, "duration": 1},
     "document": {"file_id": "a", "file_unique_id": "u"}},
])
async def test_stickers_polls_and_animations_reach_the_engine_as_unsupported_on_telegram(body: dict[str, Any]) -> None:
    api, handled = await on_telegram(message(**body))
    assert [m.kind for m in handled] == [Kind.UNSUPPORTED] and api.sent == [] and api.downloaded == []


async def test_a_telegram_contact_card_reaches_the_engine_with_its_number() -> None:
    _, handled = await on_telegram(message(contact={"phone_number": "081234567890", "first_name": "Budi"}))
    assert [(m.kind, m.contact_phone) for m in handled] == [(Kind.CONTACT, "+6281234567890")]


# --- WhatsApp ------------------------------------------------------------------------------------


def test_the_whatsapp_profile_name_and_number_come_from_the_matching_contact() -> None:
    [inbound] = parse_webhook(WhatsAppUser("6281234567890", name=" Budi  Santoso ").text("halo"))
    assert inbound.message.profile == Profile("Budi Santoso", "+6281234567890")
    two = envelope({
        "contacts": [{"wa_id": "6281200000001", "profile": {"name": "Orang Lain"}},
                     {"wa_id": "6281234567890", "profile": {"name": "Siti"}}],
        "messages": [{"id": "wamid.A", "from": "6281234567890", "type": "text", "text": {"body": "halo"}}],
    })
    assert [i.message.profile for i in parse_webhook(two)] == [Profile("Siti", "+6281234567890")]


@pytest.mark.parametrize("contacts, expected", [
    ([{"wa_id": "6281200000001", "profile": {"name": "Orang Lain"}}], None),  # another number: not the sender's
    ([{"wa_id": "6281234567890", "profile": {"name": "\u200b"}}], Profile(None, "+6281234567890")),
    ([{"wa_id": "6281234567890"}], Profile(None, "+6281234567890")),
    ([{"wa_id": "6281234567890", "profile": "Budi"}], Profile(None, "+6281234567890")),
    ([{"wa_id": "6281234567890", "profile": {"name": 7}}], Profile(None, "+6281234567890")),
    ([], None),
    (["6281234567890"], None),
])
def test_a_whatsapp_contact_that_is_not_the_sender_or_has_no_name_says_less(
    contacts: list[Any], expected: Profile | None,
) -> None:
    payload = envelope({"contacts": contacts, "messages": [
        {"id": "wamid.A", "from": "6281234567890", "type": "text", "text": {"body": "halo"}}]})
    assert [i.message.profile for i in parse_webhook(payload)] == [expected]


def test_a_whatsapp_user_known_only_by_a_business_scoped_id_gives_a_name_and_no_number() -> None:
    [inbound] = parse_webhook(WhatsAppUser(None, name="Budi", bsuid="ID.abc123").text("halo"))
    assert inbound.sender == "ID.abc123" and inbound.message.profile == Profile("Budi", None)


def test_an_invalid_whatsapp_number_is_no_phone() -> None:
    [inbound] = parse_webhook(WhatsAppUser("1234567", name="Budi").text("halo"))
    assert inbound.message.profile == Profile("Budi", None)


@pytest.mark.parametrize("kind, body, declared", [
    ("audio", {"id": "111", "mime_type": "audio/ogg; codecs=opus", "voice": True}, "voice"),
    ("audio", {"id": "112", "mime_type": "audio/mpeg"}, "voice"),
    ("video", {"id": "113", "mime_type": "video/mp4", "caption": "banjir"}, "video"),
    ("document", {"id": "114", "mime_type": "video/mp4", "filename": "rekaman.mp4"}, "document"),
])
def test_whatsapp_audio_and_video_messages_are_media(kind: str, body: dict[str, Any], declared: str) -> None:
    [inbound] = parse_webhook(WhatsAppUser().message(kind, body))
    assert (inbound.message.kind, inbound.media_kind, inbound.media_id) == (Kind.MESSAGE, declared, body["id"])
    assert inbound.caption == body.get("caption", "")


class GraphApi:
    def __init__(self, content: bytes) -> None:
        self.content = content
        self.sent: list[dict[str, Any]] = []

    async def download_media(self, media_id: str, out: CappedBuffer, *, policy: MediaPolicy) -> None:
        if policy.too_big(len(self.content)):
            raise MediaTooBig("announced")
        out.write(self.content)

    async def send(self, recipient: str, message: dict[str, Any]) -> None:
        self.sent.append(message)


@pytest.mark.parametrize("kind, content, expected", [
    ("audio", OGG, "voice"), ("video", MP4, "video"), ("audio", MP4, "voice"), ("document", OGG, "voice"),
])
async def test_a_whatsapp_voice_note_or_video_reaches_the_engine_with_the_profile(
    tmp_path: Path, kind: str, content: bytes, expected: str,
) -> None:
    handled: list[IncomingMessage] = []
    client = GraphApi(content)
    channel = WhatsAppChannel(recorder(handled), cast(WhatsAppClient, client), "verify", "secret", tmp_path / "media",
                              64 * 1024, lambda: NOW, policy=POLICY)
    [inbound] = parse_webhook(WhatsAppUser("6281234567890", name="Budi").message(kind, {"id": "777", "voice": True}))
    await channel.process(inbound)
    [got] = handled
    assert got.media is not None and got.media.kind == expected and Path(got.media.ref).read_bytes() == content
    assert got.profile == Profile("Budi", "+6281234567890") and client.sent == []


async def test_a_whatsapp_video_over_its_limit_is_refused_with_that_limit(tmp_path: Path) -> None:
    handled: list[IncomingMessage] = []
    client = GraphApi(MP4 + bytes(300 * 1024))
    channel = WhatsAppChannel(recorder(handled), cast(WhatsAppClient, client), "verify", "secret", tmp_path / "media",
                              64 * 1024, lambda: NOW, policy=POLICY)
    [inbound] = parse_webhook(WhatsAppUser().message("video", {"id": "778"}))
    await channel.process(inbound)
    assert client.sent == [] and [(m.kind, m.notice) for m in handled] == [
        (Kind.REFUSED, POLICY.refusal_text(RefusalReason.TOO_BIG, "video"))]


# --- the terminal --------------------------------------------------------------------------------


def test_a_jsonl_line_may_say_who_the_sender_is() -> None:
    line = {"from": "warga-1", "text": "halo", "profile": {"name": " Budi Santoso ", "phone": "0812-3456-7890"}}
    assert parse_line(json.dumps(line)).profile == Profile("Budi Santoso", "+6281234567890")
    assert parse_line(json.dumps({"from": "w", "button": "x", "profile": {"name": "Siti"}})).profile == Profile("Siti")
    assert parse_line(json.dumps({"from": "w", "text": "x", "profile": {"phone": "+6281234567890"}})).profile == \
        Profile(None, "+6281234567890")
    located = parse_line(json.dumps({"from": "w", "location": {"lat": -7.2, "lon": 112.7}, "profile": {"name": "A"}}))
    assert located.profile == Profile("A") and located.location == (-7.2, 112.7)
    for empty in ({}, None, {"name": None, "phone": None}):
        assert parse_line(json.dumps({"from": "w", "text": "x", "profile": empty})).profile is None
    assert parse_line(json.dumps({"from": "w", "text": "x"})).profile is None


@pytest.mark.parametrize("profile, problem", [
    ("Budi", texts.JSONL_BAD_PROFILE),
    (["Budi"], texts.JSONL_BAD_PROFILE),
    ({"nama": "Budi"}, texts.JSONL_BAD_PROFILE),
    ({"name": "Budi", "email": "b@example.org"}, texts.JSONL_BAD_PROFILE),
    ({"name": 7}, texts.JSONL_BAD_PROFILE_NAME.format(limit=100)),
    ({"name": "   "}, texts.JSONL_BAD_PROFILE_NAME.format(limit=100)),
    ({"name": "x" * 101}, texts.JSONL_BAD_PROFILE_NAME.format(limit=100)),
    ({"phone": 6281234567890}, texts.JSONL_BAD_PROFILE_PHONE),
    ({"phone": "bukan nomor"}, texts.JSONL_BAD_PROFILE_PHONE),
    ({"phone": "0812"}, texts.JSONL_BAD_PROFILE_PHONE),
    ({"phone": ""}, texts.JSONL_BAD_PROFILE_PHONE),
])
def test_a_bad_profile_is_a_bad_line(profile: Any, problem: str) -> None:
    with pytest.raises(BadLine) as raised:
        parse_line(json.dumps({"from": "warga-1", "text": "halo", "profile": profile}))
    assert str(raised.value) == problem


async def lines_of(*items: Any) -> AsyncIterator[str]:
    for item in items:
        yield json.dumps(item)


async def test_the_terminal_takes_voice_notes_and_videos_and_reports_bad_profiles(tmp_path: Path) -> None:
    voice, video, junk = tmp_path / "suara.ogg", tmp_path / "video.mp4", tmp_path / "suara.wav"
    voice.write_bytes(OGG)
    video.write_bytes(MP4)
    junk.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64))
    handled: list[IncomingMessage] = []
    out: list[dict[str, Any]] = []

    async def relay(now: datetime) -> None:
        return None

    chat = ConsoleChat(recorder(handled), relay, lambda: NOW, out.append, policy=POLICY)
    who = {"name": "Budi", "phone": "081234567890"}
    await chat.run(lines_of(
        {"from": "warga-1", "voice": str(voice), "caption": "suara mesin", "profile": who},
        {"from": "warga-1", "video": str(video)},
        {"from": "warga-1", "voice": str(junk)},
        {"from": "warga-1", "text": "halo", "profile": {"phone": "12"}},
        {"from": "warga-1", "voice": 7},
    ))
    assert [(m.media.kind, m.media.ref, m.media.caption) for m in handled if m.media] == [
        ("voice", str(voice), "suara mesin"), ("video", str(video), "")]
    assert handled[0].profile == Profile("Budi", "+6281234567890") and handled[1].profile is None
    assert (handled[2].kind, handled[2].notice, handled[2].media) == (Kind.REFUSED, texts.MEDIA_TYPE, None)
    assert out == [
        {"error": texts.JSONL_LINE.format(number=4, problem=texts.JSONL_BAD_PROFILE_PHONE)},
        {"error": texts.JSONL_LINE.format(number=5, problem=texts.JSONL_NOT_STRING.format(field="voice"))},
    ]
    assert len(handled) == 3  # the refused file reached the engine without its file; the bad lines did not


def test_the_interactive_chat_attaches_voice_notes_and_videos() -> None:
    typed = TypedInput("warga")
    assert typed.translate("/suara rekaman.ogg").media == Media("voice", "rekaman.ogg")
    assert typed.translate("/video banjir.mp4").media == Media("video", "banjir.mp4")
    assert typed.translate("/dokumen surat.pdf").media == Media("document", "surat.pdf")
    assert "/suara PATH" in texts.CONSOLE_WELCOME and "/video PATH" in texts.CONSOLE_WELCOME


def test_the_one_kind_rule_names_voice_and_video() -> None:
    with pytest.raises(BadLine) as raised:
        parse_line(json.dumps({"from": "w", "voice": "a.ogg", "video": "b.mp4"}))
    assert str(raised.value) == texts.JSONL_ONE_KIND and '"voice"' in texts.JSONL_ONE_KIND


# --- speech recognition: a seam, no model ----------------------------------------------------------


async def test_no_recogniser_hears_nothing_and_is_a_recogniser(tmp_path: Path) -> None:
    recogniser = NoRecogniser()
    assert isinstance(recogniser, Recogniser)
    assert await recogniser.transcribe(tmp_path / "suara.ogg") is None
    assert await recogniser.transcribe(tmp_path / "suara.ogg", language="jv") is None


def test_the_media_fixtures_are_not_mistaken_for_recordings() -> None:
    for content in (media_files.jpeg(), media_files.pdf(), media_files.office("docx")):
        assert POLICY.check(content, "voice").kind in ("photo", "document")  # type: ignore[union-attr]

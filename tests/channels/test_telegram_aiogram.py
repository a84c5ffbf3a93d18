"""The aiogram 3 router end to end: a team's own aiogram bot (a Dispatcher with its own
handlers) includes ``create_router(...)``; the real aiogram ``Bot`` talks to the fake Bot
API server on 127.0.0.1 and the engine runs on SQLite and PostgreSQL. Updates are fed with
``Dispatcher.feed_raw_update`` exactly as Telegram sends them.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import Command
from aiogram.types import Message

from bot import texts
from bot.channels.telegram_aiogram import create_router
from tests.chat_harness import Clock, make_app
from tests.fakes import media_files
from tests.fakes.telegram_api import FakeTelegramApi
from tests.fakes.telegram_chat import CITIZEN, TelegramChat

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
JPEG = media_files.jpeg((320, 240))  # a photo Pillow can open: the media policy reads the bytes
PDF = b"%PDF-1.7\n" + b"0" * 2000
MAX_MEDIA = 50_000


def team_router(seen: list[str]) -> Router:
    """The team's existing bot: a /ping of its own, and a catch-all after everything else."""
    router = Router(name="team")

    @router.message(Command("ping"))
    async def ping(message: Message) -> None:
        seen.append("ping")
        await message.answer("pong")

    return router


def fallback_router(seen: list[str]) -> Router:
    router = Router(name="team-fallback")

    @router.message()
    async def anything(message: Message) -> None:
        seen.append(f"fallback:{message.chat.type}")

    return router


@dataclass(kw_only=True)
class Team(TelegramChat):
    """The citizen's chat, with the team's own bot and dispatcher around the router."""

    bot: Bot
    dp: Dispatcher
    team_seen: list[str]

    async def feed(self, update: dict) -> None:
        await self.dp.feed_raw_update(self.bot, update)


def new_bot(api: FakeTelegramApi) -> Bot:
    return Bot(api.token, session=AiohttpSession(api=TelegramAPIServer.from_base(api.url)))


@pytest.fixture
async def team(engine, telegram_api: FakeTelegramApi, tmp_path: Path) -> AsyncIterator[Team]:
    app = await make_app(engine)
    clock = Clock()
    media_dir = tmp_path / "media"
    seen: list[str] = []
    dp = Dispatcher()
    dp.include_router(team_router(seen))
    dp.include_router(create_router(app.conversation.handle, media_dir=media_dir, max_media_bytes=MAX_MEDIA,
                                    clock=clock))
    dp.include_router(fallback_router(seen))
    bot = new_bot(telegram_api)
    try:
        yield Team(telegram_api, app, clock, media_dir, bot=bot, dp=dp, team_seen=seen)
    finally:
        await bot.session.close()


async def test_a_whole_complaint_through_the_aiogram_router(team: Team) -> None:
    greeting = await team.command("start")
    assert greeting.startswith("Halo, selamat datang") and "menu:new" in team.buttons
    rows = team.replies[-1]["reply_markup"]["inline_keyboard"]
    assert all(len(row) <= 2 for row in rows) and len(rows) < len(team.buttons)

    await team.says("sampah numpuk di depan pasar wonokromo udah 3 hari, baunya sampai ke rumah warga")
    assert team.replies

    update, stored = team.api.photo_update(CITIZEN, JPEG, caption="ini fotonya")
    await team.deliver(update)
    assert "foto sudah kami lampirkan" in team.last
    [photo] = team.stored_files()
    assert photo.read_bytes() == JPEG and photo.suffix == ".jpg"
    assert photo.relative_to(team.media_dir).parts[:2] == ("2026", "11")
    assert [c["file_id"] for c in team.api.calls_of("getFile")] == [stored.file_id]

    await team.deliver(team.api.location_update(CITIZEN, -7.3025, 112.7378))
    # the summary, with the ways to send it: "Kirim anonim" files at once
    assert "privacy:anonim" in team.buttons and "confirm:send" in team.buttons
    assert texts.SUMMARY_HEADER in team.last and "Lampiran: 1 berkas" in team.last

    answered = len(team.api.calls_of("answerCallbackQuery"))
    receipt = await team.presses("privacy:anonim")
    assert len(team.api.calls_of("answerCallbackQuery")) == answered + 1
    assert team.api.calls_of("editMessageReplyMarkup")  # the pressed keyboard is removed
    code = CODE.search(receipt).group(0)

    async with team.app.uow() as uow:
        complaint = await uow.complaints.get(code)
    assert complaint.channel == "telegram" and complaint.sender == str(CITIZEN)
    assert complaint.place.latitude == pytest.approx(-7.3025)
    [evidence] = complaint.evidence
    assert (evidence.kind, evidence.ref, evidence.caption) == ("photo", str(photo), "ini fotonya")
    assert evidence.source == f"telegram:{stored.file_id}"

    assert code in await team.command("cek", code)
    assert await team.state() == {}
    assert team.team_seen == []  # the team's handlers saw none of it


async def test_start_help_check_and_cancel(team: Team) -> None:
    assert (await team.command("start")).startswith("Halo, selamat datang")
    assert await team.command("help") == texts.HELP
    await team.says("lampu jalan di gang 5 kebraon mati sudah seminggu")
    assert (await team.state()).get("step")
    assert texts.ASK_CANCEL_CONFIRM in await team.command("batal")  # the draft has a description: asked first
    assert team.buttons == ["offer:cancel", "offer:keep"]
    assert texts.CANCELLED in await team.presses("offer:cancel")
    assert await team.state() == {}
    assert texts.ASK_CODE in await team.command("cek")
    reply = await team.says("LPR-2222-22")
    assert "LPR-2222-22" in reply and texts.ASK_CODE not in reply


async def test_a_duplicate_update_is_answered_once(team: Team) -> None:
    update = team.api.text_update(CITIZEN, "lampu jalan di gang 5 kebraon mati sudah seminggu")
    assert await team.deliver(update)
    assert await team.deliver(dict(update)) == []


async def test_stale_callbacks_and_refused_files_change_nothing(team: Team) -> None:
    await team.says("jalan depan SDN 3 Kebraon bolong gede, ada yang jatuh")
    before = await team.state()
    assert before["step"] == "date"  # not at the summary: "Kirim" is not an answer here
    assert texts.STALE_BUTTON in await team.presses("confirm:send")
    big, _ = team.api.document_update(CITIZEN, b"%PDF-" + b"0" * (MAX_MEDIA + 10), "a.pdf", "application/pdf",
                                      declared_size=1000)  # only getFile and the download show its size
    await team.deliver(big)
    assert "terlalu besar" in team.last
    junk, _ = team.api.document_update(CITIZEN, b"MZ\x90\x00 not a pdf", "bukti.pdf", "application/pdf")
    await team.deliver(junk)
    assert "jenis berkas" in team.last
    assert team.stored_files() == [] and await team.state() == before
    good, _ = team.api.document_update(CITIZEN, PDF, "surat.pdf", "application/pdf", caption="surat RT")
    await team.deliver(good)
    assert "dokumen sudah kami lampirkan" in team.last
    [pdf] = team.stored_files()
    assert pdf.read_bytes() == PDF and not any(p.name.endswith(".part") for p in team.stored_files())


async def test_the_teams_own_handlers_keep_working(team: Team) -> None:
    assert await team.command("ping") == "pong"
    assert team.team_seen == ["ping"] and await team.state() == {}
    # a group chat's message is not for the complaint bot: it goes on to the team's fallback
    group = team.api.text_update(-100123, "halo semua")
    group["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "RT 05"}
    await team.dp.feed_raw_update(team.bot, group)
    assert team.team_seen == ["ping", "fallback:supergroup"] and team.api.messages_to(-100123) == []


async def test_each_router_is_new_and_independent(engine, telegram_api: FakeTelegramApi, tmp_path: Path) -> None:
    app = await make_app(engine)
    made = [create_router(app.conversation.handle, media_dir=tmp_path / f"m{n}", max_media_bytes=MAX_MEDIA,
                          clock=Clock(), name=f"aduan-{n}") for n in range(2)]
    first, second = made
    assert first is not second and first.name == "aduan-0" and second.name == "aduan-1"
    assert first.message.handlers[0] is not second.message.handlers[0]
    assert first.parent_router is None and second.parent_router is None  # neither is already attached

    seen: list[str] = []
    dispatchers = []
    for router in made:  # two bots in one process, each with its own router
        dp = Dispatcher()
        dp.include_router(team_router(seen))
        dp.include_router(router)
        dispatchers.append(dp)
    bot = new_bot(telegram_api)
    try:
        await dispatchers[0].feed_raw_update(bot, telegram_api.command_update(1, "start"))
        await dispatchers[1].feed_raw_update(bot, telegram_api.command_update(2, "help"))
        await dispatchers[1].feed_raw_update(bot, telegram_api.command_update(2, "ping"))
    finally:
        await bot.session.close()
    assert telegram_api.texts_to(1)[0].startswith("Halo, selamat datang")
    assert telegram_api.texts_to(2) == [texts.HELP, "pong"] and seen == ["ping"]

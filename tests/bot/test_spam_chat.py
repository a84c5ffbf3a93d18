"""Spam and prank control, as citizens and admins notice it: a blocked chat is answered once
and then ignored, with nothing of it stored; the day's limit keeps the draft for tomorrow;
the same text from many chats reaches the admins once; abusive words get a polite request
and the complaint is filed all the same. SQLite and PostgreSQL (the ``app`` fixture)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot import texts
from bot.buttons import Resume, ResumeChoice
from bot.messages import IncomingMessage
from complaints.errors import DomainError
from complaints.model import Complaint, Place
from complaints.spam import SenderAction, SenderId
from complaints.taxonomy import Category
from complaints.usecases import filing, screening
from storage.tables import complaints, dialog_states, inbound_updates
from tests.chat_harness import CODE, Citizen, Clock, RecordingSender

BLOCKED = SenderId("telegram", "66666")


@pytest.fixture
def clock():
    return Clock()


async def count(app, table, **where) -> int:
    stmt = select(func.count()).select_from(table)
    for column, value in where.items():
        stmt = stmt.where(table.c[column] == value)
    async with app.db.connect() as conn:
        return (await conn.execute(stmt)).scalar_one()


async def block(app, clock, who=BLOCKED, by="admin-pusat", reason="mengirim laporan iseng berulang kali"):
    async with app.uow() as uow:
        await screening.block(app.context(), uow, who, reason, app.org.officers[by], clock())
        await uow.commit()


async def unblock(app, clock, who=BLOCKED, reason="sudah dikonfirmasi lewat telepon"):
    async with app.uow() as uow:
        await screening.unblock(app.context(), uow, who, reason, app.org.officers["admin-pusat"], clock())
        await uow.commit()


async def write(app, clock, text, update_id, who=BLOCKED):
    msg = IncomingMessage(who.channel, who.sender, text=text, update_id=update_id)
    replies = await app.conversation.handle(msg, clock())
    clock.advance(seconds=20)
    return replies


async def file_directly(app, clock, sender, text, channel="console", place="Kebraon"):
    """A complaint filed through the use case (as every surface does), from ``sender``."""
    async with app.uow() as uow:
        complaint = Complaint(code="", description=text, channel=channel, sender=sender, created_at=clock(),
                              category=Category.JALAN, place=Place(detail=place))
        await filing.submit(app.context(), uow, complaint, clock())
        await uow.commit()
    clock.advance(minutes=1)
    return complaint.code


# --- blocked chats ----------------------------------------------------------------------------

async def test_a_blocked_chat_is_answered_once_then_silence_and_nothing_of_it_is_stored(app, clock):
    await block(app, clock)
    first = await write(app, clock, "jalan depan rumah saya di Kebraon berlubang besar", "u1")
    assert [r.text for r in first] == [texts.SENDER_PAUSED.format(office=app.org.central.name)]
    assert "admin" in first[0].text and "spam" not in first[0].text.lower()  # no accusation
    assert await write(app, clock, "halo?", "u2") == []
    assert await write(app, clock, "kenapa tidak dijawab", "u3") == []
    assert await count(app, inbound_updates, sender=BLOCKED.sender) == 0
    assert await count(app, dialog_states, sender=BLOCKED.sender) == 0
    assert await count(app, complaints, sender=BLOCKED.sender) == 0
    async with app.uow() as uow:
        blocked = await uow.senders.get(BLOCKED)
    assert blocked is not None and blocked.attempts == 3 and blocked.last_attempt_at is not None
    assert blocked.blocked_by == "admin-pusat" and blocked.reason == "mengirim laporan iseng berulang kali"


async def test_unblocking_restores_the_service_and_the_history_keeps_both(app, clock):
    await block(app, clock)
    await write(app, clock, "halo", "u1")
    await unblock(app, clock)
    replies = await write(app, clock, "jalan depan SDN Kebraon 1 berlubang besar sejak kemarin", "u2")
    assert replies and texts.SENDER_PAUSED.split(",")[0] not in replies[-1].text
    assert await count(app, inbound_updates, sender=BLOCKED.sender) == 1
    async with app.uow() as uow:
        history = await uow.senders.history(BLOCKED)
        assert await uow.senders.get(BLOCKED) is None
    assert [(e.action, e.actor) for e in history] == [(SenderAction.UNBLOCKED, "admin-pusat"),
                                                       (SenderAction.BLOCKED, "admin-pusat")]
    assert history[0].reason == "sudah dikonfirmasi lewat telepon"
    await block(app, clock)  # blocked again: one polite answer again, then silence
    assert len(await write(app, clock, "halo", "u3")) == 1
    assert await write(app, clock, "halo", "u4") == []


async def test_only_an_admin_blocks_and_an_officers_chat_is_never_refused(app, clock):
    with pytest.raises(DomainError) as refused:
        await block(app, clock, by="supervisor-dlh")
    assert refused.value.code == "admin_only"
    with pytest.raises(DomainError) as officer:
        await block(app, clock, who=SenderId("console", "petugas-dlh"))
    assert officer.value.code == "officer_chat"
    with pytest.raises(DomainError) as reason:
        await block(app, clock, reason="   ")
    assert reason.value.code == "reason_required"
    async with app.uow() as uow:  # even a block row written behind the rules' back refuses no officer
        await uow.senders.block(SenderId("console", "petugas-dlh"), "uji", "admin-pusat", clock())
        await uow.commit()
    replies = await write(app, clock, "/bantuan", "o1", who=SenderId("console", "petugas-dlh"))
    assert replies and all(texts.SENDER_PAUSED.split(",")[0] not in r.text for r in replies)


# --- the day's limit --------------------------------------------------------------------------

async def test_over_the_daily_limit_the_draft_is_kept_and_filed_the_next_day(app, clock):
    citizen = Citizen(app, clock, sender="warga-rajin")
    for i in range(5):  # the demo organisation's default: five a day
        await file_directly(app, clock, "warga-rajin", f"laporan nomor {i} tentang jalan", place=f"Gang {i}")
    await citizen.says("lampu penerangan jalan di gang 7 Wonokromo mati sejak kemarin")
    reply = await citizen.presses("privacy:anonim")
    assert texts.DAILY_LIMIT_REACHED.format(limit=5) in reply and not CODE.search(reply)
    assert await count(app, complaints, sender="warga-rajin") == 5
    state = await citizen.state()
    assert "gang 7 Wonokromo" in state["draft"]["description"]  # nothing the citizen said is lost

    clock.advance(days=1)  # Tuesday: a new day, a new count
    await citizen.says("selamat pagi")
    assert Resume(ResumeChoice.CONTINUE).encode() in citizen.buttons
    await citizen.presses(Resume(ResumeChoice.CONTINUE).encode())
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)
    async with app.uow() as uow:
        filed = await uow.complaints.get(code)
    assert filed is not None and "gang 7 Wonokromo" in filed.description


async def test_the_api_channel_is_not_held_to_a_chats_daily_limit(app, clock):
    for i in range(7):  # one key files for many citizens; the API limits the key's requests instead
        await file_directly(app, clock, "apikey-1", f"laporan portal {i}", channel="api", place=f"Gang {i}")
    assert await count(app, complaints, sender="apikey-1") == 7


# --- the same text from many chats ------------------------------------------------------------

async def test_the_same_text_from_three_chats_within_minutes_reaches_the_admins_once(app, clock):
    text = "Jalan di depan balai RW 3 rusak parah!!! Tolong segera diperbaiki."
    codes = [await file_directly(app, clock, "bot-1", text)]
    codes.append(await file_directly(app, clock, "bot-1", text.upper()))  # the same chat twice: one sender
    codes.append(await file_directly(app, clock, "bot-2", "jalan di depan balai rw 3 rusak parah, tolong segera diperbaiki"))
    officers = RecordingSender()
    await app.relay({"console": officers}).drain(clock() + timedelta(days=1))
    assert not [n for n in officers.sent if "teks laporan yang sama" in n.text]  # two chats: not yet

    codes.append(await file_directly(app, clock, "bot-3", text))
    codes.append(await file_directly(app, clock, "bot-4", text))  # the 4th and 5th copies tell nobody again
    codes.append(await file_directly(app, clock, "bot-5", text))
    await app.relay({"console": officers}).drain(clock() + timedelta(days=1))
    notices = [n for n in officers.sent if "teks laporan yang sama" in n.text]
    admins = {o.primary_identity[1] for o in app.org.escalation_recipients(app.org.default_unit, 1)}
    assert sorted(n.recipient for n in notices) == sorted(admins) and "admin-pusat" in admins
    assert all(code in notices[0].text for code in codes[:4]) and "3 pengirim" in notices[0].text

    clock.advance(minutes=30)  # later, the same text again from one more chat: a lone copy, no notice
    await file_directly(app, clock, "bot-6", text)
    officers.sent.clear()
    await app.relay({"console": officers}).drain(clock() + timedelta(days=1))
    assert not [n for n in officers.sent if "teks laporan yang sama" in n.text]


# --- abusive words ----------------------------------------------------------------------------

async def test_abusive_words_get_a_polite_request_once_and_the_complaint_is_filed_as_written(app, clock):
    citizen = Citizen(app, clock, sender="warga-kesal")
    said = "bangsat, jalan depan SDN Kebraon 1 berlubang besar sejak kemarin ga dibenerin"
    await citizen.send(said)
    assert citizen.replies[0].text == texts.COURTESY_REQUEST and len(citizen.replies) > 1
    reply = await citizen.presses("privacy:anonim")
    code = CODE.search(reply).group(0)
    async with app.uow() as uow:
        filed = await uow.complaints.get(code)
    assert filed is not None and "bangsat" in filed.description  # kept as written
    await citizen.says("goblok banget petugasnya")  # once is enough for a while
    assert texts.COURTESY_REQUEST not in citizen.last


async def test_a_dog_in_a_complaint_is_not_abuse(app, clock):
    citizen = Citizen(app, clock, sender="warga-2")
    await citizen.says("anjing liar menggigit anak di gang 5 Kebraon kemarin sore")
    assert texts.COURTESY_REQUEST not in citizen.last

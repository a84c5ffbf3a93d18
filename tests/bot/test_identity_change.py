"""A WhatsApp number change (bot/identity.py, complaints/usecases/identity.py), on SQLite and
PostgreSQL: the citizen's cases, their support of others' cases, their draft and the news of
them follow the new number, and so do the messages its reports were made of (an edit from
the new number still reaches the case); the old number keeps nothing."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import pytest

from bot import texts
from bot.messages import IncomingMessage, Kind, Profile
from complaints.model import AuditKind
from complaints.taxonomy import Role
from tests.chat_harness import CODE, Citizen, Clock, dispose, outbox_to, stored

OLD, NEW = "6281100000001", "6282200000002"
LAMP = "lampu PJU di gang Melati 5 Kebraon mati sejak kemarin, gelap sekali kalau malam"
LAMP_AGAIN = "pak lampu jalan gg melati 5 kebraon padam dari kemarin, rawan maling"
_ids = itertools.count(1)


@dataclass
class WaCitizen(Citizen):
    """A WhatsApp citizen: the channel vouches for the profile name and number."""

    channel: str = "whatsapp"
    with_ids: bool = False  # each message carries its wamid as its ref (edits and deletions name it)
    wamids: list[str] = field(default_factory=list)  # of the messages sent, in order

    async def send(self, text=None, *, button=None, location=None, media=None):
        wamid = f"wamid.{next(_ids)}"
        self.wamids.append(wamid)
        msg = IncomingMessage(self.channel, self.sender, text=text, button=button, location=location, media=media,
                              update_id=wamid, ref=wamid if self.with_ids else None,
                              profile=Profile(None, f"+{self.sender}"))
        self.replies = await self.app.conversation.handle(msg, self.clock())
        self.clock.advance(seconds=20)
        return self.replies

    async def edits(self, ref: str, text: str) -> str:
        msg = IncomingMessage(self.channel, self.sender, text=text, kind=Kind.EDIT, ref=ref,
                              update_id=f"wamid.{next(_ids)}")
        self.replies = await self.app.conversation.handle(msg, self.clock())
        self.clock.advance(seconds=20)
        return self.last

    async def changes_number(self, new: str | None) -> list:
        msg = IncomingMessage(self.channel, self.sender, kind=Kind.NUMBER_CHANGED, new_sender=new,
                              update_id=f"wamid.{next(_ids)}")
        replies = await self.app.conversation.handle(msg, self.clock())
        self.clock.advance(seconds=20)
        if new is not None:
            self.sender = new
        return replies


@pytest.fixture
def clock():
    return Clock()


async def file(citizen: Citizen, text: str, mode: str = "rahasia") -> str:
    reply = await citizen.says(text)
    if "offer:new" in citizen.buttons:  # the same problem is reported: file anew
        reply = await citizen.presses("offer:new")
    assert texts.SUMMARY_HEADER in reply, reply
    reply = await citizen.presses(f"privacy:{mode}")
    if CODE.search(reply) is None:  # the name first
        reply = await citizen.says("nama saya Budi Santoso")
    return CODE.search(reply).group(0)


async def test_the_cases_the_list_and_the_news_follow_the_new_number(app, clock):
    citizen = WaCitizen(app, clock, sender=OLD)
    code = await file(citizen, LAMP)
    filed = await stored(app, code)
    assert (filed.sender, filed.complainant.phone) == (OLD, f"+{OLD}")
    old_chat = WaCitizen(app, clock, sender=OLD)

    assert await citizen.changes_number(NEW) == []  # a system notice: silence
    moved = await stored(app, code)
    assert (moved.channel, moved.sender, moved.complainant.phone) == ("whatsapp", NEW, f"+{NEW}")
    assert moved.complainant.name == "Budi Santoso"
    note = moved.audit[-1]
    assert note.action is AuditKind.NOTE and note.role is Role.SYSTEM and note.note == texts.CHAT_MOVED_NOTE
    assert not re.search(r"\d{4}", note.note)  # no number in the trail
    assert await old_chat.state() == {}

    listing = await citizen.says("laporan saya")  # the new number finds its case
    assert code in listing
    assert texts.NO_COMPLAINTS in await old_chat.says("laporan saya")  # the old one has none

    await dispose(app, code, clock())
    assert any(code in text for text in await outbox_to(app, NEW))
    assert await outbox_to(app, OLD) == []

    admin = app.org.officers["admin-pusat"].actor  # the admin reads the new phone of the rahasia case
    view = app.context().view(admin, await stored(app, code))
    assert view.details is not None and view.details.complainant is not None
    assert view.details.complainant.phone == f"+{NEW}"


async def test_a_draft_under_way_continues_from_the_new_number(app, clock):
    citizen = WaCitizen(app, clock, sender=OLD)
    await citizen.says(LAMP)
    before = await citizen.state()
    assert before["mode"] == "intake" and before["draft"]["contact"] == {"phone": f"+{OLD}"}

    assert await citizen.changes_number(NEW) == []
    assert await WaCitizen(app, clock, sender=OLD).state() == {}
    after = await citizen.state()
    assert after["draft"]["contact"] == {"phone": f"+{NEW}"}  # the phone was the old number
    assert after["draft"]["description"] == before["draft"]["description"]
    reply = await citizen.presses("privacy:rahasia")
    code = CODE.search(await citizen.says("Budi Santoso") if CODE.search(reply) is None else reply).group(0)
    assert (await stored(app, code)).sender == NEW


async def test_into_a_number_in_use_the_new_dialog_wins_and_both_chats_cases_are_its(app, clock):
    old, new = WaCitizen(app, clock, sender=OLD), WaCitizen(app, clock, sender=NEW)
    mine = await file(old, LAMP)
    # the new number already supports the old number's case, and is drafting something else
    await new.says(LAMP_AGAIN)
    assert f"support:{mine}" in new.buttons
    await new.presses(f"support:{mine}")
    await new.presses("privacy:anonim")
    assert (await stored(app, mine)).supporter(f"whatsapp:{NEW}") is not None
    await new.says("jalan berlubang besar di jalan Kebraon 2 dekat masjid, bahaya buat motor")
    drafting = await new.state()
    await old.says("sampah menumpuk di depan pasar Wonokromo sudah tiga hari")  # the old one drafts too

    await old.changes_number(NEW)
    assert await new.state() == drafting  # the new number's own dialog wins
    assert await WaCitizen(app, clock, sender=OLD).state() == {}
    case = await stored(app, mine)
    assert case.sender == NEW and case.supporters == []  # nobody supports their own case
    await new.says("batal")
    assert texts.CANCELLED in await new.says("ya")
    assert mine in await new.says("laporan saya")


async def test_a_supporters_support_and_news_follow_the_new_number(app, clock):
    owner, backer = WaCitizen(app, clock, sender="6283300000003"), WaCitizen(app, clock, sender=OLD)
    code = await file(owner, LAMP, "anonim")
    await backer.says(LAMP_AGAIN)
    await backer.presses(f"support:{code}")
    await backer.presses("privacy:biasa")
    assert (await stored(app, code)).supporter(f"whatsapp:{OLD}") is not None

    await backer.changes_number(NEW)
    case = await stored(app, code)
    assert [s.id for s in case.supporters] == [f"whatsapp:{NEW}"]
    assert case.sender == "6283300000003"
    assert case.audit[-1].note == texts.CHAT_MOVED_SUPPORTER_NOTE
    assert code in await backer.says("laporan saya")
    await dispose(app, code, clock())
    assert any(code in text for text in await outbox_to(app, NEW))


@pytest.mark.parametrize("new", [None, OLD, "6282\x00200"])
async def test_a_change_without_a_usable_new_number_changes_nothing(app, clock, new):
    citizen = WaCitizen(app, clock, sender=OLD)
    code = await file(citizen, LAMP)
    await citizen.says("laporan saya")
    before = (await stored(app, code)).audit
    replies = await citizen.changes_number(new)
    assert replies == []  # an id no channel sends is dropped by the engine, unanswered
    after = await stored(app, code)
    assert after.sender == OLD and after.audit == before


async def test_an_edit_from_the_new_number_of_a_message_filed_from_the_old_reaches_the_case(app, clock):
    citizen = WaCitizen(app, clock, sender=OLD, with_ids=True)
    code = await file(citizen, LAMP)
    description = citizen.wamids[0]  # the message the description came from

    await citizen.changes_number(NEW)
    corrected = "lampu PJU di gang Melati 5 Kebraon mati sejak kemarin, tiangnya juga miring"
    reply = await citizen.edits(description, corrected)
    assert texts.EDIT_ADDED_TO_CASE.format(code=code) in reply
    case = await stored(app, code)
    assert [e.note for e in case.audit if e.action is AuditKind.INFO] == [
        texts.CORRECTION_FROM_COMPLAINANT.format(text=corrected)]

    old_chat = WaCitizen(app, clock, sender=OLD)  # the old number keeps nothing
    assert texts.EDIT_NOT_TAKEN in await old_chat.edits(description, "lampu mati")
    assert len([e for e in (await stored(app, code)).audit if e.action is AuditKind.INFO]) == 1

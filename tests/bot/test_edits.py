"""A message the citizen edits or deletes (bot/edits.py): in a draft, the part it filled is
replaced and understood again, or taken out; after filing, an edit reaches the case as a
correction and a deletion is noted on it; anything else changes nothing. Transcripts on
SQLite and PostgreSQL, with message ids as Telegram and WhatsApp give them."""

from dataclasses import dataclass, field

import pytest

from bot import state as dialog_state
from bot import texts
from bot.draft import Draft, EvidenceDraft
from bot.messages import IncomingMessage, Kind, Media, OutgoingMessage
from bot.state import Asking
from complaints.model import AuditKind
from complaints.taxonomy import Category, Status
from complaints.usecases import casework
from tests.chat_harness import CODE, Clock, dispose, stored


@dataclass
class Chat:
    """A citizen on a channel with message ids: every message gets its own ``ref``."""

    app: object
    clock: Clock
    sender: str = "warga-1"
    channel: str = "console"
    sent: int = 0
    replies: list[OutgoingMessage] = field(default_factory=list)

    async def _handle(self, msg: IncomingMessage) -> str:
        self.replies = await self.app.conversation.handle(msg, self.clock())
        self.clock.advance(seconds=20)
        return "\n".join(r.text for r in self.replies)

    async def says(self, text: str | None = None, *, media: Media | None = None, button: str | None = None) -> str:
        self.sent += 1
        return await self._handle(IncomingMessage(self.channel, self.sender, text=text, media=media, button=button,
                                                  ref=f"m{self.sent}", update_id=f"u{self.sent}"))

    async def edits(self, ref: str, text: str) -> str:
        self.sent += 1
        return await self._handle(IncomingMessage(self.channel, self.sender, text=text, kind=Kind.EDIT, ref=ref,
                                                  update_id=f"u{self.sent}"))

    async def deletes(self, ref: str) -> str:
        self.sent += 1
        return await self._handle(IncomingMessage(self.channel, self.sender, kind=Kind.DELETE, ref=ref,
                                                  update_id=f"u{self.sent}"))

    async def draft(self) -> Draft:
        async with self.app.uow() as uow:
            record = await uow.dialogs.get(self.channel, self.sender)
        state = dialog_state.load(record.state if record else None)
        assert isinstance(state, Asking)
        return state.draft


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def chat(app, clock):
    return Chat(app, clock)


# --- in a draft ------------------------------------------------------------------------------

async def test_an_edited_description_changes_the_summary(chat):
    summary = await chat.says("lampu jalan mati di Kebraon sejak kemarin")  # m1
    assert texts.SUMMARY_HEADER in summary and "Penerangan" in summary
    reply = await chat.edits("m1", "sampah menumpuk tidak diangkut di Kebraon sejak kemarin")
    assert reply.startswith(texts.EDIT_APPLIED)
    assert texts.SUMMARY_HEADER in reply and "sampah menumpuk" in reply and "lampu jalan" not in reply
    assert "Kebersihan dan Sampah" in reply  # understood again
    draft = await chat.draft()
    assert draft.description == "sampah menumpuk tidak diangkut di Kebraon sejak kemarin"
    assert draft.category is Category.SAMPAH and draft.place.region_name.startswith("Kebraon")


async def test_an_edited_place_answer_changes_the_place(chat):
    assert "Di mana lokasinya" in await chat.says("lampu jalan mati")  # m1
    assert "Kapan kejadiannya" in await chat.says("Wonokromo")  # m2
    reply = await chat.edits("m2", "kelurahan Kebraon")
    assert texts.EDIT_APPLIED in reply and "Kapan kejadiannya" in reply  # the pending question again
    assert (await chat.draft()).place.region_name.startswith("Kebraon")
    summary = await chat.says("kemarin")  # m4
    assert "Kebraon" in summary and "Wonokromo" not in summary


async def test_a_deleted_photo_leaves_the_draft_and_a_kept_one_stays(chat):
    await chat.says("jalan berlubang besar di kelurahan Kebraon sejak kemarin")  # m1
    await chat.says(media=Media("photo", "media/lubang-1.jpg", ""))  # m2
    await chat.says(media=Media("photo", "media/lubang-2.jpg", ""))  # m3
    assert [e.ref for e in (await chat.draft()).evidence] == ["media/lubang-1.jpg", "media/lubang-2.jpg"]
    reply = await chat.deletes("m2")
    assert texts.DELETE_APPLIED in reply and texts.SUMMARY_HEADER in reply
    assert [e.ref for e in (await chat.draft()).evidence] == ["media/lubang-2.jpg"]
    code = CODE.search(await chat.says(button="privacy:anonim")).group(0)
    assert [e.ref for e in (await stored(chat.app, code)).evidence] == ["media/lubang-2.jpg"]


async def test_a_deleted_description_is_asked_for_again(chat):
    assert texts.ASK_DESCRIPTION in await chat.says("mau lapor")  # m1
    assert "Di mana lokasinya" in await chat.says("lampu jalan mati")  # m2
    reply = await chat.deletes("m2")
    assert texts.DELETE_APPLIED in reply and texts.ASK_DESCRIPTION in reply
    draft = await chat.draft()
    assert draft.description is None and draft.category is None
    assert "Di mana lokasinya" in await chat.says("sampah menumpuk tidak diangkut")  # m4: the new description
    assert (await chat.draft()).category is Category.SAMPAH


async def test_a_deleted_first_message_takes_its_place_and_date_with_it(chat):
    await chat.says("lampu jalan mati di Kebraon sejak kemarin")  # m1: description, place, date
    reply = await chat.deletes("m1")
    assert texts.ASK_DESCRIPTION in reply
    draft = await chat.draft()
    assert draft.description is None and not draft.place.done and draft.event_date is None


async def test_a_stale_edit_is_answered_once_and_changes_nothing(chat, app):
    await chat.says("lampu jalan mati di Kebraon sejak kemarin")  # m1
    before = await chat.draft()
    reply = await chat.edits("m99", "sampah di mana-mana")  # a message the draft never took
    assert reply.startswith(texts.EDIT_NOT_TAKEN) and texts.SUMMARY_HEADER in reply and len(chat.replies) == 2
    assert await chat.draft() == before
    again = await app.conversation.handle(IncomingMessage(  # a repeat delivery of the same edit: nothing
        "console", chat.sender, text="sampah di mana-mana", kind=Kind.EDIT, ref="m99", update_id=f"u{chat.sent}"),
        chat.clock())
    assert again == []
    assert await chat.deletes("m98") == ""  # a deletion of nothing the draft took: silence
    assert await chat.draft() == before


async def test_without_message_ids_an_edit_is_not_taken(chat):
    await chat.says("mau lapor")
    reply = await chat._handle(IncomingMessage("console", chat.sender, text="jalan rusak", kind=Kind.EDIT))
    assert texts.EDIT_NOT_TAKEN in reply and texts.ASK_DESCRIPTION in reply
    assert (await chat.draft()).description is None


# --- after filing ----------------------------------------------------------------------------

async def test_an_edit_after_filing_reaches_the_case_as_a_correction(chat, app, clock):
    await chat.says("lampu jalan mati di Kebraon sejak kemarin")  # m1
    code = CODE.search(await chat.says(button="privacy:anonim")).group(0)
    reply = await chat.edits("m1", "lampu jalan mati di gang 5 Kebraon sejak kemarin, tiangnya miring")
    assert texts.EDIT_ADDED_TO_CASE.format(code=code) in reply
    await dispose(app, code, clock())
    complaint = await stored(app, code)
    officer = app.org.officers["admin-pusat"].actor
    notes = [e.note for e in app.context().view(officer, complaint).history if e.action is AuditKind.INFO]
    assert notes == [texts.CORRECTION_FROM_COMPLAINANT.format(
        text="lampu jalan mati di gang 5 Kebraon sejak kemarin, tiangnya miring")]
    assert complaint.description == "lampu jalan mati di Kebraon sejak kemarin"  # as filed

    reply = await chat.deletes("m1")
    assert texts.DELETE_NOTED_ON_CASE.format(code=code) in reply
    complaint = await stored(app, code)
    notes = [e.note for e in app.context().view(officer, complaint).history if e.action is AuditKind.INFO]
    assert notes[-1] == texts.DELETION_NOTE


async def test_an_edit_of_a_closed_case_is_not_taken(chat, app, clock):
    await chat.says("lampu jalan mati di Kebraon sejak kemarin")  # m1
    code = CODE.search(await chat.says(button="privacy:anonim")).group(0)
    async with app.uow() as uow:
        admin = app.org.officers["admin-pusat"].actor
        await casework.change_status(app.context(), uow, code, Status.DITOLAK, admin, clock(), "Bukan kewenangan.")
        await uow.commit()
    assert texts.EDIT_NOT_TAKEN in await chat.edits("m1", "lampu jalan mati total")
    assert not [e for e in (await stored(app, code)).audit if e.action is AuditKind.INFO]


# --- stored states ---------------------------------------------------------------------------

def test_drafts_stored_before_sources_existed_still_load():
    stored_state = {"version": 2, "mode": "intake", "step": "confirm",
                    "draft": {"description": "lampu jalan mati", "event_date": "2026-11-22",
                              "evidence": [{"kind": "photo", "ref": "media/a.jpg", "caption": "", "source": ""}]}}
    state = dialog_state.load(stored_state)
    assert isinstance(state, Asking) and state.draft.sources == []
    assert state.draft.evidence == [EvidenceDraft(kind="photo", ref="media/a.jpg", caption="", source="")]
    assert dialog_state.load(dialog_state.dump(state)) == state


async def test_an_edit_while_the_draft_waits_to_be_resumed_changes_it_and_offers_it_again(chat, clock):
    await chat.says("lampu jalan mati")  # m1
    await chat.says("Wonokromo")  # m2
    clock.advance(hours=2)
    await chat.says("halo")  # m3: continue or start again?
    reply = await chat.edits("m2", "kelurahan Kebraon")
    assert texts.EDIT_APPLIED in reply and "lampu jalan mati" in reply and len(chat.replies) == 2
    summary = await chat.says(button="resume:continue")
    assert "Kapan kejadiannya" in summary
    async with chat.app.uow() as uow:
        record = await uow.dialogs.get(chat.channel, chat.sender)
    assert record.state["draft"]["place"]["region_name"].startswith("Kebraon")


async def test_words_typed_at_the_summary_are_added_to_the_report_not_lost(chat):
    await chat.says("jalan berlubang besar di depan SD Kebraon 2 sudah dua minggu")  # m1
    hmm = await chat.says("hmm")  # m2: too short to be more of the report; the summary again
    assert texts.ADDED_AT_SUMMARY not in hmm and texts.SUMMARY_HEADER in hmm
    more = await chat.says("oh iya, lubangnya dekat tiang listrik nomor 12")  # m3
    assert more.startswith(texts.ADDED_AT_SUMMARY) and texts.SUMMARY_HEADER in more
    assert (await chat.draft()).description == (
        "jalan berlubang besar di depan SD Kebraon 2 sudah dua minggu. oh iya, lubangnya dekat tiang listrik nomor 12")
    edited = await chat.edits("m3", "oh iya, lubangnya dekat tiang listrik nomor 14")  # and it can be edited
    assert "tiang listrik nomor 14" in edited and "nomor 12" not in edited

"""The typed, versioned dialog state (bot/state.py): dialogs stored before it existed (the
untyped dicts of version 1) continue as they would have, and a state that cannot be read
starts the chat afresh with a polite word instead of an error."""

import random
import re

import pytest

from bot import state as dialog_state
from bot import texts
from bot.buttons import OfficerAction
from bot.draft import Contact, Draft, NotRemembered, PlaceDraft, Step
from bot.render.labels import status_label
from bot.state import IDLE, Asking, AwaitingCode, OfficerNote, ResumeOffered, Unreadable
from complaints import tracking
from complaints.taxonomy import Category, PrivacyMode, Status
from tests.chat_harness import Citizen, Clock

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
WONOKROMO = {"region_code": "35.78.04.1001", "region_name": "Wonokromo, Wonokromo, Kota Surabaya, Jawa Timur",
             "detail": ""}
# A version-1 draft as the engine stored it, complete up to the place and the date
DRAFT_1 = {
    "description": "lampu jalan mati di depan rumah sudah seminggu",
    "category": "penerangan",
    "ranking": ["penerangan", "jalan", "kategori_lama"],
    "report_type": "pengaduan",
    "weight": "sedang",
    "place": WONOKROMO,
    "event_date": "2026-11-22",
}


def intake_1(step: str, **draft) -> dict:
    return {"mode": "intake", "step": step, "draft": draft}


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def citizen(app, clock):
    return Citizen(app, clock)


async def store(app, clock, old: dict, sender: str = "warga-1") -> None:
    """A state written as the engine wrote it before versions, just now."""
    async with app.uow() as uow:
        await uow.dialogs.put("console", sender, old, clock())
        await uow.commit()


# --- version 1, step by step: the conversation goes on as it did -------------------------------

RECEIPT_TO_BUDI = "Terima kasih, Budi Santoso, laporan Anda sudah kami terima."

VERSION_1_ANSWERS = [
    # (the stored state, the citizen's answer: text or button, what the bot says next). The
    # questions about the problem end in the summary, where the way of sending is chosen; a
    # draft stored at the old privacy step still gets that question, and one stored at the
    # name or the phone (its privacy chosen already) shows the summary once that is answered:
    # the citizen never saw it, so it is not filed unseen.
    (intake_1("description", place={}), {"text": "lampu jalan mati di depan rumah sudah seminggu"},
     texts.ASK_PLACE),
    (intake_1("place", description="lampu jalan mati di depan rumah", place={}), {"text": "Wonokromo"},
     texts.ASK_DATE),
    (intake_1("place", description="lampu jalan mati di depan rumah", place={}, place_tries=1),
     {"text": "Xyzqw"}, texts.PLACE_ACCEPTED_UNRESOLVED),  # the second unknown place: the counter came along
    (intake_1("date", **{k: v for k, v in DRAFT_1.items() if k != "event_date"}), {"button": "date:unknown"},
     texts.SUMMARY_HEADER),
    (intake_1("date", description="lampu mati", place=WONOKROMO, ranking=["penerangan", "jalan"]),
     {"text": "kemarin"}, texts.ASK_SERVICE_CHOICES),
    (intake_1("service", description="lampu mati", place=WONOKROMO, event_date="unknown",
              ranking=["penerangan", "jalan"]), {"button": "service:penerangan"}, texts.SUMMARY_HEADER),
    (intake_1("privacy", **DRAFT_1), {"button": "privacy:biasa"}, texts.SUMMARY_HEADER),
    (intake_1("privacy", **DRAFT_1), {"text": "rahasia"}, texts.SUMMARY_HEADER),
    (intake_1("name", **DRAFT_1, privacy="biasa"), {"text": "Budi Santoso"}, texts.SUMMARY_HEADER),
    (intake_1("contact", **DRAFT_1, privacy="biasa", name="Budi Santoso"), {"button": "contact:chat"},
     texts.SUMMARY_HEADER),
    (intake_1("contact", **DRAFT_1, privacy="biasa", name="Budi Santoso"), {"text": "0812 3456 7890"},
     texts.SUMMARY_HEADER),
    (intake_1("confirm", **DRAFT_1, privacy="anonim"), {"button": "confirm:edit"}, texts.ASK_EDIT_FIELD),
    (intake_1("edit", **DRAFT_1, privacy="anonim"), {"button": "edit:place"}, texts.ASK_PLACE),
    (intake_1("edit", **DRAFT_1, privacy="anonim"), {"text": "lokasi"}, texts.ASK_PLACE),
    ({"mode": "intake", "step": "resume", "resume_step": "privacy", "pending_text": "halo", "draft": DRAFT_1},
     {"button": "resume:continue"}, f"{texts.RESUMED}\n{texts.ASK_PRIVACY}"),
    ({"mode": "intake", "step": "resume", "resume_step": "privacy", "pending_text": "halo", "draft": DRAFT_1},
     {"text": "mulai baru saja"}, f"{texts.RESTARTED}\n{texts.START_INTAKE}\n{texts.ASK_DESCRIPTION}"),
]


@pytest.mark.parametrize(("old", "answer", "expected"), VERSION_1_ANSWERS,
                         ids=[f"{old['step']}-{next(iter(a.values()))[:12]}" for old, a, _ in VERSION_1_ANSWERS])
async def test_a_dialog_stored_before_versions_continues_where_it_was(app, clock, citizen, old, answer, expected):
    await store(app, clock, old)
    await citizen.send(**answer)
    assert citizen.last.startswith(expected), citizen.last
    now = await citizen.state()
    if old["step"] in ("name", "contact"):  # the summary was seen: "Kirim" files what was stored
        assert now["step"] == "confirm"
        assert (await citizen.presses("confirm:send")).startswith(RECEIPT_TO_BUDI)
        assert await citizen.state() == {}
        async with app.uow() as uow:
            [complaint] = await uow.complaints.list_by_sender("console", "warga-1")
        assert complaint.complainant.name == "Budi Santoso" and complaint.privacy is PrivacyMode.BIASA
        assert complaint.category is Category.PENERANGAN and complaint.place.region_code == "35.78.04.1001"
    else:
        assert now["version"] == dialog_state.VERSION and now["mode"] == "intake"


async def test_a_complete_draft_stored_before_versions_is_filed_as_it_would_have_been(app, clock, citizen):
    old = intake_1("confirm", **DRAFT_1, privacy="biasa", name="Siti Aminah", phone="+6281234567890",
                   evidence=[{"kind": "photo", "ref": "media/lampu.jpg", "caption": "ini", "source": ""}])
    await store(app, clock, old)
    receipt = await citizen.presses("confirm:send")
    code = CODE.search(receipt).group(0)
    async with app.uow() as uow:
        complaint = await uow.complaints.get(code)
    assert complaint.category is Category.PENERANGAN and complaint.place.region_code == "35.78.04.1001"
    assert complaint.event_date.isoformat() == "2026-11-22" and complaint.privacy is PrivacyMode.BIASA
    assert (complaint.complainant.name, complaint.complainant.phone) == ("Siti Aminah", "+6281234567890")
    assert [e.ref for e in complaint.evidence] == ["media/lampu.jpg"]
    assert await citizen.state() == {}


async def test_contact_by_chat_and_a_forgotten_date_stored_before_versions_are_kept(app, clock, citizen):
    await store(app, clock, intake_1("confirm", **{**DRAFT_1, "event_date": "unknown"}, privacy="rahasia",
                                     name="Siti Aminah", phone=None))
    summary = await citizen.says("hmm")  # not an answer: the summary again
    assert "Tidak diingat" in summary and "Siti Aminah" in summary and "Rahasia" in summary
    code = CODE.search(await citizen.says("kirim")).group(0)  # the name is known: filed at once
    async with app.uow() as uow:
        complaint = await uow.complaints.get(code)
    assert complaint.event_date is None and complaint.complainant.phone is None
    assert complaint.privacy is PrivacyMode.RAHASIA and complaint.complainant.name == "Siti Aminah"


async def test_awaiting_a_code_stored_before_versions(app, clock, citizen):
    await store(app, clock, {"awaiting": "code"})
    never_issued = tracking.generate(random.Random(99))
    assert await citizen.says(never_issued[4:].replace("-", " ")) == texts.CODE_NOT_FOUND.format(code=never_issued)
    assert await citizen.state() == {}


async def test_an_officers_pending_note_stored_before_versions(app, clock, citizen):
    await citizen.says("sampah numpuk di depan pasar wonokromo udah 3 hari")
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)  # "Kirim anonim" files at once
    admin = Citizen(app, clock, sender="admin-pusat")
    await store(app, clock, {"pending": {"action": "reject", "code": code}}, sender="admin-pusat")
    done = await admin.says("Bukan kewenangan pemerintah kota")
    assert done == texts.STATUS_CHANGED.format(code=code, label=status_label(Status.DITOLAK))
    assert await admin.state() == {}


async def test_an_unsent_draft_is_offered_again_after_a_long_silence_also_from_version_1(app, clock, citizen):
    await store(app, clock, intake_1("privacy", **DRAFT_1))
    clock.advance(hours=2)
    offer = await citizen.says("halo")
    assert "belum dikirim" in offer and "lampu jalan mati" in offer
    stored = await citizen.state()
    assert (stored["step"], stored["paused"], stored["pending_text"]) == ("resume", "privacy", "halo")


# --- the typed values themselves ----------------------------------------------------------------

def test_each_version_1_shape_migrates_to_its_typed_state():
    draft = dialog_state.load(intake_1("contact", **DRAFT_1, privacy="biasa", name="Budi", phone=None))
    assert isinstance(draft, Asking) and draft.step is Step.CONTACT
    assert draft.draft.contact == Contact(phone=None) and draft.draft.event_date.isoformat() == "2026-11-22"
    assert draft.draft.ranking == [Category.PENERANGAN, Category.JALAN]  # "kategori_lama" is none (any more)
    unknown = dialog_state.load(intake_1("privacy", **{**DRAFT_1, "event_date": "unknown"}))
    assert unknown.draft.event_date is NotRemembered.DATE and unknown.draft.contact is None
    resume = dialog_state.load({"mode": "intake", "step": "resume", "resume_step": None, "pending_text": "x",
                                "draft": DRAFT_1})
    # none kept: what is missing; the problem is all told, so the summary (where privacy is chosen)
    assert isinstance(resume, ResumeOffered) and resume.paused is Step.CONFIRM
    gone = dialog_state.load(intake_1("a_step_of_long_ago", **DRAFT_1))
    assert isinstance(gone, Asking) and gone.step is Step.CONFIRM
    lacking = dialog_state.load(intake_1("a_step_of_long_ago", **{k: v for k, v in DRAFT_1.items() if k != "place"}))
    assert lacking.step is Step.PLACE
    assert dialog_state.load({"awaiting": "code"}) == AwaitingCode()
    assert dialog_state.load({"pending": {"action": "ask", "code": "LPR-7KQ3-MN"}}) == \
        OfficerNote(action=OfficerAction.ASK, code="LPR-7KQ3-MN")
    assert dialog_state.load(None) is IDLE and dialog_state.load({}) is IDLE


def test_every_state_is_stored_with_its_version_and_read_back_the_same():
    draft = Draft(description="jalan rusak", place=PlaceDraft(latitude=-7.3, longitude=112.7),
                  event_date=NotRemembered.DATE, privacy=PrivacyMode.RAHASIA, contact=Contact(phone="+6281234567890"))
    states = [AwaitingCode(), Asking(step=Step.NAME, draft=draft),
              ResumeOffered(paused=Step.NAME, pending_text="halo", draft=draft),
              OfficerNote(action=OfficerAction.RESOLVE, code="LPR-7KQ3-MN")]
    for state in states:
        stored = dialog_state.dump(state)
        assert stored["version"] == 2
        assert dialog_state.load(stored) == state
    assert dialog_state.dump(IDLE) is None
    assert dialog_state.dump(states[1])["draft"]["event_date"] == "unknown"


UNREADABLE = [
    {"mode": "intake", "step": "place", "draft": "rusak"},
    {"mode": "intake", "step": "place", "draft": {"event_date": "kemarin dulu"}},
    {"mode": "intake", "step": "place", "draft": {"privacy": "setengah"}},
    {"pending": {"action": "terbang", "code": "LPR-7KQ3-MN"}},
    {"pending": {"code": "LPR-7KQ3-MN"}},
    {"something": "else"},
    {"version": 2, "mode": "intake", "step": "nowhere", "draft": {}},
    {"version": 2, "mode": "intake", "step": "place"},
    {"version": 2, "mode": "dancing"},
    {"version": 2, "mode": "intake", "step": "place", "draft": {}, "extra": True},
    {"version": 3, "mode": "intake", "step": "place", "draft": {}},  # from a newer bot
    {"version": "2", "mode": None},
]


@pytest.mark.parametrize("stored", UNREADABLE)
def test_a_state_that_cannot_be_read_is_refused_cleanly(stored):
    with pytest.raises(Unreadable):
        dialog_state.load(stored)


def test_why_a_state_is_unreadable_is_said_without_what_it_held():
    with pytest.raises(Unreadable) as refused:
        dialog_state.load({"version": 2, "mode": "intake", "step": "name",
                           "draft": {"name": "Siti Aminah", "contact": {"phone": 6281234567890}}})
    assert str(refused.value) == "draft.contact.phone: string_type"  # the log line names no value


@pytest.mark.parametrize("stored", UNREADABLE[:2] + UNREADABLE[-2:])
async def test_an_unreadable_state_starts_the_chat_afresh_politely(app, clock, citizen, stored):
    await store(app, clock, stored)
    reply = await citizen.says("halo")
    assert reply.startswith(texts.RESTARTED) and "selamat datang" in reply.lower()
    assert await citizen.state() == {}
    summary = await citizen.says(  # and a new report goes as in any chat: the summary at once
        "pak jalan depan SD Negeri 3 di Kebraon bolong gede udah 2 minggu, kmrn ada yg jatuh motor")
    assert texts.SUMMARY_HEADER in summary and "Kebraon" in summary
    assert citizen.buttons == ["confirm:send", "privacy:rahasia", "privacy:anonim", "confirm:edit", "confirm:cancel"]

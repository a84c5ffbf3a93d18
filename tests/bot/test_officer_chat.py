"""Officers act from their own chat (any channel): buttons on case messages and commands."""

import re

import pytest

from bot import texts
from bot.render.labels import status_label
from complaints.taxonomy import Status
from tests.chat_harness import Citizen, Clock, RecordingSender, make_app

CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")


@pytest.fixture
async def world(engine):
    app = await make_app(engine)
    clock = Clock()
    outbox = RecordingSender()
    relay = app.relay({"console": outbox})

    async def inbox_of(who: str):
        await relay.drain(clock())
        mine = [n for n in outbox.sent if n.recipient == who]
        outbox.sent[:] = [n for n in outbox.sent if n.recipient != who]
        return mine

    citizen = Citizen(app, clock)
    await citizen.says("sampah numpuk di depan pasar wonokromo udah 3 hari")
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)  # "Kirim anonim" on the summary files it
    return app, clock, citizen, code, inbox_of


async def test_a_case_goes_from_verifier_to_unit_to_answer_from_the_officers_chats(world):
    app, clock, citizen, code, inbox_of = world
    admin = Citizen(app, clock, sender="admin-pusat")
    officer = Citizen(app, clock, sender="petugas-dlh")

    [verify] = await inbox_of("admin-pusat")
    assert [b.id for b in verify.buttons] == [f"off:{a}:{code}" for a in ("verify", "dispose", "reject", "merge", "show")]
    assert "Status" in await admin.presses(f"off:dispose:{code}")
    [new_case] = await inbox_of("petugas-dlh")
    assert code in new_case.text and f"off:take:{code}" in [b.id for b in new_case.buttons]

    assert "Siti Rahmawati" in await officer.presses(f"off:take:{code}")
    assert "pertanyaan" in (await officer.presses(f"off:ask:{code}")).lower()
    await officer.says("Di sisi mana pasar tepatnya, Bu/Pak?")
    question = (await inbox_of("warga-1"))[-1]
    assert "Di sisi mana pasar tepatnya" in question.text

    assert texts.INFO_FORWARDED.format(code=code) in await citizen.says("sisi utara dekat parkiran")
    [info] = await inbox_of("petugas-dlh")
    assert "sisi utara dekat parkiran" in info.text

    done = await officer.says(f"/selesai {code.lower()} Sampah sudah diangkut pagi ini")
    assert status_label(Status.SELESAI) in done
    answer = (await inbox_of("warga-1"))[-1]
    assert "Sampah sudah diangkut pagi ini" in answer.text
    assert [b.id for b in answer.buttons] == [f"rate:{code}:puas", f"rate:{code}:tidak"]
    async with app.uow() as uow:
        complaint = await uow.complaints.get(code)
    assert complaint.assignee == "petugas-dlh" and complaint.status is Status.SELESAI


async def test_officers_cannot_act_outside_their_unit_or_role(world):
    app, clock, citizen, code, inbox_of = world
    other_unit = Citizen(app, clock, sender="petugas-dishub")
    assert "tidak berwenang" in await other_unit.says(f"/tolak {code} bukan urusan kami")
    assert "tidak dapat diubah" in await Citizen(app, clock, sender="admin-pusat").says(f"/selesai {code} beres")
    assert "tidak valid" in await other_unit.says("/lihat LPR-0000-00")
    assert "/daftar" in await other_unit.says("halo")
    # a citizen pressing an officer's button gets nowhere
    assert texts.STALE_BUTTON in await citizen.presses(f"off:take:{code}")
    async with app.uow() as uow:
        assert (await uow.complaints.get(code)).status is Status.DITERIMA


async def test_the_officer_list_shows_open_cases_of_the_unit(world):
    app, clock, citizen, code, inbox_of = world
    assert code in await Citizen(app, clock, sender="admin-pusat").says("/daftar")
    assert texts.OFFICER_LIST_EMPTY in await Citizen(app, clock, sender="petugas-dishub").says("/daftar")


async def test_before_disposition_the_suggested_unit_neither_sees_nor_acts(world):
    app, clock, citizen, code, inbox_of = world  # a sampah case: suggested for dlh, not disposed yet
    officer = Citizen(app, clock, sender="petugas-dlh")
    supervisor = Citizen(app, clock, sender="supervisor-dlh")
    assert "belum didisposisikan ke unit Anda" in await officer.says(f"/lihat {code}")
    assert "sampah numpuk" not in officer.last
    assert "belum didisposisikan" in await officer.says(f"/ambil {code}")
    assert code not in await officer.says("/daftar")
    # only the admin disposes, verifies and rejects: a supervisor is told so
    refused = await supervisor.says(f"/disposisi {code}")
    assert "tidak berwenang" in refused and "hanya dapat dilakukan oleh admin" in refused
    assert "hanya dapat dilakukan oleh admin" in await supervisor.says(f"/tolak {code} bukan urusan kami")
    async with app.uow() as uow:
        complaint = await uow.complaints.get(code)
    assert complaint.status is Status.DITERIMA and complaint.assignee is None and complaint.audit[-1].action == "created"

    await Citizen(app, clock, sender="admin-pusat").says(f"/disposisi {code}")
    assert "sampah numpuk" in await officer.says(f"/lihat {code}")
    assert code in await officer.says("/daftar")


async def test_the_first_follow_up_needs_a_note_in_the_chat_as_everywhere(world):
    app, clock, citizen, code, inbox_of = world
    await Citizen(app, clock, sender="admin-pusat").says(f"/disposisi {code}")
    officer = Citizen(app, clock, sender="petugas-dlh")
    asked = await officer.says(f"/proses {code}")  # no note: the bot asks for it, nothing changes yet
    assert texts.OFFICER_ASK_NOTE["progress"].format(code=code) in asked
    async with app.uow() as uow:
        assert (await uow.complaints.get(code)).status is Status.DIDISPOSISIKAN
    assert status_label(Status.DIPROSES) in await officer.says("Truk dijadwalkan besok pagi")
    [update] = [n for n in await inbox_of("warga-1") if "Sedang ditindaklanjuti" in n.text]
    assert "Truk dijadwalkan besok pagi" in update.text

"""Merging duplicates from the officers' chat: the "Gabungkan (duplikat)" button on the
verifiers' case message (it asks which case is kept), /gabung and /pisahkan, and the
supporters count in /lihat and /daftar; on SQLite and PostgreSQL."""

import pytest

from bot import texts
from bot.render.labels import status_label
from complaints.model import Complainant, Complaint, Evidence, Place
from complaints.taxonomy import Category, Status
from complaints.usecases import casework, filing
from tests.chat_harness import Citizen, Clock, RecordingSender, make_app, stored

PHOTO = Evidence("photo", "media/pasar-2.jpg", "sisi utara")


@pytest.fixture
async def world(engine):
    app = await make_app(engine)
    clock = Clock()
    outbox = RecordingSender()
    relay = app.relay({"console": outbox})

    async def file(sender: str, description: str, evidence: tuple[Evidence, ...] = ()) -> str:
        complaint = Complaint(code="", description=description, channel="console", sender=sender,
                              created_at=clock(), category=Category.SAMPAH,
                              place=Place("depan pasar", "35.78.04.1001", "Wonokromo"),
                              complainant=Complainant("Budi Santoso", "+6281234567890"), evidence=list(evidence))
        async with app.uow() as uow:
            await filing.submit(app.context(), uow, complaint, clock())
            await uow.commit()
        clock.advance(minutes=5)
        return complaint.code

    async def inbox_of(who: str):
        await relay.drain(clock())
        mine = [n for n in outbox.sent if n.recipient == who]
        outbox.sent[:] = [n for n in outbox.sent if n.recipient != who]
        return mine

    kept = await file("warga-1", "sampah menumpuk di depan pasar wonokromo")
    duplicate = await file("warga-2", "tumpukan sampah depan pasar wonokromo bau sekali", (PHOTO,))
    return app, clock, file, inbox_of, kept, duplicate


async def test_the_verifiers_button_asks_for_the_kept_case_and_merges(world):
    app, clock, file, inbox_of, kept, duplicate = world
    admin = Citizen(app, clock, sender="admin-pusat")
    notices = {n.complaint_code: n for n in await inbox_of("admin-pusat")}
    buttons = {b.id: b.label for b in notices[duplicate].buttons}
    assert buttons[f"off:merge:{duplicate}"] == "Gabungkan (duplikat)"

    asked = await admin.presses(f"off:merge:{duplicate}")
    assert asked == texts.MERGE_ASK_TARGET.format(code=duplicate)
    assert await admin.state() == {"version": 2, "mode": "officer_note", "action": "merge", "code": duplicate}
    assert (await stored(app, duplicate)).status is Status.DITERIMA  # nothing yet

    done = await admin.says(kept.lower())  # the code as typed, in any case
    assert done == texts.MERGED_DONE.format(duplicate=duplicate, kept=kept)
    assert await admin.state() == {}
    closed, target = await stored(app, duplicate), await stored(app, kept)
    assert closed.status is Status.DITOLAK and closed.audit[-1].note == f"duplikat {kept}"
    assert closed.due_at is None and closed.next_escalation_at is None
    assert [s.id for s in target.supporters] == ["console:warga-2"] and PHOTO in target.evidence
    [told] = await inbox_of("warga-2")
    assert f"pendukung laporan {kept}" in told.text

    shown = await admin.says(f"/lihat {kept}")
    assert texts.SUPPORTERS_LINE.format(count=1) in shown
    listed = await admin.says("/daftar")
    assert [row[:11] for row in listed.splitlines() if "Pendukung: 1 warga" in row] == [kept]
    assert duplicate not in listed  # closed: no longer among the open cases


async def test_a_reply_that_is_no_code_merges_nothing(world):
    app, clock, file, inbox_of, kept, duplicate = world
    admin = Citizen(app, clock, sender="admin-pusat")
    await admin.presses(f"off:merge:{duplicate}")
    assert "tidak valid" in await admin.says("yang kemarin itu")
    assert await admin.state() == {}
    assert (await stored(app, duplicate)).status is Status.DITERIMA
    assert (await stored(app, kept)).supporters == []
    # a command instead of the answer: the question is dropped, the command runs
    await admin.presses(f"off:merge:{duplicate}")
    assert duplicate in await admin.says(f"/lihat {duplicate}")
    assert (await stored(app, duplicate)).status is Status.DITERIMA


async def test_gabung_and_pisahkan_typed(world):
    app, clock, file, inbox_of, kept, duplicate = world
    admin = Citizen(app, clock, sender="admin-pusat")
    help_text = await admin.says("bantuan")
    assert "/gabung" in help_text and "/pisahkan" in help_text

    assert await admin.says(f"/gabung {duplicate}") == texts.MERGE_ASK_TARGET.format(code=duplicate)
    assert await admin.says(f"/gabung {duplicate} {kept}") == texts.MERGED_DONE.format(duplicate=duplicate, kept=kept)
    assert (await stored(app, duplicate)).status is Status.DITOLAK
    assert await admin.state() == {}  # the typed command answered what was asked

    undone = await admin.says(f"/pisahkan {duplicate.lower()}")
    assert undone == texts.UNMERGED_DONE.format(duplicate=duplicate, kept=kept, status=status_label(Status.DITERIMA))
    back, target = await stored(app, duplicate), await stored(app, kept)
    assert back.status is Status.DITERIMA and back.due_at is not None and target.supporters == []
    shown = await admin.says(f"/lihat {kept}")
    assert "Pendukung:" not in shown and shown.count(texts.HISTORY_SUPPORTERS) == 2  # joined, then left
    assert texts.HISTORY_UNMERGED.format(status=status_label(Status.DITERIMA)) in await admin.says(
        f"/lihat {duplicate}")
    assert texts.MERGE_ERRORS["not_merged"].format(code=duplicate) in await admin.says(f"/pisahkan {duplicate}")


async def test_refusals_in_the_chat_change_nothing(world):
    app, clock, file, inbox_of, kept, duplicate = world
    closed = await file("warga-3", "sampah liar di taman bungkul")
    async with app.uow() as uow:
        admin_actor = app.context().org.officers["admin-pusat"].actor
        await casework.change_status(app.context(), uow, closed, Status.DITOLAK, admin_actor, clock(), "bukan urusan kota")
        await casework.change_status(app.context(), uow, duplicate, Status.DIDISPOSISIKAN, admin_actor, clock())
        await uow.commit()
    before = {code: await stored(app, code) for code in (kept, duplicate, closed)}
    admin = Citizen(app, clock, sender="admin-pusat")
    unit_officer = Citizen(app, clock, sender="petugas-dlh")

    refused = await unit_officer.says(f"/gabung {duplicate} {kept}")  # disposed to their unit: still not theirs
    assert "tidak berwenang" in refused and "hanya dapat dilakukan oleh admin" in refused
    assert "hanya dapat dilakukan oleh admin" in await unit_officer.says(f"/pisahkan {closed}")
    assert await admin.says(f"/gabung {duplicate} {closed}") == texts.MERGE_ERRORS["merge_target_closed"].format(
        into=closed)
    assert await admin.says(f"/gabung {duplicate} {duplicate}") == texts.MERGE_ERRORS["merge_self"]
    assert "tidak valid" in await admin.says(f"/gabung {duplicate} LPR-0000-00")
    assert texts.MERGE_ERRORS["not_merged"].format(code=closed) in await admin.says(f"/pisahkan {closed}")
    assert {code: await stored(app, code) for code in before} == before

    citizen = Citizen(app, clock, sender="warga-1")  # officers' commands are not for citizens
    assert texts.OFFICERS_ONLY in await citizen.says(f"/gabung {duplicate} {kept}")
    assert texts.OFFICERS_ONLY in await citizen.says(f"/pisahkan {duplicate}")
    assert {code: await stored(app, code) for code in before} == before

"""Similar open complaints before the summary, and supporters, as transcripts on SQLite and
PostgreSQL: the same dead lamp reported twice becomes one case with a supporter."""

import pytest

from bot import texts
from complaints.model import Actor, AuditKind, SupportChange
from complaints.taxonomy import PrivacyMode, Role, Status
from complaints.usecases import casework
from tests.chat_harness import CODE, Citizen, Clock, outbox_to, stored

ADMIN = Actor("admin-1", Role.ADMIN)
LAMP = "lampu PJU di gang Melati 5 Kebraon mati sejak kemarin, gelap sekali kalau malam"
LAMP_AGAIN = "pak lampu jalan gg melati 5 kebraon padam dari kemarin, rawan maling"
OTHER_STREET = "lampu PJU di jalan Kenanga RT 04 Kebraon mati sejak kemarin"


@pytest.fixture
def clock():
    return Clock()


async def file(citizen: Citizen, text: str, mode: str = "anonim") -> str:
    reply = await citizen.says(text)
    assert texts.SUMMARY_HEADER in reply, reply
    reply = await citizen.presses(f"privacy:{mode}")
    if CODE.search(reply) is None:  # rahasia and biasa ask the name first
        reply = await citizen.says("nama saya Budi Santoso")
    return CODE.search(reply).group(0)


async def test_a_second_citizen_is_shown_the_first_case_and_supports_it(app, clock):
    first, second = Citizen(app, clock, sender="warga-1"), Citizen(app, clock, sender="warga-2")
    code = await file(first, LAMP, "rahasia")

    offer = await second.says(LAMP_AGAIN)
    assert "Sudah ada laporan serupa" in offer and code in offer
    assert texts.SUMMARY_HEADER not in offer  # the summary waits for the choice
    assert second.buttons == [f"support:{code}", "offer:new"]
    # a rahasia case: a stranger reads no text of it, only what the public may read
    assert "gelap sekali" not in offer and "Penerangan Jalan Umum" in offer

    asked = await second.presses(f"support:{code}")
    assert code in asked and "privacy:anonim" in second.buttons
    done = await second.presses("privacy:rahasia")
    assert code in done and "2 warga" in done
    assert await second.state() == {}

    complaint = await stored(app, code)
    assert [s.id for s in complaint.supporters] == ["console:warga-2"]
    assert complaint.supporters[0].privacy is PrivacyMode.RAHASIA
    entry = complaint.audit[-1]
    assert entry.action is AuditKind.SUPPORT and entry.facts.change is SupportChange.JOINED
    assert "rawan maling" in entry.note  # what the supporter wrote is kept in the case
    async with app.uow() as uow:  # one case, not two
        assert len(await uow.complaints.list_by_sender("console", "warga-2")) == 0

    # the supporter checks the case: its status, not the complainant's words
    status = await second.says(f"cek {code}")
    assert code in status and "gelap sekali" not in status


async def test_a_status_change_notifies_the_complainant_and_the_supporter(app, clock):
    first, second = Citizen(app, clock, sender="warga-1"), Citizen(app, clock, sender="warga-2")
    code = await file(first, LAMP)
    await second.says(LAMP_AGAIN)
    await second.presses(f"support:{code}")
    await second.presses("privacy:anonim")

    ctx = app.context()
    async with app.uow() as uow:
        await casework.change_status(ctx, uow, code, Status.DIDISPOSISIKAN, ADMIN, clock.now)
        await uow.commit()
    async with app.uow() as uow:
        await casework.change_status(ctx, uow, code, Status.DIPROSES,
                                     Actor("admin-1", Role.ADMIN), clock.now, "Lampu akan diganti besok pagi.")
        await uow.commit()
    to_first, to_second = await outbox_to(app, "warga-1"), await outbox_to(app, "warga-2")
    assert len(to_first) == 2 and len(to_second) == 2
    assert "Lampu akan diganti besok pagi." in to_second[-1]
    assert "yang Anda dukung" in to_second[-1] and "yang Anda dukung" not in to_first[-1]


async def test_tetap_buat_laporan_baru_files_a_case_of_its_own(app, clock):
    first, second = Citizen(app, clock, sender="warga-1"), Citizen(app, clock, sender="warga-2")
    code = await file(first, LAMP)
    await second.says(LAMP_AGAIN)
    summary = await second.presses("offer:new")
    assert texts.SUMMARY_HEADER in summary
    receipt = await second.presses("privacy:anonim")
    assert CODE.search(receipt).group(0) != code
    assert (await stored(app, code)).supporters == []


async def test_the_same_problem_on_another_street_is_not_offered(app, clock):
    first, second = Citizen(app, clock, sender="warga-1"), Citizen(app, clock, sender="warga-2")
    await file(first, LAMP)
    assert texts.SUMMARY_HEADER in await second.says(OTHER_STREET)


async def test_a_typed_choice_works_and_ones_own_case_is_never_offered(app, clock):
    first, second = Citizen(app, clock, sender="warga-1"), Citizen(app, clock, sender="warga-2")
    code = await file(first, LAMP)
    assert texts.SUMMARY_HEADER in await first.says(LAMP_AGAIN)  # their own: the summary at once
    await first.says("batal")
    await first.says("ya")
    await second.says(LAMP_AGAIN)
    assert "Mohon pilih" in await second.says("entahlah")
    assert code in await second.says("1")
    assert code in await second.says("anonim")
    assert [s.id for s in (await stored(app, code)).supporters] == ["console:warga-2"]


async def support(second: Citizen, code: str, mode: str = "anonim") -> None:
    assert code in await second.says(LAMP_AGAIN)
    await second.presses(f"support:{code}")
    assert code in await second.presses(f"privacy:{mode}")


async def test_a_supporter_adds_information_and_rates_without_closing_the_case(app, clock):
    first, second = Citizen(app, clock, sender="warga-1"), Citizen(app, clock, sender="warga-2")
    code = await file(first, LAMP)
    await support(second, code)
    added = await second.says(f"tambahan {code}: tiangnya juga miring ke arah jalan")
    assert code in added and "dukung" in added
    ctx, admin = app.context(), app.org.officers["admin-pusat"].actor
    async with app.uow() as uow:
        await casework.change_status(ctx, uow, code, Status.DIDISPOSISIKAN, admin, clock.now)
        await casework.change_status(ctx, uow, code, Status.SELESAI, admin, clock.now, "Lampu sudah diganti.")
        await uow.commit()
    rated = await second.presses(f"rate:{code}:tidak")  # the button of the status message they got
    assert texts.SUPPORTER_RATED.format(code=code) in rated
    complaint = await stored(app, code)
    assert complaint.status is Status.SELESAI  # the complainant's verdict decides, not a supporter's
    assert complaint.supporters[0].satisfied is False
    kinds = [e.facts.change for e in complaint.audit if e.action is AuditKind.SUPPORT]
    assert kinds == [SupportChange.JOINED, SupportChange.ADDED, SupportChange.RATED]
    assert "tiangnya juga miring" in [e.note for e in complaint.audit if e.action is AuditKind.SUPPORT][1]
    listed = await second.says("laporan saya")
    assert "Laporan yang Anda dukung" in listed and code in listed


async def test_officers_read_the_supporters_count_in_escalations_and_the_recap_counts_them(app, clock):
    from datetime import date, datetime

    from complaints.recap import Period, RecapBook, RecapRules
    from tests.chat_harness import WIB

    first, second = Citizen(app, clock, sender="warga-1"), Citizen(app, clock, sender="warga-2")
    code = await file(first, LAMP)
    await support(second, code)
    await app.sweeper.sweep(datetime(2026, 12, 1, 9, 0, tzinfo=WIB))  # the verification is overdue
    async with app.uow() as uow:
        items = await uow.outbox.claim(None, datetime(2030, 1, 1, tzinfo=WIB), limit=500)
    escalations = [i.notification.text for i in items if i.notification.recipient not in ("warga-1", "warga-2")
                   and "Pendukung: 1 warga" in i.notification.text]
    assert escalations  # the verifiers hear that another citizen waits on it too
    complaint = await stored(app, code)
    book = RecapBook(RecapRules(app.org, app.context().calendar, clock.now), Period(date(2026, 11, 1),
                                                                                     date(2026, 11, 30)))
    assert book.add(complaint).supporters == 1
    summary = book.summary()
    assert (summary.supporters, summary.supported_cases, summary.merged) == (1, 1, 0)

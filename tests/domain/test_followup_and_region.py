"""Issue 14, the domain side, on the in-memory unit of work: ongoing problems are never late
filings; a rating's reason reaches the unit (and staff only); a status check keeps the
officer's answer after a rating; the auto-close is told to the complainant; ``explain``
says why a case is where it is; a place outside the organisation's region goes to the
central admin to be forwarded."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.notices import IndonesianNotices
from bot.render.case import explain
from bot.render.citizen import status_view
from bot.render.officer import case_detail
from complaints.calendar import WorkingCalendar
from complaints.model import Actor, Complainant, Complaint, Place, Rating
from complaints.org import Organisation
from complaints.sweep import Sweeper
from complaints.taxonomy import Category, PrivacyMode, Role, Status
from complaints.usecases import casework, filing, followup
from complaints.usecases.context import CaseContext, FixedContext
from complaints.visibility import PUBLIC
from tests.fakes.uow import MemoryStore

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
CITIZEN = Actor("console:warga-1", Role.COMPLAINANT)
ANSWER = "Sampah sudah diangkut pagi ini."


def at(day: int, hour: int = 9, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=WIB)


@pytest.fixture
def ctx(org: Organisation) -> CaseContext:
    return CaseContext(org, IndonesianNotices(org.templates, org.policy), WorkingCalendar(org.extra_holidays),
                       rng=random.Random(7))


def new_complaint(**fields: object) -> Complaint:
    complaint = Complaint(code="", description="sampah menumpuk di depan pasar", channel="console",
                          sender="warga-1", created_at=MONDAY, category=Category.SAMPAH,
                          place=Place("depan pasar", "35.78.04.1001", "Wonokromo"),
                          complainant=Complainant("Siti Aminah", "+6281234567890"))
    for name, value in fields.items():
        setattr(complaint, name, value)
    return complaint


async def file(ctx: CaseContext, store: MemoryStore, **fields: object) -> str:
    complaint = new_complaint(**fields)
    async with store.uow() as uow:
        await filing.submit(ctx, uow, complaint, MONDAY)
        await uow.commit()
    return complaint.code


async def move(ctx: CaseContext, store: MemoryStore, code: str, target: Status, by: str, now: datetime,
               note: str = "", **kwargs: str) -> None:
    async with store.uow() as uow:
        await casework.change_status(ctx, uow, code, target, ctx.org.officers[by].actor, now, note, **kwargs)
        await uow.commit()


async def load(store: MemoryStore, code: str) -> Complaint:
    async with store.uow() as uow:
        complaint = await uow.complaints.get(code)
    assert complaint is not None
    return complaint


async def answered(ctx: CaseContext, store: MemoryStore, **fields: object) -> str:
    code = await file(ctx, store, **fields)
    await move(ctx, store, code, Status.DIDISPOSISIKAN, "admin-pusat", at(23, 10))
    await move(ctx, store, code, Status.DIPROSES, "petugas-dlh", at(23, 11), "Tim menuju lokasi")
    await move(ctx, store, code, Status.SELESAI, "petugas-dlh", at(24, 9), ANSWER)
    return code


async def rate(ctx: CaseContext, store: MemoryStore, code: str, satisfied: bool, reason: str | None = None,
               now: datetime | None = None) -> Complaint:
    async with store.uow() as uow:
        complaint = await followup.rate(ctx, uow, code, CITIZEN, satisfied, now or at(24, 12), reason)
        await uow.commit()
    return complaint


def outbox_to(store: MemoryStore, recipient: str) -> list[str]:
    return [row.notification.text for row in store.tables.outbox.values()
            if row.notification.recipient == recipient]


# --- ongoing problems ---------------------------------------------------------------------------

async def test_an_ongoing_problem_is_never_a_late_filing(ctx: CaseContext, store: MemoryStore) -> None:
    long_ago = date(2026, 9, 1)  # more than 30 days before the filing
    late = await load(store, await file(ctx, store, event_date=long_ago))
    ongoing = await load(store, await file(ctx, store, event_date=long_ago, ongoing=True))
    assert late.late_filing and not late.ongoing
    assert not ongoing.late_filing and ongoing.ongoing
    view = ctx.view(ctx.org.officers["admin-pusat"].actor, ongoing)
    assert view.ongoing
    detail = case_detail(view, ctx.org.central, ctx.policy)
    assert "masih berlangsung" in detail and "lebih dari 30 hari" not in detail
    [notice] = outbox_to(store, "admin-pusat")[-1:]
    assert "masih berlangsung" in notice


# --- the rating's reason ------------------------------------------------------------------------

async def test_an_unsatisfied_rating_keeps_its_reason_and_the_unit_reads_it(
    ctx: CaseContext, store: MemoryStore
) -> None:
    code = await answered(ctx, store)
    complaint = await rate(ctx, store, code, False, "  sampahnya   masih ada di sisi timur ")
    [reopened] = [e for e in complaint.audit if isinstance(e.facts, Rating)]
    assert reopened.facts == Rating(False) and reopened.note == "sampahnya masih ada di sisi timur"
    assert complaint.public_note == ANSWER  # the citizen still reads the officer's answer
    [notice] = [t for t in outbox_to(store, "supervisor-dlh") if "dibuka kembali" in t]
    assert "Alasan pelapor: sampahnya masih ada di sisi timur" in notice
    staff = ctx.view(ctx.org.officers["supervisor-dlh"].actor, complaint)
    assert "(pelapor tidak puas), batas waktu" in case_detail(staff, ctx.org.units["dlh"], ctx.policy)
    assert "— alasan pelapor: sampahnya masih ada di sisi timur" in \
        case_detail(staff, ctx.org.units["dlh"], ctx.policy)
    public = ctx.view(PUBLIC, complaint)
    assert all("sampahnya" not in e.note for e in public.history)  # never public


async def test_a_rating_without_a_reason_has_no_note_and_the_notice_says_so(
    ctx: CaseContext, store: MemoryStore
) -> None:
    code = await answered(ctx, store)
    complaint = await rate(ctx, store, code, False)
    assert [e.note for e in complaint.audit if isinstance(e.facts, Rating)] == [""]
    [notice] = [t for t in outbox_to(store, "supervisor-dlh") if "dibuka kembali" in t]
    assert "Pelapor tidak menyampaikan alasan." in notice


async def test_a_confidential_raters_reason_reaches_the_unit_without_their_identity(
    ctx: CaseContext, store: MemoryStore
) -> None:
    code = await answered(ctx, store, privacy=PrivacyMode.RAHASIA)
    complaint = await rate(ctx, store, code, False, "saya Siti Aminah, hubungi 081234567890, masih kotor")
    unit = ctx.view(ctx.org.officers["supervisor-dlh"].actor, complaint)
    admin = ctx.view(ctx.org.officers["admin-pusat"].actor, complaint)
    [unit_note] = [e.note for e in unit.history if e.satisfied is False]
    [admin_note] = [e.note for e in admin.history if e.satisfied is False]
    assert "masih kotor" in unit_note and "081234567890" not in unit_note and "Siti Aminah" not in unit_note
    assert "081234567890" in admin_note
    [notice] = [t for t in outbox_to(store, "supervisor-dlh") if "dibuka kembali" in t]
    assert "masih kotor" in notice and "081234567890" not in notice and "Siti Aminah" not in notice


async def test_a_status_check_after_a_rating_shows_the_answer_and_the_rating_apart(
    ctx: CaseContext, store: MemoryStore
) -> None:
    code = await answered(ctx, store)
    complaint = await rate(ctx, store, code, True, "cepat sekali, terima kasih")
    text = status_view(ctx.view(CITIZEN, complaint), ctx.unit_of(complaint))
    assert f"Catatan petugas: {ANSWER}" in text
    assert "Penilaian Anda: Puas (cepat sekali, terima kasih)" in text
    other_chat = status_view(ctx.view(Actor("console:warga-2", Role.COMPLAINANT), complaint), None)
    assert ANSWER not in other_chat and "Penilaian" not in other_chat


# --- the auto-close ---------------------------------------------------------------------------

async def test_the_auto_close_tells_the_complainant_why_and_what_they_can_do(
    ctx: CaseContext, store: MemoryStore
) -> None:
    code = await answered(ctx, store)
    report = await Sweeper(FixedContext(ctx), store.uow).sweep(at(10, 9, month=12))
    assert report.closed == [code]
    complaint = await load(store, code)
    assert complaint.status is Status.DITUTUP
    [told] = [n for n in report.queued if n.recipient == "warga-1"]
    assert "tutup otomatis" in told.text and "10 hari kerja" in told.text
    assert ANSWER in told.text and "buat laporan baru" in told.text and told.text.count(code) >= 2
    assert "tidak puas" not in told.text  # a closed case cannot be reopened: not offered
    text = status_view(ctx.view(CITIZEN, complaint), ctx.unit_of(complaint))
    assert f"Catatan petugas: {ANSWER}" in text and "Ditutup otomatis" in text


# --- explain ----------------------------------------------------------------------------------

async def test_explain_a_rejection_gives_the_officers_reason(ctx: CaseContext, store: MemoryStore) -> None:
    code = await file(ctx, store)
    await move(ctx, store, code, Status.DITOLAK, "admin-pusat", at(23, 10), "Laporan ganda dari LPR-AAAA-22")
    text = explain(ctx.view(CITIZEN, await load(store, code)), WIB)
    assert "Laporan ganda dari LPR-AAAA-22" in text and "tidak dapat diproses" in text


async def test_explain_a_forwarded_case_names_the_body(ctx: CaseContext, store: MemoryStore) -> None:
    code = await file(ctx, store)
    await move(ctx, store, code, Status.DISALURKAN, "admin-pusat", at(23, 10), "PLN UP3 Surabaya Selatan")
    text = explain(ctx.view(CITIZEN, await load(store, code)), WIB)
    assert "disalurkan kepada: PLN UP3 Surabaya Selatan" in text


async def test_explain_a_closed_case(ctx: CaseContext, store: MemoryStore) -> None:
    satisfied = await rate(ctx, store, await answered(ctx, store), True)
    text = explain(ctx.view(CITIZEN, satisfied), WIB)
    assert "menyatakan puas" in text and ANSWER in text
    auto = await answered(ctx, store)
    await Sweeper(FixedContext(ctx), store.uow).sweep(at(10, 9, month=12))
    text = explain(ctx.view(CITIZEN, await load(store, auto)), WIB)
    assert "ditutup otomatis" in text and ANSWER in text and "laporan baru" in text


async def test_explain_a_rerouted_case_in_process_and_its_deadline(ctx: CaseContext, store: MemoryStore) -> None:
    code = await file(ctx, store)
    await move(ctx, store, code, Status.DIDISPOSISIKAN, "admin-pusat", at(23, 10), unit_id="dsdabm")
    complaint = await load(store, code)
    text = explain(ctx.view(CITIZEN, complaint), WIB, ctx.unit_of(complaint))
    assert "mengalihkan laporan ini ke Dinas Sumber Daya Air dan Bina Marga" in text
    assert "menunggu tindak lanjut pertama" in text and "Batas waktu tahap ini: " in text


async def test_explain_a_question_waiting_for_the_complainant(ctx: CaseContext, store: MemoryStore) -> None:
    code = await file(ctx, store)
    await move(ctx, store, code, Status.DIDISPOSISIKAN, "admin-pusat", at(23, 10))
    await move(ctx, store, code, Status.MENUNGGU_INFORMASI, "petugas-dlh", at(23, 11), "Di sisi mana pasarnya?")
    complaint = await load(store, code)
    text = explain(ctx.view(CITIZEN, complaint), WIB, ctx.unit_of(complaint))
    assert "menunggu informasi dari Anda: Di sisi mana pasarnya?" in text


async def test_explain_to_another_chat_says_the_status_only(ctx: CaseContext, store: MemoryStore) -> None:
    code = await file(ctx, store)
    await move(ctx, store, code, Status.DITOLAK, "admin-pusat", at(23, 10), "Isi laporan kasar")
    complaint = await load(store, code)
    for viewer in (PUBLIC, Actor("console:warga-2", Role.COMPLAINANT)):
        text = explain(ctx.view(viewer, complaint), WIB)
        assert "Isi laporan kasar" not in text and "Tidak dapat diproses" in text


# --- outside the region -------------------------------------------------------------------------

async def test_a_place_outside_the_region_goes_to_the_central_admin_to_be_forwarded(
    ctx: CaseContext, store: MemoryStore
) -> None:
    outside = Place("depan pasar Waru", "35.15.17.2001", "Waru, Kabupaten Sidoarjo")
    code = await file(ctx, store, place=outside)
    complaint = await load(store, code)
    assert filing.outside_region(ctx, complaint)
    assert complaint.unit_id == "pusat"
    created = complaint.audit[0]
    assert "luar wilayah" in created.note and "Sidoarjo" in created.note and "disalurkan" in created.note
    [notice] = outbox_to(store, "admin-pusat")
    assert "luar wilayah" in notice and "(pusat)" in notice
    await move(ctx, store, code, Status.DISALURKAN, "admin-pusat", at(23, 10), "Pemerintah Kabupaten Sidoarjo")
    assert (await load(store, code)).status is Status.DISALURKAN


async def test_inside_the_region_or_unknown_places_are_routed_as_usual(ctx: CaseContext, store: MemoryStore) -> None:
    inside = await load(store, await file(ctx, store))
    unknown = await load(store, await file(ctx, store, place=Place("depan pasar")))
    assert (inside.unit_id, unknown.unit_id) == ("dlh", "dlh")
    assert not filing.outside_region(ctx, inside) and not filing.outside_region(ctx, unknown)
    assert inside.audit[0].note == ""
    regionless = replace(ctx, org=replace(ctx.org, region_code=None))
    far = new_complaint(place=Place("x", "91.01", "Papua"))
    assert not filing.outside_region(regionless, far) and filing.outside_region(ctx, far)
    assert not filing.outside_region(ctx, new_complaint(place=Place("x", "35.78", "Kota Surabaya")))
    assert filing.outside_region(ctx, new_complaint(place=Place("x", "35.7", "?")))


async def test_the_complainant_reads_why_their_case_is_to_be_forwarded(ctx: CaseContext, store: MemoryStore) -> None:
    code = await file(ctx, store, place=Place("Waru", "35.15.17.2001", "Waru"))
    mine = ctx.view(CITIZEN, await load(store, code))
    assert mine.history[0].note.startswith("Lokasi kejadian (Waru) berada di luar wilayah")

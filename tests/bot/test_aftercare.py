"""Nothing the citizen says is lost, and they can correct what the bot understood: free-text
corrections at any step, what is added after filing, ratings in words with their reason, the
officer's answer kept in `cek`, the auto-close notice, voice notes, dates and ongoing problems.
Transcripts on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest

from bot import texts
from bot.messages import Media
from complaints.model import AuditKind
from complaints.taxonomy import Category, Status
from complaints.usecases import casework
from tests.chat_harness import CODE, Citizen, Clock, RecordingSender, stored


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def citizen(app, clock):
    return Citizen(app, clock)


async def move(app, clock, code, *steps):
    """The admin disposes, the unit works: (status, actor id, note) in order."""
    async with app.uow() as uow:
        for status, who, note in steps:
            actor = app.org.officers[who].actor
            await casework.change_status(app.context(), uow, code, status, actor, clock(), note)
        await uow.commit()


async def solved(app, clock, citizen, answer="Lubang sudah ditambal tadi pagi.") -> str:
    await citizen.says("jalan di depan SDN Kebraon 1 berlubang besar sejak kemarin")
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)
    await move(app, clock, code, (Status.DIDISPOSISIKAN, "admin-pusat", ""),
               (Status.DIPROSES, "petugas-dsdabm", "Tim dijadwalkan."), (Status.SELESAI, "petugas-dsdabm", answer))
    return code


# --- corrections ----------------------------------------------------------------------

async def test_corrections_typed_at_the_summary_are_applied(app, citizen):
    await citizen.says("lampu jalan mati di Kebraon sejak kemarin")
    reply = await citizen.says("lokasinya salah, yang benar di Wonokromo")
    assert texts.CORRECTED["place"] in reply and "Wonokromo" in reply and texts.SUMMARY_HEADER in reply
    reply = await citizen.says("tanggalnya tanggal 3")
    assert texts.CORRECTED["date"] in reply and "3 November 2026" in reply
    reply = await citizen.says("bukan, maksud saya lampu lalu lintas di perempatan")
    assert texts.CORRECTED["description"] in reply and "ralat: lampu lalu lintas" in reply
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)
    complaint = await stored(app, code)
    assert complaint.place.region_name.startswith("Wonokromo") and complaint.event_date == date(2026, 11, 3)
    assert complaint.category is Category.LALU_LINTAS  # the corrected words were classified afresh
    assert "lampu jalan mati" in complaint.description  # the first words are kept too


async def test_a_correction_mid_way_changes_the_part_and_asks_what_is_still_missing(app, citizen):
    await citizen.says("sampah numpuk di kelurahan Kebraon")
    assert (await citizen.state())["step"] == "date"
    reply = await citizen.says("eh lokasinya salah, yang benar di kelurahan Wonokromo")
    assert texts.CORRECTED["place"] in reply and "Kapan kejadiannya" in reply
    assert (await citizen.state())["draft"]["place"]["region_name"].startswith("Wonokromo")


async def test_a_changed_description_is_classified_again(app, citizen):
    await citizen.says("lampu jalan mati di gang 5 Kebraon sejak kemarin")
    await citizen.presses("confirm:edit")
    await citizen.presses("edit:description")
    summary = await citizen.says("sampah menumpuk di gang 5 tidak diangkut")
    assert "Kebersihan dan Sampah" in summary


# --- nothing lost ---------------------------------------------------------------------

async def test_a_landmark_given_as_the_place_is_kept_while_the_kelurahan_is_asked(app, citizen):
    await citizen.says("mau lapor atap kelas bocor")
    reply = await citizen.says("SMPN 12 Surabaya")
    assert "SMPN 12 Surabaya" in reply and "kelurahan" in reply
    await citizen.says("kelurahan Kebraon")
    draft = (await citizen.state())["draft"]
    assert draft["place"]["detail"] == "SMPN 12 Surabaya" and draft["place"]["region_code"]


async def test_the_answer_to_an_officer_and_a_photo_after_it_both_reach_the_case(app, clock, citizen):
    await citizen.says("air PDAM di kelurahan Wonokromo keruh sejak kemarin")
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)
    await move(app, clock, code, (Status.DIDISPOSISIKAN, "admin-pusat", ""),
               (Status.MENUNGGU_INFORMASI, "admin-pusat", "Nomor rumahnya berapa?"))
    assert code in await citizen.says("nomor 17, pagar hijau")
    reply = await citizen.photo("media/keruh.jpg")
    assert code in reply and texts.START_INTAKE not in reply and await citizen.state() == {}
    complaint = await stored(app, code)
    assert [e.ref for e in complaint.evidence] == ["media/keruh.jpg"]
    assert [e.note for e in complaint.audit if e.action is AuditKind.INFO][0] == "nomor 17, pagar hijau"


async def test_tambahan_and_a_voice_note_after_filing_are_added_to_the_open_case(app, clock, citizen):
    await citizen.says("lampu jalan mati di gang 5 Kebraon sejak kemarin")
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)
    officers = RecordingSender()
    await app.relay({"console": officers}).drain(clock())
    officers.sent.clear()
    reply = await citizen.says("tambahan: tiangnya juga miring mau roboh")
    assert code in reply and texts.ADDED_TEXT in reply
    reply = await citizen.send(media=Media("voice", "media/suara.ogg", ""))
    assert code in citizen.last and "pesan suara" in citizen.last and reply
    complaint = await stored(app, code)
    assert complaint.status is Status.DITERIMA  # added, not moved
    assert [e.kind for e in complaint.evidence] == ["voice"]
    assert any("tiangnya juga miring" in (e.note or "") for e in complaint.audit if e.action is AuditKind.INFO)
    await app.relay({"console": officers}).drain(clock())
    assert any("tiangnya juga miring" in n.text for n in officers.sent if n.recipient != citizen.sender)


async def test_a_voice_note_first_is_kept_and_one_sentence_is_asked(app, citizen):
    await citizen.send(media=Media("voice", "media/suara.ogg", ""))
    assert "Pesan suara sudah kami simpan" in citizen.last and "satu kalimat" in citizen.last
    summary = await citizen.says("lampu jalan mati di gang 5 Kebraon sejak kemarin")
    assert "Lampiran: 1 berkas" in summary
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)
    assert [e.kind for e in (await stored(app, code)).evidence] == ["voice"]


async def test_a_shared_location_is_shown_by_name_never_as_coordinates(app, citizen):
    await citizen.says("pohon tumbang menutup jalan sejak tadi pagi")
    summary = await citizen.send(location=(-7.30251, 112.73782))
    text = citizen.last
    assert summary and "-7.3" not in text and "112.7" not in text and texts.SUMMARY_POINT in text


# --- ratings and after ----------------------------------------------------------------

async def test_not_satisfied_in_words_reopens_with_the_reason_for_the_unit(app, clock, citizen):
    code = await solved(app, clock, citizen)
    reply = await citizen.says("gak puas lah, lubangnya masih ada")
    assert "buka kembali" in reply and "lubangnya masih ada" in reply and texts.START_INTAKE not in reply
    complaint = await stored(app, code)
    assert complaint.status is Status.DIBUKA_KEMBALI and complaint.satisfied is False
    assert any(e.note == "lubangnya masih ada" for e in complaint.audit if e.to_status is Status.DIBUKA_KEMBALI)
    officers = RecordingSender()
    await app.relay({"console": officers}).drain(clock())
    assert any("Alasan pelapor: lubangnya masih ada" in n.text for n in officers.sent if n.recipient != citizen.sender)


async def test_satisfied_in_words_and_cek_still_shows_the_officers_answer(app, clock, citizen):
    code = await solved(app, clock, citizen, answer="Lubang sudah ditambal tadi pagi.")
    reply = await citizen.says("mantap, makasih")
    assert "Terima kasih atas penilaian Anda" in reply
    assert (await stored(app, code)).status is Status.DITUTUP
    status = await citizen.says(f"cek {code}")
    assert "Lubang sudah ditambal tadi pagi." in status and "Puas" in status


async def test_the_citizen_is_told_when_the_case_closes_itself_and_what_to_do(app, clock, citizen):
    code = await solved(app, clock, citizen)
    clock.advance(days=30)
    await app.sweeper.sweep(clock())
    assert (await stored(app, code)).status is Status.DITUTUP
    sent = RecordingSender()
    await app.relay({"console": sent}).drain(clock())
    told = [n.text for n in sent.sent if n.recipient == citizen.sender and "tutup otomatis" in n.text]
    assert told and code in told[0] and "laporan baru" in told[0]


async def test_why_was_my_case_rejected_is_answered_from_its_history(app, clock, citizen):
    await citizen.says("sampah numpuk di depan pasar wonokromo udah 3 hari")
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)
    await move(app, clock, code, (Status.DITOLAK, "admin-pusat", "Lokasi itu lahan milik swasta."))
    reply = await citizen.says("kok laporan saya ditolak?")
    assert code in reply and "Lokasi itu lahan milik swasta." in reply and texts.START_INTAKE not in reply


# --- dates ----------------------------------------------------------------------------

@pytest.mark.parametrize(("said", "day"), [
    ("semalem", date(2026, 11, 22)),
    ("tadi subuh", date(2026, 11, 23)),
    ("wingi", date(2026, 11, 22)),
    ("rong minggu kepungkur", date(2026, 11, 9)),
    ("kamari", date(2026, 11, 22)),
    ("kemarin lusa", date(2026, 11, 21)),
])
async def test_colloquial_and_regional_dates_are_understood(app, citizen, said, day):
    await citizen.says("lampu jalan mati di gang 5 kelurahan Kebraon")
    summary = await citizen.says(said)
    assert texts.SUMMARY_HEADER in summary
    assert (await citizen.state())["draft"]["event_date"] == day.isoformat()


async def test_an_ongoing_problem_is_not_flagged_as_filed_late(app, citizen):
    await citizen.says("sampah di depan pasar wonokromo sudah 2 bulan tidak diangkut")
    receipt = await citizen.presses("privacy:anonim")
    complaint = await stored(app, CODE.search(receipt).group(0))
    assert complaint.ongoing and not complaint.late_filing
    assert complaint.event_date <= date(2026, 9, 23) + timedelta(days=1)
    assert "lebih dari 30 hari" not in receipt

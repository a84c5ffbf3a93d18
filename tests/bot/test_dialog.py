"""The intake dialog as transcripts, on SQLite and PostgreSQL."""

import random

import pytest

from bot import texts
from bot.messages import IncomingMessage
from complaints import tracking
from complaints.taxonomy import Category, PrivacyMode, Status, Weight
from complaints.usecases import casework, filing
from tests.chat_harness import CODE, Citizen, Clock, RecordingSender, dispose, make_app, stored


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def citizen(app, clock):
    return Citizen(app, clock)


SUMMARY_BUTTONS = ["confirm:send", "privacy:rahasia", "privacy:anonim", "confirm:edit", "confirm:cancel"]


async def file_anonymous(citizen, first_message):
    await citizen.says(first_message)
    reply = await citizen.presses("privacy:anonim")
    return CODE.search(reply).group(0)


async def test_a_rich_first_message_is_filed_in_three_turns(app, citizen):
    summary = await citizen.says(
        "pak jalan depan SD Negeri 3 di Kebraon bolong gede udah 2 minggu, kmrn ada yg jatuh motor 0812-3456-7890"
    )
    # what, where and when were understood: the summary at once, the privacy choice on it
    assert texts.SUMMARY_HEADER in summary and "Kebraon, Karang Pilang" in summary and "9 November 2026" in summary
    assert "+6281234567890" in summary and "Bagaimana Anda ingin melapor" not in summary
    assert citizen.buttons == SUMMARY_BUTTONS
    assert "nama" in (await citizen.presses("confirm:send")).lower()
    assert citizen.buttons == ["privacy:anonim"]  # still possible without a name
    receipt = await citizen.says("nama saya Budi Santoso")
    code = CODE.search(receipt).group(0)
    assert "Terima kasih, Budi Santoso" in receipt
    assert "Dinas Sumber Daya Air dan Bina Marga" in receipt
    # weight berat (someone fell): verification within 1 working day, Tuesday
    assert "Batas waktu verifikasi: Selasa, 24 November 2026" in receipt

    complaint = await stored(app, code)
    assert complaint.category is Category.JALAN and complaint.weight is Weight.BERAT
    assert complaint.place.region_code == "35.78.01.1002"
    assert complaint.complainant.name == "Budi Santoso" and complaint.complainant.phone == "+6281234567890"
    assert complaint.privacy is PrivacyMode.BIASA and not complaint.late_filing and complaint.ongoing
    assert complaint.status is Status.DITERIMA and complaint.unit_id == "dsdabm"
    assert [e.action for e in complaint.audit] == ["created"]
    assert await citizen.state() == {}

    status = await citizen.says(f"cek {code.lower()}")
    assert code in status and "Diterima" in status


async def test_step_by_step_with_validation_and_anonymous_filing(app, citizen):
    assert texts.ASK_DESCRIPTION in await citizen.says("mau lapor")
    assert texts.ASK_DESCRIPTION_AGAIN in await citizen.says("??")
    reply = await citizen.says("lampu jalan mati")
    assert "Di mana lokasinya" in reply
    assert "tidak menemukan" in await citizen.says("Xyzabcq")
    assert "Kapan kejadiannya" in await citizen.says("Wonokromo")
    assert texts.DATE_FUTURE in await citizen.says("besok")
    assert texts.DATE_UNPARSED in await citizen.says("pokoknya dulu sekali")
    summary = await citizen.says("kemarin")
    assert texts.SUMMARY_HEADER in summary and "Nama:" not in summary and "22 November 2026" in summary
    code = CODE.search(await citizen.says("kirim anonim")).group(0)

    complaint = await stored(app, code)
    assert complaint.privacy is PrivacyMode.ANONIM
    assert complaint.complainant.name is None and complaint.complainant.phone is None
    assert complaint.category is Category.PENERANGAN and complaint.unit_id == "dishub"
    assert complaint.place.region_name.startswith("Wonokromo")


async def test_an_unknown_place_is_asked_twice_then_kept_as_written(app, citizen):
    await citizen.says("sampah menumpuk sudah seminggu")
    assert "tidak menemukan kelurahan atau kecamatan \"Xyzqw\" di Kota Surabaya" in await citizen.says("Xyzqw")
    reply = await citizen.says("Qwrtzuv")
    assert texts.PLACE_ACCEPTED_UNRESOLVED in reply and texts.SUMMARY_HEADER in reply
    place = (await citizen.state())["draft"]["place"]
    assert place["accepted"] and place["detail"] == "Qwrtzuv" and not place.get("region_code")


async def test_the_summary_can_be_edited_before_sending(app, citizen):
    await citizen.says("sampah numpuk di depan pasar wonokromo udah 3 hari")
    assert "Wonokromo" in citizen.last
    await citizen.presses("confirm:edit")
    assert "edit:place" in citizen.buttons
    await citizen.presses("edit:place")
    assert "Di mana lokasinya" in citizen.last
    summary = await citizen.says("depan balai RW 4 kelurahan Kebraon")
    assert "Kebraon" in summary and "Wonokromo, Wonokromo" not in summary
    assert "nama" in (await citizen.presses("privacy:rahasia")).lower()
    code = CODE.search(await citizen.says("Siti Aminah")).group(0)
    complaint = await stored(app, code)
    assert complaint.place.region_code.startswith("35.78.01")  # Kebraon, Karang Pilang
    assert complaint.privacy is PrivacyMode.RAHASIA and complaint.complainant.name == "Siti Aminah"


@pytest.mark.parametrize("when", ["empty", "middle", "summary", "name", "button"])
async def test_batal_asks_first_when_the_draft_has_content_and_then_stores_nothing(app, citizen, when):
    if when == "empty":
        await citizen.says("mau lapor")
        assert texts.CANCELLED in await citizen.says("batal")  # nothing written yet: nothing to lose
    else:
        await citizen.says("air pdam mati di kelurahan Wonokromo" if when == "middle" else
                           "air pdam mati sudah 3 hari di kelurahan Wonokromo")
        if when == "name":
            await citizen.presses("confirm:send")
        before = await citizen.state()
        if when == "button":
            reply = await citizen.presses("confirm:cancel")
        else:
            reply = await citizen.says("batal")
        assert texts.ASK_CANCEL_CONFIRM in reply and citizen.buttons == ["offer:cancel", "offer:keep"]
        kept = await citizen.presses("offer:keep")
        assert texts.RESUMED in kept and (await citizen.state())["draft"] == before["draft"]
        await citizen.says("batal")
        assert texts.CANCELLED in await citizen.presses("offer:cancel")
    assert await citizen.state() == {}
    async with app.uow() as uow:
        assert await uow.complaints.list_by_sender("console", "warga-1") == []
    assert texts.NOTHING_TO_CANCEL in await citizen.says("batal")


async def test_the_conversation_survives_a_restart_of_the_process(engine, clock):
    first = Citizen(await make_app(engine), clock)
    await first.says("mau lapor")
    await first.says("parkir liar di trotoar depan pasar bikin macet")
    assert "kelurahan/desa atau kecamatan" in first.last
    # a new process: new bootstrap, same database
    second = Citizen(await make_app(engine, seed=2), clock)
    assert "Kapan kejadiannya" in await second.says("kecamatan Wonokromo")
    await second.says("tadi pagi")
    assert CODE.search(await second.presses("privacy:anonim"))


async def test_after_a_long_silence_the_draft_is_offered_to_continue_or_restart(app, citizen, clock):
    await citizen.says("got mampet di jalan mawar kelurahan Kebraon")
    step = (await citizen.state())["step"]
    clock.advance(hours=3)
    offer = await citizen.says("halo")
    assert "belum dikirim" in offer and citizen.buttons == ["resume:continue", "resume:restart"]
    reply = await citizen.presses("resume:continue")
    assert texts.RESUMED in reply and (await citizen.state())["step"] == step
    clock.advance(days=1)
    await citizen.says("pohon tumbang di jalan raya Wonokromo menutup jalan sejak tadi pagi")
    assert "belum dikirim" in citizen.last
    reply = await citizen.presses("resume:restart")
    assert texts.RESTARTED in reply
    draft = (await citizen.state())["draft"]
    assert draft["description"].startswith("pohon tumbang") and draft["weight"] == "berat"


async def test_stale_and_unknown_buttons_change_nothing(app, citizen):
    assert texts.STALE_BUTTON in await citizen.presses("confirm:send")
    await citizen.says("sampah numpuk di depan pasar wonokromo udah 3 hari")
    before = await citizen.state()
    await citizen.presses("confirm:edit")
    before = await citizen.state()
    reply = await citizen.presses("confirm:send")  # not at the summary now
    assert texts.STALE_BUTTON in reply and texts.ASK_EDIT_FIELD in reply
    assert texts.STALE_BUTTON in await citizen.presses("privacy:bogus")
    assert texts.STALE_BUTTON in await citizen.presses("x" * 500)
    assert await citizen.state() == before


async def test_oversized_empty_and_control_character_messages(app, citizen):
    await citizen.says("lampu jalan mati di kelurahan Kebraon")
    before = await citizen.state()
    assert "terlalu panjang" in await citizen.says("a" * 4097)
    assert texts.EMPTY_MESSAGE in await citizen.says("\x00\x01\u200b\u202e ")
    assert await citizen.state() == before
    reply = await citizen.says("kema\u200brin\x00")  # the zero-width space and NUL are dropped
    assert texts.SUMMARY_HEADER in reply and "22 November 2026" in reply


async def test_status_check_tells_typos_from_unknown_codes(app, citizen):
    code = await file_anonymous(citizen, "sampah numpuk di depan pasar wonokromo udah 3 hari")
    symbols = code[4:8] + code[9:]
    swapped = symbols[1] + symbols[0] + symbols[2:]
    if swapped != symbols:
        assert "salah ketik" in await citizen.says(f"cek {swapped}")
    assert "huruf O" in await citizen.says("cek LPR-7KQ0-M9")
    never_issued = tracking.generate(random.Random(99))
    assert never_issued != code
    assert "tidak ditemukan" in await citizen.says(f"cek {never_issued}")
    assert texts.ASK_CODE in await citizen.says("cek status")
    assert code in await citizen.says(code[4:].replace("-", " "))


async def test_status_change_reaches_the_complainant_and_strangers_see_no_details(app, citizen, clock):
    code = await file_anonymous(citizen, "sampah numpuk di depan pasar wonokromo udah 3 hari")
    officers = RecordingSender()
    relay = app.relay({"console": officers})
    await relay.drain(clock())
    assert [n.recipient for n in officers.sent] == ["admin-pusat"]  # the verifier
    assert code in officers.sent[0].text and "Saran unit: Dinas Lingkungan Hidup" in officers.sent[0].text

    await dispose(app, code, clock(), take_up="Truk dijadwalkan besok pagi")
    officers.sent.clear()
    await relay.drain(clock())
    assert [n.recipient for n in officers.sent if n.recipient != "warga-1"] == ["petugas-dlh"]
    to_citizen = [n for n in officers.sent if n.recipient == "warga-1"]
    assert len(to_citizen) == 2 and code in to_citizen[-1].text
    assert "Sedang ditindaklanjuti" in to_citizen[-1].text and "Truk dijadwalkan" in to_citizen[-1].text
    await relay.drain(clock())  # delivered once only
    assert len([n for n in officers.sent if n.recipient == "warga-1"]) == 2

    mine = await citizen.says(f"cek {code}")
    assert "Sedang ditindaklanjuti" in mine and "Truk dijadwalkan besok pagi" in mine
    stranger = Citizen(app, clock, sender="warga-2")
    theirs = await stranger.says(f"cek {code}")
    assert "Sedang ditindaklanjuti" in theirs
    assert "Truk dijadwalkan" not in theirs and "sampah numpuk" not in theirs


async def test_the_unit_of_a_confidential_case_does_not_see_the_name_the_admin_does(app, citizen, clock):
    await citizen.says("sy mau lapor pungli di kelurahan Wonokromo, ngurus surat pengantar diminta 200rb")
    if "date:unknown" in citizen.buttons:
        await citizen.presses("date:unknown")
    # pungli: "Kirim rahasia" comes first, and the summary says why
    assert citizen.buttons[0] == "privacy:rahasia" and texts.SUMMARY_FOOTER_SENSITIVE in citizen.last
    assert "nama" in (await citizen.presses("privacy:rahasia")).lower()
    code = CODE.search(await citizen.says("Rahmat Hidayat")).group(0)
    async with app.uow() as uow:  # the admin disposes it to the unit complained about
        admin = app.org.officers["admin-pusat"].actor
        await casework.change_status(app.context(), uow, code, Status.DIDISPOSISIKAN, admin, clock(), unit_id="dsdabm")
        await uow.commit()
    clock.advance(hours=1)
    officers = RecordingSender()
    await app.relay({"console": officers}).drain(clock())
    to_admin = [n for n in officers.sent if n.recipient == "admin-pusat"]
    to_unit = [n for n in officers.sent if n.recipient == "petugas-dsdabm"]
    assert to_admin and all("Rahmat Hidayat" in n.text for n in to_admin)
    assert to_unit and all("Rahmat" not in n.text and "Dirahasiakan" in n.text for n in to_unit)


async def test_my_complaints_greeting_help_and_chatter(app, citizen):
    assert texts.NO_COMPLAINTS in await citizen.says("laporan saya")
    code = await file_anonymous(citizen, "sampah numpuk di depan pasar wonokromo udah 3 hari")
    listing = await citizen.says("laporan saya")
    assert code in listing and "Diterima" in listing
    assert "selamat datang" in (await citizen.says("halo")).lower()
    assert "menu:new" in citizen.buttons
    assert "Cek status" in await citizen.says("bantuan")
    assert texts.NOT_UNDERSTOOD in await citizen.says("wkwkwk")
    assert "Silakan ceritakan" in await citizen.presses("menu:new")


async def test_a_photo_first_starts_a_report_with_the_photo_attached(app, citizen):
    reply = await citizen.photo("media/jalan.jpg", "jalan berlubang di kelurahan Kebraon sejak kemarin")
    assert "foto" in reply and "Lampiran: 1 berkas" in reply
    code = CODE.search(await citizen.presses("privacy:anonim")).group(0)
    complaint = await stored(app, code)
    assert [e.ref for e in complaint.evidence] == ["media/jalan.jpg"]


async def test_a_code_taken_meanwhile_is_replaced_by_a_fresh_one(app, citizen, clock, monkeypatch):
    """Two workers can draw the same code; the unique constraint and a retry settle it."""
    first = await file_anonymous(citizen, "sampah numpuk di depan pasar wonokromo udah 3 hari")
    taken = iter([first, first])  # the same code drawn twice more, as by a racing worker
    original = filing.new_code

    def racing_code(ctx):
        code = next(taken, None)
        return code if code is not None else original(ctx)

    monkeypatch.setattr(filing, "new_code", racing_code)
    other = Citizen(app, clock, sender="warga-2")
    second = await file_anonymous(other, "lampu jalan mati di kelurahan Kebraon sejak kemarin")
    assert second != first
    assert (await stored(app, second)).sender == "warga-2"


async def test_a_repeated_delivery_is_answered_once(app, clock):
    msg = IncomingMessage("telegram", "555", text="halo", update_id="9001")
    assert await app.conversation.handle(msg, clock())
    assert await app.conversation.handle(msg, clock()) == []
    other = IncomingMessage("telegram", "555", text="laporan saya", update_id="9002")
    assert texts.NO_COMPLAINTS in (await app.conversation.handle(other, clock()))[0].text


async def test_a_flooding_sender_is_slowed_down_without_affecting_others(app, clock):
    others = Citizen(app, clock, sender="warga-sabar", channel="telegram")
    answered = slow_downs = 0
    for n in range(1000):  # a thousand Telegram messages within the same minute
        message = IncomingMessage("telegram", "banjir-pesan", text="halo", update_id=f"u{n}")
        replies = await app.conversation.handle(message, clock())
        answered += any("selamat datang" in r.text.lower() for r in replies)
        slow_downs += any(r.text == texts.SLOW_DOWN for r in replies)
    assert answered == app.conversation.flood.limit and slow_downs == 1
    assert "selamat datang" in (await others.says("halo")).lower()  # someone else is unaffected
    clock.advance(minutes=1, seconds=1)
    again = IncomingMessage("telegram", "banjir-pesan", text="halo", update_id="u-later")
    assert "selamat datang" in (await app.conversation.handle(again, clock()))[0].text.lower()  # open again

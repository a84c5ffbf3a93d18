"""The conversation around the intake, as transcripts on SQLite and PostgreSQL: who the
citizen is (the channel's profile, a name in the message), how few turns a report takes,
emergencies, questions, small talk, places outside the area, two problems in one message."""

from pathlib import Path

import pytest
import yaml

from aduan.bootstrap import bootstrap
from aduan.settings import Settings
from bot import texts
from bot.messages import IncomingMessage, Profile
from complaints.taxonomy import Category, PrivacyMode, ReportType, Status, Weight
from tests.chat_harness import CODE, Citizen, Clock, make_app, stored

DEMO = Path(__file__).resolve().parents[2] / "aduan" / "demo" / "organisation.yaml"
COMPLETE = "lampu jalan di gang 5 Kebraon mati sejak kemarin"


@pytest.fixture
def clock():
    return Clock()


class Chat(Citizen):
    """A citizen whose channel tells the bot their profile, counting their turns."""

    profile: Profile | None = None
    turns: int = 0

    async def send(self, text=None, *, button=None, location=None, media=None):
        self.turns += 1
        msg = IncomingMessage(self.channel, self.sender, text=text, button=button, location=location, media=media,
                              profile=self.profile)
        self.replies = await self.app.conversation.handle(msg, self.clock())
        self.clock.advance(seconds=20)
        return self.replies


def chat(app, clock, profile=None, sender="warga-1", channel="telegram") -> Chat:
    c = Chat(app, clock, sender=sender, channel=channel)
    c.profile = profile
    return c


async def filed_by(app, chat_):
    async with app.uow() as uow:
        return await uow.complaints.list_by_sender(chat_.channel, chat_.sender)


# --- identity and turns ---------------------------------------------------------------

async def test_a_complete_message_is_filed_in_three_turns_without_a_profile(app, clock):
    c = chat(app, clock)
    summary = await c.says(COMPLETE)
    assert texts.SUMMARY_HEADER in summary and "Nama:" not in summary
    assert "nama" in (await c.presses("confirm:send")).lower()
    code = CODE.search(await c.says("Sulastri")).group(0)
    assert c.turns == 3
    complaint = await stored(app, code)
    assert complaint.complainant.name == "Sulastri" and complaint.privacy is PrivacyMode.BIASA
    assert complaint.complainant.phone is None  # not required by the organisation: not asked


async def test_with_a_telegram_profile_two_turns_and_the_name_is_shown_to_confirm(app, clock):
    c = chat(app, clock, Profile(name="Budi Santoso"))
    summary = await c.says(COMPLETE)
    assert "Nama: Budi Santoso (dari profil akun Anda)" in summary
    code = CODE.search(await c.presses("confirm:send")).group(0)
    assert c.turns == 2
    assert (await stored(app, code)).complainant.name == "Budi Santoso"


async def test_a_whatsapp_profile_gives_name_and_number_and_anonim_keeps_neither(app, clock):
    c = chat(app, clock, Profile(name="Sri Wahyuni", phone="+6281234567890"), channel="whatsapp", sender="6281234567890")
    summary = await c.says(COMPLETE)
    assert "Sri Wahyuni" in summary and "Nomor HP: +6281234567890" in summary
    code = CODE.search(await c.presses("confirm:send")).group(0)
    complaint = await stored(app, code)
    assert complaint.complainant.name == "Sri Wahyuni" and complaint.complainant.phone == "+6281234567890"

    other = chat(app, clock, Profile(name="Sri Wahyuni", phone="+6281234567890"), channel="whatsapp",
                 sender="6281234567891")
    await other.says("sampah numpuk di depan pasar wonokromo udah 3 hari")
    anon = await stored(app, CODE.search(await other.presses("privacy:anonim")).group(0))
    assert anon.privacy is PrivacyMode.ANONIM and anon.complainant.name is None and anon.complainant.phone is None


@pytest.mark.parametrize(("said", "name", "greeting"), [
    ("nama saya Sulastri", "Sulastri", "Terima kasih, Sulastri,"),
    ("saya Bu Sulastri", "Sulastri", "Terima kasih, Bu Sulastri,"),
    ("Bapak Suharto, ketua RT 03", "Suharto", "Terima kasih, Bapak Suharto,"),
])
async def test_the_name_is_read_from_the_answer_and_the_title_kept_for_the_greeting(app, clock, said, name, greeting):
    c = chat(app, clock)
    await c.says(COMPLETE)
    await c.presses("confirm:send")
    receipt = await c.says(said)
    assert greeting in receipt
    assert (await stored(app, CODE.search(receipt).group(0))).complainant.name == name


async def test_a_name_in_the_first_message_is_not_asked_again(app, clock):
    c = chat(app, clock, Profile(name="akun toko"))
    summary = await c.says("saya Bu Sulastri, mau lapor lampu jalan di gang 5 Kebraon mati sejak kemarin")
    assert "Nama: Bu Sulastri" in summary and "profil" not in summary
    receipt = await c.presses("privacy:rahasia")
    complaint = await stored(app, CODE.search(receipt).group(0))
    assert complaint.complainant.name == "Sulastri" and complaint.privacy is PrivacyMode.RAHASIA


async def test_a_name_that_is_no_name_is_refused_and_anonim_is_still_offered(app, clock):
    c = chat(app, clock)
    await c.says(COMPLETE)
    await c.presses("confirm:send")
    assert texts.NAME_INVALID in await c.says("0812345")
    assert c.buttons == ["privacy:anonim"]
    code = CODE.search(await c.says("anonim saja")).group(0)
    assert (await stored(app, code)).privacy is PrivacyMode.ANONIM


async def test_the_phone_is_asked_only_where_the_organisation_requires_it(engine, clock, tmp_path):
    spec = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    spec["intake"] = {"phone_required": True}
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    app = await bootstrap(Settings(organisation_file=path), db=engine, migrate=False)
    telegram = chat(app, clock, Profile(name="Budi Santoso"))
    await telegram.says(COMPLETE)
    asked = await telegram.presses("confirm:send")
    assert "Nomor HP" in asked and telegram.buttons == []  # required: no "through this chat"
    assert texts.CONTACT_INVALID in await telegram.says("nomor saya rahasia")
    code = CODE.search(await telegram.says("0812-3456-7890")).group(0)
    assert (await stored(app, code)).complainant.phone == "+6281234567890"
    whatsapp = chat(app, clock, Profile(name="Sri", phone="+6281299998888"), channel="whatsapp", sender="6281299998888")
    await whatsapp.says(COMPLETE)
    assert CODE.search(await whatsapp.presses("confirm:send"))  # the channel vouches for the number


# --- emergencies ----------------------------------------------------------------------

async def test_an_emergency_gets_the_numbers_first_then_an_urgent_report(app, clock):
    c = chat(app, clock)
    first = await c.says("tolong ada kebakaran di rumah sebelah!")
    assert c.replies[0].text.startswith(texts.EMERGENCY_HEADER)
    assert "Pemadam kebakaran: 113" in first and "112" in first and "Ambulans: 119" in first
    assert "(contoh)" in first  # the city's own numbers from the organisation file
    assert await filed_by(app, c) == []  # nothing filed before the citizen asks for it
    assert c.buttons == ["offer:yes", "offer:no"]
    await c.presses("offer:yes")
    await c.says("Jl. Mawar 3, kelurahan Kebraon")
    if "service:" in " ".join(c.buttons):
        await c.presses(c.buttons[0])
    code = CODE.search(await c.presses("privacy:anonim")).group(0)
    complaint = await stored(app, code)
    assert complaint.weight is Weight.BERAT
    assert complaint.event_date == clock.now.date()
    assert "Selasa, 24 November 2026" in c.last  # the urgent verification deadline: one working day


async def test_an_emergency_during_a_draft_gives_the_numbers_and_keeps_the_draft(app, clock):
    c = chat(app, clock)
    await c.says("jalan di depan SDN Kebraon 1 berlubang besar")
    before = (await c.state())["draft"]["description"]
    reply = await c.says("ada kecelakaan motor di situ, korbannya berdarah!")
    assert "119" in reply and "112" in reply
    state = await c.state()
    assert state["draft"]["description"] == before and state["draft"]["weight"] == "berat"


async def test_the_past_or_a_precaution_is_no_emergency(app, clock):
    c = chat(app, clock)
    reply = await c.says("bekas kebakaran pasar di Wonokromo belum dibersihkan sudah seminggu")
    assert texts.EMERGENCY_HEADER not in reply and texts.START_INTAKE in reply


# --- questions ------------------------------------------------------------------------

async def test_questions_are_answered_from_the_faq_and_not_filed(app, clock):
    c = chat(app, clock)
    faq = {entry.id: entry.answer for entry in app.context().org.faq}
    assert faq["jam-layanan"] in await c.says("kantor dispendukcapil buka jam berapa?")
    assert faq["kerahasiaan"] in await c.says("apakah nama saya akan diketahui petugas?")
    assert await c.state() == {} and await filed_by(app, c) == []


async def test_a_question_mid_draft_is_answered_and_the_question_asked_again(app, clock):
    c = chat(app, clock)
    await c.says("lampu jalan di gang 5 mati")
    reply = await c.says("apakah nama saya akan diketahui petugas?")
    faq = {entry.id: entry.answer for entry in app.context().org.faq}
    assert faq["kerahasiaan"] in reply and (await c.state())["step"] == "place"


async def test_a_question_without_an_answer_goes_to_an_officer_as_a_request_for_information(app, clock):
    c = chat(app, clock)
    reply = await c.says("kapan jadwal fogging di kelurahan Medokan Ayu?")
    assert texts.QUESTION_UNKNOWN in reply and c.buttons == ["offer:yes", "offer:no"]
    await c.presses("offer:yes")
    for _ in range(3):
        if "confirm:send" in c.buttons:
            break
        await c.presses(c.buttons[0])  # the likeliest service
    code = CODE.search(await c.presses("privacy:anonim")).group(0)
    complaint = await stored(app, code)
    assert complaint.report_type is ReportType.PERMINTAAN_INFORMASI and "fogging" in complaint.description


async def test_declining_an_offer_changes_nothing(app, clock):
    c = chat(app, clock)
    await c.says("berapa tarif parkir di bandara juanda?")
    assert texts.OFFER_DECLINED in await c.presses("offer:no")
    assert await c.state() == {} and await filed_by(app, c) == []


# --- small talk -----------------------------------------------------------------------

@pytest.mark.parametrize(("said", "returned"), [
    ("Assalamualaikum", "Waalaikumsalam"),
    ("assalamu'alaikum wr wb", "Waalaikumsalam"),
    ("selamat pagi", "Selamat pagi."),
    ("punten", "Mangga."),
])
async def test_salam_is_returned_in_kind(app, clock, said, returned):
    c = chat(app, clock)
    reply = await c.says(said)
    assert reply.startswith(returned) and texts.GREETING_SHORT in reply and "menu:new" in c.buttons


async def test_a_salam_opening_a_complaint_is_returned_before_the_intake(app, clock):
    c = chat(app, clock)
    await c.says("Assalamualaikum pak, lampu jalan di gang 5 Kebraon mati sejak kemarin")
    assert c.replies[0].text.startswith("Waalaikumsalam") and texts.SUMMARY_HEADER in c.last


@pytest.mark.parametrize("said", ["P", "halo min", "🙏", "tolong pak"])
async def test_short_openings_get_a_greeting_with_what_the_bot_does(app, clock, said):
    c = chat(app, clock)
    assert texts.GREETING in await c.says(said)
    assert await c.state() == {}


async def test_thanks_and_goodbye_are_answered(app, clock):
    c = chat(app, clock)
    assert texts.THANKS in await c.says("makasih ya")
    assert texts.GOODBYE in await c.says("sudah dulu ya, dadah")


async def test_when_unsure_the_bot_asks_instead_of_a_dead_end(app, clock):
    c = chat(app, clock)
    reply = await c.says("tetangga sebelah tiap malam setel musik keras sampai jam 2")
    if texts.ASK_WANT_REPORT in reply:
        assert c.buttons == ["offer:yes", "offer:no"]
        reply = await c.presses("offer:yes")
    assert texts.START_INTAKE in reply
    assert (await c.state())["draft"]["description"].startswith("tetangga sebelah")


# --- outside the area -----------------------------------------------------------------

async def test_a_place_outside_the_city_is_said_plainly_and_forwarded_through_the_admin(app, clock):
    c = chat(app, clock)
    reply = await c.says("jalan rusak parah di Waru dekat pasar sudah sebulan")
    assert "Waru termasuk wilayah Kabupaten Sidoarjo" in reply and "SP4N-LAPOR!" in reply
    assert c.buttons == ["offer:forward", "offer:lapor", "offer:place"]
    await c.presses("offer:forward")
    receipt = await c.presses("privacy:anonim")
    assert "di luar wilayah" in receipt
    complaint = await stored(app, CODE.search(receipt).group(0))
    assert complaint.unit_id == app.context().org.default_unit  # the admin forwards it, no city unit
    assert complaint.place.region_code.startswith("35.15")  # Kabupaten Sidoarjo


async def test_sp4n_lapor_files_nothing_and_another_place_is_asked_again(app, clock):
    c = chat(app, clock)
    await c.says("sampah numpuk di Gresik sudah seminggu")
    assert "www.lapor.go.id" in await c.presses("offer:lapor")
    assert await c.state() == {} and await filed_by(app, c) == []
    await c.says("sampah numpuk di Gresik sudah seminggu")
    assert "Di mana lokasinya" in await c.presses("offer:place")
    summary = await c.says("kelurahan Kebraon")
    assert "Kebraon" in summary and texts.SUMMARY_HEADER in summary


# --- two problems ---------------------------------------------------------------------

async def test_two_problems_become_two_reports_sharing_the_identity_answers(app, clock):
    c = chat(app, clock)
    offer = await c.says("lampu jalan di gang 5 Kebraon mati sejak kemarin, terus sampah di depan pasar "
                         "Wonokromo juga belum diangkut 3 hari")
    assert "2 masalah" in offer and c.buttons == ["offer:split", "offer:one"]
    await c.presses("offer:split")
    await c.presses("confirm:send")
    first = await c.says("Sulastri")
    assert "laporan berikutnya" in first and texts.SUMMARY_HEADER in first and "Sulastri" in first.split("berikutnya")[1]
    second = await c.presses("confirm:send")  # the name is not asked twice
    codes = CODE.findall(first)[:1] + CODE.findall(second)[:1]
    assert len(set(codes)) == 2
    complaints = [await stored(app, code) for code in codes]
    assert [x.category for x in complaints] == [Category.PENERANGAN, Category.SAMPAH]
    assert all(x.complainant.name == "Sulastri" and x.status is Status.DITERIMA for x in complaints)


async def test_the_choices_can_be_typed_where_a_channel_has_no_buttons(app, clock):
    c = chat(app, clock, channel="console")
    await c.says("lampu jalan di gang 5 Kebraon mati sejak kemarin, terus sampah di depan pasar "
                 "Wonokromo juga belum diangkut 3 hari")
    assert "laporan berikutnya" not in await c.says("satu laporan saja")
    assert (await c.state())["pending"] == []
    other = chat(app, clock, sender="warga-2", channel="console")
    await other.says("jalan rusak parah di Waru dekat pasar sudah sebulan")
    summary = await other.says("kelurahan Kebraon")  # not there after all: another place, typed
    assert texts.SUMMARY_HEADER in summary and "Kebraon" in summary
    third = chat(app, clock, sender="warga-3", channel="console")
    await third.says("sampah numpuk di Gresik sudah seminggu")
    assert "www.lapor.go.id" in await third.says("lewat SP4N-LAPOR saja")


async def test_who_reports_is_not_a_second_problem(app, clock):
    c = chat(app, clock)
    reply = await c.says("sy mau lapor pungli di kelurahan Wonokromo, ngurus surat pengantar diminta 200rb. "
                         "NIK saya 3578012345678901, hp 0812-7777-3311")
    assert "masalah berbeda" not in reply


async def test_one_report_when_the_citizen_prefers(app, clock):
    c = chat(app, clock)
    await c.says("lampu jalan di gang 5 Kebraon mati sejak kemarin, terus sampah di depan pasar "
                 "Wonokromo juga belum diangkut 3 hari")
    await c.presses("offer:one")
    if "confirm:send" not in c.buttons:  # two topics in one text: which service is asked
        await c.presses(c.buttons[0])
    receipt = await c.presses("privacy:anonim")
    assert len(CODE.findall(receipt)) >= 1 and "berikutnya" not in receipt
    assert len(await filed_by(app, c)) == 1


async def test_a_fresh_app_reads_the_demo_faq(engine):
    app = await make_app(engine)
    ids = {entry.id for entry in app.context().org.faq}
    assert {"jam-layanan", "kerahasiaan", "syarat-ktp", "biaya"} <= ids

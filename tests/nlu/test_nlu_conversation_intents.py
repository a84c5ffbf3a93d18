"""The intents of a better citizen conversation (issue 14): emergencies, small talk,
questions, ratings with reasons, corrections, additions, "unsure", and the recall of
complaints (a complaint must never be taken for chatter)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nlu import RuleNlu
from nlu import intents as I
from nlu.entities.emergency import KINDS, numbers
from nlu.result import Parse

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(scope="module")
def nlu() -> RuleNlu:
    return RuleNlu(region_scope="35.78")


def parse(nlu: RuleNlu, text: str) -> Parse:
    return nlu.parse(text, NOW)


# --- emergencies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("tolong ada kebakaran di rumah sebelah!", "fire"),
        ("banjir, ada nenek terjebak di lantai 2", "flood_trapped"),
        ("kecelakaan motor di Jl. Raya Darmo, korbannya berdarah", "accident_injured"),
        ("ada orang pingsan di halte", "unconscious"),
        ("ada tawuran pakai celurit", "violence"),
        ("rumah ambruk ada orang di dalam", "collapse"),
        ("kabel PLN putus jatuh ke jalan masih nyetrum", "live_cable"),
        ("anak tenggelam di sungai", "drowning"),
        ("tolong pak gudang di belakang pasar terbakar, apinya sudah besar", "fire"),
        ("ada yang ditabrak mobil di depan sekolah, tergeletak di jalan", "accident_injured"),
        ("ada bapak-bapak kejang-kejang di masjid", "unconscious"),
    ],
)
def test_emergency(nlu: RuleNlu, text: str, kind: str) -> None:
    found = parse(nlu, text)
    assert found.intent == I.EMERGENCY, found.reasons
    entity = found.entity("emergency")
    assert entity is not None and entity.value == kind
    assert entity.value in KINDS
    assert text[entity.start : entity.end] == entity.text


@pytest.mark.parametrize(
    "text",
    [
        "bekas kebakaran pasar belum dibersihkan",
        "jalan sering banjir kalau hujan",
        "lampu lalu lintas mati rawan kecelakaan",
        "kemarin ada kecelakaan, minta dipasang polisi tidur",
        "warga korban kebakaran bulan lalu belum dapat bantuan",
        "tembok sekolah retak, takut roboh",
        "tetangga suka bakar sampah, asapnya masuk rumah",
        # issue 15: a word inside another ("kejangkau"), a risk spoken of, the means against
        # it, the aftermath and its aid, a case already in someone's hands
        "harga beras di pasar udah ga kejangkau warga",
        "tangga darurat rusun gelap dan penuh barang, bahaya kalau kebakaran",
        "rusun kami belum punya alat pemadam kebakaran yang layak",
        "korban longsor di dusun kami belum dapat hunian sementara",
        "kios yang terbakar ga diganti sama pengelola pasar",
        "kakak saya korban kdrt, sudah visum tapi laporan di polres tidak jalan",
    ],
)
def test_past_or_precaution_is_a_complaint_not_an_emergency(nlu: RuleNlu, text: str) -> None:
    found = parse(nlu, text)
    assert found.intent == I.NEW_COMPLAINT
    assert found.entity("emergency") is None


def test_emergency_numbers() -> None:
    assert numbers("fire")[0] == "113"
    assert numbers("violence")[0] == "110"
    assert numbers("unconscious")[0] == "119"
    assert numbers("drowning")[0] == "112"
    assert all(numbers(kind) for kind in KINDS)


# --- small talk ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "salam"),
    [
        ("assalamualaikum", "islam"),
        ("Assalamu'alaikum wr wb", "islam"),
        ("askum", "islam"),
        ("ass wr wb", "islam"),
        ("selamat pagi", "pagi"),
        ("met pagi", "pagi"),
        ("pagi min", "pagi"),
        ("selamat siang pak", "siang"),
        ("sore kak", "sore"),
        ("selamat malam", "malam"),
        ("punten", "punten"),
        ("kulonuwun", "kulonuwun"),
        ("om swastiastu", "om_swastiastu"),
        ("salam sejahtera", "salam_sejahtera"),
        ("permisi", "permisi"),
        ("halo", "halo"),
        ("halo min", "halo"),
        ("P", "halo"),
        ("p", "halo"),
        ("PP", "halo"),
        ("min", "halo"),
        ("kak", "halo"),
        ("gan", "halo"),
        ("tolong pak", "halo"),
        ("tolong", "halo"),
        ("pak", "halo"),
        ("bu", "halo"),
        ("test", "halo"),
        ("tes", "halo"),
        ("🙏", "halo"),
        ("👋", "halo"),
        ("😊", "halo"),
        ("👍", "halo"),
    ],
)
def test_greeting_and_how_to_return_it(nlu: RuleNlu, text: str, salam: str) -> None:
    found = parse(nlu, text)
    assert found.intent == I.GREETING
    entity = found.entity("salam")
    assert entity is not None and entity.value == salam


def test_a_complaint_that_opens_with_a_salam_keeps_the_salam(nlu: RuleNlu) -> None:
    found = parse(nlu, "assalamualaikum, lampu jalan di gang 3 mati sudah seminggu")
    assert found.intent == I.NEW_COMPLAINT
    assert found.entity("salam") is not None and found.entity("salam").value == "islam"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("dadah", I.GOODBYE),
        ("sampai jumpa", I.GOODBYE),
        ("sudah dulu ya", I.GOODBYE),
        ("udah itu aja", I.GOODBYE),
        ("makasih, sudah cukup", I.GOODBYE),
        ("makasih", I.THANKS),
        ("mksh", I.THANKS),
        ("suwun", I.THANKS),
        ("nuhun", I.THANKS),
        ("tq", I.THANKS),
        ("thx", I.THANKS),
        ("matur nuwun pak", I.THANKS),
        ("siapa namamu?", I.CHITCHAT),
        ("hahaha", I.CHITCHAT),
    ],
)
def test_goodbye_and_thanks(nlu: RuleNlu, text: str, intent: str) -> None:
    assert parse(nlu, text).intent == intent


# --- questions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("kantor dispendukcapil buka jam berapa?", I.QUESTION),
        ("syarat bikin KTP apa aja?", I.QUESTION),
        ("apakah nama saya akan diketahui petugas?", I.QUESTION),
        ("alamat mall pelayanan publik di mana?", I.QUESTION),
        ("berapa lama laporan diproses?", I.QUESTION),
        ("bikin akta lahir bayar ga?", I.QUESTION),
        ("kok laporan saya ditolak?", I.CASE_QUESTION),
        ("kenapa laporan saya ditutup?", I.CASE_QUESTION),
        ("laporan saya kok belum ada jawaban?", I.CASE_QUESTION),
        ("kenapa dialihkan ke kelurahan?", I.CASE_QUESTION),
        ("kenapa jalan di Kebraon belum diperbaiki padahal sudah 3 bulan?", I.NEW_COMPLAINT),
        ("kenapa KTP saya ditolak di kecamatan padahal berkas lengkap", I.NEW_COMPLAINT),
        ("mau urus surat pindah datang dari sidoarjo kok ribet bgt min", I.NEW_COMPLAINT),
        ("gimana cara lapor?", I.HELP),
    ],
)
def test_questions(nlu: RuleNlu, text: str, intent: str) -> None:
    assert parse(nlu, text).intent == intent


# --- ratings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "reason"),
    [
        ("gak puas lah, masih bocor", I.RATE_UNSATISFIED, "masih bocor"),
        ("tidak puas, lubangnya masih ada", I.RATE_UNSATISFIED, "lubangnya masih ada"),
        ("blm beres pak, masih mati lampunya", I.RATE_UNSATISFIED, "masih mati lampunya"),
        ("kecewa, sudah seminggu sampahnya tetap tidak diangkut", I.RATE_UNSATISFIED,
         "sudah seminggu sampahnya tetap tidak diangkut"),
        ("mantap, makasih", I.RATE_SATISFIED, None),
        ("puas banget, cepat ditangani", I.RATE_SATISFIED, "cepat ditangani"),
        ("alhamdulillah sudah beres", I.RATE_SATISFIED, None),
        ("ga puas", I.RATE_UNSATISFIED, None),
        ("puas", I.RATE_SATISFIED, None),
    ],
)
def test_rating_in_free_text(nlu: RuleNlu, text: str, intent: str, reason: str | None) -> None:
    found = parse(nlu, text)
    assert found.intent == intent
    entity = found.entity("reason")
    assert (entity.value if entity is not None else None) == reason


def test_mantap_alone_still_confirms(nlu: RuleNlu) -> None:
    assert parse(nlu, "mantap").intent == I.AFFIRM


def test_disappointment_with_a_service_is_a_complaint(nlu: RuleNlu) -> None:
    text = "kecewa dengan pelayanan puskesmas, dokternya datang telat dua jam"
    assert parse(nlu, text).intent == I.NEW_COMPLAINT


# --- corrections and additions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("lokasinya salah, yang benar di Jl. Ahmad Yani depan BRI", "place", "di Jl. Ahmad Yani depan BRI"),
        ("bukan di Kebraon tapi di Wonokromo", "place", "di Wonokromo"),
        ("tanggalnya tanggal 3", "date", "tanggal 3"),
        ("kejadiannya bukan kemarin, tapi tanggal 3", "date", "tanggal 3"),
        ("bukan, maksud saya lampu bangjo", "description", "lampu bangjo"),
        ("maksudnya lampu lalu lintas, bukan lampu jalan", "description", "lampu lalu lintas"),
        ("salah kategori, harusnya sampah", "category", "sampah"),
        ("ralat: lampunya yang mati ada tiga", "description", "lampunya yang mati ada tiga"),
        ("ralat, lokasinya salah, yang benar di gang 7", "place", "di gang 7"),
        ("alamatnya keliru, seharusnya Jl. Mawar 5", "place", "Jl. Mawar 5"),
    ],
)
def test_correction(nlu: RuleNlu, text: str, field: str, value: str) -> None:
    found = parse(nlu, text)
    assert found.intent == I.CORRECTION
    entity = found.entity("correction")
    assert entity is not None and entity.value == {"field": field, "text": value}


def test_not_only_but_also_is_no_correction(nlu: RuleNlu) -> None:
    found = parse(nlu, "bukan cuma jalan rusak tapi juga lampunya mati semua")
    assert found.intent == I.NEW_COMPLAINT
    assert found.entity("correction") is None


@pytest.mark.parametrize(
    "text",
    ["tambahan: lubangnya makin besar", "oh iya, tambahan lubangnya ada 2", "mau menambahkan keterangan"],
)
def test_add_info(nlu: RuleNlu, text: str) -> None:
    assert parse(nlu, text).intent == I.ADD_INFO


# --- unsure --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["saya mau cerita sedikit pak", "ini soal yang kemarin itu ya", "tadi saya sudah ke sana tapi"]
)
def test_unclear_longer_messages_are_unsure_not_chatter(nlu: RuleNlu, text: str) -> None:
    assert parse(nlu, text).intent in (I.UNSURE, I.NEW_COMPLAINT)


# --- recall of complaints ------------------------------------------------------------------
# First messages of complaints, written for this project.
COMPLAINTS = [
    'bangjo di perempatan Margorejo mati dari pagi',
    'bangjo perempatan Jemursari kedip kuning terus, rawan tabrakan',
    'jalan di perumahan belum ditinggikan, tiap hujan masuk rumah',
    'speaker musholla terlalu keras jam 2 malam',
    'pak RT minta uang buat surat pengantar',
    'lampu jalan gang 3 mati',
    'lampu pju depan sdn kebraon 2 ga nyala udh seminggu',
    'jln rusak parah di depan pasar',
    'jalan berlubang di Jl. Raya Kebraon, kemarin ada yang jatuh',
    'aspal ngelupas di jalan kampung kami, debunya kemana-mana',
    'trotoar di Jl Darmo dipakai parkir motor, pejalan kaki turun ke jalan',
    'got depan rumah mampet, baunya sampai ke dalam rumah',
    'selokan meluap tiap hujan deras di RT 04',
    'sampah di TPS pasar belum diangkut 3 hari',
    'sampah numpuk di pinggir kali, baunya nyengat',
    'truk sampah ga lewat lagi sejak senin',
    'air pdam mati dari kemarin sore',
    'air PDAM keruh kayak teh susu',
    'pipa PDAM bocor di depan masjid, airnya muncrat ke jalan',
    'tagihan pdam bulan ini naik 3 kali lipat padahal pemakaian sama',
    'listrik byarpet terus tiap malam di kampung kami',
    'kabel listrik menjuntai rendah di gang 5, bisa kena kepala orang',
    'pohon besar di depan sekolah miring, takut tumbang',
    'dahan pohon mangga kena kabel, tolong dipangkas',
    'pabrik tahu buang limbah ke sungai, airnya hitam',
    'asap dari pembakaran sampah tetangga masuk rumah tiap sore',
    'knalpot brong balap liar tiap malam minggu di jalan baru',
    'PKL jualan di trotoar depan stasiun, jalan jadi sempit',
    'parkir liar di depan minimarket, jukirnya maksa minta 5 ribu',
    'angkot ngetem sembarangan di depan sekolah bikin macet',
    'rambu dilarang parkir di jalan Pahlawan hilang',
    'marka jalan di jalan raya sudah pudar, malam ga kelihatan',
    'halte bus atapnya bocor dan kursinya rusak',
    'KTP saya belum jadi padahal sudah 3 bulan',
    'sudah rekam e-ktp dari bulan Juni tapi belum dicetak juga',
    'akta kelahiran anak saya salah nama bapaknya',
    'KK saya datanya ganda, NIK istri beda sama KTP',
    'petugas dukcapil kasar waktu saya tanya soal blangko',
    'di kelurahan disuruh balik besok terus, udah 4 kali bolak-balik',
    'pegawai kecamatan main hp waktu antre panjang',
    'lurah tidak ada di tempat padahal jam kerja',
    'diminta 300 ribu sama oknum kelurahan biar surat cepat jadi',
    'bansos ibu saya belum cair padahal sudah terdata DTKS',
    'nama saya dicoret dari penerima PKH tanpa alasan',
    'tetangga yang mampu malah dapat BLT, yang miskin ga dapat',
    'puskesmas Jagir tutup sebelum jam 12, pasien ditolak',
    'dokter di puskesmas datang telat, antre dari jam 7',
    'anak saya ditolak rumah sakit padahal pakai BPJS',
    'obat di puskesmas kosong terus, disuruh beli di luar',
    'ambulans puskesmas ditelepon ga datang-datang',
    'sekolah anak saya minta uang gedung 5 juta, katanya wajib',
    'PPDB zonasi kacau, rumah dekat sekolah malah ga keterima',
    'guru SD sering ga masuk, murid dibiarkan main',
    'ijazah anak saya ditahan sekolah karena belum bayar SPP',
    'KIP anak saya belum cair padahal sudah semester dua',
    'rusunawa bocor di lantai 4 sudah lapor pengelola tapi didiamkan',
    'makam di TPU penuh, warga disuruh bayar 2 juta buat lahan',
    'fasum taman di perumahan dipakai developer jadi ruko',
    'izin PBG saya sudah 6 bulan ga ada kabar',
    'PBB saya tagihannya dobel tahun ini',
    'pegawai bapenda minta uang pelicin biar sppt cepat',
    'gaji saya dibawah UMK dan ga dapat THR',
    'di-PHK tanpa pesangon setelah kerja 8 tahun',
    'pedagang pasar ditarik retribusi dobel oleh preman',
    'banyak pengemis dan manusia silver di lampu merah Bratang',
    'ada judi sabung ayam tiap minggu di lapangan belakang balai RW',
    'warung remang-remang jual miras dekat sekolah',
    'tiap malam ada yang mabuk-mabukan di pos ronda, warga resah',
    'bangunan liar berdiri di atas saluran air',
    'spanduk liar menutupi rambu di perempatan',
    'min, lampu merah di jl ahmad yani mati total, polisi ga ada',
    'pak, saluran di gang saya sudah 2 minggu mampet, air hitam menggenang',
    'bu, mohon dibantu, jalan kampung kami hancur sejak ada proyek galian',
    'lapor, galian kabel ditinggal begitu saja, lubangnya nganga di pinggir jalan',
    'maaf mengganggu, saya mau menyampaikan bahwa penerangan di jalan menuju makam gelap total, warga takut lewat malam hari',
    'assalamualaikum pak, saya warga RT 02 ingin menyampaikan keluhan, sampah di depan gang tidak pernah diangkut sejak awal bulan',
    'selamat siang, air di rumah saya tidak mengalir sejak tiga hari lalu, sudah telpon call center tapi belum ada tindakan',
    'permisi min, mau tanya kenapa jalan di depan SMP 12 belum juga diperbaiki padahal sudah rusak setahun',
    'punten, di kampung kami banyak nyamuk dan sudah ada 2 anak kena DBD, mohon fogging',
    'kulonuwun, lampu penerangan di jembatan kali mati, anak-anak sekolah takut lewat',
    'dalane bolong gede ning ngarep masjid, wis suwe ora didandani',
    'lampune mati kabeh nang gang 7, peteng ndhedhet',
    'sampahe numpuk nang pinggir kali, mambu',
    'banyune PDAM ora metu wis rong dino',
    'jalanna ruksak pisan di payuneun sakola',
    'cai PDAM teu ngocor ti kamari',
    'got mampet, ambune ora karuan',
    'lampu jalan mati,gelap bgt pas malem',
    'jalan rsak prh bgt, bnyk lbg',
    'sampah blm diangkut udh 4hr bau bgt',
    'air pdam mati lg, udh 2 hr gk ngalir',
    'tlg min lmpu jln di gg mawar mati smua',
    'ktp sy udh 5 bln blm jd',
    'bangjo mati',
    'pju mati',
    'jalan bolong',
    'sampah numpuk',
    'air mati',
    'got buntu',
    'tiang listrik miring mau roboh di depan rumah nomor 12',
    'kabel telepon putus melintang di jalan, motor hampir nyangkut',
    'tutup gorong-gorong hilang, lubangnya bahaya buat anak kecil',
    'paving di taman kota banyak yang lepas',
    'jembatan penyeberangan orang karatan, pegangannya goyang',
    'lampu taman di taman bungkul banyak yang mati',
    'air sumur warga tercemar sejak ada pabrik di sebelah',
    'suara mesin pabrik bising sampai tengah malam',
    'ada orang buang sampah sembarangan di lahan kosong tiap malam',
    'TPS di dekat pasar penuh sampai meluber ke jalan',
    'tiap pagi ada bau busuk dari rumah pemotongan ayam',
    'bau kotoran sapi dari kandang tetangga sampai ke rumah kami',
    'sound system hajatan tetangga sampai jam 1 malam',
    'orkes dangdut di lapangan sampai subuh, bayi saya ga bisa tidur',
    'tetangga bikin kandang di atas saluran, air ga bisa lewat',
    'ada kafe buka sampai pagi dan berisik tiap hari',
    'jalan ditutup buat hajatan tanpa izin, kendaraan ga bisa lewat',
    'jukir di depan bank minta 10 ribu untuk mobil',
    'bus kota sering ga berhenti di halte, penumpang ditinggal',
    'lampu penyeberangan di depan sekolah tidak berfungsi',
    'zebra cross di depan rumah sakit sudah hilang catnya',
    'antrean di dukcapil sampai sore, nomor antrean dijual calo',
    'petugas loket kelurahan minta tip buat legalisir',
    'surat keterangan domisili ditolak tanpa penjelasan',
    'lamaran kerja lewat disnaker tidak diproses berbulan-bulan',
    'kartu kuning saya sudah 2 minggu ga jadi-jadi',
    'pelatihan kerja gratis ternyata ditarik biaya 500 ribu',
    'posyandu di RW kami sudah 3 bulan tidak buka',
    'bidan desa tidak ada di tempat waktu istri saya mau melahirkan',
    'pasien BPJS di rumah sakit dipersulit, disuruh bayar dulu',
    'anak saya stunting tapi belum ada bantuan dari puskesmas',
    'permakanan lansia di kampung kami tidak dikirim lagi',
    'ibu saya lansia belum dapat bantuan sosial padahal layak',
    'penyaluran sembako di kelurahan dipotong 50 ribu',
    'rumah nenek saya hampir roboh, sudah diajukan bedah rumah tapi ga ada kabar',
    'atap balai RW bocor di mana-mana',
    'pembangunan saluran di gang kami mangkrak sejak 3 bulan lalu',
    'proyek drainase meninggalkan tumpukan tanah di jalan',
    'ada pohon tumbang melintang di jalan raya, lalu lintas tersendat',
    'banjir setinggi lutut di jalan utama sejak semalam, mobil mogok',
    'genangan air di underpass tidak surut-surut',
    'rob masuk ke permukiman nelayan setiap bulan purnama',
    'tanggul kali retak, warga khawatir jebol',
    'sungai di belakang rumah penuh eceng gondok dan sampah',
    'warga dipungut 20 ribu per bulan untuk sampah tapi truknya jarang datang',
    'pak rt minta sumbangan wajib buat acara agustusan, kalau tidak bayar surat tidak diurus',
    'pak lurah galak, saya dibentak waktu minta tanda tangan',
    'staf kecamatan bilang berkas saya hilang, disuruh ulang dari awal',
    'sudah 3 kali ke kantor pajak daerah, selalu disuruh kembali minggu depan',
    'saya dapat tilang padahal lampu merahnya yang error',
    'lampu lalu lintas di simpang empat Wonokromo nyala hijau semua arah',
    'jalan licin karena tumpahan oli dari truk, sudah ada 2 motor jatuh',
    'trotoar baru dibangun sudah retak-retak',
    'aspal baru sebulan sudah bolong lagi',
    'lampu jalan nyala siang hari tapi mati waktu malam',
    'air di rusun keluar cuma jam 2 pagi',
    'meteran air saya rusak tapi tagihannya tetap jalan',
    'token listrik yang saya beli tidak masuk',
    'sekolah mewajibkan beli seragam di koperasi dengan harga mahal',
    'study tour wajib bayar 2 juta, yang tidak ikut diancam nilai jelek',
    'guru menghukum murid dengan kekerasan',
    'pendaftaran PPDB online error terus dari kemarin',
    'ada bangunan kos baru menutup saluran air warga',
    'tetangga membangun rumah sampai ke badan jalan',
    'pedagang pasar kaget ada pungutan kebersihan baru tanpa sosialisasi',
    'kios pasar yang sudah dibayar malah diberikan ke orang lain',
    'Selamat pagi bapak/ibu. Saya ingin menyampaikan keluhan terkait pelayanan di kantor kelurahan kami. Sudah dua minggu saya mengurus surat pindah, tetapi setiap datang selalu disuruh kembali karena pejabatnya tidak ada. Mohon perhatiannya.',
    'Yth. admin, dengan hormat saya sampaikan bahwa saluran air di lingkungan RT 05 RW 03 sudah lama tidak dibersihkan sehingga setiap hujan air meluap ke jalan dan rumah warga. Terima kasih.',
    'mohon maaf pak, ini mau menyampaikan bahwa di depan rumah saya ada tiang PJU yang lampunya sudah mati hampir sebulan, jadi kalau malam gelap sekali dan rawan maling',
]


def test_complaints_are_never_taken_for_chatter(nlu: RuleNlu) -> None:
    missed = [
        (text, found.intent)
        for text in COMPLAINTS
        if (found := parse(nlu, text)).intent not in (I.NEW_COMPLAINT, I.EMERGENCY)
    ]
    assert len(COMPLAINTS) >= 150
    assert len(missed) / len(COMPLAINTS) <= 0.01, missed


def test_bangjo_is_a_traffic_light(nlu: RuleNlu) -> None:
    found = parse(nlu, "bangjo di perempatan Margorejo mati dari pagi")
    assert found.intent == I.NEW_COMPLAINT
    assert found.category is not None and found.category.value == "lalu_lintas"

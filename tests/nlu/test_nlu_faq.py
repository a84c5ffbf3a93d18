"""nlu.faq: a citizen's question matched to the organisation's FAQ by meaning."""

from __future__ import annotations

import pytest

from complaints.org import FaqEntry
from nlu import RuleNlu
from nlu.faq import FaqMatcher, matcher

FAQ = (
    FaqEntry("jam-layanan", ("Jam berapa kantor pelayanan buka?", "Kapan jam layanan kantor?"),
             "Senin-Kamis 08.00-15.00, Jumat 08.00-14.00."),
    FaqEntry("alamat", ("Di mana alamat kantor pelayanan?", "Lokasi mal pelayanan publik di mana?"),
             "Mal Pelayanan Publik, Jl. Tunjungan 1."),
    FaqEntry("syarat-ktp", ("Apa syarat membuat KTP?", "Dokumen apa yang dibawa untuk e-KTP?"),
             "Fotokopi KK dan surat pengantar bila pindah datang."),
    FaqEntry("syarat-kk", ("Apa syarat membuat kartu keluarga?", "Berkas untuk urus KK baru apa saja?"),
             "Buku nikah, KK lama, surat pindah bila ada."),
    FaqEntry("kerahasiaan", ("Apakah identitas pelapor dirahasiakan?", "Apakah nama saya diketahui petugas?"),
             "Identitas Anda hanya terlihat oleh petugas verifikasi."),
    FaqEntry("lama-proses", ("Berapa lama laporan diproses?", "Kapan laporan saya ditanggapi?"),
             "Paling lambat 5 hari kerja untuk tanggapan pertama."),
    FaqEntry("biaya", ("Apakah layanan ini bayar?", "Berapa biaya mengurus dokumen kependudukan?"),
             "Semua layanan administrasi kependudukan gratis."),
    FaqEntry("cara-lapor", ("Bagaimana cara membuat laporan?", "Cara mengadu lewat chat ini gimana?"),
             "Ceritakan masalahnya, lokasi dan waktunya; kami pandu langkahnya."),
)

PARAPHRASES = [
    ("kantor dispendukcapil buka jam berapa?", "jam-layanan"),
    ("jam buka kantornya jam berapa ya min", "jam-layanan"),
    ("jam operasional pelayanan kapan?", "jam-layanan"),
    ("sabtu buka gak kak?", "jam-layanan"),
    ("pelayanan tutup jam berapa?", "jam-layanan"),
    ("jam kerja kantor capil sampai jam berapa", "jam-layanan"),
    ("hari minggu buka tidak?", "jam-layanan"),
    ("mulai jam berapa bisa datang ke kantor?", "jam-layanan"),
    ("alamat mall pelayanan publik di mana?", "alamat"),
    ("kantornya di mana ya?", "alamat"),
    ("lokasi mpp dimana min", "alamat"),
    ("letak kantor pelayanan di jalan apa?", "alamat"),
    ("minta alamat kantor dukcapil", "alamat"),
    ("mal pelayanan publik itu letaknya dimana", "alamat"),
    ("syarat bikin KTP apa aja?", "syarat-ktp"),
    ("mau buat e-ktp bawa apa saja?", "syarat-ktp"),
    ("persyaratan pembuatan ktp-el apa", "syarat-ktp"),
    ("dokumen untuk ngurus ktp", "syarat-ktp"),
    ("kalau mau cetak ktp perlu apa", "syarat-ktp"),
    ("syarat KK baru apa saja?", "syarat-kk"),
    ("bikin kartu keluarga butuh berkas apa", "syarat-kk"),
    ("mau urus kk pecah, persyaratannya apa?", "syarat-kk"),
    ("dokumen apa buat pembuatan kartu keluarga", "syarat-kk"),
    ("apakah nama saya akan diketahui petugas?", "kerahasiaan"),
    ("identitas saya aman gak kalau lapor?", "kerahasiaan"),
    ("data pribadi pelapor dirahasiakan tidak?", "kerahasiaan"),
    ("bisa lapor tanpa nama?", "kerahasiaan"),
    ("nanti yang dilaporkan tahu kalau saya yang lapor?", "kerahasiaan"),
    ("apakah privasi pelapor dilindungi", "kerahasiaan"),
    ("berapa lama laporan diproses?", "lama-proses"),
    ("laporan biasanya ditanggapi berapa hari?", "lama-proses"),
    ("kapan laporan ditindaklanjuti?", "lama-proses"),
    ("berapa hari sampai laporan selesai", "lama-proses"),
    ("lama tidak prosesnya laporan di sini", "lama-proses"),
    ("bikin akta lahir bayar ga?", "biaya"),
    ("urus dokumen kependudukan gratis kan?", "biaya"),
    ("biayanya berapa kalau bikin kk?", "biaya"),
    ("ada tarif gak untuk layanan ini", "biaya"),
    ("layanannya berbayar atau gratis?", "biaya"),
    ("bagaimana cara lapor?", "cara-lapor"),
    ("gimana caranya mengadu di sini", "cara-lapor"),
    ("langkah-langkah membuat pengaduan apa saja", "cara-lapor"),
    ("cara kirim laporan lewat whatsapp bagaimana", "cara-lapor"),
    ("prosedur melapor keluhan gimana kak", "cara-lapor"),
]

UNRELATED = [
    "jalan depan rumah saya berlubang besar",
    "sampah di TPS Kebraon belum diangkut seminggu",
    "lampu jalan gang 5 mati sudah 3 hari",
    "petugas kelurahan minta uang 50 ribu buat surat pengantar",
    "air PDAM keruh dan bau sejak kemarin",
    "siapa presiden indonesia sekarang?",
    "resep rendang yang enak gimana?",
    "hasil pertandingan bola tadi malam berapa?",
    "harga cabai di pasar naik terus ya",
    "kapan lebaran tahun depan?",
]


@pytest.fixture(scope="module")
def faq() -> FaqMatcher:
    return FaqMatcher(FAQ)


def test_paraphrases_match_the_right_entry(faq: FaqMatcher) -> None:
    wrong = []
    for text, expected in PARAPHRASES:
        found = faq.match(text)
        if found is None or found[0].id != expected:
            wrong.append((text, expected, found[0].id if found else None, round(found[1], 2) if found else None))
    accuracy = 1 - len(wrong) / len(PARAPHRASES)
    assert len(PARAPHRASES) >= 40
    assert accuracy >= 0.9, wrong


@pytest.mark.parametrize("text", UNRELATED)
def test_unrelated_questions_and_complaints_match_nothing(faq: FaqMatcher, text: str) -> None:
    assert faq.match(text) is None, faq.scores(text)[:2]


def test_matchers_are_cached_per_faq() -> None:
    assert matcher(FAQ) is matcher(FAQ)
    assert matcher(FAQ[:2]) is not matcher(FAQ)


def test_an_empty_faq_matches_nothing() -> None:
    assert FaqMatcher(()).match("jam buka kantor?") is None


def test_the_nlu_answers_from_the_faq() -> None:
    nlu = RuleNlu(region_scope="35.78", model=None)
    found = nlu.match_faq("syarat bikin KTP apa aja?", FAQ)
    assert found is not None and found.id == "syarat-ktp"
    assert nlu.match_faq("jalan depan rumah saya berlubang besar", FAQ) is None
    assert nlu.match_faq("jam buka?", ()) is None

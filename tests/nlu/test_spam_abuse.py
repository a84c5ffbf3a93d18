"""The abusive-language lexicon (nlu/entities/abuse.py): insults in Indonesian, Javanese and
Sundanese and their chat spellings are found; the same words about an animal or a thing
in a complaint are not."""

import pytest

from nlu.entities.abuse import abusive_words, is_abusive


@pytest.mark.parametrize(("text", "word"), [
    ("bangsat, jalan rusak ga dibenerin", "bangsat"),
    ("dasar petugas goblok", "goblok"),
    ("kalian anjing semua", "anjing"),
    ("Anjing! sampah numpuk seminggu", "anjing"),
    ("tolong ya pak, anjing", "anjing"),
    ("anjinglah gak diangkut2", "anjing"),
    ("pemerintah babi", "babi"),
    ("tai lu", "tai"),
    ("b4ngs4t jalan bolong", "bangsat"),  # leetspeak
    ("k0nt0l", "kontol"),
    ("b*ngs*t lampunya mati", "bangsat"),  # masked
    ("anj*ng", "anjing"),
    ("bangsaaaat", "bangsat"),  # stretched
    ("goblokk", "goblok"),
    ("gblk bgt", "gblk"),  # abbreviated
    ("jancuk dalane rusak", "jancuk"),  # Javanese
    ("ndasmu, ra tau dibenakke", "ndasmu"),
    ("belegug pisan petugasna", "belegug"),  # Sundanese
    ("kehed, jalan ruksak", "kehed"),
])
def test_insults_are_found_however_they_are_spelled(text, word):
    assert word in abusive_words(text)


@pytest.mark.parametrize("text", [
    "anjing liar menggigit anak saya di RT 03",
    "banyak anjing berkeliaran di taman kota",
    "anjingnya tetangga menggonggong sampai malam",
    "daging babi dijual bebas di pasar tanpa label",
    "monyet liar masuk rumah warga",
    "tahi ayam berserakan di selokan",
    "ada bangkai tikus di got depan rumah",
    "asuransi kesehatan saya ditolak puskesmas",
    "LPR-7KQ3-M9 kapan selesai",
    "pungli 300.000 di kelurahan",
    "pelayanan di kantor kecamatan sangat lambat dan petugasnya tidak ramah",
    "jalan kampung saya rusak, tolong diperbaiki",
])
def test_a_complaint_about_animals_or_things_is_not_abuse(text):
    assert not is_abusive(text), abusive_words(text)

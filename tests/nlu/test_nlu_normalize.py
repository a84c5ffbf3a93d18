"""Normalisation of everyday chat Indonesian, and the map back to the original text."""

from __future__ import annotations

import pytest

from nlu.normalize import ABBREVIATIONS, normalize, normalize_with_map


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jalan BOLONGGG!!!", "jalan bolong!"),
        ("sakit", "sakit"),  # legit doubles and singles stay
        ("tunggu", "tunggu"),
        ("Rp 300.000", "rp 300.000"),  # digits never collapse
        ("aaamiiin", "amin"),
        ("sy sdh lapor tp blm ada kabar", "saya sudah lapor tapi belum ada kabar"),
        ("gak jadi", "tidak jadi"),
        ("udah 2 mgg", "sudah 2 minggu"),
        ("kmrn jl. Mawar", "kemarin jalan mawar"),
        ("jl.Mawar no.5", "jalan mawar no 5"),
        ("kec. Wonokromo, kel. Jagir", "kecamatan wonokromo, kelurahan jagir"),
        ("pak RT", "bapak rt"),
        ("min, tolong", "admin, tolong"),
        ("anak2 sekolah", "anak-anak sekolah"),
        ("jum'at", "jumat"),
        ("Assalamu\u2019alaikum", "assalamualaikum"),
        ("ktp\u200b\u200d hilang", "ktp hilang"),  # zero-width characters
        ("a\x00b\x07c", "abc"),  # control characters
        ("  banyak   spasi\n\tdan baris  ", "banyak spasi dan baris"),
        ("ＫＴＰ", "ktp"),  # full-width forms (NFKC)
        ("makasih", "terima kasih"),
        ("200rb", "200rb"),  # not a word on its own: left for the money extractor
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_lexicon_is_our_own_small_list() -> None:
    for abbreviation in ("yg", "sdh", "udh", "udah", "gk", "ga", "gak", "nggak", "tp", "krn", "kmrn", "tgl",
                         "jl", "jln", "gg", "blm", "bgt", "sy", "aq", "dgn", "utk", "org", "dr", "lg", "trs",
                         "min", "pak", "bu"):
        assert abbreviation in ABBREVIATIONS
    assert len(ABBREVIATIONS) < 250


def test_spans_map_back_to_the_original() -> None:
    raw = "Sy tinggal di Jl. Mawar, jalannya bolonggg bgt"
    norm = normalize_with_map(raw)
    assert norm.text == "saya tinggal di jalan mawar, jalannya bolong banget"
    start = norm.text.index("jalan mawar")
    assert norm.surface(start, start + len("jalan mawar")) == ("Jl. Mawar", 14, 23)
    start = norm.text.index("bolong")
    assert norm.surface(start, start + len("bolong"))[0] == "bolonggg"
    start = norm.text.index("saya")
    assert norm.surface(start, start + 4)[0] == "Sy"


def test_every_character_maps_inside_the_original() -> None:
    raw = "\u200bHalo  MIN!!! kmrn\tjl. Kebraon gg.5 anak2"
    norm = normalize_with_map(raw)
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    for start, end in zip(norm.starts, norm.ends):
        assert 0 <= start < end <= len(raw)
    assert list(norm.starts) == sorted(norm.starts)

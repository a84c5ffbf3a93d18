"""Names: answers to "Siapa nama Anda?" and the ``person`` entity in a first message."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nlu import RuleNlu, Understanding
from nlu.entities import person
from nlu.entities.person import PersonName, read_person
from nlu.normalize import normalize_with_map

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(scope="module")
def nlu() -> RuleNlu:
    return RuleNlu(region_scope="35.78", model=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nama saya Sulastri", PersonName("Sulastri")),
        ("saya Bu Sulastri", PersonName("Sulastri", "Bu")),
        ("Bapak Suharto, ketua RT 03", PersonName("Suharto", "Bapak", "ketua RT 03")),
        ("Budi Santoso", PersonName("Budi Santoso")),
        ("panggil saja Andi", PersonName("Andi")),
        ("nama sy dewi ya", PersonName("Dewi")),
        ("BUDI SANTOSO", PersonName("Budi Santoso")),
        ("pak joko", PersonName("Joko", "Pak")),
        ("mbak rina", PersonName("Rina", "Mbak")),
        ("Ibu Wulan", PersonName("Wulan", "Ibu")),
        ("mas Yoga", PersonName("Yoga", "Mas")),
        ("Kak Tia", PersonName("Tia", "Kak")),
        ("bang Ucok", PersonName("Ucok", "Bang")),
        ("dik Nana", PersonName("Nana", "Dik")),
        ("Sdr. Andi", PersonName("Andi", "Sdr")),
        ("sdri Maya", PersonName("Maya", "Sdri")),
        ("Haji Mahmud", PersonName("Mahmud", "Haji")),
        ("H. Ahmad Fauzi", PersonName("Ahmad Fauzi", "H.")),
        ("hj. siti aminah", PersonName("Siti Aminah", "Hj.")),
        ("Dr. Ir. Bambang", PersonName("Bambang", "Dr. Ir.")),
        ("halo min, nama saya Joko Widodo", PersonName("Joko Widodo")),
        ("perkenalkan, saya Rina", PersonName("Rina")),
        ("Indah", PersonName("Indah")),  # names may be everyday words
        ("Pak Slamet ketua RW 02", PersonName("Slamet", "Pak", "ketua RW 02")),
    ],
)
def test_read_person(text: str, expected: PersonName) -> None:
    assert read_person(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "12345",
        "Budi 08123456789",
        "tidak mau",
        "gak mau kasih nama",
        "rahasia",
        "anonim saja",
        "ga usah",
        "-",
        "saya mau lapor",
        "saya warga kebraon",
        "jalan mawar",
        "budi sakit hati sama petugasnya",
        "saya mau lapor jalan rusak di depan rumah saya pak",
        "",
    ],
)
def test_not_a_name(text: str) -> None:
    assert read_person(text) is None


def _person(text: str) -> tuple[dict[str, str | None], str] | None:
    found = person.extract(normalize_with_map(text))
    return (found[0].value, found[0].text) if found else None


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("nama saya Sulastri, mau lapor lampu mati", {"name": "Sulastri", "title": None, "role": None}, "Sulastri"),
        (
            "saya Bu Sulastri dari RT 5, mau lapor sampah numpuk",
            {"name": "Sulastri", "title": "Bu", "role": None},
            "Bu Sulastri",
        ),
        ("perkenalkan saya Rudi, jalan depan rumah rusak", {"name": "Rudi", "title": None, "role": None}, "Rudi"),
        ("dengan Andi di sini, mau tanya soal KTP", {"name": "Andi", "title": None, "role": None}, "Andi"),
        (
            "saya Pak Slamet ketua RW 02, mau lapor got mampet",
            {"name": "Slamet", "title": "Pak", "role": "ketua RW 02"},
            "Pak Slamet",
        ),
    ],
)
def test_person_in_a_message(text: str, value: dict[str, str | None], span: str) -> None:
    assert _person(text) == (value, span)


@pytest.mark.parametrize(
    "text",
    [
        "saya mau lapor jalan rusak",
        "jalan rusak dengan lubang besar di sini",
        "saya warga Kebraon mau lapor",
        "saya ibu rumah tangga mau lapor",
        "saya ibu hamil mau periksa",
        "Pak Budi petugas kelurahan minta uang",  # no cue: the officer, not the reporter
        "nama saya jalan mawar",
    ],
)
def test_no_person_without_a_cue(text: str) -> None:
    assert _person(text) is None


def test_parse_and_parse_name_on_the_nlu(nlu: RuleNlu) -> None:
    assert isinstance(nlu, Understanding)
    assert nlu.parse_name("saya Bu Sulastri") == PersonName("Sulastri", "Bu")
    parse = nlu.parse("saya Bu Sulastri dari Jl. Mawar no 5, mau lapor lampu mati", NOW)
    found = parse.entity("person")
    assert found is not None and found.value == {"name": "Sulastri", "title": "Bu", "role": None}
    assert parse.entity("place_detail") is not None

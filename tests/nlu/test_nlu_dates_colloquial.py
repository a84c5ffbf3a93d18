"""Colloquial and regional dates, and problems said to be ongoing (issue 14)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from nlu.entities import date as dates
from nlu.normalize import normalize_with_map

TZ = ZoneInfo("Asia/Jakarta")
MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)  # a Monday
EVENING = datetime(2026, 11, 23, 20, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("semalem", date(2026, 11, 22)),
        ("semalam", date(2026, 11, 22)),
        ("tadi malam", date(2026, 11, 22)),
        ("tadi pagi", date(2026, 11, 23)),
        ("tadi subuh", date(2026, 11, 23)),
        ("tadi siang", date(2026, 11, 23)),
        ("tadi sore", date(2026, 11, 23)),
        ("kemarin lusa", date(2026, 11, 21)),
        ("kemarinnya lusa", date(2026, 11, 21)),
        ("minggu kemarin", date(2026, 11, 16)),
        ("minggu lalu", date(2026, 11, 16)),
        ("pekan lalu", date(2026, 11, 16)),
        ("bulan lalu", date(2026, 10, 23)),
        ("bulan kemarin", date(2026, 10, 23)),
        ("awal bulan", date(2026, 11, 1)),
        ("awal bulan lalu", date(2026, 10, 1)),
        ("akhir bulan lalu", date(2026, 10, 31)),
        ("wingi", date(2026, 11, 22)),
        ("wingi sore", date(2026, 11, 22)),
        ("rong dino kepungkur", date(2026, 11, 21)),
        ("rong minggu kepungkur", date(2026, 11, 9)),
        ("telung dino kepungkur", date(2026, 11, 20)),
        ("sewulan kepungkur", date(2026, 10, 23)),
        ("kamari", date(2026, 11, 22)),
        ("kamari sore", date(2026, 11, 22)),
        ("dua minggu ka tukang", date(2026, 11, 9)),
        ("tilu poe ka tukang", date(2026, 11, 20)),
        ("kmrn", date(2026, 11, 22)),
        ("kmren", date(2026, 11, 22)),
        ("2mgg lalu", date(2026, 11, 9)),
        ("3hr yg lalu", date(2026, 11, 20)),
        ("seminggu yg lalu", date(2026, 11, 16)),
    ],
)
def test_colloquial_answers_to_kapan(text: str, expected: date) -> None:
    assert dates.parse_date(text, MORNING, TZ) == dates.DateResult(expected, None)


@pytest.mark.parametrize("text", ["semalem", "semalam", "tadi malam"])
def test_last_night_said_in_the_evening_is_the_same_day(text: str) -> None:
    assert dates.parse_date(text, EVENING, TZ).value == date(2026, 11, 23)


def test_awal_bulan_early_in_the_month_is_last_month() -> None:
    second = datetime(2026, 12, 2, 9, 0, tzinfo=TZ)
    assert dates.parse_date("awal bulan", second, TZ).value == date(2026, 11, 1)


def test_regional_words_inside_a_message_keep_their_span() -> None:
    text = "lampu PJU mati wingi sore, rong dino kepungkur ya mati juga"
    found = dates.extract(normalize_with_map(text), MORNING, TZ)
    assert [(e.type, e.value, e.text) for e in found] == [
        ("date", date(2026, 11, 22), "wingi sore"),
        ("date", date(2026, 11, 21), "rong dino kepungkur"),
    ]


def _ongoing(text: str) -> tuple[int, str] | None:
    found = dates.extract(normalize_with_map(text), MORNING, TZ)
    lasting = [e for e in found if e.type == "ongoing"]
    assert len(lasting) <= 1
    return (lasting[0].value, lasting[0].text) if lasting else None


def _first_date(text: str) -> date | None:
    found = dates.extract(normalize_with_map(text), MORNING, TZ)
    return next((e.value for e in found if e.type == "date"), None)


@pytest.mark.parametrize(
    ("text", "days", "span", "start"),
    [
        ("sampahnya sudah 2 bulan tidak diangkut", 61, "sudah 2 bulan", date(2026, 9, 23)),
        ("udah 2 minggu gini terus", 14, "udah 2 minggu", date(2026, 11, 9)),
        ("sejak bulan lalu belum diperbaiki", 31, "sejak bulan lalu", date(2026, 10, 23)),
        ("lampunya dari kemarin mati terus", 1, "dari kemarin", date(2026, 11, 22)),
        ("kemarin air mati, sampai sekarang masih", 1, "kemarin air mati, sampai sekarang", date(2026, 11, 22)),
        ("sampah 2 minggu belum diangkut", 14, "2 minggu", date(2026, 11, 9)),
        ("air PDAM mati sejak tanggal 20 november", 3, "sejak tanggal 20 november", date(2026, 11, 20)),
        ("hampir sebulan belum diperbaiki", 31, "hampir sebulan", date(2026, 10, 23)),
    ],
)
def test_ongoing_problems(text: str, days: int, span: str, start: date) -> None:
    assert _ongoing(text) == (days, span)
    assert _first_date(text) == start  # the date entity stays: when it started


@pytest.mark.parametrize(
    "text",
    [
        "saya sudah lapor 2 minggu lalu",
        "jalan rusak, kemarin ada pengendara jatuh",
        "tadi pagi lampu mati",
        "sampah menumpuk sampai sekarang",  # no start given: nothing to count from
    ],
)
def test_not_ongoing(text: str) -> None:
    assert _ongoing(text) is None


def test_parse_date_ignores_the_ongoing_entity() -> None:
    assert dates.parse_date("sudah 3 hari", MORNING, TZ) == dates.DateResult(date(2026, 11, 20), None)

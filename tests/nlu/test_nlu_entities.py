"""Entities: tracking codes, dates, phone numbers, NIK, money, agencies."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from complaints import tracking
from nlu import RuleNlu, parse_date, parse_phone
from nlu.entities import agency, money, nik, phone, tracking_code
from nlu.entities import date as dates
from nlu.normalize import normalize_with_map

TZ = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=TZ)  # a Sunday
CODE = tracking.generate(random.Random(42))


@pytest.fixture(scope="module")
def nlu() -> RuleNlu:
    return RuleNlu(region_scope="35.78")


# --- tracking codes ------------------------------------------------------------------


@pytest.mark.parametrize("typed", [CODE, CODE.lower(), CODE.replace("-", " "), CODE[4:], CODE[4:].replace("-", "")])
def test_tracking_code_in_any_spelling(typed: str) -> None:
    text = f"tolong cek {typed} ya"
    [found] = tracking_code.extract(text)
    assert found.type == "tracking_code"
    assert found.value == CODE
    assert text[found.start : found.end] == found.text == typed


def test_mistyped_tracking_code_is_flagged_with_its_problem() -> None:
    wrong_last = CODE[:-1] + ("2" if CODE[-1] != "2" else "3")
    [found] = tracking_code.extract(f"cek {wrong_last}")
    assert found.type == "tracking_code_invalid"
    assert found.value == {"typed": wrong_last, "problem": "checksum"}
    [found] = tracking_code.extract("status LPR-1O23-AB")
    assert found.type == "tracking_code_invalid"
    assert found.value["problem"] == "character"


@pytest.mark.parametrize("text", ["jalan bolong 2 minggu", "bayar 200000", "blok a5 rt 03", "sdn 3 kebraon", "3x ke kelurahan"])
def test_ordinary_words_and_numbers_are_not_codes(text: str) -> None:
    assert tracking_code.extract(text) == []


# --- dates ---------------------------------------------------------------------------


def _dates(text: str) -> list[tuple[str, date, str]]:
    found = dates.extract(normalize_with_map(text), NOW, TZ)
    return [(e.type, e.value, e.text) for e in found if e.type != "ongoing"]  # ongoing: test_nlu_dates_colloquial


@pytest.mark.parametrize(
    ("text", "expected", "surface"),
    [
        ("kemarin", date(2026, 11, 21), "kemarin"),
        ("kmrn ada yg jatuh", date(2026, 11, 21), "kmrn"),
        ("kemarin lusa", date(2026, 11, 20), "kemarin lusa"),
        ("tadi pagi", date(2026, 11, 22), "tadi pagi"),
        ("tadi malam", date(2026, 11, 21), "tadi malam"),
        ("hari ini", date(2026, 11, 22), "hari ini"),
        ("2 minggu lalu", date(2026, 11, 8), "2 minggu lalu"),
        ("dua minggu yang lalu", date(2026, 11, 8), "dua minggu yang lalu"),
        ("seminggu", date(2026, 11, 15), "seminggu"),
        ("sudah sebulan lebih", date(2026, 10, 22), "sudah sebulan"),
        ("sejak bulan lalu", date(2026, 10, 22), "bulan lalu"),
        ("minggu lalu", date(2026, 11, 15), "minggu lalu"),
        ("udah 3 hari", date(2026, 11, 19), "udah 3 hari"),
        ("bolong 2-3 minggu", date(2026, 11, 1), "2-3 minggu"),
        ("tgl 5 maret", date(2026, 3, 5), "tgl 5 maret"),
        ("tanggal 5 maret 2025", date(2025, 3, 5), "tanggal 5 maret 2025"),
        ("5 agt 2026", date(2026, 8, 5), "5 agt 2026"),
        ("tanggal 20 desember", date(2025, 12, 20), "tanggal 20 desember"),  # latest past one
        ("tgl 5", date(2026, 11, 5), "tgl 5"),
        ("tgl 30", date(2026, 10, 30), "tgl 30"),
        ("senin kemarin", date(2026, 11, 16), "senin kemarin"),
        ("jumat kmrn", date(2026, 11, 20), "jumat kmrn"),
        ("hari minggu kemarin", date(2026, 11, 15), "hari minggu kemarin"),
        ("12/10/2026", date(2026, 10, 12), "12/10/2026"),
        ("12-10-26", date(2026, 10, 12), "12-10-26"),
        ("sejak awal oktober", date(2026, 10, 1), "awal oktober"),
    ],
)
def test_date(text: str, expected: date, surface: str) -> None:
    assert _dates(text) == [("date", expected, surface)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("besok", date(2026, 11, 23)),
        ("lusa", date(2026, 11, 24)),
        ("tgl 25 november", date(2026, 11, 25)),  # within 14 days ahead: a slip, ask again
        ("31/12/2026", date(2026, 12, 31)),
        ("minggu depan", date(2026, 11, 29)),
    ],
)
def test_future_dates_are_reported_as_date_future(text: str, expected: date) -> None:
    [(kind, value, _)] = _dates(text)
    assert kind == "date_future"
    assert value == expected


@pytest.mark.parametrize(
    "text",
    ["dalam 14 hari kerja", "tiap 2 minggu sekali", "Rp 1.500.000", "0812-3456-7890", "rt 03/rw 02", "sdn 3", "31/02/2026"],
)
def test_not_dates(text: str) -> None:
    assert _dates(text) == []


def test_several_dates_in_text_order_with_original_spans() -> None:
    text = "jalan bolong udah 2 mgg, kmrn ada yg jatuh"
    found = dates.extract(normalize_with_map(text), NOW, TZ)
    assert [(e.value, text[e.start : e.end]) for e in found] == [
        (date(2026, 11, 8), "udah 2 mgg"),
        (14, "udah 2 mgg"),  # the "ongoing" entity: two weeks and counting
        (date(2026, 11, 21), "kmrn"),
    ]


def test_today_is_taken_in_the_given_time_zone() -> None:
    late_utc = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)  # 03:00 on the 22nd in Jakarta
    assert dates.extract(normalize_with_map("kemarin"), late_utc, TZ)[0].value == date(2026, 11, 21)
    assert dates.extract(normalize_with_map("kemarin"), late_utc, ZoneInfo("UTC"))[0].value == date(2026, 11, 20)


@pytest.mark.parametrize(
    ("answer", "value", "problem"),
    [
        ("kemarin", date(2026, 11, 21), None),
        ("2 hari yang lalu", date(2026, 11, 20), None),
        ("senin", date(2026, 11, 16), None),
        ("3 oktober", date(2026, 10, 3), None),
        ("besok", date(2026, 11, 23), "future"),
        ("31 desember 2026", date(2026, 12, 31), "future"),
        ("pas hari raya", None, "unparsed"),
        ("ga tau", None, "unparsed"),
    ],
)
def test_parse_date_for_a_single_answer(nlu: RuleNlu, answer: str, value: date | None, problem: str | None) -> None:
    result = parse_date(answer, NOW, TZ)
    assert (result.value, result.problem) == (value, problem)
    assert nlu.parse_date(answer, NOW, TZ) == result


def test_parse_marks_future_dates_in_a_message(nlu: RuleNlu) -> None:
    parse = nlu.parse("katanya diperbaiki besok, tapi kejadiannya kemarin", NOW)
    assert parse.entity("date").value == date(2026, 11, 21)
    assert parse.entity("date_future").value == date(2026, 11, 23)


# --- phone ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("hub sy di 0812-3456-7890 ya", "+6281234567890"),
        ("wa +62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("telp (031) 8281234", "+62318281234"),
        ("no hp 08123456789, makasih", "+628123456789"),
    ],
)
def test_phone(text: str, e164: str) -> None:
    [found] = phone.extract(text)
    assert found.value == e164
    assert text[found.start : found.end] == found.text
    assert parse_phone(text) == e164


@pytest.mark.parametrize("text", ["bayar Rp 1.500.000", "nik 3578015203900001", "12/10/2026", "rt 03 rw 02", "0812"])
def test_not_phone(text: str) -> None:
    assert phone.extract(text) == []
    assert parse_phone(text) is None


# --- NIK -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["NIK saya 3578015203900001", "nik: 3578 0152 0390 0001", "3578014506850002 (istri)"],  # 45 = woman born on the 5th
)
def test_nik(text: str) -> None:
    [found] = nik.extract(text)
    assert found.type == "nik"
    assert len(found.value) == 16 and found.value.isdigit()
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize(
    "digits",
    [
        "9978015203900001",  # no such province
        "3578013203900001",  # day 32
        "3578017503900001",  # day 75
        "3578011513900001",  # month 13
        "3578011503900000",  # serial 0000
    ],
)
def test_implausible_nik(digits: str) -> None:
    [found] = nik.extract(f"nik {digits}")
    assert found.type == "nik_invalid"
    assert not nik.is_plausible(digits)


def test_nik_is_not_taken_for_a_phone_number(nlu: RuleNlu) -> None:
    parse = nlu.parse("NIK saya 3578015203900001 hp 081234567890", NOW)
    assert [e.type for e in parse.entities if e.type in ("nik", "phone", "date", "money")] == ["nik", "phone"]


# --- money ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rupiah"),
    [
        ("asal bayar 200rb", 200_000),
        ("Rp 300.000", 300_000),
        ("Rp. 1.500.000,-", 1_500_000),
        ("3 juta", 3_000_000),
        ("1,5jt", 1_500_000),
        ("1.5 jt", 1_500_000),
        ("rp1,5 juta", 1_500_000),
        ("200k", 200_000),
        ("bayar 150.000 ke petugas", 150_000),
        ("dimintai goceng", 5_000),
        ("rp 50000", 50_000),
    ],
)
def test_money(text: str, rupiah: int) -> None:
    [found] = money.extract(text)
    assert found.value == rupiah
    assert isinstance(found.value, int)
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize("text", ["5 km dari sini", "tahun 2026", "rt 03", "3x ke kelurahan"])
def test_not_money(text: str) -> None:
    assert money.extract(text) == []


# --- agencies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("sudah ke Disdukcapil 2x", "Dinas Kependudukan dan Pencatatan Sipil"),
        ("air PDAM mati", "PDAM"),
        ("listrik pln padam", "PLN"),
        ("antre di puskesmas", "Puskesmas"),
        ("ditolak RSUD", "RSUD"),
        ("di rs swasta", "Rumah Sakit"),
        ("ke kelurahan buat ktp", "Kelurahan"),
        ("kantor kecamatan tutup", "Kecamatan"),
        ("satpol pp diam saja", "Satpol PP"),
        ("sudah lapor dishub", "Dinas Perhubungan"),
        ("truk DLH tidak datang", "Dinas Lingkungan Hidup"),
        ("dinas pu belum memperbaiki", "Dinas Pekerjaan Umum"),
        ("dinsos belum verifikasi", "Dinas Sosial"),
        ("dinkes tidak fogging", "Dinas Kesehatan"),
        ("SMPN 12 menahan ijazah", "SMP"),
        ("kartu bpjs saya nonaktif", "BPJS Kesehatan"),
        ("antrean samsat panjang", "Samsat"),
    ],
)
def test_agency(text: str, name: str) -> None:
    found = agency.extract(normalize_with_map(text))
    assert found and found[0].value == name
    assert text[found[0].start : found[0].end] == found[0].text

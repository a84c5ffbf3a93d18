"""Places: the Kemendagri gazetteer (scoped to Kota Surabaya) and free-text detail."""

from __future__ import annotations

import csv
import gzip
import io
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nlu import Gazetteer, RuleNlu
from nlu.entities import place
from nlu.normalize import normalize_with_map
from nlu.regions import DATA_FILE

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
SURABAYA = "35.78"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load(SURABAYA)


@pytest.fixture(scope="module")
def nlu() -> RuleNlu:
    return RuleNlu(region_scope=SURABAYA)


# --- the data file -------------------------------------------------------------------


def test_shipped_region_file_and_notice() -> None:
    with gzip.open(DATA_FILE, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["code", "name", "level", "parent_code"]
    levels = {row[2] for row in rows[1:]}
    assert levels == {"provinsi", "kabupaten_kota", "kecamatan", "kelurahan", "desa"}
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["35.78.01.1002"] == ["35.78.01.1002", "Kebraon", "kelurahan", "35.78.01"]
    assert by_code["11.01.01.2001"][2] == "desa"
    assert len(rows) - 1 > 90_000
    notice = (DATA_FILE.parent / "NOTICE.md").read_text(encoding="utf-8")
    assert "Copyright (c) 2017-2025 Cahya DSN" in notice
    assert "MIT License" in notice and "github.com/cahyadsn/wilayah" in notice


def test_build_script_reproduces_the_file(tmp_path: Path) -> None:
    from nlu.data.regions import build

    if not (build.DEFAULT_SOURCE / "wilayah_desa_kelurahan.csv").exists():
        pytest.skip("shared/data is not next to this checkout")
    out = tmp_path / "wilayah.csv.gz"
    build.build(build.DEFAULT_SOURCE, out)
    assert out.read_bytes() == DATA_FILE.read_bytes()


def test_scoped_load_is_fast_and_cached() -> None:
    Gazetteer._cache.pop("35.73", None)  # Kota Malang: not loaded by other tests
    started = time.perf_counter()
    malang = Gazetteer.load("35.73")
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5
    assert Gazetteer.load("35.73") is malang
    assert all(code == "35.73" or code.startswith("35.73.") or code == "35" for code in malang.regions)


def test_bad_scope_is_refused() -> None:
    with pytest.raises(ValueError):
        Gazetteer.load("surabaya")
    with pytest.raises(ValueError):
        Gazetteer.load("99.99")


# --- resolving names -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "level"),
    [
        ("Kebraon", "35.78.01.1002", "kelurahan"),
        ("kebraon", "35.78.01.1002", "kelurahan"),
        ("kel kebraon", "35.78.01.1002", "kelurahan"),
        ("kec wonokromo", "35.78.04", "kecamatan"),
        ("kecamatan Wonokromo", "35.78.04", "kecamatan"),
        ("wonokromo", "35.78.04.1001", "kelurahan"),  # village level preferred over the kecamatan
        ("kel wonokromo", "35.78.04.1001", "kelurahan"),
        ("karangpilang", "35.78.01.1001", "kelurahan"),  # written without its space
        ("kec karang pilang", "35.78.01", "kecamatan"),
        ("dr soetomo", "35.78.05.1002", "kelurahan"),
        ("Lidah Kulon", "35.78.18.1004", "kelurahan"),
        ("penjaringan sari", "35.78.03.1004", "kelurahan"),
        ("surabaya", "35.78", "kabupaten_kota"),
    ],
)
def test_resolve(gazetteer: Gazetteer, text: str, code: str, level: str) -> None:
    match = gazetteer.resolve(text)
    assert match is not None
    assert (match.code, match.level) == (code, level)


def test_resolve_gives_the_full_path(gazetteer: Gazetteer) -> None:
    match = gazetteer.resolve("Kebraon")
    assert match.path == "Kebraon, Karang Pilang, Kota Surabaya, Jawa Timur"
    assert match.as_value() == {
        "code": "35.78.01.1002",
        "name": "Kebraon",
        "level": "kelurahan",
        "path": "Kebraon, Karang Pilang, Kota Surabaya, Jawa Timur",
    }


@pytest.mark.parametrize(("typo", "code"), [("kel kebroan", "35.78.01.1002"), ("kebrahon", "35.78.01.1002"), ("kec wonokromno", "35.78.04")])
def test_small_typos_are_tolerated(gazetteer: Gazetteer, typo: str, code: str) -> None:
    match = gazetteer.resolve(typo)
    assert match is not None and match.code == code
    assert match.confidence < 1.0


@pytest.mark.parametrize("text", ["kel mojp", "jalan rusak", "di depan rumah", "ga tau", "kel xyzabc", "sekolah"])
def test_no_guess_for_short_names_or_ordinary_words(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.resolve(text) is None


def test_the_parent_named_alongside_disambiguates(gazetteer: Gazetteer) -> None:
    # two kelurahan Wonorejo in Surabaya: in Rungkut and in Tegalsari
    assert gazetteer.resolve("wonorejo").ambiguous
    match = gazetteer.resolve("wonorejo, tegalsari")
    assert match.code.startswith("35.78.05.") and match.name == "Wonorejo"
    match = gazetteer.resolve("Kebraon Karang Pilang")
    assert match.code == "35.78.01.1002"


def test_scope_limits_matches() -> None:
    bandung = Gazetteer.load("32.73")  # Kota Bandung has no Kebraon
    assert bandung.resolve("kebraon") is None


def test_unscoped_gazetteer_finds_regions_anywhere() -> None:
    everywhere = Gazetteer.load(None)
    match = everywhere.resolve("kel kebraon")
    assert match is not None and match.code == "35.78.01.1002"


def test_place_in_free_text_spans_the_original(nlu: RuleNlu) -> None:
    text = "pak jalan depan SDN 3 Kebraon bolong gede udah 2 minggu"
    found = nlu.parse(text, NOW).entity("place")
    assert found is not None
    assert found.value["code"] == "35.78.01.1002"
    assert text[found.start : found.end] == found.text == "Kebraon"


def test_place_after_cue_words(nlu: RuleNlu) -> None:
    parse = nlu.parse("sampah menumpuk di kel. Jagir sudah seminggu", NOW)
    assert parse.entity("place").value["name"] == "Jagir"
    assert all(e.value != "Kelurahan" for e in parse.entities_of("agency"))  # "kel." names the area here
    parse = nlu.parse("air pdam mati 3 hari di kec wonokromo", NOW)
    assert parse.entity("place").value["level"] == "kecamatan"


def test_resolve_place_on_the_nlu(nlu: RuleNlu) -> None:
    assert nlu.resolve_place("kebraon").code == "35.78.01.1002"
    assert nlu.resolve_place("tidak tahu") is None


# --- free-text detail ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("lampu di jl. Mawar no 5 mati", "jl. Mawar no 5"),
        ("Jalan Raya Menganti No. 12 ambles", "Jalan Raya Menganti No. 12"),
        ("gg 5 banjir", "gg 5"),
        ("rt 03 rw 02 gelap", "rt 03 rw 02"),
        ("RT.03/RW.02", "RT.03/RW.02"),
        ("jalan depan SD bolong", "depan SD"),
        ("banjir dekat pasar kedurus sudah 3 hari", "dekat pasar kedurus"),
        ("sampah numpuk di belakang balai rw", "belakang balai rw"),
        ("blok C3 atapnya bocor", "blok C3"),
        ("jl. Mawar no 5 rt 03 rw 02, depan masjid", "jl. Mawar no 5, rt 03 rw 02, depan masjid"),
    ],
)
def test_place_detail(text: str, detail: str) -> None:
    [found] = place.extract_detail(normalize_with_map(text))
    assert found.type == "place_detail"
    assert found.value == detail
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize("text", ["jalan depan rumah bolong", "jalan rusak parah", "sudah lapor ke kelurahan"])
def test_no_detail_in_plain_road_words(text: str) -> None:
    assert place.extract_detail(normalize_with_map(text)) == []


def test_parse_reports_detail_as_a_string(nlu: RuleNlu) -> None:
    parse = nlu.parse("lampu pju di jl. Mawar no 5 rt 03 rw 02 kel kebraon mati", NOW)
    detail = parse.entity("place_detail")
    assert str(detail.value) == "jl. Mawar no 5, rt 03 rw 02"
    assert parse.entity("place").value["path"] == "Kebraon, Karang Pilang, Kota Surabaya, Jawa Timur"


def test_reading_the_data_file_twice_is_not_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    Gazetteer.load(SURABAYA)
    monkeypatch.setattr(gzip, "open", lambda *a, **k: io.StringIO(""))  # would break a reload
    assert Gazetteer.load(SURABAYA).resolve("kebraon") is not None


# --- named landmarks (issue 14) ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("SMPN 12 Surabaya", "SMPN 12 Surabaya"),
        ("SDN Kebraon 1", "SDN Kebraon 1"),
        ("depan Pasar Wonokromo", "depan Pasar Wonokromo"),
        ("belakang Masjid Al-Akbar", "belakang Masjid Al-Akbar"),
        ("RSUD dr. Soetomo", "RSUD dr. Soetomo"),
        ("Jl. Ahmad Yani no 5", "Jl. Ahmad Yani no 5"),
        ("Gg. 5", "Gg. 5"),
        ("perumahan Citraland blok B", "perumahan Citraland, blok B"),
        ("atap kelas SDN Kebraon 1 bocor", "SDN Kebraon 1"),
        ("antrean di RSUD dr. Soetomo lama sekali", "RSUD dr. Soetomo"),
    ],
)
def test_named_landmarks_are_detail(text: str, detail: str) -> None:
    [found] = place.extract_detail(normalize_with_map(text))
    assert found.value == detail
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize("text", ["sampah di pasar menumpuk", "sekolah rusak", "masjid kotor", "rumah sakit penuh"])
def test_no_landmark_without_a_name(text: str) -> None:
    assert place.extract_detail(normalize_with_map(text)) == []


@pytest.mark.parametrize(
    ("text", "detail", "kelurahan"),
    [
        ("SDN Kebraon 1 kelurahan Kebraon", "SDN Kebraon 1", "Kebraon"),
        ("lampu mati depan Pasar Wonokromo", "depan Pasar Wonokromo", "Wonokromo"),
        ("banjir di Gg. 5 kel Kebraon", "Gg. 5", "Kebraon"),
    ],
)
def test_landmark_and_kelurahan_together(nlu: RuleNlu, text: str, detail: str, kelurahan: str) -> None:
    parse = nlu.parse(text, NOW)
    assert parse.entity("place_detail").value == detail
    assert parse.entity("place").value["name"] == kelurahan


def test_regency_is_filled_for_every_match(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("kebraon").regency == "Kota Surabaya"
    assert gazetteer.resolve("kecamatan karang pilang").regency == "Kota Surabaya"


# --- places outside the deployment's region (issue 14) -------------------------------


@pytest.mark.parametrize(
    ("text", "name", "level", "regency"),
    [
        ("Waru", "Waru", "kecamatan", "Kabupaten Sidoarjo"),
        ("di Sidoarjo", "Kabupaten Sidoarjo", "kabupaten_kota", "Kabupaten Sidoarjo"),
        ("Gresik", "Kabupaten Gresik", "kabupaten_kota", "Kabupaten Gresik"),
        ("kec. Taman", "Taman", "kecamatan", "Kabupaten Sidoarjo"),
        ("desa Waru", "Waru", "desa", "Kabupaten Sidoarjo"),
        ("kelurahan Sidokare", "Sidokare", "kelurahan", "Kabupaten Sidoarjo"),
        ("Kota Malang", "Kota Malang", "kabupaten_kota", "Kota Malang"),
        ("Bangil", "Bangil", "kecamatan", "Kabupaten Pasuruan"),
    ],
)
def test_resolve_outside(nlu: RuleNlu, text: str, name: str, level: str, regency: str) -> None:
    found = nlu.resolve_outside(text)
    assert found is not None
    assert (found.name, found.level, found.regency) == (name, level, regency)


@pytest.mark.parametrize(
    "text", ["Kebraon", "kebraon", "Karang Pilang", "sekolah", "Pasar", "taman", "jalan rusak", "Jawa Timur", "jl. Gresik"]
)
def test_nothing_outside(nlu: RuleNlu, text: str) -> None:
    assert nlu.resolve_outside(text) is None


def test_unscoped_nlu_has_no_outside() -> None:
    assert RuleNlu(region_scope=None, model=None).resolve_outside("Waru") is None


def test_place_outside_entity_only_without_an_inside_place(nlu: RuleNlu) -> None:
    parse = nlu.parse("jalan di Waru rusak parah sudah sebulan", NOW)
    found = parse.entity("place_outside")
    assert found is not None and found.text == "Waru"
    assert found.value["regency"] == "Kabupaten Sidoarjo" and found.value["level"] == "kecamatan"
    assert parse.entity("place") is None
    assert nlu.parse("lampu mati di kebraon", NOW).entity("place_outside") is None
    assert nlu.parse("banjir di depan rumah", NOW).entity("place_outside") is None
    assert nlu.parse("jalan rusak di jl. Gresik", NOW).entity("place_outside") is None


def test_the_wider_gazetteer_is_not_read_for_plain_messages(nlu: RuleNlu, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> Gazetteer:
        raise AssertionError("the province gazetteer was consulted")

    nlu.parse("lampu mati di kebraon", NOW)  # the scoped gazetteer is loaded first
    monkeypatch.setattr(RuleNlu, "_wider_gazetteer", refuse)
    for text in ("sampah belum diangkut sudah seminggu", "lampu mati di kebraon", "banjir di depan rumah"):
        nlu.parse(text, NOW)


def test_outside_lookup_is_cheap(nlu: RuleNlu) -> None:
    nlu.parse("jalan di Waru rusak", NOW)  # loads the province gazetteer once
    start = time.perf_counter()
    for _ in range(50):
        nlu.resolve_outside("di Waru dekat pasar")
    assert (time.perf_counter() - start) / 50 < 0.01

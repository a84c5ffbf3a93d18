"""RuleNlu end to end: the Parse it returns, its JSON form, the protocol, speed."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from complaints.taxonomy import Category, Maladministration, ReportType, Weight
from nlu import Entity, Parse, RuleNlu, Understanding

TZ = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=TZ)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def nlu() -> RuleNlu:
    return RuleNlu(region_scope="35.78")


def test_rule_nlu_satisfies_the_protocol(nlu: RuleNlu) -> None:
    assert isinstance(nlu, Understanding)


def test_the_design_example(nlu: RuleNlu) -> None:
    text = "pak jalan depan SDN 3 Kebraon bolong gede udah 2 minggu, kmrn ada yg jatuh motor"
    parse = nlu.parse(text, NOW)
    assert parse.text == text
    assert parse.intent == "new_complaint"
    assert parse.category is Category.JALAN
    assert parse.weight is Weight.BERAT  # someone fell
    assert parse.report_type is ReportType.PENGADUAN
    assert parse.entity("place").value["name"] == "Kebraon"
    assert [e.value for e in parse.entities_of("date")] == [date(2026, 11, 8), date(2026, 11, 21)]
    assert parse.entity("place_detail").value == "depan SDN 3 Kebraon"
    assert parse.entity("phone") is None
    for found in parse.entities:
        assert text[found.start : found.end] == found.text


def test_the_brief_example(nlu: RuleNlu) -> None:
    parse = nlu.parse(
        "sy sdh 3x ke kelurahan buat ktp tp disuruh balik trs, katanya blangko habis, "
        "tp tetangga bisa asal bayar 200rb",
        NOW,
    )
    assert parse.category is Category.ADMINDUK
    assert parse.weight is Weight.BERAT
    assert parse.maladministration is Maladministration.PERMINTAAN_IMBALAN
    assert parse.entity("money").value == 200_000
    assert parse.entity("agency").value == "Kelurahan"


def test_to_dict_is_json_ready(nlu: RuleNlu) -> None:
    parse = nlu.parse("lampu pju di jl. Mawar no 5 kel kebraon mati sejak senin kemarin, hub 0812-3456-7890", NOW)
    data = json.loads(json.dumps(parse.to_dict()))
    assert data["intent"] == "new_complaint"
    assert data["category"] == "penerangan"
    assert data["report_type"] == "pengaduan"
    assert data["weight"] == "sedang"
    assert data["maladministration"] is None
    assert data["category_ranking"][0][0] == "penerangan"
    by_type = {e["type"]: e for e in data["entities"]}
    assert by_type["date"]["value"] == "2026-11-16"
    assert by_type["phone"]["value"] == "+6281234567890"
    assert by_type["place"]["value"]["code"] == "35.78.01.1002"
    assert set(data) >= {
        "text", "normalized", "intent", "intent_confidence", "entities", "category", "category_confidence",
        "category_ranking", "report_type", "weight", "maladministration",
    }


def test_parse_and_entity_are_frozen(nlu: RuleNlu) -> None:
    parse = nlu.parse("halo", NOW)
    with pytest.raises(AttributeError):
        parse.intent = "cancel"  # type: ignore[misc]
    found = Entity("money", 5000, "goceng", 0, 6)
    with pytest.raises(AttributeError):
        found.value = 1  # type: ignore[misc]
    assert isinstance(parse, Parse) and isinstance(parse.entities, tuple)


def test_entity_helpers() -> None:
    parse = Parse(
        text="x", normalized="x", intent="chitchat", intent_confidence=0.5,
        entities=(Entity("date", date(2026, 1, 1), "a", 0, 1), Entity("date", date(2026, 1, 2), "b", 2, 3)),
    )
    assert parse.entity("date").text == "a"
    assert [e.text for e in parse.entities_of("date")] == ["a", "b"]
    assert parse.entity("phone") is None and parse.entities_of("phone") == ()


@pytest.mark.parametrize(
    "junk",
    ["", " ", "\x00\x01\x02", "🙏🙏🙏", "?" * 50, "a" * 10_000, "0" * 40, "LPR-" * 20, "\u202e\u200b jalan"],
)
def test_junk_never_crashes(nlu: RuleNlu, junk: str) -> None:
    parse = nlu.parse(junk, NOW)
    # "greeting": folded hands alone are a greeting (or thanks) in an Indonesian chat
    assert parse.intent in {"chitchat", "new_complaint", "check_status", "cancel", "deny", "affirm", "greeting"}
    json.dumps(parse.to_dict())


def test_naive_now_is_read_in_the_nlu_time_zone() -> None:
    nlu = RuleNlu(region_scope="35.78", tz=ZoneInfo("Asia/Jayapura"))
    parse = nlu.parse("kemarin", datetime(2026, 11, 22, 1, 0))
    assert parse.entity("date").value == date(2026, 11, 21)


def test_imports_and_loading_are_lazy() -> None:
    script = (
        "import sys\n"
        "from datetime import datetime\nfrom zoneinfo import ZoneInfo\n"
        "import nlu\n"
        "n = nlu.RuleNlu('35.78')\n"
        "assert 'dateparser' not in sys.modules and n._gazetteer is None\n"
        "n.parse('jalan depan SD bolong udah 2 minggu', datetime(2026, 11, 22, tzinfo=ZoneInfo('Asia/Jakarta')))\n"
        "assert 'dateparser' not in sys.modules, 'dateparser imported without an absolute date'\n"
        "g = n._gazetteer\n"
        "n.parse('tgl 5 maret di kebraon', datetime(2026, 11, 22, tzinfo=ZoneInfo('Asia/Jakarta')))\n"
        "assert 'dateparser' not in sys.modules, 'dateparser imported for a date the rules read'\n"
        "assert n._gazetteer is g\n"
        "n.parse_date('pas lebaran', datetime(2026, 11, 22, tzinfo=ZoneInfo('Asia/Jakarta')))\n"
        "assert 'dateparser' in sys.modules, 'an answer the rules cannot read goes to dateparser'\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)


def test_parse_is_fast(nlu: RuleNlu) -> None:
    messages = [
        "pak jalan depan SDN 3 Kebraon bolong gede udah 2 minggu, kmrn ada yg jatuh motor",
        "sy sdh 3x ke kelurahan buat ktp tp disuruh balik trs, katanya blangko habis, tp tetangga bisa asal bayar 200rb",
        "lampu pju di jl. Mawar no 5 rt 03 rw 02 kel kebraon mati sejak senin kemarin",
        "cek LPR-7KQ3-MN",
        "makasih min",
        "kejadiannya tgl 5 maret 2026 di depan balai rw",
    ]
    for text in messages:
        nlu.parse(text, NOW)  # warm up (dateparser's first call is slow)
    count = 600
    started = time.perf_counter()
    for i in range(count):
        nlu.parse(messages[i % len(messages)], NOW)
    rate = count / (time.perf_counter() - started)
    assert rate > 500, f"{rate:.0f} messages/s"

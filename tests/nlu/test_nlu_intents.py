"""One intent per message, by rule."""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from complaints import tracking
from nlu import RuleNlu
from nlu import intents as I

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
CODE = tracking.generate(random.Random(7))


@pytest.fixture(scope="module")
def nlu() -> RuleNlu:
    return RuleNlu(region_scope="35.78")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # cancel
        ("batal", I.CANCEL),
        ("gak jadi deh", I.CANCEL),
        ("cancel", I.CANCEL),
        ("batalkan laporan tadi", I.CANCEL),
        ("/batal", I.CANCEL),
        # check status
        (f"cek {CODE}", I.CHECK_STATUS),
        (CODE.lower().replace("-", " "), I.CHECK_STATUS),
        ("status laporan", I.CHECK_STATUS),
        ("lacak", I.CHECK_STATUS),
        ("cek dong min", I.CHECK_STATUS),
        ("cek LPR-7KQ3-M8", I.CHECK_STATUS),  # mistyped code: still a status request
        # an address that happens to pass the code check (LPR-GANG-24) is not a code
        ("mau lapor pak, lampu jalan di depan gang 24 mati sudah seminggu", I.NEW_COMPLAINT),
        # add info
        (f"{CODE} mau tambah foto", I.ADD_INFO),
        ("mau menambahkan keterangan buat laporan kemarin", I.ADD_INFO),
        # my complaints
        ("laporan saya", I.MY_COMPLAINTS),
        ("daftar laporan", I.MY_COMPLAINTS),
        ("cek laporan saya dong", I.MY_COMPLAINTS),
        ("/laporan", I.MY_COMPLAINTS),
        # help
        ("bantuan", I.HELP),
        ("help", I.HELP),
        ("menu", I.HELP),
        ("/help", I.HELP),
        ("gimana cara lapor?", I.HELP),
        # greeting
        ("halo", I.GREETING),
        ("hi min", I.GREETING),
        ("selamat pagi pak", I.GREETING),
        ("assalamualaikum", I.GREETING),
        ("/start", I.GREETING),
        # thanks
        ("makasih ya", I.THANKS),
        ("terima kasih banyak pak", I.THANKS),
        ("trims min", I.THANKS),
        # affirm / deny
        ("ya", I.AFFIRM),
        ("iya betul", I.AFFIRM),
        ("ok", I.AFFIRM),
        ("benar", I.AFFIRM),
        ("tidak", I.DENY),
        ("bukan", I.DENY),
        ("nggak", I.DENY),
        ("ga", I.DENY),
        # new complaint
        ("mau lapor", I.NEW_COMPLAINT),
        ("mau mengadu pak", I.NEW_COMPLAINT),
        ("saya mau buat aduan", I.NEW_COMPLAINT),
        ("jalan depan rumah bolong", I.NEW_COMPLAINT),
        ("lampu jalan mati", I.NEW_COMPLAINT),
        ("ada pungli di kelurahan", I.NEW_COMPLAINT),
        ("di kecamatan saya tidak dilayani", I.NEW_COMPLAINT),
        ("selamat pagi, sampah di gang kami menumpuk sudah seminggu", I.NEW_COMPLAINT),
        ("pak jalan depan SDN 3 Kebraon bolong gede udah 2 minggu, kmrn ada yg jatuh motor", I.NEW_COMPLAINT),
        ("bantuan sosial ibu saya belum cair padahal sudah terdaftar dtks", I.NEW_COMPLAINT),
        ("jadwal vaksin di puskesmas dibatalkan terus tanpa pemberitahuan ke warga", I.NEW_COMPLAINT),
        # chitchat
        ("hahaha", I.CHITCHAT),
        ("siapa namamu?", I.CHITCHAT),
        ("", I.CHITCHAT),
    ],
)
def test_intent(nlu: RuleNlu, text: str, intent: str) -> None:
    parse = nlu.parse(text, NOW)
    assert parse.intent == intent, parse.normalized
    assert 0.0 < parse.intent_confidence <= 1.0


def test_intent_names_are_the_documented_set() -> None:
    assert {
        "new_complaint", "add_info", "check_status", "my_complaints", "cancel", "help",
        "greeting", "thanks", "affirm", "deny", "chitchat", "edit", "rate_satisfied", "rate_unsatisfied",
        "rate_score", "emergency", "goodbye", "question", "case_question", "correction", "unsure",
    } == I.ALL_INTENTS


def test_a_long_problem_description_is_a_complaint_without_the_word_lapor(nlu: RuleNlu) -> None:
    text = "tiap malam lampu di sepanjang gang kami gelap, warga takut lewat, sudah seminggu begitu"
    assert nlu.parse(text, NOW).intent == I.NEW_COMPLAINT

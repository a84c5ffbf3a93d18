"""Rules that pick one intent for a message (see nlu.intents for the names).

Short control messages ("batal", "cek LPR-...", "ya") win over everything; a message
that describes a problem is a new complaint even without the word "lapor".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import intents as I
from .keywords import compile_phrases

COMMANDS = {
    "/start": I.GREETING, "/mulai": I.GREETING, "/help": I.HELP, "/bantuan": I.HELP, "/menu": I.HELP,
    "/batal": I.CANCEL, "/cancel": I.CANCEL, "/status": I.CHECK_STATUS, "/cek": I.CHECK_STATUS,
    "/lacak": I.CHECK_STATUS, "/laporan": I.MY_COMPLAINTS, "/laporansaya": I.MY_COMPLAINTS,
    "/lapor": I.NEW_COMPLAINT, "/baru": I.NEW_COMPLAINT, "/tambah": I.ADD_INFO,
}
PHRASES: dict[str, list[str]] = {
    "cancel": ["batal", "batalkan", "tidak jadi", "cancel", "urungkan", "gajadi"],
    "status": ["cek", "cek status", "status", "lacak", "track", "tracking", "sampai mana", "sudah sampai mana",
               "perkembangan laporan", "progres", "progress", "kelanjutan laporan"],
    "mine": ["laporan saya", "laporanku", "daftar laporan", "aduan saya", "pengaduan saya", "riwayat laporan",
             "semua laporan", "laporan aku"],
    "help": ["bantuan", "help", "menu", "tolong bantu", "cara pakai", "cara lapor", "cara melapor", "panduan",
             "bisa apa", "bingung"],
    "greeting": ["halo", "hallo", "helo", "hai", "hi", "hey", "hei", "selamat pagi", "selamat siang",
                 "selamat sore", "selamat malam", "pagi", "siang", "sore", "malam", "assalamualaikum",
                 "asalamualaikum", "assalamu alaikum", "salam", "permisi", "punten", "met pagi", "start", "mulai",
                 "hello"],
    "thanks": ["terima kasih", "matur nuwun", "hatur nuhun", "thank*", "terimakasih"],
    "affirm": ["ya", "iya", "iyaa", "iyah", "y", "yes", "betul", "benar", "oke", "sip", "siap", "setuju",
               "boleh", "lanjut", "sudah benar", "tentu", "yoi", "yup", "kirim", "mantap"],
    "deny": ["tidak", "bukan", "no", "nope", "jangan", "salah", "belum", "tidak mau", "tidak usah"],
    "report": ["lapor", "melapor", "melaporkan", "laporkan", "mau lapor", "aduan", "mengadu", "mau mengadu",
               "pengaduan", "komplain", "keluhan", "mengeluh", "keluhkan", "mengeluhkan", "buat laporan",
               "laporan baru", "adukan", "mengadukan"],
    "add_info": ["tambah info", "tambahan info", "info tambahan", "informasi tambahan", "keterangan tambahan",
                 "tambah keterangan", "tambah foto", "tambah bukti", "tambah data", "foto tambahan",
                 "bukti tambahan", "data tambahan", "mau menambahkan", "ingin menambahkan", "susulan",
                 "update laporan", "lengkapi laporan", "melengkapi laporan"],
    # with a tracking code in the message, any of these means adding to that case
    "rate_unsatisfied": ["tidak puas", "kurang puas", "belum puas", "tidak memuaskan", "kurang memuaskan",
                         "kecewa", "kecewa berat", "sangat kecewa"],
    "rate_satisfied": ["puas", "sangat puas", "cukup puas", "memuaskan", "puas sekali"],
    "edit": ["ubah", "edit", "ganti", "koreksi", "perbaiki", "ralat", "revisi", "ubah data", "mau ubah", "mau ganti",
             "mau koreksi", "mau revisi"],
    "add_info_with_code": ["tambah*", "menambah*", "lengkapi", "melengkapi", "susulan", "update", "kirim foto",
                           "kirim bukti", "foto", "bukti", "keterangan"],
}
SHORT = 6
RATING = 6  # rating answers are short ("ga puas, blm beres")
_SCORE = re.compile(
    r"^(?:(?:saya\s+)?(?:beri|kasih)\s+)?(?:nilai(?:nya)?|skor|rating|bintang)?\s*(?P<n>[1-4]|satu|dua|tiga|empat)"
    r"(?:\s+(?:dari\s+4|bintang))?(?:\s+(?:admin|ya|saja))?$"
)
SCORE_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4}


def rating_score(text: str) -> int | None:
    """The SKM score (1-4) in a short rating answer ("nilai 4", "3 dari 4", "kasih empat")."""
    match = _SCORE.match(text.strip(" .!"))
    if match is None or not any(ch.isalpha() for ch in text):
        return None  # a bare digit is a button press, not a rating
    raw = match.group("n")
    return int(raw) if raw.isdigit() else SCORE_WORDS[raw]


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {name: compile_phrases(words) for name, words in PHRASES.items()}


@dataclass(frozen=True)
class IntentSignals:
    """What the rest of the parser already knows about the message."""

    valid_code: bool = False
    invalid_code: bool = False
    problem: bool = False  # problem words (rusak, bolong, pungli, tidak dilayani, ...)
    category_score: float = 0.0  # keyword evidence of the best category
    question: bool = False  # a question or suggestion about a service (report type not pengaduan)


def detect(text: str, signals: IntentSignals) -> tuple[str, float]:
    """(intent, confidence) for a normalised message."""
    p = _patterns()
    words = text.split()
    n = len(words)
    if n == 0:
        return I.CHITCHAT, 0.3
    if words[0].startswith("/"):
        command = COMMANDS.get(words[0].split("@")[0])
        if command is not None:
            return command, 1.0

    def found(name: str) -> bool:
        return p[name].search(text) is not None

    def starts(name: str) -> bool:
        match = p[name].search(text)
        return match is not None and match.start() == 0

    if found("cancel") and (n <= SHORT or starts("cancel")):
        return I.CANCEL, 0.9
    if signals.valid_code:
        if found("add_info") or found("add_info_with_code"):
            return I.ADD_INFO, 0.85
        return I.CHECK_STATUS, 0.95
    if signals.invalid_code and (found("status") or n <= 4):
        return I.CHECK_STATUS, 0.7
    if n <= RATING and not signals.valid_code:
        if found("rate_unsatisfied"):
            return I.RATE_UNSATISFIED, 0.85
        if found("rate_satisfied") and not found("status"):
            return I.RATE_SATISFIED, 0.85
        if rating_score(text) is not None:
            return I.RATE_SCORE, 0.85
    if n <= 3 and starts("edit"):
        return I.EDIT, 0.85
    if found("mine") and n <= 8:
        return I.MY_COMPLAINTS, 0.85
    if found("status") and (n <= SHORT or starts("status")) and not signals.problem:
        return I.CHECK_STATUS, 0.8
    if found("add_info"):
        return I.ADD_INFO, 0.75
    if found("help") and n <= 5 and signals.category_score < 2:
        return I.HELP, 0.85
    if found("report"):
        return I.NEW_COMPLAINT, 0.9
    if signals.problem:
        return I.NEW_COMPLAINT, 0.8
    if signals.category_score >= 2 and (n >= SHORT or signals.question):
        return I.NEW_COMPLAINT, 0.6
    if n <= 4 and starts("affirm"):
        return I.AFFIRM, 0.85
    if n <= 4 and starts("deny"):
        return I.DENY, 0.85
    if found("thanks") and n <= 8:
        return I.THANKS, 0.9
    if starts("greeting") and n <= SHORT or found("greeting") and n <= 3:
        return I.GREETING, 0.9
    if signals.category_score >= 3 and n >= 3:
        return I.NEW_COMPLAINT, 0.55
    return I.CHITCHAT, 0.5

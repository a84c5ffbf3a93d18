"""Rules that pick one intent for a message (see nlu.intents for the names).

Short control messages ("batal", "cek LPR-...", "ya") win over everything; a message
that describes a problem is a new complaint even without the word "lapor".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from . import intents as I
from .keywords import PhraseList

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
    "thanks": ["terima kasih", "matur nuwun", "hatur nuhun", "thank*", "terimakasih", "nuhun", "tengkyu",
               "maturnuwun", "makasi*", "suwun", "trimakasih", "alhamdulillah"],
    "goodbye": ["dadah", "dada", "bye", "bye bye", "babay", "sampai jumpa", "sampai ketemu", "sudah dulu",
                "sudah itu saja", "itu saja", "sudah cukup", "cukup", "cukup sekian", "sekian", "pamit", "see you",
                "wassalam*", "selamat tinggal", "sudah ya", "sudah dulu ya"],
    "affirm": ["ya", "iya", "iyaa", "iyah", "y", "yes", "betul", "benar", "oke", "sip", "siap", "setuju",
               "boleh", "lanjut", "sudah benar", "tentu", "yoi", "yup", "kirim", "mantap"],
    "deny": ["tidak", "bukan", "no", "nope", "jangan", "salah", "belum", "tidak mau", "tidak usah"],
    "report": ["lapor", "melapor", "melaporkan", "laporkan", "mau lapor", "aduan", "mengadu", "mau mengadu",
               "pengaduan", "komplain", "keluhan", "mengeluh", "keluhkan", "mengeluhkan", "buat laporan",
               "laporan baru", "adukan", "mengadukan"],
    "add_info": ["tambah info", "tambahan info", "info tambahan", "informasi tambahan", "keterangan tambahan",
                 "tambah keterangan", "tambah foto", "tambah bukti", "tambah data", "foto tambahan",
                 "bukti tambahan", "data tambahan", "mau menambahkan", "ingin menambahkan", "laporan susulan",
                 "info susulan", "keterangan susulan", "foto susulan", "data susulan",
                 "update laporan", "lengkapi laporan", "melengkapi laporan"],
    # with a tracking code in the message, any of these means adding to that case
    "rate_unsatisfied": ["tidak puas", "kurang puas", "belum puas", "tidak memuaskan", "kurang memuaskan",
                         "kecewa", "kecewa berat", "sangat kecewa", "belum beres", "tidak beres", "masih belum beres"],
    "rate_satisfied": ["puas", "sangat puas", "cukup puas", "memuaskan", "puas sekali", "puas banget",
                       "alhamdulillah sudah beres", "alhamdulillah beres", "alhamdulillah sudah selesai",
                       "alhamdulillah sudah diperbaiki", "sudah beres"],
    # a longer message that opens with one of these is a rating with its reason
    "rate_unsatisfied_long": ["tidak puas", "kurang puas", "belum puas", "kecewa", "belum beres", "tidak beres",
                              "masih belum beres", "tidak memuaskan", "kurang memuaskan", "sangat kecewa"],
    "rate_satisfied_long": ["puas", "sangat puas", "puas banget", "puas sekali", "cukup puas", "mantap",
                            "mantul", "alhamdulillah", "sudah beres", "memuaskan", "alhamdulillah sudah beres",
                            "alhamdulillah beres", "alhamdulillah sudah selesai", "alhamdulillah sudah diperbaiki"],
    "followup": ["masih", "belum", "sudah", "tetap", "cepat", "ditangani", "diperbaiki", "beres", "selesai",
                 "sama saja", "terima kasih", "tidak ada perubahan", "lagi", "respon*", "tanggap", "sigap",
                 "lambat", "lama"],
    # more ways of saying something is wrong (slang, Javanese, Sundanese) on top of classify.PROBLEM
    "problem_extra": ["buntu", "ruksak", "ruksak pisan", "mambu", "peteng", "ora metu", "ora mili", "teu ngocor",
                      "teu hurung", "pareum", "jebol", "nyumbat", "ora didandani", "durung dibenahi", "terlalu keras",
                      "berisik", "tidak nyala", "mati total", "ngelupas", "mengelupas", "pudar", "miring", "karatan",
                      "goyang", "retak*", "rawan", "resah", "meresahkan", "mangkrak", "error", "dipotong", "ditahan",
                      "dicoret", "ditarik biaya", "semrawut", "kacau", "menutup saluran", "menutupi", "luber",
                      "meluber", "bau busuk", "busuk", "nyengat", "menyengat", "penuh"],
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
def _patterns() -> dict[str, PhraseList]:
    return {name: PhraseList(words) for name, words in PHRASES.items()}


# --- small talk ---------------------------------------------------------------------------
# (value, pattern on the normalised text at the start of the message): how to return the salam
SALAM: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("islam", re.compile(
        r"(?:as+a?lam+u?\s*'?\s*[ao]?\s*l[ae]i?kum\w*|as+alam\w*|salamualaikum|askum|aslm\w*|aslkm|"
        r"ass?\s*wr\.?\s*wb|ass\b|samlekom|mikum|asw\b)"
    )),
    ("om_swastiastu", re.compile(r"om\s+swastiastu|swastiastu")),
    ("salam_sejahtera", re.compile(r"salam\s+sejahtera")),
    ("kulonuwun", re.compile(r"kul[ao]\s*nuwun")),
    ("punten", re.compile(r"punten")),
    ("permisi", re.compile(r"permisi")),
    ("pagi", re.compile(r"(?:selamat\s+|met\s+|slmt\s+)?pagi\b")),
    ("siang", re.compile(r"(?:selamat\s+|met\s+|slmt\s+)?siang\b")),
    ("sore", re.compile(r"(?:selamat\s+|met\s+|slmt\s+)?sore\b")),
    ("malam", re.compile(r"(?:selamat\s+|met\s+|slmt\s+)?mala?m\b")),
    ("halo", re.compile(r"(?:hal+o|hel+o|hai|hi|hey|hei|hello|salam)\b")),
)
# calling out without saying anything yet: "P", "min", "tolong pak", "tes"
CALLOUTS = frozenset({
    "p", "pp", "ppp", "admin", "kak", "kakak", "gan", "agan", "bapak", "ibu", "mas", "mbak", "bos", "om", "sis",
    "test", "tes", "testing", "tolong", "halo", "hai", "hi", "permisi", "punten", "min", "ping", "woi", "oi",
})
_LEADING_SMALL_TALK = re.compile(r"(?:wah|waduh|aduh|hmm+|eh|oh|ya|iya)\W*\s+")


@lru_cache(maxsize=64)  # asked twice of each message
def salam(text: str) -> tuple[str, int, int] | None:
    """How to return the greeting a normalised message opens with: (value, start, end)."""
    for value, pattern in SALAM:
        match = pattern.match(text)
        if match is not None:
            return value, match.start(), match.end()
    words = text.split()
    if words and all(w.strip(".,!?") in CALLOUTS for w in words) or _callout(text):
        return "halo", 0, len(text)
    return None


def _callout(text: str) -> bool:
    words = [w.strip(".,!?~") for w in text.split()]
    if words and all(w in CALLOUTS for w in words) and len(words) <= 3:
        return True
    symbols = [ch for ch in text if not ch.isspace()]
    # one or two emoji ("🙏", "👋😊"); a longer row of them is noise
    return 0 < len(symbols) <= 2 and not any(ch.isalnum() or ch.isascii() for ch in symbols)


# --- questions ------------------------------------------------------------------------------
_ASKS = PhraseList([
    "berapa", "jam berapa", "apa saja", "apakah", "di mana", "bagaimana", "kapan", "bisakah",
    "bolehkah", "bisa tidak", "boleh tidak", "apa bisa", "syarat*", "persyaratan", "prosedur", "mau tanya",
    "ingin tanya", "numpang tanya", "tanya dong", "mohon info*", "minta info*", "info dong", "mau nanya",
    "bertanya", "ada tidak", "jam buka", "buka jam", "mana saja", "sebelah mana",
])
_INFO_TOPIC = PhraseList([
    "jam", "buka", "tutup", "alamat", "lokasi", "syarat*", "biaya", "gratis", "bayar", "nomor", "kontak",
    "jadwal", "kantor", "layanan", "pelayanan", "petugas", "laporan", "dokumen", "berkas", "online",
])
_ASKS_WHY = PhraseList(["kenapa", "mengapa", "kok", "apa sebab", "apa alasan*", "alasan*"])
# words of a grievance: a question that carries one is a complaint ("urus surat pindah kok ribet")
_GRIPE = PhraseList([
    "ribet", "susah", "sulit", "dipersulit", "berbelit*", "mahal", "tidak jelas", "kecewa", "parah", "capek",
    "lelah", "ditindak*", "tidak becus", "lelet", "lambat", "lama banget", "lama sekali", "kelamaan",
    "bolak-balik", "bolak balik", "padahal", "katanya gratis", "disuruh", "dimintai", "diminta", "kenapa", "kok",
    "mengapa", "masa", "masak", "sudah lama", "terus", "selalu", "tiap", "setiap", "tolong",
])
_CASE_REF = re.compile(r"(?<![a-z])(?:laporan|aduan|pengaduan|tiket|keluhan)(?:ku|nya)?(?![a-z])")
_CASE_STATE = PhraseList([
    "ditolak", "ditutup", "dialihkan", "dilimpahkan", "diteruskan", "dipindah*", "dikembalikan", "dibatalkan",
    "diselesaikan", "selesai", "belum ada jawaban", "belum dijawab", "tidak dijawab", "belum dibalas",
    "tidak dibalas", "belum ada tanggapan", "belum ditanggapi", "tidak ditanggapi", "tidak diproses",
    "belum diproses", "belum ada kabar", "tidak ada kabar", "belum ada respon*", "tidak ada respon*",
    "belum ada tindak lanjut", "tidak valid", "digabung*", "tidak ditindaklanjuti", "belum ditindaklanjuti",
    "diarsipkan", "statusnya", "dianggap selesai", "ditandai selesai",
])
# "laporan saya soal jalan berlubang kemarin gimana kabarnya?": about their report, whatever its topic
_MY_CASE = re.compile(r"(?<![a-z])(?:laporan|aduan|pengaduan|keluhan)\s*(?:saya|ku|aku|kami)(?![a-z])")
_PROGRESS = PhraseList([
    "kabarnya", "gimana kabar*", "bagaimana kabar*", "sampai mana", "sudah sampai mana", "perkembangan*",
    "progres*", "kelanjutan*", "tindak lanjutnya", "sudah diproses", "sudah ditangani",
])
_PENDING = re.compile(r"(?<![a-z])(?:belum|tidak)\s+(?:di[a-z]{3,}|ada\s+(?!biaya))")


def question_shaped(text: str) -> bool:
    """Asks something: a question word, or a question mark after three words or an
    information topic ("jam buka?"); "siapa namamu?" is chatter."""
    if _ASKS.search(text) is not None:
        return True
    return text.rstrip().endswith("?") and (len(text.split()) >= 3 or _INFO_TOPIC.search(text) is not None)


def _general(text: str) -> bool:
    """A question for information, not a grievance in question form."""
    return question_shaped(text) and _GRIPE.search(text) is None and _PENDING.search(text) is None


# --- ratings --------------------------------------------------------------------------------
_FILLER = r"(?:lah|banget|sekali|deh|sih|ya|dong|kok|nih|bapak|ibu|admin|kak|mas|mbak|pak|bu|min|terima\s+kasih)"
_REASON_EDGE = re.compile(rf"^(?:\W+|{_FILLER}(?![a-z]))+")
_REASON_TAIL = re.compile(rf"(?:\W+|(?<![a-z]){_FILLER})+$")
_ABOUT_A_SERVICE = re.compile(r"\s*(?:dengan|dgn|sama|atas|terhadap|pada|kepada)\b")


def rating_reason(text: str) -> tuple[int, int] | None:
    """The span of the reason after the rating phrase a normalised message opens with."""
    p = _patterns()
    opening = p["rate_unsatisfied_long"].pattern.match(text) or p["rate_satisfied_long"].pattern.match(text)
    if opening is None:
        return None
    start = opening.end()
    edge = _REASON_EDGE.match(text[start:])
    while edge is not None and edge.end() > 0:
        start += edge.end()
        edge = _REASON_EDGE.match(text[start:])
    tail = _REASON_TAIL.search(text, start)
    end = tail.start() if tail is not None else len(text)
    return (start, end) if end - start >= 3 else None


@dataclass(frozen=True)
class IntentSignals:
    """What the rest of the parser already knows about the message."""

    valid_code: bool = False
    invalid_code: bool = False
    problem: bool = False  # problem words (rusak, bolong, pungli, tidak dilayani, ...)
    category_score: float = 0.0  # keyword evidence of the best category
    question: bool = False  # a question or suggestion about a service (report type not pengaduan)
    emergency: bool = False  # nlu.entities.emergency found lives at risk now
    correction: bool = False  # nlu.entities.correction found a correction the message opens with
    aspiration: bool = False  # a suggestion or request for something new (report type aspirasi)
    problem_words: bool = False  # problem words alone (``problem`` also counts maladministration)


@lru_cache(maxsize=256)  # the same message with the same findings: the same intent
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

    matches: dict[str, re.Match[str] | None] = {}  # each list searched at most once

    def search(name: str) -> re.Match[str] | None:
        if name not in matches:
            matches[name] = p[name].search(text)
        return matches[name]

    def found(name: str) -> bool:
        return search(name) is not None

    def starts(name: str) -> bool:
        match = search(name)
        return match is not None and match.start() == 0

    if found("cancel") and (n <= SHORT or starts("cancel")):
        return I.CANCEL, 0.9
    if signals.emergency:
        return I.EMERGENCY, 0.9
    if signals.valid_code:
        if found("add_info") or found("add_info_with_code"):
            return I.ADD_INFO, 0.85
        return I.CHECK_STATUS, 0.95
    if signals.invalid_code and (found("status") or n <= 4):
        return I.CHECK_STATUS, 0.7
    if signals.correction:
        return I.CORRECTION, 0.85
    if _ADD_INFO_OPENING.match(text):
        return I.ADD_INFO, 0.85
    rating = _rating(text, n, found, starts)
    if rating is not None:
        return rating, 0.85
    if n <= 3 and starts("edit"):
        return I.EDIT, 0.85
    if _case_question(text, n, signals):
        return I.CASE_QUESTION, 0.8
    if found("mine") and n <= 8:
        return I.MY_COMPLAINTS, 0.85
    if found("status") and n <= SHORT and not signals.problem:
        return I.CHECK_STATUS, 0.8
    if found("add_info"):
        return I.ADD_INFO, 0.75
    if found("help") and n <= 5 and signals.category_score < 2:
        return I.HELP, 0.85
    if found("report") and _asks_about_reporting(text, signals):
        return I.HELP, 0.8
    if found("report"):
        return I.NEW_COMPLAINT, 0.9
    if _general_question(text, signals):
        return I.QUESTION, 0.75
    if signals.problem:
        return I.NEW_COMPLAINT, 0.8
    if found("problem_extra") and n >= 2:
        return I.NEW_COMPLAINT, 0.7
    if _general(text) and not signals.aspiration:
        return I.QUESTION, 0.75
    if signals.category_score >= 2 and (n >= SHORT or signals.question):
        return I.NEW_COMPLAINT, 0.6
    if n <= 4 and starts("affirm"):
        return I.AFFIRM, 0.85
    if n <= 4 and starts("deny"):
        return I.DENY, 0.85
    if found("goodbye") and n <= 8 and (starts("goodbye") or found("thanks")):
        return I.GOODBYE, 0.85
    if found("thanks") and n <= 8:
        return I.THANKS, 0.9
    if starts("greeting") and n <= SHORT or found("greeting") and n <= 3 or _callout(text):
        return I.GREETING, 0.9
    if salam(text) is not None and n <= SHORT:
        return I.GREETING, 0.85
    if signals.category_score >= 3 and n >= 3:
        return I.NEW_COMPLAINT, 0.55
    return I.CHITCHAT, 0.5


_ADD_INFO_OPENING = re.compile(
    r"(?:(?:oh|o|eh|oiya|iya|ya|maaf|bapak|ibu|admin)\W*\s*)*(?:ada\s+|mau\s+|ini\s+)?"
    r"(?:tambahan|menambahkan|nambahin|tambah(?:in)?\s+(?:lagi|info|keterangan)|satu\s+lagi|lupa\s+bilang)\b"
)


def _rating(text: str, n: int, found: Callable[[str], bool], starts: Callable[[str], bool]) -> str | None:
    """A rating of the work done: short ("ga puas"), or opening a longer message with its reason."""
    if n <= RATING:
        if found("rate_unsatisfied"):
            return I.RATE_UNSATISFIED
        if found("rate_satisfied") and not found("status"):
            return I.RATE_SATISFIED
        if rating_score(text) is not None:
            return I.RATE_SCORE
    p = _patterns()
    if n > 40:
        return None
    for name, intent in (("rate_unsatisfied_long", I.RATE_UNSATISFIED), ("rate_satisfied_long", I.RATE_SATISFIED)):
        opening = p[name].pattern.match(text)
        if opening is None or n < 2 or _ABOUT_A_SERVICE.match(text, opening.end()):
            continue
        if p["followup"].pattern.search(text, opening.end()) is not None:
            return intent
    return None


_PERSONAL = re.compile(r"(?<![a-z])(?:saya|aku|kami|kita|[a-z]+ku|anak|ibu|bapak|istri|suami)(?![a-z])")


def _asks_about_reporting(text: str, signals: IntentSignals) -> bool:
    """A question about the reporting itself ("bisa lapor soal apa aja?", "cara bikin aduan
    gmn"), with no problem in it: help, not a complaint."""
    return (
        question_shaped(text) and not signals.problem and not signals.emergency
        and signals.category_score < 2 and _GRIPE.search(text) is None
    )


def _general_question(text: str, signals: IntentSignals) -> bool:
    """An impersonal question without problem words ("berapa lama laporan diproses?"), even
    when the rules read an undue delay into it."""
    return (
        _general(text) and not signals.problem_words and not signals.aspiration and _PERSONAL.search(text) is None
    )


def _case_question(text: str, n: int, signals: IntentSignals) -> bool:
    """A question about the citizen's own report: "kok laporan saya ditolak?"."""
    asks = question_shaped(text) or _ASKS_WHY.search(text) is not None
    if asks and _MY_CASE.search(text) is not None and _PROGRESS.search(text) is not None and n <= 20:
        return True
    if not asks or _CASE_STATE.search(text) is None or n > 15:
        return False
    if _CASE_REF.search(text) is not None:
        return signals.category_score < 3
    return signals.category_score < 2 and n <= 8

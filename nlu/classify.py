"""Rule-based classification: category, report type, weight, maladministration.

Everything works on the normalised text (see ``nlu.normalize``) plus the entities
already found (a sum of money counts as evidence of extortion next to a free service).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

from complaints.taxonomy import Category, Maladministration, ReportType, Weight

from .keywords import KEYWORDS, PAIRS, PhraseList, compile_phrases
from .result import Entity

M = Maladministration
LONG_WAIT_DAYS = 30  # waiting a month or more for an administrative outcome is undue delay
TEXTS_REMEMBERED = 64  # texts whose keyword evidence is kept (one message is read several times)

# Services that cost the citizen nothing: money asked for them is extortion (pungli).
FREE_SERVICES = frozenset(
    {Category.ADMINDUK, Category.PELAYANAN_APARATUR, Category.PENDIDIKAN, Category.SOSIAL, Category.KESEHATAN}
)

DANGER = [
    "pohon tumbang", "tumbang", "kabel putus", "kabel menjuntai", "kabel terjuntai", "banjir*",
    "kebanjiran", "jatuh", "terjatuh", "kecelakaan", "korban", "luka*", "terluka", "meninggal",
    "tewas", "pasien ditolak", "ditolak rumah sakit", "kekerasan", "dipukul", "dianiaya",
    "pelecehan", "kebakaran", "terbakar", "korsleting", "tersengat", "kesetrum", "tersetrum",
    "longsor", "roboh", "ambruk", "ambrol", "tenggelam", "hanyut", "gawat darurat", "darurat",
    "bahaya", "berbahaya", "membahayakan", "keracunan", "demam berdarah", "dbd", "gizi buruk",
    "tawuran", "begal", "nyawa", "kritis", "sesak napas", "igd", "ugd",
]
VULNERABLE = [
    "anak", "anak-anak", "balita", "bayi", "lansia", "manula", "jompo", "disabilitas", "difabel",
    "tunanetra", "tuna netra", "tunarungu", "kursi roda", "ibu hamil", "hamil", "yatim", "nenek", "kakek",
]
EXTORTION = [
    "pungli", "pungutan liar", "pungutan", "suap", "sogok*", "uang pelicin", "pelicin", "uang rokok",
    "uang damai", "uang terima kasih", "minta uang", "meminta uang", "diminta uang", "dimintai uang",
    "dimintai", "minta imbalan", "imbalan", "asal bayar", "disuruh bayar", "harus bayar",
    "suruh bayar", "bayar dulu", "calo", "mahar",
]
PAYMENT = ["bayar*", "membayar", "dibayar", "biaya", "uang", "tarif"]

DELAY_STRONG = [
    "tidak ada kabar", "belum ada kabar", "tanpa kabar", "tidak ada kejelasan", "belum ada kejelasan",
    "digantung", "ditunda-tunda", "ditunda terus", "molor", "tidak ada tindak lanjut",
    "belum ditindaklanjuti", "tidak ditindaklanjuti", "tidak diproses", "belum diproses",
    "tidak ada respon", "tidak ada respons", "belum ada respon", "tidak direspon", "menunggu lama",
    "kelamaan", "belum ada jawaban", "tidak ada jawaban", "tidak dibalas", "belum dibalas",
]
DELAY_WEAK = ["lama", "lama sekali", "lama banget", "terlalu lama", "berbulan-bulan", "bertahun-tahun", "berminggu-minggu"]
PROCESS = [
    "belum jadi", "belum selesai", "belum keluar", "belum terbit", "belum cair", "masih diproses", "proses", "diproses",
    "mengurus", "urus", "pengajuan", "permohonan", "berkas", "menunggu", "laporan", "lapor", "melapor",
    "pengaduan", "mengajukan", "diajukan", "daftar", "mendaftar",
]
REFUSED = [
    "tidak dilayani", "tidak mau melayani", "tidak melayani", "tidak bisa dilayani", "ditolak", "menolak",
    "disuruh balik", "disuruh pulang", "disuruh kembali", "disuruh datang lagi", "dipingpong",
    "dilempar-lempar", "dioper-oper", "dioper", "tidak ditanggapi", "tidak digubris", "diabaikan",
    "dicuekin", "dicuekkan", "tidak ada petugas", "petugas tidak ada", "tidak ada di tempat",
    "kantor tutup", "tutup sebelum jam",
]
IMPROPER = [
    "kasar", "membentak", "dibentak", "bentak*", "memaki", "dimaki", "maki-maki", "menghina", "dihina",
    "marah-marah", "dimarahi", "tidak sopan", "judes", "ketus", "sinis", "merendahkan", "diusir",
    "mengusir", "diancam", "mengancam",
]
OTHER_MALADMIN: list[tuple[Maladministration, list[str]]] = [
    (M.DISKRIMINASI, ["diskriminasi", "didiskriminasi", "dibeda-bedakan", "dibedakan"]),
    (M.BERPIHAK, ["pilih kasih", "orang dalam", "didahulukan", "kenalannya didahulukan", "tidak adil"]),
    (M.KONFLIK_KEPENTINGAN, ["konflik kepentingan", "proyek keluarga", "nepotisme"]),
    (M.PENYALAHGUNAAN_WEWENANG, ["sewenang-wenang", "semena-mena", "penyalahgunaan wewenang", "menyalahgunakan"]),
    (M.PENYIMPANGAN_PROSEDUR, [
        "tidak sesuai prosedur", "tidak sesuai sop", "menyalahi prosedur", "di luar prosedur", "tanpa prosedur",
    ]),
    (M.TIDAK_KOMPETEN, [
        "tidak kompeten", "salah ketik", "salah input", "salah cetak", "data salah", "petugas tidak paham",
        "tidak mengerti prosedur", "tidak tahu prosedur",
    ]),
]

# asking how to get a service: a question even when the message mentions a problem
INFO_HOW = [
    "syarat*", "persyaratan", "cara*", "prosedur*", "apa saja", "harus bawa", "berkas apa", "dokumen apa",
]
INFO_STRONG = INFO_HOW + ["informasi", "info", "mau tanya", "ingin tanya", "bertanya", "tanya", "jadwal"]
QUESTION = ["bagaimana", "apakah", "berapa", "kapan", "di mana", "bisakah", "bolehkah", "apa bisa"]
ASPIRATION = [
    "usul*", "saran*", "aspirasi", "masukan", "mohon dibangun", "tolong dibangun", "minta dibangun",
    "perlu dibangun", "dibangunkan", "mohon diadakan", "tolong diadakan", "minta diadakan", "diadakan",
    "mohon dipasang", "tolong dipasang", "minta dipasang", "dipasangi", "mohon ditambah",
    "tolong ditambah", "ditambahkan", "sebaiknya", "alangkah baiknya", "harap disediakan",
    "mohon disediakan", "disediakan", "dibuatkan", "mohon dibuatkan", "berharap ada", "semoga ada",
    "perlu ada", "sebaiknya ada",
]
# Words that say something is wrong (also used by the intent rules).
PROBLEM = [
    "rusak*", "bolong*", "berlubang", "lubang*", "mati", "padam", "menumpuk", "banjir*", "macet*",
    "pungli", "tidak dilayani", "tersumbat", "mampet", "bocor*", "keruh", "tumbang", "putus",
    "ambrol", "longsor", "amblas", "ambles", "genangan", "tergenang", "bau", "bising", "kotor",
    "liar", "ditolak", "dipersulit", "berserakan", "belum cair", "tidak cair", "belum jadi",
    "tidak berfungsi", "tidak menyala", "kecelakaan", "jatuh", "roboh", "retak", "kumuh",
    "dibuang sembarangan", "minta uang", "diminta uang", "dimintai", "kasar", "membentak",
    "terlantar", "tidak diangkut", "belum diangkut", "tidak ada kabar", "tidak ditanggapi",
    "tidak diproses", "tidak mengalir", "tidak keluar", "mogok", "disuruh balik", "mengeluh",
    "keluhan", "parah", "hilang", "dicuri", "menghalangi", "mengganggu", "terganggu", "meresahkan",
    "tidak diperbaiki", "belum diperbaiki", "berantakan", "gelap", "membahayakan", "bahaya",
    "kebanjiran", "pungutan", "kecewa", "tidak sesuai", "lambat",
]


@lru_cache(maxsize=1)
def rule_vocabulary() -> frozenset[str]:
    """Every word in the rule lists above (for telling place names from vocabulary)."""
    lists = [DANGER, VULNERABLE, EXTORTION, PAYMENT, DELAY_STRONG, DELAY_WEAK, PROCESS, REFUSED, IMPROPER,
             INFO_STRONG, QUESTION, ASPIRATION, PROBLEM] + [words for _, words in OTHER_MALADMIN]
    return frozenset(w for words in lists for phrase in words for w in re.findall(r"[a-z]+", phrase))


def _matcher(phrases: list[str]) -> PhraseList:
    return PhraseList(phrases)


@cache
def _patterns() -> dict[str, PhraseList]:
    named = {
        "danger": DANGER, "vulnerable": VULNERABLE, "extortion": EXTORTION, "payment": PAYMENT,
        "delay_strong": DELAY_STRONG, "info_how": INFO_HOW, "delay_weak": DELAY_WEAK, "process": PROCESS, "refused": REFUSED,
        "improper": IMPROPER, "info": INFO_STRONG, "question": QUESTION, "aspiration": ASPIRATION,
        "problem": PROBLEM,
    }
    patterns = {name: _matcher(words) for name, words in named.items()}
    for kind, words in OTHER_MALADMIN:
        patterns[f"mal:{kind.value}"] = _matcher(words)
    return patterns


@cache
def _category_tables() -> tuple[re.Pattern[str], dict[str, list[tuple[Category, float]]], list[tuple[str, Category, float]]]:
    exact: dict[str, list[tuple[Category, float]]] = {}
    stems: list[tuple[str, Category, float]] = []
    for category, table in KEYWORDS.items():
        for phrase, weight in table.items():
            if phrase.endswith("*"):
                stems.append((phrase[:-1], category, weight))
            else:
                exact.setdefault(phrase, []).append((category, weight))
    stems.sort(key=lambda s: -len(s[0]))
    phrases = [p for table in KEYWORDS.values() for p in table]
    return compile_phrases(phrases), exact, stems


@cache
def _pair_patterns() -> dict[Category, tuple[PhraseList, PhraseList, float]]:
    return {c: (PhraseList(list(s)), PhraseList(list(t)), b) for c, (s, t, b) in PAIRS.items()}


def has(name: str, text: str) -> bool:
    """Some phrase of the list ``name`` is in ``text`` (answers remembered for the last texts:
    the parser and the classifier ask the same questions of one message)."""
    known = _answers(text)
    found = known.get(name)
    if found is None:
        found = known[name] = _patterns()[name].search(text) is not None
    return found


@lru_cache(maxsize=TEXTS_REMEMBERED)
def _answers(text: str) -> dict[str, bool]:
    return {}


@dataclass(frozen=True)
class Classification:
    category: Category | None
    confidence: float
    ranking: tuple[tuple[Category, float], ...]
    report_type: ReportType
    weight: Weight
    maladministration: Maladministration | None
    scores: dict[Category, float] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()


def category_scores(text: str) -> dict[Category, float]:
    """Keyword evidence per category (a new dict; the last texts' are remembered)."""
    return dict(_category_scores(text))


@lru_cache(maxsize=TEXTS_REMEMBERED)
def _category_scores(text: str) -> dict[Category, float]:
    pattern, exact, stems = _category_tables()
    scores: dict[Category, float] = {}
    for match in pattern.finditer(text):
        found = " ".join(match.group().split())
        entries = exact.get(found)
        if entries is None:
            entries = [(c, w) for stem, c, w in stems if found.startswith(stem)]
            if entries:
                longest = len(next(s for s, _, _ in stems if found.startswith(s)))
                entries = [(c, w) for s, c, w in stems if found.startswith(s) and len(s) == longest]
        for category, weight in entries:
            scores[category] = scores.get(category, 0.0) + weight
    for category, (subjects, states, bonus) in _pair_patterns().items():
        if subjects.search(text) and states.search(text):
            scores[category] = scores.get(category, 0.0) + bonus
    return scores


def _confidence(score: float, total: float) -> float:
    """Share of the evidence, damped when the evidence itself is thin."""
    return (score / total) * (1.0 - math.exp(-score / 2.0)) if total > 0 else 0.0


def classify(
    text: str, entities: Sequence[Entity] = (), today: date | None = None, topic_text: str | None = None
) -> Classification:
    """Classify a normalised message.

    ``today`` lets a long-past date count as a long wait; ``topic_text`` is the text with
    addresses and landmarks blanked ("depan SD", "kel Kebraon"): the category is read
    from it when it still has evidence, so a landmark does not pass for the topic.
    """
    scores = category_scores(topic_text) if topic_text is not None else {}
    if not scores:
        scores = category_scores(text)
    total = sum(scores.values())
    ordered = sorted(scores.items(), key=lambda kv: (-kv[1], list(Category).index(kv[0])))
    ranking = tuple((c, round(_confidence(s, total), 3)) for c, s in ordered[:3])
    category = ordered[0][0] if ordered else None
    confidence = ranking[0][1] if ranking else 0.0
    reasons: list[str] = []

    maladministration = _maladministration(text, category, entities, today, reasons)
    report_type = _report_type(text, maladministration, reasons)
    weight = _weight(text, category, report_type, maladministration, entities, reasons)
    return Classification(category, confidence, ranking, report_type, weight, maladministration, scores, tuple(reasons))


def _extortion(text: str, category: Category | None, entities: Sequence[Entity]) -> bool:
    if has("extortion", text):
        return True
    money = any(e.type == "money" for e in entities)
    in_free_service = category in FREE_SERVICES
    return in_free_service and (has("payment", text) or money) and (money or has("problem", text))


def _maladministration(
    text: str, category: Category | None, entities: Sequence[Entity], today: date | None, reasons: list[str]
) -> Maladministration | None:
    if _extortion(text, category, entities):
        reasons.append("maladministration: money asked for a service")
        return M.PERMINTAAN_IMBALAN
    if has("refused", text):
        reasons.append("maladministration: service refused")
        return M.TIDAK_MEMBERIKAN_PELAYANAN
    waited = today is not None and any(
        e.type == "date" and (today - e.value).days >= LONG_WAIT_DAYS for e in entities
    )
    process = has("process", text)
    if (
        has("delay_strong", text)
        or (waited and process)
        or (has("delay_weak", text) and (process or category in FREE_SERVICES | {Category.PERIZINAN}))
    ):
        reasons.append("maladministration: undue delay")
        return M.PENUNDAAN_BERLARUT
    if has("improper", text):
        reasons.append("maladministration: improper conduct")
        return M.TIDAK_PATUT
    for kind, _ in OTHER_MALADMIN:
        if has(f"mal:{kind.value}", text):
            reasons.append(f"maladministration: {kind.value}")
            return kind
    return None


def _report_type(text: str, maladministration: Maladministration | None, reasons: list[str]) -> ReportType:
    problem = has("problem", text) or maladministration is not None
    if has("info_how", text) and maladministration is None and not has("danger", text):
        reasons.append("report type: question about a procedure")
        return ReportType.PERMINTAAN_INFORMASI
    if has("aspiration", text) and not problem:
        reasons.append("report type: suggestion")
        return ReportType.ASPIRASI
    asks = has("info", text) or has("question", text) or (text.rstrip().endswith("?") and " apa " in f" {text} ")
    if asks and not problem:
        reasons.append("report type: question")
        return ReportType.PERMINTAAN_INFORMASI
    return ReportType.PENGADUAN


def _weight(
    text: str,
    category: Category | None,
    report_type: ReportType,
    maladministration: Maladministration | None,
    entities: Sequence[Entity],
    reasons: list[str],
) -> Weight:
    if has("danger", text.replace("jatuh tempo", "")):  # a bill falling due is no danger
        reasons.append("weight: danger to life, health or safety")
        return Weight.BERAT
    if has("vulnerable", text):
        reasons.append("weight: vulnerable person involved")
        return Weight.BERAT
    if maladministration is M.PERMINTAAN_IMBALAN:
        reasons.append("weight: extortion")
        return Weight.BERAT
    if report_type is not ReportType.PENGADUAN:
        return Weight.RINGAN
    return Weight.SEDANG

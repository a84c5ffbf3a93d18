"""How alike two complaint texts are: ``complaints.similarity.TextSimilarity`` for Indonesian.

The lookup (``complaints.similarity``) has already kept only open cases of the same category
at the same place (kelurahan, or 150 m). What is left to tell apart is the same problem at
the same spot from another problem on that street, or from the same kind of problem on
another street of the kelurahan. Each text is read (:func:`read`) into:

- **words**: normalised (``nlu.normalize``: slang, abbreviations), in a canonical form
  (``pju`` -> ``lampu``, ``pareum`` -> ``mati``; the stem of an inflected known word),
  function words dropped, each weighted by its rarity in the complaint texts the NLU is
  trained on (``nlu/data/model/similarity.json``, built by ``python -m nlu.similarity_weights``);
- **the place**: the names and numbers after place words (``gang melati 5``, ``rt 04``,
  ``depan sd 3``), landmarks (the musala, the market), and the words of the place detail
  the citizen gave (the text's short last line); Roman numbers are numbers (``Gg. Sukaluyu III``);
- **the kinds of problem** it names (``nlu/data/similarity/problems.yml``: a dead lamp, a flickering
  lamp, a lamp on by day, a missing lamp; a pothole, subsidence, a broken railing ...):
  what is wrong, and only when nothing is said of that, the thing it is wrong with.

Two texts are **not** the same problem when they contradict each other: both name kinds
of problem and none is shared; both name a place and share none of it; both number their
place (gang, RT, blok) and no number is shared. Otherwise they are, and the score ranks
them by how much they share (words, kinds, place). The rule was written on the team's
pairs (``nlu/data/similarity/pairs.yml``) and is measured on pairs written apart
(``benchmarks/duplicates/holdout.yml``): ``benchmarks/duplicates.py``.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .normalize import ABBREVIATIONS, normalize

MODEL_FILE = Path(__file__).parent / "data" / "model" / "similarity.json"
KINDS_FILE = Path(__file__).parent / "data" / "similarity" / "problems.yml"
PLACE_LINE_WORDS = 12  # a last line this short is the place detail the citizen gave
THRESHOLD = 0.5  # from here two texts are one problem: they do not contradict each other

_WORD = re.compile(r"[a-z]+|\d+")
_REPEATS = re.compile(r"([a-z])\1{2,}")  # bolonggg -> bolong (as nlu.normalize)
_REDUPLICATED = re.compile(r"(?<![a-z0-9])([a-z]{3,})2(?![a-z0-9])")  # anak2 -> anak anak
_APOSTROPHE = re.compile(r"(?<=[a-z])['\u2019\u2018`\u00b4](?=[a-z])")


def words_of(text: str) -> list[str]:
    """The words of a text as ``nlu.normalize`` spells them (lower case, repeats collapsed,
    reduplication written out, chat abbreviations expanded), without the map back to the
    original characters that normalize keeps: this runs over every candidate of a lookup."""
    text = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).lower()
    text = _REDUPLICATED.sub(r"\1 \1", _REPEATS.sub(r"\1", _APOSTROPHE.sub("", text)))
    found = []
    for word in _WORD.findall(text):
        expanded = ABBREVIATIONS.get(word)
        if expanded is None:
            found.append(word)
        else:
            found.extend(expanded.split())
    return found
# function words, greetings, politeness, time and intensity: nothing about the problem or place
STOP = frozenset("""
yang di ke dari dan atau sudah telah sejak selama sampai hingga lagi masih juga saja banget sangat
sekali ini itu tersebut ada adalah pada untuk dengan karena tapi tetapi namun jadi kalau agar supaya
bapak ibu mas mbak admin kak saya aku kami kita kamu anda mereka dia beliau warga
mohon tolong minta harap segera cepat dong ya yah deh sih kok lah nih tuh kan pun mau ingin bisa
dapat akan sedang belum pernah sering selalu terus melulu tiap setiap semua banyak sedikit
hari minggu bulan tahun jam pagi siang sore malam kemarin tadi sekarang baru lama seminggu sebulan
selamat assalamualaikum salam terima kasih izin melaporkan lapor laporan laporkan mengadu aduan
keluhan info informasi bantuannya bantu ditindaklanjuti tindak lanjut diperbaiki perbaiki
gimana bagaimana kenapa mengapa kapan berapa apa siapa mana sini situ sana nya pas udah makasih
punten nuhun hatur sugeng nyuwun sewu suwun tulung matur nuwun wis ora iku kono ning neng ing teh mah
sudah lalu dua tiga satu empat lima pak bu min
""".split())
# words that introduce a place: what follows names it (they name nothing themselves)
MARKERS = frozenset("""
jalan gang lorong rt rw blok no nomor perum perumahan komplek kompleks komp kampung dusun desa
depan dekat samping belakang sebelah seberang pinggir ujung arah sekitar
""".split())
# landmarks: they introduce a place and are part of it (the musala, the market)
LANDMARKS = frozenset("""
pertigaan perempatan simpang tikungan masjid musala gereja sekolah pasar puskesmas pos kantor balai
lapangan taman jembatan terminal stasiun halte spbu warung toko ruko jpo makam gardu gapura tanjakan
turunan pangkalan minimarket sungai tps
""".split())
PLACE_WORDS = MARKERS | LANDMARKS
# the same thing however it is written (Indonesian, Javanese, Sundanese, Betawi, slang)
CANON = {
    "pju": "lampu", "penerangan": "lampu", "lampune": "lampu", "bohlam": "lampu", "pjuu": "lampu",
    "padam": "mati", "pareum": "mati", "mateni": "mati", "byarpet": "kedip", "kedap": "kedip",
    "menyala": "nyala", "idup": "nyala", "hidup": "nyala", "urip": "nyala", "murup": "nyala", "hurung": "nyala",
    "peteng": "gelap", "poek": "gelap", "gulita": "gelap",
    "bolong": "lubang", "berlubang": "lubang", "lobang": "lubang", "kubangan": "lubang", "growong": "lubang",
    "ambles": "amblas", "ambrol": "amblas", "turun": "amblas", "anjlok": "amblas", "longsor": "amblas",
    "mampet": "sumbat", "tersumbat": "sumbat", "buntu": "sumbat", "mampat": "sumbat",
    "got": "saluran", "selokan": "saluran", "solokan": "saluran", "drainase": "saluran", "parit": "saluran",
    "gorong": "saluran", "kali": "sungai", "kalen": "saluran",
    "numpuk": "tumpuk", "menumpuk": "tumpuk", "menggunung": "tumpuk", "bertumpuk": "tumpuk", "tumpukan": "tumpuk",
    "tergenang": "genang", "genangan": "genang", "menggenang": "genang", "banjir": "genang", "meluap": "genang",
    "hancur": "rusak", "jebol": "rusak", "ruksak": "rusak", "rusak": "rusak", "bobrok": "rusak",
    "tumbang": "roboh", "rubuh": "roboh", "ambruk": "roboh", "rebah": "roboh",
    "pdam": "air", "keran": "air", "kran": "air", "cai": "air", "banyu": "air",
    "rembes": "bocor", "merembes": "bocor", "busuk": "bau", "menyengat": "bau", "pesing": "bau",
    "berisik": "bising", "ribut": "bising", "gaduh": "bising", "brisik": "bising",
    "pkl": "pedagang", "lapak": "pedagang", "jualan": "pedagang", "berjualan": "pedagang",
    "jukir": "parkir", "parkiran": "parkir",
    "antre": "antri", "mengantre": "antri", "antrean": "antri", "antrian": "antri", "ngantri": "antri",
    "pungli": "pungut", "pungutan": "pungut", "dipungut": "pungut", "dimintai": "pungut",
    "copot": "lepas", "hilang": "lepas", "raib": "lepas", "dicuri": "lepas",
    "retak": "retak", "pecah": "retak", "patah": "retak",
    "miring": "miring", "doyong": "miring", "condong": "miring",
    "kabel": "kabel", "menjuntai": "juntai", "kendur": "juntai",
    "sd": "sekolah", "sdn": "sekolah", "smp": "sekolah", "smpn": "sekolah", "musholla": "musala",
    "mushola": "musala", "langgar": "musala", "gg": "gang",
    "bangjo": "lampu_lalin", "apill": "lampu_lalin",
}
ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9",
         "x": "10", "xi": "11", "xii": "12"}
CONNECTORS = frozenset({"di", "ke", "no", "nomor", "dan"})
_ROMAN_TOKEN = re.compile(r"(?<![\w.])(ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)(?![\w])", re.IGNORECASE)
PROBLEM_WORDS = frozenset(CANON.values()) | frozenset(CANON) | frozenset({"mati", "nyala", "gelap", "rusak", "kotor"})
NEGATIONS = frozenset({"tidak", "belum", "kagak", "ora", "teu", "henteu", "mboten", "gak", "ga"})
PREFIXES = ("di", "ter", "ber", "meng", "meny", "mem", "men", "me", "ke", "pe")
SUFFIXES = ("nya", "kan", "an", "na", "ne", "e")


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """Light stems of a word (a suffix, a prefix, both), where enough of it is left."""
    found: list[str] = []
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            found.append(word[: -len(suffix)])
            break
    for base in (word, *found):
        for prefix in PREFIXES:
            if base.startswith(prefix) and len(base) - len(prefix) >= 4:
                found.append(base[len(prefix):])
                break
    return tuple(found)


def canonical(word: str, known: frozenset[str] | dict[str, float] = frozenset()) -> str:
    """The word's canonical form: a synonym's, or a known word's stem when the word itself
    is not known (a name such as "melati" or "kenari" is never cut)."""
    found = CANON.get(word)
    if found is not None:
        return found
    if word in known or not known:
        return word
    for stemmed in stems(word):
        if stemmed in CANON:
            return CANON[stemmed]
        if stemmed in known:
            return stemmed
    return word


@dataclass(frozen=True)
class Model:
    """The words' weights: inverse document frequency over the complaint texts."""

    idf: dict[str, float]  # canonical word -> weight
    unseen_idf: float  # of a word no complaint text has

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Model:
        data = json.loads(path.read_text("utf-8"))
        return cls(dict(data["idf"]), float(data["unseen_idf"]))


@dataclass(frozen=True)
class Kinds:
    """The kinds of problem (``nlu/data/similarity/problems.yml``): word -> kinds, phrase -> kinds."""

    words: dict[str, frozenset[str]]
    phrases: dict[str, frozenset[str]]  # normalised phrase -> kinds
    objects: frozenset[str] = frozenset()  # kinds that name the thing, not what is wrong with it

    @classmethod
    def load(cls, path: Path = KINDS_FILE) -> Kinds:
        data = yaml.safe_load(path.read_text("utf-8"))["kinds"]
        words: dict[str, set[str]] = {}
        phrases: dict[str, set[str]] = {}
        for kind, spec in data.items():
            for entry in [*spec.get("words", []), *spec.get("phrases", [])]:
                text = normalize(str(entry))
                (phrases if " " in text else words).setdefault(text, set()).add(str(kind))
        objects = frozenset(str(kind) for kind, spec in data.items() if spec.get("object"))
        return cls({w: frozenset(k) for w, k in words.items()}, {p: frozenset(k) for p, k in phrases.items()},
                   objects)

    @property
    def pattern(self) -> re.Pattern[str]:
        return _phrase_pattern(tuple(sorted(self.phrases, key=len, reverse=True)))

    def of(self, normalized: str, tokens: list[str]) -> frozenset[str]:
        found: set[str] = set()
        if self.phrases:  # one pass over the text for every phrase
            for match in self.pattern.finditer(normalized):
                found |= self.phrases[match.group(0)]
        for token in tokens:
            kinds = self.words.get(token)
            if kinds is None:
                kinds = next((self.words[s] for s in stems(token) if s in self.words), None)
            if kinds is not None:
                found |= kinds
        specific = found - self.objects  # what is wrong decides; the thing only when nothing else is said
        return frozenset(specific or found)


@lru_cache(maxsize=8)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


@lru_cache(maxsize=1)
def default_kinds() -> Kinds:
    return Kinds.load()


@dataclass(frozen=True)
class Reading:
    words: dict[str, float]  # every content word and its weight
    places: dict[str, float]  # the place words among them
    numbers: frozenset[str]  # numbers that follow a place word (gang 5, rt 4)
    kinds: frozenset[str] = frozenset()  # the kinds of problem named (nlu/data/similarity/problems.yml)


def read(text: str, model: Model, kinds: Kinds | None = None) -> Reading:
    words: dict[str, float] = {}
    places: set[str] = set()
    numbers: set[str] = set()
    follow, negated, previous = 0, False, ""
    text = _ROMAN_TOKEN.sub(lambda m: ROMAN[m.group(1).lower()], text)  # "Gg. Sukaluyu III" (before "iii" -> "i")
    head, _, tail = text.rpartition("\n")
    short = bool(head) and len(tail.split()) <= PLACE_LINE_WORDS
    tokens = words_of(text)
    place_line = set(words_of(tail)) if short else set()
    normalized = " ".join(tokens)
    for word in tokens:
        number = word if word.isdigit() else ROMAN.get(word) if follow > 0 else None
        if number is not None or (follow > 0 and len(word) == 1 and previous == "blok"):
            if follow > 0:
                numbers.add(str(int(number)) if number is not None else word)
            follow = 0
            continue
        if word in NEGATIONS:
            negated = True
            continue
        if word == "jalan" and previous == "lampu":  # the street light: "jalan" is not a word of it,
            follow = 2  # but what follows may still name the street ("lampu jalan kenanga")
            continue
        canon = canonical(word, model.idf)
        if negated and canon == "nyala":
            canon = "mati"
        negated = False
        previous = canon
        if canon in PLACE_WORDS:
            follow = 3
            if canon in LANDMARKS:
                words[canon] = model.idf.get(canon, model.unseen_idf)
                places.add(canon)
            continue
        if word in STOP or canon in STOP or len(canon) < 3:
            follow = follow if word in CONNECTORS else 0  # "jam 12" after a place is a time, not its number
            continue
        weight = model.idf.get(canon, model.unseen_idf)
        words[canon] = weight
        named = canon not in PROBLEM_WORDS and (follow > 0 or word in place_line)
        if named:
            places.add(canon)
        follow = follow - 1 if named and follow > 0 else 0
    found = (kinds or default_kinds()).of(normalized, tokens)
    return Reading(words, {w: words[w] for w in places}, frozenset(numbers), found)


def _shared(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(weight for word, weight in a.items() if word in b)


def _grams(a: dict[str, float], b: dict[str, float]) -> float:
    """Character trigram overlap of the place names (typos: "kemuning" / "kemoening")."""
    ga = {w[i:i + 3] for w in a for i in range(max(len(w) - 2, 1))}
    gb = {w[i:i + 3] for w in b for i in range(max(len(w) - 2, 1))}
    return len(ga & gb) / min(len(ga), len(gb)) if ga and gb else 0.0


@dataclass(frozen=True)
class Comparison:
    """Two readings side by side."""

    cosine: float  # of the weighted words
    kinds_shared: float  # of the kinds of problem, relative to the side naming fewer
    place_shared: float  # character trigrams of the place names, relative to the shorter
    kind_conflict: bool  # both name kinds of problem, none the same
    place_conflict: bool  # both name a place, no name or landmark the same
    number_conflict: bool  # both number their place, no number the same

    @property
    def contradicts(self) -> bool:
        return self.kind_conflict or self.place_conflict or self.number_conflict


def compare(a: Reading, b: Reading) -> Comparison:
    total_a, total_b = sum(w * w for w in a.words.values()), sum(w * w for w in b.words.values())
    cosine = (sum(w * b.words[x] for x, w in a.words.items() if x in b.words) / math.sqrt(total_a * total_b)
              if total_a and total_b else 0.0)
    ka, kb = a.kinds, b.kinds
    return Comparison(
        cosine=cosine,
        kinds_shared=len(ka & kb) / min(len(ka), len(kb)) if ka and kb else 0.0,
        place_shared=_grams(a.places, b.places),
        kind_conflict=bool(ka and kb) and not ka & kb,
        place_conflict=bool(a.places and b.places) and _shared(a.places, b.places) == 0.0,
        number_conflict=bool(a.numbers and b.numbers) and not a.numbers & b.numbers,
    )


@lru_cache(maxsize=1)
def default_model() -> Model:
    return Model.load()


class ComplaintSimilarity:
    """``complaints.similarity.TextSimilarity`` for Indonesian complaint texts: 0 when the
    two contradict each other (another problem, another place), else from ``THRESHOLD`` up,
    the more they share the higher."""

    threshold: float = THRESHOLD

    def __init__(self, model: Model | None = None, kinds: Kinds | None = None) -> None:
        self.model = model or default_model()
        self.kinds = kinds or default_kinds()
        self._read = lru_cache(maxsize=8192)(self._read_uncached)

    def _read_uncached(self, text: str) -> Reading:
        return read(text, self.model, self.kinds)

    def compare(self, a: str, b: str) -> Comparison:
        return compare(self._read(a), self._read(b))

    def score(self, a: str, b: str) -> float:
        found = self.compare(a, b)
        if found.contradicts:
            return 0.0
        return THRESHOLD + (1 - THRESHOLD) * (found.cosine + found.kinds_shared + found.place_shared) / 3

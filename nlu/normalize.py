"""Normalise everyday chat Indonesian, keeping a map back to the original characters.

Steps: drop control and zero-width characters, NFKC and lower-case, join apostrophes
inside words (jum'at -> jumat), collapse a letter or symbol repeated 3+ times to one
(bolonggg -> bolong; digits are never collapsed: 300.000 stays), expand reduplication
written with a 2 (anak2 -> anak-anak), expand a small curated lexicon of chat
abbreviations (yg -> yang, kmrn -> kemarin, jl. -> jalan, ...), collapse whitespace.

Every character of the normalised text remembers the span of original characters it
came from, so entity spans found on the normalised text are reported on the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from .keywords import alternation

# Written for this project; deliberately small and unambiguous for complaint chats.
ABBREVIATIONS: dict[str, str] = {
    # particles and function words
    "yg": "yang", "sdh": "sudah", "sdah": "sudah", "udh": "sudah", "udah": "sudah", "dah": "sudah",
    "gk": "tidak", "ga": "tidak", "gak": "tidak", "nggak": "tidak", "ngga": "tidak", "nggk": "tidak",
    "enggak": "tidak", "engga": "tidak", "kagak": "tidak", "ndak": "tidak", "tdk": "tidak", "tak": "tidak",
    "tp": "tapi", "tpi": "tapi", "krn": "karena", "karna": "karena", "krna": "karena",
    "blm": "belum", "blum": "belum", "bgt": "banget", "bngt": "banget",
    "dgn": "dengan", "dg": "dengan", "utk": "untuk", "dr": "dari", "lg": "lagi", "trs": "terus",
    "trus": "terus", "jg": "juga", "aja": "saja", "sj": "saja", "sm": "sama", "dlm": "dalam",
    "pd": "pada", "kpd": "kepada", "ttg": "tentang", "spt": "seperti", "tsb": "tersebut",
    "jd": "jadi", "jdi": "jadi", "bkn": "bukan", "sblm": "sebelum", "stlh": "setelah",
    "bbrp": "beberapa", "hrs": "harus", "sampe": "sampai", "pdhl": "padahal", "emg": "memang",
    "emang": "memang", "kalo": "kalau", "klo": "kalau", "msh": "masih", "bs": "bisa", "bsa": "bisa",
    "dpt": "dapat", "byk": "banyak", "bnyk": "banyak", "lbh": "lebih", "krg": "kurang", "sgt": "sangat",
    "bnr": "benar", "bener": "benar", "tlg": "tolong", "mhn": "mohon", "skrg": "sekarang",
    "gmn": "bagaimana", "gimana": "bagaimana", "gmana": "bagaimana", "bgmn": "bagaimana",
    "knp": "kenapa", "brp": "berapa", "kpn": "kapan", "dmn": "di mana", "dimana": "di mana",
    "pgn": "ingin", "pengen": "ingin", "mw": "mau", "liat": "lihat", "tau": "tahu",
    # people and address words
    "sy": "saya", "aq": "aku", "gw": "saya", "gue": "saya", "org": "orang",
    "min": "admin", "mimin": "admin", "pak": "bapak", "bpk": "bapak", "bu": "ibu",
    # places
    "jl": "jalan", "jln": "jalan", "gg": "gang", "kel": "kelurahan", "kec": "kecamatan",
    "kab": "kabupaten", "ds": "desa", "prov": "provinsi", "kp": "kampung", "rs": "rumah sakit",
    "sklh": "sekolah", "skolah": "sekolah", "lmp": "lampu", "nmr": "nomor", "nomer": "nomor",
    # time
    "kmrn": "kemarin", "kemaren": "kemarin", "kmren": "kemarin", "kmarin": "kemarin",
    "tgl": "tanggal", "hr": "hari", "mgg": "minggu", "bln": "bulan", "thn": "tahun",
    "td": "tadi", "tdi": "tadi", "mlm": "malam", "pgi": "pagi",
    # verbs in their colloquial form
    "numpuk": "menumpuk", "nunggu": "menunggu", "ngurus": "mengurus", "ngadu": "mengadu",
    "ngelapor": "melapor", "dateng": "datang",
    # more everyday spellings seen in complaint chats (curated for this project)
    "malem": "malam", "mlem": "malam", "pagii": "pagi", "ujan": "hujan", "ujn": "hujan", "aer": "air",
    "lobang": "lubang", "rmh": "rumah", "dpn": "depan", "dkt": "dekat", "blkg": "belakang", "sblh": "sebelah",
    "smpng": "samping", "skt": "sakit", "sdkt": "sedikit", "dikit": "sedikit", "gede": "besar",
    "gedhe": "besar", "cuman": "cuma", "doang": "saja", "aj": "saja", "ajah": "saja", "gmna": "bagaimana",
    "knpa": "kenapa", "bbrapa": "beberapa", "bnyak": "banyak", "smua": "semua", "tetep": "tetap",
    "ttp": "tetap", "mulu": "melulu", "udahan": "sudahan", "blom": "belum", "belom": "belum",
    "gapapa": "tidak apa-apa", "gpp": "tidak apa-apa", "ngk": "tidak", "gag": "tidak", "ora": "tidak",
    "mboten": "tidak", "sampek": "sampai", "ampe": "sampai", "smpe": "sampai", "skrang": "sekarang",
    "skr": "sekarang", "sebulanan": "sebulan", "seminggan": "seminggu", "mggu": "minggu",
    "mnggu": "minggu", "ngasih": "memberi", "nyuruh": "menyuruh", "disuru": "disuruh", "nanya": "bertanya",
    "nyapu": "menyapu", "dtg": "datang", "ngantri": "mengantre", "antri": "antre",
    "ngangkut": "mengangkut", "ngalir": "mengalir", "nyala": "menyala", "pdhal": "padahal", "padahl": "padahal",
    "trnyata": "ternyata", "ternyta": "ternyata", "ktnya": "katanya", "kta": "kata", "blg": "bilang",
    "bilng": "bilang", "sya": "saya", "kmi": "kami", "kt": "kita",
    # thanks / ok
    "makasih": "terima kasih", "makasi": "terima kasih", "mksh": "terima kasih", "trims": "terima kasih",
    "trimakasih": "terima kasih", "terimakasih": "terima kasih", "thx": "terima kasih",
    "thanks": "terima kasih", "tq": "terima kasih", "tks": "terima kasih", "suwun": "terima kasih",
    "ok": "oke", "okey": "oke", "okay": "oke", "okeh": "oke",
}

# Abbreviations that are often written with a full stop ("jl.", "kec.", "tgl.");
# the stop is consumed so it does not split what follows.
DOTTED = frozenset({"jl", "jln", "gg", "kel", "kec", "kab", "ds", "prov", "tgl", "bpk", "kp", "no", "rt", "rw"})

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_APOSTROPHES = "'\u2019\u2018`\u00b4"
_REDUP = re.compile(r"(?<![a-z0-9])([a-z]{3,})2(?![a-z0-9])")
_TOKEN = re.compile(r"[a-z0-9]+")

# Numbers written as words, turned into digits when a unit follows ("dua minggu" -> "2 minggu",
# "tiga ratus ribu" -> "300 ribu", "lima belas hari" -> "15 hari"), so dates, durations and
# sums of money read the same however they were typed. Alone ("dua anak") they stay words.
UNITS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
         "sembilan": 9}
_NUMBER_WORD = r"(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|se)"
_NUMBER_UNIT = r"(?:hari|minggu|pekan|bulan|tahun|kali|jam|menit|ribu|rb|juta|jt|meter|orang|rumah|titik)"
_NUMBER_PHRASE = re.compile(
    rf"(?<![a-z0-9])(?P<n>(?:{_NUMBER_WORD}|belas|puluh|ratus)(?:\s+(?:{_NUMBER_WORD}|belas|puluh|ratus))*)"
    rf"(?=\s+{_NUMBER_UNIT}(?![a-z]))"
)


def words_to_number(phrase: str) -> int | None:
    """ "tiga ratus lima puluh" -> 350; None when it is not a well-formed number below 1000."""
    total, current = 0, 0
    for word in phrase.split():
        if word in UNITS:
            if current % 10:
                return None
            current += UNITS[word]
        elif word in ("sepuluh", "sebelas", "seratus", "se"):
            current += {"sepuluh": 10, "sebelas": 11, "seratus": 100, "se": 1}[word]
        elif word == "belas":
            if not 0 < current < 10:
                return None
            current += 10
        elif word == "puluh":
            if not 0 < current < 10:
                return None
            current *= 10
        elif word == "ratus":
            if not 0 < current < 10:
                return None
            total += current * 100
            current = 0
        else:
            return None
    value = total + current
    return value or None


def _number(match: re.Match[str]) -> str | None:
    phrase = match.group("n")
    if phrase == "se":
        return None  # "se hari" is left to the date rules ("sehari")
    value = words_to_number(phrase)
    return str(value) if value is not None else None

# A text being normalised: its characters, and for each the span of original characters
# it came from (``starts[i]``, ``ends[i]``); the three always have the same length.
Chars = tuple[str, list[int], list[int]]
T = TypeVar("T")
E = TypeVar("E")
R = TypeVar("R")
S = TypeVar("S")
P = ParamSpec("P")
NORMALIZE_CACHE = 256  # texts remembered by ``normalize_with_map`` (the same message is read several times)
NORMALIZE_CACHE_CHARS = 1000  # ... each of at most this many characters (memory stays under a few MB)


@dataclass(frozen=True)
class Normalized:
    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text onto the original text."""
        if not self.text:
            return 0, 0
        start = min(max(start, 0), len(self.text) - 1)
        end = min(max(end, start + 1), len(self.text))
        return self.starts[start], self.ends[end - 1]

    def surface(self, start: int, end: int) -> tuple[str, int, int]:
        """The original text behind a normalised span, with its original offsets."""
        o_start, o_end = self.to_original(start, end)
        return self.original[o_start:o_end], o_start, o_end

    def tokens(self) -> list[tuple[str, int, int]]:
        """Alphanumeric words of the normalised text with their normalised offsets."""
        return list(self.remember("tokens", lambda: tuple((m.group(), m.start(), m.end()) for m in _TOKEN.finditer(self.text))))

    def words(self) -> list[str]:
        """The words of ``tokens()`` without their offsets."""
        return list(self.remember("words", lambda: tuple(word for word, _, _ in self.tokens())))

    def remember(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, worked out once per text: several steps of the parser ask the same
        (tokens, agencies, landmarks). For what depends on this text alone; give out copies
        of anything mutable."""
        memo: dict[str, Any] | None = self.__dict__.get("_memo")
        if memo is None:
            memo = {}
            object.__setattr__(self, "_memo", memo)  # not a field: equality and repr ignore it
        if key not in memo:
            memo[key] = compute()
        return memo[key]  # type: ignore[no-any-return]


def remembered(method: Callable[Concatenate[S, Normalized, P], R]) -> Callable[Concatenate[S, Normalized, P], R]:
    """A method whose answer depends on the text (its first argument) and its other
    arguments alone, its answers kept with the text (``Normalized.remember``): for the
    long-lived objects (the gazetteer) the dialog asks the same of one message repeatedly."""
    @wraps(method)
    def asked(self: S, norm: Normalized, /, *args: P.args, **kwargs: P.kwargs) -> R:
        key = f"{method.__qualname__} {id(self)} {args!r} {sorted(kwargs.items())!r}"
        return norm.remember(key, lambda: (self, method(self, norm, *args, **kwargs)))[1]  # self kept: its id stays its

    return asked


def per_text(function: Callable[[Normalized], list[E]]) -> Callable[[Normalized], list[E]]:
    """A function of the text alone (an entity extractor), its answer kept with the text
    (``Normalized.remember``) and handed out as a new list each time."""
    key = f"{function.__module__}.{function.__qualname__}"

    @wraps(function)
    def asked(norm: Normalized) -> list[E]:
        return list(norm.remember(key, lambda: tuple(function(norm))))

    return asked


def per_string(function: Callable[[str], list[E]]) -> Callable[[str], list[E]]:
    """``per_text`` for a function of the raw text: the answers for the last few hundred
    short texts remembered."""
    remembered_answers = lru_cache(maxsize=NORMALIZE_CACHE)(lambda text: tuple(function(text)))

    @wraps(function)
    def asked(text: str) -> list[E]:
        return list(remembered_answers(text) if len(text) <= NORMALIZE_CACHE_CHARS else function(text))

    return asked


def normalize(text: str) -> str:
    return normalize_with_map(text).text


def normalize_with_map(text: str) -> Normalized:
    """``text`` normalised (see the module doc); the result is immutable, so the last few
    hundred short texts are remembered."""
    return _normalize_cached(text) if len(text) <= NORMALIZE_CACHE_CHARS else _normalize(text)


@lru_cache(maxsize=NORMALIZE_CACHE)
def _normalize_cached(text: str) -> Normalized:
    return _normalize(text)


def _normalize(text: str) -> Normalized:
    chars = _clean(text)
    if "'" in chars[0]:
        chars = _join_apostrophes(chars)
    if _RUN.search(chars[0]):
        chars = _collapse_repeats(chars)
    if "2" in chars[0]:
        chars = _replace(chars, _REDUP, lambda m: f"{m.group(1)}-{m.group(1)}")
    chars = _replace(chars, _ABBREVIATION, _expand)
    chars = _replace(chars, _NUMBER_PHRASE, _number)
    chars = _collapse_spaces(chars)
    return Normalized(original=text, text=chars[0], starts=tuple(chars[1]), ends=tuple(chars[2]))


# ASCII text (nearly every message) is cleaned with one translation: white space to " ",
# the backquote to an apostrophe, control characters dropped (``_clean_any`` does the rest)
_ASCII_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"
_ASCII_CLEAN = str.maketrans({**{ch: " " for ch in _ASCII_SPACE}, "`": "'"})
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_RUN = re.compile(r"(.)\1\1", re.DOTALL)  # a character three times in a row
_RUNS = re.compile(r"(.)\1{2,}", re.DOTALL)


def _clean(text: str) -> Chars:
    if text.isascii() and _ASCII_CONTROL.search(text) is None:
        return text.translate(_ASCII_CLEAN).lower(), list(range(len(text))), list(range(1, len(text) + 1))
    return _clean_any(text)


def _clean_any(text: str) -> Chars:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch in _ZERO_WIDTH:
            continue
        if ch.isspace():
            pieces = " "
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        elif ch in _APOSTROPHES:
            pieces = "'"
        else:
            pieces = (ch if ch.isascii() else unicodedata.normalize("NFKC", ch)).lower()
        for piece in pieces:
            out.append(piece)
            starts.append(i)
            ends.append(i + 1)
    return "".join(out), starts, ends


def _keep(chars: Chars, dropped: list[int]) -> Chars:
    """``chars`` without the characters at the (ascending) indices ``dropped``."""
    text, starts, ends = chars
    if not dropped:
        return chars
    gone = set(dropped)
    kept = [i for i in range(len(text)) if i not in gone]
    return "".join([text[i] for i in kept]), [starts[i] for i in kept], [ends[i] for i in kept]


def _join_apostrophes(chars: Chars) -> Chars:
    text = chars[0]
    last = len(text) - 1
    dropped = [
        k for k, ch in enumerate(text)
        if ch == "'" and 0 < k < last and text[k - 1].isalpha() and text[k + 1].isalpha()
    ]
    return _keep(chars, dropped)


def _collapse_repeats(chars: Chars) -> Chars:
    """A run of 3+ of one letter or symbol as one character spanning the whole run
    (digits and spaces are left alone)."""
    text, starts, ends = chars
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    for match in _RUNS.finditer(text):  # maximal runs: a run is found from its first character
        ch = match.group(1)
        if ch.isdigit() or ch.isspace():
            continue
        a, b = match.span()
        out.append(text[last:a] + ch)
        new_starts += starts[last:a]
        new_starts.append(starts[a])
        new_ends += ends[last:a]
        new_ends.append(ends[b - 1])
        last = b
    if not out:
        return chars
    out.append(text[last:])
    return "".join(out), new_starts + starts[last:], new_ends + ends[last:]


# the whole words ``_expand`` may change, longest first (every other word it would leave as it is)
_ABBREVIATION = re.compile(
    rf"(?<![a-z0-9])({alternation(sorted(set(ABBREVIATIONS) | DOTTED, key=lambda w: (-len(w), w)))})(?![a-z0-9])(\.)?"
)


def _expand(match: re.Match[str]) -> str | None:
    word, dot = match.group(1), match.group(2)
    replacement = ABBREVIATIONS.get(word)
    if dot and word in DOTTED:
        return (replacement or word) + " "
    if replacement is None:
        return None
    return replacement + (dot or "")


def _replace(chars: Chars, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str | None]) -> Chars:
    """Each match of ``pattern`` replaced by ``repl(match)`` (None: left as it is); the new
    characters all span the original characters of the whole match."""
    text, starts, ends = chars
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        new = repl(match)
        if new is None:
            continue
        a, b = match.span()
        out.append(text[last:a])
        out.append(new)
        new_starts += starts[last:a]
        new_starts += [starts[a]] * len(new)
        new_ends += ends[last:a]
        new_ends += [ends[b - 1]] * len(new)
        last = b
    if not out:
        return chars
    out.append(text[last:])
    return "".join(out), new_starts + starts[last:], new_ends + ends[last:]


def _collapse_spaces(chars: Chars) -> Chars:
    """Runs of spaces as one; none at either end."""
    text = chars[0]
    if "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return chars
    dropped = [k for k, ch in enumerate(text) if ch == " " and (k == 0 or text[k - 1] == " ")]
    text, starts, ends = _keep(chars, dropped)
    n = len(text.rstrip(" "))
    return text[:n], starts[:n], ends[:n]

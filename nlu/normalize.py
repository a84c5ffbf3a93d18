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
_WORD = re.compile(r"(?<![a-z0-9])([a-z]+)(?![a-z0-9])(\.)?")
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

Chars = list[tuple[str, int, int]]  # (char, original start, original end)


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
        return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(self.text)]


def normalize(text: str) -> str:
    return normalize_with_map(text).text


def normalize_with_map(text: str) -> Normalized:
    chars = _clean(text)
    chars = _join_apostrophes(chars)
    chars = _collapse_repeats(chars)
    if any(c == "2" for c, _, _ in chars):
        chars = _replace(chars, _REDUP, lambda m: f"{m.group(1)}-{m.group(1)}")
    chars = _replace(chars, _WORD, _expand)
    chars = _replace(chars, _NUMBER_PHRASE, _number)
    chars = _collapse_spaces(chars)
    return Normalized(
        original=text,
        text="".join(c for c, _, _ in chars),
        starts=tuple(s for _, s, _ in chars),
        ends=tuple(e for _, _, e in chars),
    )


def _clean(text: str) -> Chars:
    out: Chars = []
    for i, ch in enumerate(text):
        if ch in _ZERO_WIDTH:
            continue
        if ch.isspace():
            out.append((" ", i, i + 1))
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        if ch in _APOSTROPHES:
            out.append(("'", i, i + 1))
            continue
        folded = ch if ch.isascii() else unicodedata.normalize("NFKC", ch)
        for piece in folded.lower():
            out.append((piece, i, i + 1))
    return out


def _join_apostrophes(chars: Chars) -> Chars:
    out: Chars = []
    for k, item in enumerate(chars):
        if item[0] == "'" and 0 < k < len(chars) - 1 and chars[k - 1][0].isalpha() and chars[k + 1][0].isalpha():
            continue
        out.append(item)
    return out


def _collapse_repeats(chars: Chars) -> Chars:
    out: Chars = []
    k = 0
    while k < len(chars):
        ch = chars[k][0]
        j = k
        while j + 1 < len(chars) and chars[j + 1][0] == ch:
            j += 1
        run = j - k + 1
        if run >= 3 and not ch.isdigit() and not ch.isspace():
            out.append((ch, chars[k][1], chars[j][2]))
        else:
            out.extend(chars[k : j + 1])
        k = j + 1
    return out


def _expand(match: re.Match[str]) -> str | None:
    word, dot = match.group(1), match.group(2)
    replacement = ABBREVIATIONS.get(word)
    if dot and word in DOTTED:
        return (replacement or word) + " "
    if replacement is None:
        return None
    return replacement + (dot or "")


def _replace(chars: Chars, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str | None]) -> Chars:
    text = "".join([c for c, _, _ in chars])
    out: Chars = []
    last = 0
    for match in pattern.finditer(text):
        new = repl(match)
        if new is None:
            continue
        out.extend(chars[last : match.start()])
        span_start, span_end = chars[match.start()][1], chars[match.end() - 1][2]
        out.extend((c, span_start, span_end) for c in new)
        last = match.end()
    out.extend(chars[last:])
    return out


def _collapse_spaces(chars: Chars) -> Chars:
    out: Chars = []
    for item in chars:
        if item[0] == " " and (not out or out[-1][0] == " "):
            continue
        out.append(item)
    while out and out[-1][0] == " ":
        out.pop()
    return out

"""Names: the complainant's name, from an answer to "Siapa nama Anda?" or a first message.

``read_person`` reads a whole answer ("nama saya Sulastri", "saya Bu Sulastri",
"Bapak Suharto, ketua RT 03", "budi santoso", "panggil saja Andi") into a
``PersonName``; it refuses what is not a name (digits, "tidak mau", "rahasia",
"anonim", a long sentence without a name cue).

``extract`` finds the ``person`` entity (value ``{"name", "title", "role"}``) inside a
longer message, only after an explicit cue: "nama saya X", "perkenalkan saya X",
"saya Bu X dari RT 5", "dengan X di sini". Both work on the original text, so the
title is kept as written ("Bu", "Bapak", "Hj."), with its capitalisation normalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalize import Normalized, per_text
from ..result import Entity


@dataclass(frozen=True)
class PersonName:
    name: str
    title: str | None = None
    role: str | None = None

    def as_value(self) -> dict[str, str | None]:
        return {"name": self.name, "title": self.title, "role": self.role}


# lower-case spelling (without the full stop) -> how it is written back
TITLES = {
    "pak": "Pak", "bapak": "Bapak", "bpk": "Bpk", "bu": "Bu", "ibu": "Ibu", "mas": "Mas", "mbak": "Mbak",
    "mba": "Mba", "kak": "Kak", "bang": "Bang", "dik": "Dik", "sdr": "Sdr", "sdri": "Sdri", "saudara": "Saudara",
    "saudari": "Saudari", "haji": "Haji", "hajjah": "Hajjah", "h": "H.", "hj": "Hj.", "dr": "Dr.", "ir": "Ir.",
    "drs": "Drs.", "dra": "Dra.", "prof": "Prof.", "kh": "KH.", "ust": "Ust.", "ustadz": "Ustadz",
}
REFUSALS = re.compile(
    r"(?<![a-z])(?:tidak|tdk|gak|ga|nggak|ngga|enggak|gk|ndak|males|malas)\s*(?:mau|usah|perlu|ingin|pengen|mw)"
    r"|(?<![a-z])(?:rahasia|anonim|anonym|anonymous|tanpa nama|no name|skip|privasi|disamarkan|dirahasiakan)"
    r"|^\W*(?:tidak|gak|ga|nggak|-|\.)\W*$"
)
_CUES = (
    r"(?:perkenalkan|kenalkan|kenalin)\s*,?\s*(?:nama\s+)?(?:saya|sy|aku|gue|gw)?|nama\s+(?:saya|sy|aku|ku|gue|gw)"
    r"|namaku|namaku\s+adalah|nama\s*:|panggil\s+(?:saja|aja|sj)|panggil|dengan|saya|sy|aku|ini"
)
_CUE = re.compile(rf"^\s*(?:{_CUES})(?:\s+(?:adalah|ialah))?(?:\s*[:,])?\s+", re.IGNORECASE)
_GREETING = re.compile(
    r"^\s*(?:(?:halo|hallo|hai|hi|assalamualaikum|assalamu'alaikum|selamat\s+(?:pagi|siang|sore|malam)|permisi)"
    r"(?:\s+(?:min|admin|kak|pak|bu))?\s*[,.!]*\s*)+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*\.?")
# words that end a name: what follows is the role, the address or the message
_AFTER_NAME = frozenset(
    """dari warga ketua wakil sekretaris bendahara pengurus kepala lurah kader guru pemilik pedagang di ke rt rw
    jalan jl jln gang gg kel kelurahan kec kecamatan desa blok perumahan no nomor mau ingin akan ingin hendak
    yang dan atau ya yah yaa aja saja sj deh dong nih kok min admin kak gan sis bro terima makasih mohon tolong
    izin ijin mengadu melapor lapor adalah sini disini tinggal umur usia nomor hp wa telp""".split()
)
# words that cannot be (part of) a name
_NOT_NAME = frozenset(
    """saya sy aku kami kita dia mereka anda kamu nama panggil perkenalkan mau ingin akan sudah belum tidak bukan
    ada adalah ini itu yang dan atau dengan dari di ke untuk sedang lagi masih baru sering selalu bisa perlu
    harus pernah juga hanya cuma mohon tolong lapor melapor mengadu minta butuh bingung kecewa sangat orang
    warga pengguna pelanggan rahasia anonim siapa apa kenapa mengapa bagaimana kapan mana boleh belum sekarang
    kemarin tadi besok jalan gang rumah sakit sekolah pasar masjid kantor kelurahan kecamatan desa kota rt rw
    halo hai selamat pagi siang sore malam terima kasih makasih oke ok iya ya tidak ga gak nggak sampah lampu
    air listrik banjir rusak mati bolong satu dua tiga empat lima enam tujuh delapan sembilan sepuluh""".split()
)
_PLACE_START = frozenset(
    {"jalan", "jl", "jln", "gang", "gg", "kel", "kelurahan", "kec", "kecamatan", "desa", "kampung", "perumahan", "blok"}
)
_ROLE_START = frozenset(
    """ketua wakil sekretaris bendahara pengurus kepala lurah kader guru pemilik pedagang pengelola takmir
    warga ibu-ibu ketua-rt koordinator""".split()
)
_ROLE_END = re.compile(r"[,.;!?\n]|\s(?:mau|ingin|hendak|akan|melapor|lapor|mengadu|ya)(?![a-z])", re.IGNORECASE)
MAX_NAME_WORDS = 4
MAX_ANSWER_WORDS = 8  # a longer answer without a name cue is a sentence, not a name


def read_person(text: str) -> PersonName | None:
    """A whole answer to "Siapa nama Anda?", or None when it gives no name."""
    text = (text or "").strip()
    if not text or REFUSALS.search(text.lower()) or len(text) > 200:
        return None
    text = _GREETING.sub("", text)
    cue = _CUE.match(text)
    rest = text[cue.end() :] if cue else text
    if cue is None and len(text.split()) >= MAX_ANSWER_WORDS:
        return None
    found = _read_name(rest, bare=cue is None)
    if found is None:
        return None
    person, _ = found
    return person


@per_text
def extract(norm: Normalized) -> list[Entity]:
    """The ``person`` entity in a longer message, only after an explicit cue."""
    raw = norm.original
    for m in _MESSAGE_CUE.finditer(raw):
        title_needed = m.group("weak") is not None
        found = _read_name(raw[m.end() :], bare=False, title_needed=title_needed)
        if found is None:
            continue
        person, (start, end) = found
        if not _plausible_in_message(raw[m.end() + start : m.end() + end], person, strict=m.group("dengan") is not None):
            continue
        if m.group("dengan") and not re.match(r"\s*(?:di\s*sini|disini)(?![a-z])", raw[m.end() + end :], re.I):
            continue  # "dengan X di sini" only
        start, end = m.end() + start, m.end() + end
        return [Entity("person", person.as_value(), raw[start:end], start, end, 0.85)]
    return []


_MESSAGE_CUE = re.compile(
    r"(?<![A-Za-z])(?:(?:perkenalkan|kenalkan|kenalin)\s*,?\s*(?:nama\s+)?(?:saya|sy|aku)?|nama\s+(?:saya|sy|aku|ku)"
    r"|namaku|(?P<weak>saya|sy|aku)|(?P<dengan>dengan))(?:\s+(?:adalah|ialah))?\s*[:,]?\s+",
    re.IGNORECASE,
)


def _read_name(text: str, *, bare: bool, title_needed: bool = False) -> tuple[PersonName, tuple[int, int]] | None:
    """Title, name and role at the start of ``text``, with the span they cover."""
    words = list(_WORD.finditer(text))
    if not words or text[: words[0].start()].strip():
        return None  # something other than a word comes first ("08123...", "3 orang")
    start = words[0].start()
    titles: list[str] = []
    names: list[re.Match[str]] = []
    prev_end = start
    for word in words:
        if text[prev_end : word.start()].strip():
            break  # a comma, a digit or a bracket ends the name
        key = _title_key(word.group())
        lower = word.group().lower().rstrip(".")
        if not names and key is not None and len(titles) < 2:
            titles.append(TITLES[key])
        elif names and (lower in _AFTER_NAME or lower in TITLES or len(names) == MAX_NAME_WORDS):
            break
        elif lower in _NOT_NAME or lower in _PLACE_START or lower in _AFTER_NAME:
            if names:
                break
            return None
        else:
            names.append(word)
        prev_end = word.end()
    if not names or (title_needed and not titles):
        return None
    end = names[-1].end()
    tail = text[end:]
    role, _ = _role(tail)
    if bare and role is None and not _only_courtesy(tail):
        return None  # "budi sakit hati", "Budi 0812...": a sentence, not a name
    name = " ".join(_capitalise(w.group().rstrip(".")) for w in names)
    return PersonName(name, " ".join(titles) or None, role), (start, end)  # the span leaves the role out


def _plausible_in_message(span: str, person: PersonName, *, strict: bool) -> bool:
    """Inside a message a name is written with capitals or is no everyday word ("ibu hamil")."""
    from ..regions import common_words

    common = common_words()
    name_words = [w for w in re.findall(r"[A-Za-z'-]+", span) if w.lower() in person.name.lower().split()]
    for word in name_words:
        if strict and not word[:1].isupper():
            return False  # "dengan lubang besar di sini"
        if word.islower() and word in common:
            return False
    return bool(name_words)


def _only_courtesy(tail: str) -> bool:
    return all(w in _COURTESY for w in re.findall(r"[^\s.,!?:;]+", tail.lower()))


_COURTESY = frozenset("ya yah yaa pak bu kak min admin aja saja nih deh dong mas mbak gan terima kasih makasih".split())


def _title_key(word: str) -> str | None:
    key = word.lower().rstrip(".")
    if key not in TITLES or (key == "h" and not word.endswith(".")):
        return None  # a bare "h" is a letter, "H." is Haji
    return key


def _role(tail: str) -> tuple[str | None, int]:
    m = re.match(r"\s*,?\s*", tail)
    offset = m.end() if m else 0
    rest = tail[offset:]
    first = re.match(r"[a-z-]+", rest.lower())
    if first is None or first.group() not in _ROLE_START:
        return None, 0
    stop = _ROLE_END.search(rest)
    role = rest[: stop.start() if stop else len(rest)].strip()
    words = role.split()[:5]
    role = " ".join(words)
    if not role or role.lower() == "warga":
        return None, 0
    return role, offset + rest.find(role) + len(role)


def _capitalise(word: str) -> str:
    if word.islower() or word.isupper():
        return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
    return word

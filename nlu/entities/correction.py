"""A citizen correcting what was said: the entity "correction".

Its value is ``{"field": "place" | "date" | "category" | "description", "text": ...}``
where "text" is the corrected value as the citizen wrote it (on the original message):
"lokasinya salah, yang benar di Jl. Ahmad Yani" -> place, "di Jl. Ahmad Yani";
"bukan di Kebraon tapi di Wonokromo" -> place, "di Wonokromo"; "kejadiannya bukan
kemarin, tapi tanggal 3" -> date, "tanggal 3"; "salah kategori, harusnya sampah" ->
category, "sampah"; "bukan, maksud saya lampu bangjo" -> description, "lampu bangjo";
"ralat: ..." -> whatever the rest says, else description. Only messages that open with
the correction count: "bukan cuma jalan rusak tapi juga ..." is a complaint.
"""

from __future__ import annotations

import re

from ..normalize import Normalized, per_text
from ..result import Entity

_LEAD = r"(?:(?:maaf|eh|oh|aduh|sori|sorry|bapak|ibu|admin|kak|mas|mbak|ya|iya|oiya|o)\W*\s+)*"
_FIELDS = {
    "place": r"lokasi|alamat|tempat|lokasi\s+kejadian|titik",
    "date": r"tanggal|tgl|waktu|hari|waktu\s+kejadian|tanggal\s+kejadian",
    "category": r"kategori|jenis|jenis\s+laporan|kategori\s+laporan",
    "description": r"isi|keterangan|deskripsi|uraian|masalah",
}
_ANY_FIELD = "|".join(f"(?P<{name}>{words})" for name, words in _FIELDS.items())
_RIGHT = r"(?:(?:yang\s+)?(?:benar|betul|bener|seharusnya|harusnya|mestinya|semestinya|sebenarnya|aslinya)(?:nya)?\W*\s*)"
_WRONG = r"(?:salah|keliru|kurang\s+tepat|tidak\s+tepat|tidak\s+sesuai|bukan\s+itu)"
_MEANT = r"(?:maksud\s*(?:saya|nya|aku|ku|kami)?|yang\s+(?:saya\s+)?maksud)"
_BUT = r"\W*\s*(?:tapi|tetapi|melainkan|namun|tp)\s+"
_NOT_A_CORRECTION = re.compile(r"(?:hanya|cuma|cuman|saja|sekadar|main|sekali|lagi|juga|masalah\s+uang)\b")

PATTERNS: tuple[re.Pattern[str], ...] = (
    # "lokasinya salah, yang benar di ..." / "tanggalnya keliru: tanggal 3"
    re.compile(rf"{_LEAD}(?:{_ANY_FIELD})(?:nya)?\s+{_WRONG}\W*\s*{_RIGHT}?(?:adalah\s+)?(?P<v>.+)$"),
    # "salah kategori, harusnya sampah"
    re.compile(rf"{_LEAD}{_WRONG}\s+(?:{_ANY_FIELD})(?:nya)?\W*\s*{_RIGHT}?(?P<v>.+)$"),
    # "lokasinya yang benar di ...", "kategorinya harusnya sampah"
    re.compile(rf"{_LEAD}(?:{_ANY_FIELD})(?:nya)?\s+{_RIGHT}(?P<v>.+)$"),
    # "tanggalnya tanggal 3", "waktunya jam 9 pagi"
    re.compile(r"(?:maaf\W*\s+)?(?:tanggal|tgl|waktu)nya\s+(?P<date>)(?P<v>(?:tanggal|tgl|jam|hari|pukul)\b.+)$"),
    # "(kejadiannya) bukan kemarin, tapi tanggal 3" / "bukan di Kebraon tapi di Wonokromo"
    re.compile(
        rf"{_LEAD}(?:(?:{_ANY_FIELD}|kejadian)(?:nya)?\s+)?bukan\s+(?P<old>.+?){_BUT}(?:{_RIGHT})?(?P<v>.+)$"
    ),
    # "bukan, maksud saya lampu bangjo"
    re.compile(rf"{_LEAD}(?:bukan|salah|tidak)\W+\s*{_MEANT}\W*\s*(?P<v>.+)$"),
    # "maksudnya lampu lalu lintas, bukan lampu jalan"
    re.compile(rf"{_LEAD}{_MEANT}\W*\s*(?P<v>.+?)\W*\s+bukan\s+(?P<old>.+)$"),
)
_GENERIC = re.compile(r"(?:ralat|koreksi|revisi|perbaikan)\s*[:,.\-]\s*|(?:ralat|koreksi|revisi)\s+")
_DATE_WORDS = re.compile(
    r"(?:tanggal|tgl|hari|kemarin|tadi|minggu|bulan|tahun|jam|pukul|pagi|siang|sore|malam|senin|selasa|rabu|"
    r"kamis|jumat|sabtu|lusa|\d{1,2}\s*/\s*\d{1,2})\b"
)
_TRAILING = re.compile(r"(?:\W+|\s+(?:ya|yah|bapak|ibu|admin|kak|terima\s+kasih|dong|deh|nih))+$")


def _field(match: re.Match[str], value: str) -> str:
    for name in _FIELDS:
        if match.groupdict().get(name) is not None:
            return name
    if "date" in match.groupdict() and match.group("date") is not None:
        return "date"
    old = match.groupdict().get("old") or ""
    if value.startswith("di ") or old.startswith("di "):
        return "place"
    if _DATE_WORDS.match(value) or _DATE_WORDS.match(old):
        return "date"
    return "description"


def _value_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    trailing = _TRAILING.search(text, start, end)
    if trailing is not None and trailing.end() == end:
        end = trailing.start()
    return (start, end) if end > start else None


def _match(text: str, pos: int) -> tuple[str, int, int] | None:
    for pattern in PATTERNS:
        match = pattern.match(text, pos)
        if match is None:
            continue
        old = match.groupdict().get("old")
        if old is not None and _NOT_A_CORRECTION.match(old):
            continue
        span = _value_span(text, match.start("v"), match.end("v"))
        if span is None:
            continue
        return _field(match, text[span[0] : span[1]]), span[0], span[1]
    return None


@per_text
def extract(norm: Normalized) -> list[Entity]:
    """The correction the message opens with, if any."""
    text = norm.text
    found = _match(text, 0)
    if found is None:
        generic = _GENERIC.match(text)
        if generic is None:
            return []
        found = _match(text, generic.end())
        if found is None:
            span = _value_span(text, generic.end(), len(text))
            if span is None:
                return []
            found = ("description", span[0], span[1])
    field, start, end = found
    surface, o_start, o_end = norm.surface(start, end)
    return [Entity("correction", {"field": field, "text": surface}, surface, o_start, o_end, 0.8)]

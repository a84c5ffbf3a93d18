"""Places: the region (via the gazetteer) and the free-text detail around it.

``place``: value ``{"code", "name", "level", "path"}`` from ``nlu.regions``.
``place_detail``: street and number ("jl. Mawar no 5"), gang ("gg 5"), blok, RT/RW
("rt 03 rw 02"), landmarks after depan/dekat/samping/belakang/... ("depan SDN 3") and
named landmarks ("SDN Kebraon 1", "RSUD dr. Soetomo", "perumahan Citraland").
All pieces found are joined into one entity whose value is a string such as
"jl. Mawar no 5, RT 03 RW 02, depan SDN 3" (surface text, in text order) and whose span
runs from the first piece to the last.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..normalize import Normalized, per_text
from ..regions import Gazetteer
from ..result import Entity

RELATIONS = frozenset(
    {
        "depan", "dekat", "samping", "sebelah", "belakang", "seberang", "sebrang", "pojok", "ujung",
        "pertigaan", "perempatan", "simpang",
    }
)
NUMBER_WORDS = frozenset({"no", "nomor"})
_RT_RW = re.compile(
    r"(?<![a-z0-9])(?:rt\s*\.?\s*\d{1,3}(?:\s*[/,]?\s*(?:rw\s*\.?\s*)?\d{1,3})?|rw\s*\.?\s*\d{1,3})(?![0-9])"
)
_BOUNDARY = re.compile(r"[,.;:!?()\n]")
_FUNCTION_WORDS = frozenset(
    """yang sudah belum ada tidak dan tapi karena sejak dari sampai kok sangat banget parah mohon tolong
    segera jadi sering bikin buat untuk bapak ibu admin ke di pada dengan juga lagi terus masih hari
    kemarin tadi minggu bulan tahun itu ini sini situ sana mas mbak kak nya pun lah kah udah sdh
    selama hampir sekitar kurang lebih banyak sekali sama saat waktu ketika pas kalau agar supaya
    rt rw no nomor blok gang jalan kelurahan kecamatan desa kota kabupaten mau ingin akan bisa harus
    buang jual jualan bakar pasang bangun tutup buka kasih minta bayar ambil lewat masuk keluar kena
    pakai bikin selalu cuma hanya""".split()
)
LANDMARK_HEADS = frozenset(
    """sd sdn smp smpn sma sman smk smkn mi min mts mtsn man tk paud rsud rsu rsia puskesmas pustu posyandu
    pasar masjid musholla mushola musala langgar gereja pura vihara klenteng terminal stasiun perumahan perum
    apartemen rusun rusunawa kampus universitas polsek polres koramil spbu taman lapangan makam tpu tps jembatan
    bundaran terowongan pelabuhan bandara""".split()
)
_RT_RW_PLACES = frozenset({"balai", "pos", "ketua", "kantor", "sekretariat", "rumah"})
_VERB_PREFIX = re.compile(r"^(?:me|ber|di|ter)[a-z]{3,}")
_STREET_STOP = frozenset({"kecil", "sempit", "buntu", "utama", "umum", "tol", "kampung", "rumah", "kami", "saya", "warga"})


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from ..classify import DANGER, PROBLEM

    words = {w for phrase in PROBLEM + DANGER for w in re.findall(r"[a-z]+", phrase)}
    return frozenset(words) | _FUNCTION_WORDS | RELATIONS


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    from ..keywords import vocabulary

    return vocabulary()


def extract_place(norm: Normalized, gazetteer: Gazetteer) -> list[Entity]:
    match = gazetteer.find(norm)
    if match is None:
        return []
    text = norm.original[match.start : match.end]
    return [Entity("place", match.as_value(), text, match.start, match.end, match.confidence)]


def extract_detail(norm: Normalized) -> list[Entity]:
    return detail_entity(norm, detail_spans(norm))


def detail_entity(norm: Normalized, spans: list[tuple[int, int]]) -> list[Entity]:
    """One ``place_detail`` entity from the pieces' spans on the normalised text, with
    the named landmarks ("SDN Kebraon 1", "RSUD dr. Soetomo") added: those stay out of
    ``spans``, which the parser blanks before reading the topic (a school is the topic)."""
    spans = _merge(spans + landmark_spans(norm))
    if not spans:
        return []
    pieces = [norm.surface(s, e)[0] for s, e in spans]
    start, _ = norm.to_original(spans[0][0], spans[0][1])
    _, end = norm.to_original(spans[-1][0], spans[-1][1])
    return [Entity("place_detail", ", ".join(pieces), norm.original[start:end], start, end, 0.9)]


@per_text
def detail_spans(norm: Normalized) -> list[tuple[int, int]]:
    """Spans (on the normalised text) of street, gang, blok, RT/RW and landmark pieces."""
    tokens = norm.tokens()
    spans: list[tuple[int, int]] = []  # on the normalised text
    spans += [(m.start(), m.end()) for m in _RT_RW.finditer(norm.text)]
    k = 0
    while k < len(tokens):
        word = tokens[k][0]
        end_k = None
        if word in ("jalan", "gang"):
            end_k = _street(norm, tokens, k)
        elif word == "blok" and k + 1 < len(tokens) and not _broken(norm, tokens, k, k + 1):
            end_k = k + 1
        elif word in RELATIONS:
            end_k = _landmark(norm, tokens, k)
        if end_k is not None:
            spans.append((tokens[k][1], tokens[end_k][2]))
            k = end_k
        k += 1
    return _merge(spans)


@per_text
def landmark_spans(norm: Normalized) -> list[tuple[int, int]]:
    """Named landmarks without a relation word: a kind of place followed by its name or
    number, written with a capital or a digit ("SMPN 12 Surabaya", "Pasar Wonokromo",
    "perumahan Citraland"); a bare "pasar" or "sekolah" is no landmark."""
    tokens = norm.tokens()
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(tokens):
        word = tokens[k][0]
        head_end = k + 1 if word == "rumah" and k + 1 < len(tokens) and tokens[k + 1][0] == "sakit" else k
        if word in LANDMARK_HEADS or head_end > k:
            last = _named_after(norm, tokens, head_end)
            if last is not None:
                spans.append((tokens[k][1], tokens[last][2]))
                k = last
        k += 1
    return spans


def _named_after(norm: Normalized, tokens: list[tuple[str, int, int]], k: int) -> int | None:
    """The last token of the proper name or number right after token k, if there is one."""
    stop = _stop_words()
    last = None
    j = k + 1
    titled = False
    while j < len(tokens) and j - k <= 4 and (titled or not _broken(norm, tokens, j - 1, j)):
        word = tokens[j][0]
        surface = norm.surface(tokens[j][1], tokens[j][2])[0]
        titled = word == "dari" and surface.lower().startswith("dr")
        if titled:
            j += 1  # "RSUD dr. Soetomo": the doctor's title, not "dari"
            continue
        if word in stop or not (surface[:1].isupper() or word[:1].isdigit()):
            break
        last = j
        j += 1
    return last


def _broken(norm: Normalized, tokens: list[tuple[str, int, int]], a: int, b: int) -> bool:
    """Punctuation between token a and token b."""
    return bool(_BOUNDARY.search(norm.text, tokens[a][2], tokens[b][1]))


def _street(norm: Normalized, tokens: list[tuple[str, int, int]], k: int) -> int | None:
    stop = _stop_words()
    names: list[int] = []
    j = k + 1
    while j < len(tokens) and len(names) < 4 and not _broken(norm, tokens, j - 1, j):
        word = tokens[j][0]
        if word in NUMBER_WORDS or word in stop or (not names and word in _STREET_STOP):
            break
        names.append(j)
        if word.isdigit():
            break
        j += 1
    number = None
    if j < len(tokens) and tokens[j][0] in NUMBER_WORDS and j + 1 < len(tokens) and re.match(r"\d", tokens[j + 1][0]):
        number = j + 1
    if not names:
        return None
    surface = norm.surface(tokens[k][1], tokens[k][2])[0].lower()
    first = norm.surface(tokens[names[0]][1], tokens[names[0]][2])[0]
    abbreviated = surface.rstrip(".") in ("jl", "jln", "gg")
    if not (abbreviated or number is not None or first[:1].isupper() or tokens[names[0]][0].isdigit()):
        return None  # "jalan depan rumah" is a road, not an address
    return number if number is not None else names[-1]


def _landmark(norm: Normalized, tokens: list[tuple[str, int, int]], k: int) -> int | None:
    stop = _stop_words()
    last = None
    j = k + 1
    vocabulary = _vocabulary()
    while j < len(tokens) and j - k <= 4 and not _broken(norm, tokens, j - 1, j):
        word = tokens[j][0]
        if word in ("rt", "rw") and tokens[j - 1][0] in _RT_RW_PLACES:
            last = j  # "balai rw", "pos rt"
            j += 1
            continue
        if word in stop:
            break
        if last is not None and (word in vocabulary or _VERB_PREFIX.match(word)):
            break  # the landmark is a noun phrase: "dekat kampung" + "buang limbah"
        last = j
        j += 1
    return last


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged

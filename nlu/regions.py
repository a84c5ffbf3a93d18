"""A gazetteer of Indonesian regions (Kemendagri codes) for resolving place names.

``Gazetteer.load("35.78")`` reads only Kota Surabaya (plus its ancestors, for the full
name path) from ``data/regions/wilayah.csv.gz``; ``Gazetteer.load(None)`` reads all of
Indonesia. Loaded gazetteers are cached per scope.

Matching works on normalised tokens (see ``nlu.normalize``): a name matches with or
without its spaces ("karangpilang" = "Karang Pilang"); after a cue word ("kel",
"kecamatan", "desa", "di", ...) a small typo is tolerated (names of 5+ letters, one edit
up to 8 letters, two from 9); elsewhere only exact whole-word matches count, and never
for names made only of everyday words ("Baru", "Pasar"); ``find_outside`` is stricter.
"""

from __future__ import annotations

import csv
import gzip
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .normalize import ABBREVIATIONS, Normalized, normalize_with_map, remembered
from .stopwords import COMMON_WORDS

DATA_FILE = Path(__file__).parent / "data" / "regions" / "wilayah.csv.gz"

PROVINSI, KABUPATEN_KOTA, KECAMATAN, KELURAHAN, DESA = "provinsi", "kabupaten_kota", "kecamatan", "kelurahan", "desa"
LEVEL_RANK = {KELURAHAN: 4, DESA: 4, KECAMATAN: 3, KABUPATEN_KOTA: 2, PROVINSI: 1}
VILLAGE = frozenset({KELURAHAN, DESA})

# cue word -> the levels it announces (None: any level)
SPECIFIC_CUES: dict[str, frozenset[str] | None] = {
    "kelurahan": VILLAGE, "desa": VILLAGE, "kecamatan": frozenset({KECAMATAN}),
    "kabupaten": frozenset({KABUPATEN_KOTA}), "kota": frozenset({KABUPATEN_KOTA}), "provinsi": frozenset({PROVINSI}),
}
GENERIC_CUES = frozenset({"di", "daerah", "wilayah", "sekitar", "kawasan", "area", "kampung", "dusun"})
STREET_WORDS = frozenset({"jalan", "gang", "blok"})
NAME_CUES = frozenset({"kota", "kabupaten", "provinsi"})  # also the first word of the region's own name
OFFICE_WORDS = frozenset({"kantor", "balai", "kepala", "perangkat", "pemerintah", "aparat", "sekretaris", "lurah"})
PROVINCE_ALIASES = {"31": ("dki jakarta", "jakarta"), "34": ("diy", "yogyakarta", "jogja", "yogya")}
MAX_NGRAM = 4
OUTSIDE_LEVELS = frozenset({KABUPATEN_KOTA, KECAMATAN})  # villages outside the scope only after "desa", "kel", ...
# regencies bordering a deployment's scope: preferred when an outside name is ambiguous ("Waru")
NEIGHBOURS = {"35.78": ("35.15", "35.25", "35.26")}
_SCOPE, _NAME_TOKEN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"), re.compile(r"[a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class PlaceMatch:
    code: str
    name: str
    level: str
    path: str  # "Kebraon, Karang Pilang, Kota Surabaya, Jawa Timur"
    confidence: float = 1.0
    start: int = 0  # span of the matched words in the text given to resolve()/find()
    end: int = 0
    ambiguous: bool = False  # other regions with the same name were equally good
    regency: str = ""  # the kabupaten/kota it lies in ("Kabupaten Sidoarjo"); "" for a province

    def as_value(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "level": self.level, "path": self.path}


def name_tokens(name: str) -> list[str]:
    """Tokens of a region name, normalised the way messages are."""
    lowered = _REPEATS.sub(r"\1", name.lower().replace("'", "").replace("\u2019", ""))
    out: list[str] = []
    for token in _NAME_TOKEN.findall(lowered):
        out.extend(ABBREVIATIONS.get(token, token).split())
    return out


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Everyday words plus the NLU's own vocabulary (categories, agencies, lexicon)."""
    from .classify import rule_vocabulary
    from .keywords import vocabulary

    lexicon = {w for value in ABBREVIATIONS.values() for w in value.split()}
    return (
        COMMON_WORDS | vocabulary() | rule_vocabulary() | lexicon | frozenset(GENERIC_CUES) | frozenset(SPECIFIC_CUES)
    )


@dataclass
class _Candidate:
    key: str
    codes: tuple[str, ...]
    start: int  # token indices
    end: int
    confidence: float
    levels: frozenset[str] | None  # levels announced by a cue


class Gazetteer:
    _cache: ClassVar[dict[str | None, Gazetteer]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, regions: dict[str, Region], scope: str | None = None) -> None:
        self.scope = scope
        self.regions = regions
        self.index: dict[str, tuple[str, ...]] = {}
        self._fuzzy_keys: dict[int, list[str]] = {}  # by length
        self._build_index()

    # --- loading ----------------------------------------------------------------------

    @classmethod
    def load(cls, scope: str | None = None, path: Path = DATA_FILE) -> Gazetteer:
        """The gazetteer for a Kemendagri code prefix ("35.78" = Kota Surabaya), cached."""
        if scope is not None and not _SCOPE.match(scope):
            raise ValueError(f"not a Kemendagri region code: {scope!r}")
        key = scope if path == DATA_FILE else f"{path}|{scope}"
        with cls._lock:
            cached = cls._cache.get(key)
            if cached is None:
                cached = cls(_read(path, scope), scope)
                if scope is not None and scope not in cached.regions:
                    raise ValueError(f"unknown region code: {scope!r}")
                cls._cache[key] = cached
            return cached

    def _build_index(self) -> None:
        index: dict[str, list[str]] = {}
        for region in self.regions.values():
            if self.scope is not None and not (region.code == self.scope or region.code.startswith(self.scope + ".")):
                continue  # ancestors are there for the path only
            for key in self._keys(region):
                codes = index.setdefault(key, [])
                if region.code not in codes:
                    codes.append(region.code)
        self.index = {key: tuple(codes) for key, codes in index.items()}
        for key in self.index:
            if " " not in key and len(key) >= 5 and key.isalpha():
                self._fuzzy_keys.setdefault(len(key), []).append(key)

    @staticmethod
    def _keys(region: Region) -> set[str]:
        tokens = name_tokens(region.name)
        variants = [tokens]
        if region.level == KABUPATEN_KOTA and len(tokens) > 1 and tokens[0] in ("kota", "kabupaten"):
            variants.append(tokens[1:])
        if region.level == PROVINSI:
            variants.extend(alias.split() for alias in PROVINCE_ALIASES.get(region.code, ()))
        keys: set[str] = set()
        for variant in variants:
            if variant:
                keys.add(" ".join(variant))
                keys.add("".join(variant))
        return keys

    # --- lookups ----------------------------------------------------------------------

    def path(self, code: str) -> str:
        names = []
        current: str | None = code
        while current and (region := self.regions.get(current)) is not None:
            names.append(region.name)
            current = region.parent_code
        return ", ".join(names)

    def resolve(self, text: str) -> PlaceMatch | None:
        """The best region named in ``text`` (a free message or a short answer)."""
        return self.find(normalize_with_map(text), answer=len(text.split()) <= 5)

    @remembered
    def find(self, norm: Normalized, *, answer: bool = False) -> PlaceMatch | None:
        """Best region mentioned in normalised text; ``answer``: the whole text is a reply
        to "where?", so it is read as if it followed a cue word."""
        spans, tokens = norm.tokens(), norm.words()
        candidates = self._cue_candidates(tokens, answer)
        taken = {i for c in candidates for i in range(c.start, c.end)}
        candidates += [c for c in self._free_candidates(tokens) if not taken.intersection(range(c.start, c.end))]
        if not candidates:
            return None
        return self._choose(candidates, tokens, spans, norm)

    @remembered
    def find_outside(self, norm: Normalized, inner: str, *, answer: bool = False) -> PlaceMatch | None:
        """Best region outside the code prefix ``inner`` (this gazetteer being wider),
        read conservatively: exact names only; kecamatan and kabupaten/kota anywhere
        after a cue or written with a capital, kelurahan/desa only after "desa", "kel", ...;
        a kecamatan named like its own kabupaten ("Gresik") is read as the kabupaten."""
        spans, tokens = norm.tokens(), norm.words()

        def capital(cand: _Candidate) -> bool:
            return norm.surface(spans[cand.start][1], spans[cand.start][2])[0][:1].isupper()

        candidates = self._cue_candidates(tokens, answer, fuzzy=False)
        taken = {i for c in candidates for i in range(c.start, c.end)}
        candidates += [c for c in self._free_candidates(tokens) if not taken.intersection(range(c.start, c.end)) and capital(c)]
        inside = {c for cand in candidates for c in cand.codes if _within(c, inner)}
        common, kept = common_words(), list[_Candidate]()
        for cand in candidates:
            if cand.start > 0 and tokens[cand.start - 1] in STREET_WORDS:
                continue  # "jl. Gresik", "Jalan Bangil": Surabaya's streets are named after other towns
            if cand.levels is None and not capital(cand) and all(t in common for t in tokens[cand.start : cand.end]):
                continue  # a bare "taman" is a park, "Taman" may be the kecamatan
            allowed = OUTSIDE_LEVELS | (VILLAGE if cand.levels is not None and cand.levels <= VILLAGE else frozenset())
            codes = tuple(c for c in cand.codes if self.regions[c].level in allowed and not _within(c, inner))
            if codes and not any(c in inside for c in cand.codes):
                neighbours = NEIGHBOURS.get(inner, ())
                near = tuple(c for c in codes if c[:5] in neighbours)
                kept.append(_Candidate(cand.key, near or codes, cand.start, cand.end, cand.confidence, cand.levels))
        if not kept:
            return None
        match = self._choose(kept, tokens, spans, norm)
        regency = self.regions.get(match.code[:5])
        if match.level == KECAMATAN and regency is not None and name_tokens(match.name) == _bare(regency.name):
            return PlaceMatch(regency.code, regency.name, regency.level, self.path(regency.code), match.confidence,
                              match.start, match.end, match.ambiguous, regency.name)
        return match

    # --- candidate generation ---------------------------------------------------------

    def _cue_candidates(self, tokens: list[str], answer: bool, *, fuzzy: bool = True) -> list[_Candidate]:
        found: list[_Candidate] = []
        cues = [(i, tok) for i, tok in enumerate(tokens) if tok in SPECIFIC_CUES or tok in GENERIC_CUES]
        if answer:
            cues.insert(0, (-1, ""))
        for i, cue in cues:
            start = i + 1
            if start < len(tokens) and tokens[start] in SPECIFIC_CUES and cue not in SPECIFIC_CUES:
                continue  # "di kelurahan X": the next cue reads X
            if i > 0 and tokens[i - 1] in OFFICE_WORDS and cue in SPECIFIC_CUES:
                continue  # "kantor desa", "kepala desa": an office, not a place name
            specific = cue in SPECIFIC_CUES or cue == ""
            levels = SPECIFIC_CUES.get(cue)
            candidate = None
            if cue in NAME_CUES:  # "kota bandung" is a name in full: try it first
                candidate = self._lookup_after(tokens, i, levels, True, fuzzy=False)
            if candidate is None:
                typos = fuzzy and (specific or self.scope is not None)
                candidate = self._lookup_after(tokens, start, levels, specific, fuzzy=typos)
            if candidate is not None and not any(c.start == candidate.start for c in found):
                found.append(candidate)
        return found

    def _lookup_after(
        self, tokens: list[str], start: int, levels: frozenset[str] | None, specific: bool, *, fuzzy: bool = True
    ) -> _Candidate | None:
        common = common_words()
        stop = start
        while stop < len(tokens) and stop - start < MAX_NGRAM and not tokens[stop].isdigit():
            stop += 1
        grams = [tokens[start:end] for end in range(stop, start, -1)]
        for gram in grams:
            if not specific and all(t in common for t in gram):
                continue
            for key in (" ".join(gram), "".join(gram)):
                codes = self._filter(self.index.get(key, ()), levels)
                if codes:
                    return _Candidate(key, codes, start, start + len(gram), 1.0 if specific else 0.95, levels)
        if not fuzzy:
            return None
        for gram in reversed(grams):  # fuzzy: shortest first, so the typo'd word is not padded
            key = "".join(gram)
            if len(key) < 5 or not key.isalpha() or all(t in common for t in gram):
                continue  # a typo'd name is not made of everyday words
            hit = self._fuzzy(key, levels)
            if hit is not None:
                codes, distance = hit
                return _Candidate(key, codes, start, start + len(gram), 0.8 if distance == 1 else 0.7, levels)
        return None

    def _free_candidates(self, tokens: list[str]) -> list[_Candidate]:
        common, found, size = common_words(), list[_Candidate](), len(tokens)
        # per token: the first from it on that is no everyday word, and the first number
        rare_from, digit_from = [size] * (size + 1), [size] * (size + 1)
        for k in range(size - 1, -1, -1):
            rare_from[k] = k if tokens[k] not in common else rare_from[k + 1]
            digit_from[k] = k if tokens[k].isdigit() else digit_from[k + 1]
        i = 0
        while i < size:
            for n in range(min(MAX_NGRAM, size - i), 0, -1):
                if rare_from[i] >= i + n or digit_from[i] < i + n:
                    continue  # everyday words only, or a number among them
                gram = tokens[i : i + n]
                if n == 1 and (len(gram[0]) < 4 or (self.scope is None and len(gram[0]) < 6)):
                    continue
                codes = self.index.get(" ".join(gram)) or (self.index.get("".join(gram)) if n > 1 else None)
                if codes:
                    confidence = 0.9 if n > 1 else 0.85
                    if i > 0 and tokens[i - 1] in STREET_WORDS:
                        confidence = 0.5  # "jalan Airlangga": a street named after the area
                    found.append(_Candidate(" ".join(gram), codes, i, i + n, confidence, None))
                    i += n - 1
                    break
            i += 1
        return found

    def _filter(self, codes: tuple[str, ...], levels: frozenset[str] | None) -> tuple[str, ...]:
        return codes if not codes or levels is None else tuple(c for c in codes if self.regions[c].level in levels)

    def _fuzzy(self, key: str, levels: frozenset[str] | None) -> tuple[tuple[str, ...], int] | None:
        max_distance = 1 if len(key) <= 8 else 2
        keys = [k for n in range(len(key) - max_distance, len(key) + max_distance + 1) for k in self._fuzzy_keys.get(n, ())]
        hits = process.extract(key, keys, scorer=OSA.distance, score_cutoff=max_distance, limit=10)
        best: tuple[tuple[str, ...], int] | None = None
        for choice, distance, _ in sorted(hits, key=lambda h: h[1]):
            codes = self._filter(self.index[choice], levels)
            if not codes:
                continue
            if best is None:
                best = (codes, int(distance))
            elif distance == best[1]:
                best = (best[0] + codes, best[1])
        return best

    # --- choosing ---------------------------------------------------------------------

    def _choose(
        self,
        candidates: list[_Candidate],
        tokens: list[str],
        spans: list[tuple[str, int, int]],
        norm: Normalized,
    ) -> PlaceMatch:
        def ancestors(code: str) -> set[str]:
            parts = code.split(".")
            return {".".join(parts[:k]) for k in range(1, len(parts))}

        scored: list[tuple[float, _Candidate, str]] = []
        for cand in candidates:
            others = {c for other in candidates if other is not cand for c in other.codes}
            for code in cand.codes:
                region = self.regions[code]
                score = cand.confidence * 10 + LEVEL_RANK[region.level] * 2 + min(len(cand.key), 25) / 12.5
                if ancestors(code) & others:
                    score += 4  # "Kebraon, Karang Pilang": the parent is named too
                if cand.levels and region.level in cand.levels:
                    score += 2
                scored.append((score, cand, code))
        scored.sort(key=lambda item: (-item[0], item[2]))
        score, cand, code = scored[0]
        ambiguous = any(s == score and c is cand and k != code for s, c, k in scored[1:])
        region = self.regions[code]
        start, end = norm.to_original(spans[cand.start][1], spans[cand.end - 1][2])
        regency = self.regions.get(code[:5]) if len(code) >= 5 else None
        return PlaceMatch(
            code=code,
            name=region.name,
            level=region.level,
            path=self.path(code),
            confidence=cand.confidence,
            start=start,
            end=end,
            ambiguous=ambiguous,
            regency=regency.name if regency is not None else "",
        )


def _within(code: str, scope: str) -> bool:
    return code == scope or code.startswith(scope + ".")


def _bare(name: str) -> list[str]:
    """A kabupaten/kota's name without "Kabupaten"/"Kota"."""
    tokens = name_tokens(name)
    return tokens[1:] if tokens[:1] in (["kabupaten"], ["kota"]) else tokens


def _read(path: Path, scope: str | None) -> dict[str, Region]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    wanted = _wanted(scope)
    regions: dict[str, Region] = {}
    for line in lines[1:]:
        code = line[: line.index(",")]
        if wanted is not None and not wanted(code):
            continue
        row = next(csv.reader([line])) if '"' in line else line.split(",")
        regions[code] = Region(code, row[1], row[2], row[3] or None)
    return regions


def _wanted(scope: str | None) -> Callable[[str], bool] | None:
    if scope is None:
        return None
    parts = scope.split(".")
    ancestors = {".".join(parts[:k]) for k in range(1, len(parts))}
    prefix = scope + "."
    return lambda code: code == scope or code.startswith(prefix) or code in ancestors

"""RuleNlu: the first, rule-based implementation of ``nlu.Understanding``."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from complaints.taxonomy import ReportType

from . import intent_rules
from .classify import classify, has
from .entities import agency, money, nik, phone, place, tracking_code
from .entities import date as dates
from .entities.date import DateResult
from .normalize import Normalized, normalize_with_map
from .regions import GENERIC_CUES, SPECIFIC_CUES, Gazetteer, PlaceMatch
from .result import Entity, Parse

MAX_CHARS = 4000  # longer messages are read up to here (the bot refuses oversized text anyway)
BARE_CUES = frozenset({"kel", "kelurahan", "kec", "kecamatan", "desa", "ds"})


class RuleNlu:
    """Keyword and pattern rules over normalised text; fast and deterministic."""

    def __init__(self, region_scope: str | None = None, tz: ZoneInfo = ZoneInfo("Asia/Jakarta")) -> None:
        self.region_scope = region_scope
        self.tz = tz
        self._gazetteer: Gazetteer | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        """Loaded on first use, then shared (Gazetteer.load caches per scope)."""
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.load(self.region_scope)
        return self._gazetteer

    # --- the whole message ---------------------------------------------------------------

    def parse(self, text: str, now: datetime) -> Parse:
        text = text or ""
        norm = normalize_with_map(text[:MAX_CHARS])
        detail_spans = place.detail_spans(norm)
        entities = self._entities(norm, now, detail_spans)
        today = dates.local_now(now, self.tz).date()
        result = classify(norm.text, entities, today, topic_text=_topic_text(norm, entities, detail_spans))
        signals = intent_rules.IntentSignals(
            valid_code=any(e.type == "tracking_code" for e in entities),
            invalid_code=any(e.type == "tracking_code_invalid" for e in entities),
            problem=has("problem", norm.text) or result.maladministration is not None,
            category_score=max(result.scores.values(), default=0.0),
            question=result.report_type is not ReportType.PENGADUAN,
        )
        intent, intent_confidence = intent_rules.detect(norm.text, signals)
        return Parse(
            text=text,
            normalized=norm.text,
            intent=intent,
            intent_confidence=intent_confidence,
            entities=entities,
            category=result.category,
            category_confidence=result.confidence,
            category_ranking=result.ranking,
            report_type=result.report_type,
            weight=result.weight,
            maladministration=result.maladministration,
            reasons=result.reasons,
        )

    def _entities(self, norm: Normalized, now: datetime, detail_spans: list[tuple[int, int]]) -> tuple[Entity, ...]:
        raw = norm.original
        found: list[Entity] = []
        found += tracking_code.extract(raw)
        found += _free(nik.extract(raw), found)
        found += _free(phone.extract(raw), found)
        found += _free(money.extract(raw), found)
        found += _free(dates.extract(norm, now, self.tz), found)
        places = _free(place.extract_place(norm, self.gazetteer), found)
        found += places
        found += [a for a in agency.extract(norm) if not _is_place_cue(a, places, raw)]
        found += place.detail_entity(norm, detail_spans)
        return tuple(sorted(found, key=lambda e: (e.start, e.end)))

    # --- single answers ------------------------------------------------------------------

    def parse_date(self, text: str, now: datetime, tz: ZoneInfo | None = None) -> DateResult:
        return dates.parse_date(text, now, tz or self.tz)

    def resolve_place(self, text: str) -> PlaceMatch | None:
        return self.gazetteer.resolve(text)

    def parse_phone(self, text: str) -> str | None:
        return phone.parse_phone(text)


def _free(new: list[Entity], taken: list[Entity]) -> list[Entity]:
    """Drop entities overlapping ones already found (a NIK is not a phone number)."""
    return [e for e in new if all(e.end <= t.start or e.start >= t.end for t in taken)]


def _is_place_cue(found: Entity, places: list[Entity], raw: str) -> bool:
    """"kel" in "kel Kebraon" names the area, not the office."""
    if found.text.lower().rstrip(".") not in BARE_CUES:
        return False
    return any(p.start >= found.end and not raw[found.end : p.start].strip(" .") for p in places)


def _topic_text(norm: Normalized, entities: tuple[Entity, ...], detail_spans: list[tuple[int, int]]) -> str:
    """The normalised text with addresses, landmarks and named areas (and their cue
    words) blanked, for reading the topic without being misled by "depan SD"."""
    chars = list(norm.text)
    for start, end in detail_spans:
        chars[start:end] = " " * (end - start)
    for found in entities:
        if found.type != "place":
            continue
        indices = [i for i in range(len(chars)) if norm.starts[i] >= found.start and norm.ends[i] <= found.end]
        if not indices:
            continue
        for i in indices:
            chars[i] = " "
        before = "".join(chars[: indices[0]]).rstrip(" .")
        cue = before.rsplit(" ", 1)[-1]
        if cue in SPECIFIC_CUES or cue in GENERIC_CUES:
            start = len(before) - len(cue)
            chars[start : len(before)] = " " * len(cue)
    return "".join(chars)

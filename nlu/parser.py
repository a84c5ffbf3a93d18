"""RuleNlu: the implementation of ``nlu.Understanding``: rules, patterns and a trained model.

Entities come from patterns, the region list and dictionaries; intent from rules, with
the trained model (``nlu.model``) deciding messages the rules leave as chatter;
category, report type, weight and maladministration from the keyword rules combined with
the model (``nlu.ensemble``). ``RuleNlu(model=None)`` runs the rules alone. ``Nlu`` is
the same class under a name that no longer undersells it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from complaints.org import FaqEntry
from complaints.taxonomy import Category, Maladministration, ReportType, Weight

from . import ensemble, faq, intent_rules, split
from . import intents as I
from .classify import Classification, classify, has
from .entities import agency, money, nik, person, phone, place, tracking_code
from .entities import correction as corrections
from .entities import date as dates
from .entities import emergency as emergencies
from .entities.date import DateResult
from .entities.person import PersonName
from .model import Model
from .normalize import Normalized, normalize_with_map
from .regions import GENERIC_CUES, SPECIFIC_CUES, Gazetteer, PlaceMatch, common_words
from .result import Entity, Parse

MAX_CHARS = 4000  # longer messages are read up to here (the bot refuses oversized text anyway)
BARE_CUES = frozenset({"kel", "kelurahan", "kec", "kecamatan", "desa", "ds"})
DEFAULT = object()  # RuleNlu(model=DEFAULT): the shipped model, loaded on first use
MODEL_INTENT_CONFIDENCE = 0.7  # the model may name the intent of what the rules call chatter
MODEL_COMPLAINT_CONFIDENCE = 0.6  # ... or call it a complaint when it is this sure of the topic
MIN_COMPLAINT_WORDS = 4
# the intents the rules can only guess between; the model decides from this probability
# (chosen on out-of-fold predictions of the training examples, never an evaluation set)
ARBITRATED = frozenset({I.QUESTION, I.UNSURE, I.CHITCHAT, I.HELP, I.NEW_COMPLAINT, I.GREETING, I.THANKS,
                        I.GOODBYE, I.MY_COMPLAINTS, I.CASE_QUESTION})
MODEL_ARBITRATION = 0.5
RULES_SURE = 0.85  # the rules' own words ("mau lapor", "laporan saya"): not arbitrated
MIN_OTHER_COMPLAINT_WORDS = 7  # "lainnya" alone makes a complaint of a message only this long
SHORT_COMPLAINT_CONFIDENCE = 0.8  # a two- or three-word message the model is this sure of the topic of ("bus telat terus")
SPLIT_CONFIDENCE = 0.5  # each part of a message with two problems must be this surely of its category


class Reading(NamedTuple):
    """What ``RuleNlu.read`` makes of a message before the model is asked."""

    norm: Normalized
    detail_spans: list[tuple[int, int]]  # streets, gangs, RT/RW, landmarks (``place.detail_spans``)
    entities: tuple[Entity, ...]
    classification: Classification


class RuleNlu:
    """Rules and patterns over normalised text, combined with the trained model; deterministic."""

    def __init__(
        self, region_scope: str | None = None, tz: ZoneInfo = ZoneInfo("Asia/Jakarta"), model: object = DEFAULT
    ) -> None:
        self.region_scope = region_scope
        self.tz = tz
        self._gazetteer: Gazetteer | None = None
        self._model = model

    @property
    def model(self) -> Model | None:
        """The trained classifier (``nlu/data/model/classifier.npz``), read on first use."""
        if self._model is DEFAULT:
            self._model = Model.load()
        return self._model  # type: ignore[return-value]

    @property
    def routing_threshold(self) -> float:
        """The category confidence from which a complaint is routed without asking (the
        model's calibrated threshold; the rules' default without a model)."""
        model = self.model
        return model.calibration.routing_threshold if model is not None else ensemble.ROUTING_THRESHOLD

    @property
    def gazetteer(self) -> Gazetteer:
        """Loaded on first use, then shared (Gazetteer.load caches per scope)."""
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.load(self.region_scope)
        return self._gazetteer

    # --- the whole message ---------------------------------------------------------------

    def read(self, text: str, now: datetime) -> Reading:
        """The first half of ``parse`` (training reads the rules' category evidence from it)."""
        norm = normalize_with_map(text[:MAX_CHARS])
        detail_spans = place.detail_spans(norm)
        entities = self._entities(norm, now, detail_spans)
        today = dates.local_now(now, self.tz).date()
        topic_text = _topic_text(norm, entities, detail_spans)
        return Reading(norm, detail_spans, entities, classify(norm.text, entities, today, topic_text=topic_text))

    def parse(self, text: str, now: datetime) -> Parse:
        text = text or ""
        norm, detail_spans, entities, result = self.read(text, now)
        model = self.model
        coverage, probabilities = model.read(norm) if model is not None else (1.0, {})

        def predict(head: str) -> dict[str, float] | None:
            return probabilities.get(head)

        code, confidence, ranked = ensemble.category(
            predict("category"), {c.value: s for c, s in result.scores.items()}, coverage,
            model.calibration if model is not None else None,
        )
        if not result.scores and not _has_topic(norm.text):
            code, confidence, ranked = None, 0.0, []  # "mau lapor", "selamat pagi": no topic to guess from
        category = Category(code) if code is not None else None
        certain = category is not None and confidence >= self.routing_threshold
        if not certain:  # the dialog asks: three services, and "lainnya" is always offered next to them
            ranked = [(c, p) for c, p in ranked if c != ensemble.OTHER]
        ranking = tuple((Category(c), round(p, 3)) for c, p in ranked[:3])
        mal_code, mal_confidence = ensemble.axis(
            "maladministration", predict("maladministration"),
            result.maladministration.value if result.maladministration else "none",
        )
        type_code, type_confidence = ensemble.axis("report_type", predict("report_type"), result.report_type.value)
        report_type = ReportType(type_code)
        if mal_code != "none" and result.maladministration is None and (
            mal_confidence < ensemble.MIN_MODEL_MALADMINISTRATION or report_type is not ReportType.PENGADUAN
        ):
            mal_code, mal_confidence = "none", 1.0 - mal_confidence  # the model alone must be sure, and only for complaints
        maladministration = None if mal_code == "none" else Maladministration(mal_code)
        weight_code, weight_confidence = ensemble.axis("weight", predict("weight"), result.weight.value)
        weight = Weight(weight_code)
        if result.weight is Weight.BERAT and weight is not Weight.BERAT:
            # TAXONOMY.md names these cases berat (danger, vulnerable people, extortion): binding
            weight, weight_confidence = Weight.BERAT, max(weight_confidence, 0.5)
        if maladministration is Maladministration.PERMINTAAN_IMBALAN and weight is not Weight.BERAT:
            weight, weight_confidence = Weight.BERAT, mal_confidence  # extortion is always berat
        emergency_found, correction_found = emergencies.extract(norm), corrections.extract(norm)
        signals = intent_rules.IntentSignals(
            valid_code=any(e.type == "tracking_code" for e in entities),
            invalid_code=any(e.type == "tracking_code_invalid" for e in entities),
            problem=has("problem", norm.text) or result.maladministration is not None,
            category_score=max(result.scores.values(), default=0.0),
            question=result.report_type is not ReportType.PENGADUAN,
            emergency=bool(emergency_found),
            correction=bool(correction_found),
            aspiration=result.report_type is ReportType.ASPIRASI,
            problem_words=has("problem", norm.text),
        )
        intent, intent_confidence = intent_rules.detect(norm.text, signals)
        reasons = list(result.reasons)
        if intent == I.CHITCHAT and model is not None and coverage >= ensemble.MIN_COVERAGE:
            # "lainnya" is where the model puts what names no service ("kamu manusia?"): no sign of a complaint
            vague = code is None or (code == ensemble.OTHER and len(norm.text.split()) < MIN_OTHER_COMPLAINT_WORDS)
            topic_confidence = 0.0 if vague else confidence
            intent, intent_confidence = self._model_intent(predict("intent") or {}, norm.text, topic_confidence, reasons)
        if intent == I.CHITCHAT and len(norm.text.split()) >= MIN_COMPLAINT_WORDS:
            intent, intent_confidence = I.UNSURE, 0.5  # the dialog asks whether it is a report
        if intent in ARBITRATED and intent_confidence < RULES_SURE and model is not None and (
            coverage >= ensemble.MIN_COVERAGE
        ) and not (intent == I.NEW_COMPLAINT and certain):
            intent, intent_confidence = self._arbitrate(intent, intent_confidence, predict("intent") or {}, reasons)
        entities = (*entities, *_conversation_entities(intent, norm, emergency_found, correction_found))
        if intent == I.RATE_SCORE:
            score = intent_rules.rating_score(norm.text)
            if score is not None:
                entities = (*entities, Entity("score", score, text.strip(), 0, len(text), 0.9))
        return Parse(
            text=text,
            normalized=norm.text,
            intent=intent,
            intent_confidence=intent_confidence,
            entities=entities,
            category=category,
            category_confidence=round(confidence, 3) if category is not None else 0.0,
            category_ranking=ranking,
            category_certain=certain,
            report_type=report_type,
            report_type_confidence=type_confidence,
            weight=weight,
            weight_confidence=weight_confidence,
            maladministration=maladministration,
            maladministration_confidence=mal_confidence,
            reasons=tuple(reasons),
        )

    @staticmethod
    def _arbitrate(intent: str, confidence: float, probs: dict[str, float], reasons: list[str]) -> tuple[str, float]:
        """Between the intents the rules can only guess at (a question or a complaint, help
        or chatter), the model decides when it is sure; a complaint whose service is certain
        stays one (checked by the caller)."""
        best = max(probs, key=lambda k: probs[k]) if probs else intent
        if best != intent and best in ARBITRATED | {I.CHECK_STATUS} and probs[best] >= MODEL_ARBITRATION:
            reasons.append(f"intent: model ({best}, not {intent})")
            return best, round(probs[best], 3)
        return intent, confidence

    @staticmethod
    def _model_intent(
        probs: dict[str, float], normalized: str, category_confidence: float, reasons: list[str]
    ) -> tuple[str, float]:
        """What the model makes of a message the rules could only call chatter."""
        n = len(normalized.split())
        best = max(probs, key=lambda k: probs[k]) if probs else I.CHITCHAT
        confident = best != I.CHITCHAT and probs.get(best, 0.0) >= MODEL_INTENT_CONFIDENCE
        if confident and best != I.NEW_COMPLAINT:  # "ini layanan apa ya": help, whatever its topic
            reasons.append(f"intent: model ({best})")
            return best, round(probs[best], 3)
        if (n >= MIN_COMPLAINT_WORDS and (category_confidence >= MODEL_COMPLAINT_CONFIDENCE or confident)) or (
            n >= 2 and category_confidence >= SHORT_COMPLAINT_CONFIDENCE
        ):
            reasons.append("intent: the model recognises a complaint")
            return I.NEW_COMPLAINT, round(max(category_confidence, probs.get(best, 0.0)), 3)
        return I.CHITCHAT, 0.5

    def _entities(self, norm: Normalized, now: datetime, detail_spans: list[tuple[int, int]]) -> tuple[Entity, ...]:
        raw = norm.original
        found: list[Entity] = []
        found += tracking_code.extract(raw)
        found += _free(nik.extract(raw), found)
        found += _free(phone.extract(raw), found)
        found += _free(money.extract(raw), found)
        found += _free(_on_original(money.extract(norm.text), norm), found)  # "tiga ratus ribu"
        found += _free(dates.extract(norm, now, self.tz), found)
        places = _free(place.extract_place(norm, self.gazetteer), found)
        found += places
        if not places and self.region_scope is not None and _outside_cue(norm):
            found += _free(self._place_outside(norm), found)
        found += [a for a in agency.extract(norm) if not _is_place_cue(a, places, raw)]
        found += place.detail_entity(norm, detail_spans)
        found += _free(person.extract(norm), found)
        return tuple(sorted(found, key=lambda e: (e.start, e.end)))

    # --- single answers ------------------------------------------------------------------

    def parse_date(self, text: str, now: datetime, tz: ZoneInfo | None = None) -> DateResult:
        return dates.parse_date(text, now, tz or self.tz)

    def resolve_place(self, text: str) -> PlaceMatch | None:
        return self.gazetteer.resolve(text)

    def parse_phone(self, text: str) -> str | None:
        return phone.parse_phone(text)

    def match_faq(self, text: str, entries: Sequence[FaqEntry], *, strict: bool = False) -> FaqEntry | None:
        if not entries:
            return None
        found = faq.matcher(tuple(entries)).match(text[:MAX_CHARS])
        if found is None or (strict and found[1] < faq.STRICT_THRESHOLD):
            return None
        return found[0]

    def split_problems(self, text: str, now: datetime) -> list[str]:
        def categorize(segment: str) -> tuple[str | None, bool]:
            if not split.rule_category(segment)[1] or split.IDENTITY.match(segment):
                return None, False  # no clear word of a problem ("saya warga kel. Lontar", "NIK saya …"): no parse
            found = self.parse(segment, now)
            if found.category is None or found.intent not in (I.NEW_COMPLAINT, I.EMERGENCY, I.UNSURE):
                return None, False
            return found.category.value, found.category_confidence >= SPLIT_CONFIDENCE

        return split.split_problems(text[:MAX_CHARS], categorize)

    def parse_name(self, text: str) -> PersonName | None:
        return person.read_person(text)

    def resolve_outside(self, text: str) -> PlaceMatch | None:
        """A place outside ``region_scope`` but in its province (read lazily, then cached)."""
        wider = self._wider_gazetteer()
        if wider is None or self.region_scope is None or self.gazetteer.resolve(text) is not None:
            return None
        return wider.find_outside(normalize_with_map(text), self.region_scope, answer=len(text.split()) <= 5)

    def _wider_gazetteer(self) -> Gazetteer | None:
        scope = self.region_scope
        if scope is None or "." not in scope:
            return None  # all of Indonesia, or a whole province, is in scope already
        return Gazetteer.load(scope[:2])  # cached per scope by Gazetteer.load

    def _place_outside(self, norm: Normalized) -> list[Entity]:
        wider = self._wider_gazetteer()
        if wider is None or self.region_scope is None:
            return []
        match = wider.find_outside(norm, self.region_scope)
        if match is None:
            return []
        value = {**match.as_value(), "regency": match.regency}
        return [Entity("place_outside", value, norm.original[match.start : match.end], match.start, match.end, match.confidence)]


# words that name no topic: asking to report, greeting, thanking, calling out, function words
_NO_TOPIC_EXTRA = frozenset(
    """saya aku kami kita mau ingin pengen hendak mohon tolong bantu min admin pak bu bapak ibu kak mas mbak apa
    kabar semua semuanya ini itu ya iya dong nih sih deh ada yang di dan untuk buat sesuatu masalah hal soal
    tentang bisa boleh gimana bagaimana caranya cara sini lewat disini terima kasih selamat""".split()
)


@lru_cache(maxsize=1)
def _no_topic_words() -> frozenset[str]:
    names = ("report", "greeting", "thanks", "goodbye", "help", "affirm", "deny", "cancel")
    words = {w for name in names for phrase in intent_rules.PHRASES[name] for w in phrase.rstrip("*").split()}
    return frozenset(words | intent_rules.CALLOUTS | _NO_TOPIC_EXTRA)


def _has_topic(normalized: str) -> bool:
    """Some word of the message could name what it is about (not only "mau lapor min")."""
    stop = _no_topic_words()
    return any(not w.isdigit() and w not in stop for w in re.findall(r"[a-z0-9]+", normalized))


def _conversation_entities(
    intent: str, norm: Normalized, emergency: list[Entity], correction: list[Entity]
) -> list[Entity]:
    """The salam a message opens with, and what goes with the intent: the emergency's kind,
    the correction, the reason of a rating."""
    out: list[Entity] = []
    opening = intent_rules.salam(norm.text)
    if opening is not None:
        surface, start, end = norm.surface(opening[1], opening[2])
        out.append(Entity("salam", opening[0], surface, start, end, 0.9))
    if intent == I.EMERGENCY:
        out += emergency
    elif intent == I.CORRECTION:
        out += correction
    elif intent in (I.RATE_SATISFIED, I.RATE_UNSATISFIED):
        reason = intent_rules.rating_reason(norm.text)
        if reason is not None:
            surface, start, end = norm.surface(*reason)
            out.append(Entity("reason", surface, surface, start, end, 0.8))
    return out


def _outside_cue(norm: Normalized) -> bool:
    """Worth a look in the wider gazetteer: a region cue word ("desa", "kabupaten", ...), or
    "di" before a capitalised word or one the NLU does not know."""
    tokens = norm.tokens()
    common = common_words()
    for k, (word, _, _) in enumerate(tokens):
        if word in SPECIFIC_CUES:
            return True
        if word == "di" and k + 1 < len(tokens):
            following, start, end = tokens[k + 1]
            if following not in common or norm.surface(start, end)[0][:1].isupper():
                return True
    return False


def _on_original(found: list[Entity], norm: Normalized) -> list[Entity]:
    """Entities found on the normalised text, with their spans moved onto the original."""
    out = []
    for e in found:
        surface, start, end = norm.surface(e.start, e.end)
        out.append(Entity(e.type, e.value, surface, start, end, e.confidence))
    return out


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


Nlu = RuleNlu  # the same implementation; the rules are no longer all it has

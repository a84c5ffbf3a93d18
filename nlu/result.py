"""What the NLU understood from one message: plain, frozen, JSON-ready values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from complaints.taxonomy import Category, Maladministration, ReportType, Weight


@dataclass(frozen=True)
class Entity:
    """One thing found in the text.

    ``value`` is normalised (a ``date``, an E.164 phone string, an int of rupiah, a dict
    for places, ...); ``text`` is the surface form and ``start``/``end`` index the
    *original* message (``Parse.text``), not the normalised one.
    """

    type: str
    value: Any
    text: str
    start: int
    end: int
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "value": to_jsonable(self.value),
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class Parse:
    text: str
    normalized: str
    intent: str
    intent_confidence: float
    entities: tuple[Entity, ...] = ()
    category: Category | None = None
    category_confidence: float = 0.0
    category_ranking: tuple[tuple[Category, float], ...] = ()
    # confidence at or above the NLU's calibrated routing threshold: the category may be taken
    # without asking the citizen (below it the dialog offers the ranking as buttons)
    category_certain: bool = False
    report_type: ReportType = ReportType.PENGADUAN
    weight: Weight = Weight.SEDANG
    maladministration: Maladministration | None = None
    report_type_confidence: float = 1.0
    weight_confidence: float = 1.0
    maladministration_confidence: float = 1.0  # confidence in the value above, None included
    # free-form notes for debugging/explanations (e.g. which rule fired); not compared
    reasons: tuple[str, ...] = field(default=(), compare=False)

    def entity(self, type: str) -> Entity | None:  # mirrors Entity.type
        """The first entity of that type (in text order), or None."""
        for found in self.entities:
            if found.type == type:
                return found
        return None

    def entities_of(self, type: str) -> tuple[Entity, ...]:
        return tuple(found for found in self.entities if found.type == type)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "normalized": self.normalized,
            "intent": self.intent,
            "intent_confidence": round(self.intent_confidence, 3),
            "entities": [found.to_dict() for found in self.entities],
            "category": to_jsonable(self.category),
            "category_confidence": round(self.category_confidence, 3),
            "category_ranking": [[to_jsonable(c), round(s, 3)] for c, s in self.category_ranking],
            "category_certain": self.category_certain,
            "report_type": to_jsonable(self.report_type),
            "report_type_confidence": round(self.report_type_confidence, 3),
            "weight": to_jsonable(self.weight),
            "weight_confidence": round(self.weight_confidence, 3),
            "maladministration": to_jsonable(self.maladministration),
            "maladministration_confidence": round(self.maladministration_confidence, 3),
            "reasons": list(self.reasons),
        }


def to_jsonable(value: Any) -> Any:
    """Dates as ISO strings, enums as their codes, containers recursively."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value

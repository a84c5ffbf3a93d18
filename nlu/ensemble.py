"""Combining the keyword rules (``nlu.classify``) with the statistical model (``nlu.model``).

Category: the model's probabilities and the rules' share of keyword evidence are mixed,
the rules counting more the more evidence they found. A message the model barely knows
(few of its words were ever seen in training) gets a damped confidence, and one with
neither keyword evidence nor a confident model gets no category at all, so the dialog
asks instead of guessing.

Report type, weight and maladministration: the rules' decision (which carries reasons)
and the model's probabilities are mixed the same way; the model can overrule a rule only
when it is clearly more confident.

The weights below are the defaults; a trained model carries its own ``Calibration``
(rule weight, temperature, routing threshold), chosen by ``python -m nlu.train`` on
out-of-fold predictions of the training data, never on an evaluation set. The
temperature makes the category confidence a calibrated probability (of the category
being right), so the routing threshold means an error rate.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass

RULE_WEIGHT_CATEGORY = 0.7  # at full keyword evidence
RULE_EVIDENCE_SCALE = 1.0  # keyword score at which the rules' say is ~63% of its maximum
RULE_WEIGHT_AXIS = {"weight": 0.3, "report_type": 0.3, "maladministration": 0.2}
MIN_MODEL_CONFIDENCE = 0.35  # below this (and without keyword evidence) no category
MIN_MODEL_MALADMINISTRATION = 0.5  # the model alone names maladministration only when this sure
MIN_COVERAGE = 0.5  # share of known words under which confidence is damped
OTHER = "lainnya"  # the category of what no service above serves
ROUTING_THRESHOLD = 0.5  # category confidence from which a complaint is routed without asking


@dataclass(frozen=True)
class Calibration:
    """What training chose for the category ensemble (stored in the model artefact)."""

    rule_weight: float = RULE_WEIGHT_CATEGORY
    temperature: float = 1.0  # the mixed distribution ** (1 / temperature), renormalised
    routing_threshold: float = ROUTING_THRESHOLD
    min_model_confidence: float = MIN_MODEL_CONFIDENCE

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Calibration:
        raw = json.loads(text)
        return cls(**{k: float(v) for k, v in raw.items() if k in cls.__dataclass_fields__})


def mix(model: dict[str, float], rule_scores: dict[str, float], calibration: Calibration) -> dict[str, float]:
    """The model's probabilities mixed with the rules' share of keyword evidence, then
    sharpened or softened by the calibration's temperature (sums to 1)."""
    total = sum(rule_scores.values())
    strength = calibration.rule_weight * (1.0 - math.exp(-total / RULE_EVIDENCE_SCALE)) if total > 0 else 0.0
    mixed = {c: (1.0 - strength) * p for c, p in model.items()}
    for c, s in rule_scores.items():
        mixed[c] = mixed.get(c, 0.0) + strength * s / total
    if calibration.temperature == 1.0:
        return mixed
    inverse = 1.0 / calibration.temperature
    logs = {c: inverse * math.log(max(p, 1e-12)) for c, p in mixed.items()}
    top = max(logs.values())
    powered = {c: math.exp(v - top) for c, v in logs.items()}
    norm = sum(powered.values())
    return {c: v / norm for c, v in powered.items()}


def category(
    model: dict[str, float] | None, rule_scores: dict[str, float], coverage: float = 1.0,
    calibration: Calibration | None = None,
) -> tuple[str | None, float, list[tuple[str, float]]]:
    """(category or None, confidence, top-3 ranking) from model probabilities and rule scores."""
    total = sum(rule_scores.values())
    if model is None:
        if total <= 0:
            return None, 0.0, []
        ranked = sorted(rule_scores.items(), key=lambda kv: -kv[1])
        shares = [(c, (s / total) * (1.0 - math.exp(-s / 2.0))) for c, s in ranked[:3]]
        return shares[0][0], shares[0][1], shares
    calibration = calibration or Calibration()
    mixed = mix(model, rule_scores, calibration)
    damp = 1.0 if coverage >= MIN_COVERAGE else max(coverage / MIN_COVERAGE, 0.2)
    ranked = sorted(mixed.items(), key=lambda kv: -kv[1])[:4]  # the parser keeps three
    ranking = [(c, p * damp) for c, p in ranked]
    best, confidence = ranking[0]
    if total <= 0 and (model[best] < calibration.min_model_confidence or coverage < MIN_COVERAGE):
        # undecided: the dialog asks, offering the likeliest services ("lainnya" is always offered)
        services = sorted(((c, p * damp) for c, p in mixed.items() if c != OTHER), key=lambda kv: -kv[1])[:3]
        return None, 0.0, services if confidence >= 0.15 else []
    return best, confidence, ranking


def axis(name: str, model: dict[str, float] | None, rule_choice: str) -> tuple[str, float]:
    """(label, confidence) for weight / report_type / maladministration ("none" = no maladministration)."""
    if model is None:
        return rule_choice, 1.0
    weight = RULE_WEIGHT_AXIS[name]
    mixed = {c: (1.0 - weight) * p for c, p in model.items()}
    mixed[rule_choice] = mixed.get(rule_choice, 0.0) + weight
    best = max(mixed, key=lambda c: mixed[c])
    return best, mixed[best]

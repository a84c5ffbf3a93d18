"""Calibrating the category confidence on out-of-fold predictions (used by ``nlu.train``).

Out-of-fold predictions of a stratified k-fold over the category examples choose the
keyword rules' weight in the ensemble (best top-1), the temperature (least log-loss, so the
confidence is the probability of being right) and the routing threshold (the lowest
confidence from which the out-of-fold routing errs at most ``MAX_ROUTING_ERROR``); the
artefact stores them (``ensemble.Calibration``). numpy only; training data only, never an
evaluation set.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from . import ensemble

SEED = 13
MAX_ROUTING_ERROR = 0.02  # the limit is 3 %: keep a margin
RULE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
TEMPERATURES = tuple(round(0.25 * 1.12**k, 4) for k in range(30))
MIN_MODEL_CONFIDENCES = (ensemble.MIN_MODEL_CONFIDENCE,)  # the dialog asks below it: kept, not tuned
SCALES = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
NOW = datetime(2025, 3, 19, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


# --- out-of-fold predictions and calibration ------------------------------------------------


@dataclass
class OutOfFold:
    """Out-of-fold category scores of every category example (rows in ``texts`` order)."""

    texts: list[str]
    gold: list[str]
    classes: list[str]
    scores: np.ndarray  # (n, classes): the linear scores (before the softmax)
    coverage: np.ndarray  # (n,): share of the message's words seen in the fold's training data
    rules: list[dict[str, float]]  # the keyword rules' category scores, as the parser computes them


def folds_of(labels: list[str], folds: int, seed: int = SEED) -> np.ndarray:
    """A stratified fold number for every example."""
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(labels), dtype=np.int64)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    offset = 0
    for label in sorted(by_label):
        members = rng.permutation(by_label[label])
        fold[members] = (np.arange(len(members)) + offset) % folds
        offset += len(members)
    return fold


def rule_evidence(texts: list[str]) -> list[dict[str, float]]:
    """The keyword rules' category scores of each text, as the parser computes them."""
    from .parser import RuleNlu

    rules = RuleNlu(model=None)
    return [{c.value: s for c, s in rules.read(text, NOW).classification.scores.items()} for text in texts]


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True))


def _nll(probs: np.ndarray, gold_index: np.ndarray) -> float:
    return float(-np.mean(np.log(np.maximum(probs[np.arange(len(gold_index)), gold_index], 1e-12))))


def _mixed(probs: np.ndarray, shares: np.ndarray, totals: np.ndarray, rule_weight: float, temperature: float) -> np.ndarray:
    """ensemble.mix over all rows at once."""
    strength = rule_weight * (1.0 - np.exp(-totals / ensemble.RULE_EVIDENCE_SCALE))
    mixed: np.ndarray = (1.0 - strength)[:, None] * probs + strength[:, None] * shares
    if temperature == 1.0:
        return mixed
    logs = np.log(np.maximum(mixed, 1e-12)) / temperature
    return _softmax(logs)


def calibrate(oof: OutOfFold, rules: list[dict[str, float]], learner: str) -> tuple[float, ensemble.Calibration]:
    """(the model's score scale, the ensemble's calibration) from out-of-fold predictions."""
    gold_index = np.array([oof.classes.index(g) for g in oof.gold])
    scale = 1.0
    if learner != "logreg":
        scale = min(SCALES, key=lambda s: _nll(_softmax(s * oof.scores), gold_index))
    probs = _softmax(scale * oof.scores)
    shares, totals = _rule_matrix(rules, oof.classes)

    def top1(weight: float) -> float:
        return float(np.mean(_mixed(probs, shares, totals, weight, 1.0).argmax(axis=1) == gold_index))

    rule_weight = max(RULE_WEIGHTS, key=lambda w: (round(top1(w), 4), -w))
    temperature = min(TEMPERATURES, key=lambda t: _nll(_mixed(probs, shares, totals, rule_weight, t), gold_index))
    base = ensemble.Calibration(rule_weight=rule_weight, temperature=temperature)
    min_conf = max(
        MIN_MODEL_CONFIDENCES,
        key=lambda m: (round(_figures(oof, probs, rules, _replace(base, min_model_confidence=m))["top1"], 4), m),
    )
    base = _replace(base, min_model_confidence=min_conf)
    decisions = _decide(oof, probs, rules, base)
    threshold = routing_threshold(decisions)
    return scale, _replace(base, routing_threshold=threshold)


def _replace(calibration: ensemble.Calibration, **changes: float) -> ensemble.Calibration:
    return replace(calibration, **changes)


def _rule_matrix(rules: list[dict[str, float]], classes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    shares = np.zeros((len(rules), len(classes)))
    totals = np.zeros(len(rules))
    for i, scores in enumerate(rules):
        total = sum(scores.values())
        totals[i] = total
        for c, s in scores.items():
            if total > 0 and c in classes:
                shares[i, classes.index(c)] = s / total
    return shares, totals


def _decide(
    oof: OutOfFold, probs: np.ndarray, rules: list[dict[str, float]], calibration: ensemble.Calibration
) -> list[tuple[str, str | None, float, list[str]]]:
    """(gold, category or None, confidence, top-3) of every example, as ``ensemble.category`` decides."""
    out = []
    for i, gold in enumerate(oof.gold):
        model = dict(zip(oof.classes, probs[i].tolist()))
        best, confidence, ranking = ensemble.category(model, rules[i], float(oof.coverage[i]), calibration)
        out.append((gold, best, confidence, [c for c, _ in ranking]))
    return out


def routing_threshold(decisions: list[tuple[str, str | None, float, list[str]]]) -> float:
    """The lowest confidence (a hundredth) from which routing without asking errs <= MAX_ROUTING_ERROR."""
    for step in range(20, 100):
        threshold = step / 100
        routed = [(g, b) for g, b, c, _ in decisions if b is not None and c >= threshold]
        if routed and sum(g != b for g, b in routed) / len(routed) <= MAX_ROUTING_ERROR:
            return threshold
    return 0.99


def _figures(
    oof: OutOfFold, probs: np.ndarray, rules: list[dict[str, float]], calibration: ensemble.Calibration
) -> dict[str, Any]:
    decisions = _decide(oof, probs, rules, calibration)
    return summarize(decisions, calibration.routing_threshold)


def summarize(decisions: list[tuple[str, str | None, float, list[str]]], threshold: float) -> dict[str, Any]:
    """Category figures of (gold, predicted or None, confidence, top-3) decisions, as
    ``nlu.evaluate`` computes them for an evaluation set, and the calibration error."""
    from .evaluate import Decision, category_figures

    figures = category_figures(
        [Decision(g, b, b is not None and c >= threshold, r) for g, b, c, r in decisions], threshold)
    # calibration: expected calibration error of the confidence (10 bins), P(right) vs confidence
    bins: dict[int, list[tuple[float, bool]]] = {}
    for g, b, c, _ in decisions:
        if b is not None:
            bins.setdefault(min(int(c * 10), 9), []).append((c, g == b))
    answered = sum(len(v) for v in bins.values())
    ece = sum(abs(np.mean([c for c, _ in v]) - np.mean([h for _, h in v])) * len(v) for v in bins.values())
    figures["ece"] = round(float(ece / answered), 4) if answered else 0.0
    return figures


def cv_figures(oof: OutOfFold, learner: str) -> tuple[float, ensemble.Calibration, dict[str, Any]]:
    """(scale, calibration, figures) from out-of-fold predictions: the calibrated ensemble's
    category figures, the model alone and the rules alone (top-1)."""
    scale, calibration = calibrate(oof, oof.rules, learner)
    probs = _softmax(scale * oof.scores)
    gold_index = np.array([oof.classes.index(g) for g in oof.gold])
    model_alone = float(np.mean(probs.argmax(axis=1) == gold_index))
    rules_alone = [g == (max(r, key=lambda c: r[c]) if r else "lainnya") for g, r in zip(oof.gold, oof.rules)]
    figures = summarize(_decide(oof, probs, oof.rules, calibration), calibration.routing_threshold)
    figures["model_alone_top1"] = round(model_alone, 4)
    figures["rules_alone_top1"] = round(float(np.mean(rules_alone)), 4)
    return scale, calibration, figures

"""Evaluate the NLU on the held-out evaluation set (``nlu/eval/eval.yml``).

    from nlu.evaluate import evaluate, format_report
    print(format_report(evaluate()))

``evaluate`` returns a JSON-ready dict:

- ``axes``: for intent, category, report_type, weight and maladministration: ``n``,
  ``accuracy``, ``macro_f1``, ``per_label`` (precision/recall/f1/support) and
  ``confusion`` (gold -> predicted -> count); category also has ``top3_accuracy``;
- ``entities``: per type (place, date, money, phone, tracking_code, nik) ``precision``,
  ``recall``, ``f1``, ``tp``/``fp``/``fn``, comparing normalised values per message;
- ``places``: accuracy of resolving the place in messages that name a kelurahan or
  kecamatan of the configured city (the first place found must have the right code);
- ``errors``: a sample of misclassified categories, for reading.

The category axis counts "no category" (the dialog then asks) as ``lainnya``. The set was
written separately from the training data and is never used for training or tuning.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from .parser import RuleNlu
from .result import Parse

EVAL_FILE = Path(__file__).parent / "eval" / "eval.yml"
AXES = ("intent", "category", "report_type", "weight", "maladministration")
ENTITY_TYPES = ("place", "date", "money", "phone", "tracking_code", "nik")
NONE = "none"


def load(path: Path = EVAL_FILE) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: an evaluation set is a mapping with 'items'")
    return data


def _predicted(parse: Parse, axis: str) -> str:
    if axis == "intent":
        return parse.intent
    if axis == "category":
        return parse.category.value if parse.category is not None else "lainnya"
    value = getattr(parse, axis)
    return value.value if value is not None else NONE


def _entity_values(parse: Parse) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for found in parse.entities:
        if found.type == "place":
            out["place"].append(found.value["code"])
        elif found.type == "date":
            out["date"].append(found.value.isoformat())
        elif found.type in ("money", "phone", "tracking_code", "nik"):
            out[found.type].append(found.value)
    return out


def _scores(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    labels = sorted(set(gold) | set(predicted))
    confusion: dict[str, dict[str, int]] = {g: dict(Counter(p for gg, p in zip(gold, predicted) if gg == g))
                                            for g in sorted(set(gold))}
    per_label: dict[str, dict[str, float]] = {}
    f1s = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
                            "support": tp + fn}
        if tp + fn:  # macro-F1 over the labels that occur in the gold data
            f1s.append(f1)
    correct = sum(1 for g, p in zip(gold, predicted) if g == p)
    return {
        "n": len(gold),
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "per_label": per_label,
        "confusion": confusion,
    }


def evaluate(path: Path = EVAL_FILE, make_nlu: Callable[[str | None], Any] | None = None) -> dict[str, Any]:
    """Parse every message of the evaluation set and score each axis and entity type.

    ``make_nlu(scope)`` builds the NLU for a region scope (default: ``RuleNlu(scope, tz)``).
    """
    data = load(path)
    tz = ZoneInfo(data.get("timezone", "Asia/Jakarta"))
    now = datetime.fromisoformat(data["now"])
    default_scope = data.get("scope")
    factory = make_nlu or (lambda scope: RuleNlu(region_scope=scope, tz=tz))
    nlus: dict[str | None, Any] = {}
    gold: dict[str, list[str]] = defaultdict(list)
    predicted: dict[str, list[str]] = defaultdict(list)
    top3_hits = 0
    entity_counts: dict[str, Counter[str]] = {t: Counter() for t in ENTITY_TYPES}
    place_total = place_correct = 0
    errors: list[dict[str, Any]] = []
    for item in data["items"]:
        scope = None if item.get("scope") == "national" else default_scope
        if scope not in nlus:
            nlus[scope] = factory(scope)
        parse = nlus[scope].parse(item["text"], now)
        gold["intent"].append(item["intent"])
        predicted["intent"].append(parse.intent)
        if item.get("category"):
            for axis in AXES[1:]:
                gold[axis].append(item.get(axis) or NONE)
                predicted[axis].append(_predicted(parse, axis))
            ranking = [c.value for c, _ in parse.category_ranking] or ["lainnya"]
            top3_hits += item["category"] in ranking[:3]
            if predicted["category"][-1] != item["category"] and len(errors) < 40:
                errors.append({"text": item["text"], "gold": item["category"], "predicted": ranking[:3]})
        expected = item.get("entities") or {}
        found = _entity_values(parse)
        for kind in ENTITY_TYPES:
            want, got = Counter(expected.get(kind, [])), Counter(found.get(kind, []))
            tp = sum((want & got).values())
            entity_counts[kind].update(tp=tp, fp=sum(got.values()) - tp, fn=sum(want.values()) - tp)
        city_places = [c for c in expected.get("place", []) if default_scope and c.startswith(default_scope + ".")]
        if scope == default_scope and city_places:
            place_total += 1
            place_correct += bool(found.get("place")) and found["place"][0] == city_places[0]
    axes = {axis: _scores(gold[axis], predicted[axis]) for axis in AXES}
    n_category = axes["category"]["n"]
    axes["category"]["top3_accuracy"] = round(top3_hits / n_category, 4) if n_category else 0.0
    entities = {}
    for kind, c in entity_counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        entities[kind] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                          "tp": c["tp"], "fp": c["fp"], "fn": c["fn"]}
    return {
        "file": str(path),
        "items": len(data["items"]),
        "axes": axes,
        "entities": entities,
        "places": {"n": place_total, "accuracy": round(place_correct / place_total, 4) if place_total else 0.0},
        "errors": errors,
    }


def format_report(result: dict[str, Any], *, confusion: bool = True) -> str:
    """A readable text report of ``evaluate()``'s result."""
    lines = [f"NLU evaluation on {result['items']} messages ({result['file']})", ""]
    lines.append(f"{'axis':<20}{'n':>6}{'accuracy':>10}{'macro-F1':>10}")
    for axis, scores in result["axes"].items():
        lines.append(f"{axis:<20}{scores['n']:>6}{scores['accuracy']:>10.3f}{scores['macro_f1']:>10.3f}")
    category = result["axes"]["category"]
    lines.append(f"category top-3 accuracy: {category['top3_accuracy']:.3f}")
    places = result["places"]
    lines.append(f"place resolution (kelurahan/kecamatan of the city): {places['accuracy']:.3f} of {places['n']}")
    lines += ["", f"{'entity':<16}{'precision':>10}{'recall':>8}{'F1':>8}{'tp':>6}{'fp':>5}{'fn':>5}"]
    for kind, s in result["entities"].items():
        lines.append(f"{kind:<16}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['tp']:>6}{s['fp']:>5}{s['fn']:>5}")
    for axis, scores in result["axes"].items():
        lines += ["", f"{axis}: per label (precision / recall / F1, support)"]
        for label, s in scores["per_label"].items():
            lines.append(f"  {label:<28}{s['precision']:>6.2f}{s['recall']:>6.2f}{s['f1']:>6.2f}{s['support']:>6}")
        if confusion:
            lines.append(f"{axis}: confusion (gold -> predicted: count)")
            for gold_label, row in scores["confusion"].items():
                wrong = ", ".join(f"{p}: {n}" for p, n in sorted(row.items(), key=lambda kv: -kv[1]) if p != gold_label)
                lines.append(f"  {gold_label:<28}ok {row.get(gold_label, 0):>4}" + (f"   wrong -> {wrong}" if wrong else ""))
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(format_report(evaluate()))

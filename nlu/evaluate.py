"""Evaluate the NLU on a held-out evaluation set: ``nlu/eval/eval.yml``, or the blind
routing set ``nlu/eval/routing/`` (a folder: the items of every ``*.yml`` in it).

    from nlu.evaluate import evaluate, format_report
    print(format_report(evaluate()))

``evaluate`` returns a JSON-ready dict:

- ``axes``: for intent, category, report_type, weight and maladministration (those the
  set labels): ``n``, ``accuracy``, ``macro_f1``, ``per_label``
  (precision/recall/f1/support) and ``confusion`` (gold -> predicted -> count); category
  also has ``top3_accuracy``, ``recall`` (per category, with support), ``min_recall``,
  ``confusion_pairs`` ([gold, predicted, count], biggest first) and ``routing``: the
  NLU's threshold, the share of complaints routed without asking (``category_certain``)
  and the error rate among them;
- ``intent``: ``new_complaint_recall`` (complaints taken as new complaints),
  ``complaint_recall`` (... or as emergencies, which the dialog also files) and
  ``non_complaints_as_new_complaint`` (greetings, questions, thanks ... taken as one);
- ``entities``: per type (place, date, money, phone, tracking_code, nik) ``precision``,
  ``recall``, ``f1``, ``tp``/``fp``/``fn``, comparing normalised values per message, over
  the ``entity_items`` that list their entities;
- ``places``: accuracy of resolving the place in messages that name a kelurahan or
  kecamatan of the configured city (the first place found must have the right code);
- ``in_training_data``: how many items of four words or more are also training examples
  (should be 0);
- ``errors``: a sample of misclassified categories, for reading (not for the blind set:
  ``aduan nlu eval`` shows them only with ``--errors``).

The category axis counts "no category" as ``lainnya``; top-3 counts what the dialog
offers: when it asks (not ``category_certain``) the three services of the ranking and
"lainnya" next to them. The sets
were written separately from the training data and are never used for training or tuning.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import yaml

from .parser import RuleNlu
from .result import Parse

EVAL_FILE = Path(__file__).parent / "eval" / "eval.yml"
ROUTING_DIR = Path(__file__).parent / "eval" / "routing"  # the blind routing set: aggregate figures only
AXES = ("intent", "category", "report_type", "weight", "maladministration")
ENTITY_TYPES = ("place", "date", "money", "phone", "tracking_code", "nik")
NONE = "none"
OTHER = "lainnya"  # an undecided category counts as this (the dialog offers it next to the ranking)


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


class Decision(NamedTuple):
    """How one complaint was routed: its gold category, the category chosen (None:
    undecided, counted as "lainnya"), whether it was routed without asking, the ranking."""

    gold: str
    predicted: str | None
    certain: bool
    ranking: list[str]


def category_figures(decisions: list[Decision], threshold: float | list[float]) -> dict[str, Any]:
    """Top-1, top-3 (what the dialog offers: the ranking, and "lainnya" when it asks),
    recall per category with its support, the lowest recall, and automatic routing: the
    share routed without asking and the error among those. One computation for the
    evaluation sets and for training's out-of-fold figures (``nlu.calibration``)."""
    n = len(decisions)
    hits = [d.gold == (d.predicted or OTHER) for d in decisions]
    offered = [d.ranking[:3] if d.certain else [c for c in d.ranking if c != OTHER][:3] + [OTHER] for d in decisions]
    top3 = sum(d.gold in o for d, o in zip(decisions, offered))
    support = Counter(d.gold for d in decisions)
    recall = {c: {"recall": round(sum(h for d, h in zip(decisions, hits) if d.gold == c) / k, 3), "support": k}
              for c, k in sorted(support.items())}
    worst = min(recall, key=lambda c: (recall[c]["recall"], c)) if recall else None
    routed = [d for d in decisions if d.certain]
    wrong = sum(d.gold != d.predicted for d in routed)
    return {
        "n": n,
        "top1": round(sum(hits) / n, 4) if n else 0.0,
        "top3": round(top3 / n, 4) if n else 0.0,
        "recall": recall,
        "min_recall": {"category": worst, **(recall[worst] if worst else {"recall": 0.0, "support": 0})},
        "routing": {
            "threshold": threshold,
            "routed": len(routed),
            "share": round(len(routed) / n, 4) if n else 0.0,
            "wrong": wrong,
            "error": round(wrong / len(routed), 4) if routed else 0.0,
        },
    }


def _items(path: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(the set's header, item) of a file, or of every ``*.yml`` of a folder (each file
    with its own ``now`` / ``scope`` / ``timezone``)."""
    files = sorted(path.glob("*.yml")) if path.is_dir() else [path]
    out: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for file in files:
        data = load(file)
        header = {k: v for k, v in data.items() if k != "items"}
        out += [(header, item) for item in data.get("items") or []]
    return out


@lru_cache(maxsize=1)
def _training_keys() -> frozenset[str]:
    """The training messages, to count evaluation items that are also training examples
    (read once per process: ``aduan nlu eval`` and ``nlu.train --compare`` score several sets)."""
    from . import rasa

    return frozenset(" ".join(t.casefold().split()) for f in rasa.training_files() for t, _ in rasa.load(f).labelled())


def evaluate(path: Path = EVAL_FILE, make_nlu: Callable[[str | None], Any] | None = None) -> dict[str, Any]:
    """Parse every message of an evaluation set (a file, or a folder of them) and score
    each axis and entity type.

    ``make_nlu(scope)`` builds the NLU for a region scope (default: ``RuleNlu(scope, tz)``).
    Items without ``entities`` are left out of the entity scores; items without
    ``report_type`` / ``weight`` / ``maladministration`` out of that axis.
    """
    items = _items(path)
    nlus: dict[tuple[str | None, str], Any] = {}
    gold: dict[str, list[str]] = defaultdict(list)
    predicted: dict[str, list[str]] = defaultdict(list)
    decisions: list[Decision] = []
    entity_counts: dict[str, Counter[str]] = {t: Counter() for t in ENTITY_TYPES}
    place_total = place_correct = 0
    errors: list[dict[str, Any]] = []
    thresholds: set[float] = set()
    complaints = complaints_taken = complaints_as_complaint = others = others_taken = 0
    training = _training_keys()
    overlap = entity_items = 0
    for header, item in items:
        tz_name = str(header.get("timezone", "Asia/Jakarta"))
        now = datetime.fromisoformat(str(header["now"]))
        default_scope = header.get("scope")
        scope = None if item.get("scope") == "national" else default_scope
        if (scope, tz_name) not in nlus:
            tz = ZoneInfo(tz_name)
            nlus[scope, tz_name] = make_nlu(scope) if make_nlu else RuleNlu(region_scope=scope, tz=tz)
        nlu = nlus[scope, tz_name]
        parse = nlu.parse(item["text"], now)
        key = " ".join(str(item["text"]).casefold().split())
        overlap += len(key.split()) >= 4 and key in training  # one-word control messages are the same everywhere
        gold["intent"].append(item["intent"])
        predicted["intent"].append(parse.intent)
        if item["intent"] == "new_complaint":
            complaints += 1
            complaints_taken += parse.intent == "new_complaint"
            complaints_as_complaint += parse.intent in ("new_complaint", "emergency")
        elif not item.get("category"):
            others += 1
            others_taken += parse.intent == "new_complaint"
        if item.get("category"):
            gold["category"].append(item["category"])
            predicted["category"].append(_predicted(parse, "category"))
            for axis in AXES[2:]:
                if axis in item:
                    gold[axis].append(item.get(axis) or NONE)
                    predicted[axis].append(_predicted(parse, axis))
            ranking = [c.value for c, _ in parse.category_ranking]
            chosen = parse.category.value if parse.category is not None else None
            decisions.append(Decision(item["category"], chosen, parse.category_certain, ranking))
            threshold = getattr(nlu, "routing_threshold", None)
            if isinstance(threshold, float):
                thresholds.add(threshold)
            if predicted["category"][-1] != item["category"] and len(errors) < 40:
                errors.append({"text": item["text"], "gold": item["category"], "predicted": ranking[:3],
                               "confidence": parse.category_confidence})
        if "entities" in item:
            entity_items += 1
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
    axes = {axis: _scores(gold[axis], predicted[axis]) for axis in AXES if gold[axis]}
    category = axes.get("category")
    if category is not None:
        figures = category_figures(decisions, min(thresholds) if len(thresholds) == 1 else sorted(thresholds))
        category["top3_accuracy"] = figures["top3"]
        category.update({key: figures[key] for key in ("recall", "min_recall", "routing")})
        category["confusion_pairs"] = sorted(
            ([g, p, n] for g, row in category["confusion"].items() for p, n in row.items() if p != g),
            key=lambda row: (-int(row[2]), str(row[0]), str(row[1])),
        )
    entities = {}
    for kind, c in entity_counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall_ = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        f1 = 2 * precision * recall_ / (precision + recall_) if precision + recall_ else 0.0
        entities[kind] = {"precision": round(precision, 4), "recall": round(recall_, 4), "f1": round(f1, 4),
                          "tp": c["tp"], "fp": c["fp"], "fn": c["fn"]}
    return {
        "file": str(path),
        "items": len(items),
        "in_training_data": overlap,
        "axes": axes,
        "intent": {
            "complaints": complaints,
            "new_complaint_recall": round(complaints_taken / complaints, 4) if complaints else 0.0,
            "complaint_recall": round(complaints_as_complaint / complaints, 4) if complaints else 0.0,
            "non_complaints": others,
            "non_complaints_as_new_complaint": round(others_taken / others, 4) if others else 0.0,
        },
        "entity_items": entity_items,
        "entities": entities,
        "places": {"n": place_total, "accuracy": round(place_correct / place_total, 4) if place_total else 0.0},
        "errors": errors,
    }


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The aggregate routing figures of ``evaluate()``'s result (no message text)."""
    category = result["axes"].get("category") or {}
    return {
        "items": result["items"],
        "complaints": category.get("n", 0),
        "category_top1": category.get("accuracy", 0.0),
        "category_top3": category.get("top3_accuracy", 0.0),
        "category_macro_f1": category.get("macro_f1", 0.0),
        "min_category_recall": category.get("min_recall"),
        "routing": category.get("routing"),
        "intent": result["intent"],
        "in_training_data": result["in_training_data"],
    }


def format_report(result: dict[str, Any], *, confusion: bool = True, errors: bool = False, title: str = "") -> str:
    """A readable text report of ``evaluate()``'s result (the error sample only with ``errors``)."""
    lines = [f"NLU evaluation{' — ' + title if title else ''}: {result['items']} messages ({result['file']})", ""]
    if result.get("in_training_data"):
        lines += [f"WARNING: {result['in_training_data']} messages are also training examples", ""]
    lines.append(f"{'axis':<20}{'n':>6}{'accuracy':>10}{'macro-F1':>10}")
    for axis, scores in result["axes"].items():
        lines.append(f"{axis:<20}{scores['n']:>6}{scores['accuracy']:>10.3f}{scores['macro_f1']:>10.3f}")
    category = result["axes"].get("category")
    if category is not None:
        worst = category["min_recall"]
        routing = category["routing"]
        lines += [
            "",
            f"category top-1: {category['accuracy']:.3f}   top-3: {category['top3_accuracy']:.3f}   "
            f"lowest recall: {worst['category']} {worst['recall']:.3f} (of {worst['support']})",
            f"automatic routing (confidence >= {routing['threshold']}): {routing['share']:.1%} of complaints "
            f"({routing['routed']}), wrong {routing['error']:.1%} ({routing['wrong']})",
        ]
    intent = result["intent"]
    lines.append(
        f"intent: complaints taken as new_complaint {intent['new_complaint_recall']:.3f} (of {intent['complaints']}; "
        f"as new_complaint or emergency {intent['complaint_recall']:.3f}); "
        f"non-complaints taken as new_complaint {intent['non_complaints_as_new_complaint']:.3f} "
        f"(of {intent['non_complaints']})"
    )
    if result.get("entity_items"):
        places = result["places"]
        lines.append(f"place resolution (kelurahan/kecamatan of the city): {places['accuracy']:.3f} of {places['n']}")
        lines += ["", f"{'entity':<16}{'precision':>10}{'recall':>8}{'F1':>8}{'tp':>6}{'fp':>5}{'fn':>5}"]
        for kind, s in result["entities"].items():
            lines.append(f"{kind:<16}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['tp']:>6}{s['fp']:>5}{s['fn']:>5}")
    if category is not None:
        lines += ["", "category: recall per category (support)"]
        for label, s in sorted(category["recall"].items(), key=lambda kv: (kv[1]["recall"], kv[0])):
            lines.append(f"  {label:<28}{s['recall']:>6.3f}{s['support']:>6}")
        if category["confusion_pairs"]:
            lines += ["", "category: confusions (gold -> predicted: count), biggest first"]
            lines += [f"  {g} -> {p}: {n}" for g, p, n in category["confusion_pairs"][:20]]
    for axis, scores in result["axes"].items():
        lines += ["", f"{axis}: per label (precision / recall / F1, support)"]
        for label, s in scores["per_label"].items():
            lines.append(f"  {label:<28}{s['precision']:>6.2f}{s['recall']:>6.2f}{s['f1']:>6.2f}{s['support']:>6}")
        if confusion:
            lines.append(f"{axis}: confusion (gold -> predicted: count)")
            for gold_label, row in scores["confusion"].items():
                wrong = ", ".join(f"{p}: {n}" for p, n in sorted(row.items(), key=lambda kv: -kv[1]) if p != gold_label)
                lines.append(f"  {gold_label:<28}ok {row.get(gold_label, 0):>4}" + (f"   wrong -> {wrong}" if wrong else ""))
    if errors and result["errors"]:
        lines += ["", "category errors (a sample): gold -> top-3, confidence"]
        lines += [f"  {e['gold']} -> {e['predicted']} {e['confidence']:.2f}: {e['text']}" for e in result["errors"]]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(format_report(evaluate()))

"""The evaluation set is sane, and evaluate()/format_report() work on it."""

from __future__ import annotations

import csv
import gzip
from datetime import date, datetime
from functools import lru_cache

from complaints.taxonomy import Category, Maladministration, ReportType, Weight
from nlu import intents as I
from nlu import rasa
from nlu.evaluate import ENTITY_TYPES, evaluate, format_report, load
from nlu.regions import DATA_FILE


@lru_cache(maxsize=1)
def region_codes() -> frozenset[str]:
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as f:
        return frozenset(row["code"] for row in csv.DictReader(f))


def test_eval_set_is_large_and_labels_are_valid() -> None:
    data = load()
    items = data["items"]
    assert len(items) >= 600
    now = datetime.fromisoformat(data["now"])
    texts = [item["text"] for item in items]
    assert len(set(texts)) == len(texts)
    complaints = 0
    for item in items:
        assert item["intent"] in I.ALL_INTENTS, item
        if item.get("category"):
            complaints += 1
            assert Category(item["category"]) and ReportType(item["report_type"]) and Weight(item["weight"])
            if item["maladministration"] is not None:
                Maladministration(item["maladministration"])
        for kind, values in (item.get("entities") or {}).items():
            assert kind in ENTITY_TYPES, item
            for value in values:
                if kind == "place":
                    assert value in region_codes(), item
                elif kind == "date":
                    assert date.fromisoformat(value) <= now.date(), item
                elif kind == "phone":
                    assert value.startswith("+62"), item
    assert complaints >= 450
    assert {item["category"] for item in items if item.get("category")} == {c.value for c in Category}


def test_eval_set_is_not_training_data() -> None:
    training = {t.lower() for f in rasa.training_files() for t, _ in rasa.load(f).labelled()}
    # one-word control messages ("batal", "help") are the same everywhere; the rest must differ
    longer = [item["text"] for item in load()["items"] if len(item["text"].split()) >= 4]
    assert not [text for text in longer if text.lower() in training]


def test_evaluate_and_report() -> None:
    result = evaluate()
    assert set(result["axes"]) == {"intent", "category", "report_type", "weight", "maladministration"}
    category = result["axes"]["category"]
    assert 0 <= category["accuracy"] <= category["top3_accuracy"] <= 1
    assert category["macro_f1"] > 0 and category["confusion"]
    assert set(result["entities"]) == set(ENTITY_TYPES)
    assert result["places"]["n"] >= 100
    report = format_report(result)
    assert "macro-F1" in report and "precision" in report and "confusion" in report

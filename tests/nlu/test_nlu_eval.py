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


# --- the figures, on small synthetic sets (a scripted NLU, so every figure is known) ------------

from pathlib import Path  # noqa: E402

from nlu.result import Parse  # noqa: E402

# text -> (intent, ranking, confidence): the scripted NLU's answers
SCRIPT: dict[str, tuple[str, list[str], float]] = {
    "j1": ("new_complaint", ["jalan", "drainase"], 0.95),   # right, routed
    "j2": ("new_complaint", ["jalan"], 0.60),               # right, asked
    "j3": ("new_complaint", ["drainase", "jalan"], 0.92),   # wrong (top-3 right), routed: a routing error
    "j4": ("question", ["sampah", "lingkungan"], 0.40),     # wrong, top-3 wrong; intent missed
    "d1": ("new_complaint", ["drainase"], 0.97),            # right, routed
    "d2": ("emergency", ["drainase"], 0.99),                # right, routed; intent emergency
    "d3": ("new_complaint", [], 0.0),                       # no category -> lainnya: wrong, top-3 wrong
    "s1": ("new_complaint", ["jalan", "sampah"], 0.50),     # wrong (top-3 right), asked
    "halo": ("greeting", [], 0.0),
    "makasih": ("thanks", [], 0.0),
    "jam buka?": ("new_complaint", [], 0.0),                # a question taken as a complaint
    "dadah": ("goodbye", [], 0.0),
}


class ScriptedNlu:
    routing_threshold = 0.9

    def parse(self, text: str, now: datetime) -> Parse:
        intent, ranking, confidence = SCRIPT[text]
        category = Category(ranking[0]) if ranking else None
        return Parse(
            text=text, normalized=text, intent=intent, intent_confidence=1.0, category=category,
            category_confidence=confidence, category_ranking=tuple((Category(c), 0.5) for c in ranking),
            category_certain=category is not None and confidence >= self.routing_threshold,
        )


def _write(path: Path, items: list[tuple[str, str, str | None]], scope: str | None = None) -> None:
    lines = ['now: "2025-03-19T10:00:00+07:00"'] + ([f"scope: '{scope}'"] if scope else []) + ["items:"]
    for text, intent, category in items:
        lines.append(f"- text: {text!r}\n  intent: {intent}" + (f"\n  category: {category}" if category else ""))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _synthetic(tmp_path: Path) -> Path:
    folder = tmp_path / "routing"
    folder.mkdir()
    _write(folder / "part1.yml", [("j1", "new_complaint", "jalan"), ("j2", "new_complaint", "jalan"),
                                  ("j3", "new_complaint", "jalan"), ("j4", "new_complaint", "jalan"),
                                  ("halo", "greeting", None), ("makasih", "thanks", None)])
    _write(folder / "part2.yml", [("d1", "new_complaint", "drainase"), ("d2", "new_complaint", "drainase"),
                                  ("d3", "new_complaint", "drainase"), ("s1", "new_complaint", "sampah"),
                                  ("jam buka?", "question", None), ("dadah", "goodbye", None)], scope="35.78")
    (folder / "notes.txt").write_text("not a set", encoding="utf-8")
    return folder


def test_routing_figures_on_a_synthetic_folder(tmp_path: Path) -> None:
    result = evaluate(_synthetic(tmp_path), make_nlu=lambda scope: ScriptedNlu())
    assert result["items"] == 12
    assert set(result["axes"]) == {"intent", "category"}  # no report_type/weight/maladministration labels
    category = result["axes"]["category"]
    assert category["n"] == 8
    assert category["accuracy"] == 0.5  # j1 j2 d1 d2
    assert category["top3_accuracy"] == 0.75  # + j3 s1 (not j4, not d3)
    assert category["recall"] == {
        "jalan": {"recall": 0.5, "support": 4}, "drainase": {"recall": 0.667, "support": 3},
        "sampah": {"recall": 0.0, "support": 1},
    }
    assert category["min_recall"] == {"category": "sampah", "recall": 0.0, "support": 1}
    assert category["confusion_pairs"] == [
        ["drainase", "lainnya", 1], ["jalan", "drainase", 1], ["jalan", "sampah", 1], ["sampah", "jalan", 1],
    ]
    assert category["routing"] == {"threshold": 0.9, "routed": 4, "share": 0.5, "wrong": 1, "error": 0.25}
    assert result["intent"] == {
        "complaints": 8, "new_complaint_recall": 0.75, "complaint_recall": 0.875,
        "non_complaints": 4, "non_complaints_as_new_complaint": 0.25,
    }
    assert result["entity_items"] == 0 and result["places"]["n"] == 0
    assert result["in_training_data"] == 0
    assert len(result["errors"]) == 4


def test_a_single_file_and_the_report(tmp_path: Path) -> None:
    folder = _synthetic(tmp_path)
    result = evaluate(folder / "part2.yml", make_nlu=lambda scope: ScriptedNlu())
    assert result["items"] == 6 and result["axes"]["category"]["accuracy"] == 0.5
    assert result["axes"]["category"]["routing"]["error"] == 0.0
    report = format_report(result)
    assert "top-1: 0.500" in report and "automatic routing (confidence >= 0.9): 50.0%" in report
    assert "d3" not in report  # the error sample only when asked for
    assert "d3" in format_report(result, errors=True)


def test_cli_keeps_the_routing_set_blind(tmp_path: Path, monkeypatch) -> None:
    import json

    from click.testing import CliRunner

    from aduan.commands import nlu as command
    from nlu import evaluate as evaluation

    folder = _synthetic(tmp_path)
    eval_file = tmp_path / "eval.yml"
    eval_file.write_text((folder / "part2.yml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(evaluation, "EVAL_FILE", eval_file)
    monkeypatch.setattr(evaluation, "ROUTING_DIR", folder)
    real = evaluation.evaluate
    monkeypatch.setattr(evaluation, "evaluate", lambda path: real(path, make_nlu=lambda scope: ScriptedNlu()))
    out = CliRunner().invoke(command.nlu, ["eval", "--json"])
    assert out.exit_code == 0, out.output
    both = json.loads(out.output)
    assert set(both) == {"eval", "routing"}
    assert both["routing"]["errors"] == [] and both["eval"]["errors"]
    text = CliRunner().invoke(command.nlu, ["eval"]).output
    assert "BLIND routing set" in text and "evaluation set" in text and "'d3'" not in text and ": d3" not in text
    shown = CliRunner().invoke(command.nlu, ["eval", "--errors"]).output
    assert ": d3" in shown

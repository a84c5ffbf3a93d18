"""The training data in nlu/data/ is valid Rasa 3 NLU data, and covers every code."""

from __future__ import annotations

import re

import pytest
import yaml

from complaints.taxonomy import Category, Maladministration, ReportType, Weight
from nlu import intents as I
from nlu import rasa

FILES = rasa.training_files()
AXES = {
    "category": [c.value for c in Category],
    "weight": [w.value for w in Weight],
    "report_type": [r.value for r in ReportType],
    "maladministration": ["none"] + [m.value for m in Maladministration],
}


def test_the_expected_files_are_there() -> None:
    names = {f.name for f in FILES}
    assert {"nlu.yml", "category.yml", "weight.yml", "report_type.yml", "maladministration.yml"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_follows_rasa_format(path) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert str(raw["version"]) == "3.1"
    assert isinstance(raw["nlu"], list) and raw["nlu"]
    for block in raw["nlu"]:
        kinds = [k for k in ("intent", "synonym", "lookup", "regex") if k in block]
        assert len(kinds) == 1, block
        assert isinstance(block["examples"], str)  # a block string of "- " lines
        assert all(line.strip().startswith("- ") for line in block["examples"].splitlines() if line.strip())
    assert rasa.check(path) == []


def test_annotations_are_balanced_and_of_known_types() -> None:
    data = rasa.load(rasa.DATA_DIR / "nlu.yml")
    annotated = 0
    for name, examples in data.intents.items():
        for example in examples:
            assert "[" not in example.text and "]" not in example.text, (name, example.text)
            for found in example.entities:
                annotated += 1
                assert found.type in rasa.ENTITY_TYPES
                assert example.text[found.start : found.end] == found.text
    assert annotated >= 80


def test_annotation_parser() -> None:
    example = rasa.parse_example('air [pdam]{"entity": "agency", "value": "PDAM"} di [Kebraon](place) mati')
    assert example.text == "air pdam di Kebraon mati"
    assert [(e.type, e.value, e.text) for e in example.entities] == [("agency", "PDAM", "pdam"), ("place", None, "Kebraon")]
    assert rasa._check_annotations("x", "lampu [mati(place)") != []
    assert rasa._check_annotations("x", "lampu [mati](planet)") != []


def test_intents_of_nlu_yml_are_the_bots_intents() -> None:
    data = rasa.load(rasa.DATA_DIR / "nlu.yml")
    assert set(data.intents) == set(I.ALL_INTENTS)
    assert all(len(examples) >= 10 for examples in data.intents.values())
    assert "agency" in data.lookups and data.synonyms


@pytest.mark.parametrize("axis", AXES)
def test_axis_file_covers_every_code_with_several_hundred_examples(axis: str) -> None:
    data = rasa.load(rasa.DATA_DIR / f"{axis}.yml")
    assert set(data.intents) == {f"{axis}_{code}" for code in AXES[axis]}
    rows = data.labelled(f"{axis}_")
    assert len(rows) >= 300
    assert all(len(data.intents[f"{axis}_{code}"]) >= 10 for code in AXES[axis])


def test_examples_are_not_duplicated_within_an_axis() -> None:
    for axis in AXES:
        texts = [t for t, _ in rasa.load(rasa.DATA_DIR / f"{axis}.yml").labelled()]
        assert len(texts) == len(set(texts)), axis


def test_examples_vary_in_places_and_length() -> None:
    texts = [t for t, _ in rasa.load(rasa.DATA_DIR / "category.yml").labelled()]
    lengths = [len(t.split()) for t in texts]
    assert min(lengths) <= 3 and max(lengths) >= 18
    places = {m.group(1) for t in texts for m in re.finditer(r"\b(?:kel\.?|kelurahan|kec\.?|kecamatan|desa|kab\.?|kota)\s+(\w+)", t)}
    assert len(places) >= 20


CATEGORY_FILES = sorted((rasa.DATA_DIR / "categories").glob("*.yml"))
INTENT_FILES = sorted((rasa.DATA_DIR / "intents").glob("*.yml"))


def test_training_files_include_the_subfolders_but_not_the_rasa_assistant() -> None:
    relative = {f.relative_to(rasa.DATA_DIR).as_posix() for f in FILES}
    assert {f.relative_to(rasa.DATA_DIR).as_posix() for f in CATEGORY_FILES + INTENT_FILES} <= relative
    assert not any(name.startswith(("rasa/", "regions/", "model/")) for name in relative)


@pytest.mark.parametrize("path", CATEGORY_FILES, ids=lambda p: p.name)
def test_a_category_file_holds_its_single_category_block(path) -> None:
    code = path.stem
    assert code in {c.value for c in Category}, f"{path.name}: no such category"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    blocks = [block for block in raw["nlu"] if "intent" in block]
    assert [block["intent"] for block in blocks] == [f"category_{code}"]
    assert rasa.load(path).labelled("category_")


@pytest.mark.parametrize("path", INTENT_FILES, ids=lambda p: p.name)
def test_intent_files_name_the_bots_intents(path) -> None:
    assert set(rasa.load(path).intents) <= set(I.ALL_INTENTS)


def test_no_text_has_two_categories() -> None:
    from nlu.train import category_examples

    _, conflicts = category_examples()
    assert not conflicts, "texts labelled with different categories:\n" + "\n".join(
        f"  {text!r}: {labels}" for text, labels in sorted(conflicts.items())
    )


def test_category_examples_are_read_once(tmp_path) -> None:
    from nlu.train import category_examples

    (tmp_path / "categories").mkdir()
    head = 'version: "3.1"\nnlu:\n'
    (tmp_path / "category.yml").write_text(
        head + "- intent: category_jalan\n  examples: |\n    - jalan rusak\n    - Jalan  Rusak\n"
        "- intent: category_sampah\n  examples: |\n    - sampah numpuk\n", encoding="utf-8")
    (tmp_path / "categories" / "drainase.yml").write_text(
        head + "- intent: category_drainase\n  examples: |\n    - got mampet\n    - sampah numpuk\n", encoding="utf-8")
    rows, conflicts = category_examples(tmp_path)
    assert rows == [("jalan rusak", "jalan"), ("got mampet", "drainase")]
    assert conflicts == {"sampah numpuk": ["drainase", "sampah"]}

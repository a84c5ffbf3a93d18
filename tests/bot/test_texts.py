"""What the citizen and the officer read: bot/texts holds the wording only, by audience, in
Indonesian; bot/render fills it in from a complaint."""

import ast
import importlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

import bot.texts as texts
from bot.render.officer import place_line
from complaints.model import Actor, Complaint, Place
from complaints.taxonomy import Role
from complaints.visibility import CaseView, Visibility

ADMIN = Actor("admin-pusat", Role.ADMIN, "pusat")


def located(detail: str, region: str | None) -> CaseView:
    complaint = Complaint(code="LPR-7KQ3-MN", description="jalan bolong", channel="console", sender="w",
                          created_at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
                          place=Place(detail=detail, region_name=region))
    return Visibility("pusat").view(ADMIN, complaint)


def test_the_place_is_named_once_when_the_citizen_wrote_only_the_area():
    assert place_line(located("Kebraon", "Kebraon, Karang Pilang, Kota Surabaya")) == \
        "Kebraon, Karang Pilang, Kota Surabaya"


def test_a_street_and_its_area_are_both_kept():
    assert place_line(located("Jl. Mastrip gg 5", "Kebraon, Karang Pilang")) == \
        "Jl. Mastrip gg 5, Kebraon, Karang Pilang"
    assert place_line(located("", None)) == "-"


# --- bot/texts holds text only, each name once, in Indonesian --------------------------------

TEXTS = Path(texts.__file__).parent
MODULES = sorted(p for p in TEXTS.glob("*.py") if p.name != "__init__.py")
# what a text module may compute: nothing, beyond naming a frozenset of placeholders
ALLOWED_CALLS = {"frozenset"}
# words that would mean an English reply slipped in (product names such as Word are fine)
ENGLISH = {"the", "please", "sorry", "error", "invalid", "your", "you", "click", "failed", "unknown",
           "not", "and", "cancel", "submit", "thanks", "with", "found", "try", "again"}


def test_the_texts_are_split_by_audience_and_their_package_holds_nothing_else():
    assert {p.stem for p in MODULES} == {"citizen", "officer", "public", "commands", "followup", "integrations",
                                      "report", "spam", "support", "web", "board", "dashboard"}
    init = ast.parse((TEXTS / "__init__.py").read_text())
    assert all(isinstance(node, ast.ImportFrom) for node in init.body[1:]), "bot/texts/__init__.py only re-exports"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_texts_module_is_text_only(path: Path):
    """Constants, templates and tables of labels: no function, class, lambda, f-string or
    call; how a text is filled in belongs to bot/render and bot/notices.py."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        where = f"{path.name}:{getattr(node, 'lineno', '?')}"
        assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda), where
        assert not isinstance(node, ast.JoinedStr), f"{where}: an f-string computes; write a template"
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in ALLOWED_CALLS, where
    for node in tree.body:
        assert isinstance(node, ast.Expr | ast.Assign | ast.AnnAssign | ast.ImportFrom), \
            f"{path.name}:{node.lineno}: only constants here"
    assert len(path.read_text().splitlines()) <= 400


def test_no_text_is_defined_twice():
    """``texts.NAME`` is unambiguous: each name lives in one audience's module."""
    owners: dict[str, list[str]] = {}
    for path in MODULES:
        module = importlib.import_module(f"bot.texts.{path.stem}")
        for name in vars(module):
            if name.isupper():
                owners.setdefault(name, []).append(path.stem)
    assert {name: where for name, where in owners.items() if len(where) > 1} == {}
    assert all(getattr(texts, name) is getattr(importlib.import_module(f"bot.texts.{where[0]}"), name)
               for name, where in owners.items())


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, tuple | list | frozenset):
        return [s for v in value for s in strings(v)]
    return []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_what_people_read_is_indonesian(path: Path):
    module = importlib.import_module(f"bot.texts.{path.stem}")
    for name, value in vars(module).items():
        if not name.isupper():
            continue
        for text in strings(value):
            words = set(re.findall(r"[a-z]+", re.sub(r"\{[^}]*\}", " ", text).casefold()))
            assert not words & ENGLISH, f"{path.stem}.{name}: {sorted(words & ENGLISH)} in {text!r}"


def test_the_code_that_fills_the_texts_stays_small():
    root = TEXTS.parent
    for path in [*root.joinpath("render").glob("*.py"), root / "notices.py"]:
        assert len(path.read_text().splitlines()) <= 400, path

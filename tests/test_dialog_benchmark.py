"""The dialog benchmark (benchmarks/dialog.py): its conversations are well-formed, and the
runner drives one end to end and reports the figures' shape (not their values)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_runner():
    spec = importlib.util.spec_from_file_location("dialog_benchmark", ROOT / "benchmarks" / "dialog.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


dialog = _load_runner()


@pytest.mark.parametrize(("name", "at_least"), [("conversations", 80), ("holdout", 60)])
def test_the_conversations_are_many_unique_and_well_formed(name: str, at_least: int) -> None:
    convs = dialog.load(dialog.CONVERSATIONS.with_name(f"{name}.yaml"))
    assert len(convs) >= at_least
    ids = [c["id"] for c in convs]
    assert len(ids) == len(set(ids))
    assert {c["id"]: dialog.problems(c) for c in convs if dialog.problems(c)} == {}
    kinds = {c["expect"]["kind"] for c in convs}
    assert kinds <= dialog.KINDS and {"complaint", "emergency", "faq", "smalltalk"} <= kinds


async def test_the_runner_drives_one_conversation_and_reports_json() -> None:
    conv = {
        "id": "uji-lampu",
        "channel": "telegram",
        "complete": True,
        "turns": ["lampu jalan di gang 2 Kedurus mati sejak kemarin"],
        "cooperate": {"place": "Kedurus", "date": "kemarin", "name": "Tono", "privacy": "biasa"},
        "expect": {"kind": "complaint", "category": "penerangan"},
    }
    assert dialog.problems(conv) == []
    figures = await dialog.run_all([conv])
    assert figures["conversations"] == 1 and figures["by_kind"] == {"complaint": 1}
    for key in ("turns_per_complaint", "complaints_meeting_target", "first_message_recognition",
                "corrections_applied", "questions_answered", "emergencies_first", "outcome_ok", "failures"):
        assert key in figures
    assert set(figures["turns_per_complaint"]) >= {"median", "max", "p90"}
    assert isinstance(figures["failures"], list)

"""The organisation file's ``faq:``, ``emergency:`` and ``intake:`` sections: the demo's
answers, the national defaults, and every mistake refused with a message that says where."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from aduan.organisation import OrganisationFileError, load_organisation
from aduan.settings import DEMO_ORGANISATION
from complaints.org import EmergencyNumbers, FaqEntry

DEMO_FAQ = ("jam-layanan", "alamat", "syarat-ktp", "syarat-kk", "kerahasiaan", "lama-proses", "biaya", "cara-lapor")


def demo() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(DEMO_ORGANISATION.read_text(encoding="utf-8")))


def write(tmp_path: Path, content: dict[str, Any]) -> Path:
    path = tmp_path / "organisation.yaml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def minimal(**sections: Any) -> dict[str, Any]:
    return {"name": "Kabupaten Contoh", "default_unit": "pusat", "units": [{"id": "pusat", "name": "Admin"}],
            **sections}


def test_the_demo_answers_the_usual_questions() -> None:
    org = load_organisation(DEMO_ORGANISATION)
    assert tuple(entry.id for entry in org.faq) == DEMO_FAQ
    for entry in org.faq:
        assert 3 <= len(entry.questions) <= 5, entry.id
        assert entry.answer and "\n" not in entry.answer, entry.id
    answers = {entry.id: entry.answer for entry in org.faq}
    assert "contoh" in answers["jam-layanan"] and "contoh" in answers["alamat"]
    assert "3 hari kerja" in answers["lama-proses"] and "5 hari kerja" in answers["lama-proses"]
    assert "admin pengaduan" in answers["kerahasiaan"] and "Anonim" in answers["kerahasiaan"]
    assert "gratis" in answers["biaya"] and "pungutan liar" in answers["biaya"]
    assert org.emergency.general == "112" and org.emergency.fire == "113"
    assert len(org.emergency.local) >= 2 and all("contoh" in label for label, _ in org.emergency.local)
    assert org.phone_required is False


def test_without_the_sections_the_national_numbers_and_no_faq(tmp_path: Path) -> None:
    org = load_organisation(write(tmp_path, minimal()))
    assert org.faq == () and org.emergency == EmergencyNumbers() and org.phone_required is False


def test_the_sections_are_read(tmp_path: Path) -> None:
    org = load_organisation(write(tmp_path, minimal(
        faq=[{"id": "jam", "questions": ["  jam   buka? ", "buka jam berapa"], "answer": " Pukul 08.00. "}],
        emergency={"police": 110, "ambulance": "118", "local": [{"label": "BPBD", "number": "0215550000"}]},
        intake={"phone_required": True},
    )))
    assert org.faq == (FaqEntry("jam", ("jam buka?", "buka jam berapa"), "Pukul 08.00."),)
    assert org.emergency == EmergencyNumbers(police="110", ambulance="118", local=(("BPBD", "0215550000"),))
    assert org.phone_required is True


@pytest.mark.parametrize(("sections", "message"), [
    ({"faq": [{"id": "a", "questions": ["x"], "answer": "y"}, {"id": "a", "questions": ["z"], "answer": "w"}]},
     "duplicate faq ids: ['a']"),
    ({"faq": [{"id": "a", "questions": [], "answer": "y"}]}, "faq.0.questions"),
    ({"faq": [{"id": "a", "questions": ["  "], "answer": "y"}]}, "a question is empty"),
    ({"faq": [{"id": "a", "questions": ["x"], "answer": " "}]}, "the answer is empty"),
    ({"faq": [{"id": "a", "questions": ["x"]}]}, "faq.0.answer: Field required"),
    ({"faq": [{"id": "a", "questions": ["Jam buka?"], "answer": "y"},
              {"id": "b", "questions": ["jam buka?"], "answer": "z"}]}, "share the question"),
    ({"faq": [{"id": "Jam Buka", "questions": ["x"], "answer": "y"}]}, "faq.0.id"),
    ({"emergency": {"fire": "11-3"}}, "emergency.fire: Value error, a phone number is 2 to 15 digits only"),
    ({"emergency": {"local": [{"label": "BPBD", "number": "+62 31 555"}]}}, "emergency.local.0.number"),
    ({"emergency": {"local": [{"label": " ", "number": "0315550000"}]}}, "emergency.local.0.label"),
    ({"emergency": {"pemadam": "113"}}, "emergency.pemadam: Extra inputs are not permitted"),
    ({"intake": {"phone_required": "kadang"}}, "intake.phone_required"),
])
def test_mistakes_are_refused_with_where(tmp_path: Path, sections: dict[str, Any], message: str) -> None:
    with pytest.raises(OrganisationFileError) as refused:
        load_organisation(write(tmp_path, minimal(**sections)))
    assert message in str(refused.value)


def test_the_demo_with_a_broken_faq_is_refused(tmp_path: Path) -> None:
    data = demo()
    data["faq"][1]["id"] = data["faq"][0]["id"]
    with pytest.raises(OrganisationFileError, match="duplicate faq ids"):
        load_organisation(write(tmp_path, data))

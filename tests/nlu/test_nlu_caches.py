"""The speed work on the NLU (issue 20) changes no answer: the trie-shaped phrase patterns
match what the flat alternation matched, the pre-check of ``PhraseList`` never hides a
match, normalisation is what it was, and what is remembered per text is handed out as
copies."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

import pytest

from nlu import classify, intent_rules, keywords
from nlu.entities import abuse, agency, emergency, money, place
from nlu.keywords import PhraseList, compile_phrases, phrase_pattern
from nlu.model import Model
from nlu.normalize import _normalize, normalize_with_map
from nlu.parser import RuleNlu
from nlu.train import datasets

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
EDGE_CASES = [
    "", " ", "e-ktp hilang", "ktp-el belum jadi", "anak-anak sakit", "rusaknya parah", "RUSAK", "jalanrusak",
    "jalan  rusak", "jalan\nrusak", "kabel2 putus", "lampu pju mati", "sampah  menumpuk", "bolonggg", "gorong-gorong",
    "dimintai uang 50rb", "/start", "tidak ada kabar", "pungli!!", "yg rusak jl. mawar", "é rusak", "2rusak",
]


@cache
def _texts() -> tuple[str, ...]:
    """Normalised training messages (every 3rd, for time) and the edge cases above."""
    raw = sorted({t for rows in datasets().values() for t, _ in rows})[::3]
    return tuple([normalize_with_map(t).text for t in raw] + EDGE_CASES)


def _phrase_lists() -> list[list[str]]:
    lists = [list(table) for table in keywords.KEYWORDS.values()]
    lists += [list(part) for subjects, states, _ in keywords.PAIRS.values() for part in (subjects, states)]
    lists += list(intent_rules.PHRASES.values())
    lists += [classify.DANGER, classify.PROBLEM, classify.EXTORTION, classify.ASPIRATION, classify.REFUSED]
    lists += [[alias for aliases in agency.AGENCIES.values() for alias in aliases]]
    return lists


def _flat(phrases: list[str]) -> re.Pattern[str]:
    """The alternation as it was written before the trie."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p.rstrip("*")), p))
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(phrase_pattern(p) for p in ordered)})(?![a-z0-9])")


def test_the_trie_shaped_pattern_matches_what_the_flat_alternation_matched() -> None:
    for phrases in _phrase_lists():
        trie, flat = compile_phrases(phrases), _flat(phrases)
        for text in _texts():
            assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)], (phrases, text)


def test_the_pre_check_never_hides_a_match() -> None:
    for phrases in [*_phrase_lists(), ["/start", "halo"]]:
        checked = PhraseList(phrases)
        for text in _texts():
            expected = checked.pattern.search(text)
            found = checked.search(text)
            assert (found and found.span()) == (expected and expected.span()), (phrases, text)
            assert [m.span() for m in checked.finditer(text)] == [m.span() for m in checked.pattern.finditer(text)]


def test_a_message_without_any_first_word_is_not_scanned() -> None:
    checked = PhraseList(["jalan rusak", "bolong*"])
    assert not checked.may_occur("lampu mati")
    assert checked.may_occur("jalannya bolongnya")  # "bolong" begins a word
    assert checked.may_occur("jalan itu")  # "jalan" is a word: the pattern decides


def test_normalisation_is_remembered_and_the_same_as_computed_afresh() -> None:
    text = "Pak, jl. Mawar no 5 bolonggg udh 2 mgg, kmrn ada yg jatuh!!"
    first, again, fresh = normalize_with_map(text), normalize_with_map(text), _normalize(text)
    assert first is again
    assert first == fresh and repr(first) == repr(fresh)
    first.tokens().append(("x", 0, 0))  # a copy: the remembered tokens are not changed
    assert first.tokens() == fresh.tokens()
    assert first.words() == [w for w, _, _ in fresh.tokens()]


def test_what_is_remembered_per_text_is_handed_out_as_copies() -> None:
    norm = normalize_with_map("pungli di kelurahan, depan SDN 3 dimintai Rp 50.000")
    for extract in (agency.extract, place.detail_spans, place.landmark_spans, emergency.extract):
        extract(norm).append(None)  # type: ignore[arg-type]
        assert None not in extract(norm)
    found = money.extract(norm.original)
    found.clear()
    assert money.extract(norm.original)
    scores = classify.category_scores(norm.text)
    scores.clear()
    assert classify.category_scores(norm.text)


def test_the_model_reading_is_the_vector_its_coverage_and_its_probabilities() -> None:
    model = Model.load()
    norm = normalize_with_map("jalan depan SDN 3 Kebraon bolong gede udah 2 minggu")
    vector = model.vector(norm, place.detail_spans(norm))
    coverage, probabilities = model.read(norm)
    assert coverage == model.coverage(vector, norm.text)
    assert probabilities == model.predict_all(vector)
    assert model.read(norm)[1] is probabilities  # worked out once per text


@pytest.mark.parametrize("word", ["bangsat", "bangsatlah", "b*ngs*t", "anjinglah", "asumu", "jalan", "k*", "***"])
def test_the_table_of_abusive_forms_answers_as_the_suffix_rules(word: str) -> None:
    for lexicon, suffixes in ((abuse._ALWAYS, abuse.SUFFIXES), (abuse._CONTEXTUAL, abuse.PERSON_SUFFIXES)):
        plain = abuse._lookup_plain(word, lexicon, suffixes)
        assert abuse._lookup(word, lexicon, suffixes) == (plain if plain is not None else abuse._masked(word, lexicon))


def test_a_parse_repeated_is_the_same_parse() -> None:
    nlu = RuleNlu(region_scope="35.78")
    text = "lampu jalan di gang 5 mati, terus sampah di depan pasar Wonokromo belum diangkut 3 hari"
    first = nlu.parse(text, NOW)
    assert nlu.parse(text, NOW) == first
    assert repr(nlu.parse(text, NOW)) == repr(first)
    assert nlu.split_problems(text, NOW) == nlu.split_problems(text, NOW)

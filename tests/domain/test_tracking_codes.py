import random
import re

import pytest

from complaints import tracking
from complaints.tracking import ALPHABET, CodeProblem


def codes(n=500, seed=7):
    rng = random.Random(seed)
    return [tracking.generate(rng) for _ in range(n)]


def test_codes_look_like_the_design_and_avoid_confusable_characters():
    for code in codes():
        assert re.fullmatch(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}", code)
        assert not set(code[4:].replace("-", "")) & set("01OIL")


@pytest.mark.parametrize("typed", ["lpr-{a}-{b}", "LPR {a} {b}", "{a}{b}", " lpr.{a}.{b} ", "{a}-{b}"])
def test_a_code_is_recognised_however_it_is_spaced_or_cased(typed):
    for code in codes(50):
        a, b = code[4:8], code[9:]
        check = tracking.parse(typed.format(a=a.lower(), b=b))
        assert check.ok and check.code == code


def test_every_single_mistyped_character_is_detected():
    for code in codes(200):
        symbols = code[4:8] + code[9:]
        for position in range(len(symbols)):
            for replacement in ALPHABET:
                if replacement == symbols[position]:
                    continue
                typo = symbols[:position] + replacement + symbols[position + 1:]
                assert tracking.parse(typo).problem is CodeProblem.CHECKSUM


def test_every_swap_of_neighbouring_characters_is_detected():
    for code in codes(200):
        symbols = code[4:8] + code[9:]
        for i in range(len(symbols) - 1):
            if symbols[i] == symbols[i + 1]:
                continue
            swapped = symbols[:i] + symbols[i + 1] + symbols[i] + symbols[i + 2:]
            assert tracking.parse(swapped).problem is CodeProblem.CHECKSUM


def test_confusable_characters_and_wrong_lengths_are_told_apart():
    assert tracking.parse("LPR-7KQ0-M9").problem is CodeProblem.CHARACTER
    assert tracking.parse("LPR-7KQ3-MO").problem is CodeProblem.CHARACTER
    assert tracking.parse("LPR-7KQ3").problem is CodeProblem.FORMAT
    assert tracking.parse("halo").problem is CodeProblem.FORMAT
    assert tracking.parse("LPR-7KQ3-MN-X").problem is CodeProblem.FORMAT


def test_codes_are_found_inside_free_text_but_ordinary_words_are_not():
    code = codes(1)[0]
    found = tracking.find_in_text(f"min tolong cek {code.lower()} ya")
    assert found is not None and found.code == code
    assert tracking.find_in_text("jalan rusak di rt 05 sudah 200000 rupiah") is None
    assert tracking.find_in_text("pak lampu mati") is None


def test_the_example_code_shown_to_citizens_and_in_the_readme_is_a_valid_code():
    """A citizen who copies the example from the help text must not be told it is mistyped."""
    from pathlib import Path

    from bot import texts

    root = Path(__file__).resolve().parents[2]
    shown = "\n".join([texts.HELP, texts.ASK_CODE, (root / "README.md").read_text(encoding="utf-8")])
    examples = set(re.findall(r"LPR-[0-9A-Z]{4}-[0-9A-Z]{2}", shown))
    assert examples
    assert {code for code in examples if not tracking.parse(code).ok} == set()


def test_an_address_that_passes_the_check_is_not_taken_for_a_code():
    assert tracking.parse("LPR-GANG-24").ok  # a valid code by chance...
    for text in ("lampu di depan gang 24 mati", "blok 12 banjir", "rt 05 rw 03"):
        assert tracking.find_in_text(text) is None, text  # ...but "gang 24" in a report is an address
    assert tracking.find_in_text("cek LPR GANG 24").code == "LPR-GANG-24"  # with the prefix it is one
    assert tracking.find_in_text("cek 7kq3 mn").code == "LPR-7KQ3-MN"

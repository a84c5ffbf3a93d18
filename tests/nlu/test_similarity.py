"""The similar-complaint scorer (nlu.similarity) and the lookup's rule (complaints.similarity):
the same problem at the same spot in other words is similar; another problem at that spot,
or the same problem on another street or gang, is not."""

from datetime import UTC, datetime, timedelta

import pytest

from complaints.similarity import Box, Candidate, Probe, SimilarityPolicy, distance_m, query_for, rank, same_place
from complaints.taxonomy import Category
from nlu.similarity import ComplaintSimilarity, words_of

SCORER = ComplaintSimilarity()
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(("a", "b"), [
    ("lampu PJU di gang melati 5 mati sudah seminggu\nGg. Melati 5", "pak lampu jalan gg melati V padam, rawan maling"),
    ("got di gang kenari RT 03 mampet, air meluap ke rumah", "saluran gg kenari rt 3 tersumbat sampah"),
    ("jalan berlubang besar depan SDN 3 Sukamaju", "aspal bolong gede di depan SD 3 sukamaju, udah ada yg jatuh"),
    ("PJU gg Sukaluyu III nyala siang mati malam, timernya rusak", "lampu jalan gang sukaluyu 3 hurung beurang"),
])
def test_the_same_problem_at_the_same_spot_in_other_words(a, b):
    assert SCORER.score(a, b) >= SCORER.threshold


@pytest.mark.parametrize(("a", "b"), [
    # the same problem, another gang or street of the kelurahan
    ("lampu PJU mati di Gg. Melati 5\nGg. Melati 5", "lampu PJU mati di Jl. Kenanga RT 04\nJl. Kenanga RT 04"),
    ("got RT 04 RW 03 mampet\nRT 04 RW 03", "got di RT 01 RW 05 mampet sebulan\nRT 01 RW 05"),
    # another problem at the same spot
    ("lampu PJU gg melati 5 mati total", "lampu PJU gg melati 5 nyala terus siang hari, timernya rusak"),
    ("lantai jembatan kali kedung bolong", "pagar pegangan jembatan kali kedung copot sebelah"),
])
def test_another_place_or_another_problem_is_not_the_same(a, b):
    assert SCORER.score(a, b) < SCORER.threshold


def test_the_score_ranks_the_closer_text_higher_and_is_symmetric():
    probe = "lampu PJU gang melati 5 mati, gelap\nGg. Melati 5"
    close = "PJU gang melati 5 mati gelap gulita\nGg. Melati 5"
    vague = "lampu mati"
    assert SCORER.score(probe, close) > SCORER.score(probe, vague) >= SCORER.threshold
    assert SCORER.score(probe, close) == pytest.approx(SCORER.score(close, probe))


def test_words_are_read_as_the_normaliser_spells_them():
    assert words_of("Lampunya gak nyalaaa udh 2 mgg, anak2 takut") == [
        "lampunya", "tidak", "menyala", "sudah", "2", "minggu", "anak", "anak", "takut"]


# --- the lookup's rule ------------------------------------------------------------------------

def candidate(code: str, text: str, *, region: str | None = "35.78.04.1001", point=None, owner="telegram:9",
              age_days: int = 1) -> Candidate:
    lat, lon = point or (None, None)
    return Candidate(code, text, "", owner, NOW - timedelta(days=age_days), region, lat, lon)


def test_same_place_is_the_kelurahan_or_150_metres_when_both_have_coordinates():
    probe = Probe(Category.PENERANGAN, "x", "telegram:1", "35.78.04.1001", -7.33, 112.70)
    assert distance_m((-7.33, 112.70), (-7.3309, 112.70)) == pytest.approx(100, abs=1)
    assert same_place(probe, candidate("A", "x", region="35.78.04.1002", point=(-7.3309, 112.70)), 150)
    assert not same_place(probe, candidate("B", "x", point=(-7.3330, 112.70)), 150)  # same kelurahan, 330 m
    assert same_place(probe, candidate("C", "x"), 150)  # no coordinates: the kelurahan decides
    assert not same_place(Probe(Category.PENERANGAN, "x", "t:1"), candidate("D", "x"), 150)


def test_rank_leaves_out_ones_own_and_puts_the_most_similar_first():
    probe = Probe(Category.PENERANGAN, "lampu PJU gang melati 5 mati gelap\nGg. Melati 5", "telegram:1",
                  "35.78.04.1001")
    found = rank(probe, [
        candidate("LPR-AAAA-AA", "lampu mati", age_days=3),
        candidate("LPR-BBBB-BB", "PJU gang melati 5 mati, gelap gulita"),
        candidate("LPR-CCCC-CC", "PJU gang melati 5 mati gelap", owner="telegram:1"),  # their own
        candidate("LPR-DDDD-DD", "lampu PJU jalan kenanga 4 mati"),  # another street
    ], SCORER)
    assert [c.code for _, c in found] == ["LPR-BBBB-BB", "LPR-AAAA-AA"]


def test_no_lookup_without_a_place_or_a_category():
    policy = SimilarityPolicy()
    assert query_for(Probe(Category.JALAN, "x", "t:1"), NOW, policy) is None
    assert query_for(Probe(Category.LAINNYA, "x", "t:1", "35.78.04.1001"), NOW, policy) is None
    query = query_for(Probe(Category.JALAN, "x", "t:1", None, -7.33, 112.70), NOW, policy)
    assert query is not None and query.since == NOW - timedelta(days=60) and query.region_code is None
    box = query.box
    assert isinstance(box, Box) and box.south < -7.33 < box.north and box.west < 112.70 < box.east

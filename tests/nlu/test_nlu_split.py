"""nlu.split: a message is cut into several reports only when it clearly describes
distinct problems of different categories."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nlu import RuleNlu
from nlu.split import split_problems

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(scope="module")
def nlu() -> RuleNlu:
    return RuleNlu(region_scope="35.78")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "lampu jalan di gang 5 mati, terus sampah di depan pasar juga belum diangkut 3 hari",
            ["lampu jalan di gang 5 mati", "sampah di depan pasar juga belum diangkut 3 hari"],
        ),
        (
            "air pdam mati sejak kemarin. selain itu lampu jalan di depan rumah juga mati",
            ["air pdam mati sejak kemarin", "lampu jalan di depan rumah juga mati"],
        ),
        (
            "pak mau lapor, jalan di Jl. Raya Kebraon berlubang besar. Terus di kelurahan saya dimintai uang "
            "50 ribu buat surat pengantar",
            ["pak mau lapor, jalan di Jl. Raya Kebraon berlubang besar",
             "di kelurahan saya dimintai uang 50 ribu buat surat pengantar"],
        ),
        (
            "sampah menumpuk di TPS dan juga pohon di depan sekolah hampir tumbang",
            ["sampah menumpuk di TPS", "pohon di depan sekolah hampir tumbang"],
        ),
    ],
)
def test_distinct_problems_are_split(nlu: RuleNlu, text: str, parts: list[str]) -> None:
    assert nlu.split_problems(text, NOW) == parts
    assert split_problems(text) == parts  # the rules' classifier alone agrees


@pytest.mark.parametrize(
    "text",
    [
        "jalan rusak dan banyak lubang",
        "jalan berlubang dan akibatnya air menggenang",
        "got depan rumah mampet, baunya sampai ke dalam rumah",
        "lampu jalan mati jadi gelap dan rawan maling",
        "jalan rusak parah, kemarin ada motor jatuh. tolong segera diperbaiki",
        "sampah belum diangkut. terus baunya sampai ke rumah warga",
        "halo min. lampu jalan di gang 3 mati",
        "",
    ],
)
def test_one_problem_stays_whole(nlu: RuleNlu, text: str) -> None:
    assert nlu.split_problems(text, NOW) == ([text] if text else [])

"""The satisfaction index (Indeks Kepuasan Masyarakat) of the 1-4 SKM answers, and its grade
(mutu pelayanan) after PermenPANRB No. 14 Tahun 2017. Pure: numbers in, numbers out."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Grade(StrEnum):
    """Mutu pelayanan of an IKM value."""

    A = "A"  # Sangat Baik
    B = "B"  # Baik
    C = "C"  # Kurang Baik
    D = "D"  # Tidak Baik


SKM_WEIGHT = Decimal(25)  # unit value 1-4 times 25 gives the 25-100 index
# PermenPANRB No. 14 Tahun 2017 (Pedoman Penyusunan Survei Kepuasan Masyarakat), table of
# "nilai persepsi, nilai interval (NI), nilai interval konversi (NIK), mutu pelayanan":
# NIK 88,31-100 A (Sangat Baik); 76,61-88,30 B (Baik); 65,00-76,60 C (Kurang Baik);
# 25,00-64,99 D (Tidak Baik). Same bands on the 1-4 scale: 3,5324 / 3,0644 / 2,60.
GRADE_FLOORS: tuple[tuple[Decimal, Grade], ...] = (
    (Decimal("88.31"), Grade.A),
    (Decimal("76.61"), Grade.B),
    (Decimal("65.00"), Grade.C),
    (Decimal("25.00"), Grade.D),
)


def skm_index(scores: Iterable[int]) -> Decimal | None:
    """The IKM of 1-4 answers: their average times 25, to two decimals (None: no answers).

    The bot asks one question (the quality of the answer), so the average over
    respondents is the average of the single element (unsur)."""
    values = list(scores)
    if not values:
        return None
    if any(v not in (1, 2, 3, 4) for v in values):
        raise ValueError(f"SKM scores are 1-4, got {sorted(set(values))}")
    return (Decimal(sum(values)) * SKM_WEIGHT / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def service_grade(index: Decimal | float) -> Grade:
    """Mutu pelayanan for an IKM value on the 25-100 scale (compared at two decimals)."""
    value = Decimal(str(index)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if not Decimal(25) <= value <= Decimal(100):
        raise ValueError(f"an IKM lies between 25 and 100, got {value}")
    return next(grade for floor, grade in GRADE_FLOORS if value >= floor)

"""Sums of money in rupiah: "Rp 300.000", "200rb", "3 juta", "1,5jt", "bayar 150.000"."""

from __future__ import annotations

import re

from ..normalize import per_string
from ..result import Entity

_NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d+)?"
MULTIPLIERS = {
    "rb": 1_000, "ribu": 1_000, "rebu": 1_000, "k": 1_000, "jt": 1_000_000, "juta": 1_000_000,
    "m": 1_000_000_000, "miliar": 1_000_000_000, "milyar": 1_000_000_000, "triliun": 1_000_000_000_000,
}
SLANG = {"goceng": 5_000, "ceban": 10_000, "gocap": 50_000, "sejuta": 1_000_000, "seratus ribu": 100_000}
_UNIT_WORDS = r"rb|ribu|rebu|k|jt|juta|miliar|milyar|triliun"
_WITH_RP = re.compile(
    rf"(?<![a-z0-9])rp\.?\s*(?P<n>{_NUMBER})\s*(?P<u>{_UNIT_WORDS}|m)?(?![a-z0-9])(?:,-|,00)?", re.IGNORECASE
)
_WITH_UNIT = re.compile(rf"(?<![a-z0-9.,])(?P<n>{_NUMBER})\s*(?P<u>{_UNIT_WORDS})(?![a-z0-9])", re.IGNORECASE)
_AFTER_CUE = re.compile(
    r"(?<![a-z])(?:bayar|membayar|dibayar|biaya|uang|tarif|harga|sebesar|senilai|dimintai|diminta|minta)"
    r"\s+(?P<n>\d{1,3}(?:\.\d{3})+)(?![\d.,])",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_SLANG = re.compile(r"(?<![a-z])(?P<w>" + "|".join(SLANG) + r")(?![a-z])", re.IGNORECASE)


def parse_number(raw: str, has_unit: bool) -> float | None:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):
        return float(raw.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw) and not has_unit:
        return float(raw.replace(",", ""))
    if "," in raw:
        return float(raw.replace(".", "").replace(",", "."))
    if "." in raw:
        whole, frac = raw.split(".", 1)
        if len(frac) == 3 and not has_unit:
            return float(whole + frac)
        return float(raw)
    return float(raw)


@per_string
def extract(text: str) -> list[Entity]:
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: float | None) -> None:
        if value is None or value <= 0 or any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(Entity("money", int(round(value)), text[start:end], start, end))

    digits = _DIGIT.search(text) is not None  # the three patterns below all need a digit
    for m in _WITH_RP.finditer(text) if digits else ():
        unit = (m.group("u") or "").lower()
        number = parse_number(m.group("n"), bool(unit))
        add(m.start(), m.end(), number * MULTIPLIERS.get(unit, 1) if number is not None else None)
    for m in _WITH_UNIT.finditer(text) if digits else ():
        unit = m.group("u").lower()
        number = parse_number(m.group("n"), True)
        add(m.start(), m.end(), number * MULTIPLIERS[unit] if number is not None else None)
    for m in _AFTER_CUE.finditer(text) if digits else ():
        add(m.start("n"), m.end("n"), parse_number(m.group("n"), False))
    for m in _SLANG.finditer(text):
        add(m.start(), m.end(), SLANG[m.group("w").lower()])
    return sorted(found, key=lambda e: e.start)

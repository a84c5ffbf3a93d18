"""Two problems in one message: "lampu jalan di gang 5 mati, terus sampah di depan pasar
juga belum diangkut 3 hari" is two reports; "jalan rusak dan banyak lubang" is one.

The message is cut at sentence ends and at connectors that start a new matter ("terus",
"lalu", "selain itu", "satu lagi", "dan juga", ...; a plain "dan" only when the next part
says "juga"). Parts that follow from the one before ("akibatnya", "sehingga", "jadi") or
that name no category of their own are joined to it. The message is split only when at
least two parts are each confidently of a different category (``categorize``: the
parser's or the rules' classifier); otherwise it is returned whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .classify import classify
from .normalize import normalize

# a part that says who is reporting, not what ("NIK saya 3578…, hp 0812…")
IDENTITY = re.compile(r"\s*(?:nik|no\.?\s*ktp|ktp\s+saya|nama\s+saya|no\.?\s*hp|hp|nomor|no\.?\s*wa|wa|telp|telepon)\b",
                      re.IGNORECASE)
MIN_WORDS = 3  # a part shorter than this is never a problem of its own
MIN_SCORE = 2.0  # keyword evidence needed by the rules' classifier (``rule_category``)

Categorize = Callable[[str], "tuple[str | None, bool]"]  # (category, confident)

_EDGE = " ,.;!?\n\t"
_CONNECTOR = (
    r"(?:terus|trus|trs|lalu|kemudian|selain\s+itu|satu\s+lagi|dan\s+juga|juga\s+ada|plus|sama\s+satu\s+lagi|"
    r"oh\s+iya|oiya|ada\s+lagi)\b\W*\s*"
)
# "sejak minggu lalu", "2 hari lalu": "lalu" after a span of time is no connector
_NOT_AFTER_TIME = "".join(rf"(?<!\b{word})" for word in ("minggu", "bulan", "tahun", "hari", "pekan", "jam", "yang", "waktu"))
_CUT = re.compile(
    r"(?:(?<!\bjl)(?<!\bjln)(?<!\bno)(?<!\bgg)(?<!\bkel)(?<!\bkec)(?<!\brt)(?<!\brw)(?<!\bdr)(?<!\bbpk)"
    rf"(?<!\bst)(?<!\bds)[.!?;\n]+\s*(?:{_CONNECTOR})?|{_NOT_AFTER_TIME},?\s+{_CONNECTOR}|,\s+(?:dan\s+)?(?=\S+(?:\s+\S+){{0,6}}\s+juga\b))",
    re.IGNORECASE,
)
_AND_ALSO = re.compile(r"\s+dan\s+(?=(?:\S+\s+){1,6}juga\b)", re.IGNORECASE)
# a plain "dan" before three words or more ("lampu mati dan selokannya mampet sampai banjir"): a cut
# the categories then confirm or undo; a numbered list ("1) … 2) …", "pertama … kedua …")
_AND = re.compile(r"\s+dan\s+(?!juga\b)(?=\S+\s+\S+\s+\S)", re.IGNORECASE)
_ENUM = re.compile(r"(?:^|(?<=[\s,;:]))(?:\d{1,2}[.)]|pertama|kedua|ketiga)\s+", re.IGNORECASE)
_CONSEQUENCE = re.compile(
    r"(?:akibatnya|sehingga|jadi|makanya|karena|karna|soalnya|sampai|hingga|bikin|membuat|menyebabkan|yang)\b",
    re.IGNORECASE,
)


def rule_category(segment: str) -> tuple[str | None, bool]:
    """The rules' category of a part and whether the keyword evidence is strong."""
    result = classify(normalize(segment))
    if result.category is None:
        return None, False
    return result.category.value, result.scores.get(result.category, 0.0) >= MIN_SCORE


def _pieces(text: str) -> list[tuple[int, int, bool]]:
    """The parts of the message as spans, each with whether it opens with a consequence word."""
    cuts = sorted([(m.start(), m.end()) for pattern in (_CUT, _AND_ALSO, _AND, _ENUM) for m in pattern.finditer(text)])
    bounds: list[tuple[int, int]] = []
    last = 0
    for start, end in cuts:
        if start < last:
            continue
        bounds.append((last, start))
        last = end
    bounds.append((last, len(text)))
    out = []
    for start, end in bounds:
        part = text[start:end]
        stripped = part.strip(_EDGE)
        if not stripped:
            continue
        start += len(part) - len(part.lstrip(_EDGE))
        end = start + len(stripped)
        out.append((start, end, _CONSEQUENCE.match(stripped) is not None))
    return out


def split_problems(text: str, categorize: Categorize = rule_category) -> list[str]:
    """The message as one part per distinct problem (one part when in doubt), as written."""
    whole = text.strip()
    pieces = _pieces(whole)
    if len(pieces) < 2:
        return [whole] if whole else []
    groups: list[tuple[int, int, str | None]] = []  # (start, end, category)
    for start, end, consequence in pieces:
        part = whole[start:end]
        category, confident = categorize(part) if len(part.split()) >= MIN_WORDS else (None, False)
        if groups and (consequence or not confident or category == groups[-1][2]):
            first, _, known = groups[-1]
            groups[-1] = (first, end, known if known is not None else (category if confident else None))
            continue
        if groups and groups[-1][2] is None:  # an opening without a topic ("pak, mau lapor") joins this one
            groups[-1] = (groups[-1][0], end, category if confident else None)
            continue
        groups.append((start, end, category if confident else None))
    if len(groups) < 2 or len({g[2] for g in groups}) < len(groups) or any(g[2] is None for g in groups):
        return [whole]
    return [whole[start:end] for start, end, _ in groups]

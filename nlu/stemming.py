"""A light Indonesian stemmer for matching, not for linguistics.

Strips particles (-nya, -lah, -kah, -pun), the suffixes -kan/-an/-i and the common
prefixes (di-, ter-, ber-, ke-, se-, me(N)-, pe(N)-, per-) with the nasal sound change
undone (menyapu -> sapu, memotong -> potong, menutup -> tutup, mengirim -> kirim), and
keeps a candidate only when it is a word the caller knows (``known``: the words of the
training data). So "dibersihkan" becomes "bersih" and "berlubang" becomes "lubang",
while place names and unknown words stay as they are. Full morphological stemmers
(PySastrawi) were tried and left out: they cost ~0.3 ms a word, more than the whole
budget of a message, and the character n-grams already cover most affixes.
"""

from __future__ import annotations

PARTICLES = ("nya", "lah", "kah", "pun")
SUFFIXES = ("kan", "an", "i")
# prefix -> letters that replace it (nasal assimilation undone), tried in this order
PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("meng", ("", "k")), ("meny", ("s",)), ("mem", ("p", "")), ("men", ("t", "")), ("me", ("",)),
    ("peng", ("", "k")), ("peny", ("s",)), ("pem", ("p", "")), ("pen", ("t", "")), ("per", ("",)),
    ("pe", ("",)), ("ber", ("",)), ("be", ("",)), ("ter", ("",)), ("di", ("",)), ("ke", ("",)),
    ("se", ("",)),
)
MIN_STEM = 3


def _without_suffix(word: str) -> list[str]:
    out = [word]
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= MIN_STEM:
            out.append(word[: -len(particle)])
            break
    for base in list(out):
        for suffix in SUFFIXES:
            if base.endswith(suffix) and len(base) - len(suffix) >= MIN_STEM:
                out.append(base[: -len(suffix)])
    return out


def stem(word: str, known: frozenset[str] | set[str]) -> str:
    """The shortest-affix known root of ``word``, or ``word`` itself."""
    if len(word) < 5 or not word.isalpha():
        return word
    candidates = _without_suffix(word)
    for base in list(candidates):
        for prefix, replacements in PREFIXES:
            if base.startswith(prefix):
                rest = base[len(prefix):]
                candidates.extend(r + rest for r in replacements if len(r + rest) >= MIN_STEM)
    for candidate in candidates[1:]:
        if candidate in known:
            return candidate
    return word

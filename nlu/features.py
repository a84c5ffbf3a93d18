"""Features of a message for the statistical classifier.

Works on the normalised text (``nlu.normalize``: slang and abbreviations already
expanded, repeated letters collapsed). Features are strings:

- ``w:jalan``    word (digits folded to 0, so "3x" and "5x" are the same word)
- ``s:lubang``   the word's root (``nlu.stemming``) when it differs and is a known word
- ``b:air_mati`` two words in a row
- ``c:<bol``     character 3- and 4-grams inside a word, ``<``/``>`` marking its ends
  (tolerates typos and affixes: "berlubang", "lobang", "bolongg")

With ``evidence=True`` (the feature set ``"evidence"``) the entity layer's findings are
features too (``evidence()``):

- ``k:jalan``    keyword evidence of a category (``nlu.keywords`` through
  ``classify.category_scores`` on the text with addresses and landmarks blanked, the
  TAXONOMY's "typical content"), repeated once per point of score (at most 6);
  ``kt:jalan`` the category with the most keyword evidence; ``kf:jalan`` evidence found
  only in the full text (in an address or landmark: "depan SDN 3")
- ``a:air_bersih`` a public body named (``nlu.entities.agency``), as the category it stands for
- ``l:sekolah``  the kind of landmark in the place detail ("depan SDN 3" -> ``l:sdn``),
  ``d:street`` / ``d:rtrw`` / ``d:relation`` which kinds of place detail were given

The same ``Featurizer`` serves training (``nlu.train``, through scikit-learn's
vectoriser) and run time (``nlu.model``), so the two cannot drift apart. ``known`` is
the set of words of the training data (the model artefact stores it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .normalize import Normalized, normalize_with_map
from .stemming import stem

_TOKEN = re.compile(r"[a-z0-9]+")
_FOLD_DIGITS = str.maketrans("123456789", "000000000")
CHAR_NGRAMS = (3, 4)
CACHE_WORDS = 50_000
FEATURE_SETS = ("base", "evidence")
MAX_KEYWORD_REPEAT = 6


def words(normalized: str) -> list[str]:
    """The words of a normalised text, digits folded to 0 (remembered for the last texts)."""
    return list(_words(normalized))


@lru_cache(maxsize=64)
def _words(normalized: str) -> tuple[str, ...]:
    # the words hold ASCII digits only, so folding them in the whole text first is the same
    return tuple(_TOKEN.findall(normalized.translate(_FOLD_DIGITS)))


def vocabulary_of(texts: Iterable[str]) -> frozenset[str]:
    """The ``known`` words for a Featurizer trained on ``texts`` (raw messages)."""
    return frozenset(w for text in texts for w in words(normalize_with_map(text).text))


def evidence(norm: Normalized, spans: list[tuple[int, int]] | None = None) -> list[str]:
    """The entity layer's evidence about the topic, as features (see the module doc);
    ``spans``: the message's place details when the caller has them already
    (``place.detail_spans(norm)``, which is what is computed otherwise)."""
    from .classify import category_scores
    from .entities import agency, place

    feats: list[str] = []
    if spans is None:
        spans = place.detail_spans(norm)
    chars = list(norm.text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    topic = category_scores("".join(chars)) if spans else None
    full = category_scores(norm.text)
    scores = topic if topic else full
    for category, score in sorted(scores.items(), key=lambda kv: kv[0].value):
        feats.extend(["k:" + category.value] * max(1, min(MAX_KEYWORD_REPEAT, round(score))))
    if scores:
        best = max(sorted(scores, key=lambda c: c.value), key=lambda c: scores[c])
        feats.append("kt:" + best.value)
    if topic:
        feats.extend("kf:" + c.value for c in sorted(set(full) - set(topic), key=lambda c: c.value))
    for found in agency.extract(norm):
        stands_for = agency.AGENCY_CATEGORY.get(str(found.value))
        feats.append("a:" + (stands_for.value if stands_for is not None else "other"))
    tokens = norm.tokens()
    for start, end in place.landmark_spans(norm) + spans:
        head = next((w for w, s, _ in tokens if start <= s < end and w in place.LANDMARK_HEADS), None)
        if head is not None:
            feats.append("l:" + head)
    for start, _ in spans:
        first = next((w for w, s, _ in tokens if s >= start), "")
        kind = "street" if first in ("jalan", "gang", "blok") else "rtrw" if first in ("rt", "rw") else "relation"
        feats.append("d:" + kind)
    return feats


class Featurizer:
    def __init__(self, known: frozenset[str], feature_set: str = "base") -> None:
        if feature_set not in FEATURE_SETS:
            raise ValueError(f"unknown feature set {feature_set!r}")
        self.known = known
        self.feature_set = feature_set
        self._cache: dict[str, tuple[str, ...]] = {}

    def word_features(self, word: str) -> tuple[str, ...]:
        found = self._cache.get(word)
        if found is not None:
            return found
        feats = ["w:" + word]
        root = stem(word, self.known)
        if root != word:
            feats.append("s:" + root)
        padded = f"<{word}>"
        for n in CHAR_NGRAMS:
            feats.extend("c:" + padded[i : i + n] for i in range(len(padded) - n + 1))
        result = tuple(feats)
        if len(self._cache) < CACHE_WORDS:
            self._cache[word] = result
        return result

    def normalized(self, normalized: str) -> list[str]:
        tokens = words(normalized)
        feats: list[str] = []
        for word in tokens:
            feats.extend(self.word_features(word))
        feats.extend(f"b:{a}_{b}" for a, b in zip(tokens, tokens[1:]))
        return feats

    def extra(self, norm: Normalized, spans: list[tuple[int, int]] | None = None) -> list[str]:
        """The features beyond words and n-grams (none for the feature set ``"base"``);
        ``spans`` as for :func:`evidence`."""
        return evidence(norm, spans) if self.feature_set == "evidence" else []

    def __call__(self, text: str) -> list[str]:
        """Features of a raw message (normalises it first); the vectoriser's analyzer."""
        norm = normalize_with_map(text)
        return self.normalized(norm.text) + self.extra(norm)

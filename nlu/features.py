"""Features of a message for the statistical classifier.

Works on the normalised text (``nlu.normalize``: slang and abbreviations already
expanded, repeated letters collapsed). Features are strings:

- ``w:jalan``    word (digits folded to 0, so "3x" and "5x" are the same word)
- ``s:lubang``   the word's root (``nlu.stemming``) when it differs and is a known word
- ``b:air_mati`` two words in a row
- ``c:<bol``     character 3- and 4-grams inside a word, ``<``/``>`` marking its ends
  (tolerates typos and affixes: "berlubang", "lobang", "bolongg")

The same ``Featurizer`` serves training (``nlu.train``, through scikit-learn's
vectoriser) and run time (``nlu.model``), so the two cannot drift apart. ``known`` is
the set of words of the training data (the model artefact stores it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .normalize import normalize
from .stemming import stem

_TOKEN = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"\d")
CHAR_NGRAMS = (3, 4)
CACHE_WORDS = 50_000


def words(normalized: str) -> list[str]:
    return [_DIGIT.sub("0", w) for w in _TOKEN.findall(normalized)]


def vocabulary_of(texts: Iterable[str]) -> frozenset[str]:
    """The ``known`` words for a Featurizer trained on ``texts`` (raw messages)."""
    return frozenset(w for text in texts for w in words(normalize(text)))


class Featurizer:
    def __init__(self, known: frozenset[str]) -> None:
        self.known = known
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

    def __call__(self, text: str) -> list[str]:
        """Features of a raw message (normalises it first); the vectoriser's analyzer."""
        return self.normalized(normalize(text))

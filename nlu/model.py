"""The statistical classifier at run time: a TF-IDF + logistic-regression model per axis.

Trained by ``python -m nlu.train`` from the Rasa files in ``nlu/data/`` and shipped as
``nlu/data/model/classifier.npz``. Reading it needs numpy only (no scikit-learn, no
training at start-up): the vocabulary, the idf weights and one coefficient matrix per
head ("intent", "category", "weight", "report_type", "maladministration"). Scoring a
message is a sparse dot product, the same arithmetic as scikit-learn's
``TfidfVectorizer(sublinear_tf=True)`` followed by ``LogisticRegression.predict_proba``
(for another linear learner, the softmax of its scores times the head's ``scale``).

The artefact also carries what training chose by cross-validation (``Calibration``): the
feature set, the keyword rules' weight in the category ensemble, the temperature that
makes the ensemble's category confidence a calibrated probability and the routing
threshold. An artefact without them gets the rules' defaults (``nlu.ensemble``).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .ensemble import Calibration
from .entities import place
from .features import Featurizer, words
from .normalize import Normalized, normalize_with_map

MODEL_FILE = Path(__file__).parent / "data" / "model" / "classifier.npz"
HEADS = ("intent", "category", "weight", "report_type", "maladministration")


@dataclass(frozen=True)
class Head:
    classes: tuple[str, ...]
    coef: np.ndarray  # (n_features, n_classes), float32
    intercept: np.ndarray  # (n_classes,)


class Model:
    """Loaded once per process (``Model.load()`` caches)."""

    _cache: dict[Path, Model] = {}
    _lock = threading.Lock()

    def __init__(self, features: list[str], idf: np.ndarray, heads: dict[str, Head], known: frozenset[str],
                 data_hash: str, feature_set: str = "base", calibration: Calibration | None = None) -> None:
        self.index = {name: i for i, name in enumerate(features)}
        self.idf = idf
        self.heads = heads
        self.data_hash = data_hash
        self.featurizer = Featurizer(known, feature_set)
        self.calibration = calibration or Calibration()
        # all heads side by side: one gather and one product scores every axis at once
        self._all_coef = np.ascontiguousarray(np.hstack([h.coef for h in heads.values()]))
        self._all_intercept = np.concatenate([h.intercept for h in heads.values()])
        bounds = np.cumsum([0] + [len(h.classes) for h in heads.values()])
        self._slices = {name: slice(int(a), int(b)) for name, a, b in zip(heads, bounds[:-1], bounds[1:])}
        self._word_cache: dict[str, list[int]] = {}
        self._known_words = frozenset(name[2:] for name in features if name.startswith("w:"))
        # per head: its classes and its columns of the scores (plain Python, read per message)
        self._parts = [(name, self.heads[name].classes, part) for name, part in self._slices.items()]

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Model:
        with cls._lock:
            model = cls._cache.get(path)
            if model is None:
                model = cls._cache[path] = cls._read(path)
            return model

    @classmethod
    def _read(cls, path: Path) -> Model:
        with np.load(path, allow_pickle=False) as data:
            features = str(data["features"]).split("\n")
            known = frozenset(str(data["known"]).split("\n"))
            scales = {name: float(data[f"{name}.scale"]) if f"{name}.scale" in data else 1.0 for name in HEADS}
            heads = {
                name: Head(
                    tuple(str(data[f"{name}.classes"]).split("\n")),
                    data[f"{name}.coef"].astype(np.float32) * np.float32(scales[name]),
                    data[f"{name}.intercept"].astype(np.float32) * np.float32(scales[name]),
                )
                for name in HEADS
            }
            feature_set = str(data["feature_set"]) if "feature_set" in data else "base"
            calibration = Calibration.from_json(str(data["calibration"])) if "calibration" in data else None
            return cls(features, data["idf"].astype(np.float32), heads, known, str(data["data_hash"]),
                       feature_set, calibration)

    def _word_indices(self, word: str) -> list[int]:
        found = self._word_cache.get(word)
        if found is None:
            index = self.index
            found = [i for f in self.featurizer.word_features(word) if (i := index.get(f)) is not None]
            if len(self._word_cache) < 50_000:
                self._word_cache[word] = found
        return found

    def vector(
        self, message: Normalized | str, detail_spans: list[tuple[int, int]] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(feature indices, l2-normalised tf-idf weights) of a message (a ``Normalized``
        from ``normalize_with_map``, or the raw text); ``detail_spans``: its place details,
        when the caller found them already."""
        norm = message if isinstance(message, Normalized) else normalize_with_map(message)
        tokens = words(norm.text)
        found: list[int] = []
        cache = self._word_cache
        for word in tokens:
            indices = cache.get(word)
            found += indices if indices is not None else self._word_indices(word)
        index = self.index
        for a, b in zip(tokens, tokens[1:]):
            i = index.get(f"b:{a}_{b}")
            if i is not None:
                found.append(i)
        found.extend(i for f in self.featurizer.extra(norm, detail_spans) if (i := index.get(f)) is not None)
        counts = Counter(found)  # features in the order first seen, as the sums below expect
        if not counts:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.float32)
        idx = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
        weights = tf * self.idf[idx]
        length = float(np.sqrt(weights @ weights))
        return idx, weights / length if length > 0 else weights

    def read(self, norm: Normalized) -> tuple[float, dict[str, dict[str, float]]]:
        """(``coverage``, ``predict_all``) of a message, worked out once per text (kept with
        it, see ``Normalized.remember``: the dialog reads a message more than once); the
        probabilities are shared, not to be changed."""
        def compute() -> tuple[Model, float, dict[str, dict[str, float]]]:
            vector = self.vector(norm, place.detail_spans(norm))
            return self, self.coverage(vector, norm.text), self.predict_all(vector)

        _, coverage, probabilities = norm.remember(f"model {id(self)}", compute)  # self kept: the id stays its
        return coverage, probabilities

    def predict_all(self, vector: tuple[np.ndarray, np.ndarray]) -> dict[str, dict[str, float]]:
        """Class probabilities of every head (same values as ``predict`` for each)."""
        idx, weights = vector
        scores = self._all_intercept + (weights @ self._all_coef[idx] if len(idx) else 0.0)
        out: dict[str, dict[str, float]] = {}
        maximum, add, exp = np.maximum.reduce, np.add.reduce, np.exp  # what .max() and .sum() call, minus their wrappers
        for name, classes, part in self._parts:
            s = scores[part]
            e = exp(s - maximum(s))
            out[name] = dict(zip(classes, (e / add(e)).tolist()))
        return out

    def predict(self, head: str, vector: tuple[np.ndarray, np.ndarray]) -> dict[str, float]:
        """Class probabilities of one head for a vector from ``vector()``."""
        h = self.heads[head]
        idx, weights = vector
        scores = h.intercept + (weights @ h.coef[idx] if len(idx) else 0.0)
        scores = scores - scores.max()
        exp = np.exp(scores)
        probs = exp / exp.sum()
        return {c: float(p) for c, p in zip(h.classes, probs)}

    def coverage(self, vector: tuple[np.ndarray, np.ndarray], normalized: str) -> float:
        """Share of the message's words the model has seen in training (0 for gibberish)."""
        tokens = [w for w in words(normalized) if not w.isdigit()]
        if not tokens:
            return 0.0
        known = self._known_words
        return sum(1 for w in tokens if w in known) / len(tokens)

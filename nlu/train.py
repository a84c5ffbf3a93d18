"""Train the classifier from the Rasa files in ``nlu/data/`` and write the artefact.

    python -m nlu.train            # writes nlu/data/model/classifier.npz
    python -m nlu.train --cv 5     # k-fold cross-validation on the training data only

Heads and their data (see nlu/data/README.md):

- intent: the intents of ``nlu.yml``, plus every example of ``category.yml`` as
  ``new_complaint`` (a message describing a problem is a new complaint);
- category / weight / report_type / maladministration: ``<axis>.yml``, one
  pseudo-intent ``<axis>_<code>`` per code.

Needs scikit-learn (a declared dependency); the run time reads the artefact with numpy
only. The artefact records a hash of the training files: ``tests/nlu/test_nlu_model.py``
fails when the data changed and the model was not retrained.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from . import rasa
from .features import Featurizer, vocabulary_of
from .model import HEADS, MODEL_FILE

C_BY_HEAD = {"intent": 10.0, "category": 10.0, "weight": 5.0, "report_type": 5.0, "maladministration": 5.0}
MIN_DF = 2
AXES = ("category", "weight", "report_type", "maladministration")


def datasets(directory: Path = rasa.DATA_DIR) -> dict[str, list[tuple[str, str]]]:
    """head -> [(text, label)] from the Rasa files."""
    out: dict[str, list[tuple[str, str]]] = {}
    for axis in AXES:
        out[axis] = rasa.load(directory / f"{axis}.yml").labelled(f"{axis}_")
    nlu = rasa.load(directory / "nlu.yml")
    intents = nlu.labelled()
    intents += [(text, "new_complaint") for text, _ in out["category"]]
    out["intent"] = intents
    return out


def _vectorizer(known: frozenset[str]) -> Any:  # scikit-learn ships no type hints
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    return TfidfVectorizer(analyzer=Featurizer(known), sublinear_tf=True, min_df=MIN_DF, dtype=np.float32)


def _classifier(head: str) -> Any:  # scikit-learn ships no type hints
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    return LogisticRegression(C=C_BY_HEAD[head], max_iter=3000, class_weight="balanced")


def fit(data: dict[str, list[tuple[str, str]]]) -> dict[str, object]:
    """Fit the vectoriser on every text and one classifier per head; arrays to save."""
    texts = sorted({text for rows in data.values() for text, _ in rows})
    known = vocabulary_of(texts)
    vectorizer = _vectorizer(known)
    vectorizer.fit(texts)
    arrays: dict[str, object] = {
        "features": "\n".join(vectorizer.get_feature_names_out()),
        "idf": vectorizer.idf_.astype(np.float32),
        "known": "\n".join(sorted(known)),
    }
    for head in HEADS:
        rows = data[head]
        classifier = _classifier(head)
        classifier.fit(vectorizer.transform([t for t, _ in rows]), [label for _, label in rows])
        classes = [str(c) for c in classifier.classes_]
        coef, intercept = classifier.coef_, classifier.intercept_
        if len(classes) == 2:  # binary: scikit-learn keeps one row; make it a two-class softmax
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        arrays[f"{head}.classes"] = "\n".join(classes)
        arrays[f"{head}.coef"] = np.ascontiguousarray(coef.T).astype(np.float16)
        arrays[f"{head}.intercept"] = intercept.astype(np.float32)
    return arrays


def as_arrays(arrays: dict[str, object]) -> dict[str, Any]:
    """What ``np.savez`` stores (typed Any: numpy's stubs read ``**kwds`` as its flags)."""
    return {key: np.asarray(value) for key, value in arrays.items()}


def train(path: Path = MODEL_FILE) -> Path:
    started = time.perf_counter()
    data = datasets()
    arrays = fit(data)
    arrays["data_hash"] = rasa.data_hash()
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **as_arrays(arrays))
    sizes = {head: len(rows) for head, rows in data.items()}
    print(f"trained {sizes} features={len(str(arrays['features']).splitlines())} "
          f"in {time.perf_counter() - started:.1f}s -> {path} ({path.stat().st_size // 1024} KB)")
    return path


def cross_validate(folds: int = 5, seed: int = 13) -> dict[str, dict[str, float]]:
    """k-fold accuracy per head on the training data (the dev numbers; never the eval set).

    Reports the model alone and the model combined with the keyword rules as the parser
    combines them, so blending choices are made on held-out training data.
    """
    import tempfile

    from .model import Model
    from .parser import RuleNlu

    data = datasets()
    rng = np.random.default_rng(seed)
    results: dict[str, dict[str, list[float]]] = {}
    complaint_rows = {axis: data[axis] for axis in AXES}
    texts = [t for t, _ in complaint_rows["category"]]
    order = rng.permutation(len(texts))
    labels = {axis: dict(rows) for axis, rows in complaint_rows.items()}
    for fold in range(folds):
        held = {texts[i] for i in order[fold::folds]}
        train_data = {head: [(t, label) for t, label in rows if t not in held] for head, rows in data.items()}
        arrays = fit(train_data)
        arrays["data_hash"] = "cv"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "m.npz"
            np.savez(path, **as_arrays(arrays))
            model = Model._read(path)
        for mode, nlu in (("model+rules", RuleNlu(model=model)), ("rules", RuleNlu(model=None))):
            scores = results.setdefault(mode, {})
            for text in held:
                parse = nlu.parse(text, _NOW)
                gold = labels["category"][text]
                top = [c.value for c, _ in parse.category_ranking]
                got = parse.category.value if parse.category else "lainnya"
                scores.setdefault("category", []).append(got == gold)
                scores.setdefault("category_top3", []).append(gold in top or (not top and gold == "lainnya"))
                scores.setdefault("weight", []).append(parse.weight.value == labels["weight"][text])
                scores.setdefault("report_type", []).append(parse.report_type.value == labels["report_type"][text])
                mal = parse.maladministration.value if parse.maladministration else "none"
                scores.setdefault("maladministration", []).append(mal == labels["maladministration"][text])
    return {mode: {k: round(float(np.mean(v)), 3) for k, v in s.items()} for mode, s in results.items()}


_NOW = __import__("datetime").datetime(2025, 3, 19, 10, 0, tzinfo=__import__("zoneinfo").ZoneInfo("Asia/Jakarta"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu.train", description=__doc__.split("\n")[0])
    parser.add_argument("--cv", type=int, metavar="K", help="cross-validate with K folds instead of training")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    if args.cv:
        for mode, scores in cross_validate(args.cv).items():
            print(mode, scores)
        return 0
    train(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

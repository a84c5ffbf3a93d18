"""Train the classifier from the Rasa files in ``nlu/data/`` and write the artefact.

    python -m nlu.train               # writes nlu/data/model/classifier.npz (calibrated)
    python -m nlu.train --cv 5        # k-fold figures of the category ensemble, training data only (JSON)
    python -m nlu.train --compare     # the model choices: k-fold figures, and the evaluation sets' aggregate figures (JSON)

Heads and their data (see nlu/data/README.md):

- category: ``category.yml`` and ``categories/*.yml`` (pseudo-intents ``category_<code>``;
  exact duplicates are read once, a text with two different categories is left out and
  fails ``tests/nlu/test_nlu_data.py``);
- intent: the intents of ``nlu.yml`` and ``intents/*.yml``, plus every category example
  as ``new_complaint`` (a message describing a problem is a new complaint);
- weight / report_type / maladministration: ``<axis>.yml``, one pseudo-intent
  ``<axis>_<code>`` per code.

The category confidence the parser gives (the model mixed with the keyword rules,
``nlu.ensemble``) is calibrated here: out-of-fold predictions of a stratified k-fold over
the category examples choose the rules' weight (best top-1), the temperature (least
log-loss, so the confidence is the probability of being right) and the routing threshold
(the lowest confidence from which the out-of-fold routing errs at most
``MAX_ROUTING_ERROR``). The artefact stores them (``ensemble.Calibration``).

Needs scikit-learn (a declared dependency); the run time reads the artefact with numpy
only. The artefact records a hash of the training files: ``tests/nlu/test_nlu_model.py``
fails when the data changed and the model was not retrained.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from . import rasa
from .calibration import OutOfFold, cv_figures, folds_of, rule_evidence
from .features import Featurizer, vocabulary_of
from .model import HEADS, MODEL_FILE

C_BY_HEAD = {"intent": 10.0, "category": 10.0, "weight": 5.0, "report_type": 5.0, "maladministration": 5.0}
MIN_DF = 2
AXES = ("category", "weight", "report_type", "maladministration")
CATEGORY_DIR = "categories"
INTENT_DIR = "intents"

# The shipped choice (``--compare`` measures the alternatives): feature set and learner.
FEATURE_SET = "evidence"
LEARNER = "sgd"
VARIANTS: dict[str, tuple[str, str]] = {
    "baseline: logreg, words + n-grams": ("base", "logreg"),
    "logreg, words + n-grams + entity evidence": ("evidence", "logreg"),
    "sgd modified_huber, words + n-grams + entity evidence": ("evidence", "sgd"),
}
FOLDS = 5
JOBS = 2  # worker processes for the fits (the target machine has 2 cores)


# --- data -------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def category_files(directory: Path = rasa.DATA_DIR) -> list[Path]:
    files = [directory / "category.yml"] + sorted((directory / CATEGORY_DIR).glob("*.yml"))
    return [f for f in files if f.exists()]


def category_examples(directory: Path = rasa.DATA_DIR) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """([(text, category)], {text: [categories]} of texts labelled twice differently).

    Exact duplicates (same text up to case and spacing, same category) are kept once; a
    text with different categories is left out (and listed)."""
    labels: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    for path in category_files(directory):
        for text, label in rasa.load(path).labelled("category_"):
            key = _key(text)
            first.setdefault(key, text)
            labels.setdefault(key, []).append(label)
    conflicts = {first[k]: sorted(set(v)) for k, v in labels.items() if len(set(v)) > 1}
    rows = [(first[k], v[0]) for k, v in labels.items() if len(set(v)) == 1]
    return rows, conflicts


def datasets(directory: Path = rasa.DATA_DIR) -> dict[str, list[tuple[str, str]]]:
    """head -> [(text, label)] from the Rasa files."""
    out: dict[str, list[tuple[str, str]]] = {}
    out["category"] = category_examples(directory)[0]
    for axis in AXES[1:]:
        out[axis] = rasa.load(directory / f"{axis}.yml").labelled(f"{axis}_")
    intents = rasa.load(directory / "nlu.yml").labelled()
    for path in sorted((directory / INTENT_DIR).glob("*.yml")):
        intents += rasa.load(path).labelled()
    # a category example is a new complaint, unless it only asks for information (report type
    # permintaan_informasi: "syarat bikin akta apa aja?"): that is a question, which the dialog
    # answers from the FAQ or sends to an officer
    asking = {text for text, label in out["report_type"] if label == "permintaan_informasi"}
    intents += [(text, "question" if text in asking else "new_complaint") for text, _ in out["category"]]
    out["intent"] = list(dict.fromkeys(intents))  # exact (text, label) duplicates once
    return out


# --- fitting ----------------------------------------------------------------------------------


class _CachedAnalyzer:
    """A Featurizer that remembers each text's features (folds featurise a text once)."""

    def __init__(self, featurizer: Featurizer) -> None:
        self.featurizer = featurizer
        self.cache: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self.featurizer(text)
        return found


def _vectorizer(analyzer: Callable[[Any], list[str]]) -> Any:  # scikit-learn ships no type hints
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    return TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=MIN_DF, dtype=np.float32)


def _classifier(head: str, learner: str = "logreg") -> Any:  # scikit-learn ships no type hints
    if head == "category" and learner == "sgd":
        from sklearn.linear_model import SGDClassifier  # type: ignore[import-untyped]

        return SGDClassifier(loss="modified_huber", alpha=5e-5, max_iter=60, tol=1e-4, class_weight="balanced",
                             random_state=0)
    if head == "category" and learner == "svc":
        from sklearn.svm import LinearSVC  # type: ignore[import-untyped]

        return LinearSVC(C=0.5, class_weight="balanced")
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C_BY_HEAD[head], max_iter=3000, class_weight="balanced")


def _head_arrays(classifier: Any) -> tuple[list[str], np.ndarray, np.ndarray]:
    classes = [str(c) for c in classifier.classes_]
    coef, intercept = classifier.coef_, classifier.intercept_
    if len(classes) == 2:  # binary: scikit-learn keeps one row; make it a two-class softmax
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return classes, coef, intercept


def _identity(features: list[str]) -> list[str]:
    return features


def _fit_head(head: str, learner: str, x: Any, y: list[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """One classifier (run in a worker process)."""
    classifier = _classifier(head, learner)
    classifier.fit(x, y)
    return _head_arrays(classifier)


def _rule_job(texts: list[str]) -> list[dict[str, float]]:
    return rule_evidence(texts)


def _parallel(jobs: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Any]:
    """Run (function, args) jobs on JOBS processes (the classifiers are single-threaded)."""
    from joblib import Parallel, delayed  # type: ignore[import-untyped]

    if JOBS <= 1:
        return [function(*args) for function, args in jobs]
    return list(Parallel(n_jobs=JOBS, backend="loky")(delayed(function)(*args) for function, args in jobs))


class _Plan:
    """The fits of one training run: every head on all data, and the category head on
    each fold (for the out-of-fold predictions that calibrate the ensemble)."""

    def __init__(self, data: dict[str, list[tuple[str, str]]], analyzer: _CachedAnalyzer) -> None:
        self.data = data
        self.analyzer = analyzer
        self.texts = sorted({text for rows in data.values() for text, _ in rows})
        self.features = {text: analyzer(text) for text in self.texts}

    def vectorizer(self, texts: list[str]) -> Any:
        vectorizer = _vectorizer(_identity)
        vectorizer.fit([self.features[t] for t in texts])
        return vectorizer

    def matrix(self, vectorizer: Any, texts: list[str]) -> Any:
        return vectorizer.transform([self.features[t] for t in texts])


def fit(
    data: dict[str, list[tuple[str, str]]], feature_set: str = FEATURE_SET, learner: str = LEARNER,
    analyzer: _CachedAnalyzer | None = None,
) -> dict[str, object]:
    """Fit the vectoriser on every text and one classifier per head; arrays to save."""
    arrays, _ = _fit_all(data, feature_set, learner, analyzer, folds=0)
    return arrays


def _fit_all(
    data: dict[str, list[tuple[str, str]]], feature_set: str, learner: str, analyzer: _CachedAnalyzer | None,
    folds: int,
) -> tuple[dict[str, object], OutOfFold | None]:
    """The artefact's arrays, and (with ``folds``) the out-of-fold category predictions
    with the rules' evidence, all fits in parallel."""
    texts = sorted({text for rows in data.values() for text, _ in rows})
    if analyzer is None:
        analyzer = _CachedAnalyzer(Featurizer(vocabulary_of(texts), feature_set))
    plan = _Plan(data, analyzer)
    vectorizer = plan.vectorizer(texts)
    jobs: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
    category = data["category"]
    cat_texts, gold = [t for t, _ in category], [label for _, label in category]
    if folds:
        jobs.append((_rule_job, (cat_texts,)))
    for head in sorted(HEADS, key=lambda h: -len(data[h])):  # the longest first
        rows = data[head]
        jobs.append((_fit_head, (head, learner, plan.matrix(vectorizer, [t for t, _ in rows]), [y for _, y in rows])))
    fold = folds_of(gold, folds) if folds else np.zeros(0, dtype=np.int64)
    others = sorted(set(texts) - set(cat_texts))
    held_out: list[tuple[list[int], Any, Any]] = []
    for k in range(folds):
        train_ix = [i for i in range(len(cat_texts)) if fold[i] != k]
        held = [i for i in range(len(cat_texts)) if fold[i] == k]
        fold_vectorizer = plan.vectorizer([cat_texts[i] for i in train_ix] + others)
        x = plan.matrix(fold_vectorizer, [cat_texts[i] for i in train_ix])
        jobs.append((_fit_head, ("category", learner, x, [gold[i] for i in train_ix])))
        held_out.append((held, plan.matrix(fold_vectorizer, [cat_texts[i] for i in held]), fold_vectorizer.vocabulary_))
    results = _parallel(jobs)
    rules = results.pop(0) if folds else []
    arrays: dict[str, object] = {
        "features": "\n".join(vectorizer.get_feature_names_out()),
        "idf": vectorizer.idf_.astype(np.float32),
        "known": "\n".join(sorted(analyzer.featurizer.known)),
        "feature_set": feature_set,
    }
    for head in sorted(HEADS, key=lambda h: -len(data[h])):
        classes, coef, intercept = results.pop(0)
        arrays[f"{head}.classes"] = "\n".join(classes)
        arrays[f"{head}.coef"] = np.ascontiguousarray(coef.T).astype(np.float16)
        arrays[f"{head}.intercept"] = intercept.astype(np.float32)
    if not folds:
        return arrays, None
    from .features import words
    from .normalize import normalize

    classes = sorted(set(gold))
    scores = np.zeros((len(cat_texts), len(classes)), dtype=np.float64)
    coverage = np.ones(len(cat_texts), dtype=np.float64)
    for (held, x, vocabulary), (got, coef, intercept) in zip(held_out, results):
        order = [got.index(c) for c in classes]
        scores[held] = np.asarray(x @ coef.T + intercept)[:, order]
        for i in held:
            tokens = [w for w in words(normalize(cat_texts[i])) if not w.isdigit()]
            coverage[i] = sum(("w:" + w) in vocabulary for w in tokens) / len(tokens) if tokens else 0.0
    return arrays, OutOfFold(cat_texts, gold, classes, scores, coverage, rules)


def as_arrays(arrays: dict[str, object]) -> dict[str, Any]:
    """What ``np.savez`` stores (typed Any: numpy's stubs read ``**kwds`` as its flags)."""
    return {key: np.asarray(value) for key, value in arrays.items()}


def out_of_fold(
    data: dict[str, list[tuple[str, str]]], feature_set: str, learner: str, folds: int = FOLDS,
) -> OutOfFold:
    """Out-of-fold category predictions (and the rules' evidence) of a k-fold."""
    oof = _fit_all(data, feature_set, learner, None, folds)[1]
    assert oof is not None
    return oof


def train(path: Path = MODEL_FILE, feature_set: str = FEATURE_SET, learner: str = LEARNER,
          quiet: bool = False) -> tuple[Path, dict[str, Any]]:
    """Fit every head, calibrate the category ensemble on out-of-fold predictions, save."""
    started = time.perf_counter()
    data = datasets()
    arrays, oof = _fit_all(data, feature_set, learner, None, FOLDS)
    assert oof is not None
    scale, calibration, cv = cv_figures(oof, learner)
    arrays["category.scale"] = np.float32(scale)
    arrays["calibration"] = calibration.to_json()
    arrays["data_hash"] = rasa.data_hash()
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **as_arrays(arrays))
    seconds = time.perf_counter() - started
    report = {
        "examples": {head: len(rows) for head, rows in data.items()},
        "features": len(str(arrays["features"]).splitlines()),
        "feature_set": feature_set, "learner": learner, "scale": scale,
        "calibration": json.loads(calibration.to_json()),
        "cv": cv,
        "seconds": round(seconds, 1),
    }
    if not quiet:
        print(f"trained {report['examples']} features={report['features']} in {seconds:.1f}s -> {path} "
              f"({path.stat().st_size // 1024} KB)")
        print(f"calibration {report['calibration']} (scale {scale}); {FOLDS}-fold: top-1 {cv['top1']}, "
              f"top-3 {cv['top3']}, lowest recall {cv['min_recall']}, routed {cv['routing']['share']:.1%} "
              f"erring {cv['routing']['error']:.1%}, ECE {cv['ece']}")
    return path, report


def cross_validate(folds: int = FOLDS, feature_set: str = FEATURE_SET, learner: str = LEARNER) -> dict[str, Any]:
    """k-fold figures of the category ensemble on the training data (the dev numbers;
    never an evaluation set): the calibrated ensemble, the model alone, the rules alone."""
    oof = out_of_fold(datasets(), feature_set, learner, folds)
    scale, calibration, figures = cv_figures(oof, learner)
    return {"folds": folds, "feature_set": feature_set, "learner": learner, "scale": scale,
            "calibration": json.loads(calibration.to_json()), "ensemble": figures}


def compare() -> dict[str, Any]:
    """Every model choice of ``VARIANTS``: k-fold figures on the training data, then the
    aggregate figures of the evaluation sets (``nlu/eval/eval.yml`` and the blind
    ``nlu/eval/routing/``; no message of them is printed)."""
    from . import evaluate as evaluation
    from .model import Model
    from .parser import RuleNlu

    out: dict[str, Any] = {"shipped": f"{FEATURE_SET}+{LEARNER}", "folds": FOLDS, "variants": {}}
    sets = [p for p in (evaluation.EVAL_FILE, evaluation.ROUTING_DIR) if p.exists()]
    for name, (feature_set, learner) in VARIANTS.items():
        entry: dict[str, Any] = {"feature_set": feature_set, "learner": learner}
        with tempfile.TemporaryDirectory() as tmp:
            path, report = train(Path(tmp) / "m.npz", feature_set, learner, quiet=True)
            entry["train_seconds"] = report["seconds"]
            entry["calibration"] = report["calibration"]
            entry["cv"] = {k: v for k, v in report["cv"].items() if k != "recall"}
            model = Model._read(path)

            def make_nlu(scope: str | None, model: Model = model) -> RuleNlu:
                return RuleNlu(region_scope=scope, model=model)

            for eval_path in sets:
                entry[eval_path.name] = evaluation.summary(evaluation.evaluate(eval_path, make_nlu=make_nlu))
        out["variants"][name] = entry
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu.train", description=__doc__.split("\n")[0])
    parser.add_argument("--cv", type=int, metavar="K", help="cross-validate with K folds instead of training")
    parser.add_argument("--compare", action="store_true", help="compare the model choices (JSON)")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)
    if args.compare:
        print(json.dumps(compare(), indent=2))
        return 0
    if args.cv:
        print(json.dumps(cross_validate(args.cv), indent=2))
        return 0
    train(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

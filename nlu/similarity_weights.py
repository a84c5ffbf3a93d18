"""Build the word weights of the similar-complaint scorer (``nlu.similarity``):
``python -m nlu.similarity_weights``.

Each canonical word's inverse document frequency over the complaint texts the NLU trains on
(``nlu/data/categories``): a word most complaints use ("jalan", "rusak") weighs little, a
rare one ("timer", "pegangan") much. Written to ``nlu/data/model/similarity.json``; run it
again after the training texts change.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter

from . import rasa
from .similarity import MODEL_FILE, canonical, words_of
from .train import category_examples

MIN_DOCUMENTS = 2  # a word seen once is a name or a typo: it counts as unseen


def weights(texts: list[str]) -> dict[str, object]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({canonical(word) for word in words_of(text) if not word.isdigit()})
    n = len(texts)
    idf = {word: round(math.log((1 + n) / (1 + df)) + 1, 3) for word, df in counts.items() if df >= MIN_DOCUMENTS}
    return {"idf": idf, "unseen_idf": round(math.log(1 + n) + 1, 3), "documents": n}


def main() -> int:
    rows, _ = category_examples(rasa.DATA_DIR)
    built = weights([text for text, _ in rows])
    MODEL_FILE.write_text(json.dumps(built, sort_keys=True, separators=(",", ":")), "utf-8")
    print(json.dumps({"documents": built["documents"], "words": len(built["idf"])}))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())

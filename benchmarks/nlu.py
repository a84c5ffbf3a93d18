"""NLU benchmark: accuracy on the evaluation set, speed and memory, printed as JSON.

    .venv/bin/python benchmarks/nlu.py            # the shipped NLU (rules + trained model)
    .venv/bin/python benchmarks/nlu.py --rules    # the keyword rules alone, for comparison

Targets (issue 3): category top-1 >= 0.85, top-3 >= 0.95, place resolution >= 0.90,
>= 2000 messages/s on one core, < 200 MB resident. The evaluation set (nlu/eval/eval.yml)
is written separately from the training data; these are its numbers as they are.

The speed figures parse the evaluation messages in turn: the NLU remembers what it worked
out for the last few hundred texts (issue 20; the dialog reads one message several times),
fewer than the set holds, so each parse here is of a text it no longer remembers.

Issue 15 adds the blind routing set (nlu/eval/routing/, aggregate figures only: top-1 >= 0.92,
top-3 >= 0.98, every category's recall >= 0.80, automatic routing wrong < 3 %, complaints
taken as new_complaint >= 99 %), the seconds of a full training run (``python -m
nlu.train`` into a temporary file; target < 60 on 2 cores; ``--no-train`` skips it) and
the seconds to read the artefact cold (``Model._read`` in a fresh process; target < 1).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlu.evaluate import ROUTING_DIR, evaluate, load, summary
from nlu.parser import RuleNlu

SCOPE = "35.78"
TZ = ZoneInfo("Asia/Jakarta")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", action="store_true", help="keyword rules only (no trained model)")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the messages for the speed figure")
    parser.add_argument("--no-train", action="store_true", help="skip timing a full training run")
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    train_seconds = None if args.no_train else _train_seconds(root)
    load_seconds = _load_seconds(root)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    model_kw = {"model": None} if args.rules else {}

    started = time.perf_counter()
    nlu = RuleNlu(region_scope=SCOPE, tz=TZ, **model_kw)
    data = load()
    now = datetime.fromisoformat(data["now"])
    nlu.parse("lampu jalan mati", now)  # loads the region list and the model
    startup = time.perf_counter() - started

    texts = [item["text"] for item in data["items"] if item.get("scope") != "national"]
    cold_started = time.perf_counter()
    for text in texts:
        nlu.parse(text, now)
    cold = len(texts) / (time.perf_counter() - cold_started)
    started = time.perf_counter()
    for _ in range(args.rounds):
        for text in texts:
            nlu.parse(text, now)
    warm = len(texts) * args.rounds / (time.perf_counter() - started)

    result = evaluate(make_nlu=lambda scope: RuleNlu(region_scope=scope, tz=TZ, **model_kw))
    routing = (
        summary(evaluate(ROUTING_DIR, make_nlu=lambda scope: RuleNlu(region_scope=scope, tz=TZ, **model_kw)))
        if ROUTING_DIR.is_dir() and any(ROUTING_DIR.glob("*.yml")) else None
    )
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    axes = result["axes"]
    print(json.dumps({
        "nlu": "rules" if args.rules else "rules+model",
        "eval_messages": result["items"],
        "category_top1": axes["category"]["accuracy"],
        "category_top3": axes["category"]["top3_accuracy"],
        "category_macro_f1": axes["category"]["macro_f1"],
        "intent_accuracy": axes["intent"]["accuracy"],
        "report_type_accuracy": axes["report_type"]["accuracy"],
        "weight_accuracy": axes["weight"]["accuracy"],
        "maladministration_accuracy": axes["maladministration"]["accuracy"],
        "place_accuracy": result["places"]["accuracy"],
        "place_messages": result["places"]["n"],
        "entities_f1": {k: v["f1"] for k, v in result["entities"].items()},
        "messages_per_second": round(warm),
        "messages_per_second_first_pass": round(cold),
        "startup_seconds": round(startup, 3),
        "train_seconds": train_seconds,
        "model_load_seconds": load_seconds,
        "routing_set": routing,
        "peak_rss_mb": round(rss_mb, 1),
        "note": "peak RSS includes the national region list loaded for the eval items outside the city",
    }, indent=2))


def _train_seconds(root: Path) -> float:
    """Wall-clock seconds of a full ``python -m nlu.train`` (written to a temporary file)."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nlu.train", "--out", str(Path(tmp) / "m.npz")], cwd=root,
                       check=True, capture_output=True)
        return round(time.perf_counter() - started, 1)


def _load_seconds(root: Path) -> float:
    """Seconds of ``Model._read`` of the shipped artefact in a fresh process (cold)."""
    code = ("import time; from nlu.model import MODEL_FILE, Model; t = time.perf_counter(); "
            "Model._read(MODEL_FILE); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, check=True, capture_output=True, text=True)
    return round(float(out.stdout.strip()), 3)


if __name__ == "__main__":
    main()

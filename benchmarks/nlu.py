"""NLU benchmark: accuracy on the evaluation set, speed and memory, printed as JSON.

    .venv/bin/python benchmarks/nlu.py            # the shipped NLU (rules + trained model)
    .venv/bin/python benchmarks/nlu.py --rules    # the keyword rules alone, for comparison

Targets (issue 3): category top-1 >= 0.85, top-3 >= 0.95, place resolution >= 0.90,
>= 2000 messages/s on one core, < 200 MB resident. The evaluation set (nlu/eval/eval.yml)
is written separately from the training data; these are its numbers as they are.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlu.evaluate import evaluate, load
from nlu.parser import RuleNlu

SCOPE = "35.78"
TZ = ZoneInfo("Asia/Jakarta")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", action="store_true", help="keyword rules only (no trained model)")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the messages for the speed figure")
    args = parser.parse_args()
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
        "peak_rss_mb": round(rss_mb, 1),
        "note": "peak RSS includes the national region list loaded for the eval items outside the city",
    }, indent=2))


if __name__ == "__main__":
    main()

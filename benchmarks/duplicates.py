"""Benchmark of the similar-complaint lookup: its speed with 100 000 open complaints, and how
well it tells the same problem from a different one.

**Speed.** Loads N open complaints (default 100 000) filed over the last 60 days into a
fresh SQLite file and a fresh PostgreSQL schema: 18 categories weighted as complaints come
(roads, rubbish and drains most), 150 kelurahan, a third with coordinates, descriptions
written from templates with varied streets, gangs, landmarks and problems. Then times
``complaints.usecases.supporting.similar`` as the chat runs it before a summary (one unit
of work: the candidates' query, the scoring by ``nlu.similarity``, loading the cases to
offer) for ``--lookups`` new reports drawn the same way. Targets: p99 < 50 ms on SQLite,
< 30 ms on PostgreSQL.

**Quality.** Reads the pairs written by the team in ``nlu/data/similarity/pairs.yml``
(the set the scorer's rule was written on) and ``benchmarks/duplicates/holdout.yml``
(written apart by another writer; its texts were never looked into):
near-duplicates in other words, the same place with another problem, the same problem at
another place. A pair is judged "the same problem" exactly as the lookup decides: same
category, same kelurahan or within 150 m, and a text score at or above the threshold.
Goal: precision >= 0.9 at recall >= 0.8. Also prints precision and recall over a range of
thresholds, and the errors with ``--errors``.

Prints one JSON object per line on stdout (quality, then one per database); progress on
stderr. PostgreSQL: ADUAN_BENCH_DATABASE_URL (default
postgresql+asyncpg://postgres@127.0.0.1:5432/test), in a schema dropped at the end.

    python benchmarks/duplicates.py                     # both databases, 100 000 complaints
    python benchmarks/duplicates.py --size 10000 --databases sqlite
    python benchmarks/duplicates.py --quality-only --errors
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml
from sqlalchemy import text
from workload.scratch import CATEGORY_WEIGHTS, scratch_database

from aduan.bootstrap import bootstrap
from aduan.settings import Settings
from complaints.model import AuditEntry, AuditKind, Complaint, Place
from complaints.similarity import Candidate, Probe, SimilarityPolicy, query_for, same_place
from complaints.taxonomy import Category, Role, Status
from complaints.usecases import supporting
from nlu.similarity import ComplaintSimilarity
from storage import mapping
from storage.tables import complaints

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
ROOT = Path(__file__).resolve().parent.parent
PAIR_SETS = {
    "pairs": ROOT / "nlu" / "data" / "similarity" / "pairs.yml",  # the rule was written on these
    "holdout": ROOT / "benchmarks" / "duplicates" / "holdout.yml",  # written apart, never looked into
}
WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=WIB)
INSERT_BATCH = 5_000
KELURAHAN = 150
OPEN_STATUSES = (Status.DITERIMA, Status.DIVERIFIKASI, Status.DIDISPOSISIKAN, Status.DIPROSES, Status.DIPROSES,
                 Status.MENUNGGU_INFORMASI, Status.DIBUKA_KEMBALI)
WEIGHTS = CATEGORY_WEIGHTS
PROBLEMS = {
    Category.JALAN: ("jalan berlubang besar", "aspal rusak parah dan berlubang", "jalan ambles dekat gorong-gorong",
                     "trotoar rusak dan paving lepas", "jembatan kayu lapuk mau roboh"),
    Category.SAMPAH: ("sampah menumpuk tidak diangkut", "TPS penuh sampai ke jalan", "sampah dibuang sembarangan",
                      "truk sampah tidak datang seminggu"),
    Category.DRAINASE: ("saluran tersumbat sampah", "got mampet air meluap", "genangan tiap hujan",
                        "tutup saluran hilang berbahaya"),
    Category.PENERANGAN: ("lampu PJU mati", "lampu jalan padam sudah lama", "tiang lampu miring mau roboh",
                          "lampu jalan kedip-kedip"),
}
GENERIC = ("pelayanan lambat sekali", "petugas tidak ada di tempat", "antrean sangat panjang", "bising tiap malam",
           "air keruh dan bau", "pedagang menutup jalan", "pohon besar rawan tumbang", "kabel menjuntai rendah")
STREETS = ("Melati", "Kenanga", "Mawar", "Anggrek", "Flamboyan", "Cempaka", "Dahlia", "Teratai", "Kamboja", "Sawo",
           "Manggis", "Rambutan", "Durian", "Nangka", "Belimbing", "Pahlawan", "Merdeka", "Diponegoro", "Sudirman",
           "Gajah Mada")
LANDMARKS = ("SD Negeri {n}", "masjid Al-Ikhlas", "pasar", "pos ronda", "puskesmas", "balai RW {n}", "musala",
             "warung bu Sri", "lapangan voli", "kantor kelurahan")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report_text(rng: random.Random, category: Category) -> tuple[str, str]:
    """A description and a place detail as citizens write them."""
    problem = rng.choice(PROBLEMS.get(category, GENERIC))
    street = f"{rng.choice(('Jl.', 'Gg.', 'jalan', 'gang'))} {rng.choice(STREETS)} {rng.randint(1, 12)}"
    landmark = rng.choice(LANDMARKS).format(n=rng.randint(1, 9))
    tail = rng.choice(("", " sudah dua minggu", ", mohon segera ditangani", " bikin warga resah", " dari kemarin"))
    return f"{problem} di {street} dekat {landmark}{tail}", f"{street}, RT {rng.randint(1, 12):02d}"


def region(i: int) -> str:
    return f"35.78.{1 + i // 10:02d}.{1001 + i % 10}"


def point(rng: random.Random, kelurahan: int) -> tuple[float, float]:
    lat0, lon0 = -7.2 - (kelurahan // 15) * 0.012, 112.6 + (kelurahan % 15) * 0.012
    return lat0 + rng.uniform(0, 0.01), lon0 + rng.uniform(0, 0.01)


def open_complaint(i: int, rng: random.Random) -> Complaint:
    category = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    kelurahan = rng.randrange(KELURAHAN)
    description, detail = report_text(rng, category)
    lat, lon = point(rng, kelurahan) if rng.random() < 0.33 else (None, None)
    filed = NOW - timedelta(minutes=rng.randrange(60 * 24 * 60))
    c = Complaint(code=f"LPR-B{i:06d}", description=description, channel="telegram", sender=f"w{i}",
                  created_at=filed, category=category, status=rng.choice(OPEN_STATUSES),
                  place=Place(detail, region(kelurahan), f"Kelurahan {kelurahan}", lat, lon))
    c.record(AuditEntry(filed, "bot", Role.SYSTEM, AuditKind.CREATED, None, Status.DITERIMA))
    return c


def probes(n: int, seed: int) -> list[Probe]:
    rng = random.Random(seed)
    found = []
    for i in range(n):
        category = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        kelurahan = rng.randrange(KELURAHAN)
        description, detail = report_text(rng, category)
        lat, lon = point(rng, kelurahan) if rng.random() < 0.33 else (None, None)
        found.append(Probe(category, f"{description}\n{detail}", f"telegram:probe{i}", region(kelurahan), lat, lon))
    return found


async def load(engine: Any, size: int) -> float:
    rng = random.Random(1)
    started = time.perf_counter()
    for first in range(0, size, INSERT_BATCH):
        batch = [open_complaint(i, rng) for i in range(first, min(first + INSERT_BATCH, size))]
        rows, events = [], []
        for offset, c in enumerate(batch):
            c.id = first + offset + 1
            rows.append({"id": c.id, **mapping.complaint_values(c)})
            events += [mapping.event_values(c.id, e) for e in c.audit]
        async with engine.begin() as conn:
            await conn.execute(complaints.insert(), rows)
            await conn.execute(mapping.INSERT_EVENT, events)
        log(f"  {first + len(batch)} complaints")
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def time_lookups(database: str, url: str, size: int, lookups: int) -> dict[str, Any]:
    result: dict[str, Any] = {"benchmark": "similar_lookup", "database": database, "open_complaints": size,
                              "lookups": lookups, "python": platform.python_version()}
    async with scratch_database(database, url, "bench_dup") as engine:
        app = await bootstrap(Settings(), db=engine, migrate=False)
        log(f"{database}: loading {size} open complaints ...")
        result["load_s"] = round(await load(engine, size), 1)
        scorer = ComplaintSimilarity()
        timings, offered, candidates = [], 0, []
        for n, probe in enumerate(probes(lookups + 50, seed=7)):
            started = time.perf_counter()
            async with app.uow() as uow:
                found = await supporting.similar(uow, probe, NOW, scorer)
            elapsed = time.perf_counter() - started
            if n >= 50:  # the first ones warm the caches and the statement cache
                timings.append(elapsed * 1000)
                offered += bool(found)
        async with app.uow() as uow:  # how many candidates a lookup compares, for the record
            for probe in probes(200, seed=8):
                query = query_for(probe, NOW)
                assert query is not None
                candidates.append(len(await uow.complaints.similar_candidates(query)))
        result.update({
            "p50_ms": round(statistics.median(timings), 2), "p99_ms": round(percentile(timings, 0.99), 2),
            "max_ms": round(max(timings), 2), "mean_candidates": round(statistics.mean(candidates), 1),
            "max_candidates": max(candidates), "lookups_with_an_offer": offered,
            "target_p99_ms": 30 if database == "postgresql" else 50,
        })
        result["meets_target"] = result["p99_ms"] < result["target_p99_ms"]
        log(f"{database}: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms")
    return result


# --- quality --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pair:
    id: int
    kind: str
    duplicate: bool
    probe: Probe
    candidate: Candidate


def side_text(side: dict[str, Any]) -> tuple[str, str]:
    return str(side["text"]), str(side.get("place") or "")


def read_pairs(path: Path) -> list[Pair]:
    found = []
    for item in yaml.safe_load(path.read_text("utf-8"))["pairs"]:
        a, b = item["a"], item["b"]
        text_a, place_a = side_text(a)
        text_b, place_b = side_text(b)
        probe = Probe(Category(a["category"]), f"{text_a}\n{place_a}" if place_a else text_a, "chat:a",
                      str(a["kelurahan"]), a.get("lat"), a.get("lon"))
        candidate = Candidate(f"P{item['id']}", text_b, place_b, "chat:b", NOW, str(b["kelurahan"]),
                              b.get("lat"), b.get("lon"))
        found.append(Pair(int(item["id"]), str(item["kind"]), bool(item["duplicate"]), probe, candidate))
    return found


def quality(pairs: list[Pair], categories_b: dict[int, Category], scorer: ComplaintSimilarity,
            show_errors: bool) -> dict[str, Any]:
    policy = SimilarityPolicy()
    scored = []
    for pair in pairs:
        comparable = (pair.probe.category is categories_b[pair.id]
                      and same_place(pair.probe, pair.candidate, policy.radius_m))
        scored.append((pair, comparable, scorer.score(pair.probe.text, pair.candidate.text) if comparable else 0.0))

    def figures(threshold: float) -> dict[str, float]:
        tp = sum(1 for p, ok, s in scored if ok and s >= threshold and p.duplicate)
        fp = sum(1 for p, ok, s in scored if ok and s >= threshold and not p.duplicate)
        fn = sum(1 for p, ok, s in scored if p.duplicate and not (ok and s >= threshold))
        return {"precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
                "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0}

    by_kind: dict[str, list[bool]] = {}
    for p, ok, s in scored:
        by_kind.setdefault(p.kind, []).append((ok and s >= scorer.threshold) == p.duplicate)
        if show_errors and (ok and s >= scorer.threshold) != p.duplicate:
            log(f"  #{p.id} {p.kind} score {s:.2f}: {p.probe.text!r} / {p.candidate.text!r}")
    return {
        "pairs": len(pairs), "threshold": scorer.threshold, **figures(scorer.threshold),
        "correct_by_kind": {kind: round(sum(v) / len(v), 3) for kind, v in sorted(by_kind.items())},
        "curve": {f"{t:.2f}": figures(t) for t in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)},
    }


def quality_report(show_errors: bool) -> dict[str, Any]:
    scorer = ComplaintSimilarity()
    result: dict[str, Any] = {"benchmark": "similar_quality", "goal": "precision >= 0.9 at recall >= 0.8"}
    for name, path in PAIR_SETS.items():
        if not path.exists():
            continue
        raw = yaml.safe_load(path.read_text("utf-8"))["pairs"]
        categories_b = {int(item["id"]): Category(item["b"]["category"]) for item in raw}
        log(f"{name}:")
        result[name] = quality(read_pairs(path), categories_b, scorer, show_errors)
        pairs, fresh = read_pairs(path), ComplaintSimilarity()  # nothing read yet: each text is read once
        started = time.perf_counter()
        for pair in pairs:
            fresh.score(pair.probe.text, pair.candidate.text)
        result[name]["score_us"] = round((time.perf_counter() - started) / len(raw) * 1e6, 1)  # two texts read
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=1_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print the pairs judged wrongly (stderr)")
    args = parser.parse_args()
    print(json.dumps(quality_report(args.errors)), flush=True)
    if args.quality_only:
        return
    url = os.environ.get("ADUAN_BENCH_DATABASE_URL", DEFAULT_URL)
    for database in (d.strip() for d in args.databases.split(",") if d.strip()):
        print(json.dumps(await time_lookups(database, url, args.size, args.lookups)), flush=True)


if __name__ == "__main__":
    asyncio.run(main())

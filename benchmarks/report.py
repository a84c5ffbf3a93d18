"""Benchmark of `aduan report`: exporting a month of 100 000 complaints.

Loads N complaints filed in November 2026 (demo organisation; each with an audit trail of
two to six entries: disposed, processed, answered, closed, some escalated, a third rated)
into a fresh PostgreSQL schema, then times ``export_report`` as the command runs it
(pages of 500 read by keyset, rows streamed to the writer), by default for xlsx, the
slowest format and the one offices use; ``--formats csv,xlsx,html`` times all three (the
html export lists the first 1 000 complaints and charts all of them). The default run
takes about 50 s on a 2-core machine.

Prints one JSON object on stdout: seconds per format, complaints per second, and the peak
resident memory of the process (which stays flat in N because nothing holds all rows).
The server is ADUAN_BENCH_DATABASE_URL (default
postgresql+asyncpg://postgres@127.0.0.1:5432/test); the schema is dropped at the end.

    python benchmarks/report.py                             # 100 000 complaints, xlsx
    python benchmarks/report.py --formats csv,xlsx,html     # every format (about 80 s)
    python benchmarks/report.py --size 10000                # quick run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text
from sqlalchemy.pool import NullPool

from aduan.bootstrap import bootstrap
from aduan.report import FORMATS, ReportRequest, export_report
from aduan.settings import Settings
from complaints.model import AuditEntry, AuditKind, Complaint, Escalation
from complaints.recap import Period
from complaints.taxonomy import Category, Role, Status, Weight
from storage import mapping
from storage.database import create_engine
from storage.migrate import upgrade
from storage.tables import complaints

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
WIB = ZoneInfo("Asia/Jakarta")
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
AS_OF = datetime(2026, 12, 1, 9, 0, tzinfo=WIB)
CATEGORIES = (Category.JALAN, Category.DRAINASE, Category.PENERANGAN, Category.SAMPAH, Category.ADMINDUK,
              Category.KESEHATAN, Category.KETERTIBAN, Category.LAINNYA)
CHANNELS = ("telegram", "whatsapp", "console")
INSERT_BATCH = 5_000


def complaint(i: int, rng: random.Random, org) -> Complaint:
    filed = datetime(2026, 11, 1, 7, tzinfo=WIB) + timedelta(minutes=rng.randrange(30 * 24 * 60 - 8 * 60))
    category = rng.choice(CATEGORIES)
    unit = org.unit_for(category).id
    c = Complaint(code=f"LPR-{i:07d}", description="laporan", channel=rng.choice(CHANNELS), sender=f"w{i}",
                  created_at=filed, category=category, unit_id=unit,
                  resolve_due_at=org.policy.resolve_due(Weight.SEDANG, filed, WIB))
    c.record(AuditEntry(filed, "bot", Role.SYSTEM, "created", None, Status.DITERIMA))
    moment = filed
    for status in (Status.DIDISPOSISIKAN, Status.DIPROSES, Status.SELESAI, Status.DITUTUP):
        if rng.random() < 0.2:
            break
        moment += timedelta(hours=rng.randrange(2, 24 * 6))
        if moment > AS_OF:
            break
        if rng.random() < 0.1:
            whose = org.default_unit if c.status is Status.DITERIMA else unit
            c.record(AuditEntry(moment, "bot", Role.SYSTEM, AuditKind.ESCALATED, None, None,
                                facts=Escalation(2, whose, moment, ("supervisor",))))
        c.record(AuditEntry(moment, "x", Role.ADMIN, "status", c.status, status))
        c.status = status
    if c.status is Status.DITUTUP:
        c.satisfied = True
        if rng.random() < 0.5:
            c.skm_score = rng.choice((2, 3, 3, 4, 4))
    return c


async def load(engine, org, size: int) -> float:
    rng = random.Random(1)
    started = time.perf_counter()
    next_id = 1
    for first in range(0, size, INSERT_BATCH):
        batch = [complaint(i, rng, org) for i in range(first, min(first + INSERT_BATCH, size))]
        rows, events = [], []
        for c in batch:
            c.id, next_id = next_id, next_id + 1
            rows.append({"id": c.id, **mapping.complaint_values(c)})
            events += [mapping.event_values(c.id, e) for e in c.audit]
        async with engine.begin() as conn:
            await conn.execute(complaints.insert(), rows)
            await conn.execute(mapping.INSERT_EVENT, events)
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--formats", default="xlsx", help="comma-separated: csv, xlsx, html")
    args = parser.parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if not formats or any(f not in FORMATS for f in formats):
        parser.error(f"--formats: choose from {', '.join(FORMATS)}")
    url = os.environ.get("ADUAN_BENCH_DATABASE_URL", DEFAULT_URL)
    schema = f"bench_report_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, poolclass=NullPool)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(url, schema=schema)
    result: dict = {"size": args.size, "python": platform.python_version()}
    try:
        await upgrade(engine)
        app = await bootstrap(Settings(), db=engine, migrate=False)
        print(f"loading {args.size} complaints ...", file=sys.stderr)
        result["load_s"] = round(await load(engine, app.org, args.size), 1)
        result["export_s"] = {}
        with tempfile.TemporaryDirectory() as folder:
            for fmt in formats:
                request = ReportRequest(NOVEMBER, fmt, Path(folder) / f"rekap.{fmt}", AS_OF)
                started = time.perf_counter()
                exported = await export_report(engine, app.org, app.context().calendar, request)
                seconds = time.perf_counter() - started
                assert exported.count == args.size, exported.count
                result["export_s"][fmt] = round(seconds, 1)
                result.setdefault("file_mb", {})[fmt] = round(
                    sum(p.stat().st_size for p in exported.paths) / 1e6, 1)
                print(f"{fmt}: {seconds:.1f} s", file=sys.stderr)
        result["complaints_per_s"] = {fmt: round(args.size / s) for fmt, s in result["export_s"].items()}
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    finally:
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())

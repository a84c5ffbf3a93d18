"""The backlog of the sweep benchmark: N open complaints written straight into PostgreSQL,
exactly ``DUE`` of them due now (their next escalation computed by the domain), and the
reset that makes them due again after a pass."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from aduan.bootstrap import App
from complaints.escalation import reached, schedule_next
from complaints.model import Complaint
from complaints.taxonomy import Category, Status, Weight

DUE = 100
WIB = ZoneInfo("Asia/Jakarta")
# A Monday, 10:00 WIB: within working hours, so no escalation message is held back.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=WIB)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# Categories the demo organisation routes (plus "lainnya", which goes to the central unit).
CATEGORIES = ("jalan", "drainase", "penerangan", "lalu_lintas", "sampah", "lingkungan",
              "adminduk", "kesehatan", "ketertiban", "lainnya")
# Statuses of the not-due rows with a future next escalation (weighted by repetition).
FUTURE_STATUSES = ("diterima", "diverifikasi", "didisposisikan", "diproses", "diproses", "diproses",
                   "selesai", "dibuka_kembali")
TOP_LEVEL_STATUSES = ("diterima", "didisposisikan", "diproses", "diproses", "dibuka_kembali")


def sql_array(values: tuple[str, ...]) -> str:
    """A literal text[] of known constants (enum codes only, never user input)."""
    return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]::text[]"


def bulk_complaints_sql(units: tuple[str, ...]) -> str:
    """All N complaints in one INSERT ... SELECT; none of them due. Buckets by
    b = (g * 7919) % 100: 0-24 waiting for the complainant (no next escalation), 25-39
    at the top level (no next escalation), 40-99 next escalation 1..89 days ahead."""
    return f"""
    INSERT INTO complaints (
        id, code, description, channel, sender, category, report_type, weight, place_detail,
        region_code, region_name, evidence, privacy, status, unit_id, due_at, resolve_due_at,
        late_filing, created_at, updated_at, escalation_level, next_escalation_at, paused_at,
        reopen_count)
    SELECT
        g,
        'BENCH-' || lpad(g::text, 9, '0'),
        'sampah menumpuk di depan pasar sudah tiga hari, baunya sampai ke rumah warga (' || g || ')',
        'console',
        'warga-' || (g % 50000),
        ({sql_array(CATEGORIES)})[1 + g % {len(CATEGORIES)}],
        'pengaduan',
        (ARRAY['ringan', 'sedang', 'sedang', 'sedang', 'berat'])[1 + g % 5],
        'gg ' || (g % 40) || ' dekat masjid',
        '35.78.04.1001',
        'Wonokromo',
        '[]'::jsonb,
        (ARRAY['biasa', 'biasa', 'rahasia', 'anonim'])[1 + g % 4],
        CASE
            WHEN b < 25 THEN 'menunggu_informasi'
            WHEN b < 40 THEN ({sql_array(TOP_LEVEL_STATUSES)})[1 + g % {len(TOP_LEVEL_STATUSES)}]
            ELSE ({sql_array(FUTURE_STATUSES)})[1 + (g * 13) % {len(FUTURE_STATUSES)}]
        END,
        ({sql_array(units)})[1 + g % {len(CATEGORIES)}],
        CASE WHEN b < 25 THEN t0 + (1 + g % 20) * interval '1 day'
             WHEN b < 40 THEN t0 - (2 + g % 30) * interval '1 day'
             ELSE t0 + (2 + g % 88) * interval '1 day' END,
        t0 - (g % 120) * interval '1 day' + interval '60 days',
        false,
        t0 - (g % 120) * interval '1 day' - (g % 600) * interval '1 minute',
        t0 - (g % 30) * interval '1 hour',
        CASE WHEN b < 25 THEN 0 WHEN b < 40 THEN 3 ELSE g % 3 END,
        CASE WHEN b < 40 THEN NULL ELSE t0 + (1 + g % 88) * interval '1 day' END,
        CASE WHEN b < 25 THEN t0 - (g % 10) * interval '1 day' END,
        0
    FROM (SELECT g, ((g::bigint * 7919) % 100)::int AS b, CAST(:now AS timestamptz) AS t0
          FROM generate_series(1, CAST(:n AS integer)) AS g) AS s
    """


# The audit trail: "created" for every complaint, one status entry for every complaint
# past "diterima".
EVENTS_SQL = """
INSERT INTO complaint_events (complaint_id, at, actor, role, action, from_status, to_status, note)
SELECT id, created_at, 'bot', 'bot', 'created', NULL, 'diterima', '' FROM complaints;
INSERT INTO complaint_events (complaint_id, at, actor, role, action, from_status, to_status, note)
SELECT id, created_at + interval '1 hour', 'admin-pusat', 'admin', 'status', 'diterima', status,
       'ditindaklanjuti' FROM complaints WHERE status <> 'diterima';
"""

# Delivered history: the "new complaint" notice to the verifier, one per complaint.
OUTBOX_SQL = """
INSERT INTO outbox (key, channel, recipient, text, buttons, complaint_code, status, attempts,
                    next_attempt_at, created_at, updated_at, sent_at)
SELECT code || ':created:admin-pusat', 'console', 'admin-pusat',
       'Laporan baru perlu diverifikasi: ' || code, '[]'::jsonb, code, 'sent', 1,
       created_at, created_at, created_at, created_at
FROM complaints
"""

RESET_SQL = """
UPDATE complaints SET status = :status, escalation_level = :escalation_level,
       next_escalation_at = :next_escalation_at, due_at = :due_at, updated_at = :updated_at,
       weight = :weight, unit_id = :unit_id, category = :category, paused_at = NULL
WHERE id = :id
"""


@dataclass
class DueRow:
    id: int
    status: str
    escalation_level: int
    next_escalation_at: datetime
    due_at: datetime
    updated_at: datetime
    weight: str
    unit_id: str
    category: str

    def params(self) -> dict[str, Any]:
        return dict(self.__dict__)


def due_rows(app: App, n: int) -> list[DueRow]:
    """The 100 due complaints, spread over the id range, their next escalation computed
    by the domain (schedule_next) so that the sweep really escalates or closes each."""
    step = n // DUE
    local = NOW.astimezone(WIB)
    end_of_today = datetime.combine(local.date(), datetime.max.time().replace(microsecond=0), tzinfo=WIB)
    rows = []
    for k in range(DUE):
        kind = k % 10
        category = Category(CATEGORIES[k % len(CATEGORIES)])
        unit = app.org.unit_for(category)
        weight = Weight.BERAT if k % 7 == 0 else Weight.SEDANG
        if kind <= 3:  # the unit's stage is overdue: supervisor (level 2, catching up)
            status = Status.DIPROSES if kind % 2 else Status.DIDISPOSISIKAN
            level, due_at = 0, NOW - timedelta(hours=2)
        elif kind <= 5:  # due at the end of today: the reminder (level 1)
            status, level, due_at = Status.DIPROSES, 0, end_of_today
        elif kind <= 7:  # the central admin's stage is overdue (kepala-pusat, level 2)
            status = Status.DITERIMA if kind == 6 else Status.DIVERIFIKASI
            level, due_at = 0, NOW - timedelta(hours=1)
        elif kind == 8:  # reopened, supervisor told, a working day more: the head (level 3)
            status, level, due_at = Status.DIBUKA_KEMBALI, 2, NOW - timedelta(days=4)
        else:  # resolved and never rated: auto-close
            status, level, due_at = Status.SELESAI, 0, NOW - timedelta(hours=1)
        complaint = Complaint(code="", description="", channel="console", sender="", created_at=NOW,
                              category=category, weight=weight, status=status, unit_id=unit.id,
                              due_at=due_at, escalation_level=level)
        ctx = app.context()
        schedule_next(complaint, ctx.calendar, ctx.tz(complaint))
        assert complaint.next_escalation_at is not None and complaint.next_escalation_at <= NOW, (k, complaint)
        if status is not Status.SELESAI:
            assert reached(complaint, NOW, ctx.calendar, ctx.tz(complaint)) is not None, (k, complaint)
        rows.append(DueRow(
            id=(k + 1) * step, status=str(status), escalation_level=level,
            next_escalation_at=complaint.next_escalation_at, due_at=due_at,
            updated_at=NOW - timedelta(days=1), weight=str(weight), unit_id=unit.id, category=str(category),
        ))
    return rows


async def scalar(engine: AsyncEngine, sql: str, **params: Any) -> Any:
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


async def load(app: App, engine: AsyncEngine, n: int) -> tuple[list[DueRow], float]:
    """Empty the tables and fill them with n complaints (100 due); returns the due rows
    and the seconds it took."""
    started = time.perf_counter()
    units = tuple(app.org.unit_for(Category(c)).id for c in CATEGORIES)
    due = due_rows(app, n)
    steps: dict[str, float] = {}
    last = [started]

    def step(name: str) -> None:
        now = time.perf_counter()
        steps[name], last[0] = round(now - last[0], 1), now

    async with engine.begin() as conn:
        await conn.execute(text("TRUNCATE complaints, complaint_events, outbox, dialog_states RESTART IDENTITY"))
        await conn.execute(text(bulk_complaints_sql(units)), {"n": n, "now": NOW})
        await conn.execute(text(RESET_SQL), [row.params() for row in due])
        step("complaints")
        for statement in EVENTS_SQL.split(";"):
            if statement.strip():
                await conn.execute(text(statement))
        step("complaint_events")
        await conn.execute(text(OUTBOX_SQL))
        await conn.execute(text("SELECT setval(pg_get_serial_sequence('complaints', 'id'), :n)"), {"n": n})
        step("outbox")
    step("commit")
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM (ANALYZE) complaints, complaint_events, outbox"))
    step("vacuum_analyze")
    log(f"N={n:,}: load steps (s) {steps}")
    counted = await scalar(engine, "SELECT count(*) FROM complaints WHERE next_escalation_at <= :now", now=NOW)
    assert counted == DUE, counted
    return due, time.perf_counter() - started


async def reset(engine: AsyncEngine, due: list[DueRow], max_event: int, max_outbox: int) -> None:
    """Undo a sweep pass: the 100 rows due again, its audit and outbox rows gone."""
    async with engine.begin() as conn:
        await conn.execute(text(RESET_SQL), [row.params() for row in due])
        await conn.execute(text("DELETE FROM complaint_events WHERE id > :m"), {"m": max_event})
        await conn.execute(text("DELETE FROM outbox WHERE id > :m"), {"m": max_outbox})

"""The caseload of the console benchmark (``benchmarks/console.py``): N complaints filed
over the 12 months before ``NOW``, each walked through the workflow by the domain itself
(``Complaint.move_to``, ``casework.stage_deadline`` / ``start_stage``, the demo
organisation's calendar and deadlines) as far as its random timeline reaches ``NOW``, so
their statuses, deadlines, audit trails and ratings are what the application would have
written. Most cases are handled in days; a few stall at some stage (their deadline passes:
overdue, with the escalations the sweep would have recorded). Loaded in batches with the
storage layer's own row mapping, on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from complaints import tracking
from complaints.escalation import schedule_next
from complaints.model import (
    Actor,
    Assignment,
    AuditEntry,
    AuditKind,
    Complainant,
    Complaint,
    Deadline,
    Disposition,
    Escalation,
    Place,
    Rating,
    Rejection,
    RejectionReason,
    Score,
    Support,
    SupportChange,
    Supporter,
)
from complaints.taxonomy import Category, PrivacyMode, Role, Status, Weight
from complaints.usecases.casework import stage_deadline, start_stage
from complaints.usecases.context import CaseContext
from complaints.workflow import ESCALATING, Clock
from storage import mapping
from storage.tables import complaint_supporters, complaints

from .scratch import CATEGORY_WEIGHTS

BATCH = 5_000
YEAR = timedelta(days=365)
WEIGHTS = CATEGORY_WEIGHTS
PROBLEMS = {
    Category.JALAN: ("jalan berlubang besar", "aspal rusak parah", "jalan ambles dekat gorong-gorong",
                     "trotoar rusak dan paving lepas"),
    Category.SAMPAH: ("sampah menumpuk tidak diangkut", "TPS penuh sampai ke badan jalan", "truk sampah tidak datang"),
    Category.DRAINASE: ("saluran tersumbat sampah", "got mampet air meluap", "genangan tiap hujan"),
    Category.PENERANGAN: ("lampu PJU mati", "lampu penerangan padam sudah lama", "tiang lampu miring"),
}
GENERIC = ("pelayanan lambat sekali", "petugas tidak ada di tempat", "antrean sangat panjang", "bising tiap malam",
           "air keruh dan bau", "pedagang menutup trotoar", "pohon besar rawan tumbang", "kabel menjuntai rendah")
STREETS = ("Melati", "Kenanga", "Mawar", "Anggrek", "Flamboyan", "Cempaka", "Dahlia", "Teratai", "Kamboja", "Sawo",
           "Manggis", "Rambutan", "Pahlawan", "Merdeka", "Diponegoro", "Sudirman", "Gajah Mada")
KELURAHAN = (("Kebraon", "Karang Pilang"), ("Wonokromo", "Wonokromo"), ("Ngagel", "Wonokromo"),
             ("Darmo", "Wonokromo"), ("Ketintang", "Gayungan"), ("Gayungan", "Gayungan"), ("Rungkut Kidul", "Rungkut"),
             ("Kalirungkut", "Rungkut"), ("Medokan Ayu", "Rungkut"), ("Keputih", "Sukolilo"), ("Gebang Putih", "Sukolilo"),
             ("Mulyorejo", "Mulyorejo"), ("Kalijudan", "Mulyorejo"), ("Tambaksari", "Tambaksari"),
             ("Pacar Keling", "Tambaksari"), ("Genteng", "Genteng"), ("Embong Kaliasin", "Genteng"),
             ("Tegalsari", "Tegalsari"), ("Dr. Soetomo", "Tegalsari"), ("Sawahan", "Sawahan"), ("Putat Jaya", "Sawahan"),
             ("Lontar", "Sambikerep"), ("Benowo", "Pakal"), ("Tandes", "Tandes"), ("Manukan Kulon", "Tandes"),
             ("Simomulyo", "Sukomanunggal"), ("Jemur Wonosari", "Wonocolo"), ("Siwalankerto", "Wonocolo"),
             ("Wiyung", "Wiyung"), ("Lakarsantri", "Lakarsantri"))
NAMES = ("Budi Santoso", "Sri Wahyuningsih", "Ahmad Fauzi", "Dewi Kartika", "Eko Prasetyo", "Nur Hidayah",
         "Agus Salim", "Ratna Sari", "Hadi Purnomo", "Yuni Astuti")
ANSWERS = ("Sudah diperbaiki oleh tim lapangan, terima kasih atas laporannya.",
           "Petugas sudah membersihkan lokasi pada hari ini.", "Sudah ditangani dan dipantau berkala.")


def steps_of(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


class Walker:
    """Files one complaint at its moment and moves it on as long as its timeline stays before ``now``."""

    def __init__(self, ctx: CaseContext, now: datetime, seed: int) -> None:
        self.ctx, self.now, self.rng = ctx, now, random.Random(seed)
        self.codes: set[str] = set()
        self.admin = Actor("admin-pusat", Role.ADMIN, ctx.org.central.id)
        self.staff = {unit: [o for o in ctx.org.officers.values() if o.unit_id == unit and o.role is Role.OFFICER]
                      for unit in ctx.org.units}

    def hours(self, mean: float) -> timedelta:
        """A delay around ``mean`` hours (log-normal: most quick, a long tail)."""
        return steps_of(3600 * mean * self.rng.lognormvariate(0, 0.8) / 1.377)

    def code(self) -> str:
        while (found := tracking.generate(self.rng)) in self.codes:
            pass
        self.codes.add(found)
        return found

    def file(self, i: int) -> Complaint:
        rng, ctx = self.rng, self.ctx
        category = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        kelurahan, kecamatan = rng.choice(KELURAHAN)
        street = f"{rng.choice(('Jl.', 'Gg.', 'jalan', 'gang'))} {rng.choice(STREETS)} {rng.randint(1, 12)}"
        problem = rng.choice(PROBLEMS.get(category, GENERIC))
        tail = rng.choice(("", " sudah dua minggu", ", mohon segera ditangani", " bikin warga resah"))
        privacy = rng.choices(list(PrivacyMode), weights=(80, 12, 8))[0]
        named = privacy is not PrivacyMode.ANONIM and rng.random() < 0.7
        created = self.now - steps_of(rng.uniform(0, YEAR.total_seconds()))
        c = Complaint(
            code=self.code(), description=f"{problem} di {street} dekat rumah warga{tail}",
            channel=rng.choices(("telegram", "whatsapp", "web"), weights=(55, 35, 10))[0], sender=f"w{i % 60_000}",
            created_at=created, category=category, privacy=privacy,
            weight=rng.choices(list(Weight), weights=(15, 75, 10))[0],
            place=Place(f"{street}, RT {rng.randint(1, 12):02d}", f"35.78.{rng.randint(1, 31):02d}.1001",
                        f"{kelurahan}, {kecamatan}, Kota Surabaya, Jawa Timur"),
            complainant=Complainant(rng.choice(NAMES), f"+62812{rng.randrange(10**7):07d}") if named else Complainant(),
        )
        tz = ctx.org.central.timezone
        c.unit_id = ctx.org.unit_for(category).id
        c.due_at = ctx.policy.stage_due(Clock.VERIFY, c.weight, created, ctx.calendar, tz)
        c.resolve_due_at = ctx.policy.resolve_due(c.weight, created, tz)
        schedule_next(c, ctx.calendar, tz)
        c.record(AuditEntry(created, "bot", Role.SYSTEM, AuditKind.CREATED, None, Status.DITERIMA,
                            deadline=Deadline(ctx.org.central.id, c.due_at) if c.due_at else None))
        if rng.random() < 0.03:  # neighbours who chose "support" instead of filing again
            for n in range(rng.randint(1, 4)):
                joined = created + self.hours(48)
                if joined < self.now:
                    s = Supporter("telegram", f"s{i}-{n}", PrivacyMode.BIASA, joined)
                    c.supporters.append(s)
                    c.record(AuditEntry(joined, s.id, Role.COMPLAINANT, AuditKind.SUPPORT, None, None,
                                        facts=Support(SupportChange.JOINED, s.id)))
        return c

    def walk(self, c: Complaint) -> Complaint:
        """Moves the case on while its next step falls before now; a few stall at a stage."""
        rng = self.rng
        t = c.created_at

        def step(mean_hours: float, stall: float) -> datetime | None:
            nonlocal t
            if rng.random() < stall:
                return None
            t = t + self.hours(mean_hours)
            return t if t < self.now else None

        if (at := step(18, 0.01)) is None:
            return self.overdue(c)
        c.move_to(Status.DIVERIFIKASI, self.admin, at)
        if (at := step(4, 0.005)) is None:
            return self.overdue(c)
        if rng.random() < 0.06:  # rejected (spam, or outside the city's remit) or forwarded elsewhere
            if rng.random() < 0.6:
                reason = Rejection(RejectionReason.SPAM) if rng.random() < 0.5 else None
                c.move_to(Status.DITOLAK, self.admin, at, "Laporan tidak dapat ditindaklanjuti.", facts=reason)
            else:
                c.move_to(Status.DISALURKAN, self.admin, at, "Disalurkan ke instansi vertikal yang berwenang.")
            c.due_at = c.next_escalation_at = None
            return c
        self.move(c, Status.DIDISPOSISIKAN, self.admin, at, facts=Disposition(c.unit_id or ""))
        unit = c.unit_id or ""
        officer = rng.choice(self.staff[unit]) if self.staff.get(unit) else None
        actor = Actor(officer.id, Role.OFFICER, unit) if officer else self.admin
        for reopened in range(2):
            if officer is not None and not reopened and rng.random() < 0.4 and (at := step(6, 0.0)):
                c.assignee = officer.id
                c.record(AuditEntry(at, actor.id, actor.role, AuditKind.ASSIGNED, None, None,
                                    facts=Assignment(officer.id)))
            if (at := step(40, 0.02)) is None:
                return self.overdue(c)
            self.move(c, Status.DIPROSES, actor, at, "Laporan sedang kami tindak lanjuti di lapangan.")
            if rng.random() < 0.08:  # the unit asks the complainant; most answer
                if (at := step(48, 0.0)) is None:
                    return c
                self.move(c, Status.MENUNGGU_INFORMASI, actor, at, "Mohon kirim foto dan titik lokasi yang tepat.")
                if (at := step(60, 0.3)) is None:
                    return c
                self.move(c, Status.DIPROSES, Actor.system(), at)
            if (at := step(200, 0.025)) is None:
                return self.overdue(c)
            self.move(c, Status.SELESAI, actor, at, rng.choice(ANSWERS))
            if rng.random() < 0.5:  # no rating: closed by the bot when the auto-close time passes
                if c.due_at is not None and c.due_at < self.now:
                    self.move(c, Status.DITUTUP, Actor.system(), c.due_at)
                    c.next_escalation_at = None
                return c
            if (at := step(30, 0.0)) is None:
                return c
            satisfied = reopened or rng.random() < 0.88
            citizen = Actor(c.owner, Role.COMPLAINANT)
            c.satisfied, c.rated_at = satisfied, at
            if satisfied:
                c.move_to(Status.DITUTUP, citizen, at, facts=Rating(True))
                c.next_escalation_at = None
            else:
                self.move(c, Status.DIBUKA_KEMBALI, citizen, at, "Belum diperbaiki.", facts=Rating(False))
                c.reopen_count += 1
            if rng.random() < 0.7 and (at := step(1, 0.0)):
                c.skm_score = rng.choices((1, 2, 3, 4), weights=(4, 10, 46, 40))[0] if satisfied else rng.randint(1, 2)
                c.record(AuditEntry(at, citizen.id, citizen.role, AuditKind.RATED, None, None, facts=Score(c.skm_score)))
            if satisfied:
                return c
        return c

    def move(self, c: Complaint, target: Status, actor: Actor, at: datetime, note: str = "",
             facts: Any = None) -> None:
        previous = c.status
        unit = facts.unit_id if isinstance(facts, Disposition) else None
        deadline = stage_deadline(self.ctx, c, target, at, unit)
        c.move_to(target, actor, at, note, facts=facts, deadline=deadline)
        start_stage(self.ctx, c, previous, at, deadline)

    def overdue(self, c: Complaint) -> Complaint:
        """A stalled case: the escalations the sweep recorded once its deadline passed."""
        if c.status not in ESCALATING or c.due_at is None or c.due_at >= self.now:
            return c
        unit = c.unit_id if c.disposed else self.ctx.org.central.id
        for level, after in ((1, timedelta(hours=-6)), (2, timedelta(hours=1)), (3, timedelta(days=3))):
            at = c.due_at + after
            if at >= self.now:
                break
            told = tuple(o.id for o in self.ctx.org.escalation_recipients(unit or "", level))
            c.record(AuditEntry(at, "bot", Role.SYSTEM, AuditKind.ESCALATED, None, None,
                                facts=Escalation(level, unit, c.due_at, told)))
            c.escalation_level = level
        schedule_next(c, self.ctx.calendar, self.ctx.tz(c))
        return c


async def load(engine: AsyncEngine, ctx: CaseContext, now: datetime, size: int, *, seed: int = 1,
               log: Callable[[str], None] = print) -> dict[str, Any]:
    """Writes ``size`` complaints (ids 1..size) with their audit trails and supporters;
    returns the seconds it took, the rows written and the spread of the caseload."""
    started = time.perf_counter()
    walker = Walker(ctx, now, seed)
    statuses: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    events = supporters = 0
    postgres = engine.dialect.name == "postgresql"
    for first in range(0, size, BATCH):
        rows, trail, backers = [], [], []
        for i in range(first, min(first + BATCH, size)):
            c = walker.walk(walker.file(i))
            c.id = i + 1
            rows.append({"id": c.id, **mapping.complaint_values(c)})
            trail += [mapping.event_values(c.id, e) for e in c.audit]
            backers += [mapping.supporter_values(c.id, s) for s in c.supporters]
            statuses[str(c.status)] += 1
            spread["overdue"] += bool(c.status in ESCALATING and c.due_at is not None and c.due_at < now)
            spread["filed_this_month"] += c.created_at.astimezone(ctx.org.central.timezone).strftime("%Y-%m") == \
                now.astimezone(ctx.org.central.timezone).strftime("%Y-%m")
            spread["rated"] += c.skm_score is not None
            spread[f"privacy_{c.privacy}"] += 1
        async with engine.begin() as conn:
            await conn.execute(complaints.insert(), rows)
            await conn.execute(mapping.INSERT_EVENT, trail)
            if backers:
                await conn.execute(complaint_supporters.insert(), backers)
        events, supporters = events + len(trail), supporters + len(backers)
        log(f"  {first + len(rows):,} complaints, {events:,} audit entries ({time.perf_counter() - started:.0f} s)")
    loaded = time.perf_counter() - started
    if postgres:
        async with engine.begin() as conn:
            await conn.execute(text("SELECT setval(pg_get_serial_sequence('complaints', 'id'), :n)"), {"n": size})
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM (ANALYZE) complaints, complaint_events, complaint_supporters"))
    else:
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
    return {"load_s": round(time.perf_counter() - started, 1), "insert_s": round(loaded, 1), "complaints": size,
            "audit_entries": events, "supporters": supporters, "by_status": dict(sorted(statuses.items())),
            **{k: spread[k] for k in sorted(spread)}}

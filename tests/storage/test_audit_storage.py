"""The facts of audit entries in storage (migration 0006), on SQLite and PostgreSQL: they
survive a round trip through every write path, are checked when read, and rows written
in the old shape (the facts in the note) come back from the migration with their facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic import command
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from complaints.calendar import WorkingCalendar
from complaints.model import (
    Assignment,
    AuditEntry,
    AuditKind,
    Complaint,
    Deadline,
    Disposition,
    Escalation,
    Rating,
    Score,
)
from complaints.org import Organisation, Unit
from complaints.recap import RecapRules
from complaints.taxonomy import Category, Role, Status
from storage import mapping
from storage.database import create_engine
from storage.migrate import alembic_config, current_revision, upgrade
from storage.tables import complaint_events, complaints
from storage.uow import uow_factory as make_uow_factory

WIB = timezone(timedelta(hours=7), "WIB")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
DUE = datetime(2026, 11, 30, 23, 59, 59, tzinfo=WIB)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def new_complaint(code: str, unit_id: str = "dlh") -> Complaint:
    c = Complaint(code=code, description="sampah menumpuk", channel="console", sender="warga-1", created_at=T0,
                  category=Category.SAMPAH, unit_id=unit_id)
    c.record(AuditEntry(T0, "bot", Role.SYSTEM, AuditKind.CREATED, None, Status.DITERIMA))
    return c


def with_facts() -> list[AuditEntry]:
    """An entry of every kind of fact, between entries without facts (one batch of rows
    with and without fact columns)."""
    return [
        AuditEntry(at(1), "admin-pusat", Role.ADMIN, AuditKind.NOTE, None, None, "dicek dulu"),
        AuditEntry(at(2), "admin-pusat", Role.ADMIN, AuditKind.STATUS, Status.DITERIMA, Status.DIDISPOSISIKAN,
                   facts=Disposition("dlh", "dsdabm")),
        AuditEntry(at(3), "petugas-dlh", Role.OFFICER, AuditKind.ASSIGNED, None, None,
                   facts=Assignment("petugas-dlh")),
        AuditEntry(at(4), "bot", Role.SYSTEM, AuditKind.ESCALATED, None, None,
                   facts=Escalation(2, "dlh", DUE, ("supervisor-dlh", "kepala-dlh"))),
        AuditEntry(at(5), "bot", Role.SYSTEM, AuditKind.ESCALATED, None, None, facts=Escalation(3, None, None)),
        AuditEntry(at(6), "console:warga-1", Role.COMPLAINANT, AuditKind.INFO, None, None, "tiang nomor 12"),
        AuditEntry(at(7), "console:warga-1", Role.COMPLAINANT, AuditKind.STATUS, Status.SELESAI, Status.DITUTUP,
                   "puas", facts=Rating(True)),
        AuditEntry(at(8), "console:warga-1", Role.COMPLAINANT, AuditKind.RATED, None, None, facts=Score(3)),
    ]


async def test_every_fact_survives_a_round_trip(uow_factory):
    added = new_complaint("LPR-AAAA-22")
    for entry in with_facts():
        added.record(entry)
    saved, batch = new_complaint("LPR-AAAA-23"), [new_complaint("LPR-AAAA-24"), new_complaint("LPR-AAAA-25")]
    async with uow_factory() as uow:
        for c in (added, saved, *batch):
            await uow.complaints.add(c)  # add: the whole trail at once
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.complaints.get(saved.code, for_update=True)
        for entry in with_facts():
            loaded.record(entry)
        await uow.complaints.save(loaded)  # save: the entries appended since loading
        claimed = [await uow.complaints.get(c.code, for_update=True) for c in batch]
        for c in claimed:
            for entry in reversed(with_facts()):
                c.record(entry)
        await uow.complaints.save_many(claimed)  # save_many: one insert for the batch
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.complaints.get(added.code)).audit == added.audit
        assert (await uow.complaints.get(saved.code)).audit[1:] == with_facts()
        for c in batch:
            assert (await uow.complaints.get(c.code)).audit[1:] == list(reversed(with_facts()))
        escalated = (await uow.complaints.get(added.code)).audit[4]
        assert escalated.facts.due_at == DUE and escalated.facts.due_at.tzinfo is UTC


async def test_the_facts_have_columns_of_their_own(engine: AsyncEngine):
    c = new_complaint("LPR-AAAA-22")
    for entry in with_facts():
        c.record(entry)
    async with make_uow_factory(engine)() as uow:
        await uow.complaints.add(c)
        await uow.commit()
    async with engine.connect() as conn:
        rows = (await conn.execute(select(complaint_events).order_by(complaint_events.c.id))).all()
    by_kind = {(row.action, row.to_status): row for row in rows}
    escalated = next(row for row in rows if row.action == "escalated")
    assert (escalated.escalation_level, escalated.unit_id, escalated.officers_told, escalated.note) == (
        2, "dlh", ["supervisor-dlh", "kepala-dlh"], "")
    assert by_kind[("assigned", None)].officer_id == "petugas-dlh"
    assert by_kind[("rated", None)].skm_score == 3
    disposed = by_kind[("status", "didisposisikan")]
    assert (disposed.unit_id, disposed.from_unit_id) == ("dlh", "dsdabm")
    assert by_kind[("status", "ditutup")].satisfied is True
    plain = by_kind[("note", None)]
    assert all(getattr(plain, name) is None for name in mapping.FACT_COLUMNS)


async def test_a_row_whose_facts_do_not_fit_its_kind_is_refused_on_read(engine: AsyncEngine):
    c = new_complaint("LPR-AAAA-22")
    c.record(with_facts()[3])  # an escalation
    async with make_uow_factory(engine)() as uow:
        await uow.complaints.add(c)
        await uow.commit()
    async with engine.begin() as conn:
        with pytest.raises(IntegrityError):  # the schema keeps the SKM scale too
            async with conn.begin_nested():
                await conn.execute(update(complaint_events).values(skm_score=5))
        await conn.execute(update(complaint_events).where(complaint_events.c.action == "escalated")
                           .values(escalation_level=None))
    async with make_uow_factory(engine)() as uow:
        with pytest.raises(ValueError, match="lacks escalation_level"):
            await uow.complaints.get(c.code)


async def test_a_stage_deadline_lands_in_the_unit_and_due_columns(engine: AsyncEngine):
    c = new_complaint("LPR-AAAA-22")
    c.audit[0] = replace(c.audit[0], deadline=Deadline("pusat", DUE - timedelta(days=4)))
    c.record(AuditEntry(at(1), "admin-pusat", Role.ADMIN, AuditKind.STATUS, Status.DITERIMA, Status.DIDISPOSISIKAN,
                        facts=Disposition("dlh"), deadline=Deadline("dlh", DUE)))
    c.record(AuditEntry(at(2), "petugas-dlh", Role.OFFICER, AuditKind.STATUS, Status.DIDISPOSISIKAN, Status.SELESAI,
                        "sudah diangkut"))
    c.record(AuditEntry(at(3), "console:warga-1", Role.COMPLAINANT, AuditKind.STATUS, Status.SELESAI,
                        Status.DIBUKA_KEMBALI, facts=Rating(False), deadline=Deadline("dlh", DUE + timedelta(days=1))))
    async with make_uow_factory(engine)() as uow:
        await uow.complaints.add(c)
        await uow.commit()
    async with engine.connect() as conn:
        rows = (await conn.execute(select(complaint_events).order_by(complaint_events.c.id))).all()
    assert [(row.unit_id, row.due_at, row.from_unit_id, row.satisfied) for row in rows] == [
        ("pusat", DUE - timedelta(days=4), None, None), ("dlh", DUE, None, None), (None, None, None, None),
        ("dlh", DUE + timedelta(days=1), None, False)]
    async with make_uow_factory(engine)() as uow:
        loaded = await uow.complaints.get(c.code)
    assert loaded.audit == c.audit  # a reopening's unit is its stage's, not a disposition
    assert loaded.audit[3].facts == Rating(False) and loaded.audit[3].deadline == Deadline("dlh", DUE + timedelta(days=1))


# --- rows of the old shape, through migration 0006 ---------------------------------------------

def old_event(complaint_id: int, hours: float, actor: str, role: str, action: str,
              moves: tuple[str | None, str | None] = (None, None), note: str = "") -> dict[str, object]:
    """A complaint_events row as 0001-0005 stored it: the facts, if any, in the note."""
    return {"complaint_id": complaint_id, "at": at(hours), "actor": actor, "role": role, "action": action,
            "from_status": moves[0], "to_status": moves[1], "note": note}


def old_trails(a: int, b: int) -> list[dict[str, object]]:
    return [
        # A: escalated while verified, re-routed to dishub, taken, escalated twice, answered, rated
        old_event(a, 0, "bot", "bot", "created", (None, "diterima")),
        old_event(a, 1, "bot", "bot", "escalated", note="level 2: kepala-pusat"),
        old_event(a, 2, "admin-pusat", "admin", "status", ("diterima", "didisposisikan")),
        old_event(a, 3, "petugas-dishub", "petugas", "assigned", note="petugas-dishub"),
        old_event(a, 4, "bot", "bot", "escalated", note="level 1: petugas-dishub"),
        old_event(a, 5, "bot", "bot", "escalated", note="level 3: -"),
        old_event(a, 6, "petugas-dishub", "petugas", "status", ("didisposisikan", "diproses"), "Tim dijadwalkan"),
        old_event(a, 7, "petugas-dishub", "petugas", "status", ("diproses", "selesai"), "Lampu sudah diganti"),
        old_event(a, 8, "console:warga-1", "pelapor", "status", ("selesai", "ditutup"), "Pelapor puas."),
        old_event(a, 9, "console:warga-1", "pelapor", "rated", note="SKM 3"),
        # B: disposed, answered, reopened (escalated at the unit), disposed again
        old_event(b, 0, "bot", "bot", "created", (None, "diterima")),
        old_event(b, 1, "admin-pusat", "admin", "status", ("diterima", "didisposisikan")),
        old_event(b, 2, "petugas-dlh", "petugas", "status", ("didisposisikan", "menunggu_informasi"), "Di mana?"),
        old_event(b, 3, "console:warga-1", "pelapor", "info", note="depan pasar, level 2: lantai atas"),
        old_event(b, 3, "bot", "bot", "status", ("menunggu_informasi", "diproses")),
        old_event(b, 4, "petugas-dlh", "petugas", "status", ("diproses", "selesai"), "Sudah diangkut"),
        old_event(b, 5, "console:warga-1", "pelapor", "status", ("selesai", "dibuka_kembali"), "Tidak puas."),
        old_event(b, 5, "bot", "bot", "escalated", note="level 2: supervisor-dlh, kepala-pusat"),
        old_event(b, 6, "admin-pusat", "admin", "status", ("dibuka_kembali", "didisposisikan")),
        old_event(b, 7, "admin-pusat", "admin", "note", note="SKM 4"),  # someone's note, not a score
    ]


ORG = Organisation(
    name="Kota Contoh",
    units={unit: Unit(unit, unit, "opd", WIB) for unit in ("pusat", "dishub", "dlh")},
    officers={},
    routing={Category.SAMPAH: "dlh", Category.PENERANGAN: "dishub"},
    default_unit="pusat",
)


async def test_rows_of_the_old_shape_come_back_from_0006_with_their_facts(database_url: str) -> None:
    engine = create_engine(database_url)

    async def downgrade(revision: str) -> None:
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))

    async def stored_rows() -> list[tuple[object, ...]]:
        async with engine.connect() as conn:
            columns = [complaint_events.c[name] for name in ("complaint_id", "action", "to_status", "note")]
            return [tuple(row) for row in (await conn.execute(select(*columns).order_by(complaint_events.c.id)))]

    try:
        await upgrade(engine, "0005")
        ids = []
        async with engine.begin() as conn:  # rows written by the 0005 schema
            for code, unit in (("LPR-AAAA-22", "dishub"), ("LPR-AAAA-23", "dlh")):
                values = {k: v for k, v in mapping.complaint_values(new_complaint(code, unit)).items()
                          if k not in ("ongoing", "category_origin", "category_confidence",  # 0007, 0008
                                       "text_fingerprint", "supporter_count", "running_due_at",  # 0009, 0010, 0012
                                       "media_url", "address_id")}  # 0015
                ids.append((await conn.execute(complaints.insert().values(**values).returning(complaints.c.id)))
                           .scalar_one())
            await conn.execute(complaint_events.insert(), old_trails(*ids))
        before = await stored_rows()

        await upgrade(engine)
        async with make_uow_factory(engine)() as uow:
            a = await uow.complaints.get("LPR-AAAA-22")
            b = await uow.complaints.get("LPR-AAAA-23")
        assert [e.facts for e in a.audit] == [
            None,
            Escalation(2, None, None, ("kepala-pusat",)),  # the central admin's stage: no unit named
            Disposition("dishub"),  # the last disposition names the complaint's unit
            Assignment("petugas-dishub"),
            Escalation(1, "dishub", None, ("petugas-dishub",)),
            Escalation(3, "dishub", None, ()),
            None,
            None,
            Rating(True),
            Score(3),
        ]
        assert [e.note for e in a.audit] == ["", "", "", "", "", "", "Tim dijadwalkan", "Lampu sudah diganti",
                                            "Pelapor puas.", ""]
        assert [e.facts for e in b.audit] == [
            None, None, None, None, None, None,  # an earlier disposition does not say where to
            Rating(False),
            Escalation(2, "dlh", None, ("supervisor-dlh", "kepala-pusat")),
            Disposition("dlh"),
            None,
        ]
        assert b.audit[3].note == "depan pasar, level 2: lantai atas" and b.audit[-1].note == "SKM 4"
        assert all(isinstance(e.action, AuditKind) for e in a.audit + b.audit)
        # the recap counts them where the regex on the notes did
        rules = RecapRules(ORG, WorkingCalendar(), T0 + timedelta(days=30))
        assert rules.row(a).escalations == (("pusat", 2), ("dishub", 1), ("dishub", 3))
        assert rules.row(b).escalations == (("dlh", 2),)

        await downgrade("0005")  # the notes are written back from the facts
        assert await current_revision(engine) == "0005"
        assert await stored_rows() == before
        await upgrade(engine)
        async with make_uow_factory(engine)() as uow:
            assert (await uow.complaints.get("LPR-AAAA-22")).audit == a.audit
    finally:
        await engine.dispose()

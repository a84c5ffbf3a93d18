"""One contract for the storage adapters, run on SQLite, on PostgreSQL and on the in-memory
fake unit of work (``tests/fakes/uow.py``), which service-layer tests use instead of a
database.

Tests about behaviour run on all three. Tests about the SQL adapters themselves (the
schema, its migrations and constraints, connection settings) are marked ``sql_only`` with
the reason, and skipped on the fake. Where the backends differ in how they keep two
transactions apart (PostgreSQL: row locks, ``SKIP LOCKED``; SQLite and the fake: one
writer at a time, the other waits), the test says so.

Time is always passed in; nothing here sleeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from complaints.model import (
    Actor,
    AuditEntry,
    AuditKind,
    Complainant,
    Complaint,
    Deadline,
    Disposition,
    Evidence,
    Place,
    Rating,
)
from complaints.notifications import Button, Notification
from complaints.ports import DialogRecord, DuplicateCode, UnitOfWork, UnitSummary
from complaints.spam import SenderAction, SenderId, fingerprint
from complaints.taxonomy import (
    Category,
    CategoryOrigin,
    Maladministration,
    PrivacyMode,
    ReportType,
    Role,
    Status,
    Weight,
)
from complaints.visibility import Audience, Visibility
from storage import mapping
from storage import uow as storage_uow
from storage.database import create_engine
from storage.migrate import alembic_config, current_revision, head_revision, upgrade
from storage.tables import complaint_events, complaints, metadata
from storage.uow import SqlUnitOfWork
from tests.conftest import fresh_database
from tests.fakes.uow import MemoryStore

UowFactory = Callable[[], UnitOfWork]
BACKENDS = ("sqlite", "postgresql", "memory")

WIB = timezone(timedelta(hours=7), "WIB")
T0 = datetime(2025, 3, 10, 9, 30, 15, 123456, tzinfo=WIB)
ADMIN = Actor("admin-1", Role.ADMIN)


# --- the backends -----------------------------------------------------------------------
# These override conftest's fixtures of the same names for this module, so that every test
# here runs once per backend, the in-memory fake included.


@pytest.fixture(params=BACKENDS, ids=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    marker = request.node.get_closest_marker("sql_only")
    if request.param == "memory" and marker is not None:
        pytest.skip(f"SQL only: {marker.args[0]}")
    return str(request.param)


@pytest.fixture
async def sql_engine(backend: str, tmp_path: Path) -> AsyncIterator[AsyncEngine | None]:
    """A migrated engine on a fresh database of the backend; None for the fake."""
    if backend == "memory":
        yield None
        return
    async with fresh_database(backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            await upgrade(engine)
            yield engine
        finally:
            await engine.dispose()


@pytest.fixture
def engine(sql_engine: AsyncEngine | None) -> AsyncEngine:
    if sql_engine is None:
        pytest.fail("this test reads the database itself: mark it sql_only(reason)")
    return sql_engine


@pytest.fixture
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty (unmigrated) database of the backend."""
    if backend == "memory":
        pytest.fail("this test needs a database: mark it sql_only(reason)")
    async with fresh_database(backend, tmp_path / "empty") as url:
        yield url


@pytest.fixture
def uow_factory(sql_engine: AsyncEngine | None) -> UowFactory:
    if sql_engine is None:
        return MemoryStore().uow
    return storage_uow.uow_factory(sql_engine)


def root_cause(error: BaseException) -> BaseException:
    """What a driver-level error wraps (SQLAlchemy's StatementError), else the error."""
    return error.orig if isinstance(error, StatementError) and error.orig is not None else error


def make_complaint(code: str = "LPR-7KQ3-MN", *, at: datetime = T0, **fields: object) -> Complaint:
    complaint = Complaint(code=code, description="jalan bolong", channel="telegram", sender="1001", created_at=at)
    for name, value in fields.items():
        setattr(complaint, name, value)
    complaint.record(AuditEntry(at, "bot", Role.SYSTEM, "created", None, Status.DITERIMA))
    return complaint


def full_complaint() -> Complaint:
    """A complaint with every field set to something other than its default."""
    complaint = Complaint(
        code="LPR-ABCD-EF",
        description="pak jalan depan SDN 3 Kebraon bolong gede udah 2 minggu",
        channel="whatsapp",
        sender="6281234567890",
        created_at=T0,
        category=Category.JALAN,
        report_type=ReportType.ASPIRASI,
        weight=Weight.BERAT,
        maladministration=Maladministration.PENUNDAAN_BERLARUT,
        place=Place("depan SDN 3, RT 02/RW 05", "35.78.17.1004", "Kebraon", -7.3341234567891, 112.7012345678912),
        event_date=date(2025, 2, 24),
        agency="Dinas PU Bina Marga",
        evidence=[Evidence("photo", "media/abc.jpg", "lubangnya"), Evidence("document", "media/surat.pdf")],
        media_url="https://portal.contoh.id/foto/lubang.jpg",
        address_id="gis-35781710040",
        complainant=Complainant("Budi Santoso", "+6281234567890", "budi@example.id"),
        privacy=PrivacyMode.RAHASIA,
        status=Status.DITERIMA,
        unit_id="dinas-pu",
        due_at=T0 + timedelta(days=3),
        resolve_due_at=datetime(2025, 3, 24, 16, 0, tzinfo=timezone(timedelta(hours=8))),
        late_filing=True,
        assignee="petugas-7",
        escalation_level=2,
        next_escalation_at=T0 + timedelta(days=1, microseconds=7),
        paused_at=T0 + timedelta(hours=5),
        reopen_count=1,
        satisfied=False,
        skm_score=4,
        rated_at=datetime(2025, 3, 11, 8, 0, tzinfo=timezone(timedelta(hours=9))),
    )
    complaint.record(AuditEntry(T0, "bot", Role.SYSTEM, "created", None, Status.DITERIMA))
    complaint.record(AuditEntry(T0 + timedelta(seconds=1), "bot", Role.SYSTEM, "note", None, None, "foto diterima"))
    return complaint


def notification(key: str, channel: str = "telegram", recipient: str = "2002") -> Notification:
    buttons = (Button("ok", "Oke"), Button("no", "Tidak"))
    return Notification(key, channel, recipient, f"pesan {key}", buttons, "LPR-7KQ3-MN")


async def add_complaints(uow_factory: UowFactory, *complaints: Complaint) -> None:
    async with uow_factory() as uow:
        for complaint in complaints:
            await uow.complaints.add(complaint)
        await uow.commit()


async def queue(uow_factory: UowFactory, *keys: str, now: datetime = T0, channel: str = "telegram") -> None:
    async with uow_factory() as uow:
        for key in keys:
            assert await uow.outbox.add(notification(key, channel), now)
        await uow.commit()


async def claim(uow_factory: UowFactory, now: datetime, channels: set[str] | None = None, **kwargs: int) -> list[str]:
    """Claim in a unit of work of its own and commit; the keys claimed."""
    async with uow_factory() as uow:
        items = await uow.outbox.claim(channels, now, **kwargs)
        await uow.commit()
    return [item.notification.key for item in items]


# --- complaints -------------------------------------------------------------------------


async def test_complaint_round_trip_keeps_every_field(uow_factory: UowFactory) -> None:
    original = full_complaint()
    async with uow_factory() as uow:
        await uow.complaints.add(original)
        await uow.commit()
    assert original.id is not None

    async with uow_factory() as uow:
        loaded = await uow.complaints.get("LPR-ABCD-EF")
        assert await uow.complaints.get("LPR-ABCD-EG") is None

    assert loaded == original  # aware datetimes compare as instants
    moments = (loaded.created_at, loaded.due_at, loaded.resolve_due_at, loaded.updated_at)
    moments += (loaded.next_escalation_at, loaded.paused_at, loaded.rated_at)
    for moment in moments:
        assert moment is not None and moment.tzinfo is UTC
    assert loaded.satisfied is False and loaded.skm_score == 4 and loaded.escalation_level == 2
    assert loaded.due_at == datetime(2025, 3, 13, 2, 30, 15, 123456, tzinfo=UTC)
    assert all(entry.at.tzinfo is UTC for entry in loaded.audit)
    assert isinstance(loaded.status, Status) and isinstance(loaded.audit[0].role, Role)


async def test_defaults_and_empty_optionals_round_trip(uow_factory: UowFactory) -> None:
    original = Complaint(code="LPR-2222-22", description="x", channel="console", sender="warga-1", created_at=T0)
    await add_complaints(uow_factory, original)
    async with uow_factory() as uow:
        loaded = await uow.complaints.get("LPR-2222-22")
    assert loaded == original
    assert loaded.audit == [] and loaded.evidence == [] and loaded.maladministration is None
    assert (loaded.escalation_level, loaded.reopen_count, loaded.satisfied, loaded.assignee) == (0, 0, None, None)


async def test_naive_datetimes_are_refused(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        naive = datetime(2025, 3, 10, 9, 30)
        with pytest.raises((StatementError, ValueError)) as raised:  # SQL: the ValueError, wrapped
            await uow.complaints.add(make_complaint(at=naive))
        assert isinstance(root_cause(raised.value), ValueError)
        with pytest.raises((StatementError, ValueError)) as raised:
            await uow.outbox.add(notification("k"), naive)
        assert isinstance(root_cause(raised.value), ValueError)
        with pytest.raises((StatementError, ValueError)) as raised:
            await uow.dialogs.put("telegram", "1001", {"step": "x"}, naive)
        assert isinstance(root_cause(raised.value), ValueError)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.complaints.find() == []
        assert await uow.dialogs.get("telegram", "1001") is None
        assert await uow.outbox.pending_count() == 0


async def test_save_updates_fields_and_only_appends_the_audit_trail(
    uow_factory: UowFactory, sql_engine: AsyncEngine | None
) -> None:
    await add_complaints(uow_factory, make_complaint())
    if sql_engine is not None:
        async with sql_engine.connect() as conn:
            first_event = (await conn.execute(select(complaint_events))).one()

    async with uow_factory() as uow:
        complaint = await uow.complaints.get("LPR-7KQ3-MN", for_update=True)
        complaint.move_to(Status.DIVERIFIKASI, ADMIN, T0 + timedelta(hours=1))
        complaint.unit_id = "dinas-pu"
        complaint.due_at = T0 + timedelta(days=2)
        await uow.complaints.save(complaint)
        complaint.move_to(Status.DIDISPOSISIKAN, ADMIN, T0 + timedelta(hours=2), "ke Dinas PU")
        await uow.complaints.save(complaint)  # a second save appends only the new entry
        stored_first = complaint.audit[0]
        complaint.audit[0] = AuditEntry(T0, "forger", Role.ADMIN, "created", None, Status.DITOLAK)
        await uow.complaints.save(complaint)  # a stored entry is never rewritten
        await uow.commit()

    async with uow_factory() as uow:
        loaded = await uow.complaints.get("LPR-7KQ3-MN")
    assert [e.action for e in loaded.audit] == ["created", "status", "status"]
    assert [e.to_status for e in loaded.audit] == [Status.DITERIMA, Status.DIVERIFIKASI, Status.DIDISPOSISIKAN]
    assert loaded.status is Status.DIDISPOSISIKAN and loaded.unit_id == "dinas-pu"
    assert loaded.updated_at == T0 + timedelta(hours=2) and loaded.due_at == T0 + timedelta(days=2)
    assert loaded.public_note == "ke Dinas PU" and loaded.audit[0] == stored_first
    if sql_engine is not None:
        async with sql_engine.connect() as conn:
            rows = (await conn.execute(select(complaint_events).order_by(complaint_events.c.id))).all()
        assert len(rows) == 3 and rows[0] == first_event  # the stored row is untouched


async def test_stage_deadlines_of_audit_entries_round_trip(uow_factory: UowFactory) -> None:
    """The deadline a filing or a move recorded for the stage it started comes back as it
    went in, beside the move's own facts (add and save); an entry written before has none."""
    due = T0 + timedelta(days=3)
    complaint = make_complaint()
    complaint.audit[0] = AuditEntry(T0, "bot", Role.SYSTEM, "created", None, Status.DITERIMA,
                                    deadline=Deadline("pusat", due))
    complaint.move_to(Status.DIDISPOSISIKAN, ADMIN, T0 + timedelta(hours=1), facts=Disposition("dinas-pu", "pusat"),
                      deadline=Deadline("dinas-pu", due + timedelta(days=5)))
    complaint.move_to(Status.SELESAI, ADMIN, T0 + timedelta(hours=2), "sudah diperbaiki")
    complaint.move_to(Status.DIBUKA_KEMBALI, Actor("telegram:1001", Role.COMPLAINANT), T0 + timedelta(hours=3),
                      facts=Rating(False), deadline=Deadline("dinas-pu", due + timedelta(days=6)))
    complaint.move_to(Status.DIDISPOSISIKAN, ADMIN, T0 + timedelta(hours=4), facts=Disposition("dinas-pu"))  # older
    await add_complaints(uow_factory, complaint)
    async with uow_factory() as uow:
        loaded = await uow.complaints.get("LPR-7KQ3-MN", for_update=True)
        loaded.move_to(Status.SELESAI, ADMIN, T0 + timedelta(hours=5), "sudah diperbaiki lagi")
        loaded.move_to(Status.DIBUKA_KEMBALI, ADMIN, T0 + timedelta(hours=6),  # the admin's: no rating
                       deadline=Deadline("dinas-pu", due + timedelta(days=7)))
        await uow.complaints.save(loaded)
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.complaints.get("LPR-7KQ3-MN")
    assert loaded.audit[:5] == complaint.audit
    assert [(e.deadline.unit_id, e.deadline.due_at - due) if e.deadline else None for e in loaded.audit] == [
        ("pusat", timedelta(0)), ("dinas-pu", timedelta(days=5)), None, ("dinas-pu", timedelta(days=6)), None,
        None, ("dinas-pu", timedelta(days=7))]
    assert [e.facts for e in loaded.audit] == [
        None, Disposition("dinas-pu", "pusat"), None, Rating(False), Disposition("dinas-pu"), None, None]
    assert all(e.deadline.due_at.tzinfo is UTC for e in loaded.audit if e.deadline)


async def test_save_of_a_complaint_loaded_in_another_unit_of_work(uow_factory: UowFactory) -> None:
    complaint = make_complaint()
    await add_complaints(uow_factory, complaint)
    complaint.move_to(Status.DIVERIFIKASI, ADMIN, T0 + timedelta(hours=1))
    async with uow_factory() as uow:  # a fresh unit of work knows nothing of this object
        await uow.complaints.save(complaint)
        await uow.commit()
    async with uow_factory() as uow:
        loaded = await uow.complaints.get(complaint.code)
        assert len(loaded.audit) == 2
        loaded.audit.pop()
        with pytest.raises(ValueError, match="append-only"):
            await uow.complaints.save(loaded)


async def test_a_complaint_in_hand_changes_nothing_stored_until_it_is_saved(uow_factory: UowFactory) -> None:
    """Objects are copies: what was added, got, listed or claimed, changed in memory, is
    not what is stored until ``save``."""
    added = make_complaint(next_escalation_at=T0, unit_id="pu")
    await add_complaints(uow_factory, added)
    expected = make_complaint(next_escalation_at=T0, unit_id="pu")
    expected.id = added.id
    added.description = "diubah setelah disimpan"
    async with uow_factory() as uow:
        in_hand = [
            added,
            await uow.complaints.get(added.code, for_update=True),
            *await uow.complaints.find(),
            *await uow.complaints.list_by_sender("telegram", "1001"),
            *await uow.complaints.claim_due(T0),
        ]
        assert len(in_hand) == 5
        for complaint in in_hand:
            complaint.description += " +"
            complaint.next_escalation_at = None
            complaint.evidence.append(Evidence("photo", "media/x.jpg"))
            complaint.record(AuditEntry(T0, "bot", Role.SYSTEM, "note", None, None, "tidak disimpan"))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.complaints.get(added.code) == expected
        assert [c.code for c in await uow.complaints.claim_due(T0)] == [added.code]


async def test_duplicate_code_is_reported_and_the_transaction_stays_usable(uow_factory: UowFactory) -> None:
    await add_complaints(uow_factory, make_complaint("LPR-7KQ3-MN"))
    async with uow_factory() as uow:
        clash = make_complaint("LPR-7KQ3-MN", sender="other")
        with pytest.raises(DuplicateCode):
            await uow.complaints.add(clash)
        assert clash.id is None
        clash.code = "LPR-8888-88"
        await uow.complaints.add(clash)
        await uow.outbox.add(notification("after-clash"), T0)
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.complaints.get("LPR-7KQ3-MN")).sender == "1001"
        assert (await uow.complaints.get("LPR-8888-88")).audit == clash.audit
        assert await uow.outbox.pending_count() == 1


async def test_listings_are_newest_first_and_filtered(uow_factory: UowFactory) -> None:
    hour = timedelta(hours=1)
    a = make_complaint("LPR-AAAA-A1", at=T0, unit_id="pu")
    b = make_complaint("LPR-BBBB-B1", at=T0 + 2 * hour, unit_id="dlh", status=Status.DIPROSES)
    c = make_complaint("LPR-CCCC-C1", at=T0 + hour, unit_id="pu", status=Status.DIPROSES)
    d = make_complaint("LPR-DDDD-D1", at=T0 + 3 * hour, sender="9999", unit_id="pu")
    e = make_complaint("LPR-EEEE-E1", at=T0 + 4 * hour, channel="whatsapp")  # same sender id, other channel
    await add_complaints(uow_factory, a, b, c, d, e)

    def codes(found: list[Complaint]) -> list[str]:
        return [x.code for x in found]

    async with uow_factory() as uow:
        assert codes(await uow.complaints.list_by_sender("telegram", "1001")) == [b.code, c.code, a.code]
        assert codes(await uow.complaints.list_by_sender("telegram", "1001", limit=2)) == [b.code, c.code]
        assert codes(await uow.complaints.list_by_sender("console", "1001")) == []
        assert codes(await uow.complaints.find()) == [e.code, d.code, b.code, c.code, a.code]
        assert codes(await uow.complaints.find(status=Status.DIPROSES)) == [b.code, c.code]
        assert codes(await uow.complaints.find(unit_id="pu")) == [d.code, c.code, a.code]
        assert codes(await uow.complaints.find(status=Status.DIPROSES, unit_id="pu")) == [c.code]
        assert codes(await uow.complaints.find(limit=1)) == [e.code]
        assert codes(await uow.complaints.find(statuses=frozenset({Status.DIPROSES, Status.DITERIMA}),
                                               unit_id="pu")) == [d.code, c.code, a.code]
        assert codes(await uow.complaints.find(statuses=frozenset())) == []
        listed = await uow.complaints.find()
    assert all(len(x.audit) == 1 for x in listed)  # audit trails are loaded for lists too


async def test_concurrent_read_modify_write_loses_no_update(uow_factory: UowFactory) -> None:
    await add_complaints(uow_factory, make_complaint())

    async def add_note(n: int) -> None:
        async with uow_factory() as uow:
            complaint = await uow.complaints.get("LPR-7KQ3-MN", for_update=True)
            complaint.description += f" +{n}"  # a lost update would drop someone's "+n"
            at = T0 + timedelta(minutes=n)
            complaint.record(AuditEntry(at, f"petugas-{n}", Role.OFFICER, "note", None, None, f"n{n}"))
            await uow.complaints.save(complaint)
            await uow.commit()

    await asyncio.wait_for(asyncio.gather(*(add_note(n) for n in range(1, 5))), timeout=30)
    async with uow_factory() as uow:
        loaded = await uow.complaints.get("LPR-7KQ3-MN")
    assert sorted(e.note for e in loaded.audit[1:]) == ["n1", "n2", "n3", "n4"]
    assert sorted(loaded.description.split(" +")[1:]) == ["1", "2", "3", "4"]


# --- outbox -----------------------------------------------------------------------------


async def test_outbox_add_is_deduplicated_by_key(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        assert await uow.outbox.add(notification("LPR-7KQ3-MN:created:off-1"), T0)
        assert not await uow.outbox.add(notification("LPR-7KQ3-MN:created:off-1", recipient="other"), T0)
        await uow.commit()
    async with uow_factory() as uow:
        assert not await uow.outbox.add(notification("LPR-7KQ3-MN:created:off-1"), T0 + timedelta(days=1))
        assert await uow.outbox.pending_count() == 1
        [item] = await uow.outbox.claim(None, T0)
    assert item.notification == notification("LPR-7KQ3-MN:created:off-1")  # the first one, buttons included
    assert item.attempts == 1 and item.created_at == T0 and item.created_at.tzinfo is UTC


async def test_claim_leases_items_until_the_lease_runs_out(uow_factory: UowFactory) -> None:
    await queue(uow_factory, "k1", "k2", "k3")
    assert await claim(uow_factory, T0, lease_seconds=60) == ["k1", "k2", "k3"]
    assert await claim(uow_factory, T0) == []  # same instant: all leased
    assert await claim(uow_factory, T0 + timedelta(seconds=59)) == []
    async with uow_factory() as uow:
        items = await uow.outbox.claim(None, T0 + timedelta(seconds=60), limit=2)
        await uow.commit()
        assert await uow.outbox.pending_count() == 3  # leased items are still pending
    assert [(i.notification.key, i.attempts) for i in items] == [("k1", 2), ("k2", 2)]


async def test_claim_respects_due_time_channels_and_limit(uow_factory: UowFactory) -> None:
    await queue(uow_factory, "t1", "t2", channel="telegram")
    await queue(uow_factory, "w1", channel="whatsapp")
    await queue(uow_factory, "later", now=T0 + timedelta(minutes=5))
    hour = 3600
    assert await claim(uow_factory, T0, set()) == []
    assert await claim(uow_factory, T0, {"whatsapp"}, lease_seconds=hour) == ["w1"]
    assert await claim(uow_factory, T0, {"telegram", "console"}, limit=1, lease_seconds=hour) == ["t1"]
    assert await claim(uow_factory, T0, lease_seconds=hour) == ["t2"]
    assert await claim(uow_factory, T0 + timedelta(minutes=5)) == ["later"]


async def test_mark_sent_and_mark_failed_retry_or_give_up(uow_factory: UowFactory) -> None:
    await queue(uow_factory, "sent", "retry", "dead")
    async with uow_factory() as uow:
        sent, retry, dead = await uow.outbox.claim(None, T0)
        await uow.outbox.mark_sent(sent.id, T0)
        await uow.outbox.mark_failed(retry.id, T0, "429 Too Many Requests", retry_at=T0 + timedelta(minutes=5))
        await uow.outbox.mark_failed(dead.id, T0, "403 bot was blocked by the user", retry_at=None)
        await uow.commit()
        assert await uow.outbox.pending_count() == 1

    assert await claim(uow_factory, T0 + timedelta(minutes=4)) == []  # not before retry_at
    async with uow_factory() as uow:
        [again] = await uow.outbox.claim(None, T0 + timedelta(minutes=5))
        assert (again.notification.key, again.attempts) == ("retry", 2)
        await uow.outbox.mark_sent(again.id, T0 + timedelta(minutes=5))
        await uow.commit()
        assert await uow.outbox.pending_count() == 0
        [failed] = await uow.outbox.failed()
    assert failed.notification.key == "dead" and failed.attempts == 1
    assert failed.last_error == "403 bot was blocked by the user" and failed.failed_at == T0
    assert await claim(uow_factory, T0 + timedelta(days=30)) == []  # sent and failed stay put

    async with uow_factory() as uow:  # an admin puts the failed one back
        assert await uow.outbox.requeue(failed.id, T0 + timedelta(days=1))
        assert not await uow.outbox.requeue(failed.id, T0 + timedelta(days=1))
        await uow.commit()
    assert await claim(uow_factory, T0 + timedelta(days=1)) == ["dead"]


async def test_concurrent_claims_never_share_an_item(uow_factory: UowFactory) -> None:
    keys = [f"k{n:02}" for n in range(20)]
    await queue(uow_factory, *keys)
    results = await asyncio.wait_for(
        asyncio.gather(*(claim(uow_factory, T0, limit=3) for _ in range(8))), timeout=30
    )
    claimed = [key for result in results for key in result]
    assert len(claimed) == len(set(claimed)) == 20
    assert sorted(claimed) == keys


async def test_queued_tells_which_keys_were_queued_whatever_became_of_them(uow_factory: UowFactory) -> None:
    await queue(uow_factory, "k1", "k2")
    async with uow_factory() as uow:
        [item, *_] = await uow.outbox.claim(None, T0, limit=1)
        await uow.outbox.mark_sent(item.id, T0)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.outbox.queued(["k1", "k2", "k3"]) == {"k1", "k2"}  # k1 sent, k2 pending
        assert await uow.outbox.queued(["k3"]) == set()
        assert await uow.outbox.queued([]) == set()


async def test_claim_while_another_transaction_holds_a_claim(uow_factory: UowFactory, backend: str) -> None:
    """A second relay never gets what an uncommitted claim holds. PostgreSQL skips the
    locked rows without waiting; SQLite and the fake make the second relay wait for the first."""
    await queue(uow_factory, "k1", "k2", "k3", "k4")
    async with uow_factory() as first:
        held = [item.notification.key for item in await first.outbox.claim(None, T0, limit=2)]
        second = asyncio.create_task(claim(uow_factory, T0))
        if backend == "postgresql":
            assert await asyncio.wait_for(second, timeout=10) == ["k3", "k4"]
        await first.commit()
    assert held == ["k1", "k2"]
    assert await asyncio.wait_for(second, timeout=30) == ["k3", "k4"]


async def test_outbox_item_queued_for_later_is_not_claimed_before_then(uow_factory: UowFactory) -> None:
    later = T0 + timedelta(hours=2)
    async with uow_factory() as uow:
        assert await uow.outbox.add(notification("reminder"), T0, not_before=later)
        assert await uow.outbox.add(notification("now"), T0, not_before=None)
        await uow.commit()
        assert await uow.outbox.pending_count() == 2
    assert await claim(uow_factory, T0, lease_seconds=86400) == ["now"]
    assert await claim(uow_factory, later - timedelta(microseconds=1)) == []
    async with uow_factory() as uow:
        [item] = await uow.outbox.claim(None, later)
    assert item.notification.key == "reminder" and item.created_at == T0 and item.attempts == 1


# --- escalation sweep and unit summaries --------------------------------------------------


async def sweep(
    uow_factory: UowFactory, now: datetime, limit: int = 200, barrier: asyncio.Barrier | None = None
) -> list[str]:
    """What the escalation sweep does: claim in a unit of work of its own, record the level
    and clear ``next_escalation_at``, commit. The codes claimed. With a barrier, every
    sweep holds its claim until all have claimed."""
    async with uow_factory() as uow:
        claimed = await uow.complaints.claim_due(now, limit)
        if barrier is not None:
            await asyncio.wait_for(barrier.wait(), timeout=10)
        for complaint in claimed:
            complaint.escalation_level += 1
            complaint.next_escalation_at = None
            await uow.complaints.save(complaint)
        await uow.commit()
    return [complaint.code for complaint in claimed]


async def test_claim_due_returns_only_due_complaints_oldest_first(uow_factory: UowFactory) -> None:
    hour = timedelta(hours=1)
    a = make_complaint("LPR-AAAA-A1", next_escalation_at=T0 - hour, evidence=[Evidence("photo", "media/a.jpg")])
    b = make_complaint("LPR-BBBB-B1", next_escalation_at=T0)  # due at exactly now
    c = make_complaint("LPR-CCCC-C1", next_escalation_at=T0 + timedelta(microseconds=1))
    d = make_complaint("LPR-DDDD-D1")  # nothing scheduled
    e = make_complaint("LPR-EEEE-E1", next_escalation_at=(T0 - hour).astimezone(UTC))  # ties with a: by id
    f = make_complaint("LPR-FFFF-F1", next_escalation_at=T0 - 2 * hour, status=Status.DIPROSES)
    await add_complaints(uow_factory, a, b, c, d, e, f)

    async with uow_factory() as uow:
        claimed = await uow.complaints.claim_due(T0)
        assert [x.code for x in claimed] == [f.code, a.code, e.code, b.code]
        assert [x.code for x in await uow.complaints.claim_due(T0, limit=2)] == [f.code, a.code]
        assert await uow.complaints.claim_due(T0, limit=0) == []
        later = await uow.complaints.claim_due(T0 + hour)
        assert [x.code for x in later] == [f.code, a.code, e.code, b.code, c.code]
    assert claimed[1] == a  # loaded whole: audit trail and evidence included
    assert all(len(x.audit) == 1 for x in claimed) and claimed[0].status is Status.DIPROSES


async def test_saved_escalation_schedule_decides_what_is_due(uow_factory: UowFactory) -> None:
    a = make_complaint("LPR-AAAA-A1", next_escalation_at=T0 - timedelta(minutes=1))
    b = make_complaint("LPR-BBBB-B1", next_escalation_at=T0 - timedelta(minutes=1))
    await add_complaints(uow_factory, a, b)
    async with uow_factory() as uow:
        first, second = await uow.complaints.claim_due(T0)
        first.next_escalation_at = None  # escalated for good
        first.escalation_level = 2
        second.next_escalation_at = T0 + timedelta(days=1)  # next level tomorrow
        second.escalation_level = 1
        await uow.complaints.save(first)
        await uow.complaints.save(second)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.complaints.claim_due(T0 + timedelta(hours=23)) == []
        [again] = await uow.complaints.claim_due(T0 + timedelta(days=1))
        assert (again.code, again.escalation_level) == (b.code, 1)
        assert (await uow.complaints.get(a.code)).escalation_level == 2


async def test_concurrent_sweeps_never_share_a_complaint(uow_factory: UowFactory, backend: str) -> None:
    codes = [f"LPR-{n:04}-X1" for n in range(7)]
    due = T0 - timedelta(minutes=5)
    await add_complaints(uow_factory, *(make_complaint(code, next_escalation_at=due) for code in codes))
    # PostgreSQL: both sweeps hold their claims at the same time (SKIP LOCKED splits the
    # work). SQLite and the fake: the second sweep's transaction waits for the first to commit.
    barrier = asyncio.Barrier(2) if backend == "postgresql" else None
    first, second = await asyncio.wait_for(
        asyncio.gather(sweep(uow_factory, T0, 3, barrier), sweep(uow_factory, T0, 3, barrier)), timeout=30
    )
    assert len(first) == len(second) == 3 and not set(first) & set(second)
    assert sorted(first + second) == codes[:6]
    assert await sweep(uow_factory, T0) == codes[6:]


async def test_claim_due_while_another_sweep_holds_a_claim(uow_factory: UowFactory, backend: str) -> None:
    codes = [f"LPR-{n:04}-X1" for n in range(4)]
    await add_complaints(uow_factory, *(make_complaint(code, next_escalation_at=T0) for code in codes))
    async with uow_factory() as first:
        held = await first.complaints.claim_due(T0, limit=2)
        second = asyncio.create_task(sweep(uow_factory, T0))
        if backend == "postgresql":  # skips the locked rows without waiting
            assert await asyncio.wait_for(second, timeout=10) == codes[2:]
        for complaint in held:
            complaint.next_escalation_at = None
            await first.complaints.save(complaint)
        await first.commit()
    assert [x.code for x in held] == codes[:2]
    assert await asyncio.wait_for(second, timeout=30) == codes[2:]


async def test_open_summary_counts_a_units_open_complaints(uow_factory: UowFactory) -> None:
    hour, day = timedelta(hours=1), timedelta(days=1)
    soon_until = T0 + day
    n = iter(range(100))

    def case(status: Status, assignee: str | None, due_at: datetime | None, unit_id: str | None = "pu") -> Complaint:
        return make_complaint(f"LPR-{next(n):04}-S1", status=status, assignee=assignee, due_at=due_at, unit_id=unit_id)

    await add_complaints(
        uow_factory,
        case(Status.DIPROSES, "off-1", T0 - hour),  # overdue
        case(Status.DIDISPOSISIKAN, "off-1", T0 + hour),  # due soon
        case(Status.DITERIMA, None, T0 + 3 * day),  # open, not soon
        case(Status.MENUNGGU_INFORMASI, None, None),  # open, no deadline
        case(Status.MENUNGGU_INFORMASI, "off-3", T0 - day),  # waiting for the complainant: its clock stopped
        case(Status.DIBUKA_KEMBALI, "off-2", T0.astimezone(UTC)),  # due at exactly now: soon, not overdue
        case(Status.DIVERIFIKASI, "off-2", soon_until),  # the window excludes its end
        # not counted: closed statuses, other units, no unit
        case(Status.SELESAI, "off-1", T0 - day),
        case(Status.DITUTUP, None, T0 - day),
        case(Status.DITOLAK, None, T0 - day),
        case(Status.DISALURKAN, "off-3", T0 - day),
        case(Status.DIPROSES, "off-1", T0 - day, unit_id="dlh"),
        case(Status.DIPROSES, None, T0 - day, unit_id=None),
    )
    async with uow_factory() as uow:
        summary = await uow.complaints.open_summary("pu", T0, soon_until)
        assert await uow.complaints.open_summary("nobody", T0, soon_until) == UnitSummary()
    assert (summary.open, summary.due_soon, summary.overdue) == (7, 2, 1)
    assert summary.by_assignee == {"off-1": (2, 1), "off-2": (2, 0), "off-3": (1, 0), None: (2, 0)}


async def test_a_viewers_scope_lists_exactly_the_complaints_the_policy_shows_them(uow_factory: UowFactory) -> None:
    """complaints.visibility.Scope as a query: a unit's disposed cases, a chat's own, all, none."""
    visibility = Visibility("pusat")
    suggested = make_complaint("LPR-SUGG-A1", unit_id="pu")  # suggested for pu, not disposed
    disposed = make_complaint("LPR-DISP-A1", at=T0 + timedelta(hours=1), unit_id="pu", status=Status.DIPROSES)
    disposed.record(AuditEntry(T0, "admin", Role.ADMIN, "status", Status.DITERIMA, Status.DIDISPOSISIKAN))
    rerouted = make_complaint("LPR-MOVE-A1", at=T0 + timedelta(hours=2), unit_id="dlh", status=Status.DIDISPOSISIKAN)
    rerouted.record(AuditEntry(T0, "admin", Role.ADMIN, "status", Status.DITERIMA, Status.DIDISPOSISIKAN))
    mine = make_complaint("LPR-MINE-A1", at=T0 + timedelta(hours=3), sender="2002", unit_id="pu")
    await add_complaints(uow_factory, suggested, disposed, rerouted, mine)
    officer = Actor("off-pu", Role.OFFICER, "pu")
    viewers = {
        "unit officer": officer,
        "central head": Actor("kepala", Role.HEAD, "pusat"),
        "admin": Actor("admin", Role.ADMIN, "pusat"),
        "complainant": Actor("telegram:2002", Role.COMPLAINANT),
        "public": Actor("publik", Role.PUBLIC),
    }
    async with uow_factory() as uow:
        for name, viewer in viewers.items():
            listed = await uow.complaints.find(scope=visibility.scope(viewer))
            everything = await uow.complaints.find()
            shown = [c.code for c in everything if visibility.audience(viewer, c) is not Audience.PUBLIC]
            assert [c.code for c in listed] == shown, name
        assert [c.code for c in await uow.complaints.find(scope=visibility.scope(officer))] == [disposed.code]
        assert await uow.complaints.find(scope=visibility.scope(viewers["public"])) == []


@pytest.mark.sql_only("a CHECK constraint of the schema (followup.score refuses other scores first)")
async def test_skm_score_outside_1_to_4_is_refused(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        with pytest.raises(IntegrityError):
            await uow.complaints.add(make_complaint("LPR-5555-55", skm_score=5))
    async with uow_factory() as uow:
        await uow.complaints.add(make_complaint("LPR-1111-11", skm_score=1))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.complaints.get("LPR-5555-55") is None
        assert (await uow.complaints.get("LPR-1111-11")).skm_score == 1


# --- dialog states ----------------------------------------------------------------------


async def test_dialog_put_get_upsert_delete(uow_factory: UowFactory) -> None:
    state = {"step": "ask_place", "slots": {"category": "jalan", "weight": None}, "retries": 1, "ok": True}
    async with uow_factory() as uow:
        assert await uow.dialogs.get("telegram", "1001") is None
        await uow.dialogs.put("telegram", "1001", state, T0)
        await uow.dialogs.put("whatsapp", "1001", {"step": "start"}, T0)
        await uow.commit()
    async with uow_factory() as uow:
        record = await uow.dialogs.get("telegram", "1001", for_update=True)
        assert record.state == state and record.updated_at == T0 and record.updated_at.tzinfo is UTC
        await uow.dialogs.put("telegram", "1001", {"step": "confirm"}, T0 + timedelta(minutes=1))
        await uow.commit()
    async with uow_factory() as uow:
        record = await uow.dialogs.get("telegram", "1001")
        assert record.state == {"step": "confirm"} and record.updated_at == T0 + timedelta(minutes=1)
        await uow.dialogs.delete("telegram", "1001")
        await uow.dialogs.delete("telegram", "nobody")
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.dialogs.get("telegram", "1001") is None
        assert (await uow.dialogs.get("whatsapp", "1001")).state == {"step": "start"}


# --- unit of work -----------------------------------------------------------------------


async def test_leaving_without_commit_rolls_everything_back(uow_factory: UowFactory) -> None:
    async with uow_factory() as uow:
        await uow.complaints.add(make_complaint())
        await uow.outbox.add(notification("k1"), T0)
        await uow.dialogs.put("telegram", "1001", {"step": "x"}, T0)

    with pytest.raises(RuntimeError, match="boom"):
        async with uow_factory() as uow:
            await uow.dialogs.put("telegram", "1002", {"step": "x"}, T0)
            raise RuntimeError("boom")

    async with uow_factory() as uow:
        await uow.outbox.add(notification("k2"), T0)
        await uow.rollback()
        await uow.dialogs.put("telegram", "1003", {"step": "kept"}, T0)
        await uow.commit()
        await uow.outbox.add(notification("k3"), T0)  # after the commit: not committed

    async with uow_factory() as uow:
        assert await uow.complaints.get("LPR-7KQ3-MN") is None
        assert await uow.outbox.pending_count() == 0
        assert await uow.dialogs.get("telegram", "1001") is None
        assert await uow.dialogs.get("telegram", "1002") is None
        assert (await uow.dialogs.get("telegram", "1003")).state == {"step": "kept"}


async def test_no_other_unit_of_work_sees_what_is_not_committed(uow_factory: UowFactory, backend: str) -> None:
    """A reader started while a writer holds uncommitted changes never sees them: on
    PostgreSQL it reads the last committed state at once; on SQLite and the fake it waits
    for the writer's transaction to end, then reads what was committed."""

    async def look() -> tuple[bool, int, bool]:
        async with uow_factory() as uow:
            return (await uow.complaints.get("LPR-7KQ3-MN") is not None, await uow.outbox.pending_count(),
                    await uow.dialogs.get("telegram", "1001") is not None)

    nothing = (False, 0, False)
    for commit in (False, True):  # rolled back, then committed
        async with uow_factory() as writer:
            await writer.complaints.add(make_complaint())
            await writer.outbox.add(notification("k1"), T0)
            await writer.dialogs.put("telegram", "1001", {"step": "x"}, T0)
            reader = asyncio.create_task(look())
            if backend == "postgresql":
                assert await asyncio.wait_for(reader, timeout=10) == nothing
            await (writer.commit() if commit else writer.rollback())
        seen = await asyncio.wait_for(reader, timeout=30)
        assert seen == (nothing if backend == "postgresql" or not commit else (True, 1, True))


# --- migrations -------------------------------------------------------------------------


@pytest.mark.sql_only("the schema's migrations")
async def test_migrations_are_idempotent_and_match_the_tables(engine: AsyncEngine) -> None:
    await upgrade(engine)
    await upgrade(engine)
    assert await current_revision(engine) == head_revision() is not None
    async with engine.connect() as conn:
        differences = await conn.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
        )
        assert differences == []
        if engine.dialect.name == "postgresql":
            schema = (await conn.execute(text("SELECT current_schema()"))).scalar_one()
            assert schema.startswith("test_")
            where = text("SELECT table_schema FROM information_schema.tables WHERE table_name = 'alembic_version'")
            assert schema in (await conn.execute(where)).scalars().all()
            assert (await conn.execute(text("SELECT count(*) FROM alembic_version"))).scalar_one() == 1


ADDED_IN_0002 = (
    "assignee",
    "escalation_level",
    "next_escalation_at",
    "paused_at",
    "reopen_count",
    "satisfied",
    "skm_score",
    "rated_at",
)
ADDED_SINCE = ("ongoing", "category_origin", "category_confidence", "text_fingerprint",  # 0007, 0008, 0009
               "supporter_count", "running_due_at", "media_url", "address_id")  # 0010, 0012, 0015


async def complaint_columns(engine) -> set[str]:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda sync: {c["name"] for c in sa_inspect(sync).get_columns("complaints")})


async def row_of_older_schema(engine, revision: str, added: tuple[str, ...]) -> Complaint:
    """Migrate to ``revision``, write a complaint (and its audit trail) as that schema
    would, without the columns ``added`` later; then migrate to the head."""
    await upgrade(engine, revision)
    old = make_complaint()
    async with engine.begin() as conn:
        values = {k: v for k, v in mapping.complaint_values(old).items() if k not in added}
        old.id = (await conn.execute(complaints.insert().values(**values).returning(complaints.c.id))).scalar_one()
        await conn.execute(complaint_events.insert(), [mapping.event_values(old.id, e) for e in old.audit])
    await upgrade(engine)
    return old


async def downgrade_keeps_the_rows(engine, revision: str) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))
    async with engine.connect() as conn:  # nothing lost, audit trail included
        assert (await conn.execute(select(func.count()).select_from(complaint_events))).scalar_one() == 1


@pytest.mark.sql_only("the schema's migrations")
async def test_0007_reads_existing_complaints_as_not_ongoing_and_downgrades_cleanly(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        old = await row_of_older_schema(engine, "0006", ADDED_SINCE)
        async with SqlUnitOfWork(engine) as uow:
            loaded = await uow.complaints.get(old.code)
            assert loaded == old and loaded is not None and loaded.ongoing is False
            loaded.ongoing = True
            await uow.complaints.save(loaded)
            await uow.commit()
        async with SqlUnitOfWork(engine) as uow:
            assert (await uow.complaints.get(old.code)).ongoing is True
        await downgrade_keeps_the_rows(engine, "0006")
        assert "ongoing" not in await complaint_columns(engine)
    finally:
        await engine.dispose()


@pytest.mark.sql_only("the schema's migrations")
async def test_0008_reads_existing_complaints_as_given_and_downgrades_cleanly(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        old = await row_of_older_schema(engine, "0007", ADDED_SINCE[1:])
        async with SqlUnitOfWork(engine) as uow:
            loaded = await uow.complaints.get(old.code)
            assert loaded is not None and loaded == old
            assert loaded.category_origin is CategoryOrigin.GIVEN and loaded.category_confidence is None
            loaded.category_origin, loaded.category_confidence = CategoryOrigin.CITIZEN, 0.42
            await uow.complaints.save(loaded)
            await uow.commit()
        async with SqlUnitOfWork(engine) as uow:
            again = await uow.complaints.get(old.code)
            assert again is not None and (again.category_origin, again.category_confidence) == (CategoryOrigin.CITIZEN, 0.42)
        await downgrade_keeps_the_rows(engine, "0007")
        assert not {"category_origin", "category_confidence"} & await complaint_columns(engine)
    finally:
        await engine.dispose()


@pytest.mark.sql_only("the schema's migrations")
async def test_0002_keeps_existing_rows_and_downgrades_cleanly(database_url: str) -> None:
    engine = create_engine(database_url)

    async def downgrade(revision: str) -> None:
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))

    async def column_names() -> set[str]:
        async with engine.connect() as conn:
            return await conn.run_sync(lambda sync: {c["name"] for c in sa_inspect(sync).get_columns("complaints")})

    try:
        await upgrade(engine, "0001")
        old = make_complaint()
        async with engine.begin() as conn:  # a row written by the 0001 schema
            values = {k: v for k, v in mapping.complaint_values(old).items()
                      if k not in ADDED_IN_0002 and k not in ADDED_SINCE}
            old.id = (await conn.execute(complaints.insert().values(**values).returning(complaints.c.id))).scalar_one()
            await conn.execute(complaint_events.insert(), [mapping.event_values(old.id, e) for e in old.audit])
        await upgrade(engine)
        async with SqlUnitOfWork(engine) as uow:
            assert await uow.complaints.get(old.code) == old  # the new fields have their defaults
            assert await uow.complaints.claim_due(T0 + timedelta(days=365)) == []

        await downgrade("0001")
        assert await current_revision(engine) == "0001"
        assert not set(ADDED_IN_0002) & await column_names()
        async with engine.connect() as conn:  # nothing lost, audit trail included
            assert (await conn.execute(select(func.count()).select_from(complaint_events))).scalar_one() == 1
        await upgrade(engine)
        assert set(ADDED_IN_0002) <= await column_names()
    finally:
        await engine.dispose()


@pytest.mark.sql_only("SQLite's connection settings")
async def test_sqlite_connection_settings(engine: AsyncEngine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    async with engine.connect() as conn:
        names = ("journal_mode", "foreign_keys", "busy_timeout")
        pragmas = [(await conn.exec_driver_sql(f"PRAGMA {name}")).scalar_one() for name in names]
        assert pragmas == ["wal", 1, 10000]
        assert (await conn.execute(select(func.count()).select_from(complaint_events))).scalar_one() == 0


async def test_inbox_records_each_delivery_once_and_knows_the_last_message(uow_factory):
    first, later = datetime(2026, 11, 23, 1, 0, tzinfo=UTC), datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
    async with uow_factory() as uow:
        assert await uow.inbox.first_time("telegram", "1001", "555", first)
        assert not await uow.inbox.first_time("telegram", "1001", "555", later)
        assert await uow.inbox.first_time("whatsapp", "1001", "62812", later)  # ids are per channel
        assert await uow.inbox.first_time("telegram", "1002", "555", later)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.inbox.last_inbound("telegram", "555") == later
        assert await uow.inbox.last_inbound("telegram", "nobody") is None


async def test_inbox_arrival_dedupes_counts_the_senders_recent_deliveries_and_reads_the_dialog(uow_factory):
    t0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)

    async def recent(channel: str, update_id: str, sender: str, now: datetime, since: datetime) -> int | None:
        arrival = await uow.inbox.arrive(channel, update_id, sender, now, since)
        return None if arrival is None else arrival.recent

    async with uow_factory() as uow:
        assert await recent("telegram", "1", "555", t0, t0 - timedelta(minutes=1)) == 1
        assert await recent("telegram", "2", "555", t0 + timedelta(seconds=10), t0 - timedelta(minutes=1)) == 2
        assert await recent("telegram", "3", "666", t0 + timedelta(seconds=20), t0) == 1  # per sender
        assert await recent("whatsapp", "4", "555", t0 + timedelta(seconds=20), t0) == 1  # per channel
        # only what came after, not at, "since" counts, this delivery included
        assert await recent("telegram", "5", "555", t0 + timedelta(seconds=30), t0) == 2
        assert await recent("telegram", "2", "555", t0 + timedelta(seconds=40), t0) is None  # a repeat
        await uow.dialogs.put("telegram", "555", {"step": "place", "draft": {"description": "jalan bolong"}}, t0)
        await uow.commit()
    async with uow_factory() as uow:  # the repeat wrote nothing: three before this one; the dialog comes along
        arrival = await uow.inbox.arrive("telegram", "6", "555", t0 + timedelta(seconds=50), t0 - timedelta(minutes=1))
        assert arrival is not None and arrival.recent == 4
        assert arrival.dialog == DialogRecord({"step": "place", "draft": {"description": "jalan bolong"}}, t0)
        other = await uow.inbox.arrive("telegram", "7", "666", t0 + timedelta(seconds=50), t0)
        assert other is not None and other.dialog is None  # someone else's dialog is not theirs
        assert await uow.inbox.arrive("telegram", "6", "555", t0 + timedelta(minutes=1), t0) is None


async def test_arrivals_of_one_sender_at_once_lose_no_dialog_update(uow_factory):
    """The dialog read by ``arrive`` is held until commit (PostgreSQL: FOR UPDATE; SQLite:
    the write lock): updates of one citizen in the middle of a report, handled at once by
    several workers, all count."""
    t0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    async with uow_factory() as uow:
        await uow.dialogs.put("telegram", "555", {"seen": [0]}, t0)
        await uow.commit()

    async def turn(n: int) -> None:
        async with uow_factory() as uow:
            arrival = await uow.inbox.arrive("telegram", f"u{n}", "555", t0, t0 - timedelta(minutes=1))
            assert arrival is not None and arrival.dialog is not None
            seen = arrival.dialog.state["seen"]
            await asyncio.sleep(0)  # let the others reach their arrival meanwhile
            await uow.dialogs.put("telegram", "555", {"seen": [*seen, n]}, t0)
            await uow.commit()

    await asyncio.wait_for(asyncio.gather(*(turn(n) for n in range(1, 6))), timeout=30)
    async with uow_factory() as uow:
        record = await uow.dialogs.get("telegram", "555")
    assert record is not None and sorted(record.state["seen"]) == [0, 1, 2, 3, 4, 5]


# --- supporters and the similar-complaint candidates ------------------------------------------


async def test_supporters_round_trip_change_and_are_listed_for_their_chat(uow_factory: UowFactory) -> None:
    from complaints.model import Support, SupportChange, Supporter

    backer = Supporter("whatsapp", "6281111111111", PrivacyMode.BIASA, T0, name="Joko", phone="+6281111111111")
    quiet = Supporter("telegram", "77", PrivacyMode.ANONIM, T0, name="dropped", phone="+6282222222222")
    assert quiet.name is None and quiet.phone is None  # an anonymous supporter keeps nothing
    first = make_complaint("LPR-2222-23", supporters=[backer])
    first.record(AuditEntry(T0, backer.id, Role.COMPLAINANT, AuditKind.SUPPORT, None, None, "saya juga",
                            facts=Support(SupportChange.JOINED, backer.id)))
    await add_complaints(uow_factory, first, make_complaint("LPR-2222-24"))
    async with uow_factory() as uow:
        loaded = await uow.complaints.get("LPR-2222-23", for_update=True)
        assert loaded == first and loaded.supporters == [backer]
        loaded.supporters.append(quiet)
        loaded.supporters[0].satisfied, loaded.supporters[0].rated_at = True, T0 + timedelta(days=3)
        await uow.complaints.save(loaded)
        await uow.commit()
    async with uow_factory() as uow:
        again = await uow.complaints.get("LPR-2222-23")
        assert [s.id for s in again.supporters] == [backer.id, quiet.id]
        assert again.supporters[0].satisfied is True and again.supporters[1].name is None
        assert [c.code for c in await uow.complaints.list_supported("telegram", "77")] == ["LPR-2222-23"]
        assert await uow.complaints.list_supported("telegram", "1001") == []  # the complainant supports nothing
        again.supporters = again.supporters[1:]
        await uow.complaints.save(again)
        await uow.commit()
    async with uow_factory() as uow:
        assert [s.id for s in (await uow.complaints.get("LPR-2222-23")).supporters] == [quiet.id]
        assert await uow.complaints.list_supported("whatsapp", "6281111111111") == []


async def test_similar_candidates_are_of_the_category_place_statuses_and_window(uow_factory: UowFactory) -> None:
    from complaints.similarity import Box, SimilarQuery
    from complaints.workflow import OPEN

    here = Place("gg 5", "35.78.04.1001", "Kebraon", -7.3300, 112.7000)
    near = Place("gg 6", "35.78.04.1002", "Kedurus", -7.3305, 112.7004)  # ~70 m away, another kelurahan
    far = Place("gg 9", "35.78.04.1002", "Kedurus", -7.3400, 112.7100)
    lamp = Category.PENERANGAN
    await add_complaints(
        uow_factory,
        make_complaint("LPR-3333-31", category=lamp, place=here),
        make_complaint("LPR-3333-32", category=lamp, place=near, at=T0 + timedelta(days=1)),
        make_complaint("LPR-3333-33", category=lamp, place=far),
        make_complaint("LPR-3333-34", category=Category.JALAN, place=here),
        make_complaint("LPR-3333-35", category=lamp, place=here, status=Status.SELESAI),
        make_complaint("LPR-3333-36", category=lamp, place=here, at=T0 - timedelta(days=61)),
    )
    query = SimilarQuery(lamp, T0 - timedelta(days=60), OPEN, "35.78.04.1001", Box.around(-7.33, 112.70, 150), 10)
    async with uow_factory() as uow:
        found = await uow.complaints.similar_candidates(query)
        assert [c.code for c in found] == ["LPR-3333-32", "LPR-3333-31"]  # newest first
        assert found[1].owner == "telegram:1001" and found[1].place_detail == "gg 5"
        by_region = await uow.complaints.similar_candidates(SimilarQuery(lamp, query.since, OPEN, "35.78.04.1001",
                                                                         None, 10))
        assert [c.code for c in by_region] == ["LPR-3333-31"]
        assert await uow.complaints.similar_candidates(SimilarQuery(lamp, query.since, OPEN, None, None, 10)) == []


# --- senders (complaints.spam) --------------------------------------------------------------


async def test_blocks_count_attempts_and_keep_their_history(uow_factory: UowFactory) -> None:
    who, other = SenderId("telegram", "5005"), SenderId("whatsapp", "628123")
    async with uow_factory() as uow:
        assert await uow.senders.attempt("telegram", "5005", T0) is None  # not blocked: nothing written
        assert await uow.senders.block(who, "spam", "admin-1", T0)
        assert not await uow.senders.block(who, "lagi", "admin-1", T0)  # blocked already: nothing written
        assert await uow.senders.block(other, "iseng", "admin-2", T0 + timedelta(minutes=1))
        await uow.commit()
    async with uow_factory() as uow:
        assert [await uow.senders.attempt("telegram", "5005", T0 + timedelta(hours=h)) for h in (1, 2)] == [1, 2]
        await uow.commit()
    async with uow_factory() as uow:
        got = await uow.senders.get(who)
        assert got is not None and (got.attempts, got.last_attempt_at, got.reason) == (2, T0 + timedelta(hours=2), "spam")
        assert got.blocked_at == T0 and got.blocked_at.tzinfo is not None
        assert [b.who for b in await uow.senders.blocked()] == [other, who]  # the latest block first
        assert await uow.senders.unblock(who, "maaf", "admin-1", T0 + timedelta(days=1))
        assert not await uow.senders.unblock(who, "maaf", "admin-1", T0 + timedelta(days=1))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.senders.attempt("telegram", "5005", T0 + timedelta(days=2)) is None
        assert [(e.action, e.reason) for e in await uow.senders.history(who)] == [
            (SenderAction.UNBLOCKED, "maaf"), (SenderAction.BLOCKED, "spam")]
        assert len(await uow.senders.history()) == 3
        assert await uow.senders.remind(who, T0, T0 - timedelta(hours=12))
        assert not await uow.senders.remind(who, T0 + timedelta(hours=1), T0 - timedelta(hours=11))
        assert await uow.senders.remind(who, T0 + timedelta(hours=13), T0 + timedelta(hours=1))


async def test_what_a_chat_filed_lately_and_the_same_text_from_others(uow_factory: UowFactory) -> None:
    def filed(code: str, sender: str, minutes: int, text: str) -> Complaint:
        complaint = make_complaint(code, at=T0 + timedelta(minutes=minutes), sender=sender)
        complaint.description = text
        return complaint

    await add_complaints(uow_factory, filed("LPR-AAAA-22", "1", 0, "Jalan rusak!!"),
                         filed("LPR-AAAA-33", "2", 5, "jalan   RUSAK"), filed("LPR-AAAA-44", "1", 9, "lampu mati"))
    async with uow_factory() as uow:
        assert await uow.senders.filed_since("telegram", "1", T0) == 2
        assert await uow.senders.filed_since("telegram", "1", T0 + timedelta(minutes=1)) == 1
        copies = await uow.senders.same_text_since(fingerprint("jalan rusak"), T0)
        assert [(c.code, c.who) for c in copies] == [("LPR-AAAA-22", SenderId("telegram", "1")),
                                                      ("LPR-AAAA-33", SenderId("telegram", "2"))]
        assert await uow.senders.same_text_since(fingerprint("jalan rusak"), T0 + timedelta(minutes=6)) == []

"""The use cases (complaints.usecases, complaints.sweep) and the outbox relay on the
in-memory unit of work (tests/fakes/uow.py): no database, fixed clocks, milliseconds.

The fake passes the same storage contract as SQLite and PostgreSQL
(tests/storage/test_storage_contract.py), so what holds here holds on them; the end-to-end paths
through the chat, the command line and the API are tested on the databases elsewhere.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaints.errors import DomainError, IllegalTransition, NotAuthorised, StorageUnavailable
from complaints.model import Actor, Complainant, Complaint, Evidence, Place
from complaints.notifications import Notification
from complaints.sweep import Sweeper
from complaints.taxonomy import Category, PrivacyMode, Role, Status
from complaints.usecases import casework, filing, followup
from complaints.usecases.context import CaseContext, FixedContext
from scheduler.jobs import Jobs
from scheduler.relay import OutboxRelay
from tests.chat_harness import RecordingSender
from tests.fakes.uow import MemoryStore

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
CODE = re.compile(r"LPR-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}")
CITIZEN = Actor("console:warga-1", Role.COMPLAINANT)


def at(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def sweeper(ctx: CaseContext, store: MemoryStore) -> Sweeper:
    return Sweeper(FixedContext(ctx), store.uow)


def officer(ctx: CaseContext, officer_id: str) -> Actor:
    return ctx.org.officers[officer_id].actor


def new_complaint(sender: str = "warga-1", **fields: object) -> Complaint:
    complaint = Complaint(code="", description="sampah menumpuk di depan pasar", channel="console", sender=sender,
                          created_at=MONDAY, category=Category.SAMPAH,
                          place=Place("depan pasar", "35.78.04.1001", "Wonokromo"),
                          complainant=Complainant("Siti Aminah", "+6281234567890"))
    for name, value in fields.items():
        setattr(complaint, name, value)
    return complaint


async def file(ctx: CaseContext, store: MemoryStore, now: datetime = MONDAY, **fields: object) -> str:
    complaint = new_complaint(**fields)
    async with store.uow() as uow:
        await filing.submit(ctx, uow, complaint, now)
        await uow.commit()
    return complaint.code


async def move(ctx: CaseContext, store: MemoryStore, code: str, target: Status, by: str, now: datetime,
               note: str = "", **kwargs: str) -> None:
    async with store.uow() as uow:
        await casework.change_status(ctx, uow, code, target, officer(ctx, by), now, note, **kwargs)
        await uow.commit()


async def load(store: MemoryStore, code: str) -> Complaint:
    async with store.uow() as uow:
        complaint = await uow.complaints.get(code)
    assert complaint is not None
    return complaint


async def delivered(store: MemoryStore, now: datetime) -> list[Notification]:
    """What the outbox relay (scheduler/relay.py) sends at ``now``."""
    sender = RecordingSender()
    await OutboxRelay(store.uow, {"console": sender}).drain(now)
    return sender.sent


def pending(store: MemoryStore) -> Iterator[Notification]:
    """The committed outbox, read off the fake without claiming anything."""
    return (row.notification for row in store.tables.outbox.values() if row.status == "pending")


async def disposed_to_dlh(ctx: CaseContext, store: MemoryStore) -> str:
    code = await file(ctx, store)
    await move(ctx, store, code, Status.DIDISPOSISIKAN, "admin-pusat", at(23, 10))
    await move(ctx, store, code, Status.DIPROSES, "petugas-dlh", at(23, 11), "Tim menuju lokasi")
    return code


# --- filing -----------------------------------------------------------------------------------


async def test_submit_files_the_complaint_and_queues_the_verifiers_notice_in_one_transaction(
    ctx: CaseContext, store: MemoryStore
) -> None:
    async with store.uow() as uow:  # not committed: nothing stays
        await filing.submit(ctx, uow, new_complaint(), MONDAY)
    async with store.uow() as uow:
        assert await uow.complaints.find() == [] and await uow.outbox.pending_count() == 0

    code = await file(ctx, store)
    filed = await load(store, code)
    assert CODE.fullmatch(code) and filed.status is Status.DITERIMA and filed.unit_id == "dlh"
    assert filed.due_at == datetime(2026, 11, 26, 23, 59, 59, tzinfo=WIB)  # 3 working days to verify
    assert filed.next_escalation_at == at(26, 0)  # the reminder, on the deadline's day
    assert filed.complainant.name == "Siti Aminah" and len(filed.audit) == 1
    assert [(n.key, n.recipient) for n in pending(store)] == [(f"{code}:created:admin-pusat", "admin-pusat")]
    assert [n.recipient for n in await delivered(store, MONDAY)] == ["admin-pusat"]
    assert await delivered(store, MONDAY) == []  # exactly once


async def test_an_anonymous_complaint_keeps_no_name_or_contact(ctx: CaseContext, store: MemoryStore) -> None:
    code = await file(ctx, store, privacy=PrivacyMode.ANONIM)
    assert (await load(store, code)).complainant == Complainant()


async def test_codes_are_unique_among_many_filings(ctx: CaseContext, store: MemoryStore) -> None:
    codes = [await file(ctx, store, sender=f"warga-{n}") for n in range(200)]
    assert len(set(codes)) == 200
    async with store.uow() as uow:
        assert [c.code for c in await uow.complaints.list_by_sender("console", "warga-7")] == [codes[7]]
        assert len(await uow.complaints.find(statuses=frozenset({Status.DITERIMA}), limit=500)) == 200


# --- moving through the statuses ----------------------------------------------------------------


async def test_disposition_tells_the_complainant_and_the_unit(ctx: CaseContext, store: MemoryStore) -> None:
    code = await file(ctx, store)
    await delivered(store, MONDAY)
    await move(ctx, store, code, Status.DIDISPOSISIKAN, "admin-pusat", at(24, 10))
    disposed = await load(store, code)
    assert disposed.status is Status.DIDISPOSISIKAN and disposed.escalation_level == 0
    assert disposed.due_at == datetime(2026, 12, 1, 23, 59, 59, tzinfo=WIB)  # 5 working days to follow up
    assert {n.recipient for n in await delivered(store, at(24, 10))} == {"warga-1", "petugas-dlh"}


async def test_a_refused_move_changes_nothing(ctx: CaseContext, store: MemoryStore) -> None:
    code = await file(ctx, store)
    await move(ctx, store, code, Status.DIDISPOSISIKAN, "admin-pusat", at(23, 10))
    before, queued = await load(store, code), list(pending(store))
    refusals: list[tuple[type[DomainError], Status, str, str]] = [
        (NotAuthorised, Status.DITOLAK, "petugas-dlh", "bukan wewenang"),  # only the admin rejects
        (NotAuthorised, Status.DIPROSES, "petugas-dishub", "saya ambil"),  # not their unit's case
        (IllegalTransition, Status.DIPROSES, "petugas-dlh", ""),  # the first follow-up needs a note
        (IllegalTransition, Status.DIVERIFIKASI, "admin-pusat", ""),  # no way back: not a row of the table
    ]
    for error, target, by, note in refusals:
        with pytest.raises(error):
            await move(ctx, store, code, target, by, at(23, 11), note)
    with pytest.raises(DomainError, match="bad_unit"):
        await move(ctx, store, code, Status.DIPROSES, "admin-pusat", at(23, 11), "dicek", unit_id="dlh")
    assert await load(store, code) == before and list(pending(store)) == queued


async def test_waiting_for_the_complainant_pauses_the_clock_and_their_answer_resumes_it(
    ctx: CaseContext, store: MemoryStore, sweeper: Sweeper
) -> None:
    code = await disposed_to_dlh(ctx, store)
    before = (await load(store, code)).resolve_due_at
    assert before is not None
    await move(ctx, store, code, Status.MENUNGGU_INFORMASI, "petugas-dlh", at(23, 12), "Di sisi mana pasarnya?")
    assert (await load(store, code)).next_escalation_at is None
    assert (await sweeper.sweep(at(23, 12) + timedelta(days=90))).escalated == []
    await delivered(store, at(23, 12))

    async with store.uow() as uow:
        waiting = await followup.waiting_for(uow, "console", "warga-1")
        assert waiting is not None and waiting.code == code
        photo = Evidence("photo", "media/pasar.jpg", "sisi utara")
        await followup.provide_info(ctx, uow, waiting, "sisi utara, dekat parkir", [photo], at(30, 12))
        await uow.commit()
    resumed = await load(store, code)
    assert resumed.status is Status.DIPROSES and resumed.evidence == [photo]
    assert resumed.resolve_due_at == before + timedelta(days=7)  # the week of waiting given back
    assert resumed.due_at == resumed.resolve_due_at and resumed.next_escalation_at is not None
    told = await delivered(store, at(30, 12))
    assert [n.recipient for n in told] == ["petugas-dlh"] and "sisi utara" in told[0].text


# --- the complainant's rating -------------------------------------------------------------------


async def test_tidak_puas_reopens_one_level_higher_and_puas_closes_with_one_score(
    ctx: CaseContext, store: MemoryStore
) -> None:
    code = await disposed_to_dlh(ctx, store)
    await move(ctx, store, code, Status.SELESAI, "petugas-dlh", at(24, 10), "Sampah sudah diangkut")
    answer = [n for n in await delivered(store, at(24, 10)) if n.recipient == "warga-1"][-1]
    assert len(answer.buttons) == 2  # puas / tidak puas

    async with store.uow() as uow:
        assert [c.code for c in await followup.awaiting_rating(uow, "console", "warga-1")] == [code]
        with pytest.raises(NotAuthorised):  # only the complainant rates
            await followup.rate(ctx, uow, code, officer(ctx, "petugas-dlh"), True, at(25, 10))
        await followup.rate(ctx, uow, code, CITIZEN, False, at(25, 10))
        await uow.commit()
    reopened = await load(store, code)
    assert (reopened.status, reopened.escalation_level, reopened.reopen_count) == (Status.DIBUKA_KEMBALI, 2, 1)
    assert [n.recipient for n in await delivered(store, at(25, 10))] == ["supervisor-dlh"]

    await move(ctx, store, code, Status.SELESAI, "petugas-dlh", at(26, 10), "Sudah dibersihkan ulang")
    async with store.uow() as uow:
        await followup.rate(ctx, uow, code, CITIZEN, True, at(27, 10))
        await followup.score(ctx, uow, code, CITIZEN, 3, at(27, 10))
        with pytest.raises(DomainError, match="not_scoreable"):
            await followup.score(ctx, uow, code, CITIZEN, 4, at(27, 11))
        await uow.commit()
    closed = await load(store, code)
    assert (closed.status, closed.satisfied, closed.skm_score) == (Status.DITUTUP, True, 3)
    assert closed.next_escalation_at is None and closed.rated_at == at(27, 10)


# --- the sweep --------------------------------------------------------------------------------


async def test_each_escalation_level_is_sent_once_at_its_time(
    ctx: CaseContext, store: MemoryStore, sweeper: Sweeper
) -> None:
    code = await file(ctx, store)  # verification due Thursday 26 November, end of day
    await delivered(store, MONDAY)
    assert (await sweeper.sweep(at(25, 15))).escalated == []
    assert (await sweeper.sweep(at(26, 8, 30))).escalated == [(code, 1)]  # the deadline's day
    assert (await sweeper.sweep(at(26, 14))).escalated == []
    assert [n.recipient for n in await delivered(store, at(26, 14))] == ["admin-pusat"]
    assert (await sweeper.sweep(at(27, 9))).escalated == [(code, 2)]  # past the deadline
    assert [n.recipient for n in await delivered(store, at(27, 9))] == ["kepala-pusat"]
    assert (await sweeper.sweep(at(28, 10))).escalated == [(code, 3)]  # a working day later
    for later in (at(28, 11), at(30, 9), at(10, 9, month=12)):
        assert (await sweeper.sweep(later)).escalated == []
    escalated = await load(store, code)
    assert escalated.escalation_level == 3 and escalated.next_escalation_at is None


async def test_two_sweeps_at_once_escalate_each_complaint_once(
    ctx: CaseContext, store: MemoryStore
) -> None:
    codes = [await file(ctx, store, sender=f"warga-{n}") for n in range(40)]
    await delivered(store, MONDAY)
    first, second = Sweeper(FixedContext(ctx), store.uow, batch_size=7), Sweeper(FixedContext(ctx), store.uow, batch_size=7)
    reports = await asyncio.gather(first.sweep(at(30, 9)), second.sweep(at(30, 9)))
    escalated = [item for report in reports for item in report.escalated]
    assert sorted(escalated) == sorted((code, 3) for code in codes)
    sent = await delivered(store, at(30, 9))
    assert sorted(n.complaint_code or "" for n in sent) == sorted(codes)


async def test_a_resolved_case_nobody_rates_closes_itself(
    ctx: CaseContext, store: MemoryStore, sweeper: Sweeper
) -> None:
    code = await disposed_to_dlh(ctx, store)
    await move(ctx, store, code, Status.SELESAI, "petugas-dlh", at(24, 10), "Sampah sudah diangkut")
    await delivered(store, at(24, 10))
    assert (await sweeper.sweep(at(8, 12, month=12))).closed == []  # the 10th working day is 8 December
    report = await sweeper.sweep(at(9, 0, 1, month=12))
    assert report.closed == [code] and [n.recipient for n in report.queued] == ["warga-1"]
    closed = await load(store, code)
    assert closed.status is Status.DITUTUP and closed.satisfied is None and closed.next_escalation_at is None


async def test_the_digest_is_queued_once_a_day(ctx: CaseContext, store: MemoryStore, sweeper: Sweeper) -> None:
    late = await file(ctx, store, now=at(16, 9))
    await move(ctx, store, late, Status.DIDISPOSISIKAN, "admin-pusat", at(16, 10))  # follow-up due 23 Nov
    fresh = await file(ctx, store, sender="warga-2")
    await move(ctx, store, fresh, Status.DIDISPOSISIKAN, "admin-pusat", at(23, 10))
    await delivered(store, at(23, 12))
    queued = await sweeper.digest(at(24, 7))
    [dlh] = [n for n in queued if n.recipient == "supervisor-dlh"]
    assert "Laporan terbuka: 2" in dlh.text and "Lewat batas waktu: 1" in dlh.text
    assert await sweeper.digest(at(24, 7, 5)) == []
    assert await delivered(store, at(24, 7, 30)) == []  # held until working hours
    assert [n.recipient for n in await delivered(store, at(24, 8))].count("supervisor-dlh") == 1


async def test_a_sweep_while_the_database_is_down_is_postponed_and_loses_nothing(
    ctx: CaseContext, store: MemoryStore, sweeper: Sweeper
) -> None:
    code = await file(ctx, store)
    await delivered(store, MONDAY)
    now = at(27, 9)
    jobs = Jobs(sweeper, OutboxRelay(store.uow, {"console": RecordingSender()}), clock=lambda: now)
    store.available = False
    with pytest.raises(StorageUnavailable):
        await sweeper.sweep(now)
    await jobs.sweep()  # the scheduler's job logs it and waits for its next run
    await jobs.deliver()
    store.available = True
    assert (await load(store, code)).escalation_level == 0
    assert (await sweeper.sweep(now)).escalated == [(code, 2)]
    assert [n.recipient for n in await delivered(store, now)] == ["kepala-pusat"]

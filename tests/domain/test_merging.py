"""Merging duplicates (complaints.usecases.merging) on the in-memory unit of work: the
duplicate is rejected with its reason, its people wait on the kept case, its files move,
its clock stops; an unmerge puts everything back; every refusal changes nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from complaints.errors import DomainError, IllegalTransition, NotAuthorised, NotFound
from complaints.model import (
    Actor,
    AuditKind,
    Complainant,
    Complaint,
    Evidence,
    Place,
    Rejection,
    RejectionReason,
    SupportChange,
    Supporter,
)
from complaints.notifications import Notification
from complaints.taxonomy import Category, PrivacyMode, Status
from complaints.usecases import casework, filing, merging, supporting
from complaints.usecases.context import CaseContext
from tests.fakes.uow import MemoryStore

WIB = ZoneInfo("Asia/Jakarta")
PHOTO = Evidence("photo", "media/pasar-2.jpg", "tumpukan di sisi utara")


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=WIB)  # Monday 23 November 2026 is day 23


def by(ctx: CaseContext, officer_id: str) -> Actor:
    return ctx.org.officers[officer_id].actor


async def file(ctx: CaseContext, store: MemoryStore, sender: str, description: str, now: datetime,
               evidence: list[Evidence] | None = None) -> str:
    complaint = Complaint(code="", description=description, channel="console", sender=sender, created_at=now,
                          category=Category.SAMPAH, place=Place("depan pasar", "35.78.04.1001", "Wonokromo"),
                          complainant=Complainant("Siti Aminah", "+6281234567890"), evidence=list(evidence or []))
    async with store.uow() as uow:
        await filing.submit(ctx, uow, complaint, now)
        await uow.commit()
    return complaint.code


async def load(store: MemoryStore, code: str) -> Complaint:
    async with store.uow() as uow:
        complaint = await uow.complaints.get(code)
    assert complaint is not None
    return complaint


def pending(store: MemoryStore) -> list[Notification]:
    return [row.notification for row in store.tables.outbox.values() if row.status == "pending"]


async def merge(ctx: CaseContext, store: MemoryStore, code: str, into: str, officer: str, now: datetime) -> None:
    async with store.uow() as uow:
        await merging.merge(ctx, uow, code, into, by(ctx, officer), now)
        await uow.commit()


async def unmerge(ctx: CaseContext, store: MemoryStore, code: str, now: datetime) -> None:
    async with store.uow() as uow:
        await merging.unmerge(ctx, uow, code, by(ctx, "admin-pusat"), now)
        await uow.commit()


@pytest.fixture
async def two(ctx: CaseContext, store: MemoryStore) -> tuple[str, str]:
    """The same heap of rubbish reported twice: the first case is kept, the second (with a photo) is the duplicate."""
    kept = await file(ctx, store, "warga-1", "sampah menumpuk di depan pasar wonokromo", at(23))
    duplicate = await file(ctx, store, "warga-2", "tumpukan sampah depan pasar wonokromo bau sekali", at(23, 11),
                           [PHOTO])
    return kept, duplicate


async def test_the_duplicate_is_rejected_and_its_complainant_supports_the_kept_case(
    ctx: CaseContext, store: MemoryStore, two: tuple[str, str]
) -> None:
    kept, duplicate = two
    await merge(ctx, store, duplicate, kept, "admin-pusat", at(24))

    closed, target = await load(store, duplicate), await load(store, kept)
    assert closed.status is Status.DITOLAK
    assert closed.rejection == Rejection(RejectionReason.DUPLICATE, kept)
    assert closed.audit[-1].note == f"duplikat {kept}" and closed.audit[-1].actor == "admin-pusat"
    assert closed.due_at is None and closed.next_escalation_at is None  # no clock runs on it any more

    [supporter] = target.supporters
    assert supporter.id == "console:warga-2" and supporter.merged_from == duplicate
    assert supporter.name == "Siti Aminah"  # filed openly (biasa): kept as they gave it
    joined = target.audit[-1]
    assert joined.action is AuditKind.SUPPORT and joined.facts.change is SupportChange.MERGED
    assert joined.note == "tumpukan sampah depan pasar wonokromo bau sekali"  # their words move over
    assert PHOTO in target.evidence  # and their photo
    assert target.status is Status.DITERIMA and target.due_at is not None  # the kept case's clock runs on

    [told] = [n for n in pending(store) if n.recipient == "warga-2"]
    assert kept in told.text and duplicate in told.text and f"cek {kept}" in told.text
    assert not [n for n in pending(store) if n.recipient == "warga-1"]  # the kept case's complainant: nothing new


async def test_unmerge_restores_status_deadline_files_and_supporters(
    ctx: CaseContext, store: MemoryStore, two: tuple[str, str]
) -> None:
    kept, duplicate = two
    async with store.uow() as uow:
        await casework.change_status(ctx, uow, duplicate, Status.DIDISPOSISIKAN, by(ctx, "admin-pusat"), at(23, 12))
        await uow.commit()
    before = await load(store, duplicate)
    assert before.due_at is not None and before.next_escalation_at is not None

    await merge(ctx, store, duplicate, kept, "admin-pusat", at(24))
    await unmerge(ctx, store, duplicate, at(25))

    back, target = await load(store, duplicate), await load(store, kept)
    assert back.status is Status.DIDISPOSISIKAN and back.rejection is None
    assert back.due_at == before.due_at  # the disposition's deadline, as recorded when it was made
    assert back.next_escalation_at == before.next_escalation_at and back.escalation_level == 0
    assert back.audit[-1].action is AuditKind.UNMERGED and back.evidence == [PHOTO]
    assert target.supporters == [] and PHOTO not in target.evidence
    assert target.audit[-1].action is AuditKind.SUPPORT and target.audit[-1].facts.change is SupportChange.LEFT
    merged, unmerged = [n.text for n in pending(store) if n.recipient == "warga-2"][-2:]
    assert "pendukung laporan" in merged and "keliru digabungkan" in unmerged and kept in unmerged

    await merge(ctx, store, duplicate, kept, "admin-pusat", at(26))  # and it can be merged again
    assert [s.id for s in (await load(store, kept)).supporters] == ["console:warga-2"]


async def test_the_duplicates_own_supporters_move_and_come_back(
    ctx: CaseContext, store: MemoryStore, two: tuple[str, str]
) -> None:
    kept, duplicate = two
    third = Supporter("console", "warga-3", PrivacyMode.ANONIM, at(23, 12))
    async with store.uow() as uow:
        await supporting.support(ctx, uow, duplicate, third, "saya juga lihat", [], at(23, 12))
        await uow.commit()

    await merge(ctx, store, duplicate, kept, "admin-pusat", at(24))
    target = await load(store, kept)
    assert [(s.id, s.merged_from) for s in target.supporters] == [
        ("console:warga-2", duplicate), ("console:warga-3", duplicate)]
    # the duplicate's own list is its own: it still says warga-3 supported it directly
    assert [(s.id, s.merged_from) for s in (await load(store, duplicate)).supporters] == [("console:warga-3", None)]
    assert {n.recipient for n in pending(store)} >= {"warga-2", "warga-3"}  # the supporter hears it too

    await unmerge(ctx, store, duplicate, at(25))
    assert (await load(store, kept)).supporters == []


async def test_the_kept_cases_own_complainant_is_not_made_its_supporter(ctx: CaseContext, store: MemoryStore) -> None:
    first = await file(ctx, store, "warga-1", "sampah menumpuk di depan pasar wonokromo", at(23))
    again = await file(ctx, store, "warga-1", "sampah di pasar wonokromo belum diangkut", at(23, 11))
    await merge(ctx, store, again, first, "admin-pusat", at(24))
    assert (await load(store, first)).supporters == []
    assert (await load(store, again)).status is Status.DITOLAK


async def test_refusals_change_nothing(ctx: CaseContext, store: MemoryStore, two: tuple[str, str]) -> None:
    kept, duplicate = two
    other = await file(ctx, store, "warga-4", "sampah liar di bantaran kali", at(23, 12))
    closed = await file(ctx, store, "warga-5", "sampah di taman bungkul", at(23, 13))
    async with store.uow() as uow:
        await casework.change_status(ctx, uow, closed, Status.DITOLAK, by(ctx, "admin-pusat"), at(23, 14),
                                     "bukan kewenangan kota")
        await casework.change_status(ctx, uow, other, Status.DIDISPOSISIKAN, by(ctx, "admin-pusat"), at(23, 14))
        await casework.change_status(ctx, uow, other, Status.DIPROSES, by(ctx, "petugas-dlh"), at(23, 15),
                                     "Tim menuju lokasi")
        await uow.commit()
    codes = [kept, duplicate, other, closed]
    before = [await load(store, code) for code in codes]
    queued = pending(store)

    refusals: list[tuple[type[DomainError], str, str, str, str]] = [
        (NotAuthorised, duplicate, kept, "petugas-dlh", "not_authorised"),  # only the admin merges
        (NotAuthorised, duplicate, kept, "supervisor-dlh", "not_authorised"),
        (DomainError, duplicate, closed, "admin-pusat", "merge_target_closed"),
        (DomainError, duplicate, duplicate, "admin-pusat", "merge_self"),
        (IllegalTransition, other, kept, "admin-pusat", "illegal_transition"),  # diproses: no longer rejectable
        (NotFound, duplicate, "LPR-7KQ3-MN", "admin-pusat", "not_found"),
    ]
    for error, code, into, officer, reason in refusals:
        with pytest.raises(error) as raised:
            await merge(ctx, store, code, into, officer, at(24))
        assert raised.value.code == reason
    with pytest.raises(DomainError) as raised:
        await unmerge(ctx, store, closed, at(24))  # rejected, but not as a duplicate
    assert raised.value.code == "not_merged"
    with pytest.raises(NotAuthorised):
        async with store.uow() as uow:
            await merging.unmerge(ctx, uow, duplicate, by(ctx, "petugas-dlh"), at(24))
    assert [await load(store, code) for code in codes] == before and pending(store) == queued


async def test_a_case_merged_elsewhere_is_no_target_and_the_officer_is_told_which(
    ctx: CaseContext, store: MemoryStore, two: tuple[str, str]
) -> None:
    kept, duplicate = two
    third = await file(ctx, store, "warga-6", "sampah pasar wonokromo menggunung", at(23, 13))
    await merge(ctx, store, duplicate, kept, "admin-pusat", at(24))
    with pytest.raises(DomainError) as raised:
        await merge(ctx, store, third, duplicate, "admin-pusat", at(24, 10))
    assert raised.value.code == "merge_chain" and raised.value.params["into"] == duplicate
    await merge(ctx, store, third, kept, "admin-pusat", at(24, 11))
    assert [s.id for s in (await load(store, kept)).supporters] == ["console:warga-2", "console:warga-6"]

"""A case the admin rejected as spam is counted in the recap, with its reason, and left out
of every deadline figure; the rejection's facts survive storage (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.errors import DomainError
from complaints.model import Complaint, Place, Rejection, RejectionReason
from complaints.recap import Period, RecapBook, RecapRules, Stage, Verdict
from complaints.taxonomy import Category, Status
from complaints.usecases import casework, filing
from tests.chat_harness import START, Clock


async def file(app, clock, text: str) -> str:
    async with app.uow() as uow:
        complaint = Complaint(code="", description=text, channel="console", sender=f"warga-{text[:5]}",
                              created_at=clock(), category=Category.JALAN, place=Place(detail="Kebraon"))
        await filing.submit(app.context(), uow, complaint, clock())
        await uow.commit()
    return complaint.code


async def reject(app, clock, code: str, rejection: Rejection | None) -> None:
    async with app.uow() as uow:
        await casework.change_status(app.context(), uow, code, Status.DITOLAK, app.org.officers["admin-pusat"].actor,
                                     clock(), "Laporan tidak dapat diproses.", rejection=rejection)
        await uow.commit()


async def test_a_spam_rejection_is_out_of_the_deadline_figures_but_in_the_recap(app):
    clock = Clock()
    spam = await file(app, clock, "iseng iseng saja hahaha jalan")
    plain = await file(app, clock, "jalan rusak tapi bukan kewenangan kota")
    clock.advance(days=7)  # a week later: the three working days of verification are long past
    await reject(app, clock, spam, Rejection(RejectionReason.SPAM))
    await reject(app, clock, plain, None)

    async with app.uow() as uow:
        loaded = [await uow.complaints.get(code) for code in (spam, plain)]
    assert loaded[0].rejection == Rejection(RejectionReason.SPAM) and loaded[1].rejection is None

    ctx = app.context()
    book = RecapBook(RecapRules(app.org, ctx.calendar, clock()), Period(START.date(), date(2026, 11, 30)))
    rows = {row.code: row for row in (book.add(c) for c in loaded)}
    summary = book.summary()
    assert rows[spam].spam and rows[spam].stages == () and rows[spam].on_time is Verdict.NOT_APPLICABLE
    assert rows[plain].verdict(Stage.VERIFY) is Verdict.MISSED
    assert summary.total == 2 and summary.by_status[Status.DITOLAK] == 2 and summary.rejected_spam == 1
    assert (summary.stages[Stage.VERIFY].missed, summary.on_time.missed) == (1, 1)  # the plain one only
    assert summary.compliance_by_unit[app.org.default_unit].missed == 1


async def test_a_rejection_reason_needs_the_move_to_ditolak(app):
    clock = Clock()
    code = await file(app, clock, "jalan berlubang di Kebraon")
    clock.advance(hours=1)
    with pytest.raises(DomainError) as refused:
        async with app.uow() as uow:
            await casework.change_status(app.context(), uow, code, Status.DIVERIFIKASI,
                                         app.org.officers["admin-pusat"].actor, clock(),
                                         rejection=Rejection(RejectionReason.SPAM))
    assert refused.value.code == "rejection_needs_ditolak"

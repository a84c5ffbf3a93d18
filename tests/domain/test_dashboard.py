"""The dashboard's figures (complaints/dashboard.py): pure domain, fixed times, no database."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaints.calendar import WorkingCalendar
from complaints.dashboard import (
    OPEN_DISPOSED,
    OPEN_UNDISPOSED,
    DashboardBook,
    OpenCount,
    answering_unit,
    first_response_at,
    median,
)
from complaints.model import AuditEntry, Complaint, Rejection, RejectionReason
from complaints.org import Organisation, Unit
from complaints.recap import Period, RecapRules, Stage, recap
from complaints.skm import Grade
from complaints.taxonomy import Category, Role, Status, Weight

WIB = ZoneInfo("Asia/Jakarta")
ORG = Organisation(
    name="Kota Contoh",
    units={"pusat": Unit("pusat", "Admin Pengaduan", "pusat", WIB), "dlh": Unit("dlh", "DLH", "opd", WIB),
           "dsdabm": Unit("dsdabm", "DSDABM", "opd", WIB)},
    officers={},
    routing={Category.SAMPAH: "dlh", Category.JALAN: "dsdabm"},
    default_unit="pusat",
)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
AS_OF = datetime(2026, 11, 30, 12, 0, tzinfo=WIB)
H = timedelta(hours=1)


def at(day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


def complaint(code: str, submitted: datetime, *moves: tuple[datetime, Status, Role],
              category: Category = Category.SAMPAH, skm: int | None = None,
              rejection: Rejection | None = None, weight: Weight = Weight.SEDANG) -> Complaint:
    c = Complaint(code=code, description="x", channel="telegram", sender=code, created_at=submitted,
                  category=category, weight=weight, unit_id=ORG.unit_for(category).id,
                  resolve_due_at=ORG.policy.resolve_due(weight, submitted, WIB),
                  satisfied=None if skm is None else skm >= 3, skm_score=skm)
    c.record(AuditEntry(submitted, "bot", Role.SYSTEM, "created", None, Status.DITERIMA))
    for moment, status, role in moves:
        facts = rejection if status is Status.DITOLAK else None
        c.record(AuditEntry(moment, "x", role, "status", c.status, status, "catatan", facts))
        c.status = status
    return c


def book_of(*complaints: Complaint, units=("pusat", "dlh", "dsdabm")):
    rows, summary = recap(complaints, RecapRules(ORG, WorkingCalendar(), AS_OF), NOVEMBER)
    book = DashboardBook("pusat", list(units))
    book.add_all(zip(complaints, rows, strict=True))
    return book, summary


DISPOSED = (at(2, 10), Status.DIDISPOSISIKAN, Role.ADMIN)


def test_the_median_of_an_odd_and_an_even_count_and_of_none():
    assert median([3 * H, 1 * H, 2 * H]) == 2 * H
    assert median([4 * H, 1 * H, 2 * H, 3 * H]) == timedelta(hours=2, minutes=30)
    assert median([]) is None


def test_the_first_response_is_the_first_answer_written_for_the_complainant_not_the_disposition():
    c = complaint("A", at(2), (at(2, 10), Status.DIVERIFIKASI, Role.ADMIN), DISPOSED,
                  (at(3, 15), Status.DIPROSES, Role.OFFICER), (at(5), Status.SELESAI, Role.OFFICER))
    assert first_response_at(c) == at(3, 15)
    assert first_response_at(complaint("B", at(2), DISPOSED)) is None
    forwarded = complaint("C", at(2), (at(2, 11), Status.DISALURKAN, Role.ADMIN))
    assert first_response_at(forwarded) == at(2, 11)


def test_a_case_counts_for_its_unit_once_disposed_and_for_the_central_unit_before():
    waiting = complaint("A", at(2))
    assert waiting.unit_id == "dlh" and answering_unit(waiting, "pusat") == "pusat"
    assert answering_unit(complaint("B", at(2), DISPOSED), "pusat") == "dlh"
    rejected = complaint("C", at(2), (at(2, 11), Status.DITOLAK, Role.ADMIN))
    assert answering_unit(rejected, "pusat") == "pusat"
    assert {Status.DITERIMA, Status.DIVERIFIKASI} == OPEN_UNDISPOSED
    assert Status.DIBUKA_KEMBALI in OPEN_DISPOSED and Status.SELESAI not in OPEN_DISPOSED


def test_medians_share_on_time_and_ikm_per_unit_and_for_all():
    # dlh (urgent: resolved within 14 days, by Mon 16 Nov):
    #      A answered after 1 day 5 h, resolved after 4 days (on time), SKM 4;
    #      B answered after 2 h, resolved on Mon 30 Nov: 28 days, late; SKM 2
    #      C disposed, never answered; its resolution deadline has passed: late
    a = complaint("A", at(2), DISPOSED, (at(3, 14), Status.DIPROSES, Role.OFFICER),
                  (at(6), Status.SELESAI, Role.OFFICER), (at(7), Status.DITUTUP, Role.SYSTEM), skm=4,
                  weight=Weight.BERAT)
    b = complaint("B", at(2), DISPOSED, (at(2, 11), Status.MENUNGGU_INFORMASI, Role.OFFICER),
                  (at(30, 9), Status.SELESAI, Role.OFFICER), skm=2,
                  weight=Weight.BERAT)
    c = complaint("C", at(2), DISPOSED, weight=Weight.BERAT)
    # dsdabm: D resolved in 3 h, on time, not rated yet
    d = complaint("D", at(25), (at(25, 10), Status.DIDISPOSISIKAN, Role.ADMIN),
                  (at(25, 12), Status.SELESAI, Role.OFFICER), category=Category.JALAN)
    # pusat: E still waiting for verification, filed today: nothing decided yet
    e = complaint("E", at(30, 8))
    book, summary = book_of(a, b, c, d, e)
    counts = {"pusat": OpenCount(1, 0), "dlh": OpenCount(1, 1), "dsdabm": OpenCount()}
    board = book.figures(counts)

    dlh = board.unit("dlh")
    assert (dlh.filed, dlh.resolved, dlh.open, dlh.overdue) == (3, 2, 1, 1)
    assert dlh.first_response == (timedelta(days=1, hours=5) + 2 * H) / 2 and dlh.answered == 2
    assert dlh.resolution == (timedelta(days=4) + timedelta(days=28)) / 2
    assert (dlh.on_time.met, dlh.on_time.missed, dlh.on_time_share) == (1, 2, pytest.approx(1 / 3))
    assert dlh.skm_index == Decimal("75.00") and dlh.grade is Grade.C and dlh.respondents == 2

    dsdabm = board.unit("dsdabm")
    assert dsdabm.first_response == dsdabm.resolution == 3 * H and dsdabm.on_time_share == 1
    assert dsdabm.skm_index is None and dsdabm.grade is None

    pusat = board.unit("pusat")
    assert (pusat.filed, pusat.open, pusat.first_response, pusat.on_time.decided) == (1, 1, None, 0)
    assert pusat.on_time.running == 1 and pusat.on_time_share is None

    total = board.total
    assert total.unit_id is None and (total.filed, total.open, total.overdue) == (5, 2, 1)
    assert total.resolution == timedelta(days=4)  # the median of 3 h, 4 days and 28 days
    # the same verdicts and IKM as the recap book's own summary
    assert total.on_time.met == summary.stages[Stage.RESOLVE].met
    assert total.on_time.missed == summary.stages[Stage.RESOLVE].missed
    assert total.skm_index == summary.skm_index


def test_a_spam_rejection_counts_as_filed_and_in_no_other_figure():
    spam = complaint("S", at(3), (at(3, 10), Status.DITOLAK, Role.ADMIN),
                     rejection=Rejection(RejectionReason.SPAM))
    board = book_of(spam)[0].figures({})
    pusat = board.unit("pusat")
    assert (pusat.filed, pusat.answered, pusat.on_time.met + pusat.on_time.missed + pusat.on_time.running) == (1, 0, 0)


def test_only_the_units_asked_for_are_shown_in_their_order_and_empty_ones_too():
    book, _ = book_of(complaint("A", at(2), DISPOSED), units=["dlh"])
    board = book.figures({"dlh": OpenCount(1, 0)})
    assert [line.unit_id for line in board.units] == ["dlh"] and board.total.open == 1
    empty = DashboardBook("pusat", ["dsdabm", "dlh"]).figures({})
    assert [line.unit_id for line in empty.units] == ["dsdabm", "dlh"]
    assert empty.total.filed == 0 and empty.total.first_response is None and empty.total.skm_index is None

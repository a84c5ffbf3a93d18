"""The recap book's numbers (complaints/recap.py): pure domain, fixed times, no database."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaints.calendar import WorkingCalendar
from complaints.deadlines import DeadlinePolicy, StageDays
from complaints.model import AuditEntry, AuditKind, Complaint, Deadline, Disposition, Escalation
from complaints.org import Organisation, Unit
from complaints.recap import Period, RecapBook, RecapRules, Stage, Verdict, recap
from complaints.skm import Grade, service_grade, skm_index
from complaints.taxonomy import Category, CategoryOrigin, Role, Status, Weight
from complaints.workflow import FOLLOW_UP_STARTS

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
# Christmas 2026 and New Year: Thursday 24 Dec (cuti bersama), Friday 25 Dec, Friday 1 Jan
CALENDAR = WorkingCalendar(frozenset({date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)}))
ORG = Organisation(
    name="Kota Contoh",
    units={
        "pusat": Unit("pusat", "Admin Pengaduan", "pusat", WIB),
        "dlh": Unit("dlh", "Dinas Lingkungan Hidup", "opd", WIB),
        "pdam": Unit("pdam", "PDAM Makassar", "opd", WITA),
    },
    officers={},
    routing={Category.SAMPAH: "dlh", Category.AIR_BERSIH: "pdam"},
    default_unit="pusat",
)
POLICY = DeadlinePolicy()
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


def at(day: int, hour: int = 9, minute: int = 0, month: int = 11, year: int = 2026, tz=WIB) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def complaint(submitted: datetime, *moves: tuple[datetime, Status], code: str = "LPR-AAAA-22",
              category: Category = Category.SAMPAH, weight: Weight = Weight.SEDANG, channel: str = "telegram",
              satisfied: bool | None = None, skm: int | None = None) -> Complaint:
    """A complaint as storage hands it over: fields and the audit trail of its moves."""
    unit = ORG.unit_for(category).id
    c = Complaint(code=code, description="x", channel=channel, sender="s", created_at=submitted,
                  category=category, weight=weight, unit_id=unit,
                  resolve_due_at=POLICY.resolve_due(weight, submitted, WIB), satisfied=satisfied, skm_score=skm)
    c.record(AuditEntry(submitted, "bot", Role.SYSTEM, "created", None, Status.DITERIMA))
    for moment, status in moves:
        c.record(AuditEntry(moment, "x", Role.ADMIN, "status", c.status, status))
        c.status = status
        if status is Status.MENUNGGU_INFORMASI:
            c.paused_at = moment
    return c


def rules(as_of: datetime) -> RecapRules:
    return RecapRules(ORG, CALENDAR, as_of)


# --- SKM / IKM --------------------------------------------------------------------------------

@pytest.mark.parametrize(("index", "grade"), [
    (100, Grade.A), (88.31, Grade.A),
    (88.30, Grade.B), (Decimal("76.61"), Grade.B),
    (76.60, Grade.C), (65.00, Grade.C),
    (64.99, Grade.D), (25, Grade.D),
])
def test_grade_bands_of_permenpanrb_14_2017(index, grade):
    assert service_grade(index) is grade


@pytest.mark.parametrize("index", [24.99, 100.01, 0])
def test_an_index_outside_25_to_100_is_refused(index):
    with pytest.raises(ValueError):
        service_grade(index)


def test_the_index_is_the_average_answer_times_25():
    assert skm_index([4, 4, 4, 3]) == Decimal("93.75")
    assert skm_index([3, 3, 4]) == Decimal("83.33")  # 3.333... x 25, rounded half up
    assert skm_index([1]) == Decimal("25.00") and skm_index([4]) == Decimal("100.00")
    assert skm_index([]) is None
    with pytest.raises(ValueError):
        skm_index([5])
    # 3.5 x 25 = 87.50 is "Baik"; one more 4 of nine (3.556 -> 88.89) makes it "Sangat Baik"
    assert service_grade(skm_index([4, 3])) is Grade.B
    assert service_grade(skm_index([4] * 5 + [3] * 4)) is Grade.A


def test_summary_index_grade_and_ratings():
    scored = [complaint(at(2), code=f"LPR-AAAA-{i}2", satisfied=s, skm=k)
              for i, (s, k) in enumerate([(True, 4), (True, 3), (False, None), (True, None)])]
    _, summary = recap(scored, rules(at(30)), NOVEMBER)
    assert summary.skm_scores == {1: 0, 2: 0, 3: 1, 4: 1}
    assert summary.skm_respondents == 2
    assert summary.skm_index == Decimal("87.50") and summary.grade is Grade.B
    assert (summary.satisfied, summary.unsatisfied) == (3, 1)
    _, nobody = recap([complaint(at(2))], rules(at(30)), NOVEMBER)
    assert nobody.skm_index is None and nobody.grade is None


# --- deadlines per stage ----------------------------------------------------------------------

def test_verification_deadline_skips_christmas_and_the_weekend():
    # Wednesday 23 Dec: 24 (cuti bersama), 25 (Natal), 26-27 (weekend) do not count,
    # so the 3 working days end on Wednesday 30 Dec, a week later.
    on_time = complaint(at(23, 10, month=12), (at(30, 16, month=12), Status.DIDISPOSISIKAN))
    late = complaint(at(23, 10, month=12), (at(31, 8, month=12), Status.DIDISPOSISIKAN))
    as_of = at(4, 12, month=1, year=2027)
    assert rules(as_of).row(on_time).verdict(Stage.VERIFY) is Verdict.MET
    assert rules(as_of).row(late).verdict(Stage.VERIFY) is Verdict.MISSED
    [check] = [s for s in rules(as_of).row(on_time).stages if s.stage is Stage.VERIFY]
    assert check.due_at == datetime(2026, 12, 30, 23, 59, 59, tzinfo=WIB)
    assert check.unit_id == "pusat"  # verification is the central admin's stage


def test_urgent_complaints_have_shorter_deadlines():
    # berat: 1 working day to verify (Tuesday), 2 to follow up
    c = complaint(at(23), (at(25), Status.DIDISPOSISIKAN), (at(26), Status.DIPROSES), weight=Weight.BERAT)
    row = rules(at(30)).row(c)
    assert row.verdict(Stage.VERIFY) is Verdict.MISSED
    assert row.verdict(Stage.FOLLOW_UP) is Verdict.MET


def test_follow_up_runs_in_working_days_from_each_disposition_or_reopening():
    # disposed Friday 27 Nov: 5 working days end Friday 4 Dec
    met = complaint(at(26), (at(27, 15), Status.DIDISPOSISIKAN), (at(4, 23, month=12), Status.DIPROSES))
    missed = complaint(at(26), (at(27, 15), Status.DIDISPOSISIKAN), (at(7, 8, month=12), Status.DIPROSES))
    waiting = complaint(at(26), (at(27, 15), Status.DIDISPOSISIKAN))
    as_of = at(10, month=12)
    assert rules(as_of).row(met).verdict(Stage.FOLLOW_UP) is Verdict.MET
    assert rules(as_of).row(missed).verdict(Stage.FOLLOW_UP) is Verdict.MISSED
    # not acted on: running until the deadline, missed after it
    assert rules(at(4, 20, month=12)).row(waiting).verdict(Stage.FOLLOW_UP) is Verdict.RUNNING
    assert rules(at(5, 0, 1, month=12)).row(waiting).verdict(Stage.FOLLOW_UP) is Verdict.MISSED
    # a reopened case gets a new follow-up stage; one miss makes the complaint's verdict a miss
    reopened = complaint(at(2), (at(3), Status.DIDISPOSISIKAN), (at(4), Status.SELESAI),
                         (at(5), Status.DIBUKA_KEMBALI), (at(20), Status.SELESAI))
    row = rules(at(30)).row(reopened)
    follow_ups = [s.verdict for s in row.stages if s.stage is Stage.FOLLOW_UP]
    assert follow_ups == [Verdict.MET, Verdict.MISSED]
    assert row.verdict(Stage.FOLLOW_UP) is Verdict.MISSED and row.on_time is Verdict.MISSED


def test_follow_up_counts_in_the_units_time_zone():
    # PDAM is in WITA: disposed Friday 27 Nov 23:30 WITA is still Friday there (22:30 WIB),
    # so its 5 working days end Friday 4 Dec 23:59:59 WITA (22:59:59 WIB).
    c = complaint(at(26), (at(27, 23, 30, tz=WITA), Status.DIDISPOSISIKAN), category=Category.AIR_BERSIH)
    [check] = [s for s in rules(at(30)).row(c).stages if s.stage is Stage.FOLLOW_UP]
    assert check.due_at == datetime(2026, 12, 4, 23, 59, 59, tzinfo=WITA) and check.unit_id == "pdam"


def test_resolution_uses_the_last_answer_and_gives_back_waiting_time():
    quick = complaint(at(2), (at(3), Status.DIDISPOSISIKAN), (at(4), Status.SELESAI), (at(5), Status.DITUTUP))
    row = rules(at(30)).row(quick)
    assert row.verdict(Stage.RESOLVE) is Verdict.MET and row.ended_at == at(4)
    # 60 calendar days from 2 Nov end on 1 Jan; answered on 5 Jan after a reopening
    slow = complaint(at(2), (at(3), Status.DIDISPOSISIKAN), (at(4), Status.SELESAI),
                     (at(5), Status.DIBUKA_KEMBALI), (at(5, month=1, year=2027), Status.SELESAI))
    assert rules(at(6, month=1, year=2027)).row(slow).verdict(Stage.RESOLVE) is Verdict.MISSED
    # waiting for the complainant since 30 Dec: the clock stopped before the deadline
    paused = complaint(at(2), (at(3), Status.DIDISPOSISIKAN), (at(30, month=12), Status.MENUNGGU_INFORMASI))
    later = at(20, month=1, year=2027)
    assert rules(later).row(paused).verdict(Stage.RESOLVE) is Verdict.RUNNING
    paused.paused_at = None  # same complaint without the pause: long past its deadline
    assert rules(later).row(paused).verdict(Stage.RESOLVE) is Verdict.MISSED


def test_forwarded_and_rejected_complaints_have_no_resolution_stage():
    rejected = complaint(at(2), (at(2, 11), Status.DITOLAK))
    forwarded = complaint(at(2), (at(9), Status.DISALURKAN))
    as_of = at(30)
    assert rules(as_of).row(rejected).verdict(Stage.RESOLVE) is Verdict.NOT_APPLICABLE
    assert rules(as_of).row(rejected).on_time is Verdict.MET
    row = rules(as_of).row(forwarded)
    assert row.verdict(Stage.VERIFY) is Verdict.MISSED and row.on_time is Verdict.MISSED
    assert row.ended_at == at(9) and not row.resolved and row.days_working == 5


# --- days taken and averages ------------------------------------------------------------------

def test_days_taken_in_working_and_calendar_days():
    # 23 Dec to 4 Jan: 12 calendar days; working days 28-31 Dec and 4 Jan
    c = complaint(at(23, month=12), (at(28, month=12), Status.DIDISPOSISIKAN), (at(4, month=1, year=2027), Status.SELESAI))
    row = rules(at(10, month=1, year=2027)).row(c)
    assert (row.days_working, row.days_calendar) == (5, 12)
    # an open complaint is measured up to "as of"
    open_one = complaint(at(23, month=12))
    row = rules(at(29, 15, month=12)).row(open_one)
    assert (row.days_working, row.days_calendar, row.ended_at) == (2, 6, None)


def test_average_days_to_resolve_counts_resolved_complaints_only():
    complaints = [
        complaint(at(2), (at(3), Status.DIDISPOSISIKAN), (at(6), Status.SELESAI), code="LPR-AAAA-22"),  # 4 / 4
        complaint(at(9), (at(10), Status.DIDISPOSISIKAN), (at(23), Status.SELESAI), (at(24), Status.DITUTUP),
                  code="LPR-AAAA-23"),  # 10 / 14
        complaint(at(2), code="LPR-AAAA-24"),  # open: not in the average
        complaint(at(2), (at(3), Status.DITOLAK), code="LPR-AAAA-25"),  # rejected: not resolved
    ]
    _, summary = recap(complaints, rules(at(30)), NOVEMBER)
    assert summary.resolved == 2
    assert summary.average_days_working == pytest.approx(7.0)
    assert summary.average_days_calendar == pytest.approx(9.0)
    _, none = recap(complaints[2:], rules(at(30)), NOVEMBER)
    assert none.average_days_working is None and none.average_days_calendar is None


# --- escalations, counts, per-stage shares, trend ---------------------------------------------

def escalated(c: Complaint, moment: datetime, level: int, unit: str | None, who: str) -> None:
    """As the escalate use case records it (unit None: an entry from before migration 0006
    about the central admin's stage)."""
    facts = Escalation(level, unit, moment, (who,))
    c.record(AuditEntry(moment, "bot", Role.SYSTEM, AuditKind.ESCALATED, None, None, facts=facts))


def test_escalations_go_to_the_unit_whose_stage_it_was():
    c = complaint(at(2))
    escalated(c, at(5), 2, "pusat", "kepala-pusat")  # still being verified: the central admin's
    c.record(AuditEntry(at(6), "admin", Role.ADMIN, "status", Status.DITERIMA, Status.DIDISPOSISIKAN))
    c.status = Status.DIDISPOSISIKAN
    escalated(c, at(12), 1, "dlh", "petugas-dlh")
    escalated(c, at(14), 3, "dlh", "kepala-dlh")
    other = complaint(at(3), code="LPR-AAAA-33")
    escalated(other, at(6), 2, None, "kepala-pusat")
    _, summary = recap([c, other], rules(at(30)), NOVEMBER)
    assert summary.escalations_by_unit == {"dlh": {1: 1, 3: 1}, "pusat": {2: 2}}
    assert rules(at(30)).row(c).escalations == (("pusat", 2), ("dlh", 1), ("dlh", 3))


def test_counts_largest_first_and_per_stage_shares():
    complaints = [
        complaint(at(2), (at(3), Status.DIDISPOSISIKAN), (at(4), Status.DIPROSES), code="LPR-AAAA-22"),
        complaint(at(2), (at(10), Status.DIDISPOSISIKAN), code="LPR-AAAA-23", channel="whatsapp"),
        complaint(at(2), code="LPR-AAAA-24", category=Category.AIR_BERSIH, channel="whatsapp"),
        complaint(at(27), code="LPR-AAAA-25", category=Category.LAINNYA, channel="whatsapp"),
    ]
    book = RecapBook(rules(at(30)), NOVEMBER)
    for c in complaints:
        book.add(c)
    summary = book.summary()
    assert summary.total == 4
    assert list(summary.by_category.items()) == [(Category.SAMPAH, 2), (Category.AIR_BERSIH, 1),
                                                 (Category.LAINNYA, 1)]
    assert list(summary.by_unit.items()) == [("dlh", 2), ("pdam", 1), ("pusat", 1)]
    assert list(summary.by_channel.items()) == [("whatsapp", 3), ("telegram", 1)]
    verify = summary.stages[Stage.VERIFY]
    # on time: the first; late: disposed on the 10th, and one never verified; running: the 27th
    assert (verify.met, verify.missed, verify.running) == (1, 2, 1)
    assert verify.share == pytest.approx(1 / 3)
    follow_up = summary.stages[Stage.FOLLOW_UP]  # disposed 10 Nov, nothing since: due 17 Nov
    assert (follow_up.met, follow_up.missed, follow_up.running) == (1, 1, 0)
    assert summary.stages[Stage.RESOLVE].running == 4 and summary.stages[Stage.RESOLVE].share is None
    # per unit: the central admin answers for every verification
    assert (summary.compliance_by_unit["pusat"].met, summary.compliance_by_unit["pusat"].missed) == (1, 2)
    # per complaint: the first is on time so far but not resolved yet, so still running
    assert (summary.on_time.met, summary.on_time.missed, summary.on_time.running) == (0, 2, 2)


def test_weekly_trend_in_local_weeks_clipped_to_the_period():
    complaints = [
        complaint(at(1, 6), code="LPR-AAAA-22"),  # Sunday 1 Nov 06:00 WIB (still 31 Oct in UTC)
        complaint(at(2, 0, 30), (at(3), Status.DIDISPOSISIKAN), (at(6), Status.SELESAI),
                  code="LPR-AAAA-23"),  # Monday 00:30 WIB is Sunday in UTC
        complaint(at(8, 23, 59), code="LPR-AAAA-24"),
        complaint(at(20), (at(21), Status.DIDISPOSISIKAN), (at(2, month=12), Status.SELESAI),
                  code="LPR-AAAA-25"),  # resolved after the period: not in its weeks
        complaint(at(30, 23), code="LPR-AAAA-26"),
    ]
    _, summary = recap(complaints, rules(at(5, month=12)), NOVEMBER)
    weeks = [(w.start.day, w.end.day, w.submitted, w.resolved) for w in summary.weeks]
    assert weeks == [(1, 1, 1, 0), (2, 8, 2, 1), (9, 15, 0, 0), (16, 22, 1, 0), (23, 29, 0, 0), (30, 30, 1, 0)]


def test_period_bounds_and_order():
    start, end = NOVEMBER.bounds(WIB)
    assert start == datetime(2026, 11, 1, tzinfo=WIB) and end == datetime(2026, 12, 1, tzinfo=WIB)
    assert end - start == timedelta(days=30)
    with pytest.raises(ValueError):
        Period(date(2026, 11, 30), date(2026, 11, 1))
    assert Period(date(2026, 11, 4), date(2026, 11, 4)).weeks() == [(date(2026, 11, 4), date(2026, 11, 4))]
    with pytest.raises(ValueError):
        RecapRules(ORG, CALENDAR, datetime(2026, 11, 30, 12))  # naive "as of"


# --- deadlines recorded when a stage started ----------------------------------------------------

# what the organisation says now: 10 working days to verify and to follow up (it was 3 and 5)
SLOWER = replace(ORG, policy=DeadlinePolicy(normal=StageDays(verify=10, follow_up=10)))


def recorded(c: Complaint, *deadlines: Deadline) -> Complaint:
    """``c`` as the use cases write it now: the filing entry and each move that starts a
    follow-up record their stage's deadline (in order)."""
    starts = iter(deadlines)
    c.audit = [replace(e, deadline=next(starts)) if e.action is AuditKind.CREATED or e.to_status in FOLLOW_UP_STARTS
               else e for e in c.audit]
    return c


def test_recorded_deadlines_are_judged_against_even_after_the_policy_changed():
    # filed Monday 2 Nov (3 working days: Thursday 5 Nov), disposed Monday 9 Nov to pdam
    # (5 working days in WITA: Monday 16 Nov), followed up Wednesday 18 Nov
    c = recorded(complaint(at(2), (at(9), Status.DIDISPOSISIKAN), (at(18), Status.DIPROSES),
                           category=Category.AIR_BERSIH),
                 Deadline("pusat", at(5, 23, 59)), Deadline("pdam", at(16, 23, 59, tz=WITA)))
    row = RecapRules(SLOWER, CALENDAR, at(30)).row(c)
    verify, follow_up = row.stages[:2]
    assert (verify.unit_id, verify.due_at, verify.verdict) == ("pusat", at(5, 23, 59), Verdict.MISSED)
    assert (follow_up.unit_id, follow_up.due_at, follow_up.verdict) == ("pdam", at(16, 23, 59, tz=WITA),
                                                                        Verdict.MISSED)
    # an entry written before deadlines were recorded: the present policy's 10 working days
    old = complaint(at(2), (at(9), Status.DIDISPOSISIKAN), (at(18), Status.DIPROSES), category=Category.AIR_BERSIH)
    verify, follow_up = RecapRules(SLOWER, CALENDAR, at(30)).row(old).stages[:2]
    assert (verify.due_at.date(), verify.verdict) == (date(2026, 11, 16), Verdict.MET)
    assert (follow_up.due_at.date(), follow_up.verdict) == (date(2026, 11, 23), Verdict.MET)


def test_each_follow_up_is_the_recorded_units_and_deadline():
    # disposed to dlh, answered, reopened and re-routed to pdam: each follow-up stage is the
    # unit's that had it, with the deadline recorded then
    c = recorded(complaint(at(2), (at(3), Status.DIDISPOSISIKAN), (at(4), Status.SELESAI),
                           (at(5), Status.DIBUKA_KEMBALI), (at(6), Status.DIDISPOSISIKAN), (at(20), Status.DIPROSES)),
                 Deadline("pusat", at(5, 23, 59)), Deadline("dlh", at(10, 23, 59)), Deadline("dlh", at(12, 23, 59)),
                 Deadline("pdam", at(13, 23, 59, tz=WITA)))
    c.unit_id = "pdam"
    row = rules(at(30)).row(c)
    assert [(s.unit_id, s.verdict) for s in row.stages if s.stage is Stage.FOLLOW_UP] == [
        ("dlh", Verdict.MET), ("dlh", Verdict.MET), ("pdam", Verdict.MISSED)]


# --- how categories were chosen (issue 15) ----------------------------------------------------

def test_the_share_routed_automatically_and_how_often_the_admin_re_routed_those():
    def filed(i: int, origin: CategoryOrigin, rerouted_to: str | None = None) -> Complaint:
        c = complaint(at(2), code=f"LPR-BBBB-{i}2")
        c.category_origin = origin
        if rerouted_to is not None:
            facts = Disposition(rerouted_to, from_unit_id=c.unit_id)
            c.record(AuditEntry(at(3), "admin", Role.ADMIN, AuditKind.STATUS, c.status, Status.DIDISPOSISIKAN,
                                facts=facts))
        return c

    complaints = [filed(0, CategoryOrigin.AUTOMATIC), filed(1, CategoryOrigin.AUTOMATIC),
                  filed(2, CategoryOrigin.AUTOMATIC), filed(3, CategoryOrigin.AUTOMATIC, rerouted_to="pu"),
                  filed(4, CategoryOrigin.CITIZEN, rerouted_to="pu"), filed(5, CategoryOrigin.UNKNOWN),
                  filed(6, CategoryOrigin.GIVEN, rerouted_to="pu")]
    _, summary = recap(complaints, rules(at(30)), NOVEMBER)
    routing = summary.routing
    assert routing.automatic == 4 and routing.from_chat == 6  # the API's own category is not the NLU's
    assert routing.automatic_share == pytest.approx(4 / 6)
    assert routing.automatic_rerouted == 1 and routing.automatic_error == pytest.approx(1 / 4)
    _, nothing = recap([filed(7, CategoryOrigin.GIVEN)], rules(at(30)), NOVEMBER)
    assert nothing.routing.automatic_share is None and nothing.routing.automatic_error is None

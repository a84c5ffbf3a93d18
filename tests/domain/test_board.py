"""The public board's figures (complaints/board.py): pure domain, fixed times, no database."""

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from complaints.board import BoardRules, BoardSource, month_of
from complaints.calendar import WorkingCalendar
from complaints.deadlines import DeadlinePolicy
from complaints.model import AuditEntry, AuditKind, Complainant, Complaint, Place, Rejection, RejectionReason
from complaints.org import Organisation, Unit
from complaints.recap import Period, RecapRules, Verdict
from complaints.skm import Grade
from complaints.taxonomy import Category, PrivacyMode, Role, Status, Weight
from complaints.visibility import Visibility

WIB = ZoneInfo("Asia/Jakarta")
ORG = Organisation(
    name="Kota Contoh",
    units={
        "pusat": Unit("pusat", "Admin Pengaduan", "pusat", WIB),
        "dlh": Unit("dlh", "Dinas Lingkungan Hidup", "opd", WIB),
        "bm": Unit("bm", "Dinas Bina Marga", "opd", WIB),
    },
    officers={},
    routing={Category.SAMPAH: "dlh", Category.JALAN: "bm"},
    default_unit="pusat",
)
CALENDAR = WorkingCalendar(frozenset())
POLICY = DeadlinePolicy()
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
PHONE = "081234567890"


def at(day: int, hour: int = 9, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=WIB)


def complaint(filed: datetime, *moves: tuple[datetime, Status, str], code: str = "LPR-AAAA-22",
              category: Category = Category.SAMPAH, privacy: PrivacyMode = PrivacyMode.BIASA,
              due: datetime | None = None) -> Complaint:
    """A complaint as storage hands it over; ``moves``: (when, to which status, the note)."""
    c = Complaint(code=code, description=f"sampah menumpuk, hubungi Sulastri {PHONE}", channel="telegram",
                  sender="s", created_at=filed, category=category, weight=Weight.SEDANG,
                  unit_id=ORG.unit_for(category).id, privacy=privacy,
                  resolve_due_at=due or POLICY.resolve_due(Weight.SEDANG, filed, WIB),
                  place=Place("Jl. Melati 7", "35.78.01.1001", "Kebraon"),
                  complainant=Complainant("Sulastri", "+6281234567890"))
    c.record(AuditEntry(filed, "bot", Role.SYSTEM, AuditKind.CREATED, None, Status.DITERIMA))
    for moment, status, note in moves:
        role = Role.ADMIN if status in (Status.DIDISPOSISIKAN, Status.DITOLAK) else Role.OFFICER
        facts = Rejection(RejectionReason.SPAM) if status is Status.DITOLAK else None
        c.record(AuditEntry(moment, "petugas", role, AuditKind.STATUS, c.status, status, note, facts))
        c.status = status
    return c


def board(*cases: Complaint, resolved: tuple[Complaint, ...] = (), as_of: datetime = at(30, 20),
          skm: dict[int, int] | None = None, period: Period = NOVEMBER):
    rules = BoardRules(RecapRules(ORG, CALENDAR, as_of), period, Visibility("pusat"), listed=3)
    return rules.board(BoardSource(cases, resolved, len(resolved), skm or {}))


def handled(filed: datetime, done: datetime | None, **kwargs) -> Complaint:
    """Disposed and taken up on the day it was filed; answered at ``done`` (if given)."""
    moves = [(filed, Status.DIDISPOSISIKAN, ""), (filed, Status.DIPROSES, "Segera kami tangani.")]
    if done is not None:
        moves.append((done, Status.SELESAI, "Sudah diangkut."))
    return complaint(filed, *moves, **kwargs)


def test_the_month_is_the_central_units_calendar_month():
    assert month_of(datetime(2026, 11, 30, 17, 30, tzinfo=UTC), WIB) == Period(date(2026, 12, 1), date(2026, 12, 31))
    assert month_of(at(23), WIB) == NOVEMBER
    assert month_of(datetime(2028, 2, 10, tzinfo=WIB), WIB) == Period(date(2028, 2, 1), date(2028, 2, 29))


def test_counts_are_this_months_complaints_by_category_and_unit_spam_and_last_month_left_out():
    found = board(
        complaint(at(2), code="A"), complaint(at(3), code="B"),
        complaint(at(4), code="C", category=Category.JALAN, privacy=PrivacyMode.RAHASIA),
        complaint(at(5), code="D", category=Category.LAINNYA, privacy=PrivacyMode.ANONIM),
        complaint(at(31, month=10), code="E"),  # last month
        complaint(at(6), (at(6), Status.DITOLAK, "spam"), code="F"),
    )
    assert found.filed == 4
    assert [(c.category, c.complaints) for c in found.by_category] == [
        (Category.SAMPAH, 2), (Category.JALAN, 1), (Category.LAINNYA, 1)]
    assert [(u.name, u.complaints) for u in found.by_unit] == [
        ("Dinas Lingkungan Hidup", 2), ("Admin Pengaduan", 1), ("Dinas Bina Marga", 1)]


def test_within_deadline_is_the_recaps_verdict_over_the_decided_ones():
    on_time = handled(at(2), at(3), code="A")
    unverified = complaint(at(2), code="B")  # nobody verified it in 3 working days
    running = complaint(at(30), code="C")  # its first deadline still runs
    found = board(on_time, unverified, running)
    assert (found.on_time.met, found.on_time.missed, found.on_time.running) == (1, 1, 1)
    assert found.on_time.share == 0.5


def test_promised_repairs_are_kept_late_or_pending_and_only_biasa_ones_are_listed():
    kept = handled(at(1, month=10), at(20), code="A", due=at(25))
    late_answer = handled(at(1, month=10), at(28), code="B", due=at(25))
    late_open = handled(at(1, month=10), None, code="C", due=at(20))
    pending = handled(at(1, month=10), None, code="D", due=at(30, 23))
    secret = handled(at(1, month=10), None, code="E", due=at(10), privacy=PrivacyMode.RAHASIA)
    not_taken_up = complaint(at(1, month=10), (at(2, month=10), Status.DIDISPOSISIKAN, ""), code="F", due=at(10))
    next_month = handled(at(1, month=10), None, code="G", due=at(2, month=12))
    found = board(kept, late_answer, late_open, pending, secret, not_taken_up, next_month)
    assert (found.promises.met, found.promises.missed, found.promises.running) == (1, 3, 1)
    # decided first, the latest date first; then pending; at most ``listed`` (3); no rahasia
    assert [(p.promised_at, p.verdict) for p in found.promised] == [
        (at(25), Verdict.MET), (at(25), Verdict.MISSED), (at(20), Verdict.MISSED)]
    assert {p.resolved_at for p in found.promised} == {at(20), at(28), None}
    assert all(p.unit_name == "Dinas Lingkungan Hidup" and p.place == "Kebraon" for p in found.promised)
    assert found.filed == 0  # filed last month: promises only


def test_resolved_cases_show_the_public_view_only_of_biasa_ones():
    noted = handled(at(2), at(12), code="A")
    noted.audit[-1] = AuditEntry(at(12), "petugas", Role.OFFICER, AuditKind.STATUS, Status.DIPROSES,
                                 Status.SELESAI, f"Sudah diangkut, info: Pak Budi {PHONE} atau Sulastri")
    earlier = handled(at(2, month=10), at(30, month=10), code="B")  # resolved last month
    secret = handled(at(2), at(13), code="C", privacy=PrivacyMode.RAHASIA)
    found = board(resolved=(noted, earlier, secret))
    assert found.resolved_total == 3  # as storage counted them
    [case] = found.resolved
    assert case.category is Category.SAMPAH and case.place == "Kebraon" and case.resolved_at == at(12)
    assert case.answer == "Sudah diangkut, info: Pak Budi [nomor HP] atau [nama pelapor]"
    assert PHONE not in repr(found) and "Melati" not in repr(found) and "Sulastri" not in repr(found)


def test_the_ikm_is_the_skm_index_of_this_months_answers():
    found = board(skm={4: 1, 3: 1})
    assert found.skm_respondents == 2 and found.skm_index == Decimal("87.50") and found.grade is Grade.B
    empty = board()
    assert empty.skm_index is None and empty.grade is None and empty.filed == 0 and empty.on_time.share is None

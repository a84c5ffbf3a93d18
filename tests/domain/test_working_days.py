from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from aduan.bootstrap import indonesian_calendar
from complaints.calendar import WorkingCalendar
from complaints.deadlines import DeadlinePolicy
from complaints.taxonomy import Weight
from complaints.workflow import Clock

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")


def test_weekends_are_skipped():
    cal = WorkingCalendar()
    friday_noon = datetime(2026, 11, 20, 12, 0, tzinfo=WIB)
    due = cal.add_working_days(friday_noon, 3, WIB)
    assert due.date() == date(2026, 11, 25)  # Mon, Tue, Wed
    assert (due.hour, due.minute) == (23, 59)


def test_national_holidays_and_cuti_bersama_are_skipped():
    cal = indonesian_calendar()
    # Lebaran 2026: 20-24 March are Idul Fitri and cuti bersama; 21-22 are a weekend.
    before = datetime(2026, 3, 19, 9, 0, tzinfo=WIB)  # Nyepi itself, a holiday
    assert cal.add_working_days(before, 1, WIB).date() == date(2026, 3, 25)
    # Christmas 2026: 24 Dec cuti bersama, 25 Dec Natal, then the weekend.
    assert cal.add_working_days(datetime(2026, 12, 23, 10, tzinfo=WIB), 1, WIB).date() == date(2026, 12, 28)


def test_the_day_is_counted_in_the_units_own_time_zone():
    cal = WorkingCalendar()
    # 16:30 UTC on Friday is still Friday in WIB (23:30) but already Saturday in WITA and WIT.
    moment = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)
    assert cal.add_working_days(moment, 1, WIB).date() == date(2026, 11, 23)
    assert cal.add_working_days(moment, 1, WITA).date() == date(2026, 11, 23)
    assert cal.add_working_days(moment, 1, WIT).date() == date(2026, 11, 23)
    late_thursday = datetime(2026, 11, 19, 16, 30, tzinfo=UTC)  # Thu 23:30 WIB, Fri 00:30 WITA
    assert cal.add_working_days(late_thursday, 1, WIB).date() == date(2026, 11, 20)
    assert cal.add_working_days(late_thursday, 1, WITA).date() == date(2026, 11, 23)


def test_urgent_complaints_get_shorter_deadlines():
    policy, cal = DeadlinePolicy(), WorkingCalendar()
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
    assert policy.stage_due(Clock.VERIFY, Weight.SEDANG, monday, cal, WIB).date() == date(2026, 11, 26)
    assert policy.stage_due(Clock.VERIFY, Weight.BERAT, monday, cal, WIB).date() == date(2026, 11, 24)
    assert policy.resolve_due(Weight.SEDANG, monday, WIB).date() == date(2027, 1, 22)
    assert policy.resolve_due(Weight.BERAT, monday, WIB).date() == date(2026, 12, 7)
    assert policy.stage_due(Clock.RESOLVE, Weight.SEDANG, monday, cal, WIB) is None


@given(start=st.dates(date(2024, 1, 1), date(2028, 12, 31)), days=st.integers(-20, 900),
       hour=st.integers(0, 23), holidays=st.sets(st.dates(date(2024, 1, 1), date(2030, 12, 31)), max_size=30))
def test_counting_working_days_agrees_with_walking_them_day_by_day(start, days, hour, holidays):
    cal = WorkingCalendar(frozenset(holidays))
    begin = datetime.combine(start, time(hour), tzinfo=WIB)
    end = begin + timedelta(days=days)
    walked, day = 0, start
    while day < end.date():
        day += timedelta(days=1)
        walked += cal.is_working_day(day)
    assert cal.working_days_between(begin, end, WIB) == walked

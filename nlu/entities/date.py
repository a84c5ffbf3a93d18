"""Dates: when the problem happened or since when it has lasted.

Runs on the normalised text ("kmrn" is already "kemarin", "tgl" is "tanggal"). Our own
regular expressions find every date-like expression; relative ones (kemarin, tadi pagi,
2 minggu lalu, sudah 3 hari, sejak bulan lalu, senin kemarin) are computed here from
``now`` in the complainant's time zone, absolute ones (tanggal 5 maret, 12/10/2026) are
handed to dateparser (``languages=["id"]``, imported lazily, only when such a span was
found). Values are ``datetime.date``; a date after today is reported as type
``date_future`` so the dialog can ask again.

A day and month without a year ("5 maret") means the latest such day that is not in the
future, except within the next 14 days ("25 november" said on 22 November), which is
taken as this year's and so reported as future: most likely a slip worth asking about.
A day alone ("tanggal 5") is this month's, or last month's if that day is still to come.

Chat and regional forms are read too: semalem, kemarinnya lusa, awal bulan, akhir bulan
lalu, "2mgg lalu", Javanese (wingi, "rong dino kepungkur", "sewulan kepungkur") and
Sundanese (kamari, "dua minggu ka tukang", "tilu poe ka tukang").

``ongoing``: value the number of days (int) a problem has lasted until now, when the
message says it still lasts: "sudah 2 bulan", "sejak bulan lalu", "dari kemarin",
"2 minggu belum diangkut", "kemarin ... sampai sekarang". The ``date`` entity still
says when it started.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from ..normalize import Normalized, normalize_with_map
from ..result import Entity

NEAR_FUTURE_DAYS = 14
FALLBACK_MAX_CHARS = 60  # dateparser reads whole answers only when they are short

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8,
    "agt": 8, "ags": 8, "agst": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10,
    "november": 11, "nopember": 11, "nov": 11, "desember": 12, "des": 12,
}
NUMBERS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
    "sembilan": 9, "sepuluh": 10, "sebelas": 11, "dua belas": 12, "se": 1,
}
WEEKDAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "sabtu": 5, "minggu": 6, "ahad": 6}

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUM = r"\d{1,3}(?:\s*-\s*\d{1,3})?|dua belas|" + "|".join(k for k in NUMBERS if k not in ("se", "dua belas"))
_UNIT = r"hari|minggu|pekan|bulan|tahun|hr|mgg|bln|thn"  # abbreviations glued to a digit: "2mgg"
UNIT_NAMES = {"hr": "hari", "mgg": "minggu", "bln": "bulan", "thn": "tahun"}
# "ongoing": the problem lasts until now ("sudah 2 bulan", "sejak bulan lalu", "dari kemarin ... terus")
ONGOING_PRE = frozenset({"sudah", "sejak", "semenjak", "selama", "dari", "mulai"})
AGO_POST = frozenset({"yang lalu", "lalu", "yang lewat", "kemarin", "ka tukang", "kepungkur", "kapungkur"})
ONGOING_BEFORE = re.compile(r"(?<![a-z0-9])(?:sejak|semenjak|dari|mulai)\s+(?:tanggal\s+|hari\s+)?$")
STILL = re.compile(
    r"(?<![a-z0-9])(?:belum|masih|terus|tidak kunjung|tak kunjung|berlarut|sampai sekarang|hingga sekarang"
    r"|hingga kini|sampai kini|sampai saat ini|hingga saat ini|sampai hari ini|sampai detik ini)(?![a-z0-9])"
)
UNTIL_NOW = re.compile(
    r"(?<![a-z0-9])(?:sampai|hingga|sampe)\s+(?:sekarang|kini|saat ini|hari ini|detik ini)(?![a-z0-9])"
)
_PRE = r"sudah|sejak|selama|hampir|lebih dari|kurang lebih|sekitar|dari|kurang dari|semenjak"
_POST = r"yang lalu|lalu|yang lewat|kemarin|ka tukang|kepungkur|kapungkur|belakangan|belakangan ini|terakhir|terakhir ini|lagi|ke depan|kedepan|mendatang|kerja|sekali"
_B = r"(?<![a-z0-9])"
_E = r"(?![a-z0-9])"

DURATION = re.compile(
    rf"{_B}(?:(?P<pre>{_PRE})\s+)?(?:(?P<num>{_NUM})\s*(?P<unit>{_UNIT})|se(?P<seunit>{_UNIT}))(?:an)?{_E}"
    rf"(?:\s+(?P<post>{_POST}){_E})?"
)
RELATIVE_UNIT = re.compile(rf"{_B}(?P<hari>hari\s+)?(?P<unit>minggu|pekan|bulan|tahun)\s+(?P<rel>lalu|kemarin|yang lalu|depan|lagi){_E}")
NAMED = re.compile(
    rf"{_B}(?P<w>kemarin(?:nya)?\s+(?:lusa|dulu)|(?:tadi|kemarin)\s+malam|semalam|semalem"
    rf"|(?:kemarin|wingi|kamari)(?:\s+(?:pagi|siang|sore|subuh|malam|bengi|isuk|awan))?"
    rf"|awal\s+bulan(?:\s+(?:ini|lalu|kemarin))?|akhir\s+bulan\s+(?:lalu|kemarin)"
    rf"|tadi(?:\s+(?:pagi|siang|sore|subuh))?|(?:pagi|siang|sore)\s+(?:ini|tadi)|hari\s+ini|barusan|baru\s+saja"
    rf"|besok\s+lusa|besok|lusa){_E}"
)
# Javanese ("rong dino kepungkur", "sewulan kepungkur") and Sundanese ("dua poe ka tukang")
REGIONAL_NUMBERS = {
    "rong": 2, "loro": 2, "telung": 3, "telu": 3, "patang": 4, "papat": 4, "limang": 5, "limo": 5, "nem": 6,
    "enem": 6, "pitung": 7, "pitu": 7, "wolung": 8, "sangang": 9, "hiji": 1, "tilu": 3, "opat": 4,
}
REGIONAL_UNITS = {
    "dino": "hari", "dina": "hari", "ari": "hari", "poe": "hari", "minggu": "minggu", "wulan": "bulan",
    "sasi": "bulan", "taun": "tahun", "bulan": "bulan", "hari": "hari", "tahun": "tahun",
}
_RNUM = r"\d{1,2}|" + "|".join(REGIONAL_NUMBERS) + "|" + "|".join(k for k in NUMBERS if k not in ("se", "dua belas"))
_RUNIT = "|".join(REGIONAL_UNITS)
REGIONAL = re.compile(
    rf"{_B}(?:(?P<num>{_RNUM})\s*(?P<unit>{_RUNIT})|(?:se|sa)(?P<seunit>{_RUNIT}))"
    rf"\s+(?:kepungkur|kapungkur|ka\s+tukang|wingi){_E}"
)
WEEKDAY = re.compile(
    rf"{_B}(?P<hari>hari\s+)?(?P<day>senin|selasa|rabu|kamis|jumat|sabtu|minggu|ahad)"
    rf"(?:\s+(?P<rel>lalu|kemarin|yang lalu|ini|depan|besok))?{_E}"
)
DAY_MONTH = re.compile(
    rf"{_B}(?:tanggal\s*)?(?P<d>\d{{1,2}})\s*[-\s]?\s*(?P<m>{_MONTH})\.?{_E}(?:\s*(?P<y>\d{{4}}){_E})?"
)
MONTH_ONLY = re.compile(
    rf"{_B}(?P<pre>bulan|sejak|awal|akhir|pertengahan|pada)\s+(?:bulan\s+)?(?P<m>{_MONTH}){_E}(?:\s+(?P<y>\d{{4}}){_E})?"
)
NUMERIC = re.compile(r"(?<![\d.,/-])(?:tanggal\s*)?(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?![\d/.-]*\d)")
NUMERIC_NO_YEAR = re.compile(r"(?<![a-z0-9])tanggal\s*(?P<d>\d{1,2})[/-](?P<m>\d{1,2})(?![\d/.-])")
DAY_ONLY = re.compile(rf"{_B}tanggal\s*(?P<d>\d{{1,2}}){_E}(?!\s*[/.-]?\s*(?:\d|{_MONTH}))")


@dataclass(frozen=True)
class DateResult:
    value: date | None
    problem: Literal["future", "unparsed"] | None = None


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    value: date
    priority: int  # absolute dates beat relative words when spans overlap
    lasting: Literal["yes", "maybe", "no"] = "no"  # a duration "sudah 2 bulan" / "2 minggu" / "2 minggu lalu"


def local_now(now: datetime, tz: ZoneInfo) -> datetime:
    return now.astimezone(tz) if now.tzinfo is not None else now.replace(tzinfo=tz)


def extract(norm: Normalized, now: datetime, tz: ZoneInfo) -> list[Entity]:
    local = local_now(now, tz)
    today = local.date()
    found: list[_Found] = []
    text = norm.text
    if any(ch.isdigit() for ch in text) or "tanggal" in text:
        found += _absolute(text, local)
    found += _relative(text, local)
    entities: list[Entity] = []
    kept = _without_overlaps(found)
    for item in kept:
        surface, start, end = norm.surface(item.start, item.end)
        kind = "date_future" if item.value > today else "date"
        entities.append(Entity(kind, item.value, surface, start, end))
    lasting = _ongoing(text, kept, today)
    if lasting is not None:
        (start_n, end_n), days = lasting
        surface, start, end = norm.surface(start_n, end_n)
        entities.append(Entity("ongoing", days, surface, start, end, 0.8))
    return sorted(entities, key=lambda e: e.start)


def _ongoing(text: str, kept: list[_Found], today: date) -> tuple[tuple[int, int], int] | None:
    """The span and length in days of a problem said to last until now, if it is."""
    past = [item for item in kept if item.value <= today]
    still = STILL.search(text) is not None
    for item in past:
        days = (today - item.value).days
        if item.lasting == "yes" or (item.lasting == "maybe" and still):
            return (item.start, item.end), days
        cue = ONGOING_BEFORE.search(text, 0, item.start)
        if cue is not None:
            return (cue.start(), item.end), days
        if item.lasting == "no" and text[item.start : item.end].startswith(("sejak", "semenjak")):
            return (item.start, item.end), days
        until = UNTIL_NOW.search(text, item.end)
        if until is not None and until.start() - item.end <= 60:
            return (item.start, until.end()), days
    return None


def parse_date(text: str, now: datetime, tz: ZoneInfo) -> DateResult:
    """Read a single answer to "kapan?"; falls back to dateparser on the whole answer."""
    norm = normalize_with_map(text)
    found = extract(norm, now, tz)
    found = [e for e in found if e.type != "ongoing"]
    for entity in found:
        if entity.type == "date":
            return DateResult(entity.value, None)
    if found:
        return DateResult(found[0].value, "future")
    local = local_now(now, tz)
    parsed = _dateparser(norm.text, local) if 0 < len(norm.text) <= FALLBACK_MAX_CHARS else None
    if parsed is None:
        return DateResult(None, "unparsed")
    return DateResult(parsed, "future" if parsed > local.date() else None)


# --- relative expressions ---------------------------------------------------------------


# words each pattern cannot match without: a text with none of them is not scanned
_NEEDS: dict[re.Pattern[str], tuple[str, ...]] = {
    NAMED: ("kemarin", "tadi", "semal", "wingi", "kamari", "awal", "akhir", "pagi", "siang", "sore", "hari", "baru",
            "besok", "lusa"),
    REGIONAL: ("kepungkur", "kapungkur", "tukang", "wingi"), RELATIVE_UNIT: ("minggu", "pekan", "bulan", "tahun"),
    DURATION: ("hari", "minggu", "pekan", "bulan", "tahun", "hr", "mgg", "bln", "thn"),
    MONTH_ONLY: ("bulan", "sejak", "awal", "akhir", "pertengahan", "pada"), WEEKDAY: (*WEEKDAYS,),
}


def _scan(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    return pattern.finditer(text) if any(word in text for word in _NEEDS[pattern]) else iter(())


def _relative(text: str, local: datetime) -> list[_Found]:
    today = local.date()
    found: list[_Found] = []
    for m in _scan(NAMED, text):
        found.append(_Found(m.start(), m.end(), _named(m.group("w"), local), 1))
    for m in _scan(REGIONAL, text):
        raw = m.group("num")
        amount = 1 if raw is None else REGIONAL_NUMBERS.get(raw) or _amount(raw)
        if amount is not None and amount <= 60:
            unit = REGIONAL_UNITS[m.group("unit") or m.group("seunit")]
            found.append(_Found(m.start(), m.end(), _shift(today, unit, -amount), 1))
    for m in _scan(RELATIVE_UNIT, text):
        if m.group("hari") and m.group("unit") == "minggu":
            continue  # "hari minggu lalu" is a Sunday: WEEKDAY reads it
        sign = 1 if m.group("rel") in ("depan", "lagi") else -1
        found.append(_Found(m.start(), m.end(), _shift(today, m.group("unit"), sign), 1))
    for m in _scan(DURATION, text):
        value = _duration(m, text, today)
        if value is not None:
            pre, post = m.group("pre"), m.group("post")
            lasting: Literal["yes", "maybe", "no"] = "no" if post in AGO_POST else "maybe"
            if pre in ONGOING_PRE and (lasting == "maybe" or pre in ("sejak", "semenjak", "dari", "mulai")):
                lasting = "yes"
            found.append(_Found(m.start(), m.end(), value, 0, lasting))
    for m in _scan(MONTH_ONLY, text):
        found.append(_Found(m.start(), m.end(), _month_only(m.group("pre"), MONTHS[m.group("m")], m.group("y"), today), 2))
    for m in _scan(WEEKDAY, text):
        day, rel = m.group("day"), m.group("rel")
        if day == "minggu" and not m.group("hari"):
            continue  # bare "minggu" is a week
        found.append(_Found(m.start(), m.end(), _weekday(today, WEEKDAYS[day], rel), 1))
    return found


def _named(words: str, local: datetime) -> date:
    today = local.date()
    words = " ".join(words.split())
    if words.startswith("awal bulan"):
        if words.endswith(("lalu", "kemarin")) or (words == "awal bulan" and today.day <= 2):
            year, month = _previous_month(today)
            return date(year, month, 1)
        return today.replace(day=1)
    if words.startswith("akhir bulan"):
        return today.replace(day=1) - timedelta(days=1)
    return today + timedelta(days=_named_offset(words, local.hour))


def _named_offset(words: str, hour: int) -> int:
    if words in ("kemarin lusa", "kemarin dulu", "kemarinnya lusa", "kemarinnya dulu"):
        return -2
    if words in ("tadi malam", "semalam", "semalem"):
        return 0 if hour >= 18 else -1  # said in the evening: earlier the same evening
    if words.startswith(("kemarin", "wingi", "kamari")):
        return -1
    return {"besok lusa": 2, "lusa": 2, "besok": 1}.get(words, 0)


def _duration(m: re.Match[str], text: str, today: date) -> date | None:
    pre, post = m.group("pre"), m.group("post")
    unit = m.group("unit") or m.group("seunit")
    unit = UNIT_NAMES.get(unit, unit)
    before = text[: m.start()].split()[-1:] or [""]
    if before[0] in ("dalam", "tiap", "setiap", "per", "maksimal", "paling"):
        return None
    if post in ("kerja", "sekali"):
        return None
    if m.group("seunit") and m.group("seunit") == "hari" and not (pre or post):
        return None  # "sehari" alone usually means "a day" (sehari 2x)
    amount = _amount(m.group("num")) if m.group("num") else 1
    if amount is None or amount > 60:
        return None
    sign = 1 if post in ("lagi", "ke depan", "kedepan", "mendatang") else -1
    return _shift(today, unit, sign * amount)


def _amount(raw: str) -> int | None:
    raw = " ".join(raw.split())
    if raw in NUMBERS:
        return NUMBERS[raw]
    numbers = [int(n) for n in re.findall(r"\d+", raw)]
    return max(numbers) if numbers else None  # "2-3 minggu": count from the earlier start


def _shift(today: date, unit: str, amount: int) -> date:
    if unit == "hari":
        return today + timedelta(days=amount)
    if unit in ("minggu", "pekan"):
        return today + timedelta(weeks=amount)
    months = amount * (12 if unit == "tahun" else 1)
    year, month = divmod(today.month - 1 + months, 12)
    year += today.year
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _weekday(today: date, weekday: int, rel: str | None) -> date:
    back = (today.weekday() - weekday) % 7
    if rel in ("depan", "besok"):
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    if rel in ("lalu", "kemarin", "yang lalu") and back == 0:
        back = 7
    return today - timedelta(days=back)


# --- absolute dates ----------------------------------------------------------------------


def _absolute(text: str, local: datetime) -> list[_Found]:
    today = local.date()
    found: list[_Found] = []
    for m in DAY_MONTH.finditer(text):
        value = _day_month(int(m.group("d")), MONTHS[m.group("m")], m.group("y"), local)
        if value is not None:
            found.append(_Found(m.start(), m.end(), value, 3))
    for m in NUMERIC.finditer(text):
        year = int(m.group("y"))
        year = year + 2000 if year < 100 else year
        value = _day_month(int(m.group("d")), int(m.group("m")), str(year), local)
        if value is not None:
            found.append(_Found(m.start(), m.end(), value, 3))
    for m in NUMERIC_NO_YEAR.finditer(text):
        value = _day_month(int(m.group("d")), int(m.group("m")), None, local)
        if value is not None:
            found.append(_Found(m.start(), m.end(), value, 2))
    for m in DAY_ONLY.finditer(text):
        day = int(m.group("d"))
        if 1 <= day <= 31:
            year, month = (today.year, today.month) if day <= today.day else _previous_month(today)
            found.append(_Found(m.start(), m.end(), date(year, month, min(day, calendar.monthrange(year, month)[1])), 2))
    return found


def _day_month(day: int, month: int, year: str | None, local: datetime) -> date | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    today = local.date()
    if year is not None:
        return _full_date(day, month, int(year))
    value = _full_date(day, month, today.year)
    if value is not None and (value - today).days > NEAR_FUTURE_DAYS:
        value = _full_date(day, month, today.year - 1)
    return value


def _month_only(pre: str, month: int, year: str | None, today: date) -> date:
    y = int(year) if year else today.year
    if year is None and month > today.month:
        y -= 1
    last = calendar.monthrange(y, month)[1]
    day = {"akhir": last, "pertengahan": 15}.get(pre, 1)
    return date(y, month, day)


def _previous_month(today: date) -> tuple[int, int]:
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def _full_date(day: int, month: int, year: int) -> date | None:
    """A complete day-month-year, or None when there is no such day (31 februari)."""
    if not 1900 <= year <= 2999:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _dateparser(text: str, local: datetime) -> date | None:
    import dateparser  # lazy: slow to import and to warm up

    settings = {
        "RELATIVE_BASE": local.replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(text, languages=["id"], settings=settings)
    return parsed.date() if parsed is not None else None


def _without_overlaps(found: list[_Found]) -> list[_Found]:
    """Keep the longest (then highest-priority) of overlapping matches, in text order."""
    kept: list[_Found] = []
    for item in sorted(found, key=lambda f: (-(f.end - f.start), -f.priority, f.start)):
        if all(item.end <= k.start or item.start >= k.end for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: f.start)

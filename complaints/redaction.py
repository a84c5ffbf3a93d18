"""One redaction function for personal data, used by the views, the exports and the logs.

The text is normalised first (:func:`normalise`: NFKC, every Unicode decimal digit made
ASCII, zero-width and other invisible characters dropped), so full-width digits
(``０８１２``), other scripts' digits, a full-width ``＠`` and numbers split by invisible
characters are found like plain ones. Spans and the redacted text refer to that
normalised text: a text without personal data comes back only normalised (for plain
ASCII text: unchanged). Then each kind asked for is replaced by its placeholder:

- NIK (and KK) numbers: any 16 digits with at most one separator (space, dot, dash,
  slash) between two of them, whatever the grouping; no structure is required, a
  mistyped NIK is still personal data;
- phone numbers: Indonesian mobiles (``0``/``62``/``+62``, ``8``, 8-11 digits) with any
  single separators and parentheses (a pattern), and what ``phonenumbers.PhoneNumberMatcher``
  finds (possible numbers): any number with ``+`` and a country code, ``62 8...``, and a
  landline with ``0`` and its area code ("(031) 5678 901") when ``phonenumbers`` knows it valid;
- e-mail addresses;
- bank account numbers (6-20 digits) after "rek", "rekening", "norek", "no. rek", ...,
  a bank's name and "a.n."/":" may stand between;
- the complainant's own name, when given in ``names``: the whole name and each word of
  it with 3 or more letters, case-insensitively, as whole words;
- the case's known numbers and addresses, when given in ``phones`` and ``emails`` (the
  complaint's own identity): a known phone number in any writing, also without its
  ``0``/``62``/``+62`` ("857-1234-5678"), which the patterns above need; a known e-mail
  address also written around the ``@`` ("lastri at mail.co.id", "lastri [at] mail [dot] co.id").

Ordinary numbers stay: dates (also a pair of dates, "17/08/2025-20/08/2025"), times,
money ("Rp 1.500.000"), RT/RW, postcodes, tracking codes, short codes, coordinates.
Where two findings overlap, both are covered by one placeholder of the stronger kind
(e-mail, account, NIK, phone, name in that order), so no digit of either stays.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

import phonenumbers


class PersonalData(StrEnum):
    NIK = "nik"
    PHONE = "phone"
    EMAIL = "email"
    BANK_ACCOUNT = "bank_account"
    NAME = "name"  # the complainant's own name, given to redact() in ``names``


# What officers (and the public) read instead of the value. Reviewers may reword these;
# keep them free of digits (the leak tests look for digit runs).
PLACEHOLDERS: Mapping[PersonalData, str] = MappingProxyType({
    PersonalData.NIK: "[NIK]",
    PersonalData.PHONE: "[nomor HP]",
    PersonalData.EMAIL: "[alamat email]",
    PersonalData.BANK_ACCOUNT: "[nomor rekening]",
    PersonalData.NAME: "[nama pelapor]",
})

EVERYTHING: frozenset[PersonalData] = frozenset(PersonalData)

Span = tuple[PersonalData, int, int]

# Where findings overlap, the first of these names the merged span.
_STRENGTH = {kind: rank for rank, kind in enumerate(
    (PersonalData.EMAIL, PersonalData.BANK_ACCOUNT, PersonalData.NIK, PersonalData.PHONE, PersonalData.NAME))}

# --- normalisation ---------------------------------------------------------------------------

# Invisible characters used to split a number: zero-width space/non-joiner/joiner, word
# joiner, BOM, soft hyphen, directional marks and isolates.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


_DROP_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE))
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # \d: Unicode category Nd, the characters str.isdecimal() accepts


def _ascii_digit(match: re.Match[str]) -> str:
    return str(unicodedata.decimal(match.group()))


def normalise(text: str) -> str:
    """NFKC, ASCII digits, no invisible characters: the text every pattern here reads."""
    if text.isascii():
        return text  # NFKC leaves ASCII as it is
    return _OTHER_DIGIT.sub(_ascii_digit, unicodedata.normalize("NFKC", text).translate(_DROP_INVISIBLE))


# --- patterns ----------------------------------------------------------------------------------

_SEP = r"[ \t./\-\u2010-\u2015\u2212]"  # one separator inside a NIK or an account number
_PSEP = r"[ \t.\-\u2010-\u2015\u2212]"  # inside a phone number (no slash: that is a date)
_GAP = rf"(?:{_PSEP}?[()]{_PSEP}?|{_PSEP})?"  # between two digits of a phone number

_NIK = re.compile(rf"(?<!\d)\d(?:{_SEP}?\d){{15}}(?!\d)")
_TIME = r"\d\d[.:][0-5]\d(?!\d)"  # 08.30: no phone number starts so
_MOBILE = re.compile(rf"(?<!\d)(?:\(\s?)?(?!{_TIME})(?:\+\s?62|62|0){_GAP}8(?:{_GAP}\d){{8,11}}(?!\d)")
_CLOSE = r"[ \t./()\-\u2010-\u2015\u2212]{0,3}"  # what may stand between two digits of one number
# A run of 8 or more digits close together: every NIK or phone number lies in one (with up
# to 6 characters before it: "( +62"); their patterns only search such runs.
_NUMBER_RUN = re.compile(rf"\d(?:{_CLOSE}\d){{7,}}")
# Where the phone matcher is worth running: a number that starts like a phone number
# (+, 0, 62, perhaps in parentheses) with 8 or more digits close together.
_PHONE_WINDOW = re.compile(rf"(?<![\d+])(?:\(\s?)?(?!{_TIME})(?:\+\s?\(?\s?\d|0[1-9]|62)(?:{_CLOSE}\d){{6,}}\)?")
_MONEY_BEFORE = re.compile(r"(?i)(?:rp|idr)\.?\s?$")

_DAY, _MONTH, _YEAR = r"(?:0[1-9]|[12]\d|3[01])", r"(?:0[1-9]|1[0-2])", r"(?:19|20)\d\d"


def _date(n: int) -> str:
    return rf"(?:{_DAY}(?P<a{n}>[/.\-]){_MONTH}(?P=a{n}){_YEAR}|{_YEAR}(?P<b{n}>[/.\-]){_MONTH}(?P=b{n}){_DAY})"


_ONE_DATE = re.compile(_date(1))  # a run that is just a date holds nothing to look for
# "17/08/2025-20/08/2025", "2025-03-10 2025-03-17": 16 digits, but a period, not a NIK.
_DATE_PAIR = re.compile(rf"(?<!\d)(?<!\d{_SEP}){_date(1)}{_SEP}{_date(2)}(?!{_SEP}?\d)")

_EMAIL = re.compile(r"(?<![\w.%+\-])[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+")

_BANKS = (
    r"bca|bri|bni|mandiri|bsi|btn|cimb(?:\s?niaga)?|danamon|permata|jatim|jateng|jabar|dki|bjb|bpd\s?\w+|mega|"
    r"ocbc(?:\s?nisp)?|panin|maybank|muamalat|btpn|jenius|seabank|jago|blu|syariah(?:\s?indonesia)?"
)
_BANK_ACCOUNT = re.compile(
    r"(?i)(?<!\w)(?:(?:no(?:mor|mer)?|nmr)\.?\s?)?rek(?:ening)?(?:nya)?(?!\w)\.?"  # rek, no. rek, norek, nomor rekening
    rf"(?:[\s:.#]*(?:{_BANKS}|bank|saya|kami|di|ke|yaitu|adalah|a\.?\s?n\.?)(?!\w)){{0,4}}"  # bank BCA, saya di BRI
    rf"[\s:.#]*(?P<number>\d(?:{_SEP}?\d){{5,19}})(?!\d)"
)

# Between two digits of a known phone number, around the @ and the dots of a known e-mail.
_KNOWN_GAP = r"[ \t./()\-\u2010-\u2015\u2212]{0,3}"
_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+)"
_DOT = r"(?:\s*\.\s*|\s*[(\[{<]\s*(?:dot|titik)\s*[)\]}>]\s*|\s+(?:dot|titik)\s+)"
MIN_KNOWN_DIGITS = 7  # shorter "numbers" (a mistyped contact) are not looked for

_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’`][^\W\d_]+)*")


# --- finders -----------------------------------------------------------------------------------

def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _acceptable_phone(text: str, start: int, raw: str, number: phonenumbers.PhoneNumber) -> bool:
    """A match of the phone matcher that is a phone number, not money, a date or a code."""
    digits = re.sub(r"\D", "", raw)
    head = raw.lstrip("( ")
    if "/" in raw or len(digits) > 15 or _is_money(text, start):
        return False
    if head.startswith("+"):
        return len(digits) >= 8
    if head.startswith("0"):  # 08xx in any writing; a landline only where one can be: (031) 5678 901
        first_group = re.match(r"\d*", head)
        return (len(digits) >= 9 and first_group is not None and len(first_group.group()) >= 3  # not 03-2025 ...
                and (head.startswith("08") or phonenumbers.is_valid_number(number)))
    if head.startswith("62"):  # 62 812 ...: only mobiles; 62.500.000 is money
        return number.country_code == 62 and str(number.national_number).startswith("8") and len(digits) >= 10
    return False


def _is_money(text: str, start: int) -> bool:
    return _MONEY_BEFORE.search(text, max(0, start - 5), start) is not None


def _numbers(text: str) -> Iterator[Span]:
    """NIKs, phone and account numbers; dates, periods and money left alone."""
    # Account numbers (6-20 digits) only after their word: searched on their own.
    if "rek" in text.lower():
        yield from ((PersonalData.BANK_ACCOUNT, *m.span("number")) for m in _BANK_ACCOUNT.finditer(text))
    for run in _NUMBER_RUN.finditer(text):
        if _ONE_DATE.fullmatch(run.group()):
            continue
        lo, hi = max(0, run.start() - 6), min(len(text), run.end() + 4)
        periods = [m.span() for m in _DATE_PAIR.finditer(text, lo, hi)]
        plain: list[tuple[PersonalData, int, int]] = []
        plain += [(PersonalData.NIK, *m.span()) for m in _NIK.finditer(text, lo, hi) if not _overlaps(*m.span(), periods)]
        plain += [(PersonalData.PHONE, *m.span()) for m in _MOBILE.finditer(text, lo, hi)
                  if not _overlaps(*m.span(), periods) and not _is_money(text, m.start())]
        yield from plain
        for window in _PHONE_WINDOW.finditer(text, lo, hi):
            first = window.start() + len(window.group()) - len(window.group().lstrip("(+ \t"))
            last = window.end() - len(window.group()) + len(window.group().rstrip(") \t"))
            if any(start <= first and last <= end for _, start, end in plain):
                continue  # a mobile number or a NIK, already found: the matcher is slow
            for match in phonenumbers.PhoneNumberMatcher(window.group(), "ID", leniency=phonenumbers.Leniency.POSSIBLE):
                start, end = window.start() + match.start, window.start() + match.end
                if _acceptable_phone(text, start, match.raw_string, match.number) and not _overlaps(start, end, periods):
                    yield PersonalData.PHONE, start, end


@lru_cache(maxsize=512)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    terms: set[str] = set()
    for name in names:
        words = _NAME_WORD.findall(normalise(name))
        if sum(map(len, words)) >= 2:  # the whole name, unless it is a single letter
            terms.add(r"[\s.,\-]+".join(map(re.escape, words)))
        terms.update(re.escape(word) for word in words if sum(ch.isalpha() for ch in word) >= 3)
    if not terms:
        return None
    alternatives = "|".join(sorted(terms, key=len, reverse=True))  # the whole name before its words
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _national(phone: str) -> str:
    """The digits of a phone number after its country or trunk prefix (+62 / 62 / 0)."""
    digits = re.sub(r"\D", "", normalise(phone))
    if phone.lstrip().startswith("+") or (digits.startswith("62") and len(digits) >= 10):
        return digits[2:] if digits.startswith("62") else digits
    return digits.removeprefix("0")


@lru_cache(maxsize=512)
def _known_pattern(phones: tuple[str, ...], emails: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the case's known phone numbers (group ``phone``) and e-mail addresses
    (group ``email``)."""
    numbers = sorted({n for n in map(_national, phones) if len(n) >= MIN_KNOWN_DIGITS}, key=len, reverse=True)
    mail = []
    for email in emails:
        local, at, domain = normalise(email).strip().rpartition("@")
        if at and local and domain:
            mail.append(re.escape(local) + _AT + _DOT.join(map(re.escape, domain.split("."))))
    parts = []
    if numbers:
        written = "|".join(_KNOWN_GAP.join(national) for national in numbers)
        parts.append(rf"(?P<phone>(?<!\d)(?:(?:\+\s?62|62|0){_KNOWN_GAP})?(?:{written})(?!\d))")
    if mail:
        parts.append(rf"(?P<email>(?<![\w.%+\-])(?:{'|'.join(mail)})(?![\w\-]|\.\w))")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _find(text: str, kinds: frozenset[PersonalData], names: Iterable[str],
          phones: Iterable[str] = (), emails: Iterable[str] = ()) -> list[Span]:
    found: list[Span] = []
    structured = bool(kinds - {PersonalData.NAME})
    # Every structured kind is looked for even when not asked for, so that a NIK is not
    # half-taken for a phone number, nor an e-mail address for a name.
    if structured and "@" in text:
        found += [(PersonalData.EMAIL, *m.span()) for m in _EMAIL.finditer(text)]
    if structured:
        found += _numbers(text)
    if PersonalData.NAME in kinds:
        if isinstance(names, str):  # one name given as a string, not a list of names
            names = (names,)
        pattern = _name_pattern(tuple(name for name in names or () if name and name.strip()))
        if pattern is not None:
            found += [(PersonalData.NAME, *m.span()) for m in pattern.finditer(text)]
    known = _known_pattern(tuple(p for p in phones if p), tuple(e for e in emails if e))
    if known is not None:
        found += [(PersonalData.PHONE if m.lastgroup == "phone" else PersonalData.EMAIL, *m.span())
                  for m in known.finditer(text)]
    merged: list[Span] = []
    for kind, start, end in sorted(found, key=lambda span: (span[1], span[2])):
        if merged and start < merged[-1][2]:
            previous, first, last = merged[-1]
            stronger = min(previous, kind, key=_STRENGTH.__getitem__)
            merged[-1] = (stronger, first, max(last, end))
        else:
            merged.append((kind, start, end))
    return [span for span in merged if span[0] in kinds]


# --- the interface -----------------------------------------------------------------------------

def find_personal_data(
    text: str, kinds: frozenset[PersonalData] = EVERYTHING, *, names: Iterable[str] = (),
    phones: Iterable[str] = (), emails: Iterable[str] = (),
) -> list[Span]:
    """(kind, start, end) of each item of ``kinds`` in ``normalise(text)``: non-overlapping,
    sorted. ``names``: the complainant's known name(s), for :attr:`PersonalData.NAME`;
    ``phones``, ``emails``: their known numbers and addresses, found in any writing."""
    return _find(normalise(text), kinds, names, phones, emails)


def redact(
    text: str, kinds: frozenset[PersonalData] = EVERYTHING, *, names: Iterable[str] = (),
    phones: Iterable[str] = (), emails: Iterable[str] = (),
) -> str:
    """The text, normalised (NFKC, ASCII digits, no invisible characters; see
    :func:`normalise`), with every item of ``kinds`` replaced by its placeholder. A text
    without personal data comes back only normalised. ``names``, ``phones``, ``emails``:
    the identity the case knows (the complainant's), redacted in any writing."""
    clean = normalise(text)
    parts: list[str] = []
    last = 0
    for kind, start, end in _find(clean, kinds, names, phones, emails):
        parts += (clean[last:start], PLACEHOLDERS[kind])
        last = end
    if not parts:
        return clean
    parts.append(clean[last:])
    return "".join(parts)

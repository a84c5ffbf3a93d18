"""complaints.redaction: personal data in any writing is replaced; ordinary numbers stay."""

from __future__ import annotations

import itertools
import re
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from complaints.redaction import (
    EVERYTHING,
    PLACEHOLDERS,
    PersonalData,
    find_personal_data,
    normalise,
    redact,
)

NIK = PLACEHOLDERS[PersonalData.NIK]
PHONE = PLACEHOLDERS[PersonalData.PHONE]
EMAIL = PLACEHOLDERS[PersonalData.EMAIL]
ACCOUNT = PLACEHOLDERS[PersonalData.BANK_ACCOUNT]
NAME = PLACEHOLDERS[PersonalData.NAME]


def full_width(text: str) -> str:
    """Every printable ASCII character as its full-width form (０８１２, ＠, Ｂ)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


# --- NIK --------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", [
    "3578011234560001", "3578 0112 3456 0001", "3578-0112-3456-0001", "3578.0112.3456.0001",
    "35.78.01.123456.0001", "3578/0112/3456/0001", "3578 0112-3456.0001", "35 78-01/12.3456 0001",
    "3 5 7 8 0 1 1 2 3 4 5 6 0 0 0 1", full_width("3578011234560001"), full_width("3578-0112-3456-0001"),
    "3578\u200b0112\u200c3456\u2060000\ufeff1",  # split by zero-width characters
    "٣٥٧٨٠١١٢٣٤٥٦٠٠٠١", "۳۵۷۸۰۱۱۲۳۴۵۶۰۰۰۱", "३५७८ ०११२ ३४५६ ०००१",  # Arabic-Indic, Persian, Devanagari
    "\U0001d7d1\U0001d7d3\U0001d7d5\U0001d7d6011234560001",  # mathematical bold digits
    "9999999999999999", "0000 0000 0000 0000",  # no plausible structure: still taken
])
def test_a_nik_in_any_grouping(written: str) -> None:
    assert redact(f"NIK saya {written}, tolong dicek") == f"NIK saya {NIK}, tolong dicek"


def test_a_nik_glued_to_words_and_two_niks() -> None:
    assert redact("nik:3578011234560001.") == f"nik:{NIK}."
    assert redact("NIK3578011234560001 KK 3578010101010003") == f"NIK{NIK} KK {NIK}"


# --- phone numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize("written", [
    "081234567890", "0812-3456-7890", "0812 3456 7890", "0812.3456.7890", "(0812) 3456-7890", "(0812)34567890",
    "+62 812-3456-7890", "+6281234567890", "62812 3456 7890", "62 812 3456 7890", "+62 (812) 3456 7890",
    "(+62) 812 3456 7890", "+62-812-3456-7890", "085712345678", "0857 1234 567", "0812-3456-78901",
    full_width("0812-3456-7890"), full_width("+62 812 3456 7890"), "٠٨١٢٣٤٥٦٧٨٩٠", "0812\u200b3456\u200b7890",
    "(031) 5678 901", "031-5678901", "021 1234 5678", "0341 123456", "(0274) 512345",
    "+60 12-345 6789", "+1 415 555 2671", "+44 20 7946 0958",
])
def test_a_phone_number_in_any_writing(written: str) -> None:
    assert redact(f"hubungi {written} ya pak") == f"hubungi {PHONE} ya pak"


def test_a_phone_number_glued_to_a_word() -> None:
    assert redact("hp081234567890 wa:+6285712345678") == f"hp{PHONE} wa:{PHONE}"


# --- e-mail -------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", [
    "budi.santoso+lapor@gmail.co.id", "BUDI@MAIL.COM", "warga＠contoh.id", full_width("Budi.S@Mail.com"),
    "siti_aminah-99@pemkot.surabaya.go.id",
])
def test_an_email_address(written: str) -> None:
    assert redact(f"email saya {written} terima kasih") == f"email saya {EMAIL} terima kasih"
    assert redact(f"({written}).") == f"({EMAIL})."


# --- bank accounts ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("transfer ke rek BCA 1234567890 a.n. Pak X", f"transfer ke rek BCA {ACCOUNT} a.n. Pak X"),
    ("no rekening: 123-456-7890", f"no rekening: {ACCOUNT}"),
    ("norek 0123 4567 89 ya", f"norek {ACCOUNT} ya"),
    ("rek. 123456", f"rek. {ACCOUNT}"),
    ("No. Rekening 0021.01.123456.50.1", f"No. Rekening {ACCOUNT}"),
    ("Rekening Mandiri 1310012345678", f"Rekening Mandiri {ACCOUNT}"),
    ("nomor rekening bank BRI: 0021-01-123456-50-1", f"nomor rekening bank BRI: {ACCOUNT}"),
    ("no rek saya di Bank Jatim 0011223344", f"no rek saya di Bank Jatim {ACCOUNT}"),
    ("rekeningnya BSI 7123456789", f"rekeningnya BSI {ACCOUNT}"),
    ("norek " + full_width("0123 4567 89"), f"norek {ACCOUNT}"),
])
def test_a_bank_account_after_its_word(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "disuruh bayar 200000 lewat transfer",  # an amount, no account word
    "ayo rek, 3 hari belum diurus",  # "rek" as Surabaya slang, no number after it
    "rekan saya 123456 orang",  # "rekan" is not "rek"
    "rekening listrik 2025",  # too short for an account number
])
def test_numbers_without_the_account_word_are_not_accounts(text: str) -> None:
    assert redact(text) == text


# --- the complainant's name ---------------------------------------------------------------------


def test_the_complainants_name_whole_and_by_its_words() -> None:
    text = "Saya Budi Santoso, biasa dipanggil pak BUDI; adik saya santoso. Pak Budiman tidak, Santosowati juga."
    assert redact(text, names=["Budi Santoso"]) == (
        f"Saya {NAME}, biasa dipanggil pak {NAME}; adik saya {NAME}. Pak Budiman tidak, Santosowati juga.")
    assert redact("Saya Sulastri Wulandari", names=["sulastri  wulandari"]) == f"Saya {NAME}"
    assert redact("Bapak Suharto, ketua RT 03", names=["Bapak Suharto"]) == f"{NAME}, ketua RT 03"
    assert redact("yo pak, Sutrisno datang", names=["Yo Sutrisno"]) == f"yo pak, {NAME} datang"  # "yo" is kept
    assert redact("pak Ali datang", names=["Ali"]) == f"pak {NAME} datang"
    assert redact("Ni Luh datang, ni hari", names=["Ni Luh"]) == f"{NAME} datang, ni hari"  # the whole name only
    assert redact("ＢＵＤＩ melapor", names=["Budi"]) == f"{NAME} melapor"  # NFKC before matching
    assert redact("Budi dan Rahmat", names=["Budi", "Rahmat Hidayat"]) == f"{NAME} dan {NAME}"


def test_empty_names_are_ignored() -> None:
    assert redact("Sulastri datang", names=[]) == "Sulastri datang"
    assert redact("Sulastri datang", names=["", "   ", "A"]) == "Sulastri datang"
    assert redact("a b c", names=["", "   "]) == "a b c"
    assert redact("Sulastri datang", names=None) == "Sulastri datang"  # type: ignore[arg-type]
    assert redact("Sulastri datang", names=[None, "Sulastri"]) == f"{NAME} datang"  # type: ignore[list-item]
    assert redact("pak Budi", names="Budi") == f"pak {NAME}"  # one name as a string, not its letters


def test_names_are_only_redacted_when_asked_for() -> None:
    assert redact("pak Budi", EVERYTHING - {PersonalData.NAME}, names=["Budi"]) == "pak Budi"


# --- several kinds, overlaps, spans ---------------------------------------------------------------


def test_only_the_kinds_asked_for() -> None:
    text = "NIK 3578011234560001 hp 081234567890 email a@b.id"
    assert redact(text, frozenset({PersonalData.NIK})) == f"NIK {NIK} hp 081234567890 email a@b.id"
    assert redact(text, frozenset({PersonalData.PHONE})) == f"NIK 3578011234560001 hp {PHONE} email a@b.id"
    assert redact(text, frozenset()) == text
    assert [kind for kind, _, _ in find_personal_data(text)] == [PersonalData.NIK, PersonalData.PHONE,
                                                                 PersonalData.EMAIL]


def test_a_nik_is_never_half_taken_for_a_phone_number() -> None:
    text = "NIK 3578 0812 3456 7890"
    assert redact(text) == f"NIK {NIK}"
    assert redact(text, frozenset({PersonalData.PHONE})) == text  # a NIK, not a phone number


def test_overlapping_findings_become_one_placeholder_of_the_stronger_kind() -> None:
    assert redact("norek 0812-3456-7890") == f"norek {ACCOUNT}"
    assert redact("kirim ke budi081234567890@gmail.com") == f"kirim ke {EMAIL}"
    assert redact("budi.santoso@gmail.com", names=["Budi Santoso"]) == EMAIL


def test_several_items_in_one_text() -> None:
    text = ("Nama Budi, NIK 3578 0112 3456 0001, HP 0812-3456-7890 atau +62 857 1234 5678, telp (031) 5678 901, "
            "email budi@mail.com, rek BCA 1234567890, RT 02/RW 05 tgl 17/08/2025 jam 08.30, Rp 200.000")
    assert redact(text, names=["Budi"]) == (
        f"Nama {NAME}, NIK {NIK}, HP {PHONE} atau {PHONE}, telp {PHONE}, email {EMAIL}, rek BCA {ACCOUNT}, "
        "RT 02/RW 05 tgl 17/08/2025 jam 08.30, Rp 200.000")


def test_spans_refer_to_the_normalised_text() -> None:
    text = "ＮＩＫ ３５７８\u200b０１１２３４５６０００１ hp ０８１２-３４５６-７８９０ pak Budi"
    clean = normalise(text)
    assert clean == "NIK 3578011234560001 hp 0812-3456-7890 pak Budi"
    spans = find_personal_data(text, names=["Budi"])
    assert [(kind, clean[start:end]) for kind, start, end in spans] == [
        (PersonalData.NIK, "3578011234560001"), (PersonalData.PHONE, "0812-3456-7890"), (PersonalData.NAME, "Budi")]
    assert spans == sorted(spans, key=lambda span: span[1])
    assert all(a[2] <= b[1] for a, b in itertools.pairwise(spans))


def test_every_kind_has_a_digit_free_placeholder() -> None:
    assert set(PLACEHOLDERS) == set(EVERYTHING) == set(PersonalData)
    assert not any(ch.isdigit() for placeholder in PLACEHOLDERS.values() for ch in placeholder)


# --- what stays -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "kejadian tanggal 10-03-2025 jam 08.30",
    "tgl 17/08/2025 pukul 07.30-08.00",
    "dari 17/08/2025-20/08/2025",  # a period: 16 digits, but not a NIK
    "periode 2025-03-10 2025-03-17",
    "sudah 2025 hari, tahun 2024-2025",
    "diminta uang 200000 buat urus KTP",
    "pungli Rp 200.000 dan Rp 1.500.000, katanya 200rb",
    "anggaran Rp 62.500.000.000 dan Rp628.123.456.789",
    "RT 02/RW 05 Kebraon",
    "RT 008 RW 012",
    "kode OTP 482913",
    "kode 081234",
    "kode pos 60225",
    "laporan LPR-7KQ3-MN",
    "koordinat -7.2900, 112.7100",
    "jalan sepanjang 62 meter, lubang 8 cm",
    "nomor rumah 80, gang 5, No. 12A",
    "tahun 2024 dan 2025",
    "NIB 1234",
    "jam 08:30-10:00",
    "nomor surat 005/123/436.7.3/2025",
    "call center 112, antrian 0012",
    "harga Rp. 2.000.000,- atau 1.250.000,00",
])
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert redact(text) == text
    assert find_personal_data(text) == []


def test_a_text_without_personal_data_comes_back_only_normalised() -> None:
    assert redact("Ｊａｌａｎ bolong") == unicodedata.normalize("NFKC", "Ｊａｌａｎ bolong") == "Jalan bolong"
    assert redact("RT ٠٢") == "RT 02"  # digits become ASCII
    assert redact("jalan\u200b rusak") == "jalan rusak"  # invisible characters go
    assert redact("Jalan rusak, kasihan warga 🙏") == "Jalan rusak, kasihan warga 🙏"
    assert redact("") == ""


# --- generated writings (the acceptance criterion) --------------------------------------------------

DIGIT_SETS = (
    "0123456789",
    "０１２３４５６７８９",  # full-width
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "۰۱۲۳۴۵۶۷۸۹",  # extended Arabic-Indic (Persian)
    "०१२३४५६७८९",  # Devanagari
    "๐๑๒๓๔๕๖๗๘๙",  # Thai
    "".join(chr(0x1D7CE + i) for i in range(10)),  # mathematical bold
)
# zero or one separator between two digits; invisible characters and NFKC twins count as none or one
PHONE_SEPARATORS = ["", " ", "-", ".", "\u00a0", "－", "．", "\u200b", " \u200b", "\u2060-"]
NIK_SEPARATORS = [*PHONE_SEPARATORS, "/"]
WORDS = ["saya", "mau", "lapor", "pungli", "di", "kelurahan", "Wonokromo", "tolong", "dicek", "pak", "bu",
         "hubungi", "nomor", "hp", "wa", "NIK", "KK", "ini", "ya", "terima", "kasih", "jalan", "rusak",
         "RT 02", "RW 05", "jam 08.30", "Rp 200.000", "200rb", "gang 5", "No. 12A", "tahun 2025", "rek"]
GLUES = ["", " ", ": ", ", ", "\n", " (", ") ", ". "]


def digits_in(digits: str, draw: st.DrawFn) -> str:
    """The digits in one script, or each digit in a script of its own."""
    if draw(st.booleans()):
        digit_set = draw(st.sampled_from(DIGIT_SETS))
        return "".join(digit_set[int(d)] for d in digits)
    return "".join(draw(st.sampled_from(DIGIT_SETS))[int(d)] for d in digits)


def grouped(digits: str, draw: st.DrawFn, separators: list[str]) -> str:
    """The digits in random groups, each gap with a separator of its own (or none)."""
    shown = digits_in(digits, draw)
    if not shown:
        return ""
    out = [shown[0]]
    for ch in shown[1:]:
        if draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(separators)))
        out.append(ch)
    return "".join(out)


@st.composite
def niks(draw: st.DrawFn) -> tuple[str, str]:
    digits = draw(st.text(alphabet="0123456789", min_size=16, max_size=16))
    return digits, grouped(digits, draw, NIK_SEPARATORS)


@st.composite
def mobiles(draw: st.DrawFn) -> tuple[str, str]:
    """0/62/+62, 8, 8-11 digits; the prefix perhaps in parentheses: (0812) 3456, (+62) 812, +62 (812)."""
    national = "8" + draw(st.text(alphabet="0123456789", min_size=8, max_size=11))
    prefix = draw(st.sampled_from(["0", "62", "+62"]))
    plus = draw(st.sampled_from(["+", "＋", "+ "])) if prefix.startswith("+") else ""
    shown_prefix = plus + digits_in(prefix.lstrip("+"), draw)
    sep = draw(st.sampled_from(PHONE_SEPARATORS[:4]))
    style = draw(st.sampled_from(["plain", "(prefix)", "(prefix+operator)", "prefix (operator)"]))
    if style == "plain":
        written = shown_prefix + sep + grouped(national, draw, PHONE_SEPARATORS)
    elif style == "(prefix)":
        written = f"({shown_prefix}){sep}{grouped(national, draw, PHONE_SEPARATORS)}"
    elif style == "(prefix+operator)":
        written = f"({shown_prefix}{digits_in(national[:3], draw)}){sep}{grouped(national[3:], draw, PHONE_SEPARATORS)}"
    else:
        written = f"{shown_prefix}{sep}({digits_in(national[:3], draw)}){sep}{grouped(national[3:], draw, PHONE_SEPARATORS)}"
    return prefix.lstrip("+") + national, written


@st.composite
def embedded(draw: st.DrawFn, number: st.SearchStrategy[tuple[str, str]]) -> tuple[str, str]:
    """The number inside Indonesian-ish text, perhaps glued to a word."""
    digits, written = draw(number)
    before = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6)))
    after = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=6)))
    glue_before, glue_after = draw(st.sampled_from(GLUES)), draw(st.sampled_from(GLUES))
    if before and before[-1].isdigit() and not glue_before.strip(" "):
        glue_before = ", "  # two numbers run together are one number, for a reader too
    if after and after[0].isdigit() and not glue_after.strip(" "):
        glue_after = ", "
    return digits, f"{before}{glue_before}{written}{glue_after}{after}"


def visible_runs(original: str, output: str, length: int = 8) -> list[str]:
    """Runs of ``length`` digits of ``original`` still readable in ``output`` (digits joined
    over any separator)."""
    stream = re.sub(r"\D", "", normalise(output))
    return [original[i:i + length] for i in range(len(original) - length + 1) if original[i:i + length] in stream]


DATE = r"(?:\d\d([/.\-])\d\d\1\d{4}|\d{4}([/.\-])\d\d\2\d\d)"


@settings(max_examples=300, deadline=None)
@given(case=st.one_of(embedded(niks()), embedded(mobiles())))
def test_no_eight_digits_of_a_generated_nik_or_phone_stay_visible(case: tuple[str, str]) -> None:
    digits, text = case
    # A NIK written exactly as two dates ("17/08/2025-20/08/2025") is taken for a period.
    assume(not re.search(rf"{DATE}[ ./\-]{DATE}", normalise(text)))
    output = redact(text)
    assert visible_runs(digits, output) == [], (text, output)


@settings(max_examples=200, deadline=None)
@given(local=st.from_regex(r"[a-z][a-z0-9._+\-]{0,15}[a-z0-9]", fullmatch=True),
       domain=st.from_regex(r"[a-z][a-z0-9\-]{1,10}\.(co\.id|id|com|go\.id|ac\.id)", fullmatch=True),
       upper=st.booleans(), wide=st.sampled_from(["no", "at", "all"]),
       before=st.lists(st.sampled_from(WORDS), max_size=5), after=st.lists(st.sampled_from(WORDS), max_size=5),
       glue_before=st.sampled_from([" ", ": ", "\n", " (", " <"]), glue_after=st.sampled_from([" ", ", ", ") ", "> "]))
def test_a_generated_email_address_is_gone(local: str, domain: str, upper: bool, wide: str, before: list[str],
                                           after: list[str], glue_before: str, glue_after: str) -> None:
    address = f"{local}@{domain}".upper() if upper else f"{local}@{domain}"
    address = {"no": address, "at": address.replace("@", "＠"), "all": full_width(address)}[wide]
    head, tail = " ".join(before), " ".join(after)
    output = redact(f"{head}{glue_before}{address}{glue_after}{tail}")
    assert output == f"{head}{glue_before}{EMAIL}{glue_after}{tail}"
    assert f"{local}@" not in output.lower()


ORDINARY = ["RT 02", "RW 05", "RT 008 RW 012", "jam 08.30", "pukul 07.30-08.00", "Rp 200.000", "Rp 1.500.000",
            "200rb", "tanggal 17/08/2025", "tgl 10-03-2025", "kode pos 60225", "nomor rumah 80", "gang 5", "No. 12A",
            "tahun 2025", "kode OTP 482913", "LPR-7KQ3-MN", "koordinat -7.2900, 112.7100", "62 meter", "2 kali",
            "diminta 200000", "saya", "lapor", "jalan", "rusak", "di", "kelurahan", "pak", "bu", "tolong"]


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(ORDINARY), max_size=12), glue=st.sampled_from([" ", ", ", ". ", "\n"]))
def test_generated_text_with_only_ordinary_numbers_is_unchanged(words: list[str], glue: str) -> None:
    text = glue.join(words)
    assert redact(text) == text

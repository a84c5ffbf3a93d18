"""The dashboard of heads, supervisors and the admin (/petugas/dasbor), on SQLite and
PostgreSQL: what each of them sees, the figures after real moves through the REST API,
the recap downloads, and the period form."""

import csv
import io
import re
from html import unescape

from openpyxl import load_workbook

from complaints.model import Actor
from complaints.taxonomy import Role
from complaints.usecases import followup
from tests.web_harness import Console

DSDABM = "Dinas Sumber Daya Air dan Bina Marga"
DLH = "Dinas Lingkungan Hidup"
PUSAT = "Admin Pengaduan Kota (Bagian Organisasi)"
NOVEMBER = "?dari=2026-11-01&sampai=2026-11-30"
ROW = re.compile(r'<tr>\s*<th scope="row">([^<]+)</th>(.*?)</tr>', re.DOTALL)
CELL = re.compile(r'<td class="num">([^<]*)</td>')
COLUMNS = ("open", "overdue", "filed", "resolved", "first_response", "resolution", "on_time", "ikm")


def table(html: str) -> dict[str, dict[str, str]]:
    """The dashboard's table: unit name -> column -> the cell's text."""
    return {unescape(name): dict(zip(COLUMNS, (unescape(c) for c in CELL.findall(cells)), strict=True))
            for name, cells in ROW.findall(html)}


async def handled(console: Console, category: str, unit_key: str, *, answer_after_hours: float = 0,
                  resolve_after_hours: float = 0) -> str:
    """A complaint filed, disposed by the admin, answered and resolved by its unit."""
    code = await console.file(service_code=category)
    assert (await console.api.set_status(code, "didisposisikan")).status_code == 200
    if answer_after_hours:
        console.clock.advance(hours=answer_after_hours)
        done = await console.api.set_status(code, "diproses", key=unit_key, note="Sedang kami tangani.")
        assert done.status_code == 200, done.text
    if resolve_after_hours:
        console.clock.advance(hours=resolve_after_hours)
        done = await console.api.set_status(code, "selesai", key=unit_key, note="Sudah diperbaiki.")
        assert done.status_code == 200, done.text
    return code


async def test_plain_officers_get_a_403_page_and_strangers_the_sign_in(console: Console) -> None:
    officer = await console.sign_in("petugas-dsdabm")
    page = await officer.get("/petugas/dasbor")
    download = await officer.get("/petugas/dasbor/rekap.xlsx")
    stranger = await console.client().get("/petugas/dasbor", follow_redirects=False)
    assert page.status_code == 403 and "Dasbor hanya untuk kepala unit, supervisor, dan admin." in page.text
    assert download.status_code == 403 and "spreadsheetml" not in download.headers["content-type"]
    assert stranger.status_code == 303 and stranger.headers["location"].startswith("/petugas/masuk")


async def test_a_supervisor_sees_their_unit_and_the_admin_every_unit(console: Console) -> None:
    # two road complaints (dsdabm): answered after 2 h and 4 h, resolved after 24 h and 75 h
    # (median 49 h 30 min, shown rounded);
    # one waste complaint (dlh): answered after 1 h; one not disposed yet (the central unit's)
    await handled(console, "jalan", "dsdabm", answer_after_hours=2, resolve_after_hours=22)
    await handled(console, "jalan", "dsdabm", answer_after_hours=4, resolve_after_hours=71)
    await handled(console, "sampah", "dlh", answer_after_hours=1)
    await console.file(service_code="jalan")
    supervisor = await console.sign_in("supervisor-dsdabm")
    admin = await console.sign_in("admin-pusat")
    head = await console.sign_in("kepala-pusat")

    mine = await supervisor.get("/petugas/dasbor")
    everything = await admin.get("/petugas/dasbor")
    central = await head.get("/petugas/dasbor")

    assert mine.status_code == 200 and mine.headers["cache-control"] == "no-store"
    assert "aria-current=\"page\"" in mine.text and "Ringkasan: " + DSDABM in mine.text
    assert list(table(mine.text)) == [DSDABM] and DLH not in mine.text
    roads = table(mine.text)[DSDABM]
    assert roads == {"open": "0", "overdue": "0", "filed": "2", "resolved": "2", "first_response": "3 jam",
                     "resolution": "2 hari 2 jam", "on_time": "100,0%", "ikm": "-"}
    lines = table(everything.text)
    assert list(lines)[:3] == [PUSAT, DSDABM, DLH] and lines[DSDABM] == roads
    assert lines[PUSAT]["open"] == "1" and lines[PUSAT]["filed"] == "1"  # not disposed yet: the central unit's
    assert lines[DLH]["open"] == "1" and lines[DLH]["first_response"] == "1 jam"
    assert lines["Semua unit"]["filed"] == "4" and lines["Semua unit"]["open"] == "2"
    assert lines["Semua unit"]["first_response"] == "2 jam"  # the median of 1, 2 and 4 hours
    assert table(central.text) == lines  # the central unit's head oversees every unit


async def test_overdue_cases_are_counted_once_their_deadline_has_passed(console: Console) -> None:
    road = await console.file(service_code="jalan")
    await console.api.set_status(road, "didisposisikan")  # dsdabm: first follow-up within 5 working days
    await console.file(service_code="sampah")  # the central admin verifies within 3 working days
    admin = await console.sign_in("admin-pusat")
    before = table((await admin.get("/petugas/dasbor")).text)
    console.clock.advance(days=10)
    console.officers.clear()  # the session ended while idle: sign in again
    admin = await console.sign_in("admin-pusat")
    after = table((await admin.get(f"/petugas/dasbor{NOVEMBER}")).text)
    assert (before[DSDABM]["open"], before[DSDABM]["overdue"]) == ("1", "0")
    assert (after[DSDABM]["open"], after[DSDABM]["overdue"]) == ("1", "1")
    assert (after[PUSAT]["open"], after[PUSAT]["overdue"]) == ("1", "1")
    assert after["Semua unit"]["overdue"] == "2"
    december = table((await admin.get("/petugas/dasbor")).text)  # now 3 December: this month
    assert december["Semua unit"]["filed"] == "0" and december["Semua unit"]["overdue"] == "2"


async def test_the_ikm_after_a_rating(console: Console) -> None:
    code = await handled(console, "jalan", "dsdabm", answer_after_hours=1, resolve_after_hours=1)
    async with console.app.uow() as uow:  # the complainant rates the answer in their chat
        found = await uow.complaints.get(code)
        assert found is not None
        citizen = Actor(f"{found.channel}:{found.sender}", Role.COMPLAINANT)
        await followup.rate(console.app.context(), uow, code, citizen, True, console.clock())
        await followup.score(console.app.context(), uow, code, citizen, 4, console.clock())
        await uow.commit()
    supervisor = await console.sign_in("supervisor-dsdabm")
    page = await supervisor.get("/petugas/dasbor")
    assert table(page.text)[DSDABM]["ikm"] == "100,00"
    assert "mutu A (Sangat Baik) (1 penilaian)" in page.text


async def test_the_chart_is_drawn_on_the_server_with_a_text_alternative(console: Console) -> None:
    road = await console.file(service_code="jalan")
    await console.api.set_status(road, "didisposisikan")
    admin = await console.sign_in("admin-pusat")
    page = (await admin.get("/petugas/dasbor")).text
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "style=" not in svg and "<script" not in page
    assert f"{DSDABM}: 1 terbuka, 0 terlambat." in unescape(svg)
    assert "<caption" in page and 'scope="col"' in page and 'scope="row"' in page


async def test_the_recap_downloads_hold_the_period_and_the_scope(console: Console) -> None:
    road = await handled(console, "jalan", "dsdabm", answer_after_hours=1)
    waste = await handled(console, "sampah", "dlh", answer_after_hours=1)
    undisposed = await console.file(service_code="jalan")  # suggested for dsdabm, not disposed yet
    supervisor = await console.sign_in("supervisor-dsdabm")
    admin = await console.sign_in("admin-pusat")

    mine = await supervisor.get(f"/petugas/dasbor/rekap.xlsx{NOVEMBER}")
    everything = await admin.get("/petugas/dasbor/rekap.xlsx")
    book = await supervisor.get(f"/petugas/dasbor/rekap.csv{NOVEMBER}")
    summary = await admin.get("/petugas/dasbor/rekap-ringkasan.csv")
    unknown = await admin.get("/petugas/dasbor/rekap.pdf")

    def codes(response) -> set[str]:
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        return {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}

    assert mine.status_code == 200 and mine.headers["cache-control"] == "no-store"
    assert mine.headers["content-disposition"] == \
        'attachment; filename="rekap-pengaduan-dsdabm-2026-11-01_2026-11-30.xlsx"'
    assert codes(mine) == {road} and codes(everything) == {road, waste, undisposed}
    rows = list(csv.reader(io.StringIO(book.content.decode("utf-8-sig")), delimiter=";"))
    assert book.headers["content-type"].startswith("text/csv") and [r[2] for r in rows[1:]] == [road]
    assert summary.headers["content-disposition"] == \
        'attachment; filename="rekap-pengaduan-2026-11-01_2026-11-30-ringkasan.csv"'
    assert "Semua unit" in summary.content.decode("utf-8-sig")
    assert unknown.status_code == 404


async def test_bad_dates_get_a_clear_message_and_nothing_breaks(console: Console) -> None:
    admin = await console.sign_in("admin-pusat")
    unreadable = await admin.get("/petugas/dasbor?dari=2026-13-45&sampai=kemarin")
    backwards = await admin.get("/petugas/dasbor?dari=2026-11-30&sampai=2026-11-01")
    too_long = await admin.get("/petugas/dasbor?dari=2020-01-01&sampai=2026-11-30")
    typed = await admin.get("/petugas/dasbor?dari=01-11-2026&sampai=15/11/2026")
    download = await admin.get("/petugas/dasbor/rekap.csv?dari=2026-11-30&sampai=2026-11-01")

    assert unreadable.status_code == 400 and 'role="alert"' in unreadable.text
    assert "Tanggal awal &#34;2026-13-45&#34; tidak dapat dibaca" in unreadable.text
    assert "angka bulan ini" in unreadable.text and "<table" in unreadable.text
    assert backwards.status_code == 400 and "jatuh sesudah tanggal akhir" in backwards.text
    assert too_long.status_code == 400 and "Periode paling panjang 366 hari" in too_long.text
    assert typed.status_code == 200 and "1 November 2026 s.d. 15 November 2026" in typed.text
    assert 'value="2026-11-01"' in typed.text and 'value="2026-11-15"' in typed.text
    assert download.status_code == 400 and "jatuh sesudah tanggal akhir" in download.text

"""`aduan report` end to end on SQLite and PostgreSQL: complaints filed and handled through
the domain at fixed times, exported as xlsx, csv and html, and read back."""

import csv
import io
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart

from aduan.commands.report import ProgressReport, report
from aduan.report import ReportRequest, export_report
from aduan.report.html import HtmlReport
from aduan.report.table import ReportContext
from complaints.model import Actor, Complaint, Place
from complaints.recap import Period, RecapBook, RecapRules
from complaints.taxonomy import Category, Role, Status
from complaints.usecases import casework, filing, followup
from storage import reporting
from tests.chat_harness import WIB

ADUAN = str(Path(sys.executable).parent / "aduan")
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
AS_OF = datetime(2026, 11, 30, 12, 0, tzinfo=WIB)
AS_OF_ISO = "2026-11-30T12:00:00+07:00"


def at(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


async def file(app, now, category, channel, sender) -> str:
    complaint = Complaint(code="", description="laporan warga", channel=channel, sender=sender, created_at=now,
                          category=category, place=Place("Jl. Contoh 1"))
    async with app.uow() as uow:
        await filing.submit(app.context(), uow, complaint, now)
        await uow.commit()
    return complaint.code


async def move(app, code, status, officer, now, note=""):
    async with app.uow() as uow:
        await casework.change_status(app.context(), uow, code, status, app.org.officers[officer].actor, now, note)
        await uow.commit()


async def rate(app, code, channel, sender, satisfied, now, score=None):
    citizen = Actor(f"{channel}:{sender}", Role.COMPLAINANT)
    async with app.uow() as uow:
        await followup.rate(app.context(), uow, code, citizen, satisfied, now)
        if score is not None:
            await followup.score(app.context(), uow, code, citizen, score, now)
        await uow.commit()


@pytest.fixture
async def november(app):
    """Five complaints filed in November 2026 (WIB) and two just outside it.

    F  Sun 1 Nov 06:00 (31 Oct in UTC), sampah -> dlh, never verified; escalated to the
       central unit's head (level 2) by the sweep of Thu 5 Nov.
    A  Mon 2 Nov, sampah -> dlh: disposed, processed, answered Fri 6 Nov, puas, SKM 4.
    B  Mon 9 Nov, jalan -> dsdabm: disposed late (Mon 16 Nov, due Thu 12 Nov), answered,
       tidak puas (reopened, level 2 to the unit), answered again Mon 23 Nov, puas, SKM 3.
    C  Wed 25 Nov, kesehatan -> dinkes: rejected an hour later.
    D  Fri 27 Nov, lainnya -> pusat: not verified yet, deadline Wed 2 Dec.
    """
    codes = {}
    codes["before"] = await file(app, at(31, 23, 30, month=10), Category.SAMPAH, "telegram", "w0")
    codes["F"] = await file(app, at(1, 6), Category.SAMPAH, "telegram", "w1")
    codes["A"] = a = await file(app, at(2), Category.SAMPAH, "telegram", "w2")
    await move(app, a, Status.DIDISPOSISIKAN, "admin-pusat", at(3, 10))
    await move(app, a, Status.DIPROSES, "petugas-dlh", at(4, 10), "Truk dijadwalkan besok")
    report = await app.sweeper.sweep(at(5, 9))
    assert sorted(report.escalated) == sorted([(codes["before"], 2), (codes["F"], 2)])
    await move(app, a, Status.SELESAI, "petugas-dlh", at(6, 15), "Sampah sudah diangkut")
    await rate(app, a, "telegram", "w2", True, at(7, 10), score=4)
    codes["B"] = b = await file(app, at(9), Category.JALAN, "console", "w3")
    await move(app, b, Status.DIDISPOSISIKAN, "admin-pusat", at(16))
    await move(app, b, Status.DIPROSES, "petugas-dsdabm", at(17), "Tim survei ke lokasi")
    await move(app, b, Status.SELESAI, "petugas-dsdabm", at(19, 10), "Jalan sudah ditambal")
    await rate(app, b, "console", "w3", False, at(20))
    await move(app, b, Status.SELESAI, "petugas-dsdabm", at(23, 10), "Jalan sudah diaspal ulang")
    await rate(app, b, "console", "w3", True, at(24), score=3)
    codes["C"] = c = await file(app, at(25, 10), Category.KESEHATAN, "whatsapp", "w4")
    await move(app, c, Status.DITOLAK, "admin-pusat", at(25, 11), "Laporan ganda")
    codes["D"] = await file(app, at(27, 14), Category.LAINNYA, "console", "w5")
    codes["after"] = await file(app, at(1, 0, 30, month=12), Category.SAMPAH, "telegram", "w6")  # 30 Nov in UTC
    return codes


BOOK = ["F", "A", "B", "C", "D"]  # in filing order
ON_TIME = {"F": "Tidak", "A": "Ya", "B": "Tidak", "C": "Ya", "D": "Dalam proses"}


async def export(app, tmp_path, fmt, unit_id=None):
    request = ReportRequest(NOVEMBER, fmt, tmp_path / f"rekap.{fmt}", AS_OF, unit_id)
    return await export_report(app.db, app.org, app.context().calendar, request)


def find_row(rows, first):
    return next(row for row in rows if row and row[0] == first)


async def test_xlsx_book_summary_and_charts(app, november, tmp_path):
    result = await export(app, tmp_path, "xlsx")
    assert result.paths == [tmp_path / "rekap.xlsx"] and result.count == 5
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["rekap.xlsx"]  # no leftovers
    book = load_workbook(tmp_path / "rekap.xlsx")
    assert book.sheetnames == ["Buku Rekapitulasi", "Ringkasan"]

    sheet = book["Buku Rekapitulasi"]
    header, *rows = list(sheet.values)
    assert len(rows) == 5
    column = {name: i for i, name in enumerate(header)}
    assert [row[column["Kode Laporan"]] for row in rows] == [november[k] for k in BOOK]
    assert [row[column["Sesuai Batas Waktu"]] for row in rows] == [ON_TIME[k] for k in BOOK]
    assert [row[column["Verifikasi Tepat Waktu"]] for row in rows] == ["Tidak", "Ya", "Tidak", "Ya", "Dalam proses"]
    assert [row[column["Penyelesaian Tepat Waktu"]] for row in rows] == ["Dalam proses", "Ya", "Ya", "-",
                                                                       "Dalam proses"]
    first = rows[0]
    assert first[column["Tanggal Masuk"]] == datetime(2026, 11, 1)  # a real date, local day
    assert sheet["B2"].number_format == "DD/MM/YYYY"
    a = rows[1]
    assert (a[column["Kanal"]], a[column["Kategori"]], a[column["Unit"]]) == (
        "Telegram", "Kebersihan dan Sampah", "Dinas Lingkungan Hidup")
    assert (a[column["Status"]], a[column["Lama (hari kerja)"]], a[column["Lama (hari kalender)"]]) == (
        "Ditutup", 4, 4)
    assert (a[column["Penilaian"]], a[column["Nilai SKM"]], a[column["Pendukung"]]) == ("Puas", 4, 0)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:Q6"  # through "Pendukung"
    assert sheet["A1"].font.bold and sheet.column_dimensions["E"].width > 20

    summary = book["Ringkasan"]
    cells = [row for row in summary.values]
    assert find_row(cells, "Jumlah laporan masuk")[1] == 5
    assert find_row(cells, "Selesai atau ditutup")[1] == 2
    assert find_row(cells, "Rata-rata lama penyelesaian (hari kerja)")[1] == 7.0  # (4 + 10) / 2
    assert find_row(cells, "Rata-rata lama penyelesaian (hari kalender)")[1] == 9.0  # (4 + 14) / 2
    assert find_row(cells, "Indeks Kepuasan Masyarakat (IKM, skala 25-100)")[1] == 87.5  # (4 + 3) / 2 x 25
    assert find_row(cells, "Mutu pelayanan")[1] == "B (Baik)"
    verify = find_row(cells, "Verifikasi dan disposisi")
    assert verify[2:6] == (2, 2, 1, 0.5)  # met, missed, running, share
    assert find_row(cells, "Tindak lanjut pertama oleh unit")[2:6] == (3, 0, 0, 1.0)  # B's reopening included
    assert find_row(cells, "Penyelesaian")[2:6] == (2, 0, 2, 1.0)
    assert find_row(cells, "Kebersihan dan Sampah")[1] == 2
    assert find_row(cells, "Telegram")[1] == 2 and find_row(cells, "Terminal")[1] == 2
    # escalations by unit: level 2 at the central unit (F, overdue) and at the roads unit (B, reopened)
    start = cells.index(find_row(cells, "Eskalasi per unit"))
    assert cells[start + 1][:5] == ("Unit", "1. Pengingat", "2. Lewat batas waktu", "3. Eskalasi ke pimpinan",
                                    "Jumlah eskalasi")
    assert [row[:5] for row in cells[start + 2:start + 5]] == [
        ("Dinas Sumber Daya Air dan Bina Marga", 0, 1, 0, 1),
        ("Admin Pengaduan Kota (Bagian Organisasi)", 0, 1, 0, 1),
        (None, None, None, None, None),
    ]
    weeks = cells[cells.index(find_row(cells, "Tren mingguan")) + 2:][:6]
    assert [w[1:3] for w in weeks] == [(1, 0), (1, 1), (1, 0), (0, 0), (2, 1), (0, 0)]
    charts = summary._charts
    assert [type(c) for c in charts] == [LineChart, BarChart, BarChart]
    assert charts[2].grouping == "percentStacked"


async def test_csv_book_and_summary_for_indonesian_excel(app, november, tmp_path):
    result = await export(app, tmp_path, "csv")
    book_path, summary_path = result.paths
    assert summary_path.name == "rekap-ringkasan.csv"
    raw = book_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark, for Excel
    with book_path.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f, delimiter=";"))
    assert len(rows) == 5 and header[2] == "Kode Laporan"
    assert [row[2] for row in rows] == [november[k] for k in BOOK]
    assert [row[header.index("Sesuai Batas Waktu")] for row in rows] == [ON_TIME[k] for k in BOOK]
    assert rows[0][1] == "01/11/2026" and rows[1][header.index("Nilai SKM")] == "4"
    with summary_path.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f, delimiter=";"))
    assert find_row(lines, "Jumlah laporan masuk")[1] == "5"
    assert find_row(lines, "Indeks Kepuasan Masyarakat (IKM, skala 25-100)")[1] == "87,50"
    assert find_row(lines, "Rata-rata lama penyelesaian (hari kerja)")[1] == "7,0"
    assert find_row(lines, "Verifikasi dan disposisi")[2:] == ["2", "2", "1", "50,0%"]
    assert find_row(lines, "Mutu pelayanan")[1] == "B (Baik)"


async def test_html_is_self_contained_with_three_charts(app, november, tmp_path):
    [path] = (await export(app, tmp_path, "html")).paths
    page = path.read_text(encoding="utf-8")
    assert page.count("<svg") == 3
    for chart in ("grafik-weeks", "grafik-category", "grafik-compliance"):
        assert f'id="{chart}"' in page
    assert "Tren laporan per minggu" in page and "Ketepatan waktu per unit" in page
    assert "87,50" in page and "B (Baik)" in page and "50,0%" in page
    assert all(november[k] in page for k in BOOK)
    assert november["before"] not in page and november["after"] not in page
    # nothing fetched from elsewhere: no scripts, stylesheets, images or fonts by URL
    assert "<script" not in page and "<link" not in page and "src=" not in page and "@import" not in page
    assert "@media print" in page and 'lang="id"' in page


async def test_html_lists_at_most_its_row_limit_but_sums_up_everything(app, november, tmp_path):
    start, end = NOVEMBER.bounds(WIB)
    ctx = ReportContext(app.org, NOVEMBER, AS_OF)
    book = RecapBook(RecapRules(app.org, app.context().calendar, AS_OF), NOVEMBER)
    page = HtmlReport([tmp_path / "r.html"], ctx, row_limit=2)
    async for complaints in reporting.submitted_between(app.db, start, end, page_size=2):  # three pages
        for complaint in complaints:
            page.add(book.add(complaint))
    html = page.render(book.summary())
    listed = html[html.index('id="tabel-rows"'):]
    assert november["A"] in listed and november["B"] not in listed
    assert "Ditampilkan 2 dari 5 laporan" in html
    assert '<td>Jumlah laporan masuk</td><td class="num">5</td>' in html  # the summary counts all


async def test_html_without_matplotlib_says_so(app, november, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    [path] = (await export(app, tmp_path, "html")).paths
    page = path.read_text(encoding="utf-8")
    assert "<svg" not in page
    assert "matplotlib belum terpasang" in page and "aduan[charts]" in page
    assert "87,50" in page  # the tables are all there


async def test_one_unit_only(app, november, tmp_path):
    result = await export(app, tmp_path, "csv", unit_id="dlh")
    with result.paths[0].open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))[1:]
    assert [row[2] for row in rows] == [november["F"], november["A"]]


# --- the real command -------------------------------------------------------------------------

@pytest.fixture
def aduan(database_url, tmp_path):
    env = {**os.environ, "ADUAN_DATABASE_URL": database_url, "ADUAN_DATA_DIR": str(tmp_path / "data")}
    workdir = tmp_path / "out"
    workdir.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([ADUAN, "report", *args], capture_output=True, text=True, env=env, cwd=workdir,
                              timeout=120, check=False)

    run.workdir = workdir
    return run


async def test_command_writes_the_file_and_refuses_bad_input(app, november, aduan):
    done = aduan("--from", "2026-11-01", "--to", "2026-11-30", "--as-of", AS_OF_ISO)
    assert done.returncode == 0, done.stderr
    expected = aduan.workdir / "rekap-pengaduan-2026-11-01_2026-11-30.xlsx"
    assert done.stdout.strip() == str(expected)
    assert "Rekap 5 laporan tersimpan" in done.stderr
    assert len(list(load_workbook(expected)["Buku Rekapitulasi"].values)) == 6
    expected.unlink()

    for args, message in [
        (("--from", "2026-11-31", "--to", "2026-12-01"), 'Tanggal --from "2026-11-31" tidak valid'),
        (("--from", "2026-11-01", "--to", "2026-11-30", "--unit", "dinas-x"), 'Unit "dinas-x" tidak terdaftar'),
    ]:
        refused = aduan(*args)
        assert refused.returncode == 2, (args, refused.stderr)
        assert refused.stderr.startswith("Kesalahan: ") and message in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr
        assert list(aduan.workdir.iterdir()) == []  # nothing written


@pytest.mark.parametrize(("args", "message"), [
    (("--from", "1/11/2026", "--to", "2026-11-30"), 'Tanggal --from "1/11/2026" tidak valid. Gunakan format TTTT-BB-HH'),
    (("--from", "2026-11-01", "--to", "2026-02-30"), 'Tanggal --to "2026-02-30" tidak valid'),
    (("--to", "2026-11-30"), "Mohon isi --from dengan tanggal"),
    (("--from", "2026-11-30", "--to", "2026-11-01"),
     "Tanggal awal (2026-11-30) lebih akhir dari tanggal akhir (2026-11-01)"),
    (("--from", "2026-11-01", "--to", "2026-11-30", "--format", "pdf"), 'Format "pdf" tidak dikenal. Pilihan: xlsx, csv, html'),
    (("--from", "2026-11-01", "--to", "2026-11-30", "--as-of", "kemarin"), '"kemarin" bukan waktu ISO'),
    (("--from", "2026-11-01", "--to", "2026-11-30", "--output", "tidak-ada/rekap.xlsx"), 'Folder "tidak-ada" tidak ada'),
])
def test_bad_input_is_refused_in_indonesian_before_touching_anything(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ADUAN_DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/none")  # never reached
    result = CliRunner().invoke(report, list(args))
    assert result.exit_code == 2
    assert result.stderr.startswith("Kesalahan: ") and message in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_and_nothing_for_short_exports():
    terminal = Terminal()
    progress = ProgressReport(terminal)
    for done in (0, 500, 1000, 1200):
        progress(done, 1200)
    progress.close()
    assert "Menyusun rekap" in terminal.getvalue() and "100%" in terminal.getvalue()
    quiet = io.StringIO()
    short = ProgressReport(quiet)
    short(0, 499)
    short(499, 499)
    assert quiet.getvalue() == ""


async def test_long_export_shows_progress(app, aduan):
    """1,100 complaints (three pages): progress lines on stderr when it is not a terminal."""
    first = at(2)
    async with app.uow() as uow:
        for i in range(1100):
            when = first.replace(hour=8 + i % 8, minute=i % 60)
            complaint = Complaint(code=f"LPR-{i:04d}-XX".replace("0", "A").replace("1", "B"), description="x",
                                  channel="telegram", sender=f"w{i}", created_at=when, category=Category.SAMPAH,
                                  unit_id="dlh")
            complaint.due_at = complaint.resolve_due_at = None
            await uow.complaints.add(complaint)
        await uow.commit()
    done = aduan("--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv", "--as-of", AS_OF_ISO)
    assert done.returncode == 0, done.stderr
    progress = [line for line in done.stderr.splitlines() if line.startswith("Menyusun rekap")]
    assert progress[0] == "Menyusun rekap: 0 dari 1.100 laporan (0%)"
    assert "Menyusun rekap: 500 dari 1.100 laporan (45%)" in progress
    assert progress[-1] == "Menyusun rekap: 1.100 dari 1.100 laporan (100%)"
    book = aduan.workdir / "rekap-pengaduan-2026-11-01_2026-11-30.csv"
    with book.open(encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.reader(f, delimiter=";"))) == 1101
    assert (aduan.workdir / "rekap-pengaduan-2026-11-01_2026-11-30-ringkasan.csv").exists()

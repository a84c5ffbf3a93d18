"""CSV for Excel as it is set up in Indonesia.

- UTF-8 with a byte order mark: without it Excel reads the file as ANSI and mangles
  anything outside ASCII (names, "–").
- ``;`` between fields, a decimal comma and dates as DD/MM/YYYY: Windows with the
  Indonesian regional format (id-ID) uses "," as the decimal symbol, so Excel expects ";"
  as the list separator when it opens a CSV by double-click; with "," every row would land
  in one column. (No "sep=;" line: Excel then ignores the byte order mark.)
- Two files: the book, one row per complaint (``PATH``), so it can be filtered and pivoted
  as is; and the summary (``PATH`` with ``-ringkasan`` before ``.csv``), one titled table
  after another, separated by an empty line.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from bot import texts
from complaints.recap import RecapRow, RecapSummary

from .table import Cell, Num, ReportContext, format_number, row_cells, row_header, summary_sections

ENCODING = "utf-8-sig"
DELIMITER = ";"
SUMMARY_SUFFIX = "-ringkasan"


def summary_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}{SUMMARY_SUFFIX}{path.suffix or '.csv'}")


def targets(path: Path) -> list[Path]:
    return [path, summary_path(path)]


def text(cell: Cell) -> str | int:
    if cell is None:
        return ""
    if isinstance(cell, Num):
        return format_number(cell)
    if isinstance(cell, date):
        return f"{cell:%d/%m/%Y}"
    return cell


def open_report(paths: list[Path], ctx: ReportContext) -> CsvReport:
    return CsvReport(paths, ctx)


class CsvReport:
    def __init__(self, paths: list[Path], ctx: ReportContext) -> None:
        self._rows_path, self._summary_path = paths
        self._ctx = ctx
        self._file = self._rows_path.open("w", encoding=ENCODING, newline="")
        self._writer = csv.writer(self._file, delimiter=DELIMITER)
        self._writer.writerow(row_header())
        self._count = 0

    def add(self, row: RecapRow) -> None:
        self._count += 1
        self._writer.writerow([text(cell) for cell in row_cells(self._count, row, self._ctx)])

    def finish(self, summary: RecapSummary) -> None:
        self._file.close()
        with self._summary_path.open("w", encoding=ENCODING, newline="") as file:
            writer = csv.writer(file, delimiter=DELIMITER)
            writer.writerow([texts.REPORT_SUMMARY_TITLE])
            for line in self._ctx.header_lines():
                writer.writerow([line])
            for section in summary_sections(summary, self._ctx):
                writer.writerow([])
                writer.writerow([section.title])
                writer.writerow(section.header)
                writer.writerows([text(cell) for cell in cells] for cells in section.rows)
            writer.writerow([])
            writer.writerow([texts.REPORT_SECTIONS["notes"]])
            writer.writerows([note] for note in texts.REPORT_NOTES)

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()

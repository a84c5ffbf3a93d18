"""Excel workbook (openpyxl, write-only so a long book streams to disk).

Sheet "Buku Rekapitulasi": one row per complaint, a styled and frozen header, an
autofilter, fitted column widths and real date cells. Sheet "Ringkasan": the summary
tables and native Excel charts (weekly trend, complaints by category, deadline compliance
by unit), which stay editable in Excel.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot import texts
from complaints.recap import RecapRow, RecapSummary

from .table import ROW_FIELDS, Cell, Num, ReportContext, row_cells, row_header, summary_sections

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12, color="1F4E79")
DATE_FORMAT = "DD/MM/YYYY"
ROW_WIDTHS = {
    "no": 7, "date": 13, "code": 14, "channel": 11, "category": 30, "weight": 9, "unit": 38,
    "status": 28, "days_working": 11, "days_calendar": 11, "on_time": 13, "verify": 13,
    "follow_up": 13, "resolve": 13, "rating": 11, "skm": 9, "supporters": 11,
}
SUMMARY_WIDTHS = (46, 24, 14, 14, 14, 14, 14)
CHART_COLUMN = "I"
CHART_SIZE_CM = (18, 9)


def targets(path: Path) -> list[Path]:
    return [path]


def open_report(paths: list[Path], ctx: ReportContext) -> XlsxReport:
    return XlsxReport(paths, ctx)


class XlsxReport:
    def __init__(self, paths: list[Path], ctx: ReportContext) -> None:
        [self._path] = paths
        self._ctx = ctx
        self._book = Workbook(write_only=True)
        self._rows: WriteOnlyWorksheet = self._book.create_sheet(texts.REPORT_SHEET_ROWS)
        for index, name in enumerate(ROW_FIELDS, start=1):
            self._rows.column_dimensions[get_column_letter(index)].width = ROW_WIDTHS[name]
        self._rows.freeze_panes = "A2"
        self._rows.append([self._header(self._rows, title) for title in row_header()])
        self._count = 0

    @staticmethod
    def _header(sheet: WriteOnlyWorksheet, value: str) -> SheetCell:
        cell = WriteOnlyCell(sheet, value)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        return cell

    @staticmethod
    def _value(sheet: WriteOnlyWorksheet, value: Cell) -> SheetCell | str | int | None:
        if isinstance(value, Num):
            if value.value is None:
                return texts.REPORT_NONE
            cell = WriteOnlyCell(sheet, round(value.value, value.digits + (2 if value.percent else 0)))
            decimals = "0." + "0" * value.digits if value.digits else "0"
            cell.number_format = decimals + "%" if value.percent else decimals
            return cell
        if isinstance(value, date):
            cell = WriteOnlyCell(sheet, value)  # type: ignore[arg-type]  # openpyxl writes dates; its stub lists datetime only
            cell.number_format = DATE_FORMAT
            return cell
        return value

    def add(self, row: RecapRow) -> None:
        self._count += 1
        self._rows.append([self._value(self._rows, cell) for cell in row_cells(self._count, row, self._ctx)])

    def finish(self, summary: RecapSummary) -> None:
        last_column = get_column_letter(len(ROW_FIELDS))
        self._rows.auto_filter.ref = f"A1:{last_column}{self._count + 1}"  # type: ignore[attr-defined]  # stub lacks it
        sheet: WriteOnlyWorksheet = self._book.create_sheet(texts.REPORT_SHEET_SUMMARY)
        for index, width in enumerate(SUMMARY_WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]  # stub lacks it
        title = WriteOnlyCell(sheet, texts.REPORT_SUMMARY_TITLE)
        title.font = TITLE_FONT
        sheet.append([title])
        for line in self._ctx.header_lines():
            sheet.append([line])
        row_number = 1 + len(self._ctx.header_lines())
        placed: dict[str, tuple[int, int]] = {}  # section key -> (header row, data rows)
        for section in summary_sections(summary, self._ctx):
            heading = WriteOnlyCell(sheet, section.title)
            heading.font = SECTION_FONT
            sheet.append([])
            sheet.append([heading])
            sheet.append([self._header(sheet, name) for name in section.header])
            row_number += 3
            placed[section.key] = (row_number, len(section.rows))
            for cells in section.rows:
                sheet.append([self._value(sheet, cell) for cell in cells])
            row_number += len(section.rows)
        sheet.append([])
        heading = WriteOnlyCell(sheet, texts.REPORT_SECTIONS["notes"])
        heading.font = SECTION_FONT
        sheet.append([heading])
        for note in texts.REPORT_NOTES:
            sheet.append([note])
        self._charts(sheet, placed)
        self._book.save(self._path)

    def _charts(self, sheet: WriteOnlyWorksheet, placed: dict[str, tuple[int, int]]) -> None:
        anchor_row = 2
        for key, build in (("weeks", _trend), ("category", _by_category), ("compliance", _compliance)):
            header_row, count = placed[key]
            if count == 0:
                continue
            chart = build(sheet, header_row, count)
            chart.title = texts.REPORT_CHART_TITLES[key]
            chart.width, chart.height = CHART_SIZE_CM
            sheet.add_chart(chart, f"{CHART_COLUMN}{anchor_row}")  # type: ignore[misc]  # stub: Worksheet's method
            anchor_row += 20

    def close(self) -> None:
        """Nothing to release: a write-only workbook only writes on save."""


def _trend(sheet: WriteOnlyWorksheet, header_row: int, count: int) -> LineChart:
    chart = LineChart()
    chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=header_row, max_row=header_row + count),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=header_row + count))
    chart.y_axis.title = texts.REPORT_CHART_AXES["weeks"]
    return chart


def _by_category(sheet: WriteOnlyWorksheet, header_row: int, count: int) -> BarChart:
    chart = BarChart()
    chart.type = "bar"
    chart.add_data(Reference(sheet, min_col=2, min_row=header_row, max_row=header_row + count),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=header_row + count))
    chart.x_axis.scaling.orientation = "maxMin"  # largest at the top, as in the table
    chart.y_axis.title = texts.REPORT_CHART_AXES["category"]
    chart.legend = None
    return chart


def _compliance(sheet: WriteOnlyWorksheet, header_row: int, count: int) -> BarChart:
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "percentStacked"
    chart.overlap = 100
    chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=header_row, max_row=header_row + count),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header_row + 1, max_row=header_row + count))
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.title = texts.REPORT_CHART_AXES["compliance"]
    return chart


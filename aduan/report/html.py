"""A single self-contained HTML file: no scripts, no fonts or styles fetched from anywhere,
charts as inline SVG. Works offline, prints on A4 landscape, and each chart fits a slide.

The complaint list is cut at ``row_limit`` rows (the xlsx and csv exports carry them all);
the summary always covers every complaint.
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from bot import texts
from bot.render.labels import grouped
from complaints.recap import RecapRow, RecapSummary

from . import charts
from .table import Cell, Num, ReportContext, Section, format_number, row_cells, row_header, summary_sections

DEFAULT_ROW_LIMIT = 1000

STYLE = """
:root { --ink: #1b1b1b; --muted: #5f6368; --accent: #1F4E79; --line: #d0d7de; --band: #f3f6f9; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1200px; padding: 24px; line-height: 1.4; }
h1 { color: var(--accent); margin: 0 0 4px; font-size: 1.7rem; }
h2 { color: var(--accent); border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin-top: 32px; }
.meta { color: var(--muted); margin: 0; }
.charts { display: grid; grid-template-columns: 1fr; gap: 16px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px;
               aspect-ratio: 16 / 9; display: flex; align-items: center; justify-content: center; }
figure.chart svg { width: 100%; height: auto; max-height: 100%; }
.note { background: #fff8e1; border-left: 4px solid #f9a825; padding: 8px 12px; }
.tables { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 0 24px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 6px 0; }
th { background: var(--accent); color: #fff; text-align: left; padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 5px 8px; }
tbody tr:nth-child(even) td { background: var(--band); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
ol.notes { color: var(--muted); font-size: 0.85rem; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-before: auto; break-after: avoid; }
  figure.chart, .tables table, #tabel-overview { break-inside: avoid; }
  figure.chart { border: none; }
  thead { display: table-header-group; }
  tbody tr:nth-child(even) td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def targets(path: Path) -> list[Path]:
    return [path]


def _cell(value: Cell) -> str:
    if value is None:
        return "<td></td>"
    if isinstance(value, Num):
        return f'<td class="num">{escape(format_number(value))}</td>'
    if isinstance(value, int):
        return f'<td class="num">{value}</td>'
    if isinstance(value, date):
        return f"<td>{value:%d/%m/%Y}</td>"
    return f"<td>{escape(value)}</td>"


def _table(section: Section, *, caption: bool = True) -> str:
    head = "".join(f"<th>{escape(name)}</th>" for name in section.header)
    body = "\n".join("<tr>" + "".join(_cell(c) for c in cells) + "</tr>" for cells in section.rows)
    title = f"<caption>{escape(section.title)}</caption>" if caption else ""
    return (f'<table id="tabel-{section.key}">{title}'
            f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>")


def open_report(paths: list[Path], ctx: ReportContext) -> HtmlReport:
    return HtmlReport(paths, ctx)


class HtmlReport:
    def __init__(self, paths: list[Path], ctx: ReportContext, row_limit: int = DEFAULT_ROW_LIMIT) -> None:
        [self._path] = paths
        self._ctx = ctx
        self._row_limit = row_limit
        self._rows: list[tuple[Cell, ...]] = []
        self._count = 0

    def add(self, row: RecapRow) -> None:
        self._count += 1
        if self._count <= self._row_limit:
            self._rows.append(row_cells(self._count, row, self._ctx))

    def finish(self, summary: RecapSummary) -> None:
        self._path.write_text(self.render(summary), encoding="utf-8")

    def render(self, summary: RecapSummary) -> str:
        ctx = self._ctx
        title = f"{texts.REPORT_TITLE} — {ctx.org.name}"
        sections = summary_sections(summary, ctx)
        parts = [
            "<!DOCTYPE html>",
            '<html lang="id"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
            f"<header><h1>{escape(texts.REPORT_TITLE)}</h1>",
            *(f'<p class="meta">{escape(line)}</p>' for line in ctx.header_lines()),
            "</header>",
            _table(sections[0]),
            self._charts(summary),
            f'<h2>{escape(texts.REPORT_SUMMARY_TITLE)}</h2><div class="tables">',
            *(_table(section) for section in sections[1:]),
            "</div>",
            self._list(),
            f'<h2>{escape(texts.REPORT_SECTIONS["notes"])}</h2><ol class="notes">',
            *(f"<li>{escape(note)}</li>" for note in texts.REPORT_NOTES),
            "</ol></body></html>",
        ]
        return "\n".join(parts) + "\n"

    def _charts(self, summary: RecapSummary) -> str:
        if not charts.available():
            return f'<p class="note" id="tanpa-grafik">{escape(texts.REPORT_CHARTS_UNAVAILABLE)}</p>'
        figures = "\n".join(
            f'<figure class="chart" id="grafik-{key}">{svg}</figure>'
            for key, svg in charts.all_charts(summary, self._ctx)
        )
        return f'<section class="charts">\n{figures}\n</section>'

    def _list(self) -> str:
        section = Section("rows", texts.REPORT_SECTIONS["rows"], row_header(), self._rows)
        parts = [f'<h2>{escape(section.title)}</h2>']
        if self._count > len(self._rows):
            shown, total = grouped(len(self._rows)), grouped(self._count)
            parts.append(f'<p class="note">{escape(texts.REPORT_ROWS_TRUNCATED.format(shown=shown, total=total))}</p>')
        parts.append(_table(section, caption=False))
        return "\n".join(parts)

    def close(self) -> None:
        """Nothing open until ``finish``."""

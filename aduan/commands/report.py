"""``aduan report``: the recap book (Buku Rekapitulasi Pengaduan) of a period as xlsx,
csv or html. Registered in ``aduan.commands``."""

from __future__ import annotations

import re
import sys
from contextlib import ExitStack
from datetime import date, datetime
from pathlib import Path
from typing import IO, Protocol, TextIO

import click

from bot import texts
from bot.render.labels import grouped
from complaints.recap import Period

from ..bootstrap import App
from ..clock import system_now
from ..report import FORMATS, ReportRequest, default_name, export_report
from .common import run_with_app

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
PROGRESS_MIN_COMPLAINTS = 500  # shorter exports finish before progress would help
PROGRESS_STEPS = 10  # lines when stderr is not a terminal: about one per 10 %


class ReportInputError(click.ClickException):
    """Bad input: an Indonesian message, exit code 2, nothing written."""

    exit_code = 2

    def show(self, file: IO[str] | None = None) -> None:
        click.echo(texts.REPORT_ERROR.format(message=self.format_message()), err=True)


def parse_day(option: str, value: str | None) -> date:
    if value is None or not value.strip():
        raise ReportInputError(texts.REPORT_DATE_MISSING.format(option=option))
    value = value.strip()
    try:
        if not _DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ReportInputError(texts.REPORT_BAD_DATE.format(option=option, value=value)) from None


def parse_moment(value: str | None) -> datetime:
    if value is None:
        return system_now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ReportInputError(texts.BAD_MOMENT.format(value=value))
    return moment


class _Bar(Protocol):
    """What the report needs of click's progress bar."""

    def update(self, n_steps: int) -> None: ...


class ProgressReport:
    """Progress on stderr for long exports: a bar on a terminal, otherwise a line about
    every 10 % (logs and CI show those; a bar would be one garbled line)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._tty = self._stream.isatty()
        self._exit = ExitStack()  # leaves the bar (and its line) when closed
        self._bar: _Bar | None = None
        self._shown = 0
        self._next_line = 0

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_MIN_COMPLAINTS:
            return
        if self._tty:
            if self._bar is None:
                self._bar = self._exit.enter_context(
                    click.progressbar(length=total, label=texts.REPORT_PROGRESS_LABEL, file=self._stream))
            self._bar.update(done - self._shown)
            self._shown = done
            return
        if done >= self._next_line or done == total:
            percent = round(100 * done / total) if total else 100
            click.echo(texts.REPORT_PROGRESS.format(done=grouped(done),
                                                    total=grouped(total), percent=percent),
                       file=self._stream)
            self._next_line = done + max(1, total // PROGRESS_STEPS)

    def close(self) -> None:
        self._exit.close()
        self._bar = None


@click.command("report")
@click.option("--from", "date_from", metavar="TTTT-BB-HH",
              help="First day of the period (inclusive), by submission date in the organisation's time zone.")
@click.option("--to", "date_to", metavar="TTTT-BB-HH", help="Last day of the period (inclusive).")
@click.option("--format", "output_format", default="xlsx", show_default=True, metavar="xlsx|csv|html",
              help="xlsx (book and summary sheets with charts), csv (book plus a -ringkasan.csv summary) "
                   "or html (one self-contained page with charts).")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write (default: rekap-pengaduan-FROM_TO.FORMAT in the current folder).")
@click.option("--unit", "unit_id", default=None, help="Only the complaints of this unit (id from the organisation file).")
@click.option("--as-of", "as_of_text", default=None,
              help="ISO time with offset the report is made as of (default: now); open complaints are measured up to it.")
def report(date_from: str | None, date_to: str | None, output_format: str, output: Path | None,
           unit_id: str | None, as_of_text: str | None) -> None:
    """Buku Rekapitulasi Pengaduan: one row per complaint filed in the period, and a summary
    (counts, deadline compliance per stage and unit, days to resolve, escalations, IKM)."""
    start, end = parse_day("--from", date_from), parse_day("--to", date_to)
    if start > end:
        raise ReportInputError(texts.REPORT_BAD_RANGE.format(start=start.isoformat(), end=end.isoformat()))
    output_format = output_format.strip().lower()
    if output_format not in FORMATS:
        raise ReportInputError(texts.REPORT_BAD_FORMAT.format(value=output_format, choices=", ".join(FORMATS)))
    as_of = parse_moment(as_of_text)
    period = Period(start, end)
    path = output or Path.cwd() / default_name(output_format, period, unit_id)
    if not path.parent.is_dir():
        raise ReportInputError(texts.REPORT_NO_FOLDER.format(folder=path.parent))

    async def work(app: App) -> None:
        ctx = app.context()
        if unit_id is not None and unit_id not in ctx.org.units:
            raise ReportInputError(texts.REPORT_UNKNOWN_UNIT.format(unit=unit_id, choices=", ".join(ctx.org.units)))
        request = ReportRequest(period, output_format, path, as_of, unit_id)
        progress = ProgressReport()
        try:
            result = await export_report(app.db, ctx.org, ctx.calendar, request, progress)
        finally:
            progress.close()
        for written in result.paths:
            click.echo(texts.REPORT_WRITTEN.format(count=result.count, path=written), err=True)
            click.echo(str(written))

    run_with_app(work)

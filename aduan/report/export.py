"""One export: read the period's complaints page by page, recap them, write the format.

The files are written under temporary names next to the target and renamed only when
complete, so a failed or interrupted export leaves no half-written report behind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncEngine

from complaints.calendar import WorkingCalendar
from complaints.org import Organisation
from complaints.recap import Period, RecapBook, RecapRow, RecapRules, RecapSummary
from storage import reporting

from .table import ReportContext

# Each format is a module of this package with ``targets(path)`` (the files it writes) and
# ``open_report(paths, ctx)`` (a writer: ``add(row)``, ``finish(summary)``, ``close()``),
# imported when used so the other commands do not load openpyxl or matplotlib.
FORMATS = ("xlsx", "csv", "html")

Progress = Callable[[int, int], None]  # (complaints done, complaints in the period)


@dataclass(frozen=True)
class ReportRequest:
    period: Period
    format: str
    output: Path
    as_of: datetime
    unit_id: str | None = None

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"unknown report format: {self.format}")


@dataclass(frozen=True)
class ExportResult:
    paths: list[Path]
    count: int
    summary: RecapSummary


def default_name(request_format: str, period: Period, unit_id: str | None = None) -> str:
    """rekap-pengaduan[-UNIT]-2026-11-01_2026-11-30.xlsx"""
    unit = f"-{unit_id}" if unit_id else ""
    return f"rekap-pengaduan{unit}-{period.start.isoformat()}_{period.end.isoformat()}.{request_format}"


class ReportWriter(Protocol):
    """Writes one report: a row at a time, then the summary; ``close()`` always."""

    def add(self, row: RecapRow) -> None: ...

    def finish(self, summary: RecapSummary) -> None: ...

    def close(self) -> None: ...


class ReportFormat(Protocol):
    """A format module: the files it writes for a target, and its writer."""

    def targets(self, path: Path) -> list[Path]: ...

    def open_report(self, paths: list[Path], ctx: ReportContext) -> ReportWriter: ...


def _format(name: str) -> ReportFormat:
    # imported here, when used, so the other commands do not load openpyxl or matplotlib
    if name == "xlsx":
        from . import xlsx

        return xlsx
    if name == "csv":
        from . import csv

        return csv
    if name == "html":
        from . import html

        return html
    raise ValueError(f"unknown report format: {name}")


def output_paths(request: ReportRequest) -> list[Path]:
    return _format(request.format).targets(request.output)


def _staged(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


async def export_report(
    db: AsyncEngine, org: Organisation, calendar: WorkingCalendar, request: ReportRequest,
    progress: Progress | None = None, *, page_size: int = reporting.DEFAULT_PAGE_SIZE,
) -> ExportResult:
    tz = org.central.timezone
    start, end = request.period.bounds(tz)
    total = await reporting.count_submitted(db, start, end, unit_id=request.unit_id)
    book = RecapBook(RecapRules(org, calendar, request.as_of), request.period)
    ctx = ReportContext(org, request.period, request.as_of, request.unit_id)
    finals = output_paths(request)
    staged = [_staged(path) for path in finals]
    writer = _format(request.format).open_report(staged, ctx)
    done = 0
    try:
        if progress is not None:
            progress(done, total)
        async for page in reporting.submitted_between(db, start, end, unit_id=request.unit_id, page_size=page_size):
            for complaint in page:
                writer.add(book.add(complaint))
            done += len(page)
            if progress is not None:
                progress(done, max(total, done))
        summary = book.summary()
        writer.finish(summary)
        for part, final in zip(staged, finals, strict=True):
            part.replace(final)
    finally:
        writer.close()
        for part in staged:
            with contextlib.suppress(FileNotFoundError):
                part.unlink()
    return ExportResult(finals, done, summary)

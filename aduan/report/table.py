"""The report's cells, in the officer's words: one row per complaint, and the summary as
titled tables. The csv, xlsx and html writers lay out the same cells."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot import texts
from bot.render.dates import format_date, format_moment, report_week, zone_name
from bot.render.labels import category_label, status_label
from complaints.org import Organisation
from complaints.recap import Period, RecapRow, RecapSummary, Stage, Tally
from complaints.taxonomy import Status
from complaints.workflow import OPEN


@dataclass(frozen=True)
class Num:
    """A number to show with ``digits`` decimals; ``percent``: a 0-1 share shown as %."""

    value: float | None
    digits: int = 1
    percent: bool = False


Cell = str | int | date | Num | None
K = TypeVar("K")  # what a count is of: a category, a unit id, a channel


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    header: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


@dataclass(frozen=True)
class ReportContext:
    """What the labels need besides the data: the organisation, the period, the moment."""

    org: Organisation
    period: Period
    as_of: datetime
    unit_id: str | None = None

    @property
    def tz(self) -> ZoneInfo:
        return self.org.central.timezone

    def unit_name(self, unit_id: str | None) -> str:
        if unit_id is None:
            return texts.REPORT_NONE
        unit = self.org.units.get(unit_id)
        return unit.name if unit is not None else unit_id

    def header_lines(self) -> list[str]:
        start, end = self.period.start, self.period.end
        return [
            self.org.name,
            texts.REPORT_PERIOD.format(start=format_date(start), end=format_date(end),
                                       zone=zone_name(self.tz)),
            texts.REPORT_UNIT_FILTER.format(
                unit=self.unit_name(self.unit_id) if self.unit_id else texts.REPORT_ALL_UNITS),
            texts.REPORT_AS_OF.format(moment=format_moment(self.as_of, self.tz)),
        ]


ROW_FIELDS = ("no", "date", "code", "channel", "category", "weight", "unit", "status", "days_working",
              "days_calendar", "on_time", "verify", "follow_up", "resolve", "rating", "skm", "supporters")
DATE_COLUMN = ROW_FIELDS.index("date")


def row_header() -> tuple[str, ...]:
    return tuple(texts.REPORT_COLUMNS[name] for name in ROW_FIELDS)


def channel_label(channel: str) -> str:
    return texts.REPORT_CHANNELS.get(channel, channel)


def rating_label(satisfied: bool | None) -> str:
    if satisfied is None:
        return texts.REPORT_NONE
    return texts.RATE_SATISFIED if satisfied else texts.RATE_UNSATISFIED


def row_cells(number: int, row: RecapRow, ctx: ReportContext) -> tuple[Cell, ...]:
    verdict = texts.REPORT_VERDICTS
    return (
        number,
        row.submitted_on,
        row.code,
        channel_label(row.channel),
        category_label(row.category),
        texts.REPORT_WEIGHTS.get(row.weight, str(row.weight)),
        ctx.unit_name(row.unit_id),
        status_label(row.status),
        row.days_working,
        row.days_calendar,
        verdict[row.on_time],
        verdict[row.verdict(Stage.VERIFY)],
        verdict[row.verdict(Stage.FOLLOW_UP)],
        verdict[row.verdict(Stage.RESOLVE)],
        rating_label(row.satisfied),
        row.skm_score,
        row.supporters,
    )


def _share(part: int, whole: int) -> Num:
    return Num(part / whole if whole else None, 1, percent=True)


def _counts(key: str, label_of: Callable[[K], str], counts: Mapping[K, int], total: int) -> Section:
    h = texts.REPORT_HEADERS
    return Section(key, texts.REPORT_SECTIONS[key], (h[key], h["count"], h["share"]),
                   [(label_of(item), n, _share(n, total)) for item, n in counts.items()])


def _tally_cells(tally: Tally) -> tuple[Cell, ...]:
    return (tally.met, tally.missed, tally.running, Num(tally.share, 1, percent=True))


def summary_sections(summary: RecapSummary, ctx: ReportContext) -> list[Section]:
    h, o = texts.REPORT_HEADERS, texts.REPORT_OVERVIEW
    status = summary.by_status
    index = summary.skm_index
    grade = summary.grade
    overview = Section("overview", texts.REPORT_SECTIONS["overview"], (h["item"], h["value"]), [
        (o["total"], summary.total),
        (o["resolved"], summary.resolved),
        (o["open"], sum(n for s, n in status.items() if s in OPEN)),
        (o["forwarded"], status.get(Status.DISALURKAN, 0)),
        (o["rejected"], status.get(Status.DITOLAK, 0)),
        (o["rejected_spam"], summary.rejected_spam),
        (o["merged"], summary.merged),
        (o["supporters"], summary.supporters),
        (o["supported_cases"], summary.supported_cases),
        (o["on_time"], Num(summary.on_time.share, 1, percent=True)),
        (o["avg_working"], Num(summary.average_days_working, 1)),
        (o["avg_calendar"], Num(summary.average_days_calendar, 1)),
        (o["ikm"], Num(None if index is None else float(index), 2)),
        (o["grade"], texts.REPORT_GRADES[grade] if grade else texts.REPORT_NONE),
        (o["respondents"], summary.skm_respondents),
        (o["satisfied"], summary.satisfied),
        (o["unsatisfied"], summary.unsatisfied),
        (o["routed_automatically"], Num(summary.routing.automatic_share, 1, percent=True)),
        (o["rerouted_after_automatic"], Num(summary.routing.automatic_error, 1, percent=True)),
    ])
    policy = ctx.org.policy
    deadlines = {
        Stage.VERIFY: texts.REPORT_DEADLINE_WORKING.format(normal=policy.normal.verify, urgent=policy.urgent.verify),
        Stage.FOLLOW_UP: texts.REPORT_DEADLINE_WORKING.format(normal=policy.normal.follow_up,
                                                              urgent=policy.urgent.follow_up),
        Stage.RESOLVE: texts.REPORT_DEADLINE_CALENDAR.format(normal=policy.normal.resolve,
                                                             urgent=policy.urgent.resolve),
    }
    tally_header = (h["met"], h["missed"], h["running"], h["met_share"])
    stages = Section("stages", texts.REPORT_SECTIONS["stages"], (h["stage"], h["deadline"], *tally_header), [
        (texts.REPORT_STAGES[stage], deadlines[stage], *_tally_cells(tally)) for stage, tally in summary.stages.items()
    ])
    compliance = Section("compliance", texts.REPORT_SECTIONS["compliance"], (h["unit"], *tally_header), [
        (ctx.unit_name(unit), *_tally_cells(tally)) for unit, tally in summary.compliance_by_unit.items()
    ])
    levels = sorted(texts.LEVEL_NAMES)
    escalations = Section(
        "escalations", texts.REPORT_SECTIONS["escalations"],
        (h["unit"], *(f"{level}. {texts.LEVEL_NAMES[level]}" for level in levels), h["escalations"]),
        [(ctx.unit_name(unit), *(by_level.get(level, 0) for level in levels), sum(by_level.values()))
         for unit, by_level in summary.escalations_by_unit.items()],
    )
    weeks = Section("weeks", texts.REPORT_SECTIONS["weeks"], (h["week"], h["submitted"], h["resolved"]), [
        (report_week(week.start, week.end), week.submitted, week.resolved) for week in summary.weeks
    ])
    respondents = summary.skm_respondents
    skm = Section("skm", texts.REPORT_SECTIONS["skm"], (h["score"], h["count"], h["share"]), [
        (texts.SKM_LABELS[score], n, _share(n, respondents)) for score, n in summary.skm_scores.items()
    ])
    return [
        overview,
        _counts("category", category_label, summary.by_category, summary.total),
        _counts("unit", ctx.unit_name, summary.by_unit, summary.total),
        _counts("channel", channel_label, summary.by_channel, summary.total),
        stages,
        compliance,
        escalations,
        weeks,
        skm,
    ]


def format_number(num: Num, decimal: str = ",") -> str:
    """Indonesian notation: decimal comma, ``%`` after shares; "-" when there is no value."""
    if num.value is None:
        return texts.REPORT_NONE
    value = num.value * 100 if num.percent else num.value
    text = f"{value:.{num.digits}f}".replace(".", decimal)
    return f"{text}%" if num.percent else text

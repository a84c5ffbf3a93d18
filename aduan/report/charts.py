"""The HTML report's charts as inline SVG, drawn by matplotlib (the ``charts`` extra).

Sized for a 16:9 slide; text stays text in the SVG (searchable, sharp when scaled), and
the output is the same for the same data (no timestamp, fixed id salt), so reports can be
compared. Without matplotlib, ``available()`` is False and the report says so instead.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from bot import texts
from bot.render.dates import report_week
from bot.render.labels import category_label
from complaints.recap import RecapSummary

from .table import ReportContext

if TYPE_CHECKING:  # the optional "charts" extra; imported at run time only when drawing
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

SLIDE_INCHES = (10.0, 5.0)
MET_COLOUR, MISSED_COLOUR, LINE_COLOURS = "#2E7D32", "#C62828", ("#1F4E79", "#2E7D32")
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)  # the XML declaration and DOCTYPE


def available() -> bool:
    try:
        import matplotlib  # noqa: F401 - optional
    except ImportError:
        return False
    return True


def _figure() -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure  # optional; Figure needs no pyplot state

    figure = Figure(figsize=SLIDE_INCHES, layout="constrained")
    return figure, figure.add_subplot()


def _svg(figure: Figure, key: str) -> str:
    import matplotlib

    settings: dict[RcKeyType, Any] = {"svg.fonttype": "none", "svg.hashsalt": f"aduan-{key}", "font.size": 11}
    with matplotlib.rc_context(settings):
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    label = escape(texts.REPORT_CHART_TITLES[key])
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def _integer_ticks(axis: Axis) -> None:
    from matplotlib.ticker import MaxNLocator  # the optional "charts" extra

    locator = axis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)


def _tidy(axes: Axes, title: str) -> None:
    axes.set_title(title, fontsize=14, fontweight="bold", loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="both", alpha=0.3)


def trend(summary: RecapSummary) -> str:
    figure, axes = _figure()
    labels = [report_week(week.start, week.end) for week in summary.weeks]
    positions = range(len(labels))
    h = texts.REPORT_HEADERS
    series = ((h["submitted"], [w.submitted for w in summary.weeks], 7),
              (h["resolved"], [w.resolved for w in summary.weeks], -14))  # labels above / below the points
    for (name, values, offset), colour in zip(series, LINE_COLOURS, strict=True):
        axes.plot(positions, values, marker="o", linewidth=2.5, color=colour, label=name)
        for x, y in zip(positions, values, strict=True):
            axes.annotate(str(y), (x, y), textcoords="offset points", xytext=(0, offset if y else 7),
                          ha="center", fontsize=9, color=colour)
    axes.set_xticks(list(positions), labels)
    axes.set_ylabel(texts.REPORT_CHART_AXES["weeks"])
    highest = max((w.submitted for w in summary.weeks), default=0)
    axes.set_ylim(0, max(highest * 1.15, 1))
    _integer_ticks(axes.yaxis)
    axes.legend(loc="upper left", frameon=False)
    _tidy(axes, texts.REPORT_CHART_TITLES["weeks"])
    return _svg(figure, "weeks")


def by_category(summary: RecapSummary) -> str:
    figure, axes = _figure()
    items = list(summary.by_category.items())
    labels = [category_label(category) for category, _ in items]
    values = [n for _, n in items]
    bars = axes.barh(range(len(items)), values, color=LINE_COLOURS[0])
    axes.bar_label(bars, padding=3, fontsize=9)
    axes.set_yticks(range(len(items)), labels)
    axes.invert_yaxis()  # largest first, as in the table
    axes.margins(x=0.08)  # room for the value labels
    axes.set_xlabel(texts.REPORT_CHART_AXES["category"])
    _integer_ticks(axes.xaxis)
    _tidy(axes, texts.REPORT_CHART_TITLES["category"])
    axes.grid(axis="y", visible=False)
    return _svg(figure, "category")


def compliance(summary: RecapSummary, ctx: ReportContext) -> str:
    figure, axes = _figure()
    items = [(unit, tally) for unit, tally in summary.compliance_by_unit.items()]
    labels = [ctx.unit_name(unit) for unit, _ in items]
    met = [_percent(t.met, t.decided) for _, t in items]
    missed = [_percent(t.missed, t.decided) for _, t in items]
    h = texts.REPORT_HEADERS
    positions = range(len(items))
    met_bars = axes.barh(positions, met, color=MET_COLOUR, label=h["met"])
    missed_bars = axes.barh(positions, missed, left=met, color=MISSED_COLOUR, label=h["missed"])
    for bars, values in ((met_bars, met), (missed_bars, missed)):
        axes.bar_label(bars, labels=[f"{v:.0f}%" if v >= 8 else "" for v in values],
                       label_type="center", color="white", fontsize=9, fontweight="bold")
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(texts.REPORT_CHART_AXES["compliance"])
    axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2, frameon=False)
    _tidy(axes, texts.REPORT_CHART_TITLES["compliance"])
    axes.grid(axis="y", visible=False)
    return _svg(figure, "compliance")


def _percent(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def all_charts(summary: RecapSummary, ctx: ReportContext) -> Sequence[tuple[str, str]]:
    """(key, svg) for each chart."""
    return [("weeks", trend(summary)), ("category", by_category(summary)),
            ("compliance", compliance(summary, ctx))]

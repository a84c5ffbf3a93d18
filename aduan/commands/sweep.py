"""``aduan sweep``: the scheduler's jobs once, as of a time."""

from __future__ import annotations

from collections.abc import Iterable

import click

from bot import texts
from bot.channels.console import outgoing_line
from complaints.notifications import Notification

from ..bootstrap import App
from .common import parse_moment, run_with_app, write_json


def _print_notifications(queued: Iterable[Notification]) -> None:
    for notice in queued:
        write_json({**outgoing_line(notice.recipient, notice.text, notice.buttons), "channel": notice.channel})


@click.command("sweep")
@click.option("--now", "now_text", default=None, help="ISO time with offset, e.g. 2026-11-30T09:00:00+07:00.")
@click.option("--digest", is_flag=True, help="Also queue the supervisors' daily digest.")
def sweep(now_text: str | None, digest: bool) -> None:
    """Run the scheduler's jobs once as of a time; print what they queued as JSON lines."""
    now = parse_moment(now_text)

    async def work(app: App) -> None:
        report = await app.sweeper.sweep(now)
        queued = list(report.queued) + (await app.sweeper.digest(now) if digest else [])
        _print_notifications(queued)
        click.echo(texts.SWEEP_DONE.format(escalated=len(report.escalated), closed=len(report.closed),
                                           queued=len(queued)), err=True)

    run_with_app(work)

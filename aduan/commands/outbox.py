"""``aduan outbox``: notifications that could not be delivered (list, retry)."""

from __future__ import annotations

import click

from bot import texts
from bot.render.dates import format_moment

from ..bootstrap import App
from ..clock import system_now
from .common import run_with_app


def masked(recipient: str) -> str:
    """A chat id or phone number as an admin's listing shows it: enough to tell two apart."""
    return recipient[:4] + "…" + recipient[-2:] if len(recipient) > 6 else "…" + recipient[-2:]


@click.group("outbox")
def outbox() -> None:
    """Notifications that could not be delivered."""


@outbox.command("failed")
@click.option("--limit", default=50, show_default=True)
def outbox_failed(limit: int) -> None:
    """List notifications given up on (blocked bot, unknown user...): the case, the chat
    (masked), the channel's error code and title, when."""

    async def work(app: App) -> None:
        async with app.uow() as uow:
            items = await uow.outbox.failed(limit)
        if not items:
            click.echo(texts.OUTBOX_NONE_FAILED, err=True)
        for item in items:
            n = item.notification
            error = " ".join(filter(None, (item.error_code, item.error_title))) or "-"
            click.echo(texts.OUTBOX_FAILED_ROW.format(
                id=item.id, channel=n.channel, recipient=masked(n.recipient), code=n.complaint_code or "-",
                attempts=item.attempts, error=error, reason=item.last_error or "-",
                at=format_moment(item.failed_at, app.tz) if item.failed_at else "-"))

    run_with_app(work)


@outbox.command("retry")
@click.argument("item_id", type=int)
def outbox_retry(item_id: int) -> None:
    """Queue a failed notification again (e.g. after the citizen unblocked the bot)."""

    async def work(app: App) -> None:
        async with app.uow() as uow:
            requeued = await uow.outbox.requeue(item_id, system_now())
            await uow.commit()
        if not requeued:
            raise click.ClickException(texts.OUTBOX_NOT_FAILED.format(id=item_id))
        click.echo(texts.OUTBOX_REQUEUED.format(id=item_id), err=True)

    run_with_app(work)

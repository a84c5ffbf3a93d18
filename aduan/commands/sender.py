"""``aduan sender``: the admin blocks and unblocks chats (complaints.spam), lists the chats
blocked now and the history of blocks."""

from __future__ import annotations

import click

from bot import texts
from bot.render.dates import format_moment
from complaints.errors import DomainError
from complaints.spam import BlockedSender, SenderId
from complaints.usecases import screening

from ..bootstrap import App
from ..clock import system_now
from .common import officer_of, refused, run_with_app, write_json

ID_HELP = "The chat, as CHANNEL:SENDER (e.g. telegram:12345, whatsapp:6281234567890)."
BY_HELP = "Officer id of an admin, from the organisation file."


@click.group("sender")
def sender() -> None:
    """Block, unblock and list the chats the admin blocked (spam, pranks)."""


def _who(raw: str) -> SenderId:
    try:
        return SenderId.parse(raw)
    except DomainError as error:
        raise refused(error) from error


@sender.command("block")
@click.argument("sender_id", metavar="ID")
@click.option("--reason", required=True, help="Why (kept in the history).")
@click.option("--by", "officer_id", required=True, help=BY_HELP)
def sender_block(sender_id: str, reason: str, officer_id: str) -> None:
    """Pause a chat's access: it is answered once, politely, then ignored; nothing it sends is stored."""
    who = _who(sender_id)

    async def work(app: App) -> None:
        officer, ctx = officer_of(app, officer_id), app.context()
        async with app.uow() as uow:
            try:
                block = await screening.block(ctx, uow, who, reason, officer, system_now())
            except DomainError as error:
                raise refused(error) from error
            await uow.commit()
        click.echo(texts.SENDER_BLOCKED.format(sender=who, reason=block.reason))

    run_with_app(work)


@sender.command("unblock")
@click.argument("sender_id", metavar="ID")
@click.option("--reason", required=True, help="Why (kept in the history).")
@click.option("--by", "officer_id", required=True, help=BY_HELP)
def sender_unblock(sender_id: str, reason: str, officer_id: str) -> None:
    """Give a blocked chat its access back."""
    who = _who(sender_id)

    async def work(app: App) -> None:
        officer, ctx = officer_of(app, officer_id), app.context()
        async with app.uow() as uow:
            try:
                await screening.unblock(ctx, uow, who, reason, officer, system_now())
            except DomainError as error:
                raise refused(error) from error
            await uow.commit()
        click.echo(texts.SENDER_UNBLOCKED.format(sender=who, reason=" ".join(reason.split())))

    run_with_app(work)


@sender.command("list")
@click.option("--history", "history", is_flag=True, help="Every block and unblock instead, the latest first.")
@click.option("--limit", default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def sender_list(history: bool, limit: int, as_json: bool) -> None:
    """The chats blocked now: why, by whom, since when, and how many messages they sent since."""

    async def work(app: App) -> None:
        tz = app.org.central.timezone
        async with app.uow() as uow:
            if history:
                events = await uow.senders.history(limit=limit)
            else:
                blocked = await uow.senders.blocked(limit)
        if history:
            for event in events:
                if as_json:
                    write_json({"sender": str(event.who), "action": event.action.value, "actor": event.actor,
                                "at": event.at.isoformat(), "reason": event.reason})
                else:
                    click.echo(texts.SENDER_HISTORY_ROW.format(
                        at=format_moment(event.at, tz), sender=event.who, actor=event.actor, reason=event.reason,
                        action=texts.SENDER_ACTIONS.get(event.action.value, event.action.value)).rstrip())
            if not events and not as_json:
                click.echo(texts.SENDER_NO_HISTORY, err=True)
            return
        for block in blocked:
            if as_json:
                write_json({
                    "sender": str(block.who), "reason": block.reason, "blocked_by": block.blocked_by,
                    "blocked_at": block.blocked_at.isoformat(), "attempts": block.attempts,
                    "last_attempt_at": block.last_attempt_at.isoformat() if block.last_attempt_at else None,
                })
            else:
                click.echo(_row(block, app))
        if not blocked and not as_json:
            click.echo(texts.SENDER_NONE_BLOCKED, err=True)

    run_with_app(work)


def _row(block: BlockedSender, app: App) -> str:
    tz = app.org.central.timezone
    last = (texts.SENDER_LAST_ATTEMPT.format(at=format_moment(block.last_attempt_at, tz))
            if block.last_attempt_at is not None else "")
    return texts.SENDER_ROW.format(sender=block.who, by=block.blocked_by, at=format_moment(block.blocked_at, tz),
                                   reason=block.reason, attempts=block.attempts, last=last)


"""``aduan case``: officers' commands on complaints (list, show, set-status, assign, merge, unmerge)."""

from __future__ import annotations

from typing import overload

import click

from bot import texts
from bot.channels.console import outgoing_line
from bot.render.labels import status_label
from bot.render.officer import case_detail, case_row
from complaints.errors import DomainError
from complaints.model import Actor, Rejection, RejectionReason
from complaints.org import Officer
from complaints.taxonomy import Status
from complaints.usecases import casework, delivery, merging
from complaints.usecases.context import CaseContext
from complaints.visibility import PUBLIC, with_delivery
from storage.queries import ComplaintFilter, ComplaintOrder, list_complaints
from storage.uow import SqlUnitOfWork

from ..bootstrap import App
from ..clock import system_now
from .common import officer_of, parse_code, refused, run_with_app, write_json


@click.group("case")
def case() -> None:
    """Officers' commands on complaints."""


@overload
def _officer(app: App, officer_id: str) -> Officer: ...


@overload
def _officer(app: App, officer_id: str | None) -> Officer | None: ...


def _officer(app: App, officer_id: str | None) -> Officer | None:
    """The officer of the organisation file with that id (none asked: none); unknown: a click error."""
    return None if officer_id is None else officer_of(app, officer_id)


def _viewer(app: App, officer_id: str | None) -> Actor:
    """Who reads: the officer given with --by, else the public (deny by default)."""
    officer = _officer(app, officer_id)
    return officer.actor if officer is not None else PUBLIC


@case.command("list")
@click.option("--status", type=click.Choice([s.value for s in Status]), default=None)
@click.option("--unit", default=None, help="Unit id from the organisation file.")
@click.option("--limit", default=50, show_default=True)
@click.option("--sort", "order", type=click.Choice([o.value for o in ComplaintOrder]), default=ComplaintOrder.NEWEST.value,
              show_default=True, help="supporters: the most supported first (then the newest).")
@click.option("--json", "as_json", is_flag=True)
@click.option("--by", "officer_id", default=None,
              help="Officer id: the cases that officer handles, as they may see them (without it: the public view).")
def case_list(status: str | None, unit: str | None, limit: int, order: str, as_json: bool,
              officer_id: str | None) -> None:
    """List complaints, newest first (or the most supported first)."""

    async def work(app: App) -> None:
        viewer, ctx = _viewer(app, officer_id), app.context()
        scope = ctx.visibility.scope(viewer) if officer_id is not None else None
        query = ComplaintFilter(statuses=frozenset({Status(status)}) if status else None, unit_id=unit, scope=scope)
        async with SqlUnitOfWork(app.db) as uow:
            found = await list_complaints(uow.connection, query, offset=0, limit=limit, order=ComplaintOrder(order))
        for c in found:
            if as_json:
                write_json({"code": c.code, "status": c.status.value, "category": c.category.value,
                            "unit": c.unit_id, "created_at": c.created_at.isoformat(),
                            "due_at": c.due_at.isoformat() if c.due_at else None,
                            "supporters": ctx.view(viewer, c).supporters})
            else:
                click.echo(case_row(ctx.view(viewer, c)))
        if not found and not as_json:
            click.echo("Tidak ada laporan.", err=True)

    run_with_app(work)


@case.command("show")
@click.argument("code")
@click.option("--by", "officer_id", default=None,
              help="Officer id: the case as that officer may see it (without it: the public view).")
def case_show(code: str, officer_id: str | None) -> None:
    """Show one complaint with its history."""

    async def work(app: App) -> None:
        viewer, ctx = _viewer(app, officer_id), app.context()
        async with app.uow() as uow:
            try:
                complaint = await casework.get(uow, parse_code(code))
                view = (ctx.visibility.require_staff_view(viewer, complaint) if officer_id is not None
                        else ctx.view(viewer, complaint))
                view = with_delivery(view, await delivery.undelivered(uow, complaint))
            except DomainError as error:
                raise refused(error) from error
        click.echo(case_detail(view, ctx.unit_of(complaint), ctx.policy))

    run_with_app(work)


@case.command("set-status")
@click.argument("code")
@click.argument("status")
@click.option("--note", default="", help="What the complainant will read (required for some statuses).")
@click.option("--by", "officer_id", required=True, help="Officer id from the organisation file.")
@click.option("--unit", "unit_id", default=None, help="With didisposisikan: the unit, if not the suggested one.")
@click.option("--spam", is_flag=True, help="With ditolak: rejected as spam or a prank (out of the deadline figures).")
def case_set_status(code: str, status: str, note: str, officer_id: str, unit_id: str | None, spam: bool) -> None:
    """Move a complaint to STATUS; the complainant is notified.

    Prints each notification it queued as a JSON line; the outbox relay (a running
    ``aduan chat`` for the terminal channel) delivers it.
    """
    try:
        target = Status(status)
    except ValueError as error:
        choices = ", ".join(s.value for s in Status)
        raise click.ClickException(texts.UNKNOWN_STATUS.format(status=status, choices=choices)) from error

    async def work(app: App) -> None:
        officer, ctx = _officer(app, officer_id), app.context()
        async with app.uow() as uow:
            try:
                change = await casework.change_status(
                    ctx, uow, parse_code(code), target, officer.actor, system_now(), note, unit_id=unit_id,
                    rejection=Rejection(RejectionReason.SPAM) if spam else None,
                )
            except DomainError as error:
                raise refused(error) from error
            await uow.commit()
        click.echo(texts.STATUS_CHANGED.format(code=change.complaint.code, label=status_label(target)), err=True)
        for notice in change.queued:  # the complainant's chat id only for those who may know it
            recipient = ctx.visibility.recipient_for(officer.actor, change.complaint, notice)
            write_json({**outgoing_line(recipient, notice.text, notice.buttons), "channel": notice.channel})

    run_with_app(work)


@case.command("assign")
@click.argument("code")
@click.argument("officer_id")
@click.option("--by", "actor_id", required=True, help="Who assigns (the officer themselves to take a case).")
def case_assign(code: str, officer_id: str, actor_id: str) -> None:
    """Give a case to an officer of its unit (or take it yourself)."""

    async def work(app: App) -> None:
        officer, actor = _officer(app, officer_id), _officer(app, actor_id)
        async with app.uow() as uow:
            try:
                complaint = await casework.assign(app.context(), uow, parse_code(code), officer, actor.actor,
                                                  system_now())
            except DomainError as error:
                raise refused(error) from error
            await uow.commit()
        click.echo(texts.ASSIGNED.format(code=complaint.code, officer=officer.name), err=True)

    run_with_app(work)


@case.command("merge")
@click.argument("code")
@click.option("--into", "into", required=True, help="The code of the case kept (the same problem, reported first).")
@click.option("--by", "officer_id", required=True, help="Officer id from the organisation file (the admin).")
def case_merge(code: str, into: str, officer_id: str) -> None:
    """Merge the duplicate CODE into the case kept: CODE is rejected as its duplicate, its
    complainant becomes a supporter of the kept case and is told where to follow it.

    Prints each notification it queued as a JSON line, as set-status does.
    """
    duplicate, kept = parse_code(code), parse_code(into)

    async def work(app: App) -> None:
        officer, ctx = _officer(app, officer_id), app.context()
        async with app.uow() as uow:
            try:
                merged = await merging.merge(ctx, uow, duplicate, kept, officer.actor, system_now())
            except DomainError as error:
                raise refused(error) from error
            await uow.commit()
        click.echo(texts.MERGED_DONE.format(duplicate=merged.duplicate.code, kept=merged.kept.code), err=True)
        _print_queued(ctx, officer, merged)

    run_with_app(work)


@case.command("unmerge")
@click.argument("code")
@click.option("--by", "officer_id", required=True, help="Officer id from the organisation file (the admin).")
def case_unmerge(code: str, officer_id: str) -> None:
    """Undo the merge of CODE: it returns to the status and deadline it had, and its
    complainant stops supporting the case it was merged into."""
    duplicate = parse_code(code)

    async def work(app: App) -> None:
        officer, ctx = _officer(app, officer_id), app.context()
        async with app.uow() as uow:
            try:
                result = await merging.unmerge(ctx, uow, duplicate, officer.actor, system_now())
            except DomainError as error:
                raise refused(error) from error
            await uow.commit()
        click.echo(texts.UNMERGED_DONE.format(duplicate=result.duplicate.code, kept=result.kept.code,
                                              status=status_label(result.duplicate.status)), err=True)
        _print_queued(ctx, officer, result)

    run_with_app(work)


def _print_queued(ctx: CaseContext, officer: Officer, result: merging.Merge) -> None:
    """The notifications queued, a JSON line each (the complainant's chat id only for those who may know it)."""
    for notice in result.queued:
        recipient = ctx.visibility.recipient_for(officer.actor, result.duplicate, notice)
        write_json({**outgoing_line(recipient, notice.text, notice.buttons), "channel": notice.channel})

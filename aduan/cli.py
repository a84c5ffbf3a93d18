"""The ``aduan`` command line."""

from __future__ import annotations

import asyncio
import sys
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
import uvicorn

from bot import texts
from bot.channels.console import (
    CHANNEL,
    ConsoleChat,
    ConsoleSender,
    TypedInput,
    outgoing_line,
    parse_line,
    stdin_lines,
)
from complaints import tracking
from complaints.errors import DomainError
from complaints.model import Actor
from complaints.taxonomy import Status
from complaints.visibility import PUBLIC
from nlu import evaluate as evaluation
from nlu.parser import RuleNlu
from scheduler.jobs import Jobs, SchedulerProcess, build_scheduler
from scheduler.lock import AlreadyRunning, SingleInstance

from .bootstrap import App
from .channels import Channels, open_channels
from .clock import system_now
from .http import server_config
from .organisation import OrganisationFileError, load_organisation
from .runner import run_with_app, write_json
from .settings import Settings


@click.group()
def main() -> None:
    """aduan: pengaduan pelayanan publik lewat chat."""


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema."""

    async def work(app: App) -> None:
        click.echo(f"Database siap: {app.settings.effective_database_url.split('@')[-1]}", err=True)

    run_with_app(work)


@main.command()
@click.option("--jsonl", is_flag=True, help="Machine interface: JSON lines in and out.")
@click.option("--as", "sender", default="warga", show_default=True, help="Sender id in the interactive chat.")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between deliveries of queued messages while idle (0: off).")
def chat(jsonl: bool, sender: str, poll: float) -> None:
    """Chat with the bot in the terminal."""

    async def work(app: App) -> None:
        if jsonl:
            write, translate, prompt = write_json, parse_line, None
        else:
            typed = TypedInput(sender)
            translate, prompt = typed.translate, "Anda: "

            def write(line: dict[str, Any]) -> None:
                click.echo(typed.show(line))

            click.echo(texts.CONSOLE_WELCOME)
        relay = app.relay({CHANNEL: ConsoleSender(write)})
        console = ConsoleChat(app.conversation.handle, relay.drain, system_now, write)
        await console.run(stdin_lines(prompt), translate, poll_seconds=poll or None)

    run_with_app(work)


# --- officers: aduan case ... ----------------------------------------------------------

@main.group()
def case() -> None:
    """Officers' commands on complaints."""


def _code(raw: str) -> str:
    check = tracking.parse(raw)
    if not check.ok:
        assert check.problem is not None
        raise click.ClickException(texts.CODE_PROBLEMS[check.problem].format(typed=raw))
    assert check.code is not None
    return check.code


def _refused(error: DomainError) -> click.ClickException:
    message = texts.domain_error(error)
    if error.code == "note_required":
        message = f"{message} {texts.CLI_NOTE_HINT}"
    return click.ClickException(message)


def _officer(app: App, officer_id: str | None):
    if officer_id is None:
        return None
    officer = app.org.officers.get(officer_id)
    if officer is None:
        raise click.ClickException(texts.UNKNOWN_OFFICER.format(officer=officer_id))
    return officer


def _viewer(app: App, officer_id: str | None) -> Actor:
    """Who reads: the officer given with --by, else the public (deny by default)."""
    officer = _officer(app, officer_id)
    return officer.actor if officer is not None else PUBLIC


@case.command("list")
@click.option("--status", type=click.Choice([s.value for s in Status]), default=None)
@click.option("--unit", default=None, help="Unit id from the organisation file.")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--by", "officer_id", default=None,
              help="Officer id: the cases that officer handles, as they may see them (without it: the public view).")
def case_list(status: str | None, unit: str | None, limit: int, as_json: bool, officer_id: str | None) -> None:
    """List complaints, newest first."""

    async def work(app: App) -> None:
        viewer = _viewer(app, officer_id)
        scope = app.desk.visibility.scope(viewer) if officer_id is not None else None
        async with app.uow() as uow:
            found = await uow.complaints.find(status=Status(status) if status else None, unit_id=unit, limit=limit,
                                              scope=scope)
        for c in found:
            if as_json:
                write_json({"code": c.code, "status": c.status.value, "category": c.category.value,
                            "unit": c.unit_id, "created_at": c.created_at.isoformat(),
                            "due_at": c.due_at.isoformat() if c.due_at else None})
            else:
                click.echo(texts.case_row(app.desk.view(viewer, c)))
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
        viewer = _viewer(app, officer_id)
        async with app.uow() as uow:
            try:
                complaint = await app.desk.get(uow, _code(code))
                view = (app.desk.visibility.require_staff_view(viewer, complaint) if officer_id is not None
                        else app.desk.view(viewer, complaint))
            except DomainError as error:
                raise _refused(error) from error
        click.echo(texts.case_detail(view, app.desk.unit_of(complaint), app.org.policy))

    run_with_app(work)


@case.command("set-status")
@click.argument("code")
@click.argument("status")
@click.option("--note", default="", help="What the complainant will read (required for some statuses).")
@click.option("--by", "officer_id", required=True, help="Officer id from the organisation file.")
@click.option("--unit", "unit_id", default=None, help="With didisposisikan: the unit, if not the suggested one.")
def case_set_status(code: str, status: str, note: str, officer_id: str, unit_id: str | None) -> None:
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
        officer = _officer(app, officer_id)
        async with app.uow() as uow:
            try:
                change = await app.desk.change_status(
                    uow, _code(code), target, officer.actor, system_now(), note, unit_id=unit_id
                )
            except DomainError as error:
                raise _refused(error) from error
            await uow.commit()
        click.echo(texts.STATUS_CHANGED.format(code=change.complaint.code, label=texts.status_label(target)), err=True)
        for notice in change.queued:  # the complainant's chat id only for those who may know it
            recipient = app.desk.visibility.recipient_for(officer.actor, change.complaint, notice)
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
                complaint = await app.desk.assign(uow, _code(code), officer, actor.actor, system_now())
            except DomainError as error:
                raise _refused(error) from error
            await uow.commit()
        click.echo(texts.ASSIGNED.format(code=complaint.code, officer=officer.name), err=True)

    run_with_app(work)


# --- undeliverable notifications ----------------------------------------------------------

@main.group()
def outbox() -> None:
    """Notifications that could not be delivered."""


@outbox.command("failed")
@click.option("--limit", default=50, show_default=True)
def outbox_failed(limit: int) -> None:
    """List notifications given up on (blocked bot, unknown user...), with the reason."""

    async def work(app: App) -> None:
        async with app.uow() as uow:
            items = await uow.outbox.failed(limit)
        if not items:
            click.echo(texts.OUTBOX_NONE_FAILED, err=True)
        for item in items:
            n = item.notification
            click.echo(texts.OUTBOX_FAILED_ROW.format(
                id=item.id, channel=n.channel, recipient=n.recipient, code=n.complaint_code or "-",
                attempts=item.attempts, reason=item.last_error or "-",
                at=texts.format_moment(item.failed_at, app.tz) if item.failed_at else "-"))

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


# --- the scheduler ---------------------------------------------------------------------

def _moment(value: str | None):
    if value is None:
        return system_now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(texts.BAD_MOMENT.format(value=value)) from error
    if moment.tzinfo is None:
        raise click.BadParameter(texts.BAD_MOMENT.format(value=value))
    return moment


def _print_notifications(queued) -> None:
    for notice in queued:
        write_json({**outgoing_line(notice.recipient, notice.text, notice.buttons), "channel": notice.channel})


@main.command()
@click.option("--now", "now_text", default=None, help="ISO time with offset, e.g. 2026-11-30T09:00:00+07:00.")
@click.option("--digest", is_flag=True, help="Also queue the supervisors' daily digest.")
def sweep(now_text: str | None, digest: bool) -> None:
    """Run the scheduler's jobs once as of a time; print what they queued as JSON lines."""
    now = _moment(now_text)

    async def work(app: App) -> None:
        report = await app.sweeper.sweep(now)
        queued = list(report.queued) + (await app.sweeper.digest(now) if digest else [])
        _print_notifications(queued)
        click.echo(texts.SWEEP_DONE.format(escalated=len(report.escalated), closed=len(report.closed),
                                           queued=len(queued)), err=True)

    run_with_app(work)


def _single_scheduler_lock(app: App) -> SingleInstance | None:
    """SQLite takes one scheduler; a second one refuses to start with a clear message."""
    if app.db.dialect.name != "sqlite":
        return None
    lock = SingleInstance(Path(f"{app.db.url.database}.scheduler.lock"))
    try:
        lock.acquire()
    except AlreadyRunning as error:
        raise click.ClickException(texts.SCHEDULER_ALREADY_RUNNING) from error
    return lock


def _start_scheduler(app: App, channels: Channels, sweep_seconds: float = 60.0) -> SchedulerProcess:
    jobs = Jobs(app.sweeper, app.relay(channels.senders), system_now, app.reload_organisation_if_changed)
    process = SchedulerProcess(jobs, build_scheduler(jobs, app.org.central.timezone, sweep_seconds=sweep_seconds))
    process.start()
    return process


@main.command("scheduler")
@click.option("--sweep-seconds", default=60.0, show_default=True)
def scheduler_command(sweep_seconds: float) -> None:
    """Run the escalation sweep, the outbox relay and the daily digest until stopped."""

    async def work(app: App) -> None:
        lock = _single_scheduler_lock(app)
        channels = await open_channels(app, inbound=False)
        scheduler = _start_scheduler(app, channels, sweep_seconds)
        click.echo(texts.SCHEDULER_STARTED, err=True)
        try:
            await asyncio.Event().wait()  # until interrupted
        finally:
            await scheduler.stop()
            await channels.close()
            if lock is not None:
                lock.release()

    with suppress(KeyboardInterrupt):
        run_with_app(work)


@main.command()
@click.option("--no-scheduler", is_flag=True, help="Run only the channels and the HTTP server.")
def serve(no_scheduler: bool) -> None:
    """The channels the settings enable (Telegram, WhatsApp), the HTTP server for their
    webhooks and /healthz, and the scheduler."""

    async def work(app: App) -> None:
        lock = None if no_scheduler else _single_scheduler_lock(app)
        channels = await open_channels(app)
        scheduler = None if no_scheduler else _start_scheduler(app, channels)
        settings = app.settings
        # X-Forwarded-For only from ADUAN_TRUSTED_PROXIES; the body limit and no-store on every route
        server = uvicorn.Server(server_config(app, channels.routes))
        stop = asyncio.Event()
        pollers = [asyncio.create_task(poll(stop)) for poll in channels.pollers]
        click.echo(texts.SERVE_STARTED.format(
            channels=", ".join(channels.names) or texts.SERVE_NO_CHANNELS,
            url=f"http://{settings.http_host}:{settings.http_port}"), err=True)
        try:
            await server.serve()  # until SIGINT or SIGTERM
        finally:
            stop.set()
            await asyncio.gather(*pollers, return_exceptions=True)
            if scheduler is not None:
                await scheduler.stop()
            await channels.close()
            if lock is not None:
                lock.release()

    with suppress(KeyboardInterrupt):  # uvicorn re-raises the signal after a clean shutdown
        run_with_app(work)


# --- NLU and organisation --------------------------------------------------------------

@main.group()
def nlu() -> None:
    """What the bot understands from a text."""


@nlu.command("parse")
@click.argument("text", required=False)
@click.option("--jsonl", is_flag=True, help="Read one text per line from stdin; print one JSON object per line.")
def nlu_parse(text: str | None, jsonl: bool) -> None:
    """Print what the NLU understood, as JSON."""
    settings = Settings()
    org = load_organisation(settings.organisation_file)
    understanding = RuleNlu(region_scope=org.region_code, tz=ZoneInfo(settings.timezone))
    if jsonl:
        for line in sys.stdin:
            if line.strip():
                write_json(understanding.parse(line.rstrip("\n"), system_now()).to_dict())
    elif text is not None:
        write_json(understanding.parse(text, system_now()).to_dict())
    else:
        raise click.UsageError("give TEXT or --jsonl")


@nlu.command("eval")
@click.option("--file", "path", type=click.Path(path_type=Path, exists=True), default=None,
              help="An evaluation set in the format of nlu/eval/eval.yml (default: that file).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--no-confusion", is_flag=True, help="Leave out the confusion matrices.")
def nlu_eval(path: Path | None, as_json: bool, no_confusion: bool) -> None:
    """Per-axis accuracy, macro-F1, confusion matrices and entity precision/recall."""
    result = evaluation.evaluate(path) if path else evaluation.evaluate()
    if as_json:
        write_json(result)
    else:
        click.echo(evaluation.format_report(result, confusion=not no_confusion))


@main.group()
def org() -> None:
    """The organisation file (units, officers, routing)."""


@org.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def org_check(path: Path | None) -> None:
    """Validate an organisation file (default: the configured one)."""
    organisation = _load_org(path)
    click.echo(f"OK: {organisation.name}: {len(organisation.units)} unit, {len(organisation.officers)} petugas.")


@org.command("show")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def org_show(path: Path | None) -> None:
    """Print the organisation: units, officers, routing, deadlines and escalation."""
    click.echo(texts.organisation_summary(_load_org(path)))


def _load_org(path: Path | None):
    try:
        return load_organisation(path or Settings().organisation_file)
    except OrganisationFileError as error:
        raise click.ClickException(str(error)) from error



# --- commands kept in their own modules ---------------------------------------------------

from .apikey_command import apikey  # noqa: E402
from .rasa_command import rasa_actions  # noqa: E402
from .report_command import report  # noqa: E402

main.add_command(apikey)
main.add_command(rasa_actions)
main.add_command(report)

if __name__ == "__main__":  # pragma: no cover
    main()

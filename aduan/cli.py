"""The ``aduan`` command line."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click

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
from complaints.taxonomy import Role, Status
from nlu.parser import RuleNlu

from .bootstrap import App, bootstrap
from .clock import system_now
from .organisation import OrganisationFileError, load_organisation
from .privacy import configure_logging
from .settings import Settings

T = TypeVar("T")


def write_json(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def run_with_app(work: Callable[[App], Awaitable[T]], *, migrate: bool = True) -> T:
    settings = Settings()
    configure_logging(settings.log_level)

    async def main() -> T:
        try:
            app = await bootstrap(settings, migrate=migrate)
        except OrganisationFileError as error:
            raise click.ClickException(str(error)) from error
        try:
            return await work(app)
        finally:
            await app.close()

    return asyncio.run(main())


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


def _officer(app: App, officer_id: str | None):
    if officer_id is None:
        return None
    officer = app.org.officers.get(officer_id)
    if officer is None:
        raise click.ClickException(texts.UNKNOWN_OFFICER.format(officer=officer_id))
    return officer


@case.command("list")
@click.option("--status", type=click.Choice([s.value for s in Status]), default=None)
@click.option("--unit", default=None, help="Unit id from the organisation file.")
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def case_list(status: str | None, unit: str | None, limit: int, as_json: bool) -> None:
    """List complaints, newest first."""

    async def work(app: App) -> None:
        async with app.uow() as uow:
            found = await uow.complaints.list(status=Status(status) if status else None, unit_id=unit, limit=limit)
        for c in found:
            if as_json:
                write_json({"code": c.code, "status": c.status.value, "category": c.category.value,
                            "unit": c.unit_id, "created_at": c.created_at.isoformat(),
                            "due_at": c.due_at.isoformat() if c.due_at else None})
            else:
                click.echo(texts.case_row(c))
        if not found and not as_json:
            click.echo("Tidak ada laporan.", err=True)

    run_with_app(work)


@case.command("show")
@click.argument("code")
@click.option("--by", "officer_id", default=None,
              help="Officer id: the unit's officers see phone numbers in full, admins also confidential identities.")
def case_show(code: str, officer_id: str | None) -> None:
    """Show one complaint with its history."""

    async def work(app: App) -> None:
        officer = _officer(app, officer_id)
        async with app.uow() as uow:
            try:
                complaint = await app.desk.get(uow, _code(code))
            except DomainError as error:
                raise click.ClickException(texts.domain_error(error)) from error
        admin = officer is not None and officer.role is Role.ADMIN
        handling = officer is not None and (admin or officer.unit_id == complaint.unit_id)
        click.echo(texts.case_detail(complaint, app.unit_of(complaint), may_see_identity=admin, full_contact=handling))

    run_with_app(work)


@case.command("set-status")
@click.argument("code")
@click.argument("status")
@click.option("--note", default="", help="What the complainant will read (required for some statuses).")
@click.option("--by", "officer_id", required=True, help="Officer id from the organisation file.")
def case_set_status(code: str, status: str, note: str, officer_id: str) -> None:
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
                change = await app.desk.change_status(uow, _code(code), target, officer.actor, system_now(), note)
            except DomainError as error:
                raise click.ClickException(texts.domain_error(error)) from error
            await uow.commit()
        click.echo(texts.STATUS_CHANGED.format(code=change.complaint.code, label=texts.status_label(target)), err=True)
        for notice in change.queued:
            write_json({**outgoing_line(notice.recipient, notice.text, notice.buttons), "channel": notice.channel})

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


@main.group()
def org() -> None:
    """The organisation file (units, officers, routing)."""


@org.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def org_check(path: Path | None) -> None:
    """Validate an organisation file (default: the configured one)."""
    path = path or Settings().organisation_file
    try:
        organisation = load_organisation(path)
    except OrganisationFileError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"OK: {organisation.name}: {len(organisation.units)} unit, {len(organisation.officers)} petugas.")


if __name__ == "__main__":  # pragma: no cover
    main()

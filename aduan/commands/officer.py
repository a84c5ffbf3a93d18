"""``aduan officer``: officers' access to the web console (a one-time sign-in link, a password)."""

from __future__ import annotations

import click

from bot import texts
from complaints.usecases import signin

from ..bootstrap import App
from ..clock import system_now
from ..passwords import Argon2Hasher
from .common import officer_of, run_with_app


@click.group("officer")
def officer() -> None:
    """Officers' access to the web console (/petugas/)."""


@officer.command("login-link")
@click.argument("officer_id")
def login_link(officer_id: str) -> None:
    """Print a one-time sign-in link for OFFICER_ID (valid 15 minutes, single use)."""

    async def work(app: App) -> None:
        found, ctx = officer_of(app, officer_id), app.context()
        async with app.uow() as uow:
            issued = await signin.issue_link(ctx, uow, found, system_now())
            await uow.commit()
        until = issued.link.expires_at.astimezone(app.tz).strftime("%H:%M")
        click.echo(texts.CLI_LOGIN_LINK_ISSUED.format(officer=found.name, until=until), err=True)
        click.echo(ctx.login_url + issued.token)

    run_with_app(work)


@officer.command("set-password")
@click.argument("officer_id")
@click.password_option("--password", prompt=True, confirmation_prompt=True,
                       help="Asked twice when not given (ADUAN_PASSWORD in the environment also works).",
                       envvar="ADUAN_PASSWORD")
def set_password(officer_id: str, password: str) -> None:
    """Set (or replace) OFFICER_ID's console password (at least 10 characters); the
    officer's open sessions end."""

    async def work(app: App) -> None:
        found = officer_of(app, officer_id)
        async with app.uow() as uow:
            try:
                ended = await signin.set_password(uow, found, password, Argon2Hasher(), system_now())
            except signin.PasswordRefused as refused:
                raise click.ClickException(texts.PASSWORD_PROBLEMS[refused.problem]) from None
            await uow.commit()
        click.echo(texts.CLI_PASSWORD_SET.format(officer=found.name, ended=ended), err=True)

    run_with_app(work)


@officer.command("logins")
@click.argument("officer_id", required=False)
@click.option("--limit", default=50, show_default=True)
def logins(officer_id: str | None, limit: int) -> None:
    """The sign-in audit (links issued, sign-ins, failures, lockouts, sign-outs), newest first."""

    async def work(app: App) -> None:
        async with app.uow() as uow:
            found = await uow.signins.events(officer_id, limit)
        for event in found:
            moment = event.at.astimezone(app.tz).strftime("%Y-%m-%d %H:%M:%S")
            click.echo(f"{moment}  {event.officer_id:<24} {event.method.value:<13} {event.outcome.value:<15} "
                       f"{event.address or '-'}")
        if not found:
            click.echo(texts.CLI_NO_LOGINS, err=True)

    run_with_app(work)

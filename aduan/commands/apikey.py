"""``aduan apikey``: keys of the REST API (create, list, revoke). A key is printed once,
on creation; the database keeps only its SHA-256."""

from __future__ import annotations

import click

from bot import texts
from bot.render.dates import format_moment
from storage.api_keys import ApiKeyRepository
from storage.uow import SqlUnitOfWork  # keys are SQL-only, not on the domain's port

from ..api.keys import Scope, hash_key, key_prefix, new_key
from ..bootstrap import App
from ..clock import system_now
from .common import run_with_app, write_json


@click.group()
def apikey() -> None:
    """API keys of the REST API (/open311/v2, /api/v1)."""


@apikey.command("create")
@click.option("--scope", type=click.Choice([s.value for s in Scope]), required=True,
              help="public: read and file complaints; officer: act as --officer; admin: everything.")
@click.option("--officer", "officer_id", default=None, help="Officer id from the organisation file.")
@click.option("--label", default="", help="Who or what uses the key, e.g. 'aplikasi kelurahan'.")
def create(scope: str, officer_id: str | None, label: str) -> None:
    """Create a key and print it (only this once)."""

    async def work(app: App) -> None:
        if scope == Scope.OFFICER and officer_id is None:
            raise click.ClickException(texts.APIKEY_OFFICER_REQUIRED)
        if scope == Scope.PUBLIC and officer_id is not None:
            raise click.ClickException(texts.APIKEY_PUBLIC_NO_OFFICER)
        if officer_id is not None and officer_id not in app.org.officers:
            raise click.ClickException(texts.UNKNOWN_OFFICER.format(officer=officer_id))
        key = new_key()
        async with SqlUnitOfWork(app.db) as uow:
            record = await ApiKeyRepository(uow.connection).add(
                hash_key(key), key_prefix(key), scope, officer_id, label.strip(), system_now())
            await uow.commit()
        click.echo(key)
        click.echo(texts.APIKEY_CREATED.format(id=record.id, scope=scope), err=True)

    run_with_app(work)


@apikey.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
def list_keys(as_json: bool) -> None:
    """List the keys (never the keys themselves: their first characters)."""

    async def work(app: App) -> None:
        async with SqlUnitOfWork(app.db) as uow:
            records = await ApiKeyRepository(uow.connection).list()
        for r in records:
            if as_json:
                write_json({"id": r.id, "prefix": r.prefix, "scope": r.scope, "officer": r.officer_id, "label": r.label,
                            "created_at": r.created_at.isoformat(),
                            "revoked_at": r.revoked_at.isoformat() if r.revoked_at else None})
                continue
            state = (texts.APIKEY_REVOKED_STATE.format(at=format_moment(r.revoked_at, app.tz))
                     if r.revoked_at else texts.APIKEY_ACTIVE)
            click.echo(texts.APIKEY_ROW.format(id=r.id, prefix=r.prefix, scope=r.scope, officer=r.officer_id or "-",
                                               created=format_moment(r.created_at, app.tz), state=state,
                                               label=r.label))
        if not records and not as_json:
            click.echo(texts.APIKEY_NONE, err=True)

    run_with_app(work)


@apikey.command("revoke")
@click.argument("key_id", type=int)
def revoke(key_id: int) -> None:
    """Revoke a key by its number (see ``aduan apikey list``)."""

    async def work(app: App) -> None:
        async with SqlUnitOfWork(app.db) as uow:
            revoked = await ApiKeyRepository(uow.connection).revoke(key_id, system_now())
            await uow.commit()
        if not revoked:
            raise click.ClickException(texts.APIKEY_NOT_ACTIVE.format(id=key_id))
        click.echo(texts.APIKEY_REVOKED.format(id=key_id), err=True)

    run_with_app(work)

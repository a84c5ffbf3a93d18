"""``aduan migrate``: the database schema."""

from __future__ import annotations

import click

from ..bootstrap import App
from .common import run_with_app


@click.command("migrate")
def migrate() -> None:
    """Create or upgrade the database schema."""

    async def work(app: App) -> None:
        click.echo(f"Database siap: {app.settings.effective_database_url.split('@')[-1]}", err=True)

    run_with_app(work)

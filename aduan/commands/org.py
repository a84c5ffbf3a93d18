"""``aduan org``: the organisation file (check, show)."""

from __future__ import annotations

from pathlib import Path

import click

from bot.render.officer import organisation_summary
from complaints.org import Organisation

from ..organisation import OrganisationFileError, load_organisation
from ..settings import Settings


@click.group("org")
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
    click.echo(organisation_summary(_load_org(path)))


def _load_org(path: Path | None) -> Organisation:
    try:
        return load_organisation(path or Settings().organisation_file)
    except OrganisationFileError as error:
        raise click.ClickException(str(error)) from error

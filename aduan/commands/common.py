"""What every command shares: run a coroutine against a bootstrapped App, print JSON lines,
read a tracking code or a moment, turn a refusal of the domain into a click error."""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

import click

from bot import texts
from bot.render.errors import domain_error
from complaints import tracking
from complaints.errors import DomainError
from complaints.org import Officer

from .. import loop
from ..bootstrap import App, bootstrap
from ..clock import system_now
from ..organisation import OrganisationFileError
from ..privacy import configure_logging
from ..settings import Settings

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

    return loop.run(main())


def officer_of(app: App, officer_id: str) -> Officer:
    """The officer of the organisation file with that id; unknown: a click error."""
    officer = app.org.officers.get(officer_id)
    if officer is None:
        raise click.ClickException(texts.UNKNOWN_OFFICER.format(officer=officer_id))
    return officer


def parse_code(raw: str) -> str:
    """A tracking code as typed (any case, spaces...) to its canonical form, or a click error."""
    check = tracking.parse(raw)
    if not check.ok:
        assert check.problem is not None
        raise click.ClickException(texts.CODE_PROBLEMS[check.problem].format(typed=raw))
    assert check.code is not None
    return check.code


def parse_moment(value: str | None) -> datetime:
    """An ISO time with offset (``--now``); none given: now."""
    if value is None:
        return system_now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(texts.BAD_MOMENT.format(value=value)) from error
    if moment.tzinfo is None:
        raise click.BadParameter(texts.BAD_MOMENT.format(value=value))
    return moment


def refused(error: DomainError) -> click.ClickException:
    """A refusal of the domain as the Indonesian message an officer reads."""
    message = domain_error(error)
    if error.code == "note_required":
        message = f"{message} {texts.CLI_NOTE_HINT}"
    return click.ClickException(message)

"""What every command shares: run a coroutine against a bootstrapped App, print JSON lines."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from .bootstrap import App, bootstrap
from .organisation import OrganisationFileError
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

"""``aduan rasa-actions``: the action server a Rasa assistant calls (bot/channels/rasa/).

Rasa itself is not part of this project; its domain, config, rules and stories are in
``nlu/data/rasa/`` and its training examples in ``nlu/data/nlu.yml``.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from typing import Any

import click

from bot import texts

from ..bootstrap import App
from ..clock import system_now
from .common import run_with_app


def action_services(app: App, clock: Callable[[], datetime] = system_now) -> Any:
    """The collaborators of the Rasa actions (``bot.channels.rasa.ActionServices``), from the App."""
    from bot.channels.rasa import ActionServices  # needs the optional "rasa" extra (rasa-sdk)

    return ActionServices(
        uow=app.uow,
        nlu=app.nlu,
        contexts=app.organisation,  # the organisation file, looked at again while the server runs
        clock=clock,
        intake=app.conversation.intake.config,
        max_chars=app.settings.max_message_chars,
    )


@click.command("rasa-actions")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=5055, show_default=True, type=click.IntRange(1, 65535),
              help="Port; Rasa's endpoints.yml points action_endpoint at http://HOST:PORT/webhook.")
def rasa_actions(host: str, port: int) -> None:
    """Run the Rasa action server: the complaint form, filing, and status checks."""
    try:
        from bot.channels.rasa import ActionServer  # here, not at the top: the optional "rasa" extra
    except ImportError as error:  # the optional "rasa" extra is not installed
        raise click.ClickException(texts.RASA_SDK_MISSING) from error

    async def work(app: App) -> None:
        services = action_services(app)
        app.nlu.parse("halo", system_now())  # load the model and region list before the first citizen
        server = ActionServer(services)
        try:
            bound_host, bound_port = await server.start(host, port)
        except OSError as error:
            raise click.ClickException(texts.RASA_ACTIONS_CANNOT_LISTEN.format(host=host, port=port, error=error)) from error
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        click.echo(texts.RASA_ACTIONS_STARTED.format(url=f"http://{bound_host}:{bound_port}"), err=True)
        try:
            await stop.wait()
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                with suppress(ValueError, RuntimeError):
                    loop.remove_signal_handler(signum)
            await server.stop()

    run_with_app(work)

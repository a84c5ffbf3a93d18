"""``aduan chat``: the bot in the terminal (interactive, or JSON lines for machines)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from bot import texts
from bot.channels.console import CHANNEL, ConsoleChat, ConsoleSender, TypedInput, parse_line, stdin_lines
from bot.messages import IncomingMessage

from ..bootstrap import App
from ..channels import media_policy
from ..clock import system_now
from .common import run_with_app, write_json


@click.command("chat")
@click.option("--jsonl", is_flag=True, help="Machine interface: JSON lines in and out.")
@click.option("--as", "sender", default="warga", show_default=True, help="Sender id in the interactive chat.")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between deliveries of queued messages while idle (0: off).")
def chat(jsonl: bool, sender: str, poll: float) -> None:
    """Chat with the bot in the terminal."""

    async def work(app: App) -> None:
        write: Callable[[dict[str, Any]], None]
        translate: Callable[[str], IncomingMessage]
        prompt: str | None
        if jsonl:
            write, translate, prompt = write_json, parse_line, None
        else:
            typed = TypedInput(sender)
            translate, prompt = typed.translate, "Anda: "

            def show(line: dict[str, Any]) -> None:
                click.echo(typed.show(line))

            write = show
            click.echo(texts.CONSOLE_WELCOME)
        relay = app.relay({CHANNEL: ConsoleSender(write)})
        policy = media_policy(app.settings)  # the limits of every channel
        console = ConsoleChat(app.conversation.handle, relay.drain, system_now, write, policy=policy)
        await console.run(stdin_lines(prompt), translate, poll_seconds=poll or None)

    run_with_app(work)

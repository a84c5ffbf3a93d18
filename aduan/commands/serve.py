"""``aduan serve`` (channels, HTTP server and scheduler) and ``aduan scheduler`` (the
scheduler alone): the long-running processes."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from pathlib import Path

import click
import uvicorn

from bot import texts
from scheduler.jobs import Jobs, SchedulerProcess, build_scheduler
from scheduler.lock import AlreadyRunning, SingleInstance

from ..bootstrap import App
from ..channels import Channels, open_channels
from ..clock import system_now
from ..http import server_config
from .common import run_with_app


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
    # the sweeper reads the organisation file's current snapshot at each pass (aduan.live)
    jobs = Jobs(app.sweeper, app.relay(channels.senders), system_now)
    process = SchedulerProcess(jobs, build_scheduler(jobs, app.org.central.timezone, sweep_seconds=sweep_seconds))
    process.start()
    return process


@click.command("scheduler")
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


@click.command("serve")
@click.option("--no-scheduler", is_flag=True, help="Run only the channels and the HTTP server.")
def serve(no_scheduler: bool) -> None:
    """The channels the settings enable (Telegram, WhatsApp), the HTTP server for their
    webhooks and /healthz, and the scheduler."""

    async def work(app: App) -> None:
        lock = None if no_scheduler else _single_scheduler_lock(app)
        app.warm_up()  # the first citizen does not wait for the NLU's files
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

"""The ``aduan`` command line: the ``main`` group and its commands, one module per
command or group of commands."""

from __future__ import annotations

import click

from . import apikey, case, chat, db, nlu, officer, org, outbox, rasa, report, sender, serve, sweep


@click.group()
def main() -> None:
    """aduan: pengaduan pelayanan publik lewat chat."""


for command in (
    db.migrate,
    chat.chat,
    case.case,
    outbox.outbox,
    sweep.sweep,
    serve.scheduler_command,
    serve.serve,
    nlu.nlu,
    org.org,
    officer.officer,
    apikey.apikey,
    rasa.rasa_actions,
    report.report,
    sender.sender,
):
    main.add_command(command)

"""``aduan nlu``: what the bot understands from a text (parse, evaluate)."""

from __future__ import annotations

import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from nlu import evaluate as evaluation
from nlu.parser import RuleNlu

from ..clock import system_now
from ..organisation import load_organisation
from ..settings import Settings
from .common import write_json


@click.group("nlu")
def nlu() -> None:
    """What the bot understands from a text."""


@nlu.command("parse")
@click.argument("text", required=False)
@click.option("--jsonl", is_flag=True, help="Read one text per line from stdin; print one JSON object per line.")
def nlu_parse(text: str | None, jsonl: bool) -> None:
    """Print what the NLU understood, as JSON."""
    settings = Settings()
    org = load_organisation(settings.organisation_file)
    understanding = RuleNlu(region_scope=org.region_code, tz=ZoneInfo(settings.timezone))
    if jsonl:
        for line in sys.stdin:
            if line.strip():
                write_json(understanding.parse(line.rstrip("\n"), system_now()).to_dict())
    elif text is not None:
        write_json(understanding.parse(text, system_now()).to_dict())
    else:
        raise click.UsageError("give TEXT or --jsonl")


@nlu.command("eval")
@click.option("--file", "path", type=click.Path(path_type=Path, exists=True), default=None,
              help="An evaluation set in the format of nlu/eval/eval.yml (default: that file).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--no-confusion", is_flag=True, help="Leave out the confusion matrices.")
def nlu_eval(path: Path | None, as_json: bool, no_confusion: bool) -> None:
    """Per-axis accuracy, macro-F1, confusion matrices and entity precision/recall."""
    result = evaluation.evaluate(path) if path else evaluation.evaluate()
    if as_json:
        write_json(result)
    else:
        click.echo(evaluation.format_report(result, confusion=not no_confusion))

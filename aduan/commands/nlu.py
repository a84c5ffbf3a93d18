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
              help="An evaluation set in the format of nlu/eval/eval.yml, or a folder of them "
                   "(default: nlu/eval/eval.yml and the routing set nlu/eval/routing/, each reported on its own).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--no-confusion", is_flag=True, help="Leave out the confusion matrices.")
@click.option("--errors", "show_errors", is_flag=True,
              help="Also show the sample of misclassified messages (never shown for the blind routing set without it).")
def nlu_eval(path: Path | None, as_json: bool, no_confusion: bool, show_errors: bool) -> None:
    """Category top-1/top-3, recall per category, confusions, automatic routing, intent
    figures, per-axis accuracy and entity precision/recall."""
    if path is not None:
        sets = [("given", str(path), path)]
    else:
        sets = [("eval", "evaluation set (nlu/eval/eval.yml)", evaluation.EVAL_FILE)]
        if evaluation.ROUTING_DIR.is_dir() and any(evaluation.ROUTING_DIR.glob("*.yml")):
            sets.append(("routing", "BLIND routing set (nlu/eval/routing/)", evaluation.ROUTING_DIR))
    results: dict[str, dict[str, object]] = {}
    titles: dict[str, str] = {}
    routing = evaluation.ROUTING_DIR.resolve()
    for key, title, where in sets:
        result = evaluation.evaluate(where)
        blind = where.resolve() == routing or routing in where.resolve().parents
        if blind and not show_errors:
            result["errors"] = []  # the routing set stays blind: aggregate figures only
        results[key], titles[key] = result, title
    if as_json:
        write_json(results if path is None else results["given"])
        return
    reports = [
        evaluation.format_report(result, confusion=not no_confusion, errors=show_errors, title=titles[key])
        for key, result in results.items()
    ]
    click.echo(("\n\n" + "=" * 78 + "\n\n").join(reports))

"""The `nagrik eval …` commands; each suite adds its own."""

from __future__ import annotations

import typer

from evals.ocr import cli as ocr_cli
from evals.retrieval import cli as retrieval_cli
from evals.scenarios import cli as scenarios_cli

eval_app = typer.Typer(help="Offline evals: scenarios, retrieval, OCR.", no_args_is_help=True)
for suite_cli in (scenarios_cli, retrieval_cli, ocr_cli):
    suite_cli.register(eval_app)


def register(app: typer.Typer) -> None:
    """Add `nagrik eval` to the CLI."""
    app.add_typer(eval_app, name="eval")

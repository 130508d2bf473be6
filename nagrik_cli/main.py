"""The `nagrik` command: one entry point for every job, each package adding its own commands."""

from __future__ import annotations

import logging

import typer

from agent import cli as agent_cli
from evals import cli as evals_cli
from knowledge import cli as knowledge_cli
from tools import cli as tools_cli
from whatsapp import cli as whatsapp_cli

app = typer.Typer(help="Nagrik: government services on WhatsApp.", no_args_is_help=True)


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log at DEBUG.")) -> None:
    """Nagrik: government services on WhatsApp."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not verbose:
        # httpx logs every request at INFO; the channel logs its own sends and failures.
        logging.getLogger("httpx").setLevel(logging.WARNING)


for package_cli in (tools_cli, knowledge_cli, agent_cli, evals_cli, whatsapp_cli):
    package_cli.register(app)


if __name__ == "__main__":  # `python -m nagrik_cli.main`, as `nagrik bench stack` starts it
    app()

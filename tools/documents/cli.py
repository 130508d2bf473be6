"""Commands for documents: `nagrik keys …`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the document commands to the `nagrik` CLI."""

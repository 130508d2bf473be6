"""Commands of the `nagrik` CLI that belong to whatsapp/."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this package's commands to the `nagrik` CLI."""

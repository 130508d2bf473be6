"""The `nagrik eval` commands for retrieval."""

from __future__ import annotations

import typer


def register(eval_app: typer.Typer) -> None:
    """Add this suite's commands to `nagrik eval`."""

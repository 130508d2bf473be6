"""The `nagrik eval ocr` command: OCR quality and speed on generated Hindi and English documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

TARGETS = {"field_accuracy_clean": 0.95, "field_accuracy_degraded": 0.85}
MAX_SECONDS_PER_PAGE = 3.0


def register(eval_app: typer.Typer) -> None:
    """Add this suite's commands to `nagrik eval`."""
    eval_app.command("ocr")(ocr)


def ocr(
    out: Annotated[Path | None, typer.Option(help="Write results.json into this folder.")] = None,
    limit: Annotated[int | None, typer.Option(help="Read at most this many documents.")] = None,
    per_kind: Annotated[int, typer.Option(help="Documents per kind and language.")] = 3,
    seed: Annotated[int, typer.Option(help="Seed of the generated documents.")] = 7,
    keep: Annotated[Path | None, typer.Option(help="Keep the generated files here.")] = None,
) -> None:
    """Render documents in Hindi and English, degrade copies, OCR them, and score the result."""
    from evals.ocr.runner import run

    summary = run(per_kind=per_kind, limit=limit, seed=seed, workdir=keep)
    console = Console()
    console.print(_table(summary))
    console.print(
        f"pages: {summary['pages']}, seconds per page p50: {summary['seconds_per_page_p50']}"
        f", p90: {summary['seconds_per_page_p90']}"
    )
    for key, target in TARGETS.items():
        value = summary[key]
        verdict = "ok" if value is not None and value >= target else "BELOW TARGET"
        console.print(f"{key}: {value} (target >= {target}) {verdict}")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        path = out / "results.json"
        path.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        console.print(f"wrote {path}")


def _table(summary: dict[str, Any]) -> Table:
    table = Table(title="OCR eval")
    for column in ("document", "fields clean", "fields degraded", "CER clean", "CER degraded"):
        table.add_column(column)
    for kind, row in summary["by_kind"].items():
        table.add_row(kind, *(_show(row[key]) for key in (
            "field_accuracy_clean", "field_accuracy_degraded", "cer_clean", "cer_degraded")))
    table.add_row("all", *(_show(summary[key]) for key in (
        "field_accuracy_clean", "field_accuracy_degraded", "cer_clean", "cer_degraded")))
    return table


def _show(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"

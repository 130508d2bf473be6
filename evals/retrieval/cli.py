"""The `nagrik eval retrieval` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tools.settings import get_settings

console = Console()


def register(eval_app: typer.Typer) -> None:
    """Add this suite's commands to `nagrik eval`."""
    eval_app.command("retrieval")(retrieval)


def retrieval(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Question files; default: the bundled set.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Write results.json here.")] = Path(
        "eval-out/retrieval"
    ),
    docs: Annotated[
        Path | None,
        typer.Option("--docs", help="Documents for a fresh knowledge base; default: the sample."),
    ] = None,
    configured: Annotated[
        bool, typer.Option("--configured", help="Use the configured knowledge base instead.")
    ] = False,
    min_recall3: Annotated[
        float | None, typer.Option("--min-recall3", help="Exit 1 if recall@3 is below this.")
    ] = None,
) -> None:
    """Score retrieval: recall@1, recall@3, MRR and query latency per language."""
    from evals.retrieval.runner import QUESTIONS_FILE, run, write_results

    settings = get_settings()
    source = None if configured else (docs or settings.kb_sample_dir)
    summary = run(paths or [QUESTIONS_FILE], docs=source, settings=settings)
    console.print(table(summary))
    if "load" in summary:
        load = summary["load"]
        console.print(
            f"load: {load['chunks']} chunks from {load['documents']} documents in "
            f"{load['seconds']} s ({load['chunks_per_second']} chunks/s)"
        )
    abstention = summary["abstention"]
    console.print(
        f"unanswerable questions answered 'I don't know': "
        f"{abstention['correct']}/{abstention['questions']}"
    )
    for miss in summary["misses"]:
        console.print(f"miss {miss['id']} ({miss['language']}) rank {miss['rank']}: {miss['top']}")
    console.print(f"wrote {write_results(summary, out)}")

    if min_recall3 is not None:
        below = below_target(summary, min_recall3)
        if below:
            console.print(f"[red]recall@3 below {min_recall3}: {', '.join(below)}[/red]")
            raise typer.Exit(1)


def below_target(summary: dict[str, Any], min_recall3: float) -> list[str]:
    """Which parts (all, or a language) have recall@3 under the target."""
    parts = {"all": summary["recall_at_3"]} | {
        language: values["recall_at_3"] for language, values in summary["by_language"].items()
    }
    return [name for name, value in parts.items() if value is not None and value < min_recall3]


def table(summary: dict[str, Any]) -> Table:
    """The metrics per language and overall."""
    result = Table(title=f"Retrieval ({summary['embedder']}, threshold {summary['min_score']})")
    for column in ("language", "questions", "recall@1", "recall@3", "MRR", "p50 ms", "p95 ms"):
        result.add_column(column)
    rows = list(summary["by_language"].items()) + [("all", summary)]
    for name, values in rows:
        result.add_row(
            name,
            str(values["questions"]),
            *(
                "-" if values[key] is None else f"{values[key]:.3f}"
                for key in ("recall_at_1", "recall_at_3", "mrr")
            ),
            *(
                "-" if values[key] is None else f"{values[key]:.1f}"
                for key in ("latency_ms_p50", "latency_ms_p95")
            ),
        )
    return result

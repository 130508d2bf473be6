"""Commands of the `nagrik` CLI that belong to knowledge/: `nagrik kb …` for content editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from knowledge.base import EmbedderMismatchError, KnowledgeBase, collect_files
from knowledge.results import AddOutcome, AddReport, AddStatus
from tools.settings import get_settings

kb_app = typer.Typer(help="The knowledge base: scheme documents in, cited answers out.")
console = Console()
errors = Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Add this package's commands to the `nagrik` CLI."""
    app.add_typer(kb_app, name="kb")


def _open() -> KnowledgeBase:
    return KnowledgeBase.open(get_settings())


@kb_app.command("add")
def add(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (searched recursively).")
    ] = None,
    sample: Annotated[
        bool, typer.Option("--sample", help="Also load the bundled sample documents.")
    ] = False,
    service: Annotated[
        str | None, typer.Option(help="Service id for files that do not say.")
    ] = None,
    department: Annotated[
        str | None, typer.Option(help="Department for files that do not say.")
    ] = None,
    language: Annotated[
        str | None, typer.Option(help="`hi` or `en` for files that do not say.")
    ] = None,
    source_url: Annotated[
        str | None, typer.Option(help="Source URL for files that do not say.")
    ] = None,
) -> None:
    """Add or replace documents; unchanged ones are skipped. Markdown, text, HTML or PDF."""
    targets = list(paths or [])
    if sample:
        targets.append(get_settings().kb_sample_dir)
    if not targets:
        errors.print("Name files or folders to add, or use --sample.")
        raise typer.Exit(2)
    defaults: dict[str, Any] = {
        "service": service,
        "department": department,
        "language": language,
        "source_url": source_url,
    }

    kb = _open()
    files = collect_files(targets)
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("Loading documents", total=len(files))

        def advance(outcome: AddOutcome) -> None:
            label = f"{outcome.status.value}: {Path(outcome.source).name}"
            progress.update(task, advance=1, description=label)

        report = kb.add_paths(targets, defaults, advance)
    kb.close()
    _print_report(report)
    if report.count(AddStatus.FAILED):
        raise typer.Exit(1)


def _print_report(report: AddReport) -> None:
    console.print(
        f"added {report.count(AddStatus.ADDED)}, replaced {report.count(AddStatus.REPLACED)}, "
        f"skipped {report.count(AddStatus.SKIPPED)}, failed {report.count(AddStatus.FAILED)}"
    )
    for outcome in report.outcomes:
        if outcome.status is AddStatus.FAILED:
            console.print(f"[red]failed[/red] {outcome.source}: {outcome.reason}")
    console.print(
        f"{report.chunks_written} chunks in {report.seconds:.1f} s "
        f"({report.chunks_per_second:.1f} chunks/s)"
    )


@kb_app.command("list")
def list_documents() -> None:
    """List the documents with their dates and chunk counts."""
    kb = _open()
    documents = kb.list()
    kb.close()
    table = Table("id", "title", "service", "dept", "lang", "chunks", "effective", "updated")
    table.columns[0].no_wrap = True
    for info in documents:
        table.add_row(
            info.id,
            info.title,
            info.service or "-",
            info.department or "-",
            info.language,
            str(info.chunk_count),
            info.effective_date.isoformat() if info.effective_date else "-",
            info.updated_at.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(table)
    console.print(f"{len(documents)} documents, {sum(d.chunk_count for d in documents)} chunks")


@kb_app.command("show")
def show(doc_id: Annotated[str, typer.Argument(help="Document id.")]) -> None:
    """Show a document's metadata and its chunks."""
    kb = _open()
    detail = kb.show(doc_id)
    kb.close()
    if detail is None:
        errors.print(f"No document {doc_id!r}; `nagrik kb list` shows the ids.")
        raise typer.Exit(1)
    info = detail.info
    for label, value in (
        ("id", info.id),
        ("title", info.title),
        ("service", info.service or "-"),
        ("department", info.department or "-"),
        ("language", info.language),
        ("source", info.source_url or "-"),
        ("more sources", ", ".join(info.sources) or "-"),
        ("effective", info.effective_date.isoformat() if info.effective_date else "-"),
        ("file", info.path or "-"),
        ("updated", info.updated_at.isoformat(timespec="seconds")),
        ("chunks", str(info.chunk_count)),
    ):
        console.print(f"[bold]{label}:[/bold] {value}", highlight=False)
    for chunk in detail.chunks:
        console.rule(f"#{chunk.ordinal} {chunk.heading or '(top)'}")
        console.print(chunk.text, highlight=False, markup=False)


@kb_app.command("remove")
def remove(doc_id: Annotated[str, typer.Argument(help="Document id.")]) -> None:
    """Remove a document and all its chunks."""
    kb = _open()
    removed = kb.remove(doc_id)
    kb.close()
    if not removed:
        errors.print(f"No document {doc_id!r}; `nagrik kb list` shows the ids.")
        raise typer.Exit(1)
    console.print(f"removed {doc_id}")


@kb_app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="A question, in Hindi, Hinglish or English.")],
    service: Annotated[str | None, typer.Option(help="Only this service.")] = None,
    department: Annotated[str | None, typer.Option(help="Only this department.")] = None,
    language: Annotated[str | None, typer.Option(help="Only documents in `hi` or `en`.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=50, help="How many passages.")] = 5,
    min_score: Annotated[
        float | None, typer.Option(help="Similarity threshold; default: the setting.")
    ] = None,
) -> None:
    """Search the knowledge base: ranked passages with citations and scores."""
    kb = _open()
    try:
        result = kb.search(
            query,
            service=service,
            department=department,
            language=language,
            limit=limit,
            min_score=min_score,
        )
    except EmbedderMismatchError as error:
        errors.print(str(error))
        raise typer.Exit(2) from error
    finally:
        kb.close()

    best = f"{result.best_similarity:.3f}" if result.best_similarity is not None else "-"
    if not result.found:
        console.print(
            f"Nothing close enough to answer (best similarity {best} < {result.min_score:.3f})."
        )
        raise typer.Exit(0)
    table = Table("#", "score", "similarity", "bm25", "source", "passage")
    for rank, hit in enumerate(result.hits, 1):
        cite = hit.citation
        source = f"{cite.title}\n› {cite.heading}\n{cite.source_url or ''}".rstrip()
        table.add_row(
            str(rank),
            f"{hit.score:.4f}",
            f"{hit.similarity:.3f}" if hit.similarity is not None else "-",
            f"{hit.lexical_score:.2f}" if hit.lexical_score is not None else "-",
            source,
            hit.text if len(hit.text) <= 300 else hit.text[:297] + "…",
        )
    console.print(table)
    console.print(f"{result.milliseconds:.1f} ms")


@kb_app.command("rebuild")
def rebuild() -> None:
    """Re-embed every document with the configured embedder (after changing embedders)."""
    kb = _open()
    total = len(kb.list())
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("Re-embedding", total=total)
        report = kb.rebuild(lambda outcome: progress.update(task, advance=1))
    kb.close()
    console.print(
        f"rebuilt {len(report.outcomes)} documents with {kb.embedder.name}: "
        f"{report.chunks_written} chunks in {report.seconds:.1f} s "
        f"({report.chunks_per_second:.1f} chunks/s)"
    )

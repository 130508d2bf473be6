"""The `nagrik eval` commands for scenarios: `run` and `compare`."""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from evals.report.html import write_report
from evals.scenarios import runner
from evals.scenarios.compare import compare
from evals.scenarios.loading import ScenarioFileError, load_scenarios
from evals.scenarios.results import ScenarioRecord, read_results, write_results
from evals.scenarios.runner import RunOptions
from evals.scenarios.shared_knowledge import KnowledgeUnavailable, build_shared_knowledge
from evals.scenarios.suite import run_suite
from tools.settings import Settings

console = Console()
DEFAULT_OUT = Path("var/evals/scenarios")
REPLY_PREVIEW = 300


def register(eval_app: typer.Typer) -> None:
    """Add this suite's commands to `nagrik eval`."""
    eval_app.command("run")(run_command)
    eval_app.command("compare")(compare_command)


def run_command(
    paths: Annotated[list[Path], typer.Argument(help="Scenario files or folders.")],
    policy: Annotated[str, typer.Option(help="offline or llm.")] = "offline",
    repeat: Annotated[
        int, typer.Option(min=1, help="Runs per scenario; all must pass (pass^k).")
    ] = 1,
    out: Annotated[
        Path, typer.Option(help="Folder for results.json and report.html.")
    ] = DEFAULT_OUT,
    min_pass: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Exit 1 below this pass rate.")
    ] = 0.0,
    no_kb: Annotated[bool, typer.Option("--no-kb", help="Run without a knowledge base.")] = False,
    only: Annotated[
        list[str] | None, typer.Option(help="Only scenarios whose id contains this.")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option(help="Only scenarios with this tag.")] = None,
    keep: Annotated[
        Path | None, typer.Option(help="Keep each run's database in this folder.")
    ] = None,
) -> None:
    """Run scenarios against the agent, print a table, write results.json and report.html."""
    if policy not in ("offline", "llm"):
        raise typer.BadParameter("use offline or llm", param_hint="--policy")
    try:
        scenarios = load_scenarios(paths)
    except ScenarioFileError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    scenarios = [
        s
        for s in scenarios
        if (not only or any(part in s.id for part in only))
        and (not tag or any(t in s.tags for t in tag))
    ]
    if not scenarios:
        console.print("[red]No scenarios to run.[/red]")
        raise typer.Exit(2)
    _require_agent()

    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="nagrik-eval-kb-") as kb_folder:
        knowledge = None if no_kb else _knowledge(settings, Path(kb_folder))
        options = RunOptions(
            policy=policy,
            repeat=repeat,
            settings=settings,
            knowledge=knowledge,
            agent_factory=runner.real_agent_factory,
            keep_dir=keep,
        )
        document = _run_with_progress(scenarios, options, [str(p) for p in paths])
        if knowledge is not None:
            knowledge.close()

    _print_table(document)
    _print_failures(document)
    results = write_results(document, out)
    report = write_report(document, out)
    console.print(
        f"Pass rate [bold]{document['pass_rate']:.1%}[/bold] "
        f"({document['passed']}/{document['total']}); wrote {results} and {report}"
    )
    if document["pass_rate"] < min_pass:
        console.print(f"[red]Below the minimum pass rate {min_pass:.1%}.[/red]")
        raise typer.Exit(1)


def compare_command(
    before: Annotated[Path, typer.Argument(help="The baseline results.json (or its folder).")],
    after: Annotated[Path, typer.Argument(help="The new results.json (or its folder).")],
    fail_on_regression: Annotated[
        bool, typer.Option(help="Exit 1 if anything got worse.")
    ] = False,
) -> None:
    """Show what changed between two results files: newly failing, newly passing, rates."""
    try:
        result = compare(read_results(before), read_results(after))
    except (OSError, ValueError, KeyError) as error:
        console.print(f"[red]Cannot compare: {error}[/red]")
        raise typer.Exit(2) from None

    table = Table(title="Rates")
    for column in ("metric", "before", "after", "change"):
        table.add_column(column)
    for name, old, new in result.deltas:
        colour = "green" if new > old else "red" if new < old else "white"
        table.add_row(name, f"{old:.1%}", f"{new:.1%}", f"[{colour}]{new - old:+.1%}[/{colour}]")
    console.print(table)
    console.print(f"[red]Newly failing ({len(result.newly_failing)}):[/red]")
    for sid, failures in result.newly_failing:
        console.print(f"  {sid}: {failures[0] if failures else ''}")
    console.print(f"[green]Newly passing ({len(result.newly_passing)}):[/green]")
    for sid in result.newly_passing:
        console.print(f"  {sid}")
    if result.added or result.removed:
        console.print(f"Added: {', '.join(result.added) or '-'}; removed: "
                      f"{', '.join(result.removed) or '-'}")
    if fail_on_regression and result.regressed:
        raise typer.Exit(1)


def _require_agent() -> None:
    try:
        importlib.import_module("agent.runtime")
    except ImportError as error:
        console.print(
            f"[red]The agent cannot be imported ({error}); "
            "scenarios need agent.runtime.create_agent.[/red]"
        )
        raise typer.Exit(2) from None


def _knowledge(settings: Settings, folder: Path) -> Any:
    with console.status("Building the knowledge base from the sample documents…"):
        try:
            return build_shared_knowledge(settings, folder)
        except KnowledgeUnavailable as error:
            console.print(f"[yellow]Running without a knowledge base: {error}[/yellow]")
            return None


def _run_with_progress(
    scenarios: list[Any], options: RunOptions, paths: list[str]
) -> dict[str, Any]:
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("Scenarios", total=len(scenarios))

        def done(record: ScenarioRecord) -> None:
            progress.advance(task)
            if not record.passed:
                progress.console.print(f"[red]✗[/red] {record.id}")

        return run_suite(scenarios, options, paths=paths, on_done=done)


def _print_table(document: dict[str, Any]) -> None:
    table = Table(title=f"Scenarios ({document['policy']}, {document['repeat']} run(s) each)")
    table.add_column("id")
    table.add_column("pass")
    table.add_column("failed expectation", overflow="fold")
    for item in document["scenarios"]:
        mark = "[green]✓[/green]" if item["passed"] else "[red]✗[/red]"
        table.add_row(item["id"], mark, item["failures"][0] if item["failures"] else "")
    console.print(table)


def _print_failures(document: dict[str, Any]) -> None:
    for item in document["scenarios"]:
        if item["passed"]:
            continue
        console.rule(f"[red]{item['id']}[/red] {item['file']}")
        for failure in item["failures"]:
            console.print(Text("  • ", style="red") + Text(failure), highlight=False)
        run = next(r for r in item["runs"] if not r["passed"])
        for turn in run["turns"]:
            if not turn["failures"] and not turn["error"]:
                continue
            calls = ", ".join(
                c["name"] + ("" if c["ok"] else f" (error {c['error_code']})")
                for c in turn["tool_calls"]
            )
            reply = turn["reply"].replace("\n", " / ")
            if len(reply) > REPLY_PREVIEW:
                reply = reply[:REPLY_PREVIEW] + "…"
            console.print(
                f"  turn {turn['index']} {turn['action']}\n    reply: {reply or '(none)'}\n"
                f"    tools: {calls or '(none)'}; language: {turn['language']}",
                markup=False,
                highlight=False,
            )

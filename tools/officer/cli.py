"""`nagrik officer list|show|approve|reject|ask`: the back office from a terminal."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from tools.catalog import load_catalog
from tools.clock import SystemClock
from tools.db.engine import make_engine
from tools.notifications import ServerNotifier
from tools.officer import decisions, lookup
from tools.officer.lookup import OfficerError
from tools.officer.views import DecisionResult
from tools.settings import get_settings

console = Console()
officer_app = typer.Typer(help="Decide applications as an officer.", no_args_is_help=True)

OfficerName = Annotated[str, typer.Option("--officer", help="Who decides (for the audit log).")]


def register(app: typer.Typer) -> None:
    """Add `nagrik officer …` to the CLI."""
    app.add_typer(officer_app, name="officer")


@officer_app.command("list")
def list_command(
    status: Annotated[list[str] | None, typer.Option(help="Statuses (default: awaiting).")] = None,
    service: Annotated[str | None, typer.Option(help="A service id.")] = None,
    department: Annotated[str | None, typer.Option(help="A department id.")] = None,
) -> None:
    """List applications awaiting a decision."""
    settings = get_settings()
    engine = make_engine(settings.resolved_database_url)
    with Session(engine) as session:
        rows = lookup.list_applications(session, load_catalog(settings.catalog_dir),
                                        statuses=status, service_id=service,
                                        department=department)
    table = Table(title=f"{len(rows)} applications")
    for column in ("number", "service", "status", "applicant", "submitted"):
        table.add_column(column)
    for row in rows:
        submitted = row.submitted_at.strftime("%d-%m-%Y %H:%M") if row.submitted_at else "—"
        table.add_row(row.number, row.service_name, row.status, row.applicant or "—", submitted)
    console.print(table)


@officer_app.command("show")
def show_command(number: str) -> None:
    """Show one application in full."""
    settings = get_settings()
    engine = make_engine(settings.resolved_database_url)
    with Session(engine) as session:
        try:
            detail = lookup.show(session, load_catalog(settings.catalog_dir), number)
        except OfficerError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from error
    console.print_json(json.dumps(detail.model_dump(mode="json"), ensure_ascii=False))


@officer_app.command("approve")
def approve_command(number: str, officer: OfficerName = "officer",
                    note: Annotated[str | None, typer.Option()] = None) -> None:
    """Approve; a certificate service issues the certificate and sends it."""
    _decide("approve", number, officer=officer, note=note)


@officer_app.command("reject")
def reject_command(number: str, reason: Annotated[str, typer.Option(help="Told to the citizen.")],
                   officer: OfficerName = "officer") -> None:
    """Reject with a reason."""
    _decide("reject", number, officer=officer, reason=reason)


@officer_app.command("ask")
def ask_command(
    number: str,
    field: Annotated[list[str] | None, typer.Option(help="A field to answer again.")] = None,
    document: Annotated[list[str] | None, typer.Option(help="A document slot to send.")] = None,
    note: Annotated[str | None, typer.Option(help="What the citizen should know.")] = None,
    officer: OfficerName = "officer",
) -> None:
    """Ask the citizen for fields again, other documents, or more information."""
    _decide("ask", number, officer=officer, fields=field or [], documents=document or [],
            note=note)


def _decide(action: str, number: str, **arguments: object) -> None:
    settings = get_settings()
    notifier = ServerNotifier(settings.public_base_url, settings.secret("officer_token"))
    deps = decisions.IssuingDeps.from_settings(
        settings, make_engine(settings.resolved_database_url), SystemClock(),
        load_catalog(settings.catalog_dir), notifier,
    )
    function = getattr(decisions, action)
    try:
        result: DecisionResult = function(deps, number, **arguments)
    except OfficerError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    console.print(f"{result.number}: {result.status}"
                  + (f", certificate {result.certificate_number}" if result.certificate_number
                     else ""))
    for event in notifier.failed:
        console.print(f"[yellow]citizen not told[/yellow] of {event.event} ({event.message_id})")

"""Commands of the `nagrik` CLI that belong to tools/: services, db."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from tools.catalog import CatalogError, load_catalog
from tools.clock import SystemClock
from tools.db import migrate
from tools.db.engine import make_engine
from tools.documents import cli as documents_cli
from tools.officer import cli as officer_cli
from tools.payments import cli as payments_cli
from tools.seed.loader import DEMO_FILE, apply_seed, load_seed_file
from tools.settings import get_settings

logger = logging.getLogger(__name__)
console = Console()
db_app = typer.Typer(help="Create, upgrade and seed the application database.")


def register(app: typer.Typer) -> None:
    """Add `nagrik services` and `nagrik db …` to the CLI."""
    app.command("services")(services)
    app.add_typer(db_app, name="db")
    documents_cli.register(app)
    payments_cli.register(app)
    officer_cli.register(app)


def services() -> None:
    """Print the service catalog."""
    settings = get_settings()
    try:
        catalog = load_catalog(settings.catalog_dir)
    except CatalogError as error:
        console.print(f"[red]catalog error:[/red] {error}")
        raise typer.Exit(1) from error

    table = Table(title=f"{len(catalog.services)} services")
    for column in ("id", "code", "English", "हिन्दी", "department", "fields", "documents", "SLA"):
        table.add_column(column)
    for service in catalog.services.values():
        table.add_row(
            service.id,
            service.code,
            service.name.en,
            service.name.hi,
            service.department,
            str(len(service.fields)),
            str(len(service.documents)),
            f"{service.sla_days} days" if service.sla_days is not None else "—",
        )
    console.print(table)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the database, or upgrade it to the newest schema."""
    url = get_settings().resolved_database_url
    migrate.upgrade(url)
    console.print(f"database at revision {migrate.current(url)}")


@db_app.command("seed")
def db_seed(
    path: Annotated[Path, typer.Option(help="A seed file of citizens and properties.")] = DEMO_FILE,
) -> None:
    """Load demo citizens and properties (rows that already exist are left alone)."""
    settings = get_settings()
    engine = make_engine(settings.resolved_database_url)
    catalog = load_catalog(settings.catalog_dir)
    with Session(engine) as session:
        added = apply_seed(session, SystemClock(), catalog, load_seed_file(path))
    console.print(", ".join(f"{count} {kind} added" for kind, count in added.items()))



"""`nagrik payments reconcile`: settle payments the gateway knows about but we left pending."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from rich.console import Console

from tools.catalog import load_catalog
from tools.clock import SystemClock
from tools.db.engine import make_engine
from tools.issuing import IssuingDeps
from tools.notifications import ServerNotifier
from tools.payments.reconcile import reconcile
from tools.settings import get_settings
from tools.toolkit.build import build_gateway

console = Console()
payments_app = typer.Typer(help="Payments: reconcile with the gateway.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add `nagrik payments …` to the CLI."""
    app.add_typer(payments_app, name="payments")


@payments_app.command("reconcile")
def reconcile_command(
    older_than_minutes: Annotated[
        int, typer.Option(help="Only payments opened at least this many minutes ago.")
    ] = 15,
) -> None:
    """Ask the gateway about pending payments and settle the paid and failed ones."""
    settings = get_settings()
    notifier = ServerNotifier(settings.public_base_url, settings.secret("officer_token"))
    deps = IssuingDeps.from_settings(
        settings, make_engine(settings.resolved_database_url), SystemClock(),
        load_catalog(settings.catalog_dir), notifier,
    )
    counts = reconcile(deps, build_gateway(settings),
                       older_than=timedelta(minutes=older_than_minutes))
    summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items()))
    console.print(f"reconciled: {summary or 'nothing pending'}")
    for event in notifier.failed:
        console.print(f"[yellow]citizen not told[/yellow] of {event.event} ({event.message_id})")

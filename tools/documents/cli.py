"""Commands for documents: `nagrik keys generate` and `nagrik keys rotate`."""

from __future__ import annotations

import typer

keys_app = typer.Typer(help="Keys that encrypt citizens' documents.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the document commands to the `nagrik` CLI."""
    app.add_typer(keys_app, name="keys")


@keys_app.command("generate")
def generate() -> None:
    """Print a new random AES-256 key (base64) for NAGRIK_DOCUMENT_KEY."""
    from tools.documents.vault import generate_key

    typer.echo(generate_key())


@keys_app.command("rotate")
def rotate() -> None:
    """Re-encrypt every stored document under the current key (NAGRIK_DOCUMENT_KEY_ID).

    Before running it, set the new key as NAGRIK_DOCUMENT_KEY with a new
    NAGRIK_DOCUMENT_KEY_ID, and list the previous one in NAGRIK_DOCUMENT_OLD_KEYS.
    """
    from sqlmodel import Session

    from tools.db.engine import make_engine
    from tools.documents.service import rotate_document_keys
    from tools.documents.vault import Vault
    from tools.settings import get_settings

    settings = get_settings()
    vault = Vault.from_settings(settings)
    with Session(make_engine(settings.resolved_database_url)) as session:
        report = rotate_document_keys(session, vault)
    typer.echo(
        f"key {vault.keyring.current_id}: {report.rotated} re-encrypted, "
        f"{report.current} already current, {len(report.failed)} failed"
    )
    for path in report.failed:
        typer.echo(f"failed: {path}", err=True)
    if report.failed:
        raise typer.Exit(code=1)

"""Alembic environment: the URL comes from the caller, the tables from the models."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from tools.db.engine import make_engine
from tools.db.metadata import import_all_models

import_all_models()
target_metadata = SQLModel.metadata
config = context.config


def run_migrations() -> None:
    """Run migrations online against the configured URL."""
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    with make_engine(url).connect() as connection:
        _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()

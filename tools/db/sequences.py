"""Gap-free numbering from named counters, safe under concurrent writers."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from tools.db.models import Sequence


def next_value(session: Session, name: str) -> int:
    """Increment the counter `name` inside the caller's transaction and return the new value."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(Sequence).values(name=name, value=0).on_conflict_do_nothing())
    result = session.execute(
        update(Sequence)
        .where(Sequence.name == name)  # type: ignore[arg-type]
        .values(value=Sequence.value + 1)
        .returning(Sequence.__table__.c.value)  # type: ignore[attr-defined]
    )
    return int(result.scalar_one())


def application_number(session: Session, code: str, year: int) -> str:
    """The next application number for a service code and year, like `BC-2026-000001`."""
    return f"{code}-{year}-{next_value(session, f'{code}-{year}'):06d}"


def receipt_number(session: Session, year: int) -> str:
    """The next receipt number for a year, like `RCPT-2026-000001`."""
    return f"RCPT-{year}-{next_value(session, f'RCPT-{year}'):06d}"


def certificate_number(session: Session, year: int) -> str:
    """The next certificate number for a year, like `CERT-2026-000001`."""
    return f"CERT-{year}-{next_value(session, f'CERT-{year}'):06d}"

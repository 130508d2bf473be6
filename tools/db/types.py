"""Column types: times are stored as India wall-clock time and read back timezone-aware."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from tools.clock import INDIA


class IndiaDateTime(TypeDecorator[datetime]):
    """A timestamp that SQLite and PostgreSQL both round-trip as an aware India time."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Aware times become India wall-clock time; naive ones are taken as India time."""
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(INDIA)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Stored wall-clock times come back aware, in India time."""
        if value is None:
            return None
        return value.replace(tzinfo=INDIA)

"""Where conversations are checkpointed: SQLite by default, PostgreSQL by setting."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver


def open_checkpointer(location: str) -> BaseCheckpointSaver[Any]:
    """A checkpointer for `location`: a PostgreSQL URL, `:memory:`, or a SQLite file path."""
    if location.startswith(("postgresql://", "postgres://")):
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg import Connection
        from psycopg.rows import dict_row

        pg_connection = Connection.connect(
            location, autocommit=True, prepare_threshold=0, row_factory=dict_row
        )
        pg_saver = PostgresSaver(pg_connection)
        pg_saver.setup()
        return pg_saver
    if location == ":memory:":
        return InMemorySaver()
    path = Path(location)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(str(path), check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    # As for the main database: WAL with NORMAL survives a crash of the process; only a power
    # cut can lose the last turns, which the inbox then runs again. FULL would fsync each turn.
    connection.execute("PRAGMA synchronous=NORMAL")
    saver = SqliteSaver(connection)
    saver.setup()
    return saver

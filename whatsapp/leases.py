"""Per-citizen leases: several worker processes share one inbox, one citizen each at a time.

Before a worker drains a citizen's queue it takes the citizen's lease, a row naming it as
owner until a time; it renews the lease before each message and gives it back when the queue
is empty; while it holds leases it renews them every few seconds (a long LLM turn keeps its
citizen). Another worker cannot take a lease until it expires, so a citizen's messages are
never handled by two workers at once, and a worker that died without giving its leases back
holds its citizens only until they expire. A worker restarted under the same name
(`nagrik whatsapp worker --name`) takes its own leases back at once.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, delete, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from whatsapp.sql import run, table_of
from whatsapp.store_models import CitizenLease

# How long a lease lasts unless renewed: the citizens of a crashed worker wait this long.
LEASE_SECONDS = 15.0
RENEW_SECONDS = LEASE_SECONDS / 3

_LEASE = table_of(CitizenLease)
_RELEASE = delete(_LEASE).where(
    _LEASE.c.citizen_key == bindparam("key"), _LEASE.c.owner == bindparam("me")
)


def worker_name() -> str:
    """A name for this worker, unique among the processes sharing a database."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


@lru_cache(maxsize=2)
def _take_statement(dialect: str) -> Any:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(_LEASE).values(
        citizen_key=bindparam("key"), owner=bindparam("me"), expires_at=bindparam("until")
    )
    return statement.on_conflict_do_update(
        index_elements=["citizen_key"],
        set_={"owner": statement.excluded.owner, "expires_at": statement.excluded.expires_at},
        # Only our own lease (a renewal) or one that has run out may change hands.
        where=or_(_LEASE.c.owner == bindparam("me"), _LEASE.c.expires_at < bindparam("now")),
    ).returning(_LEASE.c.owner)  # a row when taken: psycopg's row count says -1 here


def take(session: Session, citizen_key: str, owner: str, now: datetime) -> bool:
    """Take or renew a citizen's lease for `owner`; False when another worker holds it."""
    statement = _take_statement(session.connection().dialect.name)
    until = now + timedelta(seconds=LEASE_SECONDS)
    params = {"key": citizen_key, "me": owner, "until": until, "now": now}
    return run(session, statement, params).first() is not None


def give_back(session: Session, citizen_key: str, owner: str) -> None:
    """Give a citizen's lease back (nothing happens if it is no longer ours)."""
    run(session, _RELEASE, {"key": citizen_key, "me": owner})

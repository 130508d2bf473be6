"""The append-only audit log: every state change, who made it, and why."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tools.clock import Clock
from tools.db.models import AuditEntry


def record(
    session: Session,
    clock: Clock,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int,
    reason: str | None = None,
    **details: Any,
) -> None:
    """Add one audit entry to the caller's transaction."""
    session.add(
        AuditEntry(
            at=clock.now(),
            actor=actor,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            reason=reason,
            details=details,
        )
    )

"""Moving an application from one status to another, only along the catalog's workflow."""

from __future__ import annotations

from sqlmodel import Session

from tools import audit
from tools.catalog.schema import Service
from tools.clock import Clock
from tools.db.models import Application, StatusChange, require_id
from tools.toolkit.errors import ToolRefused


def can_move(service: Service, source: str, target: str) -> bool:
    """Whether the service's workflow lets `target` follow `source`."""
    if service.workflow is None:
        return False
    return target in service.workflow.transitions.get(source, [])


def move(
    session: Session,
    clock: Clock,
    service: Service,
    application: Application,
    target: str,
    *,
    actor: str,
    reason: str | None = None,
) -> None:
    """Change the status, recording history and audit; refuse a move the workflow forbids."""
    source = application.status
    if not can_move(service, source, target):
        raise ToolRefused(
            "transition_not_allowed",
            f"{application.number} is {source}; it cannot become {target}",
            number=application.number,
            status=source,
            target=target,
        )

    now = clock.now()
    application.status = target
    application.updated_at = now
    session.add(application)
    session.add(
        StatusChange(
            application_id=require_id(application),
            from_status=source,
            to_status=target,
            actor=actor,
            reason=reason,
            at=now,
        )
    )
    audit.record(
        session,
        clock,
        actor=actor,
        action="status_changed",
        entity="application",
        entity_id=application.number,
        reason=reason,
        source=source,
        target=target,
    )

"""Officers' decisions: approve, reject with a reason, or ask the citizen for more.

Each decision moves the application along its catalog workflow only (`tools.workflow.move`,
which writes the status history and the audit log), then tells the citizen's conversation
after the commit. An approval of a certificate service issues the certificate.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from tools import audit
from tools.catalog.schema import Service
from tools.certificates.certificate import issue_certificate
from tools.db.models import (
    Application,
    ApplicationField,
    ApplicationStatus,
    Citizen,
    Document,
    StatusChange,
)
from tools.issuing import IssuingDeps
from tools.notifications import ConversationEvent
from tools.officer.lookup import OfficerError, find
from tools.officer.views import DecisionResult
from tools.toolkit.errors import ToolRefused
from tools.workflow import move

logger = logging.getLogger(__name__)


def approve(
    deps: IssuingDeps, number: str, *, officer: str, note: str | None = None
) -> DecisionResult:
    """Approve an application; a certificate service gets its certificate issued and sent."""
    with _session(deps) as session:
        application, service = _load(deps, session, number)
        _move(deps, session, service, application, ApplicationStatus.APPROVED, officer, note)
        data: dict[str, object] = {"certificate_number": None, "certificate_path": None}
        if service.certificate:
            certificate = issue_certificate(
                session, deps.clock, deps.catalog, application, officer=officer,
                data_dir=deps.data_dir, base_url=deps.public_base_url,
                signing_key=deps.signing_key,
            )
            data = {"certificate_number": certificate.number,
                    "certificate_path": certificate.pdf_path}
        notice = _notice(session, application, service, "application_approved", data)
        session.commit()
    return _finish(deps, application, "approve", notice, data)


def reject(deps: IssuingDeps, number: str, *, officer: str, reason: str) -> DecisionResult:
    """Reject an application; the citizen is told the reason and what to do next."""
    if not reason.strip():
        raise OfficerError("invalid", "a rejection needs a reason the citizen can act on")
    with _session(deps) as session:
        application, service = _load(deps, session, number)
        _move(deps, session, service, application, ApplicationStatus.REJECTED, officer, reason)
        application.decision_reason = reason.strip()
        session.add(application)
        notice = _notice(session, application, service, "application_rejected",
                         {"reason": application.decision_reason})
        session.commit()
    return _finish(deps, application, "reject", notice, {})


def ask(
    deps: IssuingDeps,
    number: str,
    *,
    officer: str,
    fields: list[str] | None = None,
    documents: list[str] | None = None,
    note: str | None = None,
) -> DecisionResult:
    """Ask the citizen for fields again or other documents; the form reopens for exactly those.

    The named fields lose their values and the named documents leave their slots (the files
    stay, attached to the application), so the form asks for them again.
    """
    fields, documents = list(fields or []), list(documents or [])
    if not (fields or documents or (note and note.strip())):
        raise OfficerError("invalid", "say what is needed: fields, documents, or a note")
    with _session(deps) as session:
        application, service = _load(deps, session, number)
        unknown = [name for name in fields if name not in {f.name for f in service.fields}]
        unknown += [slot for slot in documents if slot not in {d.id for d in service.documents}]
        if unknown:
            raise OfficerError("invalid", f"{service.id} has no field or document {unknown}")
        _move(deps, session, service, application, ApplicationStatus.INFO_REQUESTED, officer,
              note)
        application.requested_fields = fields
        application.requested_documents = documents
        application.decision_reason = note.strip() if note else None
        session.add(application)
        _reopen(session, application, fields, documents)
        audit.record(session, deps.clock, actor=f"officer:{officer}", action="info_requested",
                     entity="application", entity_id=application.number, reason=note,
                     fields=fields, documents=documents)
        notice = _notice(session, application, service, "info_requested",
                         {"fields": fields, "documents": documents, "note": note})
        session.commit()
    return _finish(deps, application, "ask", notice, {})


def _session(deps: IssuingDeps) -> Session:
    return Session(deps.engine, expire_on_commit=False)


def _load(deps: IssuingDeps, session: Session, number: str) -> tuple[Application, Service]:
    application = find(session, number)
    service = deps.catalog.services.get(application.service_id)
    if service is None:
        raise OfficerError("not_found", f"service {application.service_id} is not in the catalog")
    return application, service


def _move(
    deps: IssuingDeps, session: Session, service: Service, application: Application,
    target: str, officer: str, reason: str | None,
) -> None:
    try:
        move(session, deps.clock, service, application, target, actor=f"officer:{officer}",
             reason=reason)
    except ToolRefused as refused:
        raise OfficerError("not_allowed", refused.detail) from refused
    session.flush()


def _reopen(
    session: Session, application: Application, fields: list[str], documents: list[str]
) -> None:
    if fields:
        session.execute(
            delete(ApplicationField)
            .where(col(ApplicationField.application_id) == application.id)
            .where(col(ApplicationField.name).in_(fields))
        )
    if documents:
        session.execute(
            update(Document)
            .where(col(Document.application_id) == application.id)
            .where(col(Document.slot).in_(documents))
            .values(slot=None)
        )


def _notice(
    session: Session, application: Application, service: Service, event: str,
    data: dict[str, object],
) -> ConversationEvent | None:
    citizen = session.get(Citizen, application.citizen_id)
    step = session.exec(
        select(StatusChange.id)
        .where(StatusChange.application_id == application.id)
        .order_by(col(StatusChange.id).desc())
    ).first()
    if citizen is None:
        return None
    return ConversationEvent(
        message_id=f"officer:{application.number}:{step}",
        citizen_wa_id=citizen.wa_id,
        department=service.department,
        event=event,
        data={"application_number": application.number, "service_id": service.id, **data},
    )


def _finish(
    deps: IssuingDeps, application: Application, action: str,
    notice: ConversationEvent | None, data: dict[str, object],
) -> DecisionResult:
    logger.info("application %s: officer action %s, now %s", application.number, action,
                application.status)
    if notice is not None:
        deps.notifier(notice)
    return DecisionResult(
        number=application.number,
        status=application.status,
        action=action,
        certificate_number=data.get("certificate_number"),
        certificate_path=data.get("certificate_path"),
        notified=notice is not None,
    )

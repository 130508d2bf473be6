"""Reading applications for officers: the filtered list and one application in full."""

from __future__ import annotations

from sqlmodel import Session, col, select

from tools.catalog import Catalog
from tools.db.models import (
    Application,
    ApplicationField,
    ApplicationStatus,
    Certificate,
    Citizen,
    Document,
    Payment,
    Receipt,
    StatusChange,
)
from tools.officer.views import (
    ApplicationDetail,
    ApplicationRow,
    DocumentView,
    HistoryView,
    PaymentView,
)
from tools.workflow import can_move

AWAITING_DECISION = (ApplicationStatus.SUBMITTED.value, ApplicationStatus.UNDER_REVIEW.value)
ACTIONS = {
    "approve": ApplicationStatus.APPROVED.value,
    "reject": ApplicationStatus.REJECTED.value,
    "ask": ApplicationStatus.INFO_REQUESTED.value,
}


class OfficerError(Exception):
    """An officer's request that cannot be done; `code` says which kind, the text says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def find(session: Session, number: str) -> Application:
    """The application with this number.

    Raises:
        OfficerError: `not_found`.
    """
    application = session.exec(
        select(Application).where(Application.number == number.strip().upper())
    ).first()
    if application is None:
        raise OfficerError("not_found", f"no application numbered {number}")
    return application


def list_applications(
    session: Session,
    catalog: Catalog,
    *,
    statuses: list[str] | None = None,
    service_id: str | None = None,
    department: str | None = None,
    limit: int = 100,
) -> list[ApplicationRow]:
    """Applications in these statuses (default: awaiting a decision), oldest submission first."""
    query = select(Application, Citizen).join(Citizen)
    query = query.where(col(Application.status).in_(statuses or list(AWAITING_DECISION)))
    if service_id:
        query = query.where(Application.service_id == service_id)
    if department:
        ids = [s.id for s in catalog.services.values() if s.department == department]
        query = query.where(col(Application.service_id).in_(ids))
    query = query.order_by(col(Application.submitted_at), col(Application.id)).limit(limit)
    return [_row(catalog, app, citizen) for app, citizen in session.exec(query).all()]


def _row(catalog: Catalog, application: Application, citizen: Citizen | None) -> ApplicationRow:
    service = catalog.services.get(application.service_id)
    return ApplicationRow(
        number=application.number,
        service_id=application.service_id,
        service_name=service.name.en if service else application.service_id,
        department=service.department if service else "",
        status=application.status,
        applicant=citizen.display_name if citizen else None,
        submitted_at=application.submitted_at,
        updated_at=application.updated_at,
    )


def show(session: Session, catalog: Catalog, number: str) -> ApplicationDetail:
    """One application in full: fields, documents, payments, history, what may be done."""
    application = find(session, number)
    citizen = session.get(Citizen, application.citizen_id)
    fields = {
        row.name: row.value
        for row in session.exec(
            select(ApplicationField).where(ApplicationField.application_id == application.id)
        ).all()
    }
    documents = [
        DocumentView(id=doc.id or 0, slot=doc.slot, mime_type=doc.mime_type, pages=doc.pages,
                     ocr_status=doc.ocr_status, ocr_fields=doc.ocr_fields)
        for doc in session.exec(
            select(Document).where(Document.application_id == application.id)
        ).all()
    ]
    payments = [
        PaymentView(id=payment.id or 0, status=payment.status, amount_paise=payment.amount_paise,
                    gateway=payment.gateway, gateway_payment_id=payment.gateway_payment_id,
                    receipt_number=receipt.number if receipt else None)
        for payment, receipt in session.exec(
            select(Payment, Receipt)
            .join(Receipt, isouter=True)
            .where(Payment.application_id == application.id)
        ).all()
    ]
    history = [
        HistoryView(at=step.at, from_status=step.from_status, to_status=step.to_status,
                    actor=step.actor, reason=step.reason)
        for step in session.exec(
            select(StatusChange)
            .where(StatusChange.application_id == application.id)
            .order_by(col(StatusChange.id))
        ).all()
    ]
    certificate = session.exec(
        select(Certificate).where(Certificate.application_id == application.id)
    ).first()
    service = catalog.services.get(application.service_id)
    allowed = [
        action for action, target in ACTIONS.items()
        if service is not None and can_move(service, application.status, target)
    ]
    return ApplicationDetail(
        **_row(catalog, application, citizen).model_dump(),
        fields=fields,
        documents=documents,
        payments=payments,
        history=history,
        requested_fields=application.requested_fields,
        requested_documents=application.requested_documents,
        decision_reason=application.decision_reason,
        certificate_number=certificate.number if certificate else None,
        allowed_actions=allowed,
    )
